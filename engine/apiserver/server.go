// Package apiserver is the miniature kube-apiserver: the only component that reads and writes the
// store. It defaults, admits and validates objects with the real messages, generates names and
// uids, keeps resourceVersions and generations, serves watches, and records every write so the
// cluster can show who wrote what.
package apiserver

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"reflect"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/registry"
	"github.com/k8slearn/k8slearn/engine/store"
)

// Write is one change the API server made to the store, on behalf of a caller.
type Write struct {
	Who         string // the caller: "kubectl", "deployment-controller", "kubelet/node-1"…
	Verb        string // create, update, patch, delete, bind
	Resource    string // plural resource name
	Subresource string // "", "status", "binding", "scale"
	Namespace   string
	Name        string
	Revision    int64 // the store revision this write produced
}

// Server is safe for concurrent use. Every mutation is serialised by mu; reads go straight to the
// store, which has its own lock.
type Server struct {
	mu       sync.Mutex
	store    *store.Store
	reg      *Registry
	clock    clock.Clock
	rand     *rand.Rand
	watchers watcherSet
	journal  []Write
	onWrite  func(Write)
	kubelets KubeletConnection       // how pods/log and pods/exec reach the nodes (podlog.go)
	plain    map[reflect.Type][]bool // sameObject's view of each type's fields
}

// New returns an API server in front of st. rnd generates names and uids; it is only used under
// the server's lock.
func New(st *store.Store, clk clock.Clock, rnd *rand.Rand) *Server {
	return &Server{store: st, reg: registry.New(), clock: clk, rand: rnd, watchers: newWatcherSet()}
}

// Registry is the set of resources served.
func (s *Server) Registry() *Registry { return s.reg }

// Store gives read access to the store for the `etcd` view: keys and revisions. Nothing outside this
// package writes to it.
func (s *Server) Store() StoreReader { return s.store }

// StoreReader is the read-only part of the store.
type StoreReader interface {
	Revision() int64
	Get(key string) (store.KeyValue, error)
	List(prefix string) ([]store.KeyValue, int64)
}

// Client returns a handle that makes requests as who. Who is recorded with every write.
func (s *Server) Client(who string) *Client { return &Client{s: s, caller: caller{who: who}} }

// TakeWrites returns the writes recorded since the last call and forgets them.
func (s *Server) TakeWrites() []Write {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.journal
	s.journal = nil
	return w
}

func (s *Server) record(w Write) {
	s.journal = append(s.journal, w)
	if s.onWrite != nil {
		s.onWrite(w)
	}
}

// OnWrite registers a function called (under the server's lock) after every write.
func (s *Server) OnWrite(f func(Write)) {
	s.mu.Lock()
	s.onWrite = f
	s.mu.Unlock()
}

// resource resolves a resource name or returns the error kubectl shows for an unknown type.
func (s *Server) resource(name string) (*Resource, error) {
	r, ok := s.reg.Lookup(name)
	if !ok {
		return nil, &apierrors.StatusError{ErrStatus: metav1.Status{Status: metav1.StatusFailure, Code: http.StatusNotFound,
			Reason: metav1.StatusReasonNotFound, Message: "the server could not find the requested resource"}}
	}
	return r, nil
}

// get reads one object; the result is shared with the store and must not be modified.
func (s *Server) get(res *Resource, ns, name string) (runtime.Object, store.KeyValue, error) {
	kv, err := s.store.Get(res.Key(ns, name))
	if errors.Is(err, store.ErrNotFound) {
		return nil, kv, apierrors.NewNotFound(res.GroupResource(), name)
	}
	if err != nil {
		return nil, kv, apierrors.NewInternalError(err)
	}
	return kv.Value, kv, nil
}

// newUID returns a random version-4 UUID drawn from the seeded source.
func (s *Server) newUID() types.UID {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := s.rand.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return types.UID(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
}

// SafeAlphabet is apimachinery's rand alphabet, used for generated name suffixes and the
// pod-template-hash: no vowels (no accidental words), no look-alikes such as 0/o and 1/l.
const SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// randomSuffix returns n characters from the generateName alphabet.
func (s *Server) randomSuffix(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = SafeAlphabet[s.rand.IntN(len(SafeAlphabet))]
	}
	return string(b)
}

// SwapRand makes r the server's random source and returns the one it replaces. The cluster gives
// objects added to its start-up state their own stream, so that what comes after (names, uids)
// stays as it was for a seed.
func (s *Server) SwapRand(r *rand.Rand) *rand.Rand {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.rand
	s.rand = r
	return old
}

// RandomSuffix is randomSuffix under the server's lock, for callers that need a name suffix
// from the same seeded source.
func (s *Server) RandomSuffix(n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.randomSuffix(n)
}

func accessor(obj runtime.Object) metav1.Object {
	a, err := meta.Accessor(obj)
	if err != nil {
		// Every type in the registry has ObjectMeta; anything else never reaches here.
		panic(err)
	}
	return a
}
