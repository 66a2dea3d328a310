// Package deployment is the miniature deployment controller: it watches Deployments and their
// ReplicaSets, creates a ReplicaSet per pod template (named <deployment>-<pod-template-hash>), rolls
// updates within maxSurge/maxUnavailable, and reports status and conditions, in the shape of
// kube-controller-manager's pkg/controller/deployment.
package deployment

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/controller"
	"github.com/k8slearn/k8slearn/engine/events"
	"github.com/k8slearn/k8slearn/engine/informer"
	"github.com/k8slearn/k8slearn/engine/work"
)

// Name is the controller's name, as its events' source shows it.
const Name = "deployment-controller"

// Annotations the controller keeps on ReplicaSets.
const (
	RevisionAnnotation        = "deployment.kubernetes.io/revision"
	DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
	MaxReplicasAnnotation     = "deployment.kubernetes.io/max-replicas"
	// PodTemplateHashLabel distinguishes the pods of a Deployment's ReplicaSets.
	PodTemplateHashLabel = "pod-template-hash"
)

// controllerKind is the kind in the owner references this controller writes and follows, as
// pkg/controller/deployment/deployment_controller.go (kubernetes v1.37.2) declares it. Never written.
var controllerKind = appsv1.SchemeGroupVersion.WithKind("Deployment")

// Controller reconciles Deployments.
type Controller struct {
	client *apiserver.Client
	clock  clock.Clock
	rec    *events.Recorder
	queue  *work.Queue
	dInf   *informer.Informer
	rsInf  *informer.Informer
}

// New starts the controller's informers.
func New(api *apiserver.Server, clk clock.Clock, agenda *work.Agenda) (*Controller, error) {
	c := &Controller{client: api.Client(Name), clock: clk, queue: agenda.NewQueue(Name)}
	c.rec = events.NewRecorder(c.client, clk, Name, "")
	var err error
	c.dInf, err = informer.New(c.client, "deployments", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd: func(o runtime.Object, ev informer.Event) { c.enqueue(informer.KeyOf(o), ev, o) },
		OnUpdate: func(old, o runtime.Object, ev informer.Event) {
			if !statusOnlyChange(old, o) {
				c.enqueue(informer.KeyOf(o), ev, o)
			}
		},
		OnDelete: func(o runtime.Object, ev informer.Event) { c.enqueue(informer.KeyOf(o), ev, o) },
	}, nil)
	if err != nil {
		return nil, err
	}
	onRS := func(o runtime.Object, ev informer.Event) {
		rs := o.(*appsv1.ReplicaSet)
		if ref := metav1.GetControllerOf(rs); ref != nil && ref.Kind == controllerKind.Kind {
			c.enqueue(rs.Namespace+"/"+ref.Name, ev, o)
		}
	}
	c.rsInf, err = informer.New(c.client, "replicasets", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd:    onRS,
		OnUpdate: func(_, o runtime.Object, ev informer.Event) { onRS(o, ev) },
		OnDelete: onRS,
	}, controller.Indexers())
	if err != nil {
		return nil, err
	}
	return c, nil
}

// statusOnlyChange is an update that changed only the Deployment's status: the echo of this
// controller's own status write. The real controller syncs on it too and finds nothing to do;
// skipping it keeps the trace to actions that matter.
func statusOnlyChange(old, cur runtime.Object) bool {
	o, n := old.(*appsv1.Deployment), cur.(*appsv1.Deployment)
	return o.Generation == n.Generation && apiequality.Semantic.DeepEqual(o.ObjectMeta.Labels, n.ObjectMeta.Labels) &&
		apiequality.Semantic.DeepEqual(o.Annotations, n.Annotations) && (o.DeletionTimestamp == nil) == (n.DeletionTimestamp == nil) &&
		apiequality.Semantic.DeepEqual(o.Spec, n.Spec)
}

func (c *Controller) enqueue(key string, ev informer.Event, obj runtime.Object) {
	ns, name := informer.SplitKey(informer.KeyOf(obj))
	c.queue.Add(key, c.clock.Now(), work.Trigger{Kind: work.Watch, EventType: string(ev.Type), Resource: ev.Resource,
		Namespace: ns, Name: name, Revision: ev.Revision})
}

// Name implements component.Component.
func (c *Controller) Name() string { return Name }

