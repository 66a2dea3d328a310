package registry

import (
	"reflect"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Strategy is what kube-apiserver's per-resource REST strategy does (k8s.io/apiserver
// pkg/registry/rest: RESTCreateStrategy, RESTUpdateStrategy, RESTGracefulDeleteStrategy): prepare,
// default, admit and validate an object, and say which parts a main or status update may change.
// Every hook is optional except Validate, which defaults to requiring a name.
type Strategy struct {
	Generation       bool // metadata.generation counts spec changes
	PrepareForCreate func(obj runtime.Object)
	Defaults         func(obj runtime.Object)
	Admit            func(obj runtime.Object, randSuffix func(int) string)
	Validate         func(obj runtime.Object) field.ErrorList
	ValidateUpdate   func(obj, old runtime.Object) field.ErrorList
	// ValidateStatusUpdate, when set, replaces ValidateUpdate for the status subresource.
	ValidateStatusUpdate func(obj, old runtime.Object) field.ErrorList
	KeepStatus           func(obj, old runtime.Object) // main update: status comes from the stored object
	KeepSpec             func(obj, old runtime.Object) // status update: spec comes from the stored object
	SpecChanged          func(obj, old runtime.Object) bool
	// GracePeriod, when set, makes deletes graceful (CheckGracefulDelete): the seconds an object
	// stays terminating, given the request's grace period; 0 deletes at once.
	GracePeriod func(obj runtime.Object, requested *int64) int64
	// CheckDelete, when set, may refuse a delete (the NamespaceLifecycle admission plugin).
	CheckDelete func(obj runtime.Object) error
}

// validateName checks only what every object needs: a name.
func validateName(o runtime.Object) field.ErrorList {
	if accessor(o).GetName() == "" {
		return field.ErrorList{field.Required(field.NewPath("metadata", "name"), "name or generateName is required")}
	}
	return nil
}

func accessor(obj runtime.Object) metav1.Object {
	a, err := meta.Accessor(obj)
	if err != nil {
		// Every type in the registry has ObjectMeta; anything else never reaches here.
		panic(err)
	}
	return a
}

func objectMeta(obj runtime.Object) *metav1.ObjectMeta {
	if o, ok := obj.(metav1.ObjectMetaAccessor); ok {
		if m, ok := o.GetObjectMeta().(*metav1.ObjectMeta); ok {
			return m
		}
	}
	panic("registry: no ObjectMeta in " + reflect.TypeOf(obj).String())
}
