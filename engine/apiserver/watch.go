package apiserver

import (
	"errors"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/k8slearn/k8slearn/engine/store"
)

// WatchEvent is one notification a watcher receives. Object is shared with the store and every
// other watcher: never modify it (copy first), as with client-go's informer caches.
type WatchEvent struct {
	Type     watch.EventType
	Object   runtime.Object
	Revision int64
	// Key is the object's cache key, "namespace/name" or "name" (part of its etcd key).
	Key string
}

// ListOptions narrow a list or a watch, as kubectl's -l and --field-selector do.
type ListOptions struct {
	LabelSelector labels.Selector // nil: everything
	FieldSelector fields.Selector // nil: everything; pods support spec.nodeName, status.phase, metadata.name
	// ResourceVersion a watch starts after (0: from now on).
	ResourceVersion int64
}

// Watcher receives the events of one resource that match its options, in revision order. Events
// queue up without bound until drained, so a slow reader never loses one.
type Watcher struct {
	res  *Resource
	ns   string
	opts ListOptions
	node string // non-empty when the field selector pins spec.nodeName: indexed dispatch

	mu      sync.Mutex
	buf     []WatchEvent
	spare   []WatchEvent // the array the last Drain handed out, for the next one to fill
	stopped bool
	signal  chan struct{} // has a value while buf is non-empty
	notify  func()
	set     *watcherSet
}

// Drain returns the queued events and empties the queue. The slice is the caller's until its
// next Drain, which reuses its array for the events queued after it (an informer drains at
// every step of the cluster: a fresh array each time was a good part of what a long wait
// allocated).
func (w *Watcher) Drain() []WatchEvent {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.buf
	clear(w.spare) // the events the caller had last time: let them go
	w.buf, w.spare = w.spare[:0], out
	select {
	case <-w.signal:
	default:
	}
	return out
}

// Pending reports whether events are queued.
func (w *Watcher) Pending() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.buf) > 0
}

// Ready has a value whenever events are queued; for readers that block.
func (w *Watcher) Ready() <-chan struct{} { return w.signal }

// Stop ends the watch; queued events are dropped.
func (w *Watcher) Stop() {
	w.set.remove(w)
	w.mu.Lock()
	w.stopped = true
	w.buf = nil
	w.mu.Unlock()
}

// SetNotify registers f to be called whenever an event is queued. f runs with the API server's
// lock held: it must be quick and must not call the server.
func (w *Watcher) SetNotify(f func()) {
	w.mu.Lock()
	w.notify = f
	w.mu.Unlock()
}

func (w *Watcher) push(ev WatchEvent) {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		return
	}
	w.buf = append(w.buf, ev)
	notify := w.notify
	w.mu.Unlock()
	select {
	case w.signal <- struct{}{}:
	default:
	}
	if notify != nil {
		notify()
	}
}

func (w *Watcher) matches(obj runtime.Object) bool {
	if obj == nil {
		return false
	}
	m := accessor(obj)
	if w.ns != "" && m.GetNamespace() != w.ns {
		return false
	}
	if w.opts.LabelSelector != nil && !w.opts.LabelSelector.Matches(labels.Set(m.GetLabels())) {
		return false
	}
	if w.opts.FieldSelector != nil && !w.opts.FieldSelector.Matches(w.res.Fields(obj)) {
		return false
	}
	return true
}

// deliver turns a store event into what this watcher sees: an object that starts matching the
// filter is ADDED, one that stops matching is DELETED, as kube-apiserver's watch cache does.
func (w *Watcher) deliver(ev store.Event, obj, prev runtime.Object) {
	key := w.res.ObjectKey(ev.Key)
	switch ev.Type {
	case watch.Added:
		if w.matches(obj) {
			w.push(WatchEvent{Type: watch.Added, Object: obj, Revision: ev.Revision, Key: key})
		}
	case watch.Modified:
		was, is := w.matches(prev), w.matches(obj)
		switch {
		case was && is:
			w.push(WatchEvent{Type: watch.Modified, Object: obj, Revision: ev.Revision, Key: key})
		case is:
			w.push(WatchEvent{Type: watch.Added, Object: obj, Revision: ev.Revision, Key: key})
		case was:
			w.push(WatchEvent{Type: watch.Deleted, Object: obj, Revision: ev.Revision, Key: key})
		}
	case watch.Deleted:
		if w.matches(obj) {
			w.push(WatchEvent{Type: watch.Deleted, Object: obj, Revision: ev.Revision, Key: key})
		}
	}
}

