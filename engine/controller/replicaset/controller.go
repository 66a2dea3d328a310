// Package replicaset is the miniature ReplicaSet controller: it keeps the number of live pods that
// a ReplicaSet owns equal to its replicas, creating pods in slow-start batches (1, 2, 4, …) and
// deleting the least useful ones first, and reports the ReplicaSet's status, in the shape of
// kube-controller-manager's pkg/controller/replicaset.
package replicaset

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/controller"
	"github.com/k8slearn/k8slearn/engine/events"
	"github.com/k8slearn/k8slearn/engine/informer"
	"github.com/k8slearn/k8slearn/engine/work"
)

// Name is the controller's name, as its events' source shows it.
const Name = "replicaset-controller"

// burstReplicas caps the pods created or deleted in one sync, as the real controller's flag does.
const burstReplicas = 500

// controllerKind is the kind in the owner references this controller writes and follows, as
// pkg/controller/replicaset/replica_set.go (kubernetes v1.37.2) declares it. Never written.
var controllerKind = appsv1.SchemeGroupVersion.WithKind("ReplicaSet")

// Controller reconciles ReplicaSets.
type Controller struct {
	client *apiserver.Client
	clock  clock.Clock
	rec    *events.Recorder
	queue  *work.Queue
	rsInf  *informer.Informer
	podInf *informer.Informer
}

// New starts the controller's informers.
func New(api *apiserver.Server, clk clock.Clock, agenda *work.Agenda) (*Controller, error) {
	c := &Controller{client: api.Client(Name), clock: clk, queue: agenda.NewQueue(Name)}
	c.rec = events.NewRecorder(c.client, clk, Name, "")
	var err error
	c.rsInf, err = informer.New(c.client, "replicasets", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd: func(o runtime.Object, ev informer.Event) { c.enqueue(informer.KeyOf(o), ev, o) },
		OnUpdate: func(old, o runtime.Object, ev informer.Event) {
			// The echo of the controller's own status write needs no sync (see podMatters).
			if old.(*appsv1.ReplicaSet).Generation != o.(*appsv1.ReplicaSet).Generation ||
				!apiequality.Semantic.DeepEqual(old.(*appsv1.ReplicaSet).ObjectMeta, o.(*appsv1.ReplicaSet).ObjectMeta) && !onlyResourceVersion(old, o) {
				c.enqueue(informer.KeyOf(o), ev, o)
			}
		},
		OnDelete: func(o runtime.Object, ev informer.Event) { c.enqueue(informer.KeyOf(o), ev, o) },
	}, controller.Indexers())
	if err != nil {
		return nil, err
	}
	onPod := func(o runtime.Object, ev informer.Event) {
		pod := o.(*corev1.Pod)
		if ref := metav1.GetControllerOf(pod); ref != nil && ref.Kind == controllerKind.Kind {
			c.enqueue(pod.Namespace+"/"+ref.Name, ev, o)
		}
	}
	c.podInf, err = informer.New(c.client, "pods", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd: onPod,
		OnUpdate: func(old, o runtime.Object, ev informer.Event) {
			// Only changes that matter to the count or the status wake the controller.
			if podMatters(old.(*corev1.Pod), o.(*corev1.Pod)) {
				onPod(o, ev)
			}
		},
		OnDelete: onPod,
	}, controller.Indexers())
	if err != nil {
		return nil, err
	}
	return c, nil
}

// onlyResourceVersion: the two ReplicaSets' metadata differ in nothing but the resourceVersion.
func onlyResourceVersion(a, b runtime.Object) bool {
	x, y := a.(*appsv1.ReplicaSet).ObjectMeta, b.(*appsv1.ReplicaSet).ObjectMeta
	x.ResourceVersion, y.ResourceVersion = "", ""
	return apiequality.Semantic.DeepEqual(x, y)
}

