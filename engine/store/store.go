// Package store is the etcd of the miniature cluster: a versioned key-value store with one global
// revision, per-key create/mod revisions and versions, optimistic concurrency and an ordered event log
// that watchers read from any revision still kept.
//
// Like etcd it forgets: the log is compacted (by hand, or by a retention policy counting revisions
// and bytes, as etcd's auto-compaction and kube-apiserver's periodic compaction do), and keys written
// with a lease are deleted when the lease expires (kube-apiserver stores Events that way).
//
// Only the API server uses it. Values are runtime.Objects owned by the store: callers hand over an
// object they will not touch again, and must not modify what they read (the API server deep-copies).
// A value under a lease is kept encoded, as etcd keeps every value (see SetLease).
package store

import (
	"container/heap"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
)

// ErrNotFound, ErrExists and ErrConflict are the store's failures; the API server turns them into
// Kubernetes Status errors.
var (
	ErrNotFound  = errors.New("key not found")
	ErrExists    = errors.New("key exists")
	ErrConflict  = errors.New("mod revision mismatch")
	ErrCompacted = errors.New("required revision has been compacted")
)

// KeyValue is one stored key with etcd's bookkeeping.
type KeyValue struct {
	Key            string
	Value          runtime.Object
	CreateRevision int64
	ModRevision    int64
	Version        int64     // number of writes since creation
	Expires        time.Time // when the key's lease runs out; zero: never
	// Decoded is true when Value was decoded for this read from the encoding the store keeps
	// (SetLease): the reader owns it and may keep or change it without a copy.
	Decoded bool

	// encoded is the value's protobuf encoding while the store keeps it so (Value is then nil
	// inside the store, and decoded for every reader); typ is its Go type.
	encoded []byte
	typ     reflect.Type
}

// Event is one change in the log. For deletes, Value is the last stored value and Revision is the
// revision of the delete.
type Event struct {
	Type     watch.EventType
	Key      string
	Value    runtime.Object
	Prev     runtime.Object // nil for ADDED
	Revision int64
	cost     int64 // what keeping the event in the log costs, in estimated bytes
}

// Retention bounds the log, as etcd's auto-compaction does: when the log holds more than twice
// Revisions revisions it is compacted to the newest Revisions, and when the values it holds
// exceed Bytes (estimated as their encoded size) the oldest events go until it holds half. Zero
// fields set no bound. The newest event is always kept.
type Retention struct {
	Revisions int64
	Bytes     int64
}

// Store is safe for concurrent use.
type Store struct {
	mu        sync.RWMutex
	rev       int64
	kvs       map[string]*KeyValue
	log       []Event // events with Revision > compacted, in revision order
	logBytes  int64   // the sum of the log's costs
	compacted int64   // every revision <= compacted is gone from the log
	retention Retention
	leases    leaseHeap
	// queued is, per key, the earliest expiry the lease heap holds for it. A renewal to a later
	// time leaves the heap alone: the entry, when it comes up, finds the later expiry and goes
	// back in for it. (An Event counting repeats renews its lease at every repeat; pushing each
	// renewal grew the heap by one entry per write.)
	queued map[string]time.Time
	kinds  map[reflect.Type]schema.GroupVersionKind // of the encoded values' types
	notify chan struct{}                            // closed at the next write; nil until Changed asks for one
}

// New returns an empty store at revision 1, as a fresh etcd is.
func New() *Store {
	return &Store{rev: 1, kvs: map[string]*KeyValue{}}
}

// Revision is the store's current global revision.
func (s *Store) Revision() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rev
}

// Get returns the key's current value.
func (s *Store) Get(key string) (KeyValue, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	kv, ok := s.kvs[key]
	if !ok {
		return KeyValue{}, ErrNotFound
	}
	return s.read(kv), nil
}

