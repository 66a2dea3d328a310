package httpapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// allocatedDuring is how many bytes the process allocated while f ran (server and client: the
// test sends one request at a time, so nothing else allocates much meanwhile).
func allocatedDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// copyBomb is a small JSON patch whose every copy doubles an array: 1 KiB grows to
// 2^doublings KiB.
func copyBomb(doublings int) []byte {
	ops := []string{`{"op":"add","path":"/bomb","value":["` + strings.Repeat("x", 1024) + `"]}`}
	for range doublings {
		ops = append(ops, `{"op":"copy","from":"/bomb","path":"/bomb/-"}`)
	}
	return []byte("[" + strings.Join(ops, ",") + "]")
}

// TestJSONPatchCopyBomb sends a JSON patch whose copies would grow the object to 64 MiB: the
// server refuses it as kube-apiserver does (its copy limit is 3 MiB), having allocated little.
func TestJSONPatchCopyBomb(t *testing.T) {
	srv, b := serveBare(t, Config{})
	if _, err := b.api.Client("test").Create("deployments", "default", mustDecode(t, deploymentJSON("web", 1))); err != nil {
		t.Fatal(err)
	}
	bomb := copyBomb(16)
	var r response
	allocated := allocatedDuring(func() {
		r = do(t, srv, http.MethodPatch, deploysPath+"/web", bomb, "Content-Type", "application/json-patch+json")
	})
	if r.code != http.StatusUnprocessableEntity {
		t.Fatalf("%d-byte copy bomb: got %d, want 422", len(bomb), r.code)
	}
	st := r.status(t)
	// The apiserver's jsonPatcher answers any failure to apply with this generic 422
	// (k8s.io/apiserver v0.37.2 pkg/endpoints/handlers/patch.go, applyJSPatch).
	if st.Reason != metav1.StatusReasonInvalid ||
		st.Message != "the server rejected our request due to an error in our request" {
		t.Errorf("%d-byte copy bomb: got %s %q, want Invalid", len(bomb), st.Reason, st.Message)
	}
	t.Logf("a %d-byte copy bomb: %d KiB allocated", len(bomb), allocated>>10)
	const limit = 64 << 20
	if allocated > limit {
		t.Errorf("the server allocated %d MiB for a %d-byte patch, want at most %d MiB", allocated>>20, len(bomb), limit>>20)
	}
}

// TestPatchIntoAnotherKind patches an object into another kind (FuzzWrites found the first: a
// Deployment sent to the scale subresource). kube-apiserver decodes the patched object and
// cannot convert it to the endpoint's type: 422, never 500.
func TestPatchIntoAnotherKind(t *testing.T) {
	srv, b := serveBare(t, Config{})
	if _, err := b.api.Client("test").Create("deployments", "default", mustDecode(t, deploymentJSON("web", 1))); err != nil {
		t.Fatal(err)
	}
	const merge, jsonPatch = "application/merge-patch+json", "application/json-patch+json"
	for _, tt := range []struct {
		name, path, contentType, body string
		detail                        string // what follows the patched object in the message
	}{
		{"a Deployment sent to scale", deploysPath + "/web/scale", merge, deploymentJSON("web", 3),
			"converting (v1.Deployment) to (autoscaling.Scale): unknown conversion"},
		{"a Deployment sent to scale by JSON patch", deploysPath + "/web/scale", jsonPatch,
			`[{"op":"replace","path":"/apiVersion","value":"apps/v1"},{"op":"replace","path":"/kind","value":"Deployment"}]`,
			"converting (v1.Deployment) to (autoscaling.Scale): unknown conversion"},
		{"a Deployment patched into a ReplicaSet", deploysPath + "/web", merge, `{"kind":"ReplicaSet"}`,
			"converting (v1.ReplicaSet) to (apps.Deployment): unknown conversion"},
		{"a Deployment patched into a Pod", deploysPath + "/web", jsonPatch,
			`[{"op":"replace","path":"/apiVersion","value":"v1"},{"op":"replace","path":"/kind","value":"Pod"}]`,
			"converting (v1.Pod) to (apps.Deployment): unknown conversion"},
		{"a version not served", deploysPath + "/web", merge, `{"apiVersion":"apps/v2"}`,
			`no kind "Deployment" is registered for version "apps/v2" in scheme "pkg/api/legacyscheme/scheme.go:30"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, http.MethodPatch, tt.path, []byte(tt.body), "Content-Type", tt.contentType)
			if r.code != http.StatusUnprocessableEntity {
				t.Fatalf("got %d %s, want 422", r.code, r.body)
			}
			// k8s.io/apiserver v0.37.2 pkg/endpoints/handlers/patch.go, jsonPatcher.applyPatchToCurrentObject
			st := r.status(t)
			if prefix := ` "" is invalid: patch: Invalid value: "{`; st.Reason != metav1.StatusReasonInvalid ||
				!strings.HasPrefix(st.Message, prefix) || !strings.HasSuffix(st.Message, `}": `+tt.detail) {
				t.Errorf("got %s %q, want Invalid %q…%q", st.Reason, st.Message, prefix, tt.detail)
			}
		})
	}
	if r := do(t, srv, http.MethodGet, deploysPath+"/web", nil); r.code != http.StatusOK {
		t.Errorf("after the patches: %d", r.code)
	}
}

