package apiserver

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slearn/k8slearn/engine/registry"
	"github.com/k8slearn/k8slearn/engine/validation"
)

// Resource is one resource the API server serves, as engine/registry describes it.
type Resource = registry.Resource

// Registry is the set of resources the API server serves (engine/registry).
type Registry = registry.Registry

func setTypeMeta(res *Resource, obj runtime.Object) { res.SetTypeMeta(obj) }

func validateScale(replicas int32) field.ErrorList { return validation.ValidateScale(replicas) }

func fieldRequiredRV() field.ErrorList {
	return field.ErrorList{field.Invalid(field.NewPath("metadata", "resourceVersion"), "0x0", "must be specified for an update")}
}

func fieldTargetKind(kind string) field.ErrorList {
	return field.ErrorList{field.NotSupported(field.NewPath("target", "kind"), kind, []string{"Node"})}
}

// schemaGR names a resource the way an error message does when it is not one of ours ("pods/binding").
func schemaGR(name string) schema.GroupResource { return schema.GroupResource{Resource: name} }

func schemaGK(kind string) schema.GroupKind { return schema.GroupKind{Kind: kind} }
