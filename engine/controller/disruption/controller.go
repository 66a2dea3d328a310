// Package disruption is the miniature disruption controller of kube-controller-manager
// (k8s.io/kubernetes v1.37.2 pkg/controller/disruption/disruption.go): for every
// PodDisruptionBudget it counts the pods its selector matches and writes the status the eviction
// API reads — expectedPods, desiredHealthy (from minAvailable or maxUnavailable, a percentage taken
// of the pods' controllers' scale), currentHealthy (ready pods not being deleted nor just evicted),
// disruptionsAllowed and the DisruptionAllowed condition. A pod the eviction API noted as
// disrupted stops counting as healthy for two minutes (DeletionTimeout) or until it is being
// deleted; a timer rechecks the budget when that time runs out.
package disruption

import (
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/events"
	"github.com/k8slearn/k8slearn/engine/informer"
	"github.com/k8slearn/k8slearn/engine/work"
)

// Name is the controller's name in kube-controller-manager (cmd/kube-controller-manager/names).
const Name = "disruption-controller"

// eventSource is the component its events name (NewDisruptionControllerInternal's recorder).
const eventSource = "controllermanager"

// DeletionTimeout is how long a pod the eviction API disrupted is expected to take to go.
const DeletionTimeout = 2 * time.Minute

// Controller keeps PodDisruptionBudgets' status.
type Controller struct {
	client *apiserver.Client
	clock  clock.Clock
	rec    *events.Recorder
	queue  *work.Queue
	pdbInf *informer.Informer
	podInf *informer.Informer
	rsInf  *informer.Informer
	depInf *informer.Informer
	// written is the resourceVersion of each budget's last status write, whose echo needs no sync.
	written map[string]string
}

// New starts the controller's informers.
func New(api *apiserver.Server, clk clock.Clock, agenda *work.Agenda) (*Controller, error) {
	c := &Controller{client: api.Client(Name), clock: clk, queue: agenda.NewQueue(Name), written: map[string]string{}}
	c.rec = events.NewRecorder(c.client, clk, eventSource, "")
	var err error
	c.pdbInf, err = informer.New(c.client, "poddisruptionbudgets", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd: func(o runtime.Object, ev informer.Event) { c.enqueue(informer.KeyOf(o), ev) },
		OnUpdate: func(_, o runtime.Object, ev informer.Event) {
			if key := informer.KeyOf(o); c.written[key] != o.(*policyv1.PodDisruptionBudget).ResourceVersion {
				c.enqueue(key, ev)
			}
		},
		OnDelete: func(o runtime.Object, _ informer.Event) {
			key := informer.KeyOf(o)
			delete(c.written, key)
			c.queue.CancelTimer(key)
		},
	}, nil)
	if err != nil {
		return nil, err
	}
	c.podInf, err = informer.New(c.client, "pods", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd: func(o runtime.Object, ev informer.Event) { c.podChanged(o.(*corev1.Pod), ev) },
		OnUpdate: func(old, o runtime.Object, ev informer.Event) {
			if podMatters(old.(*corev1.Pod), o.(*corev1.Pod)) {
				c.podChanged(o.(*corev1.Pod), ev)
			}
		},
		OnDelete: func(o runtime.Object, ev informer.Event) { c.podChanged(o.(*corev1.Pod), ev) },
	}, nil)
	if err != nil {
		return nil, err
	}
	if c.rsInf, err = informer.New(c.client, "replicasets", "", apiserver.ListOptions{}, informer.Handlers{}, nil); err != nil {
		return nil, err
	}
	if c.depInf, err = informer.New(c.client, "deployments", "", apiserver.ListOptions{}, informer.Handlers{}, nil); err != nil {
		return nil, err
	}
	return c, nil
}

// Name implements component.Component.
func (c *Controller) Name() string { return Name }

// Informers implements component.Component.
func (c *Controller) Informers() []*informer.Informer {
	return []*informer.Informer{c.pdbInf, c.podInf, c.rsInf, c.depInf}
}

