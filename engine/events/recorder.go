// Package events records Kubernetes Events through the API server, as client-go's event recorder
// does: one Event object per distinct occurrence, named <object>.<hex nanoseconds>, a repeat of
// the same reason and message on the same object counted on the existing Event, and a source
// that says too much about one object silenced (the spam filter).
package events

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/util/flowcontrol"
	"k8s.io/utils/lru"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
)

// Recorder writes Events for one component (and host, for kubelets).
type Recorder struct {
	client    *apiserver.Client
	clock     clock.Clock
	component string
	host      string
	lastNanos int64
	seen      *lru.Cache // aggregation key -> event name, the newest seenEntries
	spam      *lru.Cache // spam key -> flowcontrol.PassiveRateLimiter
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

// NewRecorder returns a recorder whose events carry source component (and host).
func NewRecorder(c *apiserver.Client, clk clock.Clock, component, host string) *Recorder {
	return &Recorder{client: c, clock: clk, component: component, host: host, seen: lru.New(seenEntries), spam: lru.New(seenEntries)}
}

// Event records an event of type (Normal, Warning) about obj.
func (r *Recorder) Event(obj runtime.Object, eventType, reason, message string) {
	r.event(obj, "", eventType, reason, message)
}

// Eventf is Event with a format.
func (r *Recorder) Eventf(obj runtime.Object, eventType, reason, format string, args ...any) {
	r.event(obj, "", eventType, reason, fmt.Sprintf(format, args...))
}

// ContainerEvent records an event about one container of a pod (fieldPath spec.containers{name}).
func (r *Recorder) ContainerEvent(pod *corev1.Pod, container, eventType, reason, message string) {
	r.event(pod, fmt.Sprintf("spec.containers{%s}", container), eventType, reason, message)
}

func (r *Recorder) event(obj runtime.Object, fieldPath, eventType, reason, message string) {
	m, err := meta.Accessor(obj)
	if err != nil {
		return
	}
	res, ok := r.client.Server().Registry().ForObject(obj)
	if !ok {
		return
	}
	if !r.accept(strings.Join([]string{string(m.GetUID()), res.Kind, m.GetNamespace(), m.GetName(), eventType}, "\x00")) {
		return
	}
	ns := m.GetNamespace()
	if ns == "" {
		ns = metav1.NamespaceDefault // events about cluster-scoped objects (nodes) live in default
	}
	now := r.clock.Now()
	ts := metav1.NewTime(now.Truncate(1e9))
	aggKey := strings.Join([]string{string(m.GetUID()), fieldPath, eventType, reason, message}, "\x00")
	if name, ok := r.seen.Get(aggKey); ok {
		_, err := r.client.Mutate("events", ns, name.(string), func(o runtime.Object) error {
			ev := o.(*corev1.Event)
			ev.Count++
			ev.LastTimestamp = ts
			return nil
		})
		if err == nil {
			return
		}
	}
	nanos := now.UnixNano()
	if nanos <= r.lastNanos {
		nanos = r.lastNanos + 1
	}
	for range 8 {
		r.lastNanos = nanos
		ev := &corev1.Event{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%s.%x", m.GetName(), nanos), Namespace: ns},
			InvolvedObject: corev1.ObjectReference{
				Kind: res.Kind, Namespace: m.GetNamespace(), Name: m.GetName(), UID: m.GetUID(),
				APIVersion: res.APIVersion(), ResourceVersion: m.GetResourceVersion(), FieldPath: fieldPath,
			},
			Reason: reason, Message: message, Type: eventType, Count: 1,
			Source:         corev1.EventSource{Component: r.component, Host: r.host},
			FirstTimestamp: ts, LastTimestamp: ts,
			ReportingController: r.component, ReportingInstance: r.instance(),
		}
		_, err := r.client.Create("events", ns, ev)
		if apierrors.IsAlreadyExists(err) {
			nanos++
			continue
		}
		if err == nil {
			r.seen.Add(aggKey, ev.Name)
		}
		return
	}
}

// accept takes a token from the spam filter's bucket for key (getSpamKey: the source, the
// involved object and the event's type).
func (r *Recorder) accept(key string) bool {
	var limiter flowcontrol.PassiveRateLimiter
	if v, ok := r.spam.Get(key); ok {
		limiter = v.(flowcontrol.PassiveRateLimiter)
	} else {
		limiter = flowcontrol.NewTokenBucketPassiveRateLimiterWithClock(spamQPS, spamBurst, passiveClock{r.clock})
		r.spam.Add(key, limiter)
	}
	return limiter.TryAccept()
}

// passiveClock is the simulated clock as k8s.io/utils/clock wants it.
type passiveClock struct{ c clock.Clock }

func (p passiveClock) Now() time.Time                  { return p.c.Now() }
func (p passiveClock) Since(t time.Time) time.Duration { return p.c.Now().Sub(t) }

func (r *Recorder) instance() string {
	if r.host != "" {
		return r.host
	}
	return r.component
}
