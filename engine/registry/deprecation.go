package registry

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

// DeprecationWarning is the warning kube-apiserver sends with every request for a deprecated
// API (k8s.io/apiserver v0.37.2 pkg/endpoints/deprecation WarningMessage), read from the API
// type's lifecycle methods; "" for an API that is not deprecated.
func (r *Resource) DeprecationWarning() string {
	obj := r.New()
	r.SetTypeMeta(obj)
	dep, ok := obj.(interface{ APILifecycleDeprecated() (int, int) })
	if !ok {
		return ""
	}
	major, minor := dep.APILifecycleDeprecated()
	if major == 0 && minor == 0 {
		return ""
	}
	gvk := obj.GetObjectKind().GroupVersionKind()
	msg := fmt.Sprintf("%s %s is deprecated in v%d.%d+", gvk.GroupVersion().String(), gvk.Kind, major, minor)
	if rem, ok := obj.(interface{ APILifecycleRemoved() (int, int) }); ok {
		if rmaj, rmin := rem.APILifecycleRemoved(); rmaj != 0 || rmin != 0 {
			msg += fmt.Sprintf(", unavailable in v%d.%d+", rmaj, rmin)
		}
	}
	if rep, ok := obj.(interface {
		APILifecycleReplacement() schema.GroupVersionKind
	}); ok {
		if r := rep.APILifecycleReplacement(); !r.Empty() {
			msg += fmt.Sprintf("; use %s %s", r.GroupVersion().String(), r.Kind)
		}
	}
	return msg
}
