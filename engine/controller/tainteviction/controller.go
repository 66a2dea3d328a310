// Package tainteviction is the miniature taint-eviction controller of kube-controller-manager
// (k8s.io/kubernetes v1.37.2 pkg/controller/tainteviction/taint_eviction.go): when a node gets
// NoExecute taints, every pod bound to it that does not tolerate them is deleted at once, and a
// pod that tolerates them for a while (tolerationSeconds: 300 s for the not-ready and unreachable
// tolerations every pod gets from the DefaultTolerationSeconds admission plugin) is deleted when
// that while runs out — a timer per pod, cancelled (with an event) if the taints go first.
package tainteviction

import (
	"math"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
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

// Name is the controller's name, which its events carry as their source.
const Name = "taint-eviction-controller"

// Key prefixes of the controller's queue: node and pod updates are work, evictions are timers.
const (
	nodeKey  = "node:"
	podKey   = "pod:"
	evictKey = "evict:"
)

// Controller evicts pods from nodes with NoExecute taints.
type Controller struct {
	client  *apiserver.Client
	clock   clock.Clock
	rec     *events.Recorder
	queue   *work.Queue
	nodeInf *informer.Informer
	podInf  *informer.Informer
	// tainted are the NoExecute taints of each tainted node, as last handled.
	tainted map[string][]corev1.Taint
	// scheduled are the pending evictions by pod key, with when each was first scheduled
	// (TimedWorker.CreatedAt: a later, longer toleration counts from then).
	scheduled map[string]time.Time
	// notes are what the item being processed did beyond its writes (evictions scheduled).
	notes []component.Note
}

// New starts the controller's informers.
func New(api *apiserver.Server, clk clock.Clock, agenda *work.Agenda) (*Controller, error) {
	c := &Controller{client: api.Client(Name), clock: clk, queue: agenda.NewQueue(Name),
		tainted: map[string][]corev1.Taint{}, scheduled: map[string]time.Time{}}
	c.rec = events.NewRecorder(c.client, clk, Name, "")
	var err error
	c.nodeInf, err = informer.New(c.client, "nodes", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd: func(o runtime.Object, ev informer.Event) { c.nodeUpdated(nil, o.(*corev1.Node), ev) },
		OnUpdate: func(old, o runtime.Object, ev informer.Event) {
			c.nodeUpdated(old.(*corev1.Node), o.(*corev1.Node), ev)
		},
		OnDelete: func(o runtime.Object, ev informer.Event) { c.nodeUpdated(o.(*corev1.Node), nil, ev) },
	}, nil)
	if err != nil {
		return nil, err
	}
	c.podInf, err = informer.New(c.client, "pods", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd: func(o runtime.Object, ev informer.Event) { c.podUpdated(nil, o.(*corev1.Pod), ev) },
		OnUpdate: func(old, o runtime.Object, ev informer.Event) {
			c.podUpdated(old.(*corev1.Pod), o.(*corev1.Pod), ev)
		},
		OnDelete: func(o runtime.Object, ev informer.Event) { c.podUpdated(o.(*corev1.Pod), nil, ev) },
	}, controller.PodNodeNameIndexers())
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Name implements component.Component.
func (c *Controller) Name() string { return Name }

// Informers implements component.Component.
func (c *Controller) Informers() []*informer.Informer {
	return []*informer.Informer{c.nodeInf, c.podInf}
}

// Queue implements component.Component.
func (c *Controller) Queue() *work.Queue { return c.queue }

func noExecuteTaints(n *corev1.Node) []corev1.Taint {
	if n == nil {
		return nil
	}
	var out []corev1.Taint
	for _, t := range n.Spec.Taints {
		if t.Effect == corev1.TaintEffectNoExecute {
			out = append(out, t)
		}
	}
	return out
}

