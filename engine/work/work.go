// Package work holds the components' work queues. Each component has a Queue of keys, deduplicated
// as client-go's workqueue does; all queues share one Agenda that orders every queued item in the
// cluster by the time it becomes ready and then by when it was queued. The cluster's Step takes the
// Agenda's first item, so the same inputs always give the same order of actions.
package work

import (
	"container/heap"
	"sort"
	"time"
)

// Trigger says why an item was queued: a watch event, a timer, or a message from the node's
// container runtime.
type Trigger struct {
	Kind      TriggerKind
	EventType string // ADDED, MODIFIED, DELETED for watch triggers
	Resource  string // plural resource of the object the event was about
	Namespace string
	Name      string
	Revision  int64 // store revision of the event
	// Note is a message ID (locales) for non-watch triggers, with Args for its template.
	Note string
	Args map[string]any
	// Routine marks a timer that recurs and, unless something changed, only repeats what the
	// cluster already knows (a kubelet renewing its Lease): views may count runs of them in one
	// line instead of printing each.
	Routine bool
}

// TriggerKind is the source of a trigger.
type TriggerKind string

const (
	Watch   TriggerKind = "watch"
	Timer   TriggerKind = "timer"
	Runtime TriggerKind = "runtime"
)

// Item is one queued key.
type Item struct {
	Key     string
	Trigger Trigger
	ReadyAt time.Time
	seq     uint64
	owner   *Queue
	timer   bool
}

// Timer reports whether the item is a timer (queued with AddTimer) rather than work.
func (it Item) Timer() bool { return it.timer }

// live reports whether the item is still the one queued for its key.
func (it *Item) live() bool {
	m := it.owner.items
	if it.timer {
		m = it.owner.timers
	}
	cur, ok := m[it.Key]
	return ok && cur == it
}

// Seq is the order in which the item was queued, cluster-wide.
func (it Item) Seq() uint64 { return it.seq }

// Owner is the queue the item came from.
func (it Item) Owner() *Queue { return it.owner }

// Agenda orders the items of all queues. Work (watch events, runtime calls in progress) and timers
// (back-offs, periods, grace periods) are kept apart: a timer never moves the clock by itself, it
// fires once it is due. Not safe for concurrent use: the cluster serialises steps.
type Agenda struct {
	work   itemHeap
	timers itemHeap
	seq    uint64
}

// NewAgenda returns an empty agenda.
func NewAgenda() *Agenda { return &Agenda{} }

// NewQueue returns a queue for the component named owner.
func (a *Agenda) NewQueue(owner string) *Queue {
	return &Queue{agenda: a, owner: owner, items: map[string]*Item{}, timers: map[string]*Item{}}
}

// top returns the first live item of h, dropping the ones a later Add of the same key superseded.
func top(h *itemHeap) (*Item, bool) {
	for h.Len() > 0 {
		it := (*h)[0]
		if it.live() {
			return it, true
		}
		heap.Pop(h)
	}
	return nil, false
}

// Peek returns the first item, work or timer, without removing it.
func (a *Agenda) Peek() (Item, bool) {
	it, ok := a.first(func(w, t *Item) *Item { return earlier(w, t) })
	if !ok {
		return Item{}, false
	}
	return *it, true
}

// Pop removes and returns the first item, work or timer, whatever its time.
func (a *Agenda) Pop() (Item, bool) {
	return a.take(func(w, t *Item) *Item { return earlier(w, t) })
}

// PopNext removes and returns what the cluster handles next at time now: the earliest work item
// (whenever it is ready: the clock moves to it), or a timer that is due by then — by now, or by
// the time of that work item, so that timers fire in time order with the work around them. With
// no work and no due timer it returns false: the cluster is idle, though timers may remain.
func (a *Agenda) PopNext(now time.Time) (Item, bool) {
	return a.take(func(w, t *Item) *Item { return nextAt(now, w, t) })
}

// PeekNext is PopNext without removing the item.
func (a *Agenda) PeekNext(now time.Time) (Item, bool) {
	it, ok := a.first(func(w, t *Item) *Item { return nextAt(now, w, t) })
	if !ok {
		return Item{}, false
	}
	return *it, true
}

// PopDue removes and returns the earliest item, work or timer, ready no later than until.
func (a *Agenda) PopDue(until time.Time) (Item, bool) {
	return a.take(func(w, t *Item) *Item {
		if it := earlier(w, t); it != nil && !it.ReadyAt.After(until) {
			return it
		}
		return nil
	})
}

// Horizon is the time up to which timers fire before the next work item: now, or the time of the
// earliest work item if that lies ahead.
func (a *Agenda) Horizon(now time.Time) time.Time {
	if w, ok := top(&a.work); ok && w.ReadyAt.After(now) {
		return w.ReadyAt
	}
	return now
}

