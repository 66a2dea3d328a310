package printers

import (
	"strconv"

	policyv1 "k8s.io/api/policy/v1"
)

// PodDisruptionBudgetTable is printPodDisruptionBudget (k8s.io/kubernetes v1.37.2
// pkg/printers/internalversion/printers.go): NAME, MIN AVAILABLE, MAX UNAVAILABLE (N/A for the
// one not set), ALLOWED DISRUPTIONS, AGE.
func PodDisruptionBudgetTable() Table {
	return Table{
		columns: []column{
			nameColumn(),
			str("Min Available", "The minimum number of pods that must be available."),
			str("Max Unavailable", "The maximum number of pods that may be unavailable."),
			{name: "Allowed Disruptions", typ: "integer", description: "Calculated number of pods that may be disrupted at this time.", number: true},
			ageColumn(),
		},
		cells: cellsOf(func(pdb *policyv1.PodDisruptionBudget, opts Options) []string {
			minAvailable, maxUnavailable := "N/A", "N/A"
			if pdb.Spec.MinAvailable != nil {
				minAvailable = pdb.Spec.MinAvailable.String()
			}
			if pdb.Spec.MaxUnavailable != nil {
				maxUnavailable = pdb.Spec.MaxUnavailable.String()
			}
			return []string{pdb.Name, minAvailable, maxUnavailable, strconv.Itoa(int(pdb.Status.DisruptionsAllowed)),
				age(opts.Now, pdb.CreationTimestamp)}
		}),
	}
}