func podMatters(old, cur *corev1.Pod) bool {
	return podReady(old) != podReady(cur) || old.Status.Phase != cur.Status.Phase ||
		(old.DeletionTimestamp == nil) != (cur.DeletionTimestamp == nil) ||
		!apiequality.Semantic.DeepEqual(old.Labels, cur.Labels) ||
		!apiequality.Semantic.DeepEqual(old.OwnerReferences, cur.OwnerReferences)
}

func (c *Controller) enqueue(key string, ev informer.Event, obj runtime.Object) {
	ns, name := informer.SplitKey(informer.KeyOf(obj))
	c.queue.Add(key, c.clock.Now(), work.Trigger{Kind: work.Watch, EventType: string(ev.Type), Resource: ev.Resource,
		Namespace: ns, Name: name, Revision: ev.Revision})
}

// Name implements component.Component.
func (c *Controller) Name() string { return Name }

// Informers implements component.Component.
func (c *Controller) Informers() []*informer.Informer { return []*informer.Informer{c.rsInf, c.podInf} }

// Queue implements component.Component.
func (c *Controller) Queue() *work.Queue { return c.queue }

// Process syncs one ReplicaSet.
func (c *Controller) Process(it work.Item) component.Result {
	obj, ok := c.rsInf.Get(it.Key)
	if !ok {
		return component.Result{Notes: []component.Note{{ID: "trace.note.replicaset_gone", Args: map[string]any{"Name": it.Key}}}}
	}
	rs := obj.(*appsv1.ReplicaSet)
	if err := c.sync(rs); err != nil {
		return component.Result{Notes: []component.Note{{ID: "trace.note.sync_error", Args: map[string]any{"Error": err.Error()}}}}
	}
	return component.Result{}
}

// ownPods are the ReplicaSet's pods that count, active (not terminating, not finished), and
// terminating (being deleted, not finished): FilterActivePods and FilterTerminatingPods of
// k8s.io/kubernetes v1.37.2 pkg/controller/controller_utils.go.
func (c *Controller) ownPods(rs *appsv1.ReplicaSet) (active, terminating []*corev1.Pod) {
	sel, err := metav1.LabelSelectorAsSelector(rs.Spec.Selector)
	if err != nil {
		sel = labels.Nothing()
	}
	for _, o := range c.podInf.ByIndex(controller.ByControllerUID, string(rs.UID)) {
		p := o.(*corev1.Pod)
		if p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed || !sel.Matches(labels.Set(p.Labels)) {
			continue
		}
		if p.DeletionTimestamp != nil {
			terminating = append(terminating, p)
		} else {
			active = append(active, p)
		}
	}
	return active, terminating
}

func (c *Controller) sync(rs *appsv1.ReplicaSet) error {
	pods, terminating := c.ownPods(rs)
	var syncErr error
	if rs.DeletionTimestamp == nil {
		syncErr = c.manageReplicas(pods, rs)
	}
	// The status counts the pods as the cache saw them before this sync's creates and deletes, as
	// the real controller's does: the new pods show up in the next sync.
	if err := c.updateStatus(rs, pods, terminating); err != nil {
		return err
	}
	return syncErr
}

func (c *Controller) manageReplicas(pods []*corev1.Pod, rs *appsv1.ReplicaSet) error {
	want := int32(1)
	if rs.Spec.Replicas != nil {
		want = *rs.Spec.Replicas
	}
	diff := len(pods) - int(want)
	switch {
	case diff < 0:
		n := min(-diff, burstReplicas)
		_, err := slowStartBatch(n, 1, func() error { return c.createPod(rs) })
		return err
	case diff > 0:
		n := min(diff, burstReplicas)
		victims := victimsToDelete(pods, c.relatedPods(rs), n, c.clock.Now())
		for _, p := range victims {
			_, err := c.client.Delete("pods", p.Namespace, p.Name, apiserver.DeleteOptions{})
			if err != nil && !apierrors.IsNotFound(err) {
				c.rec.Eventf(rs, corev1.EventTypeWarning, "FailedDelete", "Error deleting: %v", err)
				return err
			}
			c.rec.Eventf(rs, corev1.EventTypeNormal, "SuccessfulDelete", "Deleted pod: %s", p.Name)
		}
	}
	return nil
}

