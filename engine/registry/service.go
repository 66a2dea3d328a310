package registry

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
	"github.com/k8slearn/k8slearn/engine/validation"
)

// services: pkg/registry/core/service, kept under /registry/services/specs. They are read only
// over HTTP; a Service created inside the engine gets its cluster IP and IPAddress object from
// the API server's allocator (apiserver/serviceip.go).
func services() *Resource {
	return &Resource{
		Name: "services", Singular: "service", ShortNames: []string{"svc"}, Kind: "Service", Version: "v1", Namespaced: true,
		Categories: []string{"all"}, etcdDir: "services/specs",
		Verbs:       []string{"get", "list", "watch"},
		StatusVerbs: []string{"get"},
		newObj:      func() runtime.Object { return &corev1.Service{} },
		newList:     func() runtime.Object { return &corev1.ServiceList{} },
		addToScheme: corev1.AddToScheme,
		Strategy: Strategy{
			Defaults:   func(o runtime.Object) { validation.DefaultService(o.(*corev1.Service)) },
			KeepStatus: func(o, old runtime.Object) { o.(*corev1.Service).Status = old.(*corev1.Service).Status },
			KeepSpec:   func(o, old runtime.Object) { o.(*corev1.Service).Spec = old.(*corev1.Service).Spec },
		},
		Table:    printers.ServiceTable(),
		Describe: printers.DescribeService,
	}
}
