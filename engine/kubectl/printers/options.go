package printers

import (
	"reflect"
	"time"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
)

// Reader is how describers fetch related objects; the lead's API server adapter implements it.
// resource is the plural lowercase name: "pods", "deployments", "replicasets", "nodes",
// "events", "namespaces", "services" (and "leases" for node leases, optional).
// namespace "" means all namespaces; a nil selector means everything.
type Reader interface {
	List(resource, namespace string, selector labels.Selector) ([]runtime.Object, error)
	Get(resource, namespace, name string) (runtime.Object, error)
}

// Options are the `kubectl get` flags that change a table.
type Options struct {
	Wide          bool      // -o wide: adds the priority-1 columns
	AllNamespaces bool      // -A: adds a NAMESPACE column for namespaced resources
	WithKind      bool      // names printed as pod/NAME, as when several types are requested
	NoHeaders     bool      // --no-headers
	ShowLabels    bool      // --show-labels: adds a LABELS column
	LabelColumns  []string  // -L: one column per label key, before LABELS
	Now           time.Time // the moment ages are computed against
}

// isNilObject catches nil interfaces and typed nil pointers, which would
// otherwise make a printer panic.
func isNilObject(obj runtime.Object) bool {
	if obj == nil {
		return true
	}
	v := reflect.ValueOf(obj)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
