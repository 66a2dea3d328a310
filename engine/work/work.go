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
}

// Seq is the order in which the item was queued, cluster-wide.
func (it Item) Seq() uint64 { return it.seq }

// Owner is the queue the item came from.
func (it Item) Owner() *Queue { return it.owner }

// Agenda orders the items of all queues. Not safe for concurrent use: the cluster serialises steps.
type Agenda struct {
	h   itemHeap
	seq uint64
}

// NewAgenda returns an empty agenda.
func NewAgenda() *Agenda { return &Agenda{} }

// NewQueue returns a queue for the component named owner.
func (a *Agenda) NewQueue(owner string) *Queue {
	return &Queue{agenda: a, owner: owner, items: map[string]*Item{}}
}

// Peek returns the first item without removing it.
func (a *Agenda) Peek() (Item, bool) {
	for a.h.Len() > 0 {
		top := a.h[0]
		if cur, ok := top.owner.items[top.Key]; ok && cur == top {
			return *top, true
		}
		heap.Pop(&a.h) // superseded by a later Add of the same key
	}
	return Item{}, false
}

// Pop removes and returns the first item.
func (a *Agenda) Pop() (Item, bool) {
	it, ok := a.Peek()
	if !ok {
		return Item{}, false
	}
	heap.Pop(&a.h)
	delete(it.owner.items, it.Key)
	it.owner.processed++
	return it, true
}

// Queue is one component's set of pending keys.
type Queue struct {
	agenda    *Agenda
	owner     string
	items     map[string]*Item
	processed int
}

// Owner is the component the queue belongs to.
func (q *Queue) Owner() string { return q.owner }

// Add queues key, ready at readyAt. A key already queued keeps its place and first trigger, but
// moves earlier if readyAt is earlier (as workqueue's AddAfter keeps the soonest time).
func (q *Queue) Add(key string, readyAt time.Time, trig Trigger) {
	if cur, ok := q.items[key]; ok {
		if !readyAt.Before(cur.ReadyAt) {
			return
		}
		trig = cur.Trigger
	}
	q.agenda.seq++
	it := &Item{Key: key, Trigger: trig, ReadyAt: readyAt, seq: q.agenda.seq, owner: q}
	q.items[key] = it
	heap.Push(&q.agenda.h, it)
}

// Remove drops key from the queue if it is there.
func (q *Queue) Remove(key string) { delete(q.items, key) }

// Len is the number of queued keys.
func (q *Queue) Len() int { return len(q.items) }

// Has reports whether key is queued.
func (q *Queue) Has(key string) bool { _, ok := q.items[key]; return ok }

// Items returns the queued items in agenda order.
func (q *Queue) Items() []Item {
	out := make([]Item, 0, len(q.items))
	for _, it := range q.items {
		out = append(out, *it)
	}
	sortItems(out)
	return out
}

// Forget drops every queued key (used when a component is reset).
func (q *Queue) Forget() { q.items = map[string]*Item{} }

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
