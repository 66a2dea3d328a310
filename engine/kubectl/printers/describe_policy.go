package printers

import (
	"io"
	"time"

	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// DescribePodDisruptionBudget is describePodDisruptionBudgetV1 (k8s.io/kubectl v0.37.2
// pkg/describe/describe.go): the budget, its selector, the disruption controller's counts and the
// events. It prints no labels or annotations, as kubectl's does not.
func DescribePodDisruptionBudget(w io.Writer, r Reader, obj runtime.Object, now time.Time) error {
	return describeAs(w, r, obj, now, func(d *describer, pdb *policyv1.PodDisruptionBudget) {
		d.write(level0, "Name:\t%s\n", pdb.Name)
		d.write(level0, "Namespace:\t%s\n", pdb.Namespace)
		if pdb.Spec.MinAvailable != nil {
			d.write(level0, "Min available:\t%s\n", pdb.Spec.MinAvailable.String())
		} else if pdb.Spec.MaxUnavailable != nil {
			d.write(level0, "Max unavailable:\t%s\n", pdb.Spec.MaxUnavailable.String())
		}
		if pdb.Spec.Selector != nil {
			d.write(level0, "Selector:\t%s\n", metav1.FormatLabelSelector(pdb.Spec.Selector))
		} else {
			d.write(level0, "Selector:\t<unset>\n")
		}
		d.write(level0, "Status:\n")
		d.write(level2, "Allowed disruptions:\t%d\n", pdb.Status.DisruptionsAllowed)
		d.write(level2, "Current:\t%d\n", pdb.Status.CurrentHealthy)
		d.write(level2, "Desired:\t%d\n", pdb.Status.DesiredHealthy)
		d.write(level2, "Total:\t%d\n", pdb.Status.ExpectedPods)
		d.events(d.searchEvents(eventRef{namespace: pdb.Namespace, name: pdb.Name, kind: "PodDisruptionBudget", uids: []types.UID{pdb.UID}}))
	})
}
