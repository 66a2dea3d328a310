package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/store"
)

// bareAPI is an API server with only the default namespace and one node: no controllers act, so
// tests see exactly the writes they make.
type bareAPI struct {
	api   *apiserver.Server
	store *store.Store
	clock *clock.Simulated
}

func newBareAPI(t testing.TB) bareAPI {
	t.Helper()
	st := store.New()
	clk := clock.NewSimulated(clock.Epoch())
	api := apiserver.New(st, clk, rand.New(rand.NewPCG(1, 2)))
	self := api.Client("kube-apiserver")
	for _, ns := range []string{"default", "kube-system"} {
		if _, err := self.Create("namespaces", "", &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := self.Create("nodes", "", &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}); err != nil {
		t.Fatal(err)
	}
	return bareAPI{api: api, store: st, clock: clk}
}

// serveBare starts an HTTP server over a bare API server.
func serveBare(t testing.TB, cfg Config) (*httptest.Server, bareAPI) {
	t.Helper()
	b := newBareAPI(t)
	cfg.API = b.api
	if cfg.Now == nil {
		cfg.Now = b.clock.Now
	}
	h := New(cfg)
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		h.Close()
		srv.Close()
	})
	return srv, b
}

// serveCluster starts an HTTP server over a whole miniature cluster (the caller steps it).
func serveCluster(t testing.TB) (*httptest.Server, *cluster.Cluster) {
	t.Helper()
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	h := New(Config{API: c.API(), Now: c.Clock().Now})
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		h.Close()
		srv.Close()
	})
	return srv, c
}

// response is what a request got back.
type response struct {
	code   int
	header http.Header
	body   []byte
}

// status decodes the body as a Status.
func (r response) status(t testing.TB) metav1.Status {
	t.Helper()
	var st metav1.Status
	if err := json.Unmarshal(r.body, &st); err != nil {
		t.Fatalf("body is not a Status: %v\n%s", err, r.body)
	}
	return st
}

func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decoding %T: %v\n%s", v, err, r.body)
	}
}

// do sends one request; headers come in pairs ("Accept", "…").
func do(t testing.TB, srv *httptest.Server, method, path string, body []byte, headers ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != nil && !hasHeader(headers, "Content-Type") {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{code: resp.StatusCode, header: resp.Header, body: b}
}

func hasHeader(headers []string, name string) bool {
	for i := 0; i < len(headers); i += 2 {
		if strings.EqualFold(headers[i], name) {
			return true
		}
	}
	return false
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// deploymentJSON is a minimal Deployment as kubectl create deployment sends it.
func deploymentJSON(name string, replicas int) string {
	return `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"` + name + `","labels":{"app":"` + name + `"}},` +
		`"spec":{"replicas":` + strconv.Itoa(replicas) + `,"selector":{"matchLabels":{"app":"` + name + `"}},` +
		`"template":{"metadata":{"labels":{"app":"` + name + `"}},"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}}`
}

func podJSON(name string) string {
	return `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"` + name + `","labels":{"app":"demo"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}`
}

// waitFor polls cond for up to d.
func waitFor(t testing.TB, d time.Duration, cond func() bool) bool {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return cond()
}

// mustDecode turns a manifest into its typed object.
func mustDecode(t testing.TB, manifest string) runtime.Object {
	t.Helper()
	obj, _, err := newCodec().json.Decode([]byte(manifest), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return obj
}
