// Package registry is the one description of every resource the miniature cluster serves, as
// kube-apiserver registers REST storage per resource (k8s.io/kubernetes pkg/registry/*/storage and
// strategy.go), the server-side printers register table handlers (pkg/printers/internalversion
// AddHandlers) and kubectl keeps describers (k8s.io/kubectl pkg/describe describerMap).
//
// Each resource is described once, in its own file (pod.go, deployment.go, configmap.go…): its Go
// type, names, scope, etcd directory, strategy (defaults, admission, validation, status and scale
// subresources), selectable fields, table and describer. The API server, the kubectl subset,
// httpapi (discovery, OpenAPI, watch, Table) and the quiz read the registry; nothing else switches
// over resource types. Adding a type is one line in New plus the type's own file(s).
//
// The package sits below engine/apiserver and above engine/validation and
// engine/kubectl/printers, whose per-type functions the descriptions point at.
package registry

import (
	"reflect"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
)

// Resource describes one kind the API server serves, with the names discovery gives it.
type Resource struct {
	Name       string // plural, lowercase: "deployments"
	Singular   string
	ShortNames []string
	Kind       string
	Group      string // "" for the core group
	Version    string
	Namespaced bool
	Categories []string // "all" puts the resource in `kubectl get all`
	// Verbs are the verbs the resource serves, as discovery lists them; nil means all of them.
	Verbs []string
	// StatusVerbs, when set, give the resource a status subresource serving these verbs: a main
	// update keeps the stored status, a status update keeps the spec.
	StatusVerbs []string
	// Scale, when set, gives the resource a scale subresource.
	Scale *Scale
	// Binding gives the resource the pods/binding subresource (the scheduler's POST).
	Binding bool
	// Eviction gives the resource the pods/eviction subresource (a policy/v1 Eviction POSTed by
	// kubectl drain), which honours PodDisruptionBudgets.
	Eviction bool
	// Strategy is how the API server prepares, defaults, admits and validates objects.
	Strategy Strategy
	// PodSpec, when set, returns the pod spec an object runs (its own or its template's), for
	// `kubectl set image` (kubectl's polymorphichelpers.UpdatePodSpecForObject).
	PodSpec func(obj runtime.Object) *corev1.PodSpec
	// Table is how kubectl get and the server's Table print the resource.
	Table printers.Table
	// Describe is kubectl describe's describer; nil where kubectl has none.
	Describe printers.DescribeFunc
	// TTL, when set, is how long an object lives after its last write: the API server stores it
	// with an etcd lease that runs out then, and etcd deletes it.
	TTL time.Duration

	// etcdDir is the directory under /registry where objects are kept; it differs from Name for
	// nodes ("minions", a historical name), services ("services/specs") and endpoints
	// ("services/endpoints").
	etcdDir string
	newObj  func() runtime.Object
	newList func() runtime.Object
	goType  reflect.Type // the type newObj returns, to check objects without allocating one
	// fields are the resource's own selectable fields beyond metadata.name and metadata.namespace
	// (the strategy's GetAttrs / ToSelectableFields).
	fields func(obj runtime.Object) fields.Set
	// fastFields, when set, answers field selectors without building a map (pods, whose writes
	// every kubelet's watch tests); it must agree with fields.
	fastFields func(obj runtime.Object) fields.Fields
	// nodeName, when set, is the watch cache's spec.nodeName index (pod.NodeNameTriggerFunc).
	nodeName func(obj runtime.Object) string
	// addToScheme registers the resource's API group with a codec's scheme.
	addToScheme func(*runtime.Scheme) error
}

// Scale is a scale subresource: how to read and set the replicas of an object.
type Scale struct {
	// Replicas returns spec.replicas, the selector and status.replicas.
	Replicas func(obj runtime.Object) (spec *int32, selector *metav1.LabelSelector, status int32)
	// SetReplicas sets spec.replicas.
	SetReplicas func(obj runtime.Object, n int32)
}

// allVerbs are the verbs a resource serves unless it says otherwise.
func allVerbs() []string {
	return []string{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}
}