// List returns every key under prefix, sorted by key as etcd range reads are, and the revision
// the list was read at.
func (s *Store) List(prefix string) ([]KeyValue, int64) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []KeyValue // most lists at start-up are empty: no array until a key matches
	for k, kv := range s.kvs {
		if strings.HasPrefix(k, prefix) {
			out = append(out, s.read(kv))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, s.rev
}

// Create stores a new key; it fails with ErrExists if the key is present. set is called with the
// revision the write will get, before the value is stored, so the caller can stamp resourceVersion.
func (s *Store) Create(key string, value runtime.Object, set func(rev int64)) (KeyValue, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.kvs[key]; ok {
		return KeyValue{}, ErrExists
	}
	rev := s.rev + 1
	if set != nil {
		set(rev)
	}
	kv := &KeyValue{Key: key, Value: value, CreateRevision: rev, ModRevision: rev, Version: 1}
	s.kvs[key] = kv
	s.commit(Event{Type: watch.Added, Key: key, Value: value, Revision: rev})
	return *kv, nil
}

// Update replaces a key's value if its ModRevision still equals expectedModRev (0 skips the check).
func (s *Store) Update(key string, expectedModRev int64, value runtime.Object, set func(rev int64)) (KeyValue, error) {
	return s.update(key, expectedModRev, nil, value, set)
}

// Replace is Update over the value a caller read: it fails with ErrConflict unless read is still
// the key's current value, and it takes read.Value as what the change replaced, sparing a decode
// of a value kept encoded. read.Value must not have been modified.
func (s *Store) Replace(read KeyValue, value runtime.Object, set func(rev int64)) (KeyValue, error) {
	return s.update(read.Key, read.ModRevision, read.Value, value, set)
}

func (s *Store) update(key string, expectedModRev int64, prev, value runtime.Object, set func(rev int64)) (KeyValue, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.kvs[key]
	if !ok {
		return KeyValue{}, ErrNotFound
	}
	if expectedModRev != 0 && old.ModRevision != expectedModRev {
		return KeyValue{}, ErrConflict
	}
	if prev == nil || expectedModRev == 0 {
		prev = s.read(old).Value
	}
	rev := s.rev + 1
	if set != nil {
		set(rev)
	}
	// old.Key, not key: the stored key string is shared by the key's log entries and leases.
	kv := &KeyValue{Key: old.Key, Value: value, CreateRevision: old.CreateRevision, ModRevision: rev, Version: old.Version + 1}
	s.kvs[old.Key] = kv
	s.commit(Event{Type: watch.Modified, Key: old.Key, Value: value, Prev: prev, Revision: rev})
	return *kv, nil
}

// Delete removes a key if its ModRevision still equals expectedModRev (0 skips the check) and
// returns the value it held.
func (s *Store) Delete(key string, expectedModRev int64) (KeyValue, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.kvs[key]
	if !ok {
		return KeyValue{}, ErrNotFound
	}
	if expectedModRev != 0 && old.ModRevision != expectedModRev {
		return KeyValue{}, ErrConflict
	}
	delete(s.kvs, key)
	rev := s.rev + 1
	last := s.read(old)
	s.commit(Event{Type: watch.Deleted, Key: old.Key, Value: last.Value, Prev: last.Value, Revision: rev})
	return last, nil
}

// commit appends the event, moves the revision, applies the retention policy and wakes blocked
// watchers. Called with mu held.
func (s *Store) commit(ev Event) {
	s.rev = ev.Revision
	ev.cost = eventCost(ev)
	s.log = append(s.log, ev)
	s.logBytes += ev.cost
	s.retain()
	if s.notify != nil {
		close(s.notify)
		s.notify = nil // the next Changed makes another
	}
}

// eventOverhead is what an event costs beyond its key and value: the Event itself and its slot.
const eventOverhead = 96

// eventCost estimates the bytes an event keeps alive. A delete's value is counted too, though an
// earlier event may hold it as well: once that one is compacted, the delete alone keeps it.
func eventCost(ev Event) int64 {
	return int64(eventOverhead + len(ev.Key) + ValueSize(ev.Value))
}

// defaultValueSize is the estimate for a value that cannot tell its encoded size.
const defaultValueSize = 1024

// ValueSize estimates a value's size as its protobuf encoding's, which every Kubernetes API type
// computes without encoding (Size). It is the size etcd would store.
func ValueSize(v runtime.Object) int {
	if sz, ok := v.(interface{ Size() int }); ok {
		return sz.Size()
	}
	return defaultValueSize
}

// SetRetention sets the policy that compacts the log after each write, and applies it now.
func (s *Store) SetRetention(r Retention) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retention = r
	s.retain()
}

// retain compacts the log as the retention policy asks. Called with mu held.
func (s *Store) retain() {
	if n := s.retention.Revisions; n > 0 && s.rev-s.compacted > 2*n {
		s.compactLocked(s.rev - n)
	}
	if b := s.retention.Bytes; b > 0 && s.logBytes > b {
		drop, freed := 0, int64(0)
		for drop < len(s.log)-1 && s.logBytes-freed > b/2 {
			freed += s.log[drop].cost
			drop++
		}
		if drop > 0 {
			s.compactLocked(s.log[drop-1].Revision)
		}
	}
}

