package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// watchEvent is a WatchEvent with its object left raw.
type watchEvent struct {
	Type   string          `json:"type"`
	Object json.RawMessage `json:"object"`
}

func (e watchEvent) meta(t testing.TB) metav1.ObjectMeta {
	t.Helper()
	var o struct {
		Metadata metav1.ObjectMeta `json:"metadata"`
	}
	if err := json.Unmarshal(e.Object, &o); err != nil {
		t.Fatal(err)
	}
	return o.Metadata
}

// openWatch starts a watch and returns a function reading the next event, and the cancel.
func openWatch(t testing.TB, srv *httptest.Server, path string, headers ...string) (next func() (watchEvent, error), cancel func()) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		stop()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		stop()
		t.Fatalf("watch %s: %d %s", path, resp.StatusCode, b)
	}
	dec := json.NewDecoder(resp.Body)
	return func() (watchEvent, error) {
			var ev watchEvent
			err := dec.Decode(&ev)
			return ev, err
		}, func() {
			stop()
			resp.Body.Close()
		}
}

func TestWatchFromResourceVersion(t *testing.T) {
	srv, _ := serveBare(t, Config{})
	pods := "/api/v1/namespaces/default/pods"
	var list metav1.List
	do(t, srv, http.MethodGet, pods, nil).decode(t, &list)
	next, cancel := openWatch(t, srv, pods+"?watch=1&resourceVersion="+list.ResourceVersion)
	defer cancel()

	do(t, srv, http.MethodPost, pods, []byte(podJSON("a")))
	do(t, srv, http.MethodPost, pods, []byte(podJSON("b")))
	do(t, srv, http.MethodPatch, pods+"/a", []byte(`{"metadata":{"labels":{"x":"1"}}}`), "Content-Type", "application/merge-patch+json")
	do(t, srv, http.MethodDelete, pods+"/b", nil)

	want := []string{"ADDED a", "ADDED b", "MODIFIED a", "DELETED b"}
	last := 0
	for i, w := range want {
		ev, err := next()
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		m := ev.meta(t)
		if got := ev.Type + " " + m.Name; got != w {
			t.Errorf("event %d = %s, want %s", i, got, w)
		}
		rv, _ := strconv.Atoi(m.ResourceVersion)
		if rv <= last {
			t.Errorf("event %d resourceVersion %d after %d", i, rv, last)
		}
		last = rv
		if !strings.Contains(string(ev.Object), `"kind":"Pod","apiVersion":"v1"`) {
			t.Errorf("event objects carry their kind: %s", ev.Object)
		}
	}
}

// TestWatchWithoutResourceVersion starts with the current state, as kube-apiserver does.
func TestWatchWithoutResourceVersion(t *testing.T) {
	srv, _ := serveBare(t, Config{})
	next, cancel := openWatch(t, srv, "/api/v1/namespaces?watch=true")
	defer cancel()
	var names []string
	for range 2 {
		ev, err := next()
		if err != nil || ev.Type != "ADDED" {
			t.Fatalf("%v %+v", err, ev)
		}
		names = append(names, ev.meta(t).Name)
	}
	if strings.Join(names, ",") != "default,kube-system" {
		t.Errorf("initial events for %v", names)
	}
}

// TestWatchTooOld asks for changes the store no longer keeps: 200, one ERROR event with a 410
// Expired Status, and the end of the stream.
func TestWatchTooOld(t *testing.T) {
	srv, b := serveBare(t, Config{})
	do(t, srv, http.MethodPost, "/api/v1/namespaces/default/pods", []byte(podJSON("a")))
	b.store.Compact(b.store.Revision())
	next, cancel := openWatch(t, srv, "/api/v1/namespaces/default/pods?watch=1&resourceVersion=2")
	defer cancel()
	ev, err := next()
	if err != nil || ev.Type != "ERROR" {
		t.Fatalf("%v %+v", err, ev)
	}
	var st metav1.Status
	if err := json.Unmarshal(ev.Object, &st); err != nil {
		t.Fatal(err)
	}
	if st.Code != 410 || st.Reason != metav1.StatusReasonExpired || !strings.HasPrefix(st.Message, "too old resource version: 2 (") {
		t.Errorf("status %+v", st)
	}
	if _, err := next(); err != io.EOF {
		t.Errorf("after the error the stream should end, got %v", err)
	}
}

// TestWatchTable is kubectl get -w: Table events, the column definitions in the first only.
func TestWatchTable(t *testing.T) {
	srv, _ := serveBare(t, Config{})
	do(t, srv, http.MethodPost, "/api/v1/namespaces/default/pods", []byte(podJSON("a")))
	next, cancel := openWatch(t, srv, "/api/v1/namespaces/default/pods?watch=1",
		"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
	defer cancel()
	do(t, srv, http.MethodPost, "/api/v1/namespaces/default/pods", []byte(podJSON("b")))
	for i := range 2 {
		ev, err := next()
		if err != nil {
			t.Fatal(err)
		}
		var table metav1.Table
		if err := json.Unmarshal(ev.Object, &table); err != nil {
			t.Fatal(err)
		}
		if len(table.Rows) != 1 || table.Kind != "Table" {
			t.Fatalf("event %d: %s", i, ev.Object)
		}
		if (i == 0) != (len(table.ColumnDefinitions) > 0) {
			t.Errorf("event %d has %d column definitions", i, len(table.ColumnDefinitions))
		}
	}
}

// TestWatchEnds checks every way a watch ends: its timeout, the client going away and Close;
// none leaves a goroutine behind.
func TestWatchEnds(t *testing.T) {
	srv, _ := serveBare(t, Config{})
	h := srv.Config.Handler.(*Handler)
	before := runtime.NumGoroutine()

	start := time.Now()
	next, cancel := openWatch(t, srv, "/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=1")
	if _, err := next(); err != io.EOF {
		t.Errorf("timeout: %v", err)
	}
	cancel()
	if d := time.Since(start); d < time.Second || d > 5*time.Second {
		t.Errorf("a 1s watch lasted %v", d)
	}

	_, cancel = openWatch(t, srv, "/api/v1/namespaces/default/pods?watch=1")
	cancel()

	next, cancel = openWatch(t, srv, "/api/v1/namespaces/default/pods?watch=1")
	defer cancel()
	done := make(chan struct{})
	go func() { h.Close(); close(done) }()
	if _, err := next(); err != io.EOF {
		t.Errorf("after Close: %v", err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	cancel()
	srv.Client().CloseIdleConnections()
	if !waitFor(t, 5*time.Second, func() bool { return runtime.NumGoroutine() <= before+2 }) {
		t.Errorf("goroutines: %d before, %d after", before, runtime.NumGoroutine())
	}
	if r := do(t, srv, http.MethodGet, "/api/v1/namespaces/default/pods?watch=1", nil); r.code != http.StatusServiceUnavailable {
		t.Errorf("a watch after Close: %d", r.code)
	}
}