// slowStartBatch calls fn count times in batches of 1, 2, 4, … and stops at the first batch with
// an error, so a failing create (say, a quota) costs one call and not hundreds.
func slowStartBatch(count, initial int, fn func() error) (int, error) {
	done := 0
	for batch := min(count, initial); count > 0; batch = min(2*batch, count) {
		for range batch {
			if err := fn(); err != nil {
				return done, err
			}
			done++
		}
		count -= batch
	}
	return done, nil
}

func (c *Controller) createPod(rs *appsv1.ReplicaSet) error {
	tmpl := rs.Spec.Template.DeepCopy()
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName:    rs.Name + "-",
			Namespace:       rs.Namespace,
			Labels:          tmpl.Labels,
			Annotations:     tmpl.Annotations,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(rs, controllerKind)},
		},
		Spec: tmpl.Spec,
	}
	created, err := c.client.Create("pods", rs.Namespace, pod)
	if err != nil {
		c.rec.Eventf(rs, corev1.EventTypeWarning, "FailedCreate", "Error creating: %v", err)
		return err
	}
	c.rec.Eventf(rs, corev1.EventTypeNormal, "SuccessfulCreate", "Created pod: %s", created.(*corev1.Pod).Name)
	return nil
}

// relatedPods are the active pods of every ReplicaSet controlled by rs's own controller (the
// Deployment's other revisions too), as getIndirectlyRelatedPods finds them; a ReplicaSet
// without a controller has none.
func (c *Controller) relatedPods(rs *appsv1.ReplicaSet) []*corev1.Pod {
	ref := metav1.GetControllerOf(rs)
	if ref == nil {
		return nil
	}
	var out []*corev1.Pod
	for _, o := range c.rsInf.ByIndex(controller.ByControllerUID, string(ref.UID)) {
		for _, p := range c.podInf.ByIndex(controller.ByControllerUID, string(o.(*appsv1.ReplicaSet).UID)) {
			if pod := p.(*corev1.Pod); pod.DeletionTimestamp == nil && pod.Status.Phase != corev1.PodSucceeded && pod.Status.Phase != corev1.PodFailed {
				out = append(out, pod)
			}
		}
	}
	return out
}

// victimsToDelete ranks pods as the real controller's ActivePodsWithRanks does and returns the n
// least useful. Each pod's rank is the number of related active pods on its node, so a scale-down
// first thins out the nodes that hold the most replicas.
func victimsToDelete(pods, related []*corev1.Pod, n int, now time.Time) []*corev1.Pod {
	if n >= len(pods) {
		return pods
	}
	onNode := map[string]int{}
	for _, p := range related {
		onNode[p.Spec.NodeName]++
	}
	sorted := append([]*corev1.Pod(nil), pods...)
	sort.SliceStable(sorted, func(i, j int) bool {
		return lessUseful(sorted[i], sorted[j], onNode[sorted[i].Spec.NodeName], onNode[sorted[j].Spec.NodeName], now)
	})
	return sorted[:n]
}

// deletionCostAnnotation lets users say which pods to remove first (lower cost first).
const deletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"