// Informers implements component.Component.
func (c *Controller) Informers() []*informer.Informer { return []*informer.Informer{c.dInf, c.rsInf} }

// Queue implements component.Component.
func (c *Controller) Queue() *work.Queue { return c.queue }

// Process syncs one Deployment.
func (c *Controller) Process(it work.Item) component.Result {
	obj, ok := c.dInf.Get(it.Key)
	if !ok {
		// Deleted: the garbage collector removes its ReplicaSets.
		return component.Result{Notes: []component.Note{{ID: "trace.note.deployment_gone", Args: map[string]any{"Name": it.Key}}}}
	}
	d := obj.(*appsv1.Deployment).DeepCopy()
	if err := c.sync(d); err != nil {
		// A conflict means our cache was behind; the watch event that follows queues the key again.
		return component.Result{Notes: []component.Note{{ID: "trace.note.sync_error", Args: map[string]any{"Error": err.Error()}}}}
	}
	return component.Result{}
}

func (c *Controller) sync(d *appsv1.Deployment) error {
	rsList := c.ownedReplicaSets(d)
	if d.DeletionTimestamp != nil {
		return c.syncStatusOnly(d, rsList)
	}
	d, err := c.checkPausedConditions(d)
	if err != nil {
		return err
	}
	if d.Spec.Paused {
		// A paused Deployment still scales (the real controller's sync()); only a new rollout waits.
		if scalingWhilePaused(d, rsList) {
			return c.scale(d, rsList)
		}
		return c.syncStatusOnly(d, rsList)
	}
	if c.isScalingEvent(d, rsList) {
		return c.scale(d, rsList)
	}
	if d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
		return c.rolloutRecreate(d, rsList)
	}
	return c.rolloutRolling(d, rsList)
}

// checkPausedConditions records a pause or a resume in the Progressing condition, as the real
// controller's checkPausedConditions (k8s.io/kubernetes v1.37.2 pkg/controller/deployment/sync.go)
// does before anything else; a timed-out rollout keeps its condition.
func (c *Controller) checkPausedConditions(d *appsv1.Deployment) (*appsv1.Deployment, error) {
	if d.Spec.ProgressDeadlineSeconds == nil || *d.Spec.ProgressDeadlineSeconds == math.MaxInt32 {
		return d, nil
	}
	cond := getCondition(d.Status, appsv1.DeploymentProgressing)
	if cond != nil && cond.Reason == "ProgressDeadlineExceeded" {
		return d, nil
	}
	paused := cond != nil && cond.Reason == "DeploymentPaused"
	switch {
	case d.Spec.Paused && !paused:
		setCondition(&d.Status, appsv1.DeploymentCondition{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionUnknown,
			Reason: "DeploymentPaused", Message: "Deployment is paused"}, c.now())
	case !d.Spec.Paused && paused:
		setCondition(&d.Status, appsv1.DeploymentCondition{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionUnknown,
			Reason: "DeploymentResumed", Message: "Deployment is resumed"}, c.now())
	default:
		return d, nil
	}
	out, err := c.client.UpdateStatus("deployments", d.Namespace, d)
	if err != nil {
		return nil, err
	}
	return out.(*appsv1.Deployment), nil
}

// ownedReplicaSets are the ReplicaSets whose controller is d, oldest first.
func (c *Controller) ownedReplicaSets(d *appsv1.Deployment) []*appsv1.ReplicaSet {
	var out []*appsv1.ReplicaSet
	for _, o := range c.rsInf.ByIndex(controller.ByControllerUID, string(d.UID)) {
		out = append(out, o.(*appsv1.ReplicaSet))
	}
	sortByCreation(out)
	return out
}

func sortByCreation(list []*appsv1.ReplicaSet) {
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].CreationTimestamp.Equal(&list[j].CreationTimestamp) {
			return list[i].Name < list[j].Name
		}
		return list[i].CreationTimestamp.Before(&list[j].CreationTimestamp)
	})
}

