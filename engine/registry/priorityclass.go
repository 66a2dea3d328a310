package registry

import (
	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
)

// priorityClasses: pkg/registry/scheduling/priorityclass. The preemption policy defaults to
// PreemptLowerPriority (SetDefaults_PriorityClass).
func priorityClasses() *Resource {
	st := metaOnlyStrategy(false)
	st.Defaults = func(o runtime.Object) {
		if pc := o.(*schedulingv1.PriorityClass); pc.PreemptionPolicy == nil {
			p := corev1.PreemptLowerPriority
			pc.PreemptionPolicy = &p
		}
	}
	return &Resource{
		Name: "priorityclasses", Singular: "priorityclass", ShortNames: []string{"pc"}, Kind: "PriorityClass",
		Group: "scheduling.k8s.io", Version: "v1", etcdDir: "priorityclasses",
		newObj:      func() runtime.Object { return &schedulingv1.PriorityClass{} },
		newList:     func() runtime.Object { return &schedulingv1.PriorityClassList{} },
		addToScheme: schedulingv1.AddToScheme,
		Strategy:    st,
		Table:       printers.PriorityClassTable(),
		Describe:    printers.DescribePriorityClass,
	}
}
