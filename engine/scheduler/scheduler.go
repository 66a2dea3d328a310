// Package scheduler is the miniature kube-scheduler: it watches pods and nodes, queues pods with no
// node, runs the framework's filters and scores for one pod at a time, and binds it through the API
// server (POST pods/<name>/binding). It keeps every recent decision so a lesson can show why a pod
// landed where it did.
package scheduler

import (
	"math/rand/v2"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/events"
	"github.com/k8slearn/k8slearn/engine/informer"
	"github.com/k8slearn/k8slearn/engine/scheduler/framework"
	"github.com/k8slearn/k8slearn/engine/work"
)

// Name is the scheduler's name: its events' reportingController and the schedulerName pods ask for.
const Name = "default-scheduler"

// Host is the machine the control plane runs on, as os.Hostname tells kube-scheduler: its events'
// reportingInstance is "default-scheduler-<host>" (k8s.io/client-go v0.37.2 tools/events
// event_broadcaster.go NewRecorder).
const Host = "control-plane"

// explainedNodes is the cluster size up to which every decision keeps per-node results.
const explainedNodes = 100

// keptDecisions bounds how many decisions are remembered for `why`.
const keptDecisions = 512

// Backoff for a pod that failed to schedule and is retried after the cluster changed.
const (
	initialBackoff = time.Second
	maxBackoff     = 10 * time.Second
)

// Scheduler places pods on nodes.
type Scheduler struct {
	client  *apiserver.Client
	clock   clock.Clock
	rand    *rand.Rand
	rec     *events.SeriesRecorder
	queue   *work.Queue
	podInf  *informer.Informer
	nodeInf *informer.Informer
	fw      *framework.Scheduler

	nodes     map[string]*framework.NodeInfo
	nodeOrder []string              // node names, sorted
	list      []*framework.NodeInfo // the nodes in nodeOrder; nil after a node came or went
	images    map[string]int        // nodes per image; nil after a node's images may have changed
	assigned  map[string]string     // pod key -> node it is counted on
	unsched   map[string]bool       // pods that did not fit, waiting for a cluster change
	attempts  map[string]int        // failed attempts per pod, for the backoff
	decisions map[string]framework.Decision
	decOrder  []string
}

// New starts the scheduler's informers. rnd breaks ties between equally good nodes.
func New(api *apiserver.Server, clk clock.Clock, agenda *work.Agenda, rnd *rand.Rand) (*Scheduler, error) {
	s := &Scheduler{client: api.Client(Name), clock: clk, rand: rnd, queue: agenda.NewQueue(Name), fw: framework.New(),
		nodes: map[string]*framework.NodeInfo{}, assigned: map[string]string{}, unsched: map[string]bool{}, attempts: map[string]int{},
		decisions: map[string]framework.Decision{}}
	s.rec = events.NewSeriesRecorder(s.client, clk, Name, Name+"-"+Host)
	var err error
	s.nodeInf, err = informer.New(s.client, "nodes", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd: func(o runtime.Object, ev informer.Event) { s.nodeChanged(nil, o.(*corev1.Node), ev) },
		OnUpdate: func(old, o runtime.Object, ev informer.Event) {
			s.nodeChanged(old.(*corev1.Node), o.(*corev1.Node), ev)
		},
		OnDelete: func(o runtime.Object, ev informer.Event) { s.nodeDeleted(o.(*corev1.Node), ev) },
	}, nil)
	if err != nil {
		return nil, err
	}
	s.podInf, err = informer.New(s.client, "pods", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd:    func(o runtime.Object, ev informer.Event) { s.podChanged(o.(*corev1.Pod), ev, false) },
		OnUpdate: func(_, o runtime.Object, ev informer.Event) { s.podChanged(o.(*corev1.Pod), ev, false) },
		OnDelete: func(o runtime.Object, ev informer.Event) { s.podChanged(o.(*corev1.Pod), ev, true) },
	}, nil)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func trigger(ev informer.Event, obj runtime.Object) work.Trigger {
	ns, name := informer.SplitKey(informer.KeyOf(obj))
	return work.Trigger{Kind: work.Watch, EventType: string(ev.Type), Resource: ev.Resource, Namespace: ns, Name: name, Revision: ev.Revision}
}