// findNewReplicaSet returns the ReplicaSet whose template equals the Deployment's, ignoring the
// pod-template-hash label, as EqualIgnoreHash does.
func findNewReplicaSet(d *appsv1.Deployment, rsList []*appsv1.ReplicaSet) (*appsv1.ReplicaSet, []*appsv1.ReplicaSet) {
	var newRS *appsv1.ReplicaSet
	var old []*appsv1.ReplicaSet
	for _, rs := range rsList {
		if newRS == nil && equalIgnoreHash(&rs.Spec.Template, &d.Spec.Template) {
			newRS = rs
			continue
		}
		old = append(old, rs)
	}
	return newRS, old
}

func equalIgnoreHash(a, b *corev1.PodTemplateSpec) bool {
	a, b = a.DeepCopy(), b.DeepCopy()
	delete(a.Labels, PodTemplateHashLabel)
	delete(b.Labels, PodTemplateHashLabel)
	return apiequality.Semantic.DeepEqual(a, b)
}

func replicas(rs *appsv1.ReplicaSet) int32 {
	if rs == nil || rs.Spec.Replicas == nil {
		return 0
	}
	return *rs.Spec.Replicas
}

func deploymentReplicas(d *appsv1.Deployment) int32 {
	if d.Spec.Replicas == nil {
		return 1
	}
	return *d.Spec.Replicas
}

// maxSurgeAndUnavailable resolves the rolling-update limits as absolute numbers; surge rounds up,
// unavailable rounds down, and both zero means one may be unavailable.
func maxSurgeAndUnavailable(d *appsv1.Deployment) (int32, int32) {
	if d.Spec.Strategy.Type != appsv1.RollingUpdateDeploymentStrategyType || d.Spec.Strategy.RollingUpdate == nil {
		return 0, 0
	}
	n := int(deploymentReplicas(d))
	ru := d.Spec.Strategy.RollingUpdate
	surge, unavail := intstr.FromInt32(0), intstr.FromInt32(0)
	if ru.MaxSurge != nil {
		surge = *ru.MaxSurge
	}
	if ru.MaxUnavailable != nil {
		unavail = *ru.MaxUnavailable
	}
	s, _ := intstr.GetScaledValueFromIntOrPercent(&surge, n, true)
	u, _ := intstr.GetScaledValueFromIntOrPercent(&unavail, n, false)
	if s == 0 && u == 0 {
		u = 1
	}
	return int32(s), int32(u)
}

func sumReplicas(list []*appsv1.ReplicaSet) int32 {
	var n int32
	for _, rs := range list {
		n += replicas(rs)
	}
	return n
}

func revisionOf(rs *appsv1.ReplicaSet) int64 {
	v, _ := strconv.ParseInt(rs.Annotations[RevisionAnnotation], 10, 64)
	return v
}

func maxRevision(list []*appsv1.ReplicaSet) int64 {
	var m int64
	for _, rs := range list {
		if r := revisionOf(rs); r > m {
			m = r
		}
	}
	return m
}

// newRSReplicas is how many replicas the new ReplicaSet may have now (NewRSNewReplicas).
func newRSReplicas(d *appsv1.Deployment, all []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) int32 {
	want := deploymentReplicas(d)
	if d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
		return want
	}
	surge, _ := maxSurgeAndUnavailable(d)
	current := sumReplicas(all)
	maxTotal := want + surge
	if current >= maxTotal {
		return replicas(newRS)
	}
	up := maxTotal - current
	if room := want - replicas(newRS); up > room {
		up = room
	}
	return replicas(newRS) + up
}

