// Package nodelifecycle is the miniature node lifecycle controller of kube-controller-manager
// (k8s.io/kubernetes v1.37.2 pkg/controller/nodelifecycle/node_lifecycle_controller.go). It
// watches the kubelets' heartbeats — their Leases in kube-node-lease and the heartbeat times of
// their node status — and when a node has been silent for longer than the grace period it marks
// the node's conditions Unknown, records NodeNotReady, marks the node's pods not ready and taints
// the node node.kubernetes.io/unreachable:NoExecute (the taint-eviction controller then evicts the
// pods whose toleration runs out). It keeps the condition taints (NoSchedule) in step with the
// node's conditions and spec.unschedulable, takes the NoExecute taints off a node that is Ready
// again, and stops evicting when every node is down (full disruption: the fault is more likely
// the control plane's than the nodes').
//
// The real controller checks every node every nodeMonitorPeriod (5 s). This one schedules a
// node's check for the first 5 s tick at which its grace period can have run out, and moves it
// each time it hears from the kubelet: what can be observed (the times, rounded to the 5 s ticks,
// at which conditions change, taints come and go and events are recorded) is the same, without a
// step every 5 s per node.
package nodelifecycle

import (
	"fmt"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/controller"
	"github.com/k8slearn/k8slearn/engine/events"
	"github.com/k8slearn/k8slearn/engine/informer"
	"github.com/k8slearn/k8slearn/engine/work"
)

// Name is the controller's name in kube-controller-manager (cmd/kube-controller-manager/names).
const Name = "node-lifecycle-controller"

// eventSource is the component its events name (NewNodeLifecycleController's recorder).
const eventSource = "node-controller"

// The controller's settings, kube-controller-manager's defaults in v1.37
// (pkg/controller/nodelifecycle/config/v1alpha1/defaults.go, --node-eviction-rate).
const (
	MonitorPeriod      = 5 * time.Second
	MonitorGracePeriod = 50 * time.Second
	// evictionInterval is 1 / --node-eviction-rate (0.1 nodes per second): the NoExecute taints of
	// a zone's nodes are added at most one every 10 s.
	evictionInterval = 10 * time.Second
	// excludeDisruptionLabel keeps a node out of the disruption count.
	excludeDisruptionLabel = "node.kubernetes.io/exclude-disruption"
)

// Key prefixes of the controller's queue.
const (
	checkKey      = "check:"      // timer: the node's health check
	noScheduleKey = "noschedule:" // work: keep the condition taints in step (doNoScheduleTaintingPass)
	noExecuteKey  = "noexecute:"  // timer: the NoExecute tainting pass (doNoExecuteTaintingPass)
)

var (
	unreachableTaint = corev1.Taint{Key: corev1.TaintNodeUnreachable, Effect: corev1.TaintEffectNoExecute}
	notReadyTaint    = corev1.Taint{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoExecute}
)

// health is what the controller last heard from a node's kubelet.
type health struct {
	probe     time.Time // the monitor tick at which it last heard from the kubelet
	renewTime time.Time // the Lease renewTime it last saw
	heartbeat time.Time // the Ready condition's lastHeartbeatTime it last saw
	// checked is the Ready status the last check left: a node whose status has changed since
	// (its kubelet is back) is checked at the next tick, which may end a full disruption.
	checked corev1.ConditionStatus
}

// Controller watches nodes' health.
type Controller struct {
	client   *apiserver.Client
	clock    clock.Clock
	rec      *events.Recorder
	queue    *work.Queue
	nodeInf  *informer.Informer
	leaseInf *informer.Informer
	podInf   *informer.Informer

	start          time.Time // the first monitor tick
	health         map[string]*health
	fullDisruption bool
	nextTaint      time.Time // when the zone's rate limiter allows the next NoExecute taint
	// notes are what the item being processed did beyond its writes.
	notes []component.Note
}

