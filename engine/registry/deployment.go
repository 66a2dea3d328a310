package registry

import (
	"reflect"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
	"github.com/k8slearn/k8slearn/engine/validation"
)

// deployments: pkg/registry/apps/deployment.
func deployments() *Resource {
	return &Resource{
		Name: "deployments", Singular: "deployment", ShortNames: []string{"deploy"}, Kind: "Deployment", Group: "apps", Version: "v1",
		Namespaced: true, Categories: []string{"all"}, StatusVerbs: subresourceVerbs(), etcdDir: "deployments",
		newObj:      func() runtime.Object { return &appsv1.Deployment{} },
		newList:     func() runtime.Object { return &appsv1.DeploymentList{} },
		addToScheme: appsv1.AddToScheme,
		Strategy: Strategy{
			Generation: true,
			PrepareForCreate: func(o runtime.Object) {
				obj := o.(*appsv1.Deployment)
				obj.Status = appsv1.DeploymentStatus{}
				validation.DropDisabledProbeFields(&obj.Spec.Template.Spec, nil)
			},
			Defaults: func(o runtime.Object) { validation.DefaultDeployment(o.(*appsv1.Deployment)) },
			Validate: func(o runtime.Object) field.ErrorList { return validation.ValidateDeployment(o.(*appsv1.Deployment)) },
			ValidateUpdate: func(o, old runtime.Object) field.ErrorList {
				return validation.ValidateDeploymentUpdate(o.(*appsv1.Deployment), old.(*appsv1.Deployment))
			},
			KeepStatus: func(o, old runtime.Object) { o.(*appsv1.Deployment).Status = old.(*appsv1.Deployment).Status },
			KeepSpec:   func(o, old runtime.Object) { o.(*appsv1.Deployment).Spec = old.(*appsv1.Deployment).Spec },
			SpecChanged: func(o, old runtime.Object) bool {
				return !reflect.DeepEqual(o.(*appsv1.Deployment).Spec, old.(*appsv1.Deployment).Spec)
			},
		},
		Scale: &Scale{
			Replicas: func(o runtime.Object) (*int32, *metav1.LabelSelector, int32) {
				d := o.(*appsv1.Deployment)
				return d.Spec.Replicas, d.Spec.Selector, d.Status.Replicas
			},
			SetReplicas: func(o runtime.Object, n int32) { o.(*appsv1.Deployment).Spec.Replicas = &n },
		},
		PodSpec:  func(o runtime.Object) *corev1.PodSpec { return &o.(*appsv1.Deployment).Spec.Template.Spec },
		Table:    printers.DeploymentTable(),
		Describe: printers.DescribeDeployment,
	}
}
