package kubelet

import (
	"fmt"
	"sort"
	"strings"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/informer"
	"github.com/k8slearn/k8slearn/engine/work"
)

// The kubelet's heartbeats, as k8s.io/kubernetes v1.37.2 sends them: it renews its node Lease in
// kube-node-lease every renewInterval (a quarter of nodeLeaseDurationSeconds: pkg/kubelet/kubelet.go
// and k8s.io/component-helpers apimachinery/lease/controller.go), and posts its node status when
// the status changed or nodeStatusReportFrequency has passed since the last report
// (pkg/kubelet/kubelet_node_status.go). Both are timers on the simulated clock. The node lifecycle
// controller reads either as a sign of life.
const (
	// LeaseDuration is the kubelet's nodeLeaseDurationSeconds.
	LeaseDuration = 40 * time.Second
	// LeaseRenewInterval is how often the kubelet renews its Lease.
	LeaseRenewInterval = LeaseDuration / 4
	// NodeStatusReportFrequency is how often the kubelet posts an unchanged node status.
	NodeStatusReportFrequency = 5 * time.Minute
)

// The keys of the kubelet's own timers; pod keys always hold a "/".
const (
	leaseKey  = "lease"
	statusKey = "node-status"
)

// heartbeat is what the kubelet keeps about its node, and whether it is down (a fault: the
// kubelet neither renews its Lease, nor posts status, nor acts on its pods).
type heartbeat struct {
	down bool
	// deferred are the keys that had work, or timers, while the kubelet was down: it takes them up
	// when it comes back.
	deferred map[string]bool
}

// startHeartbeat sets the first renewal and status report from the Lease and node status the
// kubelet registered with.
func (k *Kubelet) startHeartbeat() {
	k.hb.deferred = map[string]bool{}
	now := k.clock.Now()
	renewed, reported := now, now
	if obj, err := k.client.Get("leases", corev1.NamespaceNodeLease, k.node); err == nil {
		if rt := obj.(*coordinationv1.Lease).Spec.RenewTime; rt != nil {
			renewed = rt.Time
		}
	}
	if obj, err := k.client.Get("nodes", "", k.node); err == nil {
		if c := nodeCondition(obj.(*corev1.Node), corev1.NodeReady); c != nil {
			reported = c.LastHeartbeatTime.Time
		}
	}
	k.queue.AddTimer(leaseKey, renewed.Add(LeaseRenewInterval), k.leaseTrigger())
	k.queue.AddTimer(statusKey, reported.Add(NodeStatusReportFrequency), k.statusTrigger())
}

func (k *Kubelet) leaseTrigger() work.Trigger {
	return work.Trigger{Note: "trigger.lease_renew", Args: map[string]any{"Node": k.node}, Routine: true}
}

func (k *Kubelet) statusTrigger() work.Trigger {
	return work.Trigger{Note: "trigger.node_status", Args: map[string]any{"Node": k.node}, Routine: true}
}

// heartbeatItem handles the kubelet's own timers, and holds back everything else while the kubelet
// is down; ok is false for the pod work the kubelet does as usual.
func (k *Kubelet) heartbeatItem(it work.Item) (component.Result, bool) {
	switch {
	case it.Key == leaseKey && it.Trigger.Kind == work.Timer:
		return k.renewLease(), true
	case it.Key == statusKey && it.Trigger.Kind == work.Timer:
		return k.postNodeStatus(), true
	case k.hb.down:
		k.hb.deferred[it.Key] = true
		return component.Result{Notes: []component.Note{{ID: "trace.note.kubelet_down", Args: map[string]any{"Node": k.node}}}}, true
	}
	return component.Result{}, false
}

// deferWhileDown keeps key for later when the kubelet is down, and reports whether it did.
func (k *Kubelet) deferWhileDown(key string) bool {
	if !k.hb.down {
		return false
	}
	k.hb.deferred[key] = true
	return true
}

// renewLease sets the Lease's renewTime to now, and the next renewal.
func (k *Kubelet) renewLease() component.Result {
	now := k.clock.Now()
	k.queue.AddTimer(leaseKey, now.Add(LeaseRenewInterval), k.leaseTrigger())
	// The lease controller updates the Lease it last read (pkg/kubelet/nodelease via
	// component-helpers' lease controller): only renewTime changes, so a shallow copy will do.
	err := k.client.Modify("leases", corev1.NamespaceNodeLease, k.node, func(o runtime.Object) runtime.Object {
		l := *o.(*coordinationv1.Lease)
		l.Spec.RenewTime = &metav1.MicroTime{Time: now}
		return &l
	})
	if err != nil {
		return component.Result{Notes: []component.Note{{ID: "trace.note.sync_error", Args: map[string]any{"Error": err.Error()}}}}
	}
	return component.Result{}
}