// New starts the controller's informers and makes its first pass over the nodes, as the real
// controller's first monitor pass does: each is registered (event RegisteredNode) and its
// heartbeats noted.
func New(api *apiserver.Server, clk clock.Clock, agenda *work.Agenda) (*Controller, error) {
	c := &Controller{client: api.Client(Name), clock: clk, queue: agenda.NewQueue(Name), start: clk.Now(), health: map[string]*health{}}
	c.rec = events.NewRecorder(c.client, clk, eventSource, "")
	var err error
	c.nodeInf, err = informer.New(c.client, "nodes", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd: func(o runtime.Object, ev informer.Event) { c.nodeChanged(nil, o.(*corev1.Node), ev) },
		OnUpdate: func(old, o runtime.Object, ev informer.Event) {
			c.nodeChanged(old.(*corev1.Node), o.(*corev1.Node), ev)
		},
		OnDelete: func(o runtime.Object, _ informer.Event) { c.nodeDeleted(o.(*corev1.Node)) },
	}, nil)
	if err != nil {
		return nil, err
	}
	c.leaseInf, err = informer.New(c.client, "leases", corev1.NamespaceNodeLease, apiserver.ListOptions{}, informer.Handlers{
		OnAdd:    func(o runtime.Object, _ informer.Event) { c.leaseChanged(o.(*coordinationv1.Lease)) },
		OnUpdate: func(_, o runtime.Object, _ informer.Event) { c.leaseChanged(o.(*coordinationv1.Lease)) },
	}, nil)
	if err != nil {
		return nil, err
	}
	c.podInf, err = informer.New(c.client, "pods", "", apiserver.ListOptions{}, informer.Handlers{}, controller.PodNodeNameIndexers())
	if err != nil {
		return nil, err
	}
	for _, o := range c.nodeInf.List() {
		n := o.(*corev1.Node)
		c.rec.NodeEvent(n, corev1.EventTypeNormal, "RegisteredNode", fmt.Sprintf("Node %s event: Registered Node %s in Controller", n.Name, n.Name))
	}
	for _, o := range c.leaseInf.List() {
		c.leaseChanged(o.(*coordinationv1.Lease))
	}
	for _, o := range c.nodeInf.List() {
		n := o.(*corev1.Node)
		c.noteHeartbeat(n)
		c.healthOf(n.Name).checked = readyStatus(n)
		c.schedule(n.Name)
	}
	return c, nil
}

// Name implements component.Component.
func (c *Controller) Name() string { return Name }

// Informers implements component.Component.
func (c *Controller) Informers() []*informer.Informer {
	return []*informer.Informer{c.nodeInf, c.leaseInf, c.podInf}
}

// Queue implements component.Component.
func (c *Controller) Queue() *work.Queue { return c.queue }

// tick is the first monitor tick at or after t.
func (c *Controller) tick(t time.Time) time.Time {
	if !t.After(c.start) {
		return c.start
	}
	n := (t.Sub(c.start) + MonitorPeriod - 1) / MonitorPeriod
	return c.start.Add(n * MonitorPeriod)
}

// heard notes a sign of life at time t: the monitor pass that sees it is the first tick at or
// after t (and after now: the controller learns of it now).
func (c *Controller) heard(node string, t time.Time) {
	h := c.healthOf(node)
	if now := c.clock.Now(); t.Before(now) {
		t = now
	}
	if p := c.tick(t); p.After(h.probe) {
		h.probe = p
	}
}

func (c *Controller) healthOf(node string) *health {
	h := c.health[node]
	if h == nil {
		h = &health{}
		c.health[node] = h
	}
	return h
}

func (c *Controller) leaseChanged(l *coordinationv1.Lease) {
	if l.Spec.RenewTime == nil {
		return
	}
	h := c.healthOf(l.Name)
	if !l.Spec.RenewTime.Time.After(h.renewTime) {
		return
	}
	h.renewTime = l.Spec.RenewTime.Time
	c.heard(l.Name, h.renewTime)
	c.schedule(l.Name)
}

// noteHeartbeat takes a new lastHeartbeatTime of the node's Ready condition as a sign of life.
func (c *Controller) noteHeartbeat(n *corev1.Node) bool {
	ready := readyCondition(n)
	if ready == nil {
		return false
	}
	h := c.healthOf(n.Name)
	if !ready.LastHeartbeatTime.Time.After(h.heartbeat) {
		return false
	}
	h.heartbeat = ready.LastHeartbeatTime.Time
	c.heard(n.Name, h.heartbeat)
	return true
}

func (c *Controller) nodeChanged(old, n *corev1.Node, ev informer.Event) {
	_, known := c.health[n.Name]
	if c.noteHeartbeat(n) || !known || old == nil {
		c.schedule(n.Name)
	}
	if needsNoScheduleSync(n) {
		c.queue.Add(noScheduleKey+n.Name, c.clock.Now(), work.Trigger{Kind: work.Watch, EventType: string(ev.Type),
			Resource: ev.Resource, Name: n.Name, Revision: ev.Revision})
	}
}

