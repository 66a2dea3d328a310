package registry

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
	"github.com/k8slearn/k8slearn/engine/validation"
)

// services: pkg/registry/core/service, kept under /registry/services/specs. A new Service gets
// its cluster IP and IPAddress object (apiserver/serviceip.go) and its node ports
// (apiserver/nodeport.go) from the API server's allocators; an update keeps them.
func services() *Resource {
	return &Resource{
		Name: "services", Singular: "service", ShortNames: []string{"svc"}, Kind: "Service", Version: "v1", Namespaced: true,
		Categories: []string{"all"}, etcdDir: "services/specs",
		StatusVerbs: subresourceVerbs(),
		newObj:      func() runtime.Object { return &corev1.Service{} },
		newList:     func() runtime.Object { return &corev1.ServiceList{} },
		addToScheme: corev1.AddToScheme,
		Strategy: Strategy{
			Defaults: func(o runtime.Object) { validation.DefaultService(o.(*corev1.Service)) },
			Validate: func(o runtime.Object) field.ErrorList { return validation.ValidateService(o.(*corev1.Service)) },
			ValidateUpdate: func(o, old runtime.Object) field.ErrorList {
				return validation.ValidateServiceUpdate(o.(*corev1.Service), old.(*corev1.Service))
			},
			KeepStatus: func(o, old runtime.Object) { o.(*corev1.Service).Status = old.(*corev1.Service).Status },
			KeepSpec:   func(o, old runtime.Object) { o.(*corev1.Service).Spec = old.(*corev1.Service).Spec },
		},
		Table:    printers.ServiceTable(),
		Describe: printers.DescribeService,
	}
}
