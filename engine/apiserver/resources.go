package apiserver

import (
	"reflect"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
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
	// StatusSubresource: a main update keeps the stored status, a status update keeps the spec.
	StatusSubresource bool
	// TTL, when set, is how long an object lives after its last write: the API server stores it
	// with an etcd lease that runs out then, and etcd deletes it.
	TTL time.Duration
	// etcdDir is the directory under /registry where objects are kept; it differs from Name for
	// nodes ("minions", a historical name) and services ("services/specs").
	etcdDir string
	newObj  func() runtime.Object
	goType  reflect.Type // the type newObj returns, to check objects without allocating one
}

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

// KeyPrefix is the etcd prefix for objects of this resource in namespace ns ("" for all).
func (r *Resource) KeyPrefix(ns string) string {
	p := "/registry/" + r.etcdDir + "/"
	if r.Namespaced && ns != "" {
		p += ns + "/"
	}
	return p
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

// holds reports whether obj is of the resource's Go type.
func (r *Resource) holds(obj runtime.Object) bool { return reflect.TypeOf(obj) == r.goType }

// EventTTL is how long an Event is kept after its last write, kube-apiserver's --event-ttl default.
const EventTTL = time.Hour

// Registry is the fixed set of resources the miniature API server serves.
type Registry struct {
	byName map[string]*Resource // plural, singular, short names, kind (lowercase), "name.group"
	all    []*Resource
}

// NewRegistry returns the resources of the miniature cluster.
func NewRegistry() *Registry {
	all := []*Resource{
		{Name: "pods", Singular: "pod", ShortNames: []string{"po"}, Kind: "Pod", Version: "v1", Namespaced: true,
			Categories: []string{"all"}, StatusSubresource: true, etcdDir: "pods", newObj: func() runtime.Object { return &corev1.Pod{} }},
		{Name: "services", Singular: "service", ShortNames: []string{"svc"}, Kind: "Service", Version: "v1", Namespaced: true,
			Categories: []string{"all"}, StatusSubresource: true, etcdDir: "services/specs", newObj: func() runtime.Object { return &corev1.Service{} }},
		{Name: "deployments", Singular: "deployment", ShortNames: []string{"deploy"}, Kind: "Deployment", Group: "apps", Version: "v1",
			Namespaced: true, Categories: []string{"all"}, StatusSubresource: true, etcdDir: "deployments", newObj: func() runtime.Object { return &appsv1.Deployment{} }},
		{Name: "replicasets", Singular: "replicaset", ShortNames: []string{"rs"}, Kind: "ReplicaSet", Group: "apps", Version: "v1",
			Namespaced: true, Categories: []string{"all"}, StatusSubresource: true, etcdDir: "replicasets", newObj: func() runtime.Object { return &appsv1.ReplicaSet{} }},
		{Name: "nodes", Singular: "node", ShortNames: []string{"no"}, Kind: "Node", Version: "v1",
			StatusSubresource: true, etcdDir: "minions", newObj: func() runtime.Object { return &corev1.Node{} }},
		{Name: "namespaces", Singular: "namespace", ShortNames: []string{"ns"}, Kind: "Namespace", Version: "v1",
			StatusSubresource: true, etcdDir: "namespaces", newObj: func() runtime.Object { return &corev1.Namespace{} }},
		// kube-apiserver keeps events for --event-ttl, an hour by default (cmd/kube-apiserver/app/
		// options/options.go), renewed at every write (pkg/registry/core/event/storage/storage.go).
		{Name: "events", Singular: "event", ShortNames: []string{"ev"}, Kind: "Event", Version: "v1", Namespaced: true,
			TTL: EventTTL, etcdDir: "events", newObj: func() runtime.Object { return &corev1.Event{} }},
	}
	reg := &Registry{byName: map[string]*Resource{}, all: all}
	for _, r := range all {
		r.goType = reflect.TypeOf(r.newObj())
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
		panic("apiserver: unknown resource " + name)
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
		if r.holds(obj) {
			return r, true
		}
	}
	return nil, false
}

// forKey returns the resource whose objects live under an etcd key.
func (g *Registry) forKey(key string) (*Resource, bool) {
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

// Names lists every accepted resource name, sorted (for completion and suggestions).
func (g *Registry) Names() []string {
	out := make([]string, 0, len(g.byName))
	for n := range g.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