func (c *Controller) nodeDeleted(n *corev1.Node) {
	delete(c.health, n.Name)
	c.queue.CancelTimer(checkKey + n.Name)
	c.queue.CancelTimer(noExecuteKey + n.Name)
	c.queue.Remove(noScheduleKey + n.Name)
}

// schedule sets the node's next check: the first tick after its grace period runs out, or the
// next tick when a Ready node still carries a NoExecute taint to take off. A node already marked
// silent needs no check until its kubelet is heard from again.
func (c *Controller) schedule(node string) {
	if c.nodeInf == nil || c.leaseInf == nil {
		return // still starting: New schedules every node once the caches are full
	}
	if obj, ok := c.nodeInf.Get(node); ok {
		c.scheduleNode(obj.(*corev1.Node))
	}
}

// scheduleNode is schedule for a node as it is now (the cache may not have the controller's own
// last write yet).
func (c *Controller) scheduleNode(n *corev1.Node) {
	node := n.Name
	h := c.healthOf(node)
	ready := readyStatus(n)
	key := checkKey + node
	trig := work.Trigger{Note: "trigger.node_monitor", Args: map[string]any{"Node": node}}
	c.queue.CancelTimer(key)
	switch {
	case ready == corev1.ConditionTrue && (hasTaint(n, unreachableTaint) || hasTaint(n, notReadyTaint) || h.checked != ready):
		c.queue.AddTimer(key, c.tick(c.clock.Now()), trig)
	case ready == corev1.ConditionUnknown && !c.clock.Now().After(h.probe.Add(MonitorGracePeriod)):
		// Marked Unknown, but heard from since: the next check sees the node alive.
		c.queue.AddTimer(key, c.tick(c.clock.Now()), trig)
	case ready != corev1.ConditionUnknown:
		// A watchdog: it fires only if the kubelet falls silent, and each heartbeat moves it on.
		trig.Routine = true
		c.queue.AddTimer(key, c.tick(h.probe.Add(MonitorGracePeriod).Add(time.Nanosecond)), trig)
	}
}

// Process handles one check, tainting pass or NoSchedule sync.
func (c *Controller) Process(it work.Item) component.Result {
	c.notes = nil
	var node string
	var f func(*corev1.Node) error
	switch {
	case hasPrefix(it.Key, checkKey):
		node, f = it.Key[len(checkKey):], c.check
	case hasPrefix(it.Key, noExecuteKey):
		node, f = it.Key[len(noExecuteKey):], c.taintNoExecute
	case hasPrefix(it.Key, noScheduleKey):
		node, f = it.Key[len(noScheduleKey):], c.syncNoSchedule
	default:
		return component.Result{}
	}
	obj, ok := c.nodeInf.Get(node)
	if !ok {
		return component.Result{}
	}
	if err := f(obj.(*corev1.Node)); err != nil {
		c.notes = append(c.notes, component.Note{ID: "trace.note.sync_error", Args: map[string]any{"Error": err.Error()}})
	}
	return component.Result{Notes: c.notes}
}

func hasPrefix(s, p string) bool { return len(s) > len(p) && s[:len(p)] == p }