func (s *Scheduler) nodeChanged(old, n *corev1.Node, ev informer.Event) {
	ni, ok := s.nodes[n.Name]
	if !ok {
		ni = framework.NewNodeInfo(n)
		s.nodes[n.Name] = ni
		s.nodeOrder = append(s.nodeOrder, n.Name)
		sort.Strings(s.nodeOrder)
		s.list = nil
	} else {
		ni.SetNode(n)
	}
	if old == nil || !apiequality.Semantic.DeepEqual(old.Status.Images, n.Status.Images) {
		s.images = nil
	}
	// A new node, or one whose schedulability changed, may fit pods that did not fit before.
	if old == nil || schedulingRelevantChange(old, n) {
		s.retryUnschedulable(trigger(ev, n))
	}
}

func schedulingRelevantChange(old, n *corev1.Node) bool {
	return old.Spec.Unschedulable != n.Spec.Unschedulable ||
		!apiequality.Semantic.DeepEqual(old.Spec.Taints, n.Spec.Taints) ||
		!apiequality.Semantic.DeepEqual(old.Labels, n.Labels) ||
		!apiequality.Semantic.DeepEqual(old.Status.Allocatable, n.Status.Allocatable)
}

func (s *Scheduler) nodeDeleted(n *corev1.Node, _ informer.Event) {
	delete(s.nodes, n.Name)
	s.list, s.images = nil, nil
	for i, name := range s.nodeOrder {
		if name == n.Name {
			s.nodeOrder = append(s.nodeOrder[:i], s.nodeOrder[i+1:]...)
			break
		}
	}
}

func (s *Scheduler) podChanged(p *corev1.Pod, ev informer.Event, deleted bool) {
	key := p.Namespace + "/" + p.Name
	finished := deleted || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed
	if node, ok := s.assigned[key]; ok && (finished || node != p.Spec.NodeName) {
		if ni := s.nodes[node]; ni != nil {
			ni.RemovePod(p)
		}
		delete(s.assigned, key)
		if finished {
			s.retryUnschedulable(trigger(ev, p)) // freed room
		}
	}
	if finished {
		delete(s.unsched, key)
		delete(s.attempts, key)
		return
	}
	if p.Spec.NodeName != "" {
		if _, ok := s.assigned[key]; !ok {
			if ni := s.nodes[p.Spec.NodeName]; ni != nil {
				ni.AddPod(p)
				s.assigned[key] = p.Spec.NodeName
			}
		}
		return
	}
	if p.Spec.SchedulerName != Name || p.DeletionTimestamp != nil {
		return
	}
	if _, waiting := s.unsched[key]; waiting {
		return // waits for a cluster change
	}
	s.queue.Add(key, s.clock.Now(), trigger(ev, p))
}

// retryUnschedulable moves pods that did not fit back to the queue, each after a backoff that
// grows with its failed attempts.
func (s *Scheduler) retryUnschedulable(trig work.Trigger) {
	keys := make([]string, 0, len(s.unsched))
	for k := range s.unsched {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		backoff := min(initialBackoff<<min(s.attempts[k]-1, 4), maxBackoff)
		s.queue.Add(k, s.clock.Now().Add(backoff), trig)
		delete(s.unsched, k)
	}
}

// Name implements component.Component.
func (s *Scheduler) Name() string { return Name }

// Informers implements component.Component.
func (s *Scheduler) Informers() []*informer.Informer {
	return []*informer.Informer{s.nodeInf, s.podInf}
}

// Queue implements component.Component.
func (s *Scheduler) Queue() *work.Queue { return s.queue }