// TestInvalidPatchQuotesTheStartOfTheObject sends a 1.5 MiB patch whose result cannot be decoded.
// kube-apiserver would quote the whole patched object in its 422, twice (message and cause),
// escaped twice; k8slearn quotes the first 64 KiB, so the answer stays small.
func TestInvalidPatchQuotesTheStartOfTheObject(t *testing.T) {
	srv, b := serveBare(t, Config{})
	if _, err := b.api.Client("test").Create("deployments", "default", mustDecode(t, deploymentJSON("web", 1))); err != nil {
		t.Fatal(err)
	}
	const detail = "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
	for _, tt := range []struct {
		name, contentType, body string
		cut                     bool
	}{
		{"small object, JSON patch", "application/json-patch+json", `[{"op":"replace","path":"/spec/replicas","value":"x"}]`, false},
		{"small object, merge patch", "application/merge-patch+json", `{"spec":{"replicas":"x"}}`, false},
		{"big object, JSON patch", "application/json-patch+json",
			`[{"op":"add","path":"/metadata/annotations","value":{"big":"` + strings.Repeat(`"<`, 512<<10) + `"}},{"op":"replace","path":"/spec/replicas","value":"x"}]`, true},
		{"big object, merge patch", "application/merge-patch+json",
			`{"metadata":{"annotations":{"big":"` + strings.Repeat(`"<`, 512<<10) + `"}},"spec":{"replicas":"x"}}`, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.body = strings.ReplaceAll(tt.body, `"<`, `\"<`) // quotes and <, escaped at every quoting
			r := do(t, srv, http.MethodPatch, deploysPath+"/web", []byte(tt.body), "Content-Type", tt.contentType)
			if r.code != http.StatusUnprocessableEntity {
				t.Fatalf("got %d, want 422", r.code)
			}
			st := r.status(t)
			prefix, end := ` "" is invalid: patch: Invalid value: "{\"apiVersion\":\"apps/v1\",`, `}": `+detail
			if tt.cut {
				end = ` ...": ` + detail
			}
			if !strings.HasPrefix(st.Message, prefix) || !strings.HasSuffix(st.Message, end) {
				t.Errorf("message %.100q…%q, want %q…%q", st.Message, st.Message[max(0, len(st.Message)-200):], prefix, end)
			}
			if st.Details == nil || len(st.Details.Causes) != 1 || "patch: "+st.Details.Causes[0].Message != strings.TrimPrefix(st.Message, ` "" is invalid: `) {
				t.Errorf("the cause does not repeat the message: %+v", st.Details)
			}
			t.Logf("a %d KiB patch: a %d KiB answer", len(tt.body)>>10, len(r.body)>>10)
			if tt.cut && len(r.body) > 1<<20 {
				t.Errorf("a %d KiB patch got a %d KiB answer, want at most 1 MiB", len(tt.body)>>10, len(r.body)>>10)
			}
		})
	}
}

