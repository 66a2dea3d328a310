package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/k8slearn/k8slearn/cmd/serve"
	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/realcluster"
	"github.com/k8slearn/k8slearn/locales"
)

// writeKubeconfig writes a kubeconfig for server, without credentials.
func writeKubeconfig(t *testing.T, server string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config")
	text := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: %q}}]
users: [{name: u, user: {}}]
contexts: [{name: ctx, context: {cluster: c, user: u}}]
current-context: ctx
`, server)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A lesson on a real cluster through the command line: `serve --auto` in this process, the lesson
// in plain mode with every answer shown; it ends with its score as stdout's last line, and its
// namespace is gone.
func TestLessonOnRealCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a lesson against a served cluster in real time")
	}
	l, _ := locales.New("en")
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	ready := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve.Run(ctx, serve.Options{Addr: "127.0.0.1:0", Kubeconfig: kubeconfig, Auto: true, Nodes: 2, Seed: 1,
			L: l, Style: view.NewStyler(false), Out: io.Discard, Ready: func(string, string) { close(ready) }})
	}()
	<-ready
	defer func() { cancel(); <-done }()

	env := map[string]string{"K8SLEARN_HOME": t.TempDir()}
	stdout, stderr, code := run(t, strings.Repeat("show\n", 40), env, "lesson", "pod", "--plain", "--kubeconfig", kubeconfig)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if !strings.HasPrefix(stdout, "Real cluster: http://127.0.0.1:") || !strings.Contains(lines[len(lines)-1], "Score: 0/13") {
		t.Errorf("stdout:\n%s", stdout)
	}
	m := regexp.MustCompile(`Namespace (k8slearn-pod-[a-z0-9]{5}) deleted`).FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("stderr: %s", stderr)
	}
	c, err := realcluster.Open(realcluster.Options{Kubeconfig: kubeconfig, Namespace: m[1]})
	if err != nil {
		t.Fatal(err)
	}
	if obj, err := c.Get("namespaces", "", m[1]); !apierrors.IsNotFound(err) {
		t.Errorf("namespace %s after the lesson: %v, %v", m[1], obj, err)
	}
}

// fakeAPI answers as a Kubernetes API server would: every request refused as unauthorized, or
// access reviews that say allowed, and the nodes given.
func fakeAPI(unauthorized, allowed bool, nodes string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case unauthorized:
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}`)
		case r.URL.Path == "/version":
			fmt.Fprint(w, `{"major":"1","minor":"37","gitVersion":"v1.37.2"}`)
		case strings.HasSuffix(r.URL.Path, "/selfsubjectaccessreviews"):
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","status":{"allowed":%v}}`, allowed)
		case r.URL.Path == "/api/v1/nodes":
			fmt.Fprintf(w, `{"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[%s]}`, nodes)
		default:
			http.NotFound(w, r)
		}
	})
}

// What the command line says, in each language and with which exit status, when the cluster
// cannot take a lesson.
func TestLessonOnRealClusterProblems(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	cordoned := `{"metadata":{"name":"node-1"},"spec":{"unschedulable":true},"status":{"conditions":[{"type":"Ready","status":"True"}]}}`
	// minikube's one node, and a control-plane node no lesson's pod may run on.
	oneWorker := `{"metadata":{"name":"minikube"},"status":{"conditions":[{"type":"Ready","status":"True"}]}},` +
		`{"metadata":{"name":"kind-control-plane"},"spec":{"taints":[{"key":"node-role.kubernetes.io/control-plane","effect":"NoSchedule"}]},"status":{"conditions":[{"type":"Ready","status":"True"}]}}`
	for _, tt := range []struct {
		name    string
		lesson  string       // "": pod
		server  http.Handler // nil: closedURL
		path    string       // the kubeconfig when no server
		code    int
		en, zh  string
		context string
	}{
		{name: "no kubeconfig", path: filepath.Join(t.TempDir(), "missing"), code: 2,
			en: "cannot use the kubeconfig", zh: "无法使用 kubeconfig"},
		{name: "unreachable", code: 1, en: "does not answer", zh: "没有应答"},
		{name: "expired token", server: fakeAPI(true, true, ""), code: 1,
			en: "did not accept your credentials (401 Unauthorized)", zh: "不接受你的凭据（401 Unauthorized）"},
		{name: "missing rights", server: fakeAPI(false, false, ""), code: 1,
			en: "missing: create namespaces, delete namespaces, create pods -n k8slearn-pod-", zh: "缺少：create namespaces"},
		{name: "no schedulable node", server: fakeAPI(false, true, cordoned), code: 1,
			en: "no node of this cluster can take the lesson's pods (1 nodes", zh: "共 1 个节点"},
		{name: "one node for a lesson on two", lesson: "deployment", server: fakeAPI(false, true, oneWorker), code: 1,
			en: "the deployment lesson needs at least 2 nodes that can take its pods (it compares where they run), and this cluster's schedulable nodes are only: minikube.",
			zh: "deployment 这一课至少需要 2 个能运行其 Pod 的节点（它要比较 Pod 在哪个节点上运行），而这个集群可调度的节点只有：minikube。"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path
			switch {
			case tt.server != nil:
				srv := httptest.NewServer(tt.server)
				defer srv.Close()
				path = writeKubeconfig(t, srv.URL)
			case path == "":
				path = writeKubeconfig(t, closedURL)
			}
			lesson := tt.lesson
			if lesson == "" {
				lesson = "pod"
			}
			for lang, want := range map[string]string{"en": tt.en, "zh": tt.zh} {
				env := map[string]string{"K8SLEARN_HOME": t.TempDir()}
				stdout, stderr, code := run(t, "", env, "lesson", lesson, "--plain", "--lang", lang, "--kubeconfig", path)
				if code != tt.code || !strings.Contains(stderr, want) || stdout != "" {
					t.Errorf("%s: exit %d (want %d)\nstdout: %s\nstderr: %s\nwant %q", lang, code, tt.code, stdout, stderr, want)
				}
			}
		})
	}
}