// Process schedules one pod.
func (s *Scheduler) Process(it work.Item) component.Result {
	obj, ok := s.podInf.Get(it.Key)
	if !ok {
		return component.Result{}
	}
	pod := obj.(*corev1.Pod)
	if pod.Spec.NodeName != "" || pod.DeletionTimestamp != nil {
		return component.Result{}
	}
	// Per-node explanations cost memory in proportion to the nodes examined; big clusters (the
	// benchmarks) keep only the outcome.
	nodes := s.nodeList()
	if s.images == nil {
		s.images = framework.CountImageNodes(nodes)
	}
	in := framework.Input{Pod: pod, Nodes: nodes, SpreadSelector: spreadSelector(pod), Rand: s.rand,
		ImageNodeCounts: s.images, Summary: len(s.nodeOrder) > explainedNodes}
	dec, err := s.fw.Schedule(in)
	s.remember(it.Key, dec)
	if err != nil {
		return s.unschedulable(it.Key, pod, err)
	}
	// Assume the pod on the node now, so the next decision counts it even before the bind is seen.
	assumed := pod.DeepCopy()
	assumed.Spec.NodeName = dec.Node
	s.nodes[dec.Node].AddPod(assumed)
	s.assigned[it.Key] = dec.Node
	err = s.client.Bind(pod.Namespace, &corev1.Binding{
		ObjectMeta: metav1.ObjectMeta{Name: pod.Name, Namespace: pod.Namespace, UID: pod.UID},
		Target:     corev1.ObjectReference{Kind: "Node", Name: dec.Node},
	})
	if err != nil {
		s.nodes[dec.Node].RemovePod(assumed)
		delete(s.assigned, it.Key)
		if !apierrors.IsNotFound(err) {
			s.queue.Add(it.Key, s.clock.Now().Add(initialBackoff), it.Trigger)
		}
		return component.Result{Notes: []component.Note{{ID: "trace.note.sync_error", Args: map[string]any{"Error": err.Error()}}}}
	}
	delete(s.attempts, it.Key)
	// pkg/scheduler/schedule_one.go (k8s.io/kubernetes v1.37.2) finishBinding: action Binding.
	s.rec.Eventf(pod, nil, corev1.EventTypeNormal, "Scheduled", "Binding", "Successfully assigned %v/%v to %v", pod.Namespace, pod.Name, dec.Node)
	return component.Result{Notes: []component.Note{{ID: "trace.note.scheduled", Args: map[string]any{
		"Pod": pod.Name, "Node": dec.Node, "Feasible": dec.Feasible, "Evaluated": dec.Evaluated}}}}
}

func (s *Scheduler) unschedulable(key string, pod *corev1.Pod, err error) component.Result {
	msg := err.Error()
	// pkg/scheduler/schedule_one.go handleSchedulingFailure: action Scheduling, the message cut to
	// the events API's note limit (the condition keeps all of it).
	s.rec.Event(pod, nil, corev1.EventTypeWarning, "FailedScheduling", "Scheduling", truncateMessage(msg))
	_, _ = s.client.MutateStatus("pods", pod.Namespace, pod.Name, func(o runtime.Object) error {
		p := o.(*corev1.Pod)
		// observedGeneration: PodObservedGenerationTracking is GA since v1.35
		// (podutil.CalculatePodConditionObservedGeneration in pkg/api/v1/pod/util.go).
		setCondition(&p.Status, corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionFalse,
			ObservedGeneration: p.Generation, Reason: corev1.PodReasonUnschedulable, Message: msg,
			LastTransitionTime: metav1.NewTime(s.clock.Now().Truncate(time.Second))})
		return nil
	})
	s.unsched[key] = true
	s.attempts[key]++
	return component.Result{Notes: []component.Note{{ID: "trace.note.unschedulable", Args: map[string]any{"Pod": pod.Name, "Reason": msg}}}}
}

// noteLengthLimit is the events API's limit on a note (pkg/apis/core/validation/events.go).
const noteLengthLimit = 1024

// truncateMessage is schedule_one.go's: a message over the limit ends in " ...".
func truncateMessage(msg string) string {
	if len(msg) <= noteLengthLimit {
		return msg
	}
	const suffix = " ..."
	return msg[:noteLengthLimit-len(suffix)] + suffix
}

func setCondition(st *corev1.PodStatus, cond corev1.PodCondition) {
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

// nodeList is every node in name order. It is rebuilt only when a node comes or goes (NodeInfos
// change in place): with thousands of nodes, rebuilding it per pod cost more than scheduling.
func (s *Scheduler) nodeList() []*framework.NodeInfo {
	if s.list == nil {
		s.list = make([]*framework.NodeInfo, 0, len(s.nodeOrder))
		for _, n := range s.nodeOrder {
			s.list = append(s.list, s.nodes[n])
		}
	}
	return s.list
}

// spreadSelector selects the pods the default topology spreading counts: those of the same
// controller, which share the pod's labels.
func spreadSelector(p *corev1.Pod) labels.Selector {
	if metav1.GetControllerOfNoCopy(p) == nil || len(p.Labels) == 0 {
		return nil
	}
	return labels.SelectorFromSet(p.Labels)
}

func (s *Scheduler) remember(key string, d framework.Decision) {
	if _, ok := s.decisions[key]; !ok {
		s.decOrder = append(s.decOrder, key)
	}
	s.decisions[key] = d
	for len(s.decOrder) > keptDecisions {
		delete(s.decisions, s.decOrder[0])
		s.decOrder = s.decOrder[1:]
	}
}

// Decision returns the latest scheduling decision for pod "namespace/name".
func (s *Scheduler) Decision(key string) (framework.Decision, bool) {
	d, ok := s.decisions[key]
	return d, ok
}