// getNewReplicaSet returns the ReplicaSet for the current template, creating it if asked.
func (c *Controller) getNewReplicaSet(d *appsv1.Deployment, rsList []*appsv1.ReplicaSet, create bool) (*appsv1.ReplicaSet, []*appsv1.ReplicaSet, error) {
	existing, old := findNewReplicaSet(d, rsList)
	newRevision := strconv.FormatInt(maxRevision(old)+1, 10)
	if existing != nil {
		// Keep the revision and replica annotations current.
		surge, _ := maxSurgeAndUnavailable(d)
		want := map[string]string{RevisionAnnotation: newRevision,
			DesiredReplicasAnnotation: strconv.Itoa(int(deploymentReplicas(d))),
			MaxReplicasAnnotation:     strconv.Itoa(int(deploymentReplicas(d) + surge))}
		if revisionOf(existing) >= maxRevision(old)+1 {
			want[RevisionAnnotation] = existing.Annotations[RevisionAnnotation]
		}
		if needsAnnotations(existing, want) {
			rs := existing.DeepCopy()
			if rs.Annotations == nil {
				rs.Annotations = map[string]string{}
			}
			for k, v := range want {
				rs.Annotations[k] = v
			}
			updated, err := c.client.Update("replicasets", rs.Namespace, rs)
			if err != nil {
				return nil, nil, err
			}
			return updated.(*appsv1.ReplicaSet), old, nil
		}
		// The Deployment carries its current revision, as SetDeploymentRevision keeps it.
		if setRevision(d, existing.Annotations[RevisionAnnotation]) {
			updated, err := c.client.UpdateStatus("deployments", d.Namespace, d)
			if err != nil {
				return nil, nil, err
			}
			*d = *updated.(*appsv1.Deployment)
		}
		return existing, old, nil
	}
	if !create {
		return nil, old, nil
	}
	tmpl := d.Spec.Template.DeepCopy()
	hash := ComputeHash(&d.Spec.Template, d.Status.CollisionCount)
	if tmpl.Labels == nil {
		tmpl.Labels = map[string]string{}
	}
	tmpl.Labels[PodTemplateHashLabel] = hash
	sel := d.Spec.Selector.DeepCopy()
	if sel.MatchLabels == nil {
		sel.MatchLabels = map[string]string{}
	}
	sel.MatchLabels[PodTemplateHashLabel] = hash
	count := newRSReplicas(d, rsList, nil)
	surge, _ := maxSurgeAndUnavailable(d)
	annotations := map[string]string{}
	for k, v := range d.Annotations {
		if k != "kubectl.kubernetes.io/last-applied-configuration" && k != RevisionAnnotation {
			annotations[k] = v
		}
	}
	annotations[RevisionAnnotation] = newRevision
	annotations[DesiredReplicasAnnotation] = strconv.Itoa(int(deploymentReplicas(d)))
	annotations[MaxReplicasAnnotation] = strconv.Itoa(int(deploymentReplicas(d) + surge))
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			Name: d.Name + "-" + hash, Namespace: d.Namespace, Labels: tmpl.Labels, Annotations: annotations,
			OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(d, controllerKind)},
		},
		Spec: appsv1.ReplicaSetSpec{Replicas: &count, MinReadySeconds: d.Spec.MinReadySeconds, Selector: sel, Template: *tmpl},
	}
	created, err := c.client.Create("replicasets", d.Namespace, rs)
	if apierrors.IsAlreadyExists(err) {
		// A ReplicaSet with this name exists but is not ours or has another template: a hash
		// collision. Bump collisionCount so the next sync computes another name.
		cc := int32(0)
		if d.Status.CollisionCount != nil {
			cc = *d.Status.CollisionCount
		}
		cc++
		d.Status.CollisionCount = &cc
		_, uerr := c.client.UpdateStatus("deployments", d.Namespace, d)
		if uerr != nil {
			return nil, nil, uerr
		}
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, err
	}
	newRS := created.(*appsv1.ReplicaSet)
	if count > 0 {
		c.rec.Eventf(d, corev1.EventTypeNormal, "ScalingReplicaSet", "Scaled up replica set %s from 0 to %d", newRS.Name, count)
	}
	setRevision(d, newRevision)
	setCondition(&d.Status, appsv1.DeploymentCondition{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue,
		Reason: "NewReplicaSetCreated", Message: fmt.Sprintf("Created new replica set %q", newRS.Name)}, c.now())
	updated, err := c.client.UpdateStatus("deployments", d.Namespace, d)
	if err != nil {
		return nil, nil, err
	}
	// Go on with the object as now stored, so the sync's last status write is not a conflict.
	*d = *updated.(*appsv1.Deployment)
	return newRS, old, nil
}

// setRevision records revision in the Deployment's deployment.kubernetes.io/revision annotation
// and reports whether it changed.
func setRevision(d *appsv1.Deployment, revision string) bool {
	if revision == "" || d.Annotations[RevisionAnnotation] == revision {
		return false
	}
	if d.Annotations == nil {
		d.Annotations = map[string]string{}
	}
	d.Annotations[RevisionAnnotation] = revision
	return true
}

func needsAnnotations(rs *appsv1.ReplicaSet, want map[string]string) bool {
	for k, v := range want {
		if rs.Annotations[k] != v {
			return true
		}
	}
	return false
}