// Queue implements component.Component.
func (c *Controller) Queue() *work.Queue { return c.queue }

func (c *Controller) enqueue(key string, ev informer.Event) {
	ns, name := informer.SplitKey(key)
	c.queue.Add(key, c.clock.Now(), work.Trigger{Kind: work.Watch, EventType: string(ev.Type), Resource: ev.Resource,
		Namespace: ns, Name: name, Revision: ev.Revision})
}

// podMatters: a change that can change a budget's counts.
func podMatters(old, cur *corev1.Pod) bool {
	return podReady(old) != podReady(cur) || (old.DeletionTimestamp == nil) != (cur.DeletionTimestamp == nil) ||
		old.Status.Phase != cur.Status.Phase || !apiequality.Semantic.DeepEqual(old.Labels, cur.Labels)
}

// podChanged queues the budget of a pod (getPdbForPod), recording MultiplePodDisruptionBudgets when
// more than one selects it.
func (c *Controller) podChanged(pod *corev1.Pod, ev informer.Event) {
	var matched []*policyv1.PodDisruptionBudget
	for _, o := range c.pdbInf.List() {
		pdb := o.(*policyv1.PodDisruptionBudget)
		if pdb.Namespace == pod.Namespace && selects(pdb, pod) {
			matched = append(matched, pdb)
		}
	}
	if len(matched) == 0 {
		return
	}
	pdb := matched[0]
	c.queue.Add(pdb.Namespace+"/"+pdb.Name, c.clock.Now(), work.Trigger{Kind: work.Watch, EventType: string(ev.Type),
		Resource: ev.Resource, Namespace: pod.Namespace, Name: pod.Name, Revision: ev.Revision})
}

