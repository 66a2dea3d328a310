package printers

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
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
	Now           time.Time // the moment ages are computed against
}

// resourceInfo is what kubectl's RESTMapper knows about one resource.
type resourceInfo struct {
	plural     string
	kind       string
	group      string // "" for the core group
	version    string
	namespaced bool
	aliases    []string // singular and short names accepted on the command line
}

// knownResources lists the resources this package prints.
var knownResources = []resourceInfo{
	{plural: "pods", kind: "Pod", version: "v1", namespaced: true, aliases: []string{"pod", "po"}},
	{plural: "services", kind: "Service", version: "v1", namespaced: true, aliases: []string{"service", "svc"}},
	{plural: "deployments", kind: "Deployment", group: "apps", version: "v1", namespaced: true, aliases: []string{"deployment", "deploy"}},
	{plural: "replicasets", kind: "ReplicaSet", group: "apps", version: "v1", namespaced: true, aliases: []string{"replicaset", "rs"}},
	{plural: "nodes", kind: "Node", version: "v1", aliases: []string{"node", "no"}},
	{plural: "events", kind: "Event", version: "v1", namespaced: true, aliases: []string{"event", "ev"}},
	{plural: "namespaces", kind: "Namespace", version: "v1", aliases: []string{"namespace", "ns"}},
}

// lookupResource finds a resource by its plural name or one of its aliases.
func lookupResource(name string) (resourceInfo, error) {
	name = strings.ToLower(name)
	for _, info := range knownResources {
		if info.plural == name {
			return info, nil
		}
		for _, alias := range info.aliases {
			if alias == name {
				return info, nil
			}
		}
	}
	return resourceInfo{}, fmt.Errorf("the server doesn't have a resource type %q", name)
}

// ResolveResource maps what a user typed ("po", "deploy", "svc", "pod", "pods")
// to the plural resource name this package expects.
func ResolveResource(name string) (string, bool) {
	info, err := lookupResource(name)
	if err != nil {
		return "", false
	}
	return info.plural, true
}

// IsNamespaced tells whether the resource lives in a namespace (nodes and namespaces do not).
func IsNamespaced(resource string) bool {
	info, err := lookupResource(resource)
	return err == nil && info.namespaced
}

func (r resourceInfo) groupKind() schema.GroupKind {
	return schema.GroupKind{Group: r.group, Kind: r.kind}
}

func (r resourceInfo) apiVersion() string {
	return schema.GroupVersion{Group: r.group, Version: r.version}.String()
}

// kindPrefix is what kubectl writes before a name: "pod", "deployment.apps".
func (r resourceInfo) kindPrefix() string {
	return strings.ToLower(r.groupKind().String())
}

// resourceOf tells which known resource a typed object belongs to.
func resourceOf(obj runtime.Object) (resourceInfo, bool) {
	var plural string
	switch obj.(type) {
	case *corev1.Pod:
		plural = "pods"
	case *corev1.Service:
		plural = "services"
	case *appsv1.Deployment:
		plural = "deployments"
	case *appsv1.ReplicaSet:
		plural = "replicasets"
	case *corev1.Node:
		plural = "nodes"
	case *corev1.Event:
		plural = "events"
	case *corev1.Namespace:
		plural = "namespaces"
	default:
		return resourceInfo{}, false
	}
	info, err := lookupResource(plural)
	return info, err == nil
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