// The conditions a healthy kubelet reports (pkg/kubelet/nodestatus/setters.go: ReadyCondition,
// MemoryPressureCondition, DiskPressureCondition, PIDPressureCondition), with the event each
// records when its condition changes to it.
var healthyConditions = []struct {
	typ             corev1.NodeConditionType
	status          corev1.ConditionStatus
	reason, message string
	event           string
}{
	{corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory", "kubelet has sufficient memory available", "NodeHasSufficientMemory"},
	{corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure", "kubelet has no disk pressure", "NodeHasNoDiskPressure"},
	{corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID", "kubelet has sufficient PID available", "NodeHasSufficientPID"},
	{corev1.NodeReady, corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status", "NodeReady"},
}

// postNodeStatus writes the node's conditions with a fresh heartbeat time, a new transition time
// (and the kubelet's "Node … status is now: …" event) for each that changed, and sets the next
// report.
func (k *Kubelet) postNodeStatus() component.Result {
	now := k.clock.Now()
	k.queue.CancelTimer(statusKey)
	k.queue.AddTimer(statusKey, now.Add(NodeStatusReportFrequency), k.statusTrigger())
	var changed []string
	updated, err := k.client.MutateStatus("nodes", "", k.node, func(o runtime.Object) error {
		changed = changed[:0]
		n := o.(*corev1.Node)
		ts := metav1.NewTime(now.Truncate(time.Second))
		for _, want := range healthyConditions {
			c := nodeCondition(n, want.typ)
			if c == nil {
				n.Status.Conditions = append(n.Status.Conditions, corev1.NodeCondition{Type: want.typ})
				c = &n.Status.Conditions[len(n.Status.Conditions)-1]
			}
			if c.Status != want.status {
				c.LastTransitionTime = ts
				changed = append(changed, want.event)
			}
			c.Status, c.Reason, c.Message, c.LastHeartbeatTime = want.status, want.reason, want.message, ts
		}
		return nil
	})
	if err != nil {
		return component.Result{Notes: []component.Note{{ID: "trace.note.sync_error", Args: map[string]any{"Error": err.Error()}}}}
	}
	for _, ev := range changed {
		k.rec.Event(updated, corev1.EventTypeNormal, ev, fmt.Sprintf("Node %s status is now: %s", k.node, ev))
	}
	return component.Result{}
}

func nodeCondition(n *corev1.Node, t corev1.NodeConditionType) *corev1.NodeCondition {
	for i := range n.Status.Conditions {
		if n.Status.Conditions[i].Type == t {
			return &n.Status.Conditions[i]
		}
	}
	return nil
}

// Down reports whether the kubelet is down (a fault).
func (k *Kubelet) Down() bool { return k.hb.down }

// SetDown stops the kubelet (down) or starts it again. Down, it keeps no timer and does no work:
// what it had queued waits. Back up, it renews its Lease and posts its node status at once (its
// status changed, or is older than the report frequency), and resyncs every pod bound to its node,
// as a kubelet that reconnects relists its pods.
func (k *Kubelet) SetDown(down bool) {
	if down == k.hb.down {
		return
	}
	k.hb.down = down
	if down {
		for _, it := range k.queue.Items() {
			k.hb.deferred[it.Key] = true
			k.queue.Remove(it.Key)
		}
		for _, it := range k.queue.Timers() {
			if it.Key != leaseKey && it.Key != statusKey {
				k.hb.deferred[it.Key] = true
			}
			k.queue.CancelTimer(it.Key)
		}
		return
	}
	now := k.clock.Now()
	k.queue.AddTimer(leaseKey, now, k.leaseTrigger())
	k.queue.AddTimer(statusKey, now, k.statusTrigger())
	for _, o := range k.podInf.List() {
		k.hb.deferred[informer.KeyOf(o)] = true
	}
	keys := make([]string, 0, len(k.hb.deferred))
	for key := range k.hb.deferred {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	trig := work.Trigger{Kind: work.Runtime, Note: "trigger.kubelet_resync", Args: map[string]any{"Node": k.node}}
	for _, key := range keys {
		t := trig
		if strings.Contains(key, "/") {
			ns, name, _ := strings.Cut(key, "/")
			t.Args = map[string]any{"Node": k.node, "Pod": name, "Namespace": ns}
		}
		k.queue.Add(key, now, t)
	}
	k.hb.deferred = map[string]bool{}
}
