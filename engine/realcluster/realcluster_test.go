package realcluster

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/httpapi"
)

const token = "t0ken"

// served is the miniature cluster behind `k8slearn serve`'s HTTP API, with a kubeconfig for it.
type served struct {
	cluster    *cluster.Cluster
	kubeconfig string
	hits       *atomic.Int64 // requests that reached the server
}

// serve starts the engine's HTTP API; wrap, when set, sits in front of it (to answer some
// requests as another server would).
func serve(t *testing.T, wrap func(http.Handler) http.Handler) served {
	t.Helper()
	c, err := cluster.New(cluster.DefaultConfig(3))
	if err != nil {
		t.Fatal(err)
	}
	h := httpapi.New(httpapi.Config{API: c.API(), Now: c.Clock().Now, Token: token})
	var hits atomic.Int64
	var handler http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h.ServeHTTP(w, r)
	})
	if wrap != nil {
		handler = wrap(handler)
	}
	srv := httptest.NewTLSServer(handler) // clientcmd sends credentials over TLS only
	t.Cleanup(func() { h.Close(); srv.Close() })
	return served{cluster: c, kubeconfig: kubeconfig(t, srv.URL, token), hits: &hits}
}

func kubeconfig(t *testing.T, server, tok string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config")
	text := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: %q, insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: %q}}]
