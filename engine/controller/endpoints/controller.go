// Package endpoints is the miniature Endpoints controller: for every Service with a selector it
// writes one Endpoints object, named after the Service, listing the selected pods' addresses as
// ready or not ready, in the shape of kube-controller-manager's pkg/controller/endpoint
// (endpoints_controller.go, kubernetes v1.37.2). The v1 Endpoints API is deprecated since v1.33 in
// favour of EndpointSlices, but the controller still runs and kubectl get endpoints still works.
package endpoints

import (
	"bytes"
	"fmt"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/controller/endpointutil"
	"github.com/k8slearn/k8slearn/engine/events"
	"github.com/k8slearn/k8slearn/engine/informer"
	"github.com/k8slearn/k8slearn/engine/work"
)

const (
	// Name is the controller's name, as its events' source and the trace show it
	// (endpoints_controller.go ControllerName).
	Name = "endpoint-controller"
	// LabelManagedBy marks the Endpoints it manages (endpoints_controller.go LabelManagedBy).
	LabelManagedBy = "endpoints.kubernetes.io/managed-by"
	// maxCapacity is the most addresses one Endpoints object holds.
	maxCapacity = 1000
	// overCapacity is the value of the endpoints.kubernetes.io/over-capacity annotation.
	overCapacity = "truncated"
)

// Controller reconciles the Endpoints of Services.
type Controller struct {
	client   *apiserver.Client
	clock    clock.Clock
	rec      *events.Recorder
	queue    *work.Queue
	svcInf   *informer.Informer
	podInf   *informer.Informer
	epInf    *informer.Informer
	triggers *endpointutil.TriggerTimes
}

// New starts the controller's informers; the Services present at start are synced at once.
func New(api *apiserver.Server, clk clock.Clock, agenda *work.Agenda) (*Controller, error) {
	c := &Controller{client: api.Client(Name), clock: clk, queue: agenda.NewQueue(Name), triggers: endpointutil.NewTriggerTimes()}
	c.rec = events.NewRecorder(c.client, clk, Name, "")
	var err error
	if c.svcInf, c.podInf, err = endpointutil.WatchServicesAndPods(c.client, c.enqueue); err != nil {
		return nil, err
	}
	// Only deletions wake the controller: someone removed Endpoints it keeps.
	c.epInf, err = informer.New(c.client, "endpoints", "", apiserver.ListOptions{}, informer.Handlers{
		OnDelete: func(o runtime.Object, ev informer.Event) { c.enqueue(informer.KeyOf(o), ev, o) },
	}, nil)
	if err != nil {
		return nil, err
	}
	for _, it := range c.queue.Items() {
		c.queue.Remove(it.Key)
		_ = c.syncService(it.Key)
	}
	return c, nil
}

func (c *Controller) enqueue(key string, ev informer.Event, obj runtime.Object) {
	ns, name := informer.SplitKey(informer.KeyOf(obj))
	c.queue.Add(key, c.clock.Now(), work.Trigger{Kind: work.Watch, EventType: string(ev.Type), Resource: ev.Resource,
		Namespace: ns, Name: name, Revision: ev.Revision})
}

// Name implements component.Component.
func (c *Controller) Name() string { return Name }

// Informers implements component.Component.
func (c *Controller) Informers() []*informer.Informer {
	return []*informer.Informer{c.svcInf, c.podInf, c.epInf}
}

// Queue implements component.Component.
func (c *Controller) Queue() *work.Queue { return c.queue }

// Process syncs one Service's Endpoints.
func (c *Controller) Process(it work.Item) component.Result {
	if err := c.syncService(it.Key); err != nil {
		return component.Result{Notes: []component.Note{{ID: "trace.note.sync_error", Args: map[string]any{"Error": err.Error()}}}}
	}
	return component.Result{}
}

