// Package informer is a miniature client-go informer: it lists a resource through the API server,
// then follows its watch, keeps a local cache and calls handlers for every change. Components read
// their caches, never the API server, to decide what to do, exactly as real controllers do.
package informer

import (
	"slices"
	"sort"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// Event is a change delivered to a handler, with the watch event's type and revision.
type Event struct {
	Type     watch.EventType
	Resource string
	Revision int64
}

// Handlers react to changes. Objects are shared with the cache: never modify them.
type Handlers struct {
	OnAdd    func(obj runtime.Object, ev Event)
	OnUpdate func(old, obj runtime.Object, ev Event)
	OnDelete func(obj runtime.Object, ev Event)
}

// IndexFunc returns the index values of an object (e.g. the node a pod is bound to).
type IndexFunc func(obj runtime.Object) []string

// Informer caches one resource. Not safe for concurrent use: the cluster serialises steps.
type Informer struct {
	resource string
	watcher  *apiserver.Watcher
	cache    map[string]runtime.Object
	handlers Handlers
	indexers map[string]IndexFunc
	indices  map[string]map[string]map[string]struct{} // index name -> value -> keys
}

// New lists resource in ns ("" for all) and starts watching from the list's revision. The
// initial objects are delivered to OnAdd, as an informer's first sync does.
func New(c *apiserver.Client, resource, ns string, opts apiserver.ListOptions, h Handlers, indexers map[string]IndexFunc) (*Informer, error) {
	objs, rev, err := c.ListShared(resource, ns, opts)
	if err != nil {
		return nil, err
	}
	wopts := opts
	wopts.ResourceVersion = rev
	w, err := c.Server().Watch(resource, ns, wopts)
	if err != nil {
		return nil, err
	}
	inf := &Informer{resource: resource, watcher: w, cache: map[string]runtime.Object{}, handlers: h,
		indexers: indexers, indices: map[string]map[string]map[string]struct{}{}}
	for name := range indexers {
		inf.indices[name] = map[string]map[string]struct{}{}
	}
	for _, o := range objs {
		inf.store(KeyOf(o), o)
		if h.OnAdd != nil {
			h.OnAdd(o, Event{Type: watch.Added, Resource: resource, Revision: rev})
		}
	}
	return inf, nil
}

// Watcher is the informer's watch, so the cluster can learn when it has events waiting.
func (i *Informer) Watcher() *apiserver.Watcher { return i.watcher }

// Resource is the plural resource name.
func (i *Informer) Resource() string { return i.resource }

// Sync applies the queued watch events to the cache and calls the handlers. It reports whether
// there were any.
func (i *Informer) Sync() bool {
	evs := i.watcher.Drain()
	for _, ev := range evs {
		key := ev.Key
		if key == "" {
			key = KeyOf(ev.Object)
		}
		old, had := i.cache[key]
		e := Event{Type: ev.Type, Resource: i.resource, Revision: ev.Revision}
		switch ev.Type {
		case watch.Deleted:
			i.remove(key)
			if i.handlers.OnDelete != nil {
				i.handlers.OnDelete(ev.Object, e)
			}
		default:
			i.store(key, ev.Object)
			switch {
			case had && i.handlers.OnUpdate != nil:
				i.handlers.OnUpdate(old, ev.Object, e)
			case !had && i.handlers.OnAdd != nil:
				i.handlers.OnAdd(ev.Object, e)
			}
		}
	}
	return len(evs) > 0
}

// Stop ends the watch.
func (i *Informer) Stop() { i.watcher.Stop() }

// Get returns the cached object with key "namespace/name" (or "name").
func (i *Informer) Get(key string) (runtime.Object, bool) {
	o, ok := i.cache[key]
	return o, ok
}

// List returns every cached object, sorted by key.
func (i *Informer) List() []runtime.Object {
	keys := make([]string, 0, len(i.cache))
	for k := range i.cache {
		keys = append(keys, k)
	}
	return i.byKeys(keys)
}

// Len is the number of cached objects.
func (i *Informer) Len() int { return len(i.cache) }

// ByIndex returns the cached objects whose index named name has value, sorted by key.
func (i *Informer) ByIndex(name, value string) []runtime.Object {
	set := i.indices[name][value]
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	return i.byKeys(keys)
}

func (i *Informer) byKeys(keys []string) []runtime.Object {
	sort.Strings(keys)
	out := make([]runtime.Object, len(keys))
	for n, k := range keys {
		out[n] = i.cache[k]
	}
	return out
}

func (i *Informer) store(key string, obj runtime.Object) {
	old, had := i.cache[key]
	i.cache[key] = obj
	for name, f := range i.indexers {
		values := f(obj)
		if had {
			oldValues := f(old)
			if slices.Equal(oldValues, values) {
				continue // most updates (a status) leave the index as it was
			}
			i.unindexValues(name, key, oldValues)
		}
		for _, v := range values {
			set := i.indices[name][v]
			if set == nil {
				set = map[string]struct{}{}
				i.indices[name][v] = set
			}
			set[key] = struct{}{}
		}
	}
}

func (i *Informer) remove(key string) {
	if old, ok := i.cache[key]; ok {
		i.unindex(key, old)
		delete(i.cache, key)
	}
}

func (i *Informer) unindex(key string, obj runtime.Object) {
	for name, f := range i.indexers {
		i.unindexValues(name, key, f(obj))
	}
}

func (i *Informer) unindexValues(name, key string, values []string) {
	for _, v := range values {
		if set := i.indices[name][v]; set != nil {
			delete(set, key)
			if len(set) == 0 {
				delete(i.indices[name], v)
			}
		}
	}
}

// KeyOf is the cache key of an object: "namespace/name", or "name" for cluster-scoped objects.
func KeyOf(obj runtime.Object) string {
	m, err := meta.Accessor(obj)
	if err != nil {
		return ""
	}
	if m.GetNamespace() == "" {
		return m.GetName()
	}
	return m.GetNamespace() + "/" + m.GetName()
}

// SplitKey splits a cache key into namespace and name.
func SplitKey(key string) (ns, name string) {
	for j := 0; j < len(key); j++ {
		if key[j] == '/' {
			return key[:j], key[j+1:]
		}
	}
	return "", key
}
