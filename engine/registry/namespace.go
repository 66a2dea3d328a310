package registry

import (
	"errors"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
	"github.com/k8slearn/k8slearn/engine/validation"
)

// namespaces: pkg/registry/core/namespace.
func namespaces() *Resource {
	return &Resource{
		Name: "namespaces", Singular: "namespace", ShortNames: []string{"ns"}, Kind: "Namespace", Version: "v1",
		StatusVerbs: subresourceVerbs(), etcdDir: "namespaces",
		Verbs:       []string{"create", "delete", "get", "list", "patch", "update", "watch"},
		newObj:      func() runtime.Object { return &corev1.Namespace{} },
		newList:     func() runtime.Object { return &corev1.NamespaceList{} },
		addToScheme: corev1.AddToScheme,
		Strategy: Strategy{
			PrepareForCreate: func(o runtime.Object) {
				o.(*corev1.Namespace).Status = corev1.NamespaceStatus{Phase: corev1.NamespaceActive}
			},
			Defaults: func(o runtime.Object) { validation.DefaultNamespace(o.(*corev1.Namespace)) },
			Validate: func(o runtime.Object) field.ErrorList { return validation.ValidateNamespace(o.(*corev1.Namespace)) },
			ValidateUpdate: func(o, old runtime.Object) field.ErrorList {
				return validation.ValidateNamespaceUpdate(o.(*corev1.Namespace), old.(*corev1.Namespace))
			},
			KeepStatus: func(o, old runtime.Object) { o.(*corev1.Namespace).Status = old.(*corev1.Namespace).Status },
			KeepSpec:   func(o, old runtime.Object) { o.(*corev1.Namespace).Spec = old.(*corev1.Namespace).Spec },
			// The NamespaceLifecycle admission plugin's immortal namespaces.
			CheckDelete: func(o runtime.Object) error {
				switch o.(*corev1.Namespace).Name {
				case metav1.NamespaceDefault, "kube-system", "kube-public":
					return errors.New("this namespace may not be deleted")
				}
				return nil
			},
		},
		fields: func(o runtime.Object) fields.Set {
			return fields.Set{"status.phase": string(o.(*corev1.Namespace).Status.Phase)}
		},
		Table:    printers.NamespaceTable(),
		Describe: printers.DescribeNamespace,
	}
}