// subresourceVerbs are the verbs of a status or scale subresource.
func subresourceVerbs() []string { return []string{"get", "patch", "update"} }

// GroupResource is the resource as errors name it ("deployments.apps").
func (r *Resource) GroupResource() schema.GroupResource {
	return schema.GroupResource{Group: r.Group, Resource: r.Name}
}

// GroupKind is the kind as validation errors name it ("Deployment.apps").
func (r *Resource) GroupKind() schema.GroupKind {
	return schema.GroupKind{Group: r.Group, Kind: r.Kind}
}

// GroupVersionKind fills TypeMeta.
func (r *Resource) GroupVersionKind() schema.GroupVersionKind {
	return schema.GroupVersionKind{Group: r.Group, Version: r.Version, Kind: r.Kind}
}

// APIVersion is "v1" or "apps/v1".
func (r *Resource) APIVersion() string { return r.GroupVersionKind().GroupVersion().String() }

// KindName is the name kubectl prints in front of an object: "deployment.apps", "pod".
func (r *Resource) KindName() string {
	k := strings.ToLower(r.Kind)
	if r.Group != "" {
		return k + "." + r.Group
	}
	return k
}

// StatusSubresource reports whether the resource has a status subresource.
func (r *Resource) StatusSubresource() bool { return r.StatusVerbs != nil }

// ServedVerbs lists the verbs the resource serves, as discovery shows them.
func (r *Resource) ServedVerbs() []string {
	if r.Verbs != nil {
		return r.Verbs
	}
	return allVerbs()
}

// KeyPrefix is the etcd prefix for objects of this resource in namespace ns ("" for all).
func (r *Resource) KeyPrefix(ns string) string {
	p := "/registry/" + r.etcdDir + "/"
	if r.Namespaced && ns != "" {
		p += ns + "/"
	}
	return p
}

// ObjectKey is the cache key of the object stored under the etcd key k: "namespace/name", or
// "name" for a cluster-scoped resource, as client-go's MetaNamespaceKeyFunc makes it. It is part
// of k, so finding it costs no allocation (every informer that sees a write needs it).
func (r *Resource) ObjectKey(k string) string {
	n := len("/registry/") + len(r.etcdDir) + 1
	if len(k) < n {
		return ""
	}
	return k[n:]
}

// Key is the etcd key of one object.
func (r *Resource) Key(ns, name string) string {
	if r.Namespaced {
		return "/registry/" + r.etcdDir + "/" + ns + "/" + name
	}
	return "/registry/" + r.etcdDir + "/" + name
}

// New returns an empty object of the resource's type.
func (r *Resource) New() runtime.Object { return r.newObj() }

// NewList returns an empty list of the resource's type ("PodList").
func (r *Resource) NewList() runtime.Object { return r.newList() }

// Holds reports whether obj is of the resource's Go type.
func (r *Resource) Holds(obj runtime.Object) bool { return reflect.TypeOf(obj) == r.goType }

// SetTypeMeta fills obj's apiVersion and kind.
func (r *Resource) SetTypeMeta(obj runtime.Object) {
	obj.GetObjectKind().SetGroupVersionKind(r.GroupVersionKind())
}

// AddToScheme registers the resource's API group with s.
func (r *Resource) AddToScheme(s *runtime.Scheme) error { return r.addToScheme(s) }

// FieldSet is the set of fields a field selector can test on obj, as kube-apiserver offers them.
func (r *Resource) FieldSet(obj runtime.Object) fields.Set {
	m := accessor(obj)
	set := fields.Set{"metadata.name": m.GetName()}
	if m.GetNamespace() != "" {
		set["metadata.namespace"] = m.GetNamespace()
	}
	if r.fields != nil {
		for k, v := range r.fields(obj) {
			set[k] = v
		}
	}
	return set
}

// Fields is FieldSet, without building a map where the resource knows a quicker way.
func (r *Resource) Fields(obj runtime.Object) fields.Fields {
	if r.fastFields != nil {
		return r.fastFields(obj)
	}
	return r.FieldSet(obj)
}

