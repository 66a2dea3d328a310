package endpointslice

import (
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/k8slearn/k8slearn/engine/controller/endpointutil"
)

// reconcile is reconciler.go Reconcile for the one address type of a single-stack IPv4 Service:
// the pods' endpoints grouped by their ports, existing slices updated in place, new ones created
// to hold the rest, emptied ones deleted, and a placeholder slice (no ports, no endpoints) kept
// for a Service that has no endpoints at all.
func (c *Controller) reconcile(svc *corev1.Service, pods []*corev1.Pod, existing []*discoveryv1.EndpointSlice, trigger time.Time) error {
	const addressType = discoveryv1.AddressTypeIPv4
	var toCreate, toUpdate, toDelete []*discoveryv1.EndpointSlice

	var owned []*discoveryv1.EndpointSlice
	existingByPorts := map[string][]*discoveryv1.EndpointSlice{}
	for _, s := range existing {
		if s.AddressType != addressType {
			toDelete = append(toDelete, s)
			continue
		}
		owned = append(owned, s)
		if ownedBy(s, svc) {
			k := portsKey(s.Ports)
			existingByPorts[k] = append(existingByPorts[k], s)
		} else {
			toDelete = append(toDelete, s)
		}
	}

	desired := map[string]*endpointSet{}
	var order []string // port keys in the order pods first produced them
	var errs []string
	for _, pod := range pods {
		if !endpointutil.ShouldPodBeInEndpoints(pod, true) {
			continue
		}
		ports := endpointPorts(svc, pod)
		k := portsKey(ports)
		set := desired[k]
		if set == nil {
			set = &endpointSet{ports: ports, byKey: map[string]int{}}
			desired[k] = set
			order = append(order, k)
		}
		if pod.Spec.NodeName == "" && !svc.Spec.PublishNotReadyAddresses {
			// reconciler.go reconcileByAddressType: the pod's node is not known
			errs = append(errs, fmt.Sprintf("skipping Pod %s for Service %s/%s: Node %s Not Found", pod.Name, svc.Namespace, svc.Name, pod.Spec.NodeName))
			continue
		}
		ep := podToEndpoint(pod, svc)
		if len(ep.Addresses) > 0 {
			set.insert(ep)
		}
	}

	for _, k := range order {
		create, update, del := c.reconcileByPorts(svc, existingByPorts[k], desired[k])
		toCreate = append(toCreate, create...)
		toUpdate = append(toUpdate, update...)
		toDelete = append(toDelete, del...)
	}
	for _, k := range sortedKeys(existingByPorts) {
		if _, ok := desired[k]; !ok {
			toDelete = append(toDelete, existingByPorts[k]...)
		}
	}

	// A Service with no endpoints keeps one placeholder slice, so that consumers can tell "no
	// endpoints" from "not processed yet".
	if len(owned) == len(toDelete) && len(toCreate) == 0 {
		placeholder := newSlice(svc, []discoveryv1.EndpointPort{}, addressType)
		if len(toDelete) == 1 && isPlaceholder(toDelete[0], placeholder) {
			toDelete = toDelete[:0]
		} else {
			toCreate = append(toCreate, placeholder)
		}
	}
	if err := c.finalize(svc, toCreate, toUpdate, toDelete, trigger); err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		if len(errs) == 1 {
			return fmt.Errorf("%s", errs[0])
		}
		return fmt.Errorf("[%s]", strings.Join(errs, ", ")) // utilerrors.NewAggregate's text
	}
	return nil
}

