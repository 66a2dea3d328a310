package kubectl

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/spf13/cobra"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// pdbValue is the form --min-available and --max-unavailable accept: a number or a percentage.
var pdbValue = regexp.MustCompile(`^[0-9]+%?$`)

// newCreatePDB is kubectl create poddisruptionbudget (k8s.io/kubectl v0.37.2
// pkg/cmd/create/create_pdb.go).
func (k *Kubectl) newCreatePDB(s Streams) *cobra.Command {
	var ns namespaceFlags
	var minAvailable, maxUnavailable, selector, dryRunFlag string
	c := &cobra.Command{
		Use:     "poddisruptionbudget NAME --selector=SELECTOR --min-available=N [--dry-run=server|client|none]",
		Aliases: []string{"pdb"},
		Short:   "Create a pod disruption budget with the specified name",
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := nameFromArgs(cmd, args)
			if err != nil {
				return err
			}
			dry, err := k.dryRunStrategy(cmd, dryRunFlag, s)
			if err != nil {
				return err
			}
			switch {
			case selector == "":
				return errors.New("a selector must be specified")
			case maxUnavailable == "" && minAvailable == "":
				return errors.New("one of min-available or max-unavailable must be specified")
			case maxUnavailable != "" && minAvailable != "":
				return errors.New("min-available and max-unavailable cannot be both specified")
			case minAvailable != "" && !pdbValue.MatchString(minAvailable):
				return errors.New("invalid format specified for min-available")
			case maxUnavailable != "" && !pdbValue.MatchString(maxUnavailable):
				return errors.New("invalid format specified for max-unavailable")
			}
			sel, err := metav1.ParseToLabelSelector(selector)
			if err != nil {
				return err
			}
			pdb := &policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: policyv1.PodDisruptionBudgetSpec{Selector: sel}}
			if minAvailable != "" {
				v := intstr.Parse(minAvailable)
				pdb.Spec.MinAvailable = &v
			} else {
				v := intstr.Parse(maxUnavailable)
				pdb.Spec.MaxUnavailable = &v
			}
			return k.createGenerated(s, "poddisruptionbudgets", ns.namespace, pdb, dry, func(err error) error {
				return fmt.Errorf("failed to create poddisruptionbudgets: %v", err)
			})
		},
	}
	ns.add(c, false)
	c.Flags().StringVar(&minAvailable, "min-available", "", "The minimum number or percentage of available pods this budget requires.")
	c.Flags().StringVar(&maxUnavailable, "max-unavailable", "", "The maximum number or percentage of unavailable pods this budget requires.")
	c.Flags().StringVar(&selector, "selector", "", "A label selector to use for this budget. Only equality-based selector requirements are supported.")
	addDryRunFlag(c, &dryRunFlag)
	return c
}
