package registry

import (
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
	"github.com/k8slearn/k8slearn/engine/validation"
)

// nodes: pkg/registry/core/node. They are kept under /registry/minions, their historical name.
func nodes() *Resource {
	return &Resource{
		Name: "nodes", Singular: "node", ShortNames: []string{"no"}, Kind: "Node", Version: "v1",
		StatusVerbs: subresourceVerbs(), etcdDir: "minions",
		newObj:      func() runtime.Object { return &corev1.Node{} },
		newList:     func() runtime.Object { return &corev1.NodeList{} },
		addToScheme: corev1.AddToScheme,
		Strategy: Strategy{
			Defaults: func(o runtime.Object) { validation.DefaultNode(o.(*corev1.Node)) },
			Validate: func(o runtime.Object) field.ErrorList { return validation.ValidateNode(o.(*corev1.Node)) },
			ValidateUpdate: func(o, old runtime.Object) field.ErrorList {
				return validation.ValidateNodeUpdate(o.(*corev1.Node), old.(*corev1.Node))
			},
			KeepStatus: func(o, old runtime.Object) { o.(*corev1.Node).Status = old.(*corev1.Node).Status },
			KeepSpec:   func(o, old runtime.Object) { o.(*corev1.Node).Spec = old.(*corev1.Node).Spec },
		},
		fields: func(o runtime.Object) fields.Set {
			return fields.Set{"spec.unschedulable": strconv.FormatBool(o.(*corev1.Node).Spec.Unschedulable)}
		},
		Table:    printers.NodeTable(),
		Describe: printers.DescribeNode,
	}
}
