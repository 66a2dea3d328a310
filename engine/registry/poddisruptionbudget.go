package registry

import (
	"reflect"

	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
	"github.com/k8slearn/k8slearn/engine/validation"
)

// podDisruptionBudgets: pkg/registry/policy/poddisruptionbudget (strategy.go: the status is the
// disruption controller's, a spec change bumps the generation). The eviction subresource that
// honours them belongs to pods (Resource.Eviction).
func podDisruptionBudgets() *Resource {
	return &Resource{
		Name: "poddisruptionbudgets", Singular: "poddisruptionbudget", ShortNames: []string{"pdb"}, Kind: "PodDisruptionBudget",
		Group: "policy", Version: "v1", Namespaced: true, StatusVerbs: subresourceVerbs(), etcdDir: "poddisruptionbudgets",
		newObj:      func() runtime.Object { return &policyv1.PodDisruptionBudget{} },
		newList:     func() runtime.Object { return &policyv1.PodDisruptionBudgetList{} },
		addToScheme: policyv1.AddToScheme,
		Strategy: Strategy{
			Generation: true,
			PrepareForCreate: func(o runtime.Object) {
				o.(*policyv1.PodDisruptionBudget).Status = policyv1.PodDisruptionBudgetStatus{}
			},
			Validate: func(o runtime.Object) field.ErrorList {
				return validation.ValidatePodDisruptionBudget(o.(*policyv1.PodDisruptionBudget))
			},
			ValidateUpdate: func(o, old runtime.Object) field.ErrorList {
				return validation.ValidatePodDisruptionBudgetUpdate(o.(*policyv1.PodDisruptionBudget), old.(*policyv1.PodDisruptionBudget))
			},
			ValidateStatusUpdate: func(o, _ runtime.Object) field.ErrorList {
				return validation.ValidatePodDisruptionBudgetStatus(&o.(*policyv1.PodDisruptionBudget).Status)
			},
			KeepStatus: func(o, old runtime.Object) {
				o.(*policyv1.PodDisruptionBudget).Status = old.(*policyv1.PodDisruptionBudget).Status
			},
			KeepSpec: func(o, old runtime.Object) {
				o.(*policyv1.PodDisruptionBudget).Spec = old.(*policyv1.PodDisruptionBudget).Spec
			},
			SpecChanged: func(o, old runtime.Object) bool {
				return !reflect.DeepEqual(o.(*policyv1.PodDisruptionBudget).Spec, old.(*policyv1.PodDisruptionBudget).Spec)
			},
		},
		Table:    printers.PodDisruptionBudgetTable(),
		Describe: printers.DescribePodDisruptionBudget,
	}
}