func nextAt(now time.Time, w, t *Item) *Item {
	horizon := now
	if w != nil && w.ReadyAt.After(horizon) {
		horizon = w.ReadyAt
	}
	if t != nil && t.ReadyAt.After(horizon) {
		t = nil
	}
	return earlier(w, t)
}

// earlier is the one of two items (either may be nil) that comes first.
func earlier(a, b *Item) *Item {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case less(b, a):
		return b
	}
	return a
}

func (a *Agenda) first(choose func(w, t *Item) *Item) (*Item, bool) {
	w, _ := top(&a.work)
	t, _ := top(&a.timers)
	it := choose(w, t)
	return it, it != nil
}

func (a *Agenda) take(choose func(w, t *Item) *Item) (Item, bool) {
	it, ok := a.first(choose)
	if !ok {
		return Item{}, false
	}
	if it.timer {
		heap.Pop(&a.timers)
		delete(it.owner.timers, it.Key)
	} else {
		heap.Pop(&a.work)
		delete(it.owner.items, it.Key)
	}
	it.owner.processed++
	return *it, true
}

// Queue is one component's set of pending keys: work, and timers (a key may have both, as a
// client-go workqueue holds a key and a delayed AddAfter of the same key).
type Queue struct {
	agenda    *Agenda
	owner     string
	items     map[string]*Item
	timers    map[string]*Item
	processed int
}

// Owner is the component the queue belongs to.
func (q *Queue) Owner() string { return q.owner }

// Add queues key as work, ready at readyAt (an image pull that completes then, or now for a watch
// event). A key already queued keeps its place and first trigger, but moves earlier if readyAt is
// earlier (as workqueue's AddAfter keeps the soonest time).
func (q *Queue) Add(key string, readyAt time.Time, trig Trigger) {
	q.push(q.items, &q.agenda.work, key, readyAt, trig, false)
}

// AddTimer queues key as a timer due at at: a back-off, a probe period, a lease renewal, a grace
// period. Its trigger's Kind is Timer; its Note (a locales ID, with Args) says what it is for. A
// timer already queued for key keeps the sooner time.
func (q *Queue) AddTimer(key string, at time.Time, trig Trigger) {
	trig.Kind = Timer
	q.push(q.timers, &q.agenda.timers, key, at, trig, true)
}

func (q *Queue) push(m map[string]*Item, h *itemHeap, key string, readyAt time.Time, trig Trigger, timer bool) {
	if cur, ok := m[key]; ok {
		if !readyAt.Before(cur.ReadyAt) {
			return
		}
		trig = cur.Trigger
	}
	q.agenda.seq++
	it := &Item{Key: key, Trigger: trig, ReadyAt: readyAt, seq: q.agenda.seq, owner: q, timer: timer}
	m[key] = it
	heap.Push(h, it)
}

// Remove drops key's work from the queue if it is there.
func (q *Queue) Remove(key string) { delete(q.items, key) }

// CancelTimer drops key's timer if there is one.
func (q *Queue) CancelTimer(key string) { delete(q.timers, key) }

// Len is the number of queued work keys (timers not counted).
func (q *Queue) Len() int { return len(q.items) }

// Has reports whether key is queued as work.
func (q *Queue) Has(key string) bool { _, ok := q.items[key]; return ok }

// TimerAt returns when key's timer is due, if it has one.
func (q *Queue) TimerAt(key string) (time.Time, bool) {
	if it, ok := q.timers[key]; ok {
		return it.ReadyAt, true
	}
	return time.Time{}, false
}

// Items returns the queued work in agenda order.
func (q *Queue) Items() []Item { return sorted(q.items) }

// Timers returns the queued timers, soonest first.
func (q *Queue) Timers() []Item { return sorted(q.timers) }

func sorted(m map[string]*Item) []Item {
	out := make([]Item, 0, len(m))
	for _, it := range m {
		out = append(out, *it)
	}
	sortItems(out)
	return out
}

// Forget drops every queued key and timer (used when a component is reset).
func (q *Queue) Forget() {
	q.items = map[string]*Item{}
	q.timers = map[string]*Item{}
}

func sortItems(items []Item) {
	sort.Slice(items, func(i, j int) bool { return less(&items[i], &items[j]) })
}

func less(a, b *Item) bool {
	if !a.ReadyAt.Equal(b.ReadyAt) {
		return a.ReadyAt.Before(b.ReadyAt)
	}
	return a.seq < b.seq
}

type itemHeap []*Item

func (h itemHeap) Len() int           { return len(h) }
func (h itemHeap) Less(i, j int) bool { return less(h[i], h[j]) }
func (h itemHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *itemHeap) Push(x any)        { *h = append(*h, x.(*Item)) }
func (h *itemHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}