func (c *Controller) now() metav1.Time { return metav1.NewTime(c.clock.Now().Truncate(1e9)) }

// setCondition is SetDeploymentCondition: an unchanged status and reason changes nothing; an
// unchanged status keeps its transition time; the condition moves to the end of the list.
func setCondition(st *appsv1.DeploymentStatus, cond appsv1.DeploymentCondition, now metav1.Time) {
	cond.LastUpdateTime, cond.LastTransitionTime = now, now
	var kept []appsv1.DeploymentCondition
	for _, cur := range st.Conditions {
		if cur.Type != cond.Type {
			kept = append(kept, cur)
			continue
		}
		if cur.Status == cond.Status && cur.Reason == cond.Reason {
			return
		}
		if cur.Status == cond.Status {
			cond.LastTransitionTime = cur.LastTransitionTime
		}
	}
	st.Conditions = append(kept, cond)
}

func getCondition(st appsv1.DeploymentStatus, t appsv1.DeploymentConditionType) *appsv1.DeploymentCondition {
	for i := range st.Conditions {
		if st.Conditions[i].Type == t {
			return &st.Conditions[i]
		}
	}
	return nil
}

// scaleReplicaSet sets a ReplicaSet's replicas and the annotations that record the Deployment's size.
func (c *Controller) scaleReplicaSet(rs *appsv1.ReplicaSet, n int32, d *appsv1.Deployment) (*appsv1.ReplicaSet, error) {
	surge, _ := maxSurgeAndUnavailable(d)
	desired := strconv.Itoa(int(deploymentReplicas(d)))
	maxR := strconv.Itoa(int(deploymentReplicas(d) + surge))
	if replicas(rs) == n && rs.Annotations[DesiredReplicasAnnotation] == desired && rs.Annotations[MaxReplicasAnnotation] == maxR {
		return rs, nil
	}
	from := replicas(rs)
	cp := rs.DeepCopy()
	cp.Spec.Replicas = &n
	if cp.Annotations == nil {
		cp.Annotations = map[string]string{}
	}
	cp.Annotations[DesiredReplicasAnnotation] = desired
	cp.Annotations[MaxReplicasAnnotation] = maxR
	out, err := c.client.Update("replicasets", cp.Namespace, cp)
	if err != nil {
		return nil, err
	}
	if from != n {
		dir := "up"
		if n < from {
			dir = "down"
		}
		c.rec.Eventf(d, corev1.EventTypeNormal, "ScalingReplicaSet", "Scaled %s replica set %s from %d to %d", dir, rs.Name, from, n)
	}
	return out.(*appsv1.ReplicaSet), nil
}

// isScalingEvent: the Deployment's size changed while the template did not.
func (c *Controller) isScalingEvent(d *appsv1.Deployment, rsList []*appsv1.ReplicaSet) bool {
	newRS, old := findNewReplicaSet(d, rsList)
	if newRS == nil {
		return false
	}
	for _, rs := range append([]*appsv1.ReplicaSet{newRS}, old...) {
		if replicas(rs) == 0 {
			continue
		}
		v, ok := rs.Annotations[DesiredReplicasAnnotation]
		if ok && v != strconv.Itoa(int(deploymentReplicas(d))) {
			return true
		}
	}
	return false
}

// scalingWhilePaused is isScalingEvent when the template may have changed under the pause, so
// that no ReplicaSet matches it: an active ReplicaSet recorded another Deployment size.
func scalingWhilePaused(d *appsv1.Deployment, rsList []*appsv1.ReplicaSet) bool {
	for _, rs := range rsList {
		if replicas(rs) == 0 {
			continue
		}
		if v, ok := rs.Annotations[DesiredReplicasAnnotation]; ok && v != strconv.Itoa(int(deploymentReplicas(d))) {
			return true
		}
	}
	return false
}

