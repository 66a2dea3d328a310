package apiserver

import (
	"fmt"
	"net/netip"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ServiceCIDR is the service cluster IP range (kube-apiserver's --service-cluster-ip-range as
// kubeadm and kind set it). Its first address, 10.96.0.1, is the kubernetes Service's.
const ServiceCIDR = "10.96.0.0/12"

// serviceIPRange is the part of ServiceCIDR the allocator hands out: without the network and
// broadcast addresses, split as KEP-3070 reserves the lower band for addresses asked for by name
// (k8s.io/kubernetes v1.37.2 pkg/registry/core/service/ipallocator: ipallocator.go and
// bitmap.go calculateRangeOffset, min(max(16, size/16), 256)).
type serviceIPRange struct {
	prefix       netip.Prefix
	first, last  netip.Addr
	offset       netip.Addr // the first address of the upper, dynamic band
	dynamicCount uint64
}

func newServiceIPRange() serviceIPRange {
	prefix := netip.MustParsePrefix(ServiceCIDR)
	first := prefix.Masked().Addr().Next()
	size := uint64(1)<<(32-prefix.Bits()) - 2
	reserved := min(max(uint64(16), size/16), 256)
	r := serviceIPRange{prefix: prefix, first: first, dynamicCount: size - reserved}
	r.offset = addToAddr(first, reserved)
	r.last = addToAddr(first, size-1)
	return r
}

func addToAddr(a netip.Addr, n uint64) netip.Addr {
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v += uint32(n)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// allocateClusterIP gives a new Service its cluster IP, as the Service storage does before it
// stores the Service (pkg/registry/core/service/storage/alloc.go): a headless Service
// (clusterIP: None) and an ExternalName Service get none; an address asked for must be in the
// range and free; otherwise a free address is picked at random in the dynamic band, then in the
// reserved one. Each address is recorded as an IPAddress object whose parent is the Service.
// A dry run answers with the range's network address, as the real allocator does, and records
// nothing. Called with s.mu held.
func (s *Server) allocateClusterIP(by caller, res *Resource, svc *corev1.Service) error {
	spec := &svc.Spec
	if spec.Type == corev1.ServiceTypeExternalName {
		return nil
	}
	if spec.ClusterIP == "" && len(spec.ClusterIPs) > 0 {
		spec.ClusterIP = spec.ClusterIPs[0]
	}
	if spec.ClusterIP == corev1.ClusterIPNone {
		spec.ClusterIPs = []string{corev1.ClusterIPNone}
		return nil
	}
	r := newServiceIPRange()
	used := s.usedServiceIPs()
	var ip netip.Addr
	if spec.ClusterIP != "" {
		spec.ClusterIPs = []string{spec.ClusterIP}
		addr, err := netip.ParseAddr(spec.ClusterIP)
		var why string
		switch {
		case err != nil || !addr.Is4():
			why = fmt.Sprintf("the provided IP (%s) is not in the valid range. The range of valid IPs is %s", spec.ClusterIP, ServiceCIDR)
		case addr.Less(r.first) || r.last.Less(addr):
			why = fmt.Sprintf("the provided IP (%s) is not in the valid range. The range of valid IPs is %s", addr, ServiceCIDR)
		case used[addr.String()]:
			why = "provided IP is already allocated" // ipallocator.ErrAllocated
		}
		if why != "" {
			return apierrors.NewInvalid(res.GroupKind(), svc.Name, field.ErrorList{field.Invalid(field.NewPath("spec", "clusterIPs"),
				spec.ClusterIPs, fmt.Sprintf("failed to allocate IP %s: %s", spec.ClusterIP, why))})
		}
		ip = addr
	} else {
		if by.dryRun {
			ip = r.prefix.Masked().Addr()
		} else if ip = r.pick(used, s.rand.Uint64N); !ip.IsValid() {
			return apierrors.NewInvalid(res.GroupKind(), svc.Name, field.ErrorList{field.Invalid(field.NewPath("spec", "clusterIPs"),
				spec.ClusterIPs, "failed to allocate IP: range is full")})
		}
		spec.ClusterIP = ip.String()
		spec.ClusterIPs = []string{ip.String()}
	}
	if by.dryRun {
		return nil
	}
	ipRes := s.reg.MustLookup("ipaddresses")
	record := &networkingv1.IPAddress{
		ObjectMeta: metav1.ObjectMeta{Name: ip.String(), Labels: map[string]string{
			networkingv1.LabelIPAddressFamily: string(corev1.IPv4Protocol),
			networkingv1.LabelManagedBy:       "ipallocator.k8s.io",
		}},
		Spec: networkingv1.IPAddressSpec{ParentRef: &networkingv1.ParentReference{
			Resource: "services", Namespace: svc.Namespace, Name: svc.Name}},
	}
	_, err := s.createLocked(caller{who: "kube-apiserver"}, ipRes, record)
	return err
}

// pick returns a free address: from a random place in the dynamic band onwards, wrapping; then
// the same in the reserved band. The zero Addr means the range is full.
func (r serviceIPRange) pick(used map[string]bool, randN func(uint64) uint64) netip.Addr {
	bands := []struct {
		first netip.Addr
		count uint64
	}{{r.offset, r.dynamicCount}, {r.first, r.reservedCount()}}
	for _, b := range bands {
		if b.count == 0 {
			continue
		}
		start := randN(b.count)
		for i := uint64(0); i < b.count; i++ {
			a := addToAddr(b.first, (start+i)%b.count)
			if !used[a.String()] {
				return a
			}
		}
	}
	return netip.Addr{}
}

func (r serviceIPRange) reservedCount() uint64 {
	b1, b2 := r.first.As4(), r.offset.As4()
	v1 := uint32(b1[0])<<24 | uint32(b1[1])<<16 | uint32(b1[2])<<8 | uint32(b1[3])
	v2 := uint32(b2[0])<<24 | uint32(b2[1])<<16 | uint32(b2[2])<<8 | uint32(b2[3])
	return uint64(v2 - v1)
}

// usedServiceIPs is the set of addresses that have an IPAddress object.
func (s *Server) usedServiceIPs() map[string]bool {
	ipRes := s.reg.MustLookup("ipaddresses")
	kvs, _ := s.store.List(ipRes.KeyPrefix(""))
	used := make(map[string]bool, len(kvs))
	for _, kv := range kvs {
		used[accessor(kv.Value).GetName()] = true
	}
	return used
}

// releaseClusterIPs removes the IPAddress objects of a deleted Service, as the Service storage's
// afterDelete releases its addresses. Called with s.mu held.
func (s *Server) releaseClusterIPs(svc *corev1.Service) {
	ipRes := s.reg.MustLookup("ipaddresses")
	for _, ip := range svc.Spec.ClusterIPs {
		obj, kv, err := s.get(ipRes, "", ip)
		if err != nil {
			continue
		}
		ref := obj.(*networkingv1.IPAddress).Spec.ParentRef
		if ref == nil || ref.Resource != "services" || ref.Namespace != svc.Namespace || ref.Name != svc.Name {
			continue
		}
		_, _ = s.removeLocked(caller{who: "kube-apiserver"}, ipRes, obj, kv)
	}
}
