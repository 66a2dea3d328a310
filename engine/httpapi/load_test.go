package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Load test parameters, from the issue: 50 watchers, 20 writers, 10 seconds.
const (
	loadWatchers = 50
	loadWriters  = 20
	loadDuration = 10 * time.Second
)

// seenEvent is one event as a watcher received it.
type seenEvent struct {
	typ  string
	name string
	rv   int64
}

// watcherLog is what one watcher received; the watcher appends while the test polls.
type watcherLog struct {
	mu  sync.Mutex
	evs []seenEvent
}

func (l *watcherLog) add(ev seenEvent) {
	l.mu.Lock()
	l.evs = append(l.evs, ev)
	l.mu.Unlock()
}

func (l *watcherLog) lastRV() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.evs) == 0 {
		return 0
	}
	return l.evs[len(l.evs)-1].rv
}

// TestLoad runs 50 watchers and 20 writers at once for 10 s. Every watcher must receive every
// event exactly once, in resourceVersion order; the only failed requests are the conflicts the
// writers provoke on purpose; afterwards goroutines and heap are back near their baseline.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test: skipped with -short")
	}
	// Room for every writer: a writer's next request may come before its last one's slot is
	// given back.
	srv, b := serveBare(t, Config{MaxMutatingRequestsInFlight: 2 * loadWriters})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadWriters + loadWatchers + 10}}
	defer client.CloseIdleConnections()
	const events = "/api/v1/namespaces/default/events"

	runtime.GC()
	baseGoroutines := runtime.NumGoroutine()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseHeap := ms.HeapAlloc
	startRev := b.store.Revision()

	// Watchers.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seen := make([]*watcherLog, loadWatchers)
	for i := range seen {
		seen[i] = &watcherLog{}
	}
	var watchersReady, watchersDone sync.WaitGroup
	watchErrs := make(chan error, loadWatchers)
	for i := range loadWatchers {
		watchersReady.Add(1)
		watchersDone.Add(1)
		go func() {
			defer watchersDone.Done()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+events+"?watch=1&resourceVersion="+strconv.FormatInt(startRev, 10), nil)
			resp, err := client.Do(req)
			watchersReady.Done()
			if err != nil {
				watchErrs <- err
				return
			}
			defer resp.Body.Close()
			dec := json.NewDecoder(resp.Body)
			for {
				var ev struct {
					Type   string `json:"type"`
					Object struct {
						Metadata metav1.ObjectMeta `json:"metadata"`
					} `json:"object"`
				}
				if err := dec.Decode(&ev); err != nil {
					return
				}
				rv, _ := strconv.ParseInt(ev.Object.Metadata.ResourceVersion, 10, 64)
				seen[i].add(seenEvent{ev.Type, ev.Object.Metadata.Name, rv})
			}
		}()
	}
	watchersReady.Wait()

	// Writers: create, update, sometimes a stale update (an expected conflict), delete.
	var creates, updates, deletes, conflicts, failures atomic.Int64
	var firstFailure atomic.Value
	send := func(method, path string, body []byte, contentType string) (int, []byte) {
		req, _ := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		resp, err := client.Do(req)
		if err != nil {
			failures.Add(1)
			firstFailure.CompareAndSwap(nil, err.Error())
			return 0, nil
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, out
	}
	expect := func(code, want int, body []byte) bool {
		if code == want {
			return true
		}
		failures.Add(1)
		firstFailure.CompareAndSwap(nil, fmt.Sprintf("%d (want %d): %s", code, want, body))
		return false
	}
	deadline := time.Now().Add(loadDuration)
	start := time.Now()
	var writers sync.WaitGroup
	for w := range loadWriters {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for n := 0; time.Now().Before(deadline); n++ {
				name := fmt.Sprintf("w%d-%d", w, n)
				body := `{"apiVersion":"v1","kind":"Event","metadata":{"name":"` + name + `"},"involvedObject":{"kind":"Pod","name":"p"},"reason":"Load","message":"created"}`
				code, out := send(http.MethodPost, events, []byte(body), "application/json")
				if !expect(code, http.StatusCreated, out) {
					continue
				}
				creates.Add(1)
				code, out = send(http.MethodPatch, events+"/"+name, []byte(`{"message":"updated","count":2}`), "application/merge-patch+json")
				if expect(code, http.StatusOK, out) {
					updates.Add(1)
				}
				if n%10 == 0 { // resourceVersion of the create: stale after the patch
					stale := bytes.Replace([]byte(body), []byte(`"name":"`+name+`"`), []byte(`"name":"`+name+`","resourceVersion":"1"`), 1)
					code, out = send(http.MethodPut, events+"/"+name, stale, "application/json")
					if expect(code, http.StatusConflict, out) {
						conflicts.Add(1)
					}
				}
				code, out = send(http.MethodDelete, events+"/"+name, nil, "application/json")
				if expect(code, http.StatusOK, out) {
					deletes.Add(1)
				}
			}
		}()
	}
	writers.Wait()
	writeTime := time.Since(start)
	runtime.ReadMemStats(&ms)
	peakHeap := ms.HeapAlloc
	finalRev := b.store.Revision()

	// Every watcher catches up to the last revision.
	caughtUp := waitFor(t, 60*time.Second, func() bool {
		for _, l := range seen {
			if l.lastRV() != finalRev {
				return false
			}
		}
		return true
	})
	lag := time.Since(start) - writeTime
	cancel()
	watchersDone.Wait()
	close(watchErrs)
	for err := range watchErrs {
		t.Errorf("watcher: %v", err)
	}
	if !caughtUp {
		t.Fatalf("watchers did not catch up with revision %d", finalRev)
	}
	if failures.Load() > 0 {
		t.Errorf("%d unexpected request failures, first: %v", failures.Load(), firstFailure.Load())
	}

	// Every watcher saw exactly the store's history, once, in order.
	history, _, err := b.store.Since("/registry/events/default/", startRev, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range seen {
		evs := l.evs // the watchers are done
		if len(evs) != len(history) {
			t.Errorf("watcher %d saw %d events, the store wrote %d", i, len(evs), len(history))
			continue
		}
		for j, ev := range evs {
			h := history[j]
			if ev.rv != h.Revision || ev.typ != string(h.Type) {
				t.Errorf("watcher %d event %d: %s rv %d, want %s rv %d", i, j, ev.typ, ev.rv, h.Type, h.Revision)
				break
			}
		}
	}
	wantWrites := creates.Load() + updates.Load() + deletes.Load()
	if int64(len(history)) != wantWrites {
		t.Errorf("%d writes made %d events", wantWrites, len(history))
	}

	// Back to the baseline: the store forgets its history (as etcd compaction does), the
	// connections close.
	b.store.Compact(finalRev)
	b.api.TakeWrites() // the write journal a cluster empties at every step
	seen, history = nil, nil
	client.CloseIdleConnections()
	srv.Client().CloseIdleConnections()
	var goroutines int
	settled := waitFor(t, 10*time.Second, func() bool {
		goroutines = runtime.NumGoroutine()
		return goroutines <= baseGoroutines+2
	})
	runtime.GC()
	runtime.ReadMemStats(&ms)
	if !settled {
		t.Errorf("goroutines: %d at the start, %d at the end", baseGoroutines, goroutines)
	}
	const heapSlack = 8 << 20
	if ms.HeapAlloc > baseHeap+heapSlack {
		t.Errorf("heap: %d KiB at the start, %d KiB at the end", baseHeap>>10, ms.HeapAlloc>>10)
	}
	t.Logf("%d writers for %v: %d creates, %d updates, %d deletes, %d expected conflicts (%.0f writes/s)",
		loadWriters, writeTime.Round(time.Millisecond), creates.Load(), updates.Load(), deletes.Load(), conflicts.Load(),
		float64(wantWrites)/writeTime.Seconds())
	t.Logf("%d watchers each received all %d events in order (%d deliveries); the last arrived %v after the writers stopped",
		loadWatchers, wantWrites, wantWrites*loadWatchers, lag.Round(time.Millisecond))
	t.Logf("goroutines %d -> %d; heap %d KiB -> %d KiB (peak %d KiB)", baseGoroutines, goroutines, baseHeap>>10, ms.HeapAlloc>>10, peakHeap>>10)
}
