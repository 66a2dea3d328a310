// Package dns is the cluster's DNS in miniature: the answers CoreDNS's kubernetes plugin gives for
// the cluster.local zone (the Kubernetes DNS specification,
// https://github.com/kubernetes/dns/blob/master/docs/specification.md), and the search path a pod's
// resolv.conf sets with dnsPolicy ClusterFirst (pkg/kubelet/network/dns/dns.go).
//
// It is modelled as a service of the cluster, not as pods: CoreDNS's Deployment and the kube-dns
// Service in kube-system are not there, the resolver simply reads the API server's Services and
// EndpointSlices when asked. Names outside cluster.local do not resolve: the miniature cluster has
// no upstream resolver.
package dns

import (
	"net/netip"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

const (
	// ServerIP is the cluster DNS address pods use (the kubelet's clusterDNS; the kube-dns
	// Service's cluster IP on kubeadm and kind clusters).
	ServerIP = "10.96.0.10"
	// Domain is the cluster domain (the kubelet's clusterDomain).
	Domain = "cluster.local"
	// ndots is the resolv.conf option the kubelet sets: names with fewer dots go through the search
	// path first.
	ndots = 5
)

// SearchPath is the search list of a pod in namespace ns (dnsPolicy ClusterFirst).
func SearchPath(ns string) []string {
	return []string{ns + ".svc." + Domain, "svc." + Domain, Domain}
}

// ResolvConf is /etc/resolv.conf as the kubelet writes it for a pod in namespace ns.
func ResolvConf(ns string) string {
	return "search " + strings.Join(SearchPath(ns), " ") + "\nnameserver " + ServerIP + "\noptions ndots:5\n"
}

// Resolver answers queries from the API server's current state.
type Resolver struct {
	client *apiserver.Client
}

// New returns a resolver reading through client.
func New(client *apiserver.Client) *Resolver { return &Resolver{client: client} }

// Answer is the result of looking a name up.
type Answer struct {
	Name string   // the fully qualified name that answered (without the final dot)
	IPs  []string // A records, sorted
}

// Lookup resolves name as a pod in namespace ns would through its resolver: a name with a final
// dot as it is; one with fewer than five dots through the search path first, then as it is; others
// as they are first. ok is false when no name answered (NXDOMAIN).
func (r *Resolver) Lookup(ns, name string) (Answer, bool) {
	name = strings.ToLower(name)
	if strings.HasSuffix(name, ".") {
		return r.Query(strings.TrimSuffix(name, "."))
	}
	var candidates []string
	searched := make([]string, 0, 3)
	for _, d := range SearchPath(ns) {
		searched = append(searched, name+"."+d)
	}
	if strings.Count(name, ".") >= ndots {
		candidates = append([]string{name}, searched...)
	} else {
		candidates = append(searched, name)
	}
	for _, c := range candidates {
		if a, ok := r.Query(c); ok {
			return a, true
		}
	}
	return Answer{}, false
}

// Query answers one fully qualified name (no final dot): ok is false for NXDOMAIN. A name that
// exists without addresses (a headless Service with no ready endpoints) answers with none.
func (r *Resolver) Query(fqdn string) (Answer, bool) {
	fqdn = strings.ToLower(strings.TrimSuffix(fqdn, "."))
	rest, ok := strings.CutSuffix(fqdn, "."+Domain)
	if !ok {
		return Answer{}, false
	}
	labelsOf := strings.Split(rest, ".")
	switch {
	case len(labelsOf) == 3 && labelsOf[2] == "svc": // service.namespace.svc
		return r.service(fqdn, labelsOf[1], labelsOf[0], "")
	case len(labelsOf) == 4 && labelsOf[3] == "svc": // hostname.service.namespace.svc
		return r.service(fqdn, labelsOf[2], labelsOf[1], labelsOf[0])
	case len(labelsOf) == 3 && labelsOf[2] == "pod": // 10-244-1-3.namespace.pod (CoreDNS "pods insecure")
		addr, err := netip.ParseAddr(strings.ReplaceAll(labelsOf[0], "-", "."))
		if err != nil || !addr.Is4() || !r.namespaceExists(labelsOf[1]) {
			return Answer{}, false
		}
		return Answer{Name: fqdn, IPs: []string{addr.String()}}, true
	}
	return Answer{}, false
}

func (r *Resolver) namespaceExists(ns string) bool {
	_, err := r.client.Get("namespaces", "", ns)
	return err == nil
}

// service answers for a Service: its cluster IP, or for a headless one the addresses of its ready
// endpoints (all of them with publishNotReadyAddresses), or of the endpoint with that hostname.
func (r *Resolver) service(fqdn, ns, name, hostname string) (Answer, bool) {
	obj, err := r.client.Get("services", ns, name)
	if err != nil {
		return Answer{}, false
	}
	svc := obj.(*corev1.Service)
	if svc.Spec.Type == corev1.ServiceTypeExternalName {
		return Answer{}, false // a CNAME to spec.externalName, which does not resolve here
	}
	headless := svc.Spec.ClusterIP == corev1.ClusterIPNone
	if !headless {
		if hostname != "" {
			return Answer{}, false
		}
		return Answer{Name: fqdn, IPs: []string{svc.Spec.ClusterIP}}, true
	}
	sel := labels.SelectorFromSet(labels.Set{discoveryv1.LabelServiceName: name})
	slices, _, err := r.client.ListShared("endpointslices", ns, apiserver.ListOptions{LabelSelector: sel})
	if err != nil {
		return Answer{}, false
	}
	seen := map[string]bool{}
	a := Answer{Name: fqdn}
	for _, o := range slices {
		s := o.(*discoveryv1.EndpointSlice)
		if s.AddressType != discoveryv1.AddressTypeIPv4 {
			continue
		}
		for _, ep := range s.Endpoints {
			ready := ep.Conditions.Ready == nil || *ep.Conditions.Ready
			if !ready && !svc.Spec.PublishNotReadyAddresses {
				continue
			}
			if hostname != "" && (ep.Hostname == nil || *ep.Hostname != hostname) {
				continue
			}
			for _, ip := range ep.Addresses {
				if !seen[ip] {
					seen[ip] = true
					a.IPs = append(a.IPs, ip)
				}
			}
		}
	}
	if hostname != "" && len(a.IPs) == 0 {
		return Answer{}, false
	}
	sort.Slice(a.IPs, func(i, j int) bool {
		x, _ := netip.ParseAddr(a.IPs[i])
		y, _ := netip.ParseAddr(a.IPs[j])
		return x.Less(y)
	})
	return a, true
}

// Reverse is CoreDNS's PTR answer for an address: the Service whose cluster IP it is, or the
// endpoint of a Service that has it, named by its hostname or its dashed address.
func (r *Resolver) Reverse(ip string) (string, bool) {
	svcs, _, err := r.client.ListShared("services", "", apiserver.ListOptions{})
	if err != nil {
		return "", false
	}
	for _, o := range svcs {
		if svc := o.(*corev1.Service); svc.Spec.ClusterIP == ip {
			return svc.Name + "." + svc.Namespace + ".svc." + Domain, true
		}
	}
	slices, _, err := r.client.ListShared("endpointslices", "", apiserver.ListOptions{})
	if err != nil {
		return "", false
	}
	for _, o := range slices {
		s := o.(*discoveryv1.EndpointSlice)
		svc := s.Labels[discoveryv1.LabelServiceName]
		if svc == "" {
			continue
		}
		for _, ep := range s.Endpoints {
			for _, a := range ep.Addresses {
				if a != ip {
					continue
				}
				host := strings.ReplaceAll(ip, ".", "-")
				if ep.Hostname != nil {
					host = *ep.Hostname
				}
				return host + "." + svc + "." + s.Namespace + ".svc." + Domain, true
			}
		}
	}
	return "", false
}