// nodeUpdated queues a node whose NoExecute taints changed (NodeUpdated).
func (c *Controller) nodeUpdated(old, n *corev1.Node, ev informer.Event) {
	if old != nil && n != nil && apiequality.Semantic.DeepEqual(noExecuteTaints(old), noExecuteTaints(n)) {
		return
	}
	obj := n
	if obj == nil {
		obj = old
	}
	if n == nil && c.tainted[old.Name] == nil || old == nil && len(noExecuteTaints(n)) == 0 {
		return // a node without NoExecute taints came or went: nothing to do
	}
	c.queue.Add(nodeKey+obj.Name, c.clock.Now(), work.Trigger{Kind: work.Watch, EventType: string(ev.Type),
		Resource: ev.Resource, Name: obj.Name, Revision: ev.Revision})
}

// podUpdated queues a pod whose node or tolerations changed, or that is gone (PodUpdated). The
// real controller looks at every such pod and does nothing unless its node is tainted or an
// eviction is pending: those are the ones queued here.
func (c *Controller) podUpdated(old, p *corev1.Pod, ev informer.Event) {
	if old != nil && p != nil && old.Spec.NodeName == p.Spec.NodeName &&
		apiequality.Semantic.DeepEqual(old.Spec.Tolerations, p.Spec.Tolerations) {
		return
	}
	obj := p
	if obj == nil {
		obj = old
	}
	key := obj.Namespace + "/" + obj.Name
	if _, pending := c.scheduled[key]; !pending && c.tainted[obj.Spec.NodeName] == nil {
		return
	}
	c.queue.Add(podKey+key, c.clock.Now(), work.Trigger{Kind: work.Watch, EventType: string(ev.Type),
		Resource: ev.Resource, Namespace: obj.Namespace, Name: obj.Name, Revision: ev.Revision})
}

// Process handles a node update, a pod update or an eviction that is due.
func (c *Controller) Process(it work.Item) component.Result {
	c.notes = nil
	var err error
	switch {
	case hasPrefix(it.Key, nodeKey):
		c.handleNode(it.Key[len(nodeKey):])
	case hasPrefix(it.Key, podKey):
		c.handlePod(it.Key[len(podKey):])
	case hasPrefix(it.Key, evictKey):
		err = c.evict(it.Key[len(evictKey):])
	}
	if err != nil {
		c.notes = append(c.notes, component.Note{ID: "trace.note.sync_error", Args: map[string]any{"Error": err.Error()}})
	}
	return component.Result{Notes: c.notes}
}

func hasPrefix(s, p string) bool { return len(s) > len(p) && s[:len(p)] == p }

// handleNode is handleNodeUpdate: note the node's taints, then weigh every pod on it; with no
// taints left, every pending eviction there is cancelled.
func (c *Controller) handleNode(name string) {
	obj, ok := c.nodeInf.Get(name)
	if !ok {
		delete(c.tainted, name)
		return
	}
	taints := noExecuteTaints(obj.(*corev1.Node))
	if len(taints) == 0 {
		delete(c.tainted, name)
	} else {
		c.tainted[name] = taints
	}
	now := c.clock.Now()
	for _, o := range c.podInf.ByIndex(controller.ByNodeName, name) {
		pod := o.(*corev1.Pod)
		key := pod.Namespace + "/" + pod.Name
		if len(taints) == 0 {
			c.cancel(key)
			continue
		}
		c.processPod(key, pod.Spec.Tolerations, taints, now)
	}
}

// handlePod is handlePodUpdate.
func (c *Controller) handlePod(key string) {
	obj, ok := c.podInf.Get(key)
	if !ok {
		c.cancel(key)
		return
	}
	pod := obj.(*corev1.Pod)
	taints, tainted := c.tainted[pod.Spec.NodeName]
	if pod.Spec.NodeName == "" || !tainted {
		return
	}
	c.processPod(key, pod.Spec.Tolerations, taints, c.clock.Now())
}

// processPod is processPodOnNode: a pod that does not tolerate every taint goes now; one that
// tolerates them for ever stays; otherwise it goes when its shortest toleration runs out,
// counted from when its eviction was first scheduled.
func (c *Controller) processPod(key string, tolerations []corev1.Toleration, taints []corev1.Taint, now time.Time) {
	all, used := controller.MatchingTolerations(taints, tolerations)
	if !all {
		c.cancel(key)
		c.add(key, now, now)
		return
	}
	wait := minTolerationTime(used)
	if wait < 0 {
		c.cancel(key) // tolerated for ever
		return
	}
	start, trigger := now, now.Add(wait)
	if created, pending := c.scheduled[key]; pending {
		start = created
		if start.Add(wait).Before(trigger) {
			return // the pending eviction, counted from when it was scheduled, comes sooner
		}
		c.cancel(key)
	}
	c.add(key, start, start.Add(wait))
}