func selects(pdb *policyv1.PodDisruptionBudget, pod *corev1.Pod) bool {
	sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
	if err != nil || sel.Empty() {
		return false
	}
	return sel.Matches(labels.Set(pod.Labels))
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// Process syncs one budget.
func (c *Controller) Process(it work.Item) component.Result {
	obj, ok := c.pdbInf.Get(it.Key)
	if !ok {
		return component.Result{}
	}
	if err := c.sync(obj.(*policyv1.PodDisruptionBudget)); err != nil {
		return component.Result{Notes: []component.Note{{ID: "trace.note.sync_error", Args: map[string]any{"Error": err.Error()}}}}
	}
	return component.Result{}
}

// sync is trySync, with failSafe when the expected count cannot be worked out.
func (c *Controller) sync(pdb *policyv1.PodDisruptionBudget) error {
	var pods []*corev1.Pod
	for _, o := range c.podInf.List() {
		if p := o.(*corev1.Pod); p.Namespace == pdb.Namespace && selects(pdb, p) {
			pods = append(pods, p)
		}
	}
	if len(pods) == 0 {
		c.rec.Event(pdb, corev1.EventTypeNormal, "NoPods", "No matching pods found")
	}
	expected, desired, unmanaged, err := c.expectedPodCount(pdb, pods)
	if err != nil {
		c.rec.Eventf(pdb, corev1.EventTypeWarning, "CalculateExpectedPodCountFailed", "Failed to calculate the number of expected pods: %v", err)
		return c.failSafe(pdb, err)
	}
	if len(unmanaged) > 0 {
		c.rec.Eventf(pdb, corev1.EventTypeWarning, "UnmanagedPods", "Pods selected by this PodDisruptionBudget (selector: %v) were found "+
			"to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. "+
			"To account for these pods please set \".spec.minAvailable\" "+
			"field of the PDB to an integer value.", pdb.Spec.Selector)
	}
	now := c.clock.Now()
	disrupted, recheck := c.disruptedPods(pods, pdb, now)
	healthy := int32(0)
	for _, p := range pods {
		if p.DeletionTimestamp != nil {
			continue
		}
		if t, ok := disrupted[p.Name]; ok && t.Add(DeletionTimeout).After(now) {
			continue
		}
		if podReady(p) {
			healthy++
		}
	}
	if err := c.updateStatus(pdb, healthy, desired, expected, disrupted); err != nil {
		return err
	}
	key := pdb.Namespace + "/" + pdb.Name
	c.queue.CancelTimer(key)
	if recheck != nil {
		c.queue.AddTimer(key, *recheck, work.Trigger{Note: "trigger.pdb_recheck", Args: map[string]any{"Budget": key}})
	}
	return nil
}

// expectedPodCount is getExpectedPodCount: with an integer minAvailable the pods found, else the
// scale of their controllers.
func (c *Controller) expectedPodCount(pdb *policyv1.PodDisruptionBudget, pods []*corev1.Pod) (expected, desired int32, unmanaged []string, err error) {
	switch {
	case pdb.Spec.MaxUnavailable != nil:
		expected, unmanaged, err = c.expectedScale(pods)
		if err != nil {
			return
		}
		var maxUnavailable int
		maxUnavailable, err = intstr.GetScaledValueFromIntOrPercent(pdb.Spec.MaxUnavailable, int(expected), true)
		if err != nil {
			return
		}
		desired = max(expected-int32(maxUnavailable), 0)
	case pdb.Spec.MinAvailable != nil && pdb.Spec.MinAvailable.Type == intstr.Int:
		desired, expected = pdb.Spec.MinAvailable.IntVal, int32(len(pods))
	case pdb.Spec.MinAvailable != nil:
		expected, unmanaged, err = c.expectedScale(pods)
		if err != nil {
			return
		}
		var minAvailable int
		minAvailable, err = intstr.GetScaledValueFromIntOrPercent(pdb.Spec.MinAvailable, int(expected), true)
		desired = int32(minAvailable)
	}
	return
}

// expectedScale is getExpectedScale: the sum of the scale of the pods' controllers — a
// ReplicaSet's replicas, or its Deployment's when a Deployment controls it.
func (c *Controller) expectedScale(pods []*corev1.Pod) (int32, []string, error) {
	scale := map[types.UID]int32{}
	var unmanaged []string
	for _, p := range pods {
		ref := metav1.GetControllerOf(p)
		if ref == nil {
			unmanaged = append(unmanaged, p.Name)
			continue
		}
		if _, seen := scale[ref.UID]; seen {
			continue
		}
		uid, n, found := c.controllerScale(ref, p.Namespace)
		if !found {
			return 0, nil, fmt.Errorf("found no controllers for pod %q", p.Name)
		}
		scale[uid] = n
	}
	total := int32(0)
	for _, n := range scale {
		total += n
	}
	return total, unmanaged, nil
}

func (c *Controller) controllerScale(ref *metav1.OwnerReference, ns string) (types.UID, int32, bool) {
	if ref.Kind != "ReplicaSet" {
		return "", 0, false
	}
	obj, ok := c.rsInf.Get(ns + "/" + ref.Name)
	if !ok || obj.(*appsv1.ReplicaSet).UID != ref.UID {
		return "", 0, false
	}
	rs := obj.(*appsv1.ReplicaSet)
	if dref := metav1.GetControllerOf(rs); dref != nil && dref.Kind == "Deployment" {
		if d, ok := c.depInf.Get(ns + "/" + dref.Name); ok && d.(*appsv1.Deployment).UID == dref.UID {
			return d.(*appsv1.Deployment).UID, replicas(d.(*appsv1.Deployment).Spec.Replicas), true
		}
	}
	return rs.UID, replicas(rs.Spec.Replicas), true
}

func replicas(n *int32) int32 {
	if n == nil {
		return 1
	}
	return *n
}

// disruptedPods is buildDisruptedPodMap: the disrupted pods still expected to go, and when to look
// again; one that outlived DeletionTimeout without going gets the NotDeleted event.
func (c *Controller) disruptedPods(pods []*corev1.Pod, pdb *policyv1.PodDisruptionBudget, now time.Time) (map[string]metav1.Time, *time.Time) {
	out := map[string]metav1.Time{}
	var recheck *time.Time
	if pdb.Status.DisruptedPods == nil {
		return out, nil
	}
	for _, p := range pods {
		if p.DeletionTimestamp != nil {
			continue
		}
		t, found := pdb.Status.DisruptedPods[p.Name]
		if !found {
			continue
		}
		expected := t.Add(DeletionTimeout)
		if expected.Before(now) {
			// (the upstream message names the namespace twice)
			c.rec.Eventf(p, corev1.EventTypeWarning, "NotDeleted", "Pod was expected by PDB %s/%s to be deleted but it wasn't", pdb.Namespace, pdb.Namespace)
			continue
		}
		if recheck == nil || expected.Before(*recheck) {
			recheck = &expected
		}
		out[p.Name] = t
	}
	return out, recheck
}

// updateStatus is updatePdbStatus: nothing is written when nothing changed.
func (c *Controller) updateStatus(pdb *policyv1.PodDisruptionBudget, healthy, desired, expected int32, disrupted map[string]metav1.Time) error {
	allowed := healthy - desired
	if expected <= 0 || allowed <= 0 {
		allowed = 0
	}
	st := pdb.Status
	if st.CurrentHealthy == healthy && st.DesiredHealthy == desired && st.ExpectedPods == expected &&
		st.DisruptionsAllowed == allowed && apiequality.Semantic.DeepEqual(st.DisruptedPods, disrupted) &&
		st.ObservedGeneration == pdb.Generation && conditionsUpToDate(pdb) {
		return nil
	}
	out := pdb.DeepCopy()
	out.Status = policyv1.PodDisruptionBudgetStatus{CurrentHealthy: healthy, DesiredHealthy: desired, ExpectedPods: expected,
		DisruptionsAllowed: allowed, DisruptedPods: disrupted, ObservedGeneration: pdb.Generation, Conditions: out.Status.Conditions}
	apiserver.UpdateDisruptionAllowedCondition(out, c.clock.Now())
	return c.writeStatus(out)
}

// failSafe allows no disruption, with a SyncFailed condition saying why.
func (c *Controller) failSafe(pdb *policyv1.PodDisruptionBudget, cause error) error {
	out := pdb.DeepCopy()
	out.Status.DisruptionsAllowed = 0
	if out.Status.Conditions == nil {
		out.Status.Conditions = []metav1.Condition{}
	}
	apimeta.SetStatusCondition(&out.Status.Conditions, metav1.Condition{Type: policyv1.DisruptionAllowedCondition,
		Status: metav1.ConditionFalse, Reason: policyv1.SyncFailedReason, Message: cause.Error(), ObservedGeneration: out.Status.ObservedGeneration,
		LastTransitionTime: metav1.NewTime(c.clock.Now().Truncate(time.Second))})
	return c.writeStatus(out)
}

func (c *Controller) writeStatus(pdb *policyv1.PodDisruptionBudget) error {
	out, err := c.client.UpdateStatus("poddisruptionbudgets", pdb.Namespace, pdb)
	if err != nil {
		return err
	}
	c.written[pdb.Namespace+"/"+pdb.Name] = out.(*policyv1.PodDisruptionBudget).ResourceVersion
	return nil
}

// conditionsUpToDate is ConditionsAreUpToDate (k8s.io/component-helpers v0.37.2
// apps/poddisruptionbudget/helpers.go).
func conditionsUpToDate(pdb *policyv1.PodDisruptionBudget) bool {
	cond := apimeta.FindStatusCondition(pdb.Status.Conditions, policyv1.DisruptionAllowedCondition)
	if cond == nil || pdb.Status.ObservedGeneration != pdb.Generation {
		return false
	}
	if pdb.Status.DisruptionsAllowed > 0 {
		return cond.Status == metav1.ConditionTrue && cond.Reason == policyv1.SufficientPodsReason
	}
	return cond.Status == metav1.ConditionFalse && cond.Reason == policyv1.InsufficientPodsReason
}