// LogBytes is the estimated size of the events the log keeps.
func (s *Store) LogBytes() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.logBytes
}

// Since returns the events under prefix with Revision > rev, at most limit of them (0: no limit),
// and the revision the caller should resume from. It fails with ErrCompacted when events after rev
// are no longer kept.
func (s *Store) Since(prefix string, rev int64, limit int) ([]Event, int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if rev < s.compacted {
		return nil, rev, fmt.Errorf("%w: requested %d, compacted %d", ErrCompacted, rev, s.compacted)
	}
	start := sort.Search(len(s.log), func(i int) bool { return s.log[i].Revision > rev })
	var out []Event
	next := rev
	for i := start; i < len(s.log); i++ {
		ev := s.log[i]
		next = ev.Revision
		if strings.HasPrefix(ev.Key, prefix) {
			out = append(out, ev)
			if limit > 0 && len(out) == limit {
				break
			}
		}
	}
	return out, next, nil
}

// At returns the event of revision rev while the log keeps it: after a write, At(its revision)
// is that write's event (the log always keeps the newest).
func (s *Store) At(rev int64) (Event, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i := len(s.log) - 1
	if i < 0 || s.log[i].Revision != rev {
		i = sort.Search(len(s.log), func(i int) bool { return s.log[i].Revision >= rev })
	}
	if i < len(s.log) && s.log[i].Revision == rev {
		return s.log[i], true
	}
	return Event{}, false
}

// Changed returns a channel that is closed at the next write, for watchers that block. The
// channel is made when first asked for: most writes have nobody waiting.
func (s *Store) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.notify == nil {
		s.notify = make(chan struct{})
	}
	return s.notify
}

// Compact drops log entries at or below rev, as etcd compaction does; watches from an older
// revision then fail with ErrCompacted.
func (s *Store) Compact(rev int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.compactLocked(rev)
}

func (s *Store) compactLocked(rev int64) {
	if rev <= s.compacted {
		return
	}
	if rev > s.rev {
		rev = s.rev
	}
	i := sort.Search(len(s.log), func(i int) bool { return s.log[i].Revision > rev })
	for _, ev := range s.log[:i] {
		s.logBytes -= ev.cost
	}
	// The kept events move to the front of the same array, which the next writes fill again
	// (compacting about halves the log); an array far bigger than what is kept (after a burst of
	// writes) is let go.
	if rest := len(s.log) - i; cap(s.log) > 4*rest+64 {
		s.log = append(make([]Event, 0, 2*rest), s.log[i:]...)
	} else {
		n := copy(s.log, s.log[i:])
		clear(s.log[n:])
		s.log = s.log[:n]
	}
	s.compacted = rev
}

// CompactedRevision is the newest revision no longer in the log.
func (s *Store) CompactedRevision() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.compacted
}

// SetLease gives a key's current value a lease that runs out at expires, as a put with an etcd
// lease does. A later write detaches the key unless it sets a lease again, as in etcd
// (kube-apiserver attaches a fresh lease at every write of a resource with a TTL). ExpireLeases
// deletes the key once the time has come.
//
// The value is then kept encoded (protobuf, as etcd holds it), not as an object: leased values are
// Events, many, written once or twice and seldom read, and encoded they take less than half the
// memory. Readers get the object the log keeps until it is compacted, a decoded copy after.
// A value written again (an Event counting a repeat, which will likely count the next ones) stays
// an object: each repeat then reads and writes it without a decode and an encode.
func (s *Store) SetLease(key string, expires time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	kv, ok := s.kvs[key]
	if !ok {
		return ErrNotFound
	}
	kv.Expires = expires
	s.queue(kv.Key, expires)
	if kv.Version == 1 {
		s.encode(kv)
	}
	return nil
}

// codec is what a value needs to be kept encoded: every Kubernetes API type has it.
type codec interface {
	runtime.Object
	Marshal() ([]byte, error)
	Unmarshal([]byte) error
}

