package lesson

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
	"github.com/k8slearn/k8slearn/engine/realcluster"
	"github.com/k8slearn/k8slearn/locales"
)

// observation is one thing a real cluster was seen doing: an Event, or a pod's status written by
// its node.
type observation struct {
	// Who is the component as the quiz names it: a kubelet by its node ("kubelet/node-1"), a
	// controller by its name. A stand-in for the kubelet (kwok) counts as the kubelet.
	Who string
	// Line tells it, naming the component that really reported it.
	Line string
	// Routing: it changed where a Service sends traffic (a pod's readiness, an EndpointSlice or
	// Endpoints written), what a wait on a real cluster waits for.
	Routing bool
	// At is when it arrived.
	At time.Time
}

// observer follows a real cluster's lesson namespace through two watches, Events and pods, and
// keeps what arrived, in arrival order, until the lesson tells it.
type observer struct {
	c *realcluster.Cluster
	l *locales.Localizer

	mu      sync.Mutex
	queue   []observation // arrived, not yet told
	told    []observation
	last    time.Time // when the newest observation arrived
	arrived chan struct{}
	pods    map[string]podSeen // each pod as last seen
	counts  map[types.UID]int32
	routes  map[string]string // each EndpointSlice and Endpoints ("kind/name"), summed up as last seen

	now  func() time.Time
	stop chan struct{}
	wg   sync.WaitGroup
}

func newObserver(c *realcluster.Cluster, l *locales.Localizer, now func() time.Time) *observer {
	o := &observer{c: c, l: l, now: now, arrived: make(chan struct{}, 1), pods: map[string]podSeen{},
		counts: map[types.UID]int32{}, routes: map[string]string{}, stop: make(chan struct{}), last: now()}
	o.wg.Add(4)
	go o.follow("events", o.event)
	go o.follow("pods", o.pod)
	go o.follow("endpointslices", o.endpointSlice)
	go o.follow("endpoints", o.endpoints)
	return o
}

// close stops the watches.
func (o *observer) close() {
	close(o.stop)
	o.wg.Wait()
}

// follow lists resource in the namespace (what is there is not news), then watches it from that
// list, again after the server ends a watch, from a new list after it says the version is gone.
func (o *observer) follow(resource string, handle func(watch.EventType, runtime.Object, bool)) {
	defer o.wg.Done()
	rv := ""
	for {
		if rv == "" {
			objs, listRV, err := o.c.List(resource, o.c.Namespace(), realcluster.ListOptions{})
			if err == nil {
				for _, obj := range objs {
					handle(watch.Added, obj, false)
				}
				rv = listRV
			} else if o.pause() {
				return
			}
		}
		w, err := o.c.Watch(resource, o.c.Namespace(), realcluster.ListOptions{ResourceVersion: rv})
		if err != nil {
			if o.pause() {
				return
			}
			continue
		}
		if done := o.drain(w, &rv, handle); done {
			return
		}
	}
}

// drain handles one watch's events until it ends; done when the observer stops.
func (o *observer) drain(w watch.Interface, rv *string, handle func(watch.EventType, runtime.Object, bool)) (done bool) {
	defer w.Stop()
	for {
		select {
		case <-o.stop:
			return true
		case ev, ok := <-w.ResultChan():
			if !ok {
				return false
			}
			if ev.Type == watch.Error {
				*rv = "" // too old: list again
				return false
			}
			if m, err := meta.Accessor(ev.Object); err == nil {
				*rv = m.GetResourceVersion()
			}
			handle(ev.Type, ev.Object, true)
		}
	}
}

// pause waits a second before trying again; true when the observer stops meanwhile.
func (o *observer) pause() bool {
	select {
	case <-o.stop:
		return true
	case <-time.After(time.Second):
		return false
	}
}

func (o *observer) push(ob observation) {
	ob.At = o.now()
	o.queue = append(o.queue, ob)
	o.last = ob.At
	select {
	case o.arrived <- struct{}{}:
	default:
	}
}

