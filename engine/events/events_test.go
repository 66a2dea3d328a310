package events_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/events"
	"github.com/k8slearn/k8slearn/engine/store"
)

func setup(t *testing.T) (*apiserver.Client, *clock.Simulated, *corev1.Pod) {
	t.Helper()
	clk := clock.NewSimulated(clock.Epoch().Add(123456 * time.Microsecond))
	api := apiserver.New(store.New(), clk, rand.New(rand.NewPCG(1, 1)))
	c := api.Client("test")
	if _, err := c.Create("namespaces", "", &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default"}}); err != nil {
		t.Fatal(err)
	}
	pod, err := c.Create("pods", "default", &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "nginx"}}}})
	if err != nil {
		t.Fatal(err)
	}
	return c, clk, pod.(*corev1.Pod)
}

func list(t *testing.T, c *apiserver.Client) []*corev1.Event {
	t.Helper()
	objs, _, err := c.List("events", "", apiserver.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*corev1.Event, len(objs))
	for i, o := range objs {
		out[i] = o.(*corev1.Event)
	}
	return out
}

// TestSeriesRecorderWritesWhatToolsEventsWrites follows one event through client-go's
// tools/events life cycle: created with eventTime and no count; the first repeat patches series
// {count: 2}; later repeats are only counted until the 30-minute refresh; after 6 minutes
// without a repeat the series is over and the next occurrence is a new Event. The note is not
// part of what makes two events the same.
func TestSeriesRecorderWritesWhatToolsEventsWrites(t *testing.T) {
	c, clk, pod := setup(t)
	rec := events.NewSeriesRecorder(c, clk, "default-scheduler", "default-scheduler-host")
	fail := func(note string) {
		rec.Event(pod, nil, corev1.EventTypeWarning, "FailedScheduling", "Scheduling", note)
	}

	fail("first")
	evs := list(t, c)
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	e := evs[0]
	if e.Name != fmt.Sprintf("p.%x", clk.Now().UnixNano()) || e.Message != "first" || e.Action != "Scheduling" || e.Count != 0 ||
		e.Series != nil || !e.EventTime.Time.Equal(clk.Now()) || e.ReportingController != "default-scheduler" ||
		e.ReportingInstance != "default-scheduler-host" || e.Source != (corev1.EventSource{}) ||
		e.InvolvedObject.ResourceVersion != pod.ResourceVersion {
		t.Errorf("new event: %+v", e)
	}

	step := func(d time.Duration, note string) *corev1.Event {
		t.Helper()
		clk.Advance(d)
		fail(note)
		evs := list(t, c)
		return evs[len(evs)-1]
	}
	if e := step(time.Minute, "second"); e.Series == nil || e.Series.Count != 2 || e.Message != "first" ||
		!e.Series.LastObservedTime.Time.Equal(clk.Now()) {
		t.Errorf("first repeat: %+v", e)
	}
	if e := step(time.Minute, "third"); e.Series.Count != 2 {
		t.Errorf("a later repeat is written only at the refresh: count %d", e.Series.Count)
	}
	for range 5 { // minutes 7 to 27: counted, not written
		step(5*time.Minute, "again")
	}
	if e := step(5*time.Minute, "again"); e.Series.Count != 9 || len(list(t, c)) != 1 {
		t.Errorf("after 30 minutes the refresh writes the count: %+v", e.Series)
	}
	if e := step(7*time.Minute, "later"); e.Series != nil || e.Message != "later" || len(list(t, c)) != 2 {
		t.Errorf("after 6 minutes without a repeat, a new event: %+v", e)
	}
}

// TestRecorderCountsRepeatsOnTheEvent checks tools/record's shape: source, count, timestamps, the
// reportingInstance its source's host (empty for kube-controller-manager's controllers), and a
// repeat with the same message counted on the same Event.
func TestRecorderCountsRepeatsOnTheEvent(t *testing.T) {
	c, clk, pod := setup(t)
	rec := events.NewRecorder(c, clk, "replicaset-controller", "")
	rec.Event(pod, corev1.EventTypeNormal, "SuccessfulCreate", "Created pod: p")
	clk.Advance(time.Second)
	rec.Event(pod, corev1.EventTypeNormal, "SuccessfulCreate", "Created pod: p")
	evs := list(t, c)
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	e := evs[0]
	if e.Count != 2 || e.Source.Component != "replicaset-controller" || e.ReportingController != "replicaset-controller" ||
		e.ReportingInstance != "" || e.LastTimestamp.Sub(e.FirstTimestamp.Time) != time.Second || !e.EventTime.IsZero() {
		t.Errorf("event: %+v", e)
	}
}
