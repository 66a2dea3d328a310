package registry

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
	"github.com/k8slearn/k8slearn/engine/validation"
)

// configMaps: pkg/registry/core/configmap. This file is the whole of what the engine needs to
// serve a resource; it is the example to copy for the next one.
func configMaps() *Resource {
	return &Resource{
		Name: "configmaps", Singular: "configmap", ShortNames: []string{"cm"}, Kind: "ConfigMap", Version: "v1", Namespaced: true,
		etcdDir:     "configmaps",
		newObj:      func() runtime.Object { return &corev1.ConfigMap{} },
		newList:     func() runtime.Object { return &corev1.ConfigMapList{} },
		addToScheme: corev1.AddToScheme,
		Strategy: Strategy{
			Validate: func(o runtime.Object) field.ErrorList { return validation.ValidateConfigMap(o.(*corev1.ConfigMap)) },
			ValidateUpdate: func(o, old runtime.Object) field.ErrorList {
				return validation.ValidateConfigMapUpdate(o.(*corev1.ConfigMap), old.(*corev1.ConfigMap))
			},
		},
		Table:    printers.ConfigMapTable(),
		Describe: printers.DescribeConfigMap,
	}
}