// event turns an Event into an observation: who reported what about which object.
func (o *observer) event(typ watch.EventType, obj runtime.Object, news bool) {
	ev, ok := obj.(*corev1.Event)
	if !ok || typ == watch.Deleted {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	count := max(ev.Count, 1)
	if ev.Series != nil {
		count = max(count, ev.Series.Count)
	}
	before, seen := o.counts[ev.UID]
	o.counts[ev.UID] = count
	if !news || (seen && count <= before) {
		return
	}
	reporter := ev.ReportingController
	if reporter == "" {
		reporter = ev.Source.Component
	}
	host := ev.Source.Host
	if host == "" && ev.InvolvedObject.Kind == "Pod" && nodeAgent(reporter) {
		host = o.nodeOf(ev.InvolvedObject.Name)
	}
	actor := reporter
	if reporter == "kubelet" && host != "" {
		actor = "kubelet/" + host
	}
	data := map[string]any{"Actor": actor, "Reason": ev.Reason, "Object": strings.ToLower(ev.InvolvedObject.Kind) + "/" + ev.InvolvedObject.Name,
		"Message": strings.TrimSpace(ev.Message), "Count": count}
	id := "real.observed.event"
	if seen {
		id = "real.observed.event_again"
	}
	who := quizName(reporter, host)
	if runtimeReason(ev.Reason) && strings.HasPrefix(who, "kubelet") {
		// The container runtime did this; the kubelet, which asked it over CRI, reports it.
		who = "containerd" + strings.TrimPrefix(who, "kubelet")
	}
	o.push(observation{Who: who, Line: o.l.T(id, data)})
}

// nodeOf is the node of a pod last seen bound ("" when unknown). Called with mu held.
func (o *observer) nodeOf(pod string) string { return o.pods[pod].node }

// podSeen is a pod as kubectl get pods shows it: its node, and its STATUS and READY columns.
type podSeen struct{ node, status, ready string }

// readyColumn is kubectl's READY column: ready containers of all containers.
func readyColumn(p *corev1.Pod) string {
	ready := 0
	for _, cs := range p.Status.ContainerStatuses {
		if cs.Ready {
			ready++
		}
	}
	return fmt.Sprintf("%d/%d", ready, len(p.Spec.Containers))
}

// pod turns a change of a bound pod's STATUS column, or else of its READY column, into an
// observation of its node's kubelet (or of whoever wrote the status, by the pod's managedFields).
func (o *observer) pod(typ watch.EventType, obj runtime.Object, news bool) {
	p, ok := obj.(*corev1.Pod)
	if !ok {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if typ == watch.Deleted {
		delete(o.pods, p.Name)
		return
	}
	now := podSeen{node: p.Spec.NodeName, status: printers.PodStatus(p), ready: readyColumn(p)}
	before, seen := o.pods[p.Name]
	o.pods[p.Name] = now
	if !news || !seen || p.Spec.NodeName == "" || before == now || p.DeletionTimestamp != nil {
		return
	}
	writer := statusWriter(p)
	actor := writer
	if writer == "kubelet" {
		actor = "kubelet/" + p.Spec.NodeName
	}
	switch {
	case before.status != now.status:
		o.push(observation{Who: quizName(writer, p.Spec.NodeName), Line: o.l.T("real.observed.pod_status",
			map[string]any{"Actor": actor, "Pod": p.Name, "From": before.status, "To": now.status})})
	case before.ready != now.ready && before.node == now.node:
		// Running either way: a readiness probe passed or failed (what a Service's endpoints follow).
		o.push(observation{Who: quizName(writer, p.Spec.NodeName), Routing: true, Line: o.l.T("real.observed.pod_ready",
			map[string]any{"Actor": actor, "Pod": p.Name, "From": before.ready, "To": now.ready})})
	}
}

// endpointSlice turns a change of an EndpointSlice's endpoints into an observation of the
// controller that manages it (its endpointslice.kubernetes.io/managed-by label): the
// endpointslice-controller reports no Event for its writes.
func (o *observer) endpointSlice(typ watch.EventType, obj runtime.Object, news bool) {
	s, ok := obj.(*discoveryv1.EndpointSlice)
	if !ok {
		return
	}
	ready := 0
	for _, e := range s.Endpoints {
		if e.Conditions.Ready != nil && *e.Conditions.Ready {
			ready++
		}
	}
	who := strings.TrimSuffix(s.Labels[discoveryv1.LabelManagedBy], ".k8s.io")
	data := map[string]any{"Actor": who, "Kind": "EndpointSlice", "Name": s.Name, "Service": s.Labels[discoveryv1.LabelServiceName],
		"Ready": ready, "Count": len(s.Endpoints)}
	o.route(typ, "endpointslice/"+s.Name, fmt.Sprintf("%d/%d", ready, len(s.Endpoints)), who, data, news)
}

// endpoints does the same for the Endpoints the endpoint-controller writes (deprecated since
// v1.33, still written).
func (o *observer) endpoints(typ watch.EventType, obj runtime.Object, news bool) {
	e, ok := obj.(*corev1.Endpoints)
	if !ok {
		return
	}
	ready, count := 0, 0
	for _, ss := range e.Subsets {
		ready += len(ss.Addresses)
		count += len(ss.Addresses) + len(ss.NotReadyAddresses)
	}
	// endpoints_controller.go LabelManagedBy: the Endpoints the controller keeps for a Service.
	who := e.Labels["endpoints.kubernetes.io/managed-by"]
	data := map[string]any{"Actor": who, "Kind": "Endpoints", "Name": e.Name, "Service": e.Name, "Ready": ready, "Count": count}
	o.route(typ, "endpoints/"+e.Name, fmt.Sprintf("%d/%d", ready, count), who, data, news)
}

// route records what an EndpointSlice or Endpoints says now, and tells a change a controller
// wrote. A slice or Endpoints nobody manages (written by hand) is not a component's action.
func (o *observer) route(typ watch.EventType, key, summary, who string, data map[string]any, news bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if typ == watch.Deleted {
		delete(o.routes, key)
		return
	}
	before, seen := o.routes[key]
	o.routes[key] = summary
	if !news || who == "" || (seen && before == summary) {
		return
	}
	o.push(observation{Who: who, Routing: true, Line: o.l.T("real.observed.endpoints", data)})
}

// statusWriter is who wrote the pod's status last, by its managedFields: "kubelet" on a real node,
// the simulator's name on a simulated one; "kubelet" when the server keeps no managedFields.
func statusWriter(p *corev1.Pod) string {
	var newest string
	var at time.Time
	for _, f := range p.ManagedFields {
		if f.Subresource != "status" || f.Time == nil {
			continue
		}
		if newest == "" || !f.Time.Time.Before(at) {
			newest, at = f.Manager, f.Time.Time
		}
	}
	if newest == "" {
		return "kubelet"
	}
	return newest
}

// runtimeReason: an Event a kubelet records for what the container runtime did (k8s.io/kubernetes
// v1.37.2 pkg/kubelet/events/event.go: PulledImage, CreatedContainer, StartedContainer).
func runtimeReason(reason string) bool {
	return reason == "Pulled" || reason == "Created" || reason == "Started"
}

// nodeAgent: the kubelet, or kwok, which plays the kubelet on simulated nodes.
func nodeAgent(name string) bool { return name == "kubelet" || strings.HasPrefix(name, "kwok") }

// quizName is how the quiz names a reporter: a node's agent as that node's kubelet.
func quizName(reporter, node string) string {
	if !nodeAgent(reporter) {
		return reporter
	}
	if node == "" {
		return "kubelet"
	}
	return "kubelet/" + node
}

// pop takes the oldest observation not yet told.
func (o *observer) pop() (observation, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.queue) == 0 {
		return observation{}, false
	}
	ob := o.queue[0]
	o.queue = o.queue[1:]
	o.told = append(o.told, ob)
	return ob, true
}

// skipQueued counts what arrived and was not told, and takes it as told without telling it: what
// a kubectl command that waited (rollout status) saw happen meanwhile.
func (o *observer) skipQueued() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := len(o.queue)
	o.told = append(o.told, o.queue...)
	o.queue = nil
	return n
}

// head is the oldest observation not yet told.
func (o *observer) head() (observation, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.queue) == 0 {
		return observation{}, false
	}
	return o.queue[0], true
}

// quietFor is how long nothing has arrived.
func (o *observer) quietFor() time.Duration {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.now().Sub(o.last)
}

// snapshot copies what was told and what waits.
func (o *observer) snapshot() (told, queued []observation) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]observation(nil), o.told...), append([]observation(nil), o.queue...)
}

// matches reports whether an observation is the component a lesson's step waits for: its name,
// its kind ("kubelet" for any node's), or a short form the sandbox accepts.
func matches(who, want string) bool {
	want = strings.ToLower(want)
	switch want {
	case "scheduler", "kube-scheduler":
		want = "default-scheduler"
	case "deployment", "deploy":
		want = "deployment-controller"
	case "replicaset", "rs":
		want = "replicaset-controller"
	case "runtime":
		want = "containerd"
	}
	kind, node, _ := strings.Cut(who, "/")
	return who == want || kind == want || (node != "" && node == want)
}

// sortedKinds lists the kinds of the names, once each, sorted.
func sortedKinds(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		k, _, _ := strings.Cut(n, "/")
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