// encode keeps kv's value encoded, if its type can be. Called with mu held.
func (s *Store) encode(kv *KeyValue) {
	v, ok := kv.Value.(codec)
	if !ok || reflect.TypeOf(v).Kind() != reflect.Pointer {
		return
	}
	data, err := v.Marshal()
	if err != nil {
		return // keep the object
	}
	typ := reflect.TypeOf(v)
	if s.kinds == nil {
		s.kinds = map[reflect.Type]schema.GroupVersionKind{}
	}
	// The encoding leaves out TypeMeta, which is the same for every value of a type.
	s.kinds[typ] = v.GetObjectKind().GroupVersionKind()
	kv.encoded, kv.typ, kv.Value = data, typ, nil
}

// read returns kv as a reader sees it, its value decoded if the store keeps it encoded. Called
// with mu held (read or write).
func (s *Store) read(kv *KeyValue) KeyValue {
	out := *kv
	if kv.encoded == nil {
		return out
	}
	if v := s.logged(kv); v != nil {
		// The object the write stored is still in the log: it is what the encoding holds, and
		// reading it spares a decode (readers copy it, as any value the store shares).
		out.Value, out.encoded, out.typ = v, nil, nil
		return out
	}
	obj := reflect.New(kv.typ.Elem()).Interface().(codec)
	if err := obj.Unmarshal(kv.encoded); err != nil {
		// The store encoded these bytes itself: failing to read them back is a bug, not bad input.
		panic(fmt.Sprintf("store: cannot decode the value of %s: %v", kv.Key, err))
	}
	obj.GetObjectKind().SetGroupVersionKind(s.kinds[kv.typ])
	out.Value, out.encoded, out.typ, out.Decoded = obj, nil, nil, true
	return out
}

// logged is the value the log holds for kv's last write, or nil once that write is compacted.
// Called with mu held.
func (s *Store) logged(kv *KeyValue) runtime.Object {
	i := sort.Search(len(s.log), func(i int) bool { return s.log[i].Revision >= kv.ModRevision })
	if i == len(s.log) {
		return nil
	}
	ev := s.log[i]
	if ev.Revision != kv.ModRevision || ev.Key != kv.Key || ev.Type == watch.Deleted || reflect.TypeOf(ev.Value) != kv.typ {
		return nil
	}
	return ev.Value
}

// ExpireLeases deletes every key whose lease ran out at or before now, earliest first (ties by
// key), each delete a revision of its own, and returns the DELETED events for the watchers.
func (s *Store) ExpireLeases(now time.Time) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Event
	for len(s.leases) > 0 && !s.leases[0].expires.After(now) {
		l := heap.Pop(&s.leases).(lease)
		if t, ok := s.queued[l.key]; ok && t.Equal(l.expires) {
			delete(s.queued, l.key)
		}
		kv, ok := s.kvs[l.key]
		if !ok || kv.Expires.IsZero() {
			continue // deleted, or written again since without a lease
		}
		if kv.Expires.After(now) {
			s.queue(kv.Key, kv.Expires) // renewed since: it waits for its new expiry
			continue
		}
		delete(s.kvs, l.key)
		last := s.read(kv).Value
		ev := Event{Type: watch.Deleted, Key: l.key, Value: last, Prev: last, Revision: s.rev + 1}
		s.commit(ev)
		out = append(out, ev)
	}
	return out
}

// queue makes sure the heap holds an entry for key that comes up no later than expires. Called
// with mu held.
func (s *Store) queue(key string, expires time.Time) {
	if t, ok := s.queued[key]; ok && !t.After(expires) {
		return
	}
	if s.queued == nil {
		s.queued = map[string]time.Time{}
	}
	s.queued[key] = expires
	heap.Push(&s.leases, lease{expires: expires, key: key})
}

// lease is an entry in the expiry heap: a time to look at a key's lease again. The key may have
// been deleted, written without a lease or renewed since; ExpireLeases checks when it comes up.
type lease struct {
	expires time.Time
	key     string
}

// leaseHeap orders leases by expiry, then key, so expiry is deterministic.
type leaseHeap []lease

func (h leaseHeap) Len() int { return len(h) }
func (h leaseHeap) Less(i, j int) bool {
	if !h[i].expires.Equal(h[j].expires) {
		return h[i].expires.Before(h[j].expires)
	}
	return h[i].key < h[j].key
}
func (h leaseHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *leaseHeap) Push(x any)   { *h = append(*h, x.(lease)) }
func (h *leaseHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = lease{}
	*h = old[:len(old)-1]
	return x
}