// scale resizes the active ReplicaSets to a new Deployment size. With one active ReplicaSet it
// takes the new size; during a rollout the change is shared out in proportion to each one's size,
// as the real controller's proportional scaling does.
func (c *Controller) scale(d *appsv1.Deployment, rsList []*appsv1.ReplicaSet) error {
	newRS, old := findNewReplicaSet(d, rsList)
	var active []*appsv1.ReplicaSet
	for _, rs := range append([]*appsv1.ReplicaSet{newRS}, old...) {
		if rs != nil && replicas(rs) > 0 {
			active = append(active, rs)
		}
	}
	if len(active) <= 1 {
		target := newRS
		if len(active) == 1 {
			target = active[0]
		}
		if target != nil {
			if _, err := c.scaleReplicaSet(target, deploymentReplicas(d), d); err != nil {
				return err
			}
		}
		return c.syncStatusOnly(d, c.ownedReplicaSets(d))
	}
	surge, _ := maxSurgeAndUnavailable(d)
	allowed := deploymentReplicas(d) + surge
	current := sumReplicas(active)
	toAdd := allowed - current
	// Larger ReplicaSets first; on scale-up newer first, on scale-down older first.
	sort.SliceStable(active, func(i, j int) bool {
		if replicas(active[i]) != replicas(active[j]) {
			return replicas(active[i]) > replicas(active[j])
		}
		if toAdd > 0 {
			return active[j].CreationTimestamp.Before(&active[i].CreationTimestamp)
		}
		return active[i].CreationTimestamp.Before(&active[j].CreationTimestamp)
	})
	added := int32(0)
	sizes := make([]int32, len(active))
	for i, rs := range active {
		share := int32(0)
		if current > 0 {
			share = int32(float64(replicas(rs)) * float64(toAdd) / float64(current))
		}
		if rem := toAdd - added; (toAdd > 0 && share > rem) || (toAdd < 0 && share < rem) {
			share = rem
		}
		sizes[i] = replicas(rs) + share
		added += share
	}
	// The rounding leftover goes to the largest ReplicaSet.
	sizes[0] += toAdd - added
	if sizes[0] < 0 {
		sizes[0] = 0
	}
	for i, rs := range active {
		if _, err := c.scaleReplicaSet(rs, sizes[i], d); err != nil {
			return err
		}
	}
	return c.syncStatusOnly(d, c.ownedReplicaSets(d))
}

func (c *Controller) rolloutRolling(d *appsv1.Deployment, rsList []*appsv1.ReplicaSet) error {
	newRS, old, err := c.getNewReplicaSet(d, rsList, true)
	if err != nil {
		return err
	}
	all := append([]*appsv1.ReplicaSet{newRS}, old...)
	if scaled, err := c.reconcileNewReplicaSet(all, newRS, d); err != nil || scaled {
		if err != nil {
			return err
		}
		return c.syncStatusOnly(d, c.ownedReplicaSets(d))
	}
	if scaled, err := c.reconcileOldReplicaSets(all, old, newRS, d); err != nil || scaled {
		if err != nil {
			return err
		}
		return c.syncStatusOnly(d, c.ownedReplicaSets(d))
	}
	if complete(d, newRS, all) {
		if err := c.cleanup(old, d); err != nil {
			return err
		}
	}
	return c.syncStatusOnly(d, c.ownedReplicaSets(d))
}

func (c *Controller) rolloutRecreate(d *appsv1.Deployment, rsList []*appsv1.ReplicaSet) error {
	newRS, old, err := c.getNewReplicaSet(d, rsList, false)
	if err != nil {
		return err
	}
	scaledDown := false
	for _, rs := range old {
		if replicas(rs) > 0 {
			if _, err := c.scaleReplicaSet(rs, 0, d); err != nil {
				return err
			}
			scaledDown = true
		}
	}
	if scaledDown {
		return c.syncStatusOnly(d, c.ownedReplicaSets(d))
	}
	for _, rs := range old {
		if rs.Status.Replicas > 0 {
			return c.syncStatusOnly(d, rsList) // wait for old pods to go
		}
	}
	if newRS == nil {
		newRS, _, err = c.getNewReplicaSet(d, c.ownedReplicaSets(d), true)
		if err != nil {
			return err
		}
	}
	if _, err := c.scaleReplicaSet(newRS, deploymentReplicas(d), d); err != nil {
		return err
	}
	return c.syncStatusOnly(d, c.ownedReplicaSets(d))
}