// syncService is endpoints_controller.go syncService.
func (c *Controller) syncService(key string) error {
	ns, name := informer.SplitKey(key)
	obj, ok := c.svcInf.Get(key)
	if !ok {
		_, err := c.client.Delete("endpoints", ns, name, apiserver.DeleteOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			return err
		}
		c.triggers.Forget(ns, name)
		return nil
	}
	svc := obj.(*corev1.Service)
	if svc.Spec.Type == corev1.ServiceTypeExternalName || svc.Spec.Selector == nil {
		return nil
	}
	pods := endpointutil.SelectedPods(c.podInf, svc)
	trigger := c.triggers.Compute(svc, pods)

	var subsets []corev1.EndpointSubset
	for _, pod := range pods {
		if !endpointutil.ShouldPodBeInEndpoints(pod, svc.Spec.PublishNotReadyAddresses) {
			continue
		}
		addr, ok := podAddress(pod)
		if !ok {
			continue
		}
		if endpointutil.ShouldSetHostname(pod, svc) {
			addr.Hostname = pod.Spec.Hostname
		}
		ready := svc.Spec.PublishNotReadyAddresses || endpointutil.IsPodReady(pod)
		if len(svc.Spec.Ports) == 0 {
			if svc.Spec.ClusterIP == corev1.ClusterIPNone {
				subsets = append(subsets, subset(addr, nil, ready))
			}
			continue
		}
		for i := range svc.Spec.Ports {
			sp := &svc.Spec.Ports[i]
			n, err := endpointutil.FindPort(pod, sp)
			if err != nil {
				continue
			}
			subsets = append(subsets, subset(addr, &corev1.EndpointPort{Name: sp.Name, Port: int32(n), Protocol: sp.Protocol, AppProtocol: sp.AppProtocol}, ready))
		}
	}
	subsets = repack(subsets)

	var current *corev1.Endpoints
	if o, ok := c.epInf.Get(key); ok {
		current = o.(*corev1.Endpoints)
	} else {
		current = &corev1.Endpoints{ObjectMeta: metav1.ObjectMeta{Name: svc.Name, Labels: svc.Labels}}
	}
	create := current.ResourceVersion == ""
	if !create && apiequality.Semantic.DeepEqual(current.Subsets, subsets) &&
		labelsCorrect(current.Labels, svc.Labels) && current.Annotations[corev1.EndpointsOverCapacity] == "" {
		return nil
	}
	ep := current.DeepCopy()
	ep.Subsets = subsets
	ep.Labels = map[string]string{}
	for k, v := range svc.Labels {
		ep.Labels[k] = v
	}
	if ep.Annotations == nil {
		ep.Annotations = map[string]string{}
	}
	if !trigger.IsZero() {
		ep.Annotations[corev1.EndpointsLastChangeTriggerTime] = trigger.UTC().Format(time.RFC3339Nano)
	} else {
		delete(ep.Annotations, corev1.EndpointsLastChangeTriggerTime)
	}
	if truncate(ep) {
		ep.Annotations[corev1.EndpointsOverCapacity] = overCapacity
	} else {
		delete(ep.Annotations, corev1.EndpointsOverCapacity)
	}
	if svc.Spec.ClusterIP == corev1.ClusterIPNone || svc.Spec.ClusterIP == "" {
		ep.Labels[corev1.IsHeadlessService] = ""
	} else {
		delete(ep.Labels, corev1.IsHeadlessService)
	}
	ep.Labels[LabelManagedBy] = Name
	var err error
	if create {
		_, err = c.client.Create("endpoints", svc.Namespace, ep)
	} else {
		_, err = c.client.Update("endpoints", svc.Namespace, ep)
	}
	if err != nil {
		if create && apierrors.HasStatusCause(err, corev1.NamespaceTerminatingCause) {
			return nil
		}
		// endpoints_controller.go syncService
		if create {
			c.rec.Eventf(ep, corev1.EventTypeWarning, "FailedToCreateEndpoint", "Failed to create endpoint for service %v/%v: %v", svc.Namespace, svc.Name, err)
		} else {
			c.rec.Eventf(ep, corev1.EventTypeWarning, "FailedToUpdateEndpoint", "Failed to update endpoint %v/%v: %v", svc.Namespace, svc.Name, err)
		}
		return err
	}
	return nil
}

// podAddress is podToEndpointAddressForService for a single-stack IPv4 Service.
func podAddress(pod *corev1.Pod) (corev1.EndpointAddress, bool) {
	ip := pod.Status.PodIP
	for _, p := range pod.Status.PodIPs {
		if !bytes.ContainsRune([]byte(p.IP), ':') {
			ip = p.IP
			break
		}
	}
	if ip == "" {
		return corev1.EndpointAddress{}, false
	}
	node := pod.Spec.NodeName
	return corev1.EndpointAddress{IP: ip, NodeName: &node,
		TargetRef: &corev1.ObjectReference{Kind: "Pod", Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID}}, true
}

func subset(addr corev1.EndpointAddress, port *corev1.EndpointPort, ready bool) corev1.EndpointSubset {
	ports := []corev1.EndpointPort{}
	if port != nil {
		ports = append(ports, *port)
	}
	if ready {
		return corev1.EndpointSubset{Addresses: []corev1.EndpointAddress{addr}, Ports: ports}
	}
	return corev1.EndpointSubset{NotReadyAddresses: []corev1.EndpointAddress{addr}, Ports: ports}
}

