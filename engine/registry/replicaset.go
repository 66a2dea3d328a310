package registry

import (
	"reflect"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
	"github.com/k8slearn/k8slearn/engine/validation"
)

// replicaSets: pkg/registry/apps/replicaset.
func replicaSets() *Resource {
	return &Resource{
		Name: "replicasets", Singular: "replicaset", ShortNames: []string{"rs"}, Kind: "ReplicaSet", Group: "apps", Version: "v1",
		Namespaced: true, Categories: []string{"all"}, StatusVerbs: subresourceVerbs(), etcdDir: "replicasets",
		newObj:      func() runtime.Object { return &appsv1.ReplicaSet{} },
		newList:     func() runtime.Object { return &appsv1.ReplicaSetList{} },
		addToScheme: appsv1.AddToScheme,
		Strategy: Strategy{
			Generation: true,
			PrepareForCreate: func(o runtime.Object) {
				obj := o.(*appsv1.ReplicaSet)
				obj.Status = appsv1.ReplicaSetStatus{}
				validation.DropDisabledProbeFields(&obj.Spec.Template.Spec, nil)
			},
			Defaults: func(o runtime.Object) { validation.DefaultReplicaSet(o.(*appsv1.ReplicaSet)) },
			Validate: func(o runtime.Object) field.ErrorList { return validation.ValidateReplicaSet(o.(*appsv1.ReplicaSet)) },
			ValidateUpdate: func(o, old runtime.Object) field.ErrorList {
				return validation.ValidateReplicaSetUpdate(o.(*appsv1.ReplicaSet), old.(*appsv1.ReplicaSet))
			},
			KeepStatus: func(o, old runtime.Object) { o.(*appsv1.ReplicaSet).Status = old.(*appsv1.ReplicaSet).Status },
			KeepSpec:   func(o, old runtime.Object) { o.(*appsv1.ReplicaSet).Spec = old.(*appsv1.ReplicaSet).Spec },
			SpecChanged: func(o, old runtime.Object) bool {
				return !reflect.DeepEqual(o.(*appsv1.ReplicaSet).Spec, old.(*appsv1.ReplicaSet).Spec)
			},
		},
		Scale: &Scale{
			Replicas: func(o runtime.Object) (*int32, *metav1.LabelSelector, int32) {
				rs := o.(*appsv1.ReplicaSet)
				return rs.Spec.Replicas, rs.Spec.Selector, rs.Status.Replicas
			},
			SetReplicas: func(o runtime.Object, n int32) { o.(*appsv1.ReplicaSet).Spec.Replicas = &n },
		},
		fields: func(o runtime.Object) fields.Set {
			return fields.Set{"status.replicas": strconv.Itoa(int(o.(*appsv1.ReplicaSet).Status.Replicas))}
		},
		PodSpec:  func(o runtime.Object) *corev1.PodSpec { return &o.(*appsv1.ReplicaSet).Spec.Template.Spec },
		Table:    printers.ReplicaSetTable(),
		Describe: printers.DescribeReplicaSet,
	}
}