func (c *Controller) reconcileNewReplicaSet(all []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet, d *appsv1.Deployment) (bool, error) {
	want := deploymentReplicas(d)
	if replicas(newRS) == want {
		return false, nil
	}
	if replicas(newRS) > want {
		_, err := c.scaleReplicaSet(newRS, want, d)
		return err == nil, err
	}
	n := newRSReplicas(d, all, newRS)
	if n == replicas(newRS) {
		return false, nil
	}
	_, err := c.scaleReplicaSet(newRS, n, d)
	return err == nil, err
}

func (c *Controller) reconcileOldReplicaSets(all, old []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet, d *appsv1.Deployment) (bool, error) {
	if sumReplicas(old) == 0 {
		return false, nil
	}
	_, maxUnavailable := maxSurgeAndUnavailable(d)
	minAvailable := deploymentReplicas(d) - maxUnavailable
	newUnavailable := replicas(newRS) - newRS.Status.AvailableReplicas
	maxScaledDown := sumReplicas(all) - minAvailable - newUnavailable
	if maxScaledDown <= 0 {
		return false, nil
	}
	scaled := int32(0)
	// First old pods that are not available anyway.
	for _, rs := range old {
		if scaled >= maxScaledDown {
			break
		}
		unhealthy := replicas(rs) - rs.Status.AvailableReplicas
		if replicas(rs) == 0 || unhealthy <= 0 {
			continue
		}
		down := min(maxScaledDown-scaled, unhealthy)
		if _, err := c.scaleReplicaSet(rs, replicas(rs)-down, d); err != nil {
			return false, err
		}
		scaled += down
	}
	if scaled > 0 {
		return true, nil
	}
	// Then available ones, keeping minAvailable.
	var available int32
	for _, rs := range all {
		available += rs.Status.AvailableReplicas
	}
	if available <= minAvailable {
		return false, nil
	}
	total := available - minAvailable
	for _, rs := range old {
		if scaled >= total {
			break
		}
		if replicas(rs) == 0 {
			continue
		}
		down := min(replicas(rs), total-scaled)
		if _, err := c.scaleReplicaSet(rs, replicas(rs)-down, d); err != nil {
			return false, err
		}
		scaled += down
	}
	return scaled > 0, nil
}

// complete: every replica is updated and available, and no old pod remains.
func complete(d *appsv1.Deployment, newRS *appsv1.ReplicaSet, all []*appsv1.ReplicaSet) bool {
	want := deploymentReplicas(d)
	st := calculateStatus(d, newRS, all)
	return st.UpdatedReplicas == want && st.Replicas == want && st.AvailableReplicas == want
}

// cleanup deletes old, empty ReplicaSets beyond revisionHistoryLimit, oldest revision first.
func (c *Controller) cleanup(old []*appsv1.ReplicaSet, d *appsv1.Deployment) error {
	if d.Spec.RevisionHistoryLimit == nil {
		return nil
	}
	var empty []*appsv1.ReplicaSet
	for _, rs := range old {
		if replicas(rs) == 0 && rs.Status.Replicas == 0 && rs.DeletionTimestamp == nil {
			empty = append(empty, rs)
		}
	}
	extra := len(empty) - int(*d.Spec.RevisionHistoryLimit)
	if extra <= 0 {
		return nil
	}
	sort.SliceStable(empty, func(i, j int) bool { return revisionOf(empty[i]) < revisionOf(empty[j]) })
	for _, rs := range empty[:extra] {
		_, err := c.client.Delete("replicasets", rs.Namespace, rs.Name, apiserver.DeleteOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			return err
		}
	}
	return nil
}

func calculateStatus(d *appsv1.Deployment, newRS *appsv1.ReplicaSet, all []*appsv1.ReplicaSet) appsv1.DeploymentStatus {
	st := appsv1.DeploymentStatus{ObservedGeneration: d.Generation, CollisionCount: d.Status.CollisionCount,
		Conditions: append([]appsv1.DeploymentCondition(nil), d.Status.Conditions...)}
	for _, rs := range all {
		if rs == nil {
			continue
		}
		st.Replicas += rs.Status.Replicas
		st.ReadyReplicas += rs.Status.ReadyReplicas
		st.AvailableReplicas += rs.Status.AvailableReplicas
	}
	if newRS != nil {
		st.UpdatedReplicas = newRS.Status.Replicas
	}
	if u := deploymentReplicas(d) - st.AvailableReplicas; u > 0 {
		st.UnavailableReplicas = u
	}
	st.TerminatingReplicas = terminatingReplicas(all)
	return st
}