// reconcileByPorts is reconciler.go reconcileByPortMapping: keep the endpoints that are still
// wanted where they are, update what changed, fill slices that changed anyway, then the unchanged
// slice closest to full, then new slices.
func (c *Controller) reconcileByPorts(svc *corev1.Service, existing []*discoveryv1.EndpointSlice, want *endpointSet) (toCreate, toUpdate, toDelete []*discoveryv1.EndpointSlice) {
	byName := map[string]*discoveryv1.EndpointSlice{}
	var unchanged, updated, deleted []string
	for _, s := range existing {
		byName[s.Name] = s
		var kept []discoveryv1.Endpoint
		changed := false
		for _, ep := range s.Endpoints {
			if got, ok := want.get(ep); ok {
				kept = append(kept, got)
				if !equalBeyondAddresses(got, ep) {
					changed = true
				}
				want.remove(ep)
			}
		}
		labels, labelsChanged := sliceLabels(s, svc)
		switch {
		case changed || len(kept) != len(s.Endpoints):
			if len(kept) == 0 {
				deleted = append(deleted, s.Name)
				continue
			}
			cp := s.DeepCopy()
			cp.Endpoints, cp.Labels = kept, labels
			byName[s.Name] = cp
			updated = append(updated, s.Name)
		case labelsChanged:
			cp := s.DeepCopy()
			cp.Labels = labels
			byName[s.Name] = cp
			updated = append(updated, s.Name)
		default:
			unchanged = append(unchanged, s.Name)
		}
	}
	// Endpoints left over go first into the slices being updated anyway, fullest first.
	if want.len() > 0 && len(updated) > 0 {
		slices := make([]*discoveryv1.EndpointSlice, 0, len(updated))
		for _, n := range updated {
			slices = append(slices, byName[n])
		}
		sort.SliceStable(slices, func(i, j int) bool { return len(slices[i].Endpoints) > len(slices[j].Endpoints) })
		for _, s := range slices {
			for want.len() > 0 && len(s.Endpoints) < maxEndpointsPerSlice {
				s.Endpoints = append(s.Endpoints, want.pop())
			}
		}
	}
	for want.len() > 0 {
		var fill *discoveryv1.EndpointSlice
		if want.len() < maxEndpointsPerSlice && len(unchanged) > 0 {
			best := maxEndpointsPerSlice
			for _, n := range unchanged {
				if diff := maxEndpointsPerSlice - (want.len() + len(byName[n].Endpoints)); diff >= 0 && diff < best {
					best, fill = diff, byName[n]
				}
			}
		}
		if fill == nil {
			fill = newSlice(svc, want.ports, discoveryv1.AddressTypeIPv4)
		} else {
			fill = fill.DeepCopy()
			byName[fill.Name] = fill
		}
		for want.len() > 0 && len(fill.Endpoints) < maxEndpointsPerSlice {
			fill.Endpoints = append(fill.Endpoints, want.pop())
		}
		if fill.Name == "" {
			toCreate = append(toCreate, fill)
			continue
		}
		updated = append(updated, fill.Name)
		unchanged = remove(unchanged, fill.Name)
	}
	for _, n := range dedupe(updated) {
		toUpdate = append(toUpdate, byName[n])
	}
	for _, n := range deleted {
		toDelete = append(toDelete, byName[n])
	}
	return toCreate, toUpdate, toDelete
}

// podToEndpoint is utils.go podToEndpoint: serving is the pod's readiness, terminating its
// deletion, ready both (or always, with publishNotReadyAddresses).
func podToEndpoint(pod *corev1.Pod, svc *corev1.Service) discoveryv1.Endpoint {
	serving := endpointutil.IsPodReady(pod)
	terminating := pod.DeletionTimestamp != nil
	ready := svc.Spec.PublishNotReadyAddresses || (serving && !terminating)
	ep := discoveryv1.Endpoint{
		Addresses:  []string{},
		Conditions: discoveryv1.EndpointConditions{Ready: &ready, Serving: &serving, Terminating: &terminating},
		TargetRef:  &corev1.ObjectReference{Kind: "Pod", Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID},
	}
	for _, ip := range pod.Status.PodIPs {
		if !strings.Contains(ip.IP, ":") {
			ep.Addresses = append(ep.Addresses, ip.IP)
		}
	}
	if len(pod.Status.PodIPs) == 0 && pod.Status.PodIP != "" && !strings.Contains(pod.Status.PodIP, ":") {
		ep.Addresses = append(ep.Addresses, pod.Status.PodIP)
	}
	if pod.Spec.NodeName != "" {
		ep.NodeName = ptr.To(pod.Spec.NodeName)
	}
	if endpointutil.ShouldSetHostname(pod, svc) {
		ep.Hostname = ptr.To(pod.Spec.Hostname)
	}
	return ep
}

// endpointPorts is utils.go getEndpointPorts: one port per Service port the pod has.
func endpointPorts(svc *corev1.Service, pod *corev1.Pod) []discoveryv1.EndpointPort {
	out := []discoveryv1.EndpointPort{}
	if len(svc.Spec.Ports) == 0 && svc.Spec.ClusterIP == corev1.ClusterIPNone {
		return out
	}
	for i := range svc.Spec.Ports {
		sp := &svc.Spec.Ports[i]
		n, err := endpointutil.FindPort(pod, sp)
		if err != nil {
			continue
		}
		out = append(out, discoveryv1.EndpointPort{Name: ptr.To(sp.Name), Port: ptr.To(int32(n)),
			Protocol: ptr.To(sp.Protocol), AppProtocol: sp.AppProtocol})
	}
	return out
}

// newSlice is utils.go newEndpointSlice: named by generateName "<service>-", owned by the Service.
func newSlice(svc *corev1.Service, ports []discoveryv1.EndpointPort, addressType discoveryv1.AddressType) *discoveryv1.EndpointSlice {
	s := &discoveryv1.EndpointSlice{
		ObjectMeta: metav1.ObjectMeta{
			Labels:          map[string]string{},
			GenerateName:    slicePrefix(svc.Name),
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(svc, corev1.SchemeGroupVersion.WithKind("Service"))},
			Namespace:       svc.Namespace,
		},
		Ports:       ports,
		AddressType: addressType,
		Endpoints:   []discoveryv1.Endpoint{},
	}
	s.Labels, _ = sliceLabels(s, svc)
	return s
}

// slicePrefix is "<service>-", or the bare name where the dash would make the prefix invalid.
func slicePrefix(name string) string {
	prefix := name + "-"
	if len(apimachineryvalidation.NameIsDNSSubdomain(prefix, true)) != 0 {
		return name
	}
	return prefix
}

