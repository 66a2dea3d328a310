// Package events records Kubernetes Events through the API server, in the two shapes Kubernetes
// components write them:
//
//   - Recorder is client-go's tools/record recorder (core/v1), which kube-controller-manager's
//     controllers and the kubelet use: source and count, first and last timestamps, one Event per
//     distinct occurrence named <object>.<hex nanoseconds>, a repeat of the same reason and
//     message on the same object counted on the existing Event, and a source that says too much
//     about one object silenced (the spam filter).
//   - SeriesRecorder is client-go's tools/events recorder (events.k8s.io/v1), which kube-scheduler
//     uses: an action, an eventTime with microseconds, no source or count, and repeats kept as a
//     series.
package events

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/util/flowcontrol"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
)

// Recorder writes core/v1 Events for one component (and host, for kubelets).
type Recorder struct {
	writer
	component string
	host      string
	seen      *lru.Cache[aggregationKey, string]                  // -> event name, the newest seenEntries
	spam      *lru.Cache[spamKey, flowcontrol.PassiveRateLimiter] // one bucket per source, object and type
}

// spamKey is client-go's getSpamKey (tools/record/events_cache.go) less the source's component
// and host, which are the recorder's own: the involved object and the event's type.
type spamKey struct {
	kind, namespace, name, uid, apiVersion, eventType string
}

// aggregationKey is what makes a repeat: the same reason and message about the same object (and
// container).
type aggregationKey struct {
	uid, fieldPath, eventType, reason, message string
}

// The spam filter of client-go's event correlator (tools/record/events_cache.go,
// EventSourceObjectSpamFilter with defaultSpamBurst and defaultSpamQPS): each source may record
// 25 events of one type about one object at once, then one more every 5 minutes; the rest are
// dropped. A pod that crash-loops for hours records a few events, not thousands.
const (
	spamBurst = 25
	spamQPS   = 1. / 300.
)

// seenEntries bounds the events a recorder remembers for counting repeats, as client-go's event
// correlator bounds its cache (maxLruCacheEntries in tools/record/events_cache.go). A repeat of a
// forgotten event starts a new Event, as it does there.
const seenEntries = 4096

// NewRecorder returns a recorder whose events carry source component (and host). The
// reportingInstance is the host: client-go's tools/record fills reportingController and
// reportingInstance from the source (k8s.io/client-go v0.37.2 tools/record/event.go makeEvent),
// so kube-controller-manager's controllers leave it empty and a kubelet writes its node's name.
func NewRecorder(c *apiserver.Client, clk clock.Clock, component, host string) *Recorder {
	// The caches are typed (hashicorp's golang-lru v2): keys are structs of strings, hashed as they
	// are, where k8s.io/utils/lru wanted one joined string boxed in an interface for every event
	// (a tenth of an hour's crash loop of 1,000 pods went into joining and hashing those keys).
	seen, _ := lru.New[aggregationKey, string](seenEntries)
	spam, _ := lru.New[spamKey, flowcontrol.PassiveRateLimiter](seenEntries)
	return &Recorder{writer: writer{client: c, clock: clk}, component: component, host: host, seen: seen, spam: spam}
}

// Event records an event of type (Normal, Warning) about obj.
func (r *Recorder) Event(obj runtime.Object, eventType, reason, message string) {
	if ref, ok := r.reference(obj, ""); ok {
		r.event(ref, eventType, reason, message)
	}
}

// Eventf is Event with a format.
func (r *Recorder) Eventf(obj runtime.Object, eventType, reason, format string, args ...any) {
	r.Event(obj, eventType, reason, fmt.Sprintf(format, args...))
}

// ContainerEvent records an event about one container of a pod (fieldPath spec.containers{name}).
func (r *Recorder) ContainerEvent(pod *corev1.Pod, container, eventType, reason, message string) {
	if ref, ok := r.reference(pod, "spec.containers{"+container+"}"); ok {
		r.event(ref, eventType, reason, message)
	}
}

// NodeEvent records an event about a node as kube-controller-manager's node controllers do
// (RecordNodeEvent and RecordNodeStatusChange in k8s.io/kubernetes v1.37.2
// pkg/controller/util/node/controller_utils.go): the reference they build names the node and its
// uid only, with no resourceVersion.
func (r *Recorder) NodeEvent(node *corev1.Node, eventType, reason, message string) {
	r.event(corev1.ObjectReference{APIVersion: "v1", Kind: "Node", Name: node.Name, UID: node.UID}, eventType, reason, message)
}

