package events

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/lru"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
)

// SeriesRecorder writes events.k8s.io/v1 Events, as client-go's tools/events broadcaster does for
// kube-scheduler (k8s.io/client-go v0.37.2 tools/events/event_recorder.go and
// event_broadcaster.go). Read through core/v1 (kubectl get events -o yaml), such an Event has an
// action and an eventTime with microseconds, reportingComponent and reportingInstance, and no
// source, count, firstTimestamp or lastTimestamp.
//
// Repeats: events with the same type, action, reason, reporting controller and instance and
// regarding object (resourceVersion included; the note is not part of the key) form a series.
// The first repeat patches the stored Event with series {count: 2, lastObservedTime}; later
// repeats are counted in the broadcaster's cache and reach the API server when it refreshes its
// series, every 30 minutes (refreshTime), written here at the first repeat 30 minutes after the
// last write. A series unseen for 6 minutes (finishTime) is forgotten, and its next occurrence
// starts a new Event. The final count the broadcaster writes when a series ends is not written.
type SeriesRecorder struct {
	writer
	controller string
	instance   string
	cache      *lru.Cache // seriesKey -> *seriesEntry
}

// Intervals of client-go's tools/events broadcaster (event_broadcaster.go).
const (
	seriesFinish  = 6 * time.Minute
	seriesRefresh = 30 * time.Minute
)

type seriesKey struct {
	eventType, action, reason string
	regarding, related        corev1.ObjectReference
}

type seriesEntry struct {
	ns, name     string
	event        *corev1.Event // as first written, for a series whose Event has expired
	eventTime    time.Time
	count        int32
	lastObserved time.Time
	lastWritten  time.Time
}

// NewSeriesRecorder returns a recorder for reportingController, writing reportingInstance: client-go
// names it "<controller>-<hostname>" (tools/events NewRecorder).
func NewSeriesRecorder(c *apiserver.Client, clk clock.Clock, reportingController, reportingInstance string) *SeriesRecorder {
	return &SeriesRecorder{writer: writer{client: c, clock: clk}, controller: reportingController,
		instance: reportingInstance, cache: lru.New(seenEntries)}
}

// Eventf records an event of type about regarding (and related, which may be nil) with the action
// the component took or failed to take.
func (r *SeriesRecorder) Eventf(regarding, related runtime.Object, eventType, reason, action, note string, args ...any) {
	r.Event(regarding, related, eventType, reason, action, fmt.Sprintf(note, args...))
}

// Event is Eventf with a note that is not a format.
func (r *SeriesRecorder) Event(regarding, related runtime.Object, eventType, reason, action, note string) {
	reg, ok := r.reference(regarding, "")
	if !ok {
		return
	}
	var rel *corev1.ObjectReference
	if related != nil {
		if ref, ok := r.reference(related, ""); ok {
			rel = &ref
		}
	}
	key := seriesKey{eventType: eventType, action: action, reason: reason, regarding: reg}
	if rel != nil {
		key.related = *rel
	}
	now := r.clock.Now()
	if v, ok := r.cache.Get(key); ok {
		e := v.(*seriesEntry)
		last := e.eventTime
		if e.count > 1 {
			last = e.lastObserved
		}
		if now.Sub(last) < seriesFinish {
			r.repeat(e, now)
			return
		}
		r.cache.Remove(key)
	}
	ns := eventNamespace(reg)
	micro := metav1.NewMicroTime(now)
	var ev *corev1.Event
	name, ok := r.create(ns, reg.Name, func(name string) *corev1.Event {
		ev = &corev1.Event{
			ObjectMeta:     metav1.ObjectMeta{Name: name, Namespace: ns},
			InvolvedObject: reg, Related: rel,
			Reason: reason, Message: note, Type: eventType, Action: action,
			EventTime:           micro,
			ReportingController: r.controller, ReportingInstance: r.instance,
		}
		return ev
	})
	if ok {
		r.cache.Add(key, &seriesEntry{ns: ns, name: name, event: ev, eventTime: now, count: 1, lastWritten: now})
	}
}

// repeat counts one more occurrence of a cached event, and writes the series when client-go would.
func (r *SeriesRecorder) repeat(e *seriesEntry, now time.Time) {
	e.count++
	e.lastObserved = now
	if e.count > 2 && now.Sub(e.lastWritten) < seriesRefresh {
		return
	}
	e.lastWritten = now
	series := &corev1.EventSeries{Count: e.count, LastObservedTime: metav1.NewMicroTime(now)}
	_, err := r.client.Mutate("events", e.ns, e.name, func(o runtime.Object) error {
		o.(*corev1.Event).Series = series
		return nil
	})
	if apierrors.IsNotFound(err) {
		// The Event outlived its TTL: recordEvent creates it again, series and all.
		ev := e.event.DeepCopy()
		ev.ResourceVersion = ""
		ev.Series = series
		_, _ = r.client.Create("events", e.ns, ev)
	}
}
