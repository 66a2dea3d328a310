package printers

import (
	"fmt"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// deployment follows kubectl's describeDeployment.
func (d *describer) deployment(dep *appsv1.Deployment) {
	selector, selErr := metav1.LabelSelectorAsSelector(dep.Spec.Selector)
	d.write(level0, "Name:\t%s\n", dep.Name)
	d.write(level0, "Namespace:\t%s\n", dep.Namespace)
	d.write(level0, "CreationTimestamp:\t%s\n", rfc1123z(dep.CreationTimestamp))
	d.labelsMultiline("Labels", dep.Labels)
	d.annotationsMultiline("Annotations", dep.Annotations)
	if selErr != nil {
		d.write(level0, "Selector:\t<invalid>\n")
	} else {
		d.write(level0, "Selector:\t%s\n", selector)
	}
	st := dep.Status
	d.write(level0, "Replicas:\t%d desired | %d updated | %d total | %d available | %d unavailable\n",
		int32Value(dep.Spec.Replicas), st.UpdatedReplicas, st.Replicas, st.AvailableReplicas, st.UnavailableReplicas)
	d.write(level0, "StrategyType:\t%s\n", dep.Spec.Strategy.Type)
	d.write(level0, "MinReadySeconds:\t%d\n", dep.Spec.MinReadySeconds)
	if ru := dep.Spec.Strategy.RollingUpdate; ru != nil {
		d.write(level0, "RollingUpdateStrategy:\t%s max unavailable, %s max surge\n",
			intOrStringText(ru.MaxUnavailable), intOrStringText(ru.MaxSurge))
	}
	d.podTemplate(&dep.Spec.Template)
	if len(st.Conditions) > 0 {
		d.write(level0, "Conditions:\n  Type\tStatus\tReason\n")
		d.write(level1, "----\t------\t------\n")
		for _, c := range st.Conditions {
			d.write(level1, "%v \t%v\t%v\n", c.Type, c.Status, c.Reason)
		}
	}
	if selErr == nil {
		oldRSs, newRS, ok := d.deploymentReplicaSets(dep, selector)
		if ok && (len(oldRSs) > 0 || newRS != nil) {
			var newRSs []*appsv1.ReplicaSet
			if newRS != nil {
				newRSs = append(newRSs, newRS)
			}
			d.write(level0, "OldReplicaSets:\t%s\n", replicaSetsText(oldRSs))
			d.write(level0, "NewReplicaSet:\t%s\n", replicaSetsText(newRSs))
		}
	}
	d.events(d.searchEvents(eventRef{namespace: dep.Namespace, name: dep.Name, kind: "Deployment", uids: []types.UID{dep.UID}}))
}

// deploymentReplicaSets finds the deployment's ReplicaSets as kubectl's
// deployment util does: those it controls, oldest first; the new one is the
// oldest whose pod template equals the deployment's (pod-template-hash aside);
// the old ones are those that still have replicas, as FindOldReplicaSets'
// first list (the one describe prints) keeps only ReplicaSets with pods.
func (d *describer) deploymentReplicaSets(dep *appsv1.Deployment, selector labels.Selector) ([]*appsv1.ReplicaSet, *appsv1.ReplicaSet, bool) {
	if d.r == nil {
		return nil, nil, false
	}
	objs, err := d.r.List("replicasets", dep.Namespace, selector)
	if err != nil {
		return nil, nil, false
	}
	var owned []*appsv1.ReplicaSet
	for _, obj := range objs {
		rs, ok := obj.(*appsv1.ReplicaSet)
		if !ok || rs == nil || !selector.Matches(labels.Set(rs.Labels)) {
			continue
		}
		if controlledBy(rs.OwnerReferences, dep.UID, "Deployment", dep.Name) {
			owned = append(owned, rs)
		}
	}
	sort.SliceStable(owned, func(i, j int) bool {
		a, b := owned[i].CreationTimestamp, owned[j].CreationTimestamp
		if a.Equal(&b) {
			return owned[i].Name < owned[j].Name
		}
		return a.Before(&b)
	})
	var newRS *appsv1.ReplicaSet
	var oldRSs []*appsv1.ReplicaSet
	for _, rs := range owned {
		if newRS == nil && templatesEqualIgnoringHash(&rs.Spec.Template, &dep.Spec.Template) {
			newRS = rs
			continue
		}
		if rs.Spec.Replicas == nil || *rs.Spec.Replicas != 0 {
			oldRSs = append(oldRSs, rs)
		}
	}
	return oldRSs, newRS, true
}

// controlledBy tells whether the controller owner reference points at the
// object; it falls back to kind and name when either uid is missing.
func controlledBy(refs []metav1.OwnerReference, uid types.UID, kind, name string) bool {
	for _, ref := range refs {
		if ref.Controller == nil || !*ref.Controller {
			continue
		}
		if ref.UID != "" && uid != "" {
			return ref.UID == uid
		}
		return ref.Kind == kind && ref.Name == name
	}
	return false
}

// templatesEqualIgnoringHash compares two pod templates without the pod-template-hash label.
func templatesEqualIgnoringHash(a, b *corev1.PodTemplateSpec) bool {
	a, b = a.DeepCopy(), b.DeepCopy()
	delete(a.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	delete(b.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	if len(a.Labels) == 0 {
		a.Labels = nil
	}
	if len(b.Labels) == 0 {
		b.Labels = nil
	}
	return equality.Semantic.DeepEqual(a, b)
}

// replicaSetsText is "web-5d8b7c6f94 (3/3 replicas created)", comma-separated, or "<none>".
func replicaSetsText(rss []*appsv1.ReplicaSet) string {
	parts := make([]string, 0, len(rss))
	for _, rs := range rss {
		parts = append(parts, fmt.Sprintf("%s (%d/%d replicas created)", rs.Name, rs.Status.Replicas, int32Value(rs.Spec.Replicas)))
	}
	if len(parts) == 0 {
		return "<none>"
	}
	return strings.Join(parts, ", ")
}

func intOrStringText(v *intstr.IntOrString) string {
	if v == nil {
		return "<unset>"
	}
	return v.String()
}

// replicaSet follows kubectl's describeReplicaSet.
func (d *describer) replicaSet(rs *appsv1.ReplicaSet) {
	d.write(level0, "Name:\t%s\n", rs.Name)
	d.write(level0, "Namespace:\t%s\n", rs.Namespace)
	d.write(level0, "Selector:\t%s\n", metav1.FormatLabelSelector(rs.Spec.Selector))
	d.labelsMultiline("Labels", rs.Labels)
	d.annotationsMultiline("Annotations", rs.Annotations)
	if controlledBy := controllerOf(rs.OwnerReferences); controlledBy != "" {
		d.write(level0, "Controlled By:\t%s\n", controlledBy)
	}
	d.write(level0, "Replicas:\t%d current / %d desired\n", rs.Status.Replicas, int32Value(rs.Spec.Replicas))
	d.write(level0, "Pods Status:\t")
	if counts, err := d.podPhaseCounts(rs); err != nil {
		d.write(level0, "error in fetching pods: %s\n", err)
	} else {
		d.write(level0, "%d Running / %d Waiting / %d Succeeded / %d Failed\n",
			counts[corev1.PodRunning], counts[corev1.PodPending], counts[corev1.PodSucceeded], counts[corev1.PodFailed])
	}
	d.podTemplate(&rs.Spec.Template)
	if len(rs.Status.Conditions) > 0 {
		d.write(level0, "Conditions:\n  Type\tStatus\tReason\n")
		d.write(level1, "----\t------\t------\n")
		for _, c := range rs.Status.Conditions {
			d.write(level1, "%v \t%v\t%v\n", c.Type, c.Status, c.Reason)
		}
	}
	d.events(d.searchEvents(eventRef{namespace: rs.Namespace, name: rs.Name, kind: "ReplicaSet", uids: []types.UID{rs.UID}}))
}

// podPhaseCounts counts the ReplicaSet's own pods (selected and controlled by it) by phase.
func (d *describer) podPhaseCounts(rs *appsv1.ReplicaSet) (map[corev1.PodPhase]int, error) {
	counts := map[corev1.PodPhase]int{}
	selector, err := metav1.LabelSelectorAsSelector(rs.Spec.Selector)
	if err != nil {
		return nil, err
	}
	if d.r == nil {
		return counts, nil
	}
	objs, err := d.r.List("pods", rs.Namespace, selector)
	if err != nil {
		return nil, err
	}
	for _, obj := range objs {
		pod, ok := obj.(*corev1.Pod)
		if !ok || pod == nil || !selector.Matches(labels.Set(pod.Labels)) {
			continue
		}
		if controlledBy(pod.OwnerReferences, rs.UID, "ReplicaSet", rs.Name) {
			counts[pod.Status.Phase]++
		}
	}
	return counts, nil
}

// podTemplate follows kubectl's DescribePodTemplate.
func (d *describer) podTemplate(t *corev1.PodTemplateSpec) {
	d.write(level0, "Pod Template:\n")
	if t == nil {
		d.write(level1, "<unset>")
		return
	}
	d.labelsMultiline("  Labels", t.Labels)
	if len(t.Annotations) > 0 {
		d.annotationsMultiline("  Annotations", t.Annotations)
	}
	if t.Spec.ServiceAccountName != "" {
		d.write(level1, "Service Account:\t%s\n", t.Spec.ServiceAccountName)
	}
	if len(t.Spec.InitContainers) > 0 {
		d.containers("Init Containers", t.Spec.InitContainers, nil, nil, "  ")
	}
	d.containers("Containers", t.Spec.Containers, nil, nil, "  ")
	d.volumes(t.Spec.Volumes, "  ")
	d.topologySpread(t.Spec.TopologySpreadConstraints, "  ")
	if t.Spec.PriorityClassName != "" {
		d.write(level1, "Priority Class Name:\t%s\n", t.Spec.PriorityClassName)
	}
	d.labelsMultiline("  Node-Selectors", t.Spec.NodeSelector)
	d.tolerationsMultiline("  Tolerations", t.Spec.Tolerations)
}
