// Package store is the etcd of the miniature cluster: a versioned key-value store with one global
// revision, per-key create/mod revisions and versions, optimistic concurrency and an ordered event log
// that watchers read from any revision still kept.
//
// Only the API server uses it. Values are runtime.Objects owned by the store: callers hand over an
// object they will not touch again, and must not modify what they read (the API server deep-copies).
package store

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/runtime"
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
	Version        int64 // number of writes since creation
}

// Event is one change in the log. For deletes, Value is the last stored value and Revision is the
// revision of the delete.
type Event struct {
	Type     watch.EventType
	Key      string
	Value    runtime.Object
	Prev     runtime.Object // nil for ADDED
	Revision int64
}

// Store is safe for concurrent use.
type Store struct {
	mu        sync.RWMutex
	rev       int64
	kvs       map[string]*KeyValue
	log       []Event // events with Revision > compacted, in revision order
	compacted int64   // every revision <= compacted is gone from the log
	notify    chan struct{}
}

// New returns an empty store at revision 1, as a fresh etcd is.
func New() *Store {
	return &Store{rev: 1, kvs: map[string]*KeyValue{}, notify: make(chan struct{})}
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
	return *kv, nil
}

// List returns every key under prefix, sorted by key as etcd range reads are, and the revision
// the list was read at.
func (s *Store) List(prefix string) ([]KeyValue, int64) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]KeyValue, 0, 16)
	for k, kv := range s.kvs {
		if strings.HasPrefix(k, prefix) {
			out = append(out, *kv)
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
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.kvs[key]
	if !ok {
		return KeyValue{}, ErrNotFound
	}
	if expectedModRev != 0 && old.ModRevision != expectedModRev {
		return KeyValue{}, ErrConflict
	}
	rev := s.rev + 1
	if set != nil {
		set(rev)
	}
	kv := &KeyValue{Key: key, Value: value, CreateRevision: old.CreateRevision, ModRevision: rev, Version: old.Version + 1}
	s.kvs[key] = kv
	s.commit(Event{Type: watch.Modified, Key: key, Value: value, Prev: old.Value, Revision: rev})
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
	s.commit(Event{Type: watch.Deleted, Key: key, Value: old.Value, Prev: old.Value, Revision: rev})
	return *old, nil
}

// commit appends the event, moves the revision and wakes blocked watchers. Called with mu held.
func (s *Store) commit(ev Event) {
	s.rev = ev.Revision
	s.log = append(s.log, ev)
	close(s.notify)
	s.notify = make(chan struct{})
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

// Changed returns a channel that is closed at the next write, for watchers that block.
func (s *Store) Changed() <-chan struct{} {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.notify
}

// Compact drops log entries at or below rev, as etcd compaction does; watches from an older
// revision then fail with ErrCompacted.
func (s *Store) Compact(rev int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rev <= s.compacted {
		return
	}
	if rev > s.rev {
		rev = s.rev
	}
	i := sort.Search(len(s.log), func(i int) bool { return s.log[i].Revision > rev })
	s.log = append([]Event(nil), s.log[i:]...)
	s.compacted = rev
}

// CompactedRevision is the newest revision no longer in the log.
func (s *Store) CompactedRevision() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.compacted
}