contexts: [{name: ctx, context: {cluster: c, user: u}}]
current-context: ctx
`, server, tok)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func open(t *testing.T, kubeconfig string, log *RequestLog) *Cluster {
	t.Helper()
	c, err := Open(Options{Kubeconfig: kubeconfig, Namespace: "k8slearn-pod-x7k2p", Log: log})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestScope(t *testing.T) {
	s := Scope{Namespace: "lesson"}
	for _, tt := range []struct {
		method, path string
		want         bool
	}{
		{"GET", "/version", true},
		{"GET", "/api", true},
		{"GET", "/apis/apps/v1", true},
		{"GET", "/api/v1", true},
		{"GET", "/openapi/v3/apis/apps/v1", true},
		{"GET", "/api/v1/nodes", true},
		{"GET", "/api/v1/nodes/node-1", true},
		{"PATCH", "/api/v1/nodes/node-1", false},
		{"DELETE", "/api/v1/nodes/node-1", false},
		{"POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", true},
		{"GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", false}, // reviews are asked with POST
		{"POST", "/api/v1/namespaces", true},
		{"GET", "/api/v1/namespaces", false}, // other namespaces' names are not the lesson's business
		{"GET", "/api/v1/namespaces/lesson", true},
		{"DELETE", "/api/v1/namespaces/lesson", true},
		{"DELETE", "/api/v1/namespaces/default", false},
		{"GET", "/api/v1/namespaces/lesson/pods", true},
		{"POST", "/apis/apps/v1/namespaces/lesson/deployments", true},
		{"PATCH", "/apis/apps/v1/namespaces/lesson/deployments/web/scale", true},
		{"GET", "/api/v1/namespaces/kube-system/pods", false},
		{"GET", "/api/v1/pods", false}, // every namespace's pods
		{"GET", "/apis/apps/v1/deployments", false},
		{"GET", "/apis/apps/v1/namespaces/lesson", false},
		{"GET", "/api/v1/namespaces/lessonx/pods", false},
		{"POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", false},
		{"GET", "/", false},
	} {
		if got := s.Allows(tt.method, tt.path); got != tt.want {
			t.Errorf("%s %s: allowed %v, want %v", tt.method, tt.path, got, tt.want)
		}
	}
	if (Scope{}).Allows("GET", "/api/v1/namespaces//pods") {
		t.Error("an empty namespace allows a namespaced path")
	}
}

func TestPreflightAgainstServe(t *testing.T) {
	s := serve(t, nil)
	var log RequestLog
	c := open(t, s.kubeconfig, &log)
	rep, err := c.Preflight()
	if err != nil {
		t.Fatal(err)
	}
	if rep.GitVersion != "v1.37.2" || rep.VersionWarning || strings.Join(rep.SchedulableNodes, ",") != "node-1,node-2" {
		t.Errorf("report = %+v", rep)
	}
	reqs := log.Requests()
	if len(reqs) < len(lessonRights)+2 {
		t.Fatalf("only %d requests logged", len(reqs))
	}
	for _, r := range reqs {
		if r.Refused || r.Status >= 300 {
			t.Errorf("request %s", r)
		}
	}
}

func TestLessonNamespaceRoundTrip(t *testing.T) {
	s := serve(t, nil)
	var log RequestLog
	c := open(t, s.kubeconfig, &log)
	if err := c.CreateNamespace("pod"); err != nil {
		t.Fatal(err)
	}
	replicas := int32(2)
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: appsv1.DeploymentSpec{
		Replicas: &replicas, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
		Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: "nginx"}}}}}}
	if _, err := c.Create("deployments", c.Namespace(), d); err != nil {
		t.Fatal(err)
	}
	s.cluster.Run(0)
	pods, rv, err := c.List("pods", c.Namespace(), ListOptions{LabelSelector: "app=web"})
	if err != nil || len(pods) != 2 || rv == "" {
		t.Fatalf("pods = %d, rv %q, err %v", len(pods), rv, err)
	}
	if p := pods[0].(*corev1.Pod); p.Status.Phase != corev1.PodRunning || p.Kind != "Pod" {
		t.Errorf("pod %s: phase %s, kind %q", p.Name, p.Status.Phase, p.Kind)
	}
	if _, err := c.Scale("deployments", c.Namespace(), "web", 3); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get("deployments", c.Namespace(), "web")
	if err != nil || *got.(*appsv1.Deployment).Spec.Replicas != 3 {
		t.Fatalf("after scale: %v, %v", got, err)
	}
	if err := c.DeleteNamespace(); err != nil {
		t.Fatal(err)
	}
	for _, r := range log.Requests() {
		if r.Refused || !(Scope{Namespace: c.Namespace()}).Allows(r.Method, r.Path) {
			t.Errorf("request outside the lesson's scope: %s", r)
		}
	}
}

func TestGuardRefusesBeforeSending(t *testing.T) {
	s := serve(t, nil)
	var log RequestLog
	c := open(t, s.kubeconfig, &log)
	before := s.hits.Load()
	_, err := c.Get("pods", "kube-system", "etcd")
	var scope *OutOfScopeError
	if !errors.As(err, &scope) {
		t.Fatalf("reading kube-system: err = %v, want OutOfScopeError", err)
	}
	other := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "not-the-lesson"}}
	if _, err := c.Create("namespaces", "", other); !errors.As(err, &scope) {
		t.Fatalf("creating another namespace: err = %v, want OutOfScopeError", err)
	}
	if s.hits.Load() != before {
		t.Fatalf("%d refused requests reached the server", s.hits.Load()-before)
	}
	reqs := log.Requests()
	if len(reqs) != 2 || !reqs[0].Refused || !reqs[1].Refused {
		t.Fatalf("log = %v", reqs)
	}
}

func TestPreflightProblems(t *testing.T) {
	problemID := func(err error) string {
		var p *Problem
		if errors.As(err, &p) {
			return p.ID
		}
		return fmt.Sprintf("not a Problem: %v", err)
	}
	t.Run("kubeconfig missing", func(t *testing.T) {
		_, err := Open(Options{Kubeconfig: filepath.Join(t.TempDir(), "nope"), Namespace: "x"})
		if problemID(err) != "real.error.kubeconfig" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("kubeconfig garbage", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "config")
		os.WriteFile(path, []byte("\x00not yaml: ["), 0o600)
		_, err := Open(Options{Kubeconfig: path, Namespace: "x"})
		if problemID(err) != "real.error.kubeconfig" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		srv := httptest.NewTLSServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		_, err := open(t, kubeconfig(t, url, token), nil).Preflight()
		if problemID(err) != "real.error.unreachable" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("expired token", func(t *testing.T) {
		s := serve(t, nil)
		cfg := strings.Replace(mustRead(t, s.kubeconfig), token, "expired", 1)
		os.WriteFile(s.kubeconfig, []byte(cfg), 0o600)
		_, err := open(t, s.kubeconfig, nil).Preflight()
		if problemID(err) != "real.error.unauthorized" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("missing rights", func(t *testing.T) {
		s := serve(t, func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews" {
					body := new(strings.Builder)
					buf := make([]byte, 4096)
					n, _ := r.Body.Read(buf)
					body.Write(buf[:n])
					allowed := !strings.Contains(body.String(), `"resource":"namespaces"`)
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusCreated)
					fmt.Fprintf(w, `{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","status":{"allowed":%v}}`, allowed)
					return
				}
				next.ServeHTTP(w, r)
			})
		})
		_, err := open(t, s.kubeconfig, nil).Preflight()
		var p *Problem
		if !errors.As(err, &p) || p.ID != "real.error.rights" || p.Args["Missing"] != "create namespaces, delete namespaces" {
			t.Fatalf("err = %v (%+v)", err, p)
		}
	})
	t.Run("old server", func(t *testing.T) {
		s := serve(t, func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/version" {
					w.Header().Set("Content-Type", "application/json")
					fmt.Fprint(w, `{"major":"1","minor":"30","gitVersion":"v1.30.4"}`)
					return
				}
				next.ServeHTTP(w, r)
			})
		})
		rep, err := open(t, s.kubeconfig, nil).Preflight()
		if err != nil || !rep.VersionWarning || rep.GitVersion != "v1.30.4" {
			t.Fatalf("report %+v, err %v", rep, err)
		}
	})
	t.Run("no schedulable node", func(t *testing.T) {
		s := serve(t, nil)
		for _, n := range []string{"node-1", "node-2"} {
			cordon := func(o runtime.Object) error { o.(*corev1.Node).Spec.Unschedulable = true; return nil }
			if _, err := s.cluster.API().Client("admin").Mutate("nodes", "", n, cordon); err != nil {
				t.Fatal(err)
			}
		}
		_, err := open(t, s.kubeconfig, nil).Preflight()
		var p *Problem
		if !errors.As(err, &p) || p.ID != "real.error.no_nodes" || p.Args["Nodes"] != 2 {
			t.Fatalf("err = %v", err)
		}
	})
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