// IndexedByNode reports whether watches of the resource are indexed by spec.nodeName (pods), so
// that a write to a pod on node-7 wakes node-7's kubelet and not the other thousand.
func (r *Resource) IndexedByNode() bool { return r.nodeName != nil }

// NodeName is the node an object of a resource IndexedByNode is bound to.
func (r *Resource) NodeName(obj runtime.Object) string { return r.nodeName(obj) }

// Registry is the fixed set of resources the miniature API server serves. It is built once by New
// and never changes.
type Registry struct {
	byName map[string]*Resource // plural, singular, short names, kind (lowercase), "name.group"
	all    []*Resource
}

// New returns the resources of the miniature cluster, in the order `kubectl get all` prints them.
// To add a resource, write its file (see configmap.go) and add its constructor here.
func New() *Registry {
	return newRegistry(
		pods(), services(), deployments(), replicaSets(), nodes(), namespaces(), events(),
		configMaps(), secrets(), serviceAccounts(), leases(), endpoints(), endpointSlices(), ipAddresses(), podDisruptionBudgets(), priorityClasses(),
	)
}

func newRegistry(all ...*Resource) *Registry {
	reg := &Registry{byName: map[string]*Resource{}, all: all}
	for _, r := range all {
		r.goType = reflect.TypeOf(r.newObj())
		r.Table.Kind = r.KindName()
		r.Table.Namespaced = r.Namespaced
		if r.Strategy.Validate == nil {
			r.Strategy.Validate = validateName
		}
		names := append([]string{r.Name, r.Singular, strings.ToLower(r.Kind)}, r.ShortNames...)
		for _, n := range names {
			reg.byName[n] = r
			if r.Group != "" {
				reg.byName[n+"."+r.Group] = r
				reg.byName[n+"."+r.Version+"."+r.Group] = r
			}
		}
	}
	return reg
}

// Lookup finds a resource by plural, singular, short name, kind or "name.group", case-insensitively.
func (g *Registry) Lookup(name string) (*Resource, bool) {
	r, ok := g.byName[strings.ToLower(name)]
	return r, ok
}

// MustLookup is Lookup for names the engine itself uses; an unknown name is a programming error.
func (g *Registry) MustLookup(name string) *Resource {
	r, ok := g.Lookup(name)
	if !ok {
		panic("registry: unknown resource " + name)
	}
	return r
}

// All lists the resources in a fixed order.
func (g *Registry) All() []*Resource { return g.all }

// Category returns the resources in a category, in the order `kubectl get all` prints them.
func (g *Registry) Category(cat string) []*Resource {
	var out []*Resource
	for _, r := range g.all {
		for _, c := range r.Categories {
			if c == cat {
				out = append(out, r)
			}
		}
	}
	return out
}

// ForObject returns the resource of a typed object.
func (g *Registry) ForObject(obj runtime.Object) (*Resource, bool) {
	for _, r := range g.all {
		if r.Holds(obj) {
			return r, true
		}
	}
	return nil, false
}

// ForKey returns the resource whose objects live under an etcd key.
func (g *Registry) ForKey(key string) (*Resource, bool) {
	for _, r := range g.all {
		if strings.HasPrefix(key, r.KeyPrefix("")) {
			return r, true
		}
	}
	return nil, false
}

// ForKind returns the resource for an apiVersion and kind, as in a manifest.
func (g *Registry) ForKind(apiVersion, kind string) (*Resource, bool) {
	for _, r := range g.all {
		if r.Kind == kind && r.APIVersion() == apiVersion {
			return r, true
		}
	}
	return nil, false
}

// AddToScheme registers every served API group version with s, each once.
func (g *Registry) AddToScheme(s *runtime.Scheme) error {
	done := map[schema.GroupVersion]bool{}
	for _, r := range g.all {
		gv := r.GroupVersionKind().GroupVersion()
		if done[gv] {
			continue
		}
		done[gv] = true
		if err := r.addToScheme(s); err != nil {
			return err
		}
	}
	return nil
}

// Names lists every accepted resource name, sorted (for completion and suggestions).
func (g *Registry) Names() []string {
	out := make([]string, 0, len(g.byName))
	for n := range g.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