// sliceLabels is utils.go setEndpointSliceLabels: the Service's labels, the headless mark, the
// service name and the manager; and whether the copied labels changed.
func sliceLabels(s *discoveryv1.EndpointSlice, svc *corev1.Service) (map[string]string, bool) {
	reserved := func(k string) bool {
		return k == discoveryv1.LabelServiceName || k == discoveryv1.LabelManagedBy || k == corev1.IsHeadlessService
	}
	have, want := map[string]string{}, map[string]string{}
	for k, v := range s.Labels {
		if !reserved(k) {
			have[k] = v
		}
	}
	for k, v := range svc.Labels {
		if !reserved(k) {
			want[k] = v
		}
	}
	changed := !apiequality.Semantic.DeepEqual(have, want)
	if svc.Spec.ClusterIP == corev1.ClusterIPNone || svc.Spec.ClusterIP == "" {
		want[corev1.IsHeadlessService] = ""
	}
	want[discoveryv1.LabelServiceName] = svc.Name
	want[discoveryv1.LabelManagedBy] = ManagedBy
	return want, changed
}

// isPlaceholder compares a slice with the placeholder as reconciler.go placeholderSliceCompare
// does: same namespace, labels, owners and contents.
func isPlaceholder(s, placeholder *discoveryv1.EndpointSlice) bool {
	if s.Namespace != placeholder.Namespace || !apiequality.Semantic.DeepEqual(s.Labels, placeholder.Labels) {
		return false
	}
	if len(s.OwnerReferences) != len(placeholder.OwnerReferences) {
		return false
	}
	for i := range s.OwnerReferences {
		if s.OwnerReferences[i].String() != placeholder.OwnerReferences[i].String() {
			return false
		}
	}
	return s.AddressType == placeholder.AddressType && len(s.Ports) == 0 && len(s.Endpoints) == 0
}

// equalBeyondAddresses is util EndpointsEqualBeyondHash: node, zone, conditions and target.
func equalBeyondAddresses(a, b discoveryv1.Endpoint) bool {
	return apiequality.Semantic.DeepEqual(a.NodeName, b.NodeName) && apiequality.Semantic.DeepEqual(a.Zone, b.Zone) &&
		apiequality.Semantic.DeepEqual(a.Conditions, b.Conditions) && equalRef(a.TargetRef, b.TargetRef)
}

func equalRef(a, b *corev1.ObjectReference) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	x.ResourceVersion, y.ResourceVersion = "", ""
	return x == y
}

// portsKey identifies a set of endpoint ports, whatever their order (util NewPortMapKey).
func portsKey(ports []discoveryv1.EndpointPort) string {
	parts := make([]string, 0, len(ports))
	for _, p := range ports {
		parts = append(parts, fmt.Sprintf("%s/%d/%s/%s", ptr.Deref(p.Name, "\x00"), ptr.Deref(p.Port, -1),
			ptr.Deref(p.Protocol, ""), ptr.Deref(p.AppProtocol, "\x00")))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// endpointSet holds the desired endpoints of one port set, keyed as util EndpointSet keys them
// (the addresses and the target), in the order they were inserted.
type endpointSet struct {
	ports []discoveryv1.EndpointPort
	list  []discoveryv1.Endpoint
	gone  []bool
	byKey map[string]int
	left  int
}

func endpointKey(ep discoveryv1.Endpoint) string {
	k := strings.Join(ep.Addresses, ",")
	if ep.TargetRef != nil {
		k += "/" + ep.TargetRef.Namespace + "/" + ep.TargetRef.Name
	}
	if ep.Hostname != nil {
		k += "/" + *ep.Hostname
	}
	return k
}

func (s *endpointSet) insert(ep discoveryv1.Endpoint) {
	if _, ok := s.byKey[endpointKey(ep)]; ok {
		return
	}
	s.byKey[endpointKey(ep)] = len(s.list)
	s.list = append(s.list, ep)
	s.gone = append(s.gone, false)
	s.left++
}

func (s *endpointSet) get(ep discoveryv1.Endpoint) (discoveryv1.Endpoint, bool) {
	i, ok := s.byKey[endpointKey(ep)]
	if !ok || s.gone[i] {
		return discoveryv1.Endpoint{}, false
	}
	return s.list[i], true
}

func (s *endpointSet) remove(ep discoveryv1.Endpoint) {
	if i, ok := s.byKey[endpointKey(ep)]; ok && !s.gone[i] {
		s.gone[i] = true
		s.left--
	}
}

func (s *endpointSet) len() int { return s.left }

// pop takes the first endpoint left (the real set pops any; the first keeps runs repeatable).
func (s *endpointSet) pop() discoveryv1.Endpoint {
	for i := range s.list {
		if !s.gone[i] {
			s.gone[i] = true
			s.left--
			return s.list[i]
		}
	}
	return discoveryv1.Endpoint{}
}

func sortedKeys(m map[string][]*discoveryv1.EndpointSlice) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func remove(list []string, s string) []string {
	out := list[:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range list {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