// watcherSet indexes watchers by resource, and pod watchers by the node they follow, so that a
// write to a pod on node-7 wakes node-7's kubelet and not the other thousand.
type watcherSet struct {
	mu     sync.Mutex
	byRes  map[*Resource][]*Watcher
	byNode map[string][]*Watcher // resources indexed by node (pods) only
}

func newWatcherSet() watcherSet {
	return watcherSet{byRes: map[*Resource][]*Watcher{}, byNode: map[string][]*Watcher{}}
}

func (ws *watcherSet) add(w *Watcher) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if w.node != "" {
		ws.byNode[w.node] = append(ws.byNode[w.node], w)
		return
	}
	ws.byRes[w.res] = append(ws.byRes[w.res], w)
}

func (ws *watcherSet) remove(w *Watcher) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	drop := func(list []*Watcher) []*Watcher {
		for i, x := range list {
			if x == w {
				return append(list[:i:i], list[i+1:]...)
			}
		}
		return list
	}
	if w.node != "" {
		ws.byNode[w.node] = drop(ws.byNode[w.node])
		return
	}
	ws.byRes[w.res] = drop(ws.byRes[w.res])
}

// dispatch hands a committed store event to every interested watcher, in registration order.
func (ws *watcherSet) dispatch(res *Resource, ev store.Event, obj, prev runtime.Object) {
	ws.mu.Lock()
	targets := append([]*Watcher(nil), ws.byRes[res]...)
	if res.IndexedByNode() {
		for _, o := range []runtime.Object{obj, prev} {
			if o == nil {
				continue
			}
			if node := res.NodeName(o); node != "" {
				for _, w := range ws.byNode[node] {
					if !containsWatcher(targets, w) {
						targets = append(targets, w)
					}
				}
			}
		}
	}
	ws.mu.Unlock()
	for _, w := range targets {
		w.deliver(ev, obj, prev)
	}
}

func containsWatcher(list []*Watcher, w *Watcher) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

// Watch starts a watch on a resource in namespace ns ("" for all). With opts.ResourceVersion set,
// the events after that revision that the store still keeps are queued first; an older revision is
// 410 Gone, as with a real API server.
func (s *Server) Watch(resource, ns string, opts ListOptions) (*Watcher, error) {
	res, err := s.resource(resource)
	if err != nil {
		return nil, err
	}
	w := &Watcher{res: res, ns: ns, opts: opts, signal: make(chan struct{}, 1), set: &s.watchers}
	if res.IndexedByNode() && opts.FieldSelector != nil {
		if node, ok := opts.FieldSelector.RequiresExactMatch("spec.nodeName"); ok && node != "" {
			w.node = node
		}
	}
	// Hold the write lock so no write slips between the replay and the registration.
	s.mu.Lock()
	defer s.mu.Unlock()
	if opts.ResourceVersion > 0 {
		evs, _, err := s.store.Since(res.KeyPrefix(ns), opts.ResourceVersion, 0)
		if errors.Is(err, store.ErrCompacted) {
			return nil, apierrors.NewResourceExpired("too old resource version: " + int64String(opts.ResourceVersion) +
				" (" + int64String(s.store.CompactedRevision()+1) + ")")
		}
		for _, ev := range evs {
			obj, prev := watchObjects(ev)
			w.deliver(ev, obj, prev)
		}
	}
	s.watchers.add(w)
	return w, nil
}

// ExpireLeases has the store delete the objects whose TTL has run out by the simulated clock
// (Events, an hour after their last write) and tells the watchers, and returns how many went.
// Nobody asked for these deletes, etcd made them: they are not in the write journal.
func (s *Server) ExpireLeases() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	evs := s.store.ExpireLeases(s.clock.Now())
	for _, ev := range evs {
		if res, ok := s.reg.ForKey(ev.Key); ok {
			obj, prev := watchObjects(ev)
			s.watchers.dispatch(res, ev, obj, prev)
		}
	}
	return len(evs)
}

// watchObjects returns the object a watcher should see for a store event. For a delete that is
// the last state with its resourceVersion set to the delete's revision.
func watchObjects(ev store.Event) (obj, prev runtime.Object) {
	if ev.Type != watch.Deleted {
		return ev.Value, ev.Prev
	}
	o := ev.Value.DeepCopyObject()
	accessor(o).SetResourceVersion(int64String(ev.Revision))
	return o, ev.Prev
}