// check is one monitor pass over a node (monitorNodeHealth, tryUpdateNodeHealth,
// processTaintBaseEviction): past the grace period its conditions become Unknown; a Ready node
// loses its NoExecute taints, a silent one is queued for the unreachable taint; a node that just
// stopped being Ready gets NodeNotReady and its pods are marked not ready.
func (c *Controller) check(n *corev1.Node) error {
	now := c.clock.Now()
	h := c.healthOf(n.Name)
	observed := readyStatus(n)
	current := observed
	if now.After(h.probe.Add(MonitorGracePeriod)) && anyKnown(n) {
		updated, err := c.markUnknown(n, now)
		if err != nil {
			return err
		}
		n, current = updated, corev1.ConditionUnknown
		last := h.renewTime
		if h.heartbeat.After(last) {
			last = h.heartbeat
		}
		c.notes = append(c.notes, component.Note{ID: "trace.note.node_silent", Args: map[string]any{
			"Node": n.Name, "Since": last.Format("15:04:05"), "For": now.Sub(last).Round(time.Second).String(),
			"Grace": MonitorGracePeriod.String()}})
	}
	switch current {
	case corev1.ConditionFalse, corev1.ConditionUnknown:
		add, remove := unreachableTaint, notReadyTaint
		if current == corev1.ConditionFalse {
			add, remove = notReadyTaint, unreachableTaint
		}
		if hasTaint(n, remove) {
			// The other taint is already there: swap it straight away.
			if _, err := c.swapTaints(n.Name, []corev1.Taint{add}, []corev1.Taint{remove}); err != nil {
				return err
			}
		} else if !hasTaint(n, add) && !c.fullDisruption {
			c.queue.AddTimer(noExecuteKey+n.Name, now, work.Trigger{Note: "trigger.node_taint", Args: map[string]any{"Node": n.Name}})
		}
	case corev1.ConditionTrue:
		updated, err := c.markReachable(n)
		if err != nil {
			return err
		}
		n = updated
	}
	if observed == corev1.ConditionTrue && current != corev1.ConditionTrue {
		// controllerutil.RecordNodeStatusChange and MarkPodsNotReady
		// (pkg/controller/util/node/controller_utils.go).
		c.rec.NodeEvent(n, corev1.EventTypeNormal, "NodeNotReady", fmt.Sprintf("Node %s status is now: NodeNotReady", n.Name))
		if err := c.markPodsNotReady(n.Name, now); err != nil {
			return err
		}
	}
	h.checked = current
	c.handleDisruption(n)
	if current == corev1.ConditionTrue {
		c.scheduleNode(n)
	}
	return nil
}