// repack is pkg/api/v1/endpoints RepackSubsets: one subset per group of ports that share exactly
// the same addresses (with the same readiness), addresses sorted by IP then uid. Subsets are
// ordered by their first port here where the real one orders them by a hash.
func repack(subsets []corev1.EndpointSubset) []corev1.EndpointSubset {
	type entry struct {
		addr  corev1.EndpointAddress
		ready bool
	}
	byPort := map[corev1.EndpointPort]map[string]entry{}
	var ports []corev1.EndpointPort
	add := func(port corev1.EndpointPort, addrs []corev1.EndpointAddress, ready bool) {
		m := byPort[port]
		if m == nil {
			m = map[string]entry{}
			byPort[port] = m
			ports = append(ports, port)
		}
		for _, a := range addrs {
			k := a.IP
			if a.TargetRef != nil {
				k += "/" + string(a.TargetRef.UID)
			}
			if was, ok := m[k]; !ok || was.ready {
				m[k] = entry{addr: a, ready: ready}
			}
		}
	}
	for _, ss := range subsets {
		list := ss.Ports
		if len(list) == 0 {
			list = []corev1.EndpointPort{{Port: -1}} // no ports: a headless Service
		}
		for _, p := range list {
			add(p, ss.Addresses, true)
			add(p, ss.NotReadyAddresses, false)
		}
	}
	type group struct {
		key   string
		ports []corev1.EndpointPort
		set   map[string]entry
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, p := range ports {
		set := byPort[p]
		keys := make([]string, 0, len(set))
		for k, e := range set {
			keys = append(keys, fmt.Sprintf("%s=%t", k, e.ready))
		}
		sort.Strings(keys)
		k := fmt.Sprint(keys)
		g := byKey[k]
		if g == nil {
			g = &group{key: k, set: set}
			byKey[k] = g
			groups = append(groups, g)
		}
		if p.Port > 0 {
			g.ports = append(g.ports, p)
		}
	}
	var out []corev1.EndpointSubset // none: nil, as it reads back from etcd
	for _, g := range groups {
		var ss corev1.EndpointSubset
		for _, e := range g.set {
			if e.ready {
				ss.Addresses = append(ss.Addresses, e.addr)
			} else {
				ss.NotReadyAddresses = append(ss.NotReadyAddresses, e.addr)
			}
		}
		sortAddresses(ss.Addresses)
		sortAddresses(ss.NotReadyAddresses)
		sort.Slice(g.ports, func(i, j int) bool {
			if g.ports[i].Name != g.ports[j].Name {
				return g.ports[i].Name < g.ports[j].Name
			}
			return g.ports[i].Port < g.ports[j].Port
		})
		ss.Ports = g.ports
		out = append(out, ss)
	}
	return out
}

// sortAddresses orders by IP (as bytes) then uid (LessEndpointAddress).
func sortAddresses(a []corev1.EndpointAddress) {
	sort.Slice(a, func(i, j int) bool {
		if c := bytes.Compare([]byte(a[i].IP), []byte(a[j].IP)); c != 0 {
			return c < 0
		}
		if a[j].TargetRef == nil {
			return false
		}
		if a[i].TargetRef == nil {
			return true
		}
		return a[i].TargetRef.UID < a[j].TargetRef.UID
	})
}

// labelsCorrect: the Endpoints carry exactly the Service's labels besides the controller's own.
func labelsCorrect(have, svc map[string]string) bool {
	if have[LabelManagedBy] != Name {
		return false
	}
	skipped := 0
	for k, v := range have {
		if k == corev1.IsHeadlessService || k == LabelManagedBy {
			skipped++
		} else if sv, ok := svc[k]; !ok || sv != v {
			return false
		}
	}
	return len(svc) == len(have)-skipped
}

// truncate keeps at most maxCapacity addresses, ready ones first (truncateEndpoints), and
// reports whether it dropped any.
func truncate(ep *corev1.Endpoints) bool {
	ready, notReady := 0, 0
	for _, ss := range ep.Subsets {
		ready += len(ss.Addresses)
		notReady += len(ss.NotReadyAddresses)
	}
	if ready+notReady <= maxCapacity {
		return false
	}
	room := maxCapacity
	for i := range ep.Subsets {
		ss := &ep.Subsets[i]
		if len(ss.Addresses) > room {
			ss.Addresses = ss.Addresses[:room]
		}
		room -= len(ss.Addresses)
	}
	for i := range ep.Subsets {
		ss := &ep.Subsets[i]
		if len(ss.NotReadyAddresses) > room {
			ss.NotReadyAddresses = ss.NotReadyAddresses[:room]
		}
		room -= len(ss.NotReadyAddresses)
	}
	return true
}