// lessUseful is ActivePodsWithRanks.Less with the PodDeletionCost and LogarithmicScaleDown
// features on, as they are by default: unscheduled before scheduled; Pending, Unknown, Running;
// not ready before ready; lower deletion cost; more replicas on the same node; ready for less
// time; more restarts; younger. Times count in powers of two of their age, ties going by uid.
func lessUseful(a, b *corev1.Pod, rankA, rankB int, now time.Time) bool {
	if (a.Spec.NodeName == "") != (b.Spec.NodeName == "") {
		return a.Spec.NodeName == ""
	}
	if pa, pb := phaseRank(a.Status.Phase), phaseRank(b.Status.Phase); pa != pb {
		return pa < pb
	}
	if podReady(a) != podReady(b) {
		return !podReady(a)
	}
	if ca, cb := deletionCost(a), deletionCost(b); ca != cb {
		return ca < cb
	}
	if rankA != rankB {
		return rankA > rankB
	}
	if podReady(a) && podReady(b) {
		ta, tb := readyTime(a), readyTime(b)
		if !ta.Equal(&tb) {
			return newerInLogScale(ta, tb, now, a.UID < b.UID)
		}
	}
	if ra, rb := restarts(a), restarts(b); ra != rb {
		return ra > rb
	}
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		return newerInLogScale(a.CreationTimestamp, b.CreationTimestamp, now, a.UID < b.UID)
	}
	return false
}

// newerInLogScale compares two times by the base-2 logarithm of their age: the younger bucket
// first, and tie within one bucket. A zero time counts as the newest.
func newerInLogScale(a, b metav1.Time, now time.Time, tie bool) bool {
	if a.IsZero() || b.IsZero() {
		return a.IsZero()
	}
	if d := log2Age(a, now) - log2Age(b, now); d != 0 {
		return d < 0
	}
	return tie
}

func log2Age(t metav1.Time, now time.Time) int64 {
	d := now.Sub(t.Time)
	if d <= 0 {
		return -1
	}
	return int64(math.Log2(float64(d)))
}

func deletionCost(p *corev1.Pod) int32 {
	v, ok := p.Annotations[deletionCostAnnotation]
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0
	}
	return int32(n)
}

func phaseRank(p corev1.PodPhase) int {
	switch p {
	case corev1.PodPending:
		return 0
	case corev1.PodUnknown:
		return 1
	case corev1.PodRunning:
		return 2
	}
	return 3
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func readyTime(p *corev1.Pod) metav1.Time {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.LastTransitionTime
		}
	}
	return metav1.Time{}
}

// restarts is the highest restart count among the pod's containers.
func restarts(p *corev1.Pod) int32 {
	var n int32
	for _, cs := range p.Status.ContainerStatuses {
		n = max(n, cs.RestartCount)
	}
	return n
}

func (c *Controller) updateStatus(rs *appsv1.ReplicaSet, pods, terminating []*corev1.Pod) error {
	// terminatingReplicas: DeploymentReplicaSetTerminatingReplicas is beta, on, since v1.35
	// (calculateStatus in pkg/controller/replicaset/replica_set_utils.go).
	st := appsv1.ReplicaSetStatus{ObservedGeneration: rs.Generation, Conditions: rs.Status.Conditions,
		TerminatingReplicas: ptr.To(int32(len(terminating)))}
	tmplLabels := labels.Set(rs.Spec.Template.Labels).AsSelectorPreValidated()
	for _, p := range pods {
		st.Replicas++
		if tmplLabels.Matches(labels.Set(p.Labels)) {
			st.FullyLabeledReplicas++
		}
		if podReady(p) {
			st.ReadyReplicas++
			if available(p, rs.Spec.MinReadySeconds, c.clock.Now()) {
				st.AvailableReplicas++
			}
		}
	}
	if apiequality.Semantic.DeepEqual(st, rs.Status) {
		return nil
	}
	cp := rs.DeepCopy()
	cp.Status = st
	_, err := c.client.UpdateStatus("replicasets", cp.Namespace, cp)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("updating status of replicaset %s: %w", rs.Name, err)
	}
	return nil
}

func available(p *corev1.Pod, minReadySeconds int32, now time.Time) bool {
	if minReadySeconds == 0 {
		return true
	}
	t := readyTime(p)
	return !t.IsZero() && now.Unix()-t.Unix() >= int64(minReadySeconds)
}