// markUnknown sets the conditions the kubelet posts to Unknown, as tryUpdateNodeHealth does when
// the grace period has passed.
func (c *Controller) markUnknown(n *corev1.Node, now time.Time) (*corev1.Node, error) {
	ts := metav1.NewTime(now.Truncate(time.Second))
	out, err := c.client.MutateStatus("nodes", "", n.Name, func(o runtime.Object) error {
		node := o.(*corev1.Node)
		for _, t := range []corev1.NodeConditionType{corev1.NodeReady, corev1.NodeMemoryPressure, corev1.NodeDiskPressure, corev1.NodePIDPressure} {
			cond := condition(node, t)
			if cond == nil {
				node.Status.Conditions = append(node.Status.Conditions, corev1.NodeCondition{Type: t, Status: corev1.ConditionUnknown,
					Reason: "NodeStatusNeverUpdated", Message: "Kubelet never posted node status.",
					LastHeartbeatTime: node.CreationTimestamp, LastTransitionTime: ts})
				continue
			}
			if cond.Status != corev1.ConditionUnknown {
				cond.Status, cond.Reason, cond.Message, cond.LastTransitionTime =
					corev1.ConditionUnknown, "NodeStatusUnknown", "Kubelet stopped posting node status.", ts
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out.(*corev1.Node), nil
}

// markPodsNotReady sets the Ready condition of the node's pods to False, each with the Warning
// NodeNotReady event.
func (c *Controller) markPodsNotReady(node string, now time.Time) error {
	for _, o := range c.podInf.ByIndex(controller.ByNodeName, node) {
		pod := o.(*corev1.Pod)
		ready := false
		for _, cond := range pod.Status.Conditions {
			ready = ready || cond.Type == corev1.PodReady && cond.Status != corev1.ConditionFalse
		}
		if !ready {
			continue
		}
		_, err := c.client.MutateStatus("pods", pod.Namespace, pod.Name, func(o runtime.Object) error {
			p := o.(*corev1.Pod)
			for i := range p.Status.Conditions {
				if cond := &p.Status.Conditions[i]; cond.Type == corev1.PodReady && cond.Status != corev1.ConditionFalse {
					cond.Status, cond.LastTransitionTime = corev1.ConditionFalse, metav1.NewTime(now.Truncate(time.Second))
				}
			}
			return nil
		})
		if apierrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		c.rec.Event(pod, corev1.EventTypeWarning, "NodeNotReady", "Node is not ready")
	}
	return nil
}

// taintNoExecute is doNoExecuteTaintingPass for one node: the taint that mirrors its Ready
// condition (unreachable for Unknown, not-ready for False), the other one off, at most one node
// every evictionInterval.
func (c *Controller) taintNoExecute(n *corev1.Node) error {
	if c.fullDisruption {
		return nil
	}
	now := c.clock.Now()
	if now.Before(c.nextTaint) {
		c.queue.AddTimer(noExecuteKey+n.Name, c.nextTaint, work.Trigger{Note: "trigger.node_taint", Args: map[string]any{"Node": n.Name}})
		return nil
	}
	var add, remove corev1.Taint
	switch readyStatus(n) {
	case corev1.ConditionFalse:
		add, remove = notReadyTaint, unreachableTaint
	case corev1.ConditionUnknown:
		add, remove = unreachableTaint, notReadyTaint
	default:
		return nil // Ready again: nothing to taint
	}
	c.nextTaint = now.Add(evictionInterval)
	_, err := c.swapTaints(n.Name, []corev1.Taint{add}, []corev1.Taint{remove})
	return err
}

// markReachable takes the NoExecute condition taints off a node and forgets its pending tainting.
// It returns the node as it is now.
func (c *Controller) markReachable(n *corev1.Node) (*corev1.Node, error) {
	c.queue.CancelTimer(noExecuteKey + n.Name)
	if !hasTaint(n, unreachableTaint) && !hasTaint(n, notReadyTaint) {
		return n, nil
	}
	return c.swapTaints(n.Name, nil, []corev1.Taint{unreachableTaint, notReadyTaint})
}

// handleDisruption is handleDisruption for the cluster's one zone: when no node counted is Ready
// the controller enters full disruption — it takes every NoExecute taint off and taints no more —
// and when one is Ready again it leaves it, hearing from every node afresh.
// checked is the node just checked, newer than the cache.
func (c *Controller) handleDisruption(checked *corev1.Node) {
	nodes := c.nodeInf.List()
	for i, o := range nodes {
		if o.(*corev1.Node).Name == checked.Name {
			nodes[i] = checked
		}
	}
	counted, ready := 0, 0
	for _, o := range nodes {
		n := o.(*corev1.Node)
		if _, excluded := n.Labels[excludeDisruptionLabel]; excluded {
			continue
		}
		counted++
		if readyStatus(n) == corev1.ConditionTrue {
			ready++
		}
	}
	full := counted > 0 && ready == 0
	if full == c.fullDisruption {
		return
	}
	c.fullDisruption = full
	if full {
		c.notes = append(c.notes, component.Note{ID: "trace.note.full_disruption"})
	} else {
		c.notes = append(c.notes, component.Note{ID: "trace.note.disruption_over"})
	}
	now := c.clock.Now()
	for _, o := range nodes {
		n := o.(*corev1.Node)
		if full {
			_, _ = c.markReachable(n)
			continue
		}
		// Leaving full disruption: every node's probe time is now, and the next pass (a tick
		// later) taints the silent ones.
		c.healthOf(n.Name).probe = c.tick(now)
		if readyStatus(n) == corev1.ConditionTrue {
			c.scheduleNode(n)
			continue
		}
		c.queue.CancelTimer(checkKey + n.Name)
		c.queue.AddTimer(checkKey+n.Name, c.tick(now.Add(time.Nanosecond)), work.Trigger{Note: "trigger.node_monitor", Args: map[string]any{"Node": n.Name}})
	}
}

// noScheduleTaints are the taints a node's conditions and spec.unschedulable call for
// (nodeConditionToTaintKeyStatusMap and doNoScheduleTaintingPass).
func noScheduleTaints(n *corev1.Node) []corev1.Taint {
	var out []corev1.Taint
	for _, cond := range n.Status.Conditions {
		key := ""
		switch {
		case cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionFalse:
			key = corev1.TaintNodeNotReady
		case cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionUnknown:
			key = corev1.TaintNodeUnreachable
		case cond.Type == corev1.NodeMemoryPressure && cond.Status == corev1.ConditionTrue:
			key = corev1.TaintNodeMemoryPressure
		case cond.Type == corev1.NodeDiskPressure && cond.Status == corev1.ConditionTrue:
			key = corev1.TaintNodeDiskPressure
		case cond.Type == corev1.NodeNetworkUnavailable && cond.Status == corev1.ConditionTrue:
			key = corev1.TaintNodeNetworkUnavailable
		case cond.Type == corev1.NodePIDPressure && cond.Status == corev1.ConditionTrue:
			key = corev1.TaintNodePIDPressure
		}
		if key != "" {
			out = append(out, corev1.Taint{Key: key, Effect: corev1.TaintEffectNoSchedule})
		}
	}
	if n.Spec.Unschedulable {
		out = append(out, corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule})
	}
	return out
}

// conditionTaintKeys are the NoSchedule taints the controller owns (taintKeyToNodeConditionMap and
// the unschedulable taint).
var conditionTaintKeys = map[string]bool{
	corev1.TaintNodeNotReady: true, corev1.TaintNodeUnreachable: true, corev1.TaintNodeMemoryPressure: true,
	corev1.TaintNodeDiskPressure: true, corev1.TaintNodeNetworkUnavailable: true, corev1.TaintNodePIDPressure: true,
	corev1.TaintNodeUnschedulable: true,
}

// noScheduleDiff is what syncNoSchedule would add and remove.
func noScheduleDiff(n *corev1.Node) (add, remove []corev1.Taint) {
	want := noScheduleTaints(n)
	for _, t := range want {
		if !hasTaint(n, t) {
			add = append(add, t)
		}
	}
	for _, t := range n.Spec.Taints {
		if t.Effect != corev1.TaintEffectNoSchedule || !conditionTaintKeys[t.Key] {
			continue
		}
		found := false
		for _, w := range want {
			found = found || w.MatchTaint(&t)
		}
		if !found {
			remove = append(remove, t)
		}
	}
	return add, remove
}

// needsNoScheduleSync: the node's condition taints are not what its conditions call for. (The
// real controller queues every node update and finds most need nothing.)
func needsNoScheduleSync(n *corev1.Node) bool {
	add, remove := noScheduleDiff(n)
	return len(add)+len(remove) > 0
}

// syncNoSchedule is doNoScheduleTaintingPass.
func (c *Controller) syncNoSchedule(n *corev1.Node) error {
	add, remove := noScheduleDiff(n)
	if len(add)+len(remove) == 0 {
		return nil
	}
	_, err := c.swapTaints(n.Name, add, remove)
	return err
}

// swapTaints is SwapNodeControllerTaint: the added taints get timeAdded now. It returns the node
// as written.
func (c *Controller) swapTaints(node string, add, remove []corev1.Taint) (*corev1.Node, error) {
	now := metav1.NewTime(c.clock.Now().Truncate(time.Second))
	out, err := c.client.Mutate("nodes", "", node, func(o runtime.Object) error {
		n := o.(*corev1.Node)
		var taints []corev1.Taint
		for _, t := range n.Spec.Taints {
			drop := false
			for i := range remove {
				drop = drop || remove[i].MatchTaint(&t)
			}
			for i := range add {
				drop = drop || add[i].MatchTaint(&t)
			}
			if !drop {
				taints = append(taints, t)
			}
		}
		for _, t := range add {
			t.TimeAdded = &now
			taints = append(taints, t)
		}
		n.Spec.Taints = taints
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out.(*corev1.Node), nil
}

func condition(n *corev1.Node, t corev1.NodeConditionType) *corev1.NodeCondition {
	for i := range n.Status.Conditions {
		if n.Status.Conditions[i].Type == t {
			return &n.Status.Conditions[i]
		}
	}
	return nil
}

func readyCondition(n *corev1.Node) *corev1.NodeCondition { return condition(n, corev1.NodeReady) }

// readyStatus is the node's Ready status; a node that never posted one counts as Unknown.
func readyStatus(n *corev1.Node) corev1.ConditionStatus {
	if c := readyCondition(n); c != nil {
		return c.Status
	}
	return corev1.ConditionUnknown
}

// anyKnown: some condition the controller would set to Unknown is not Unknown yet.
func anyKnown(n *corev1.Node) bool {
	for _, t := range []corev1.NodeConditionType{corev1.NodeReady, corev1.NodeMemoryPressure, corev1.NodeDiskPressure, corev1.NodePIDPressure} {
		if c := condition(n, t); c == nil || c.Status != corev1.ConditionUnknown {
			return true
		}
	}
	return false
}

func hasTaint(n *corev1.Node, t corev1.Taint) bool {
	for i := range n.Spec.Taints {
		if t.MatchTaint(&n.Spec.Taints[i]) {
			return true
		}
	}
	return false
}