// terminatingReplicas is GetTerminatingReplicaCountForReplicaSets (k8s.io/kubernetes v1.37.2
// pkg/controller/deployment/util/deployment_util.go; DeploymentReplicaSetTerminatingReplicas is
// on since v1.35): the sum of the ReplicaSets' counts, nil while one the controller synced has
// not reported it.
func terminatingReplicas(all []*appsv1.ReplicaSet) *int32 {
	n := int32(0)
	for _, rs := range all {
		switch {
		case rs == nil, rs.Status.ObservedGeneration == 0 && rs.Status.TerminatingReplicas == nil:
		case rs.Status.TerminatingReplicas == nil:
			return nil
		default:
			n += *rs.Status.TerminatingReplicas
		}
	}
	return &n
}

// syncStatusOnly writes the Deployment's status from its ReplicaSets, with its conditions.
func (c *Controller) syncStatusOnly(d *appsv1.Deployment, rsList []*appsv1.ReplicaSet) error {
	newRS, old := findNewReplicaSet(d, rsList)
	all := append([]*appsv1.ReplicaSet{newRS}, old...)
	st := calculateStatus(d, newRS, all)
	now := c.now()
	_, maxUnavailable := maxSurgeAndUnavailable(d)
	if st.AvailableReplicas >= deploymentReplicas(d)-maxUnavailable {
		setCondition(&st, appsv1.DeploymentCondition{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue,
			Reason: "MinimumReplicasAvailable", Message: "Deployment has minimum availability."}, now)
	} else {
		setCondition(&st, appsv1.DeploymentCondition{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionFalse,
			Reason: "MinimumReplicasUnavailable", Message: "Deployment does not have minimum availability."}, now)
	}
	if newRS != nil && d.DeletionTimestamp == nil && !d.Spec.Paused {
		switch {
		case complete(d, newRS, all):
			setCondition(&st, appsv1.DeploymentCondition{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue,
				Reason: "NewReplicaSetAvailable", Message: fmt.Sprintf("ReplicaSet %q has successfully progressed.", newRS.Name)}, now)
		case progressing(d, st):
			cond := appsv1.DeploymentCondition{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue,
				Reason: "ReplicaSetUpdated", Message: fmt.Sprintf("ReplicaSet %q is progressing.", newRS.Name)}
			// Progress refreshes the condition's update time even when the reason is unchanged.
			if cur := getCondition(st, appsv1.DeploymentProgressing); cur != nil && cur.Status == corev1.ConditionTrue && cur.Reason == cond.Reason {
				cur.LastUpdateTime = now
			} else {
				setCondition(&st, cond, now)
			}
		case timedOut(d, st, now):
			setCondition(&st, appsv1.DeploymentCondition{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse,
				Reason: "ProgressDeadlineExceeded", Message: fmt.Sprintf("ReplicaSet %q has timed out progressing.", newRS.Name)}, now)
		}
	}
	if apiequality.Semantic.DeepEqual(st, d.Status) {
		return nil
	}
	d.Status = st
	_, err := c.client.UpdateStatus("deployments", d.Namespace, d)
	return err
}

// progressing: the rollout moved since the last status (more updated, ready or available pods, or
// fewer old ones).
func progressing(d *appsv1.Deployment, st appsv1.DeploymentStatus) bool {
	old := d.Status
	return st.UpdatedReplicas > old.UpdatedReplicas || st.Replicas-st.UpdatedReplicas < old.Replicas-old.UpdatedReplicas ||
		st.ReadyReplicas > old.ReadyReplicas || st.AvailableReplicas > old.AvailableReplicas
}

func timedOut(d *appsv1.Deployment, st appsv1.DeploymentStatus, now metav1.Time) bool {
	if d.Spec.ProgressDeadlineSeconds == nil {
		return false
	}
	cur := getCondition(st, appsv1.DeploymentProgressing)
	if cur == nil || cur.Reason == "NewReplicaSetAvailable" || cur.Reason == "ProgressDeadlineExceeded" {
		return false
	}
	deadline := cur.LastUpdateTime.Add(secondsDuration(*d.Spec.ProgressDeadlineSeconds))
	return now.Time.After(deadline)
}
