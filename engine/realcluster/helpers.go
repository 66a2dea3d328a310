package realcluster

import (
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

func extractItems(list runtime.Object) ([]runtime.Object, error) { return meta.ExtractList(list) }

func nameOf(obj runtime.Object) string {
	m, err := meta.Accessor(obj)
	if err != nil {
		return ""
	}
	return m.GetName()
}

func runtimeGR(resource string) schema.GroupResource { return schema.GroupResource{Resource: resource} }

func typesPatch(contentType string) types.PatchType { return types.PatchType(contentType) }