// minTolerationTime is getMinTolerationTime: the shortest tolerationSeconds of the tolerations
// used, 0 for none or a non-positive one, -1 when all tolerate for ever.
func minTolerationTime(tolerations []corev1.Toleration) time.Duration {
	if len(tolerations) == 0 {
		return 0
	}
	min := int64(math.MaxInt64)
	for _, t := range tolerations {
		if t.TolerationSeconds == nil {
			continue
		}
		if *t.TolerationSeconds <= 0 {
			return 0
		}
		if *t.TolerationSeconds < min {
			min = *t.TolerationSeconds
		}
	}
	if min == math.MaxInt64 {
		return -1
	}
	return time.Duration(min) * time.Second
}

func (c *Controller) add(key string, created, at time.Time) {
	if _, pending := c.scheduled[key]; pending {
		return // AddWork keeps the work already there
	}
	c.scheduled[key] = created
	ns, name := informer.SplitKey(key)
	c.queue.AddTimer(evictKey+key, at, work.Trigger{Note: "trigger.taint_eviction",
		Args: map[string]any{"Pod": key, "Namespace": ns, "Name": name}})
	c.notes = append(c.notes, component.Note{ID: "trace.note.eviction_scheduled", Args: map[string]any{
		"Pod": key, "At": at.Format("15:04:05"), "In": at.Sub(c.clock.Now()).Round(time.Second).String()}})
}

// cancel is cancelWorkWithEvent: a pending eviction is dropped, with an event saying so.
func (c *Controller) cancel(key string) {
	if _, pending := c.scheduled[key]; !pending {
		return
	}
	delete(c.scheduled, key)
	c.queue.CancelTimer(evictKey + key)
	c.rec.Event(podRef(key), corev1.EventTypeNormal, "TaintManagerEviction", "Cancelling deletion of Pod "+key)
	c.notes = append(c.notes, component.Note{ID: "trace.note.eviction_cancelled", Args: map[string]any{"Pod": key}})
}

// podRef is the reference the controller's events name: kind, namespace and name, no uid.
func podRef(key string) *corev1.Pod {
	ns, name := informer.SplitKey(key)
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
}

// evict is deletePodHandler: the event, then the DisruptionTarget condition, then the delete (with
// the pod's own grace period: a pod on an unreachable node stays Terminating until its kubelet
// confirms).
func (c *Controller) evict(key string) error {
	delete(c.scheduled, key)
	c.rec.Event(podRef(key), corev1.EventTypeNormal, "TaintManagerEviction", "Marking for deletion Pod "+key)
	ns, name := informer.SplitKey(key)
	_, err := c.client.MutateStatus("pods", ns, name, func(o runtime.Object) error {
		p := o.(*corev1.Pod)
		setCondition(&p.Status, corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue,
			Reason: "DeletionByTaintManager", Message: "Taint manager: deleting due to NoExecute taint",
			ObservedGeneration: p.Generation}, c.clock.Now())
		return nil
	})
	if err == nil {
		_, err = c.client.Delete("pods", ns, name, apiserver.DeleteOptions{})
	}
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

// setCondition is UpdatePodCondition (pkg/api/v1/pod/util.go).
func setCondition(st *corev1.PodStatus, cond corev1.PodCondition, now time.Time) {
	cond.LastTransitionTime = metav1.NewTime(now.Truncate(time.Second))
	for i := range st.Conditions {
		if st.Conditions[i].Type == cond.Type {
			if st.Conditions[i].Status == cond.Status {
				cond.LastTransitionTime = st.Conditions[i].LastTransitionTime
			}
			st.Conditions[i] = cond
			return
		}
	}
	st.Conditions = append(st.Conditions, cond)
}