func (r *Recorder) event(ref corev1.ObjectReference, eventType, reason, message string) {
	if !r.accept(spamKey{ref.Kind, ref.Namespace, ref.Name, string(ref.UID), ref.APIVersion, eventType}) {
		return
	}
	ns := eventNamespace(ref)
	now := r.clock.Now()
	ts := metav1.NewTime(now.Truncate(1e9))
	aggKey := aggregationKey{string(ref.UID), ref.FieldPath, eventType, reason, message}
	if name, ok := r.seen.Get(aggKey); ok {
		err := r.client.Modify("events", ns, name, func(stored runtime.Object) runtime.Object {
			ev := *stored.(*corev1.Event) // counting changes two plain fields: a shallow copy will do
			ev.Count++
			ev.LastTimestamp = ts
			return &ev
		})
		if err == nil {
			return
		}
	}
	name, ok := r.create(ns, ref.Name, func(name string) *corev1.Event {
		return &corev1.Event{
			ObjectMeta:     metav1.ObjectMeta{Name: name, Namespace: ns},
			InvolvedObject: ref,
			Reason:         reason, Message: message, Type: eventType, Count: 1,
			Source:         corev1.EventSource{Component: r.component, Host: r.host},
			FirstTimestamp: ts, LastTimestamp: ts,
			ReportingController: r.component, ReportingInstance: r.host,
		}
	})
	if ok {
		r.seen.Add(aggKey, name)
	}
}

// accept takes a token from the spam filter's bucket for key (getSpamKey: the source, the
// involved object and the event's type).
func (r *Recorder) accept(key spamKey) bool {
	limiter, ok := r.spam.Get(key)
	if !ok {
		limiter = flowcontrol.NewTokenBucketPassiveRateLimiterWithClock(spamQPS, spamBurst, passiveClock{r.clock})
		r.spam.Add(key, limiter)
	}
	return limiter.TryAccept()
}

// passiveClock is the simulated clock as k8s.io/utils/clock wants it.
type passiveClock struct{ c clock.Clock }

func (p passiveClock) Now() time.Time                  { return p.c.Now() }
func (p passiveClock) Since(t time.Time) time.Duration { return p.c.Now().Sub(t) }

// writer is what both recorders share: the client, the clock and unique event names.
type writer struct {
	client    *apiserver.Client
	clock     clock.Clock
	lastNanos int64
}

// reference is client-go's reference.GetReference: the object's kind and API version from the
// registry, its namespace, name, uid and resourceVersion.
func (w *writer) reference(obj runtime.Object, fieldPath string) (corev1.ObjectReference, bool) {
	m, err := meta.Accessor(obj)
	if err != nil {
		return corev1.ObjectReference{}, false
	}
	res, ok := w.client.Server().Registry().ForObject(obj)
	if !ok {
		return corev1.ObjectReference{}, false
	}
	return corev1.ObjectReference{
		Kind: res.Kind, Namespace: m.GetNamespace(), Name: m.GetName(), UID: m.GetUID(),
		APIVersion: res.APIVersion(), ResourceVersion: m.GetResourceVersion(), FieldPath: fieldPath,
	}, true
}

// eventNamespace is where an event about ref lives: its object's namespace, or default for
// cluster-scoped objects (nodes).
func eventNamespace(ref corev1.ObjectReference) string {
	if ref.Namespace == "" {
		return metav1.NamespaceDefault
	}
	return ref.Namespace
}

// create stores the event build returns under a fresh name, <object>.<hex nanoseconds> as
// client-go names events (util.GenerateEventName), moving on a nanosecond when the name is taken.
func (w *writer) create(ns, object string, build func(name string) *corev1.Event) (string, bool) {
	nanos := w.clock.Now().UnixNano()
	if nanos <= w.lastNanos {
		nanos = w.lastNanos + 1
	}
	for range 8 {
		w.lastNanos = nanos
		ev := build(fmt.Sprintf("%s.%x", object, nanos))
		_, err := w.client.Create("events", ns, ev)
		if apierrors.IsAlreadyExists(err) {
			nanos++
			continue
		}
		return ev.Name, err == nil
	}
	return "", false
}