// TestInFlightLimit fills the slots with requests that wait, as kube-apiserver's max-in-flight
// filter counts them: the next request of the same kind gets kube-apiserver's 429, requests of
// the other kind and watches are still served, and a freed slot serves again.
func TestInFlightLimit(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	srv, _ := serveBare(t, Config{
		MaxRequestsInFlight: 3, MaxMutatingRequestsInFlight: 2,
		Control: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
			entered <- struct{}{}
			<-release
		}),
	})
	hold := func(method string, n int) *sync.WaitGroup {
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				do(t, srv, method, "/k8slearn/wait", nil)
			}()
			<-entered
		}
		return &wg
	}
	tooMany := func(r response) bool {
		return r.code == http.StatusTooManyRequests && r.header.Get("Retry-After") == "1" &&
			r.header.Get("Content-Type") == "text/plain; charset=utf-8" && string(r.body) == "Too many requests, please try again later.\n"
	}
	watch := func() int {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v1/namespaces/default/pods?watch=true", nil)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	writers := hold(http.MethodPost, 2)
	if r := do(t, srv, http.MethodPost, deploysPath, []byte(deploymentJSON("web", 1))); !tooMany(r) {
		t.Errorf("a third write: %d %v %q, want kube-apiserver's 429", r.code, r.header, r.body)
	}
	if r := do(t, srv, http.MethodGet, deploysPath, nil); r.code != http.StatusOK {
		t.Errorf("a read while the writes are full: %d", r.code)
	}
	readers := hold(http.MethodGet, 3)
	if r := do(t, srv, http.MethodGet, deploysPath, nil); !tooMany(r) {
		t.Errorf("a fourth read: %d %v %q, want kube-apiserver's 429", r.code, r.header, r.body)
	}
	if code := watch(); code != http.StatusOK {
		t.Errorf("a watch while every slot is taken: %d", code)
	}
	close(release)
	writers.Wait()
	readers.Wait()
	if r := do(t, srv, http.MethodPost, deploysPath, []byte(deploymentJSON("web", 1))); r.code != http.StatusCreated {
		t.Errorf("a write after the slots are free: %d %s", r.code, r.body)
	}
	if r := do(t, srv, http.MethodGet, deploysPath, nil); r.code != http.StatusOK {
		t.Errorf("a read after the slots are free: %d", r.code)
	}
}

// TestConcurrentUploads sends 200 bodies of 3 MiB at once: the requests over the in-flight
// bound get 429, none gets a server error, and the heap stays bounded.
func TestConcurrentUploads(t *testing.T) {
	if testing.Short() {
		t.Skip("200 uploads of 3 MiB: skipped with -short")
	}
	srv, _ := serveBare(t, Config{})
	const uploads = 200
	body := []byte(strings.Replace(deploymentJSON("big", 1), `"labels"`,
		`"annotations":{"big":"`+strings.Repeat("x", DefaultMaxBodyBytes-1024)+`"},"labels"`, 1))
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: uploads}}
	defer client.CloseIdleConnections()

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() { // the heap's peak, sampled
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	codes := make(chan int, uploads)
	var wg sync.WaitGroup
	for range uploads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Post(srv.URL+deploysPath, "application/json", bytes.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(stop)
	<-sampled
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
		if c >= 500 {
			t.Errorf("an upload got %d", c)
		}
	}
	grown := peak.Load() - min(base, peak.Load())
	t.Logf("%d uploads of %d KiB: answers %v; heap grew by %d MiB at its peak", uploads, len(body)>>10, count, grown>>20)
	const bound = 256 << 20
	if grown > bound {
		t.Errorf("the heap grew by %d MiB, want at most %d MiB", grown>>20, bound>>20)
	}
}

// TestJSONPatchThroughNull sends JSON patches whose path goes through a null: json-patch
// v4.12 panicked on them; v4.13 (kube-apiserver v1.37's) reports a missing path, a 422.
func TestJSONPatchThroughNull(t *testing.T) {
	srv, b := serveBare(t, Config{})
	if _, err := b.api.Client("test").Create("deployments", "default", mustDecode(t, deploymentJSON("web", 1))); err != nil {
		t.Fatal(err)
	}
	for _, op := range []string{
		`{"op":"add","path":"/x/y","value":1}`, `{"op":"remove","path":"/x/y"}`, `{"op":"replace","path":"/x/y","value":1}`,
		`{"op":"copy","from":"/x/y","path":"/z"}`, `{"op":"move","from":"/x/y","path":"/z"}`, `{"op":"test","path":"/x/y","value":1}`,
	} {
		body := `[{"op":"add","path":"/x","value":null},` + op + `]`
		r := do(t, srv, http.MethodPatch, deploysPath+"/web", []byte(body), "Content-Type", "application/json-patch+json")
		if st := r.status(t); r.code != http.StatusUnprocessableEntity || st.Message != "the server rejected our request due to an error in our request" {
			t.Errorf("%s: got %d %q, want 422", body, r.code, st.Message)
		}
	}
}
