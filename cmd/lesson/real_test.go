package lesson

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kballard/go-shellquote"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/k8slearn/k8slearn/cmd/progress"
	"github.com/k8slearn/k8slearn/cmd/prompt"
	"github.com/k8slearn/k8slearn/cmd/serve"
	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/realcluster"
	"github.com/k8slearn/k8slearn/lessons"
	"github.com/k8slearn/k8slearn/locales"
)

// kindNodes are the nodes of a kind cluster: two workers, and a control-plane node no lesson's
// pod may run on.
var kindNodes = []string{"kind-worker", "kind-worker2"}

const kindControlPlane = "kind-control-plane"

// startServe runs `k8slearn serve --auto` in this process: the miniature cluster behind a real
// Kubernetes API over HTTP, moving by itself in real time. Its nodes are named as kind's are
// (kindNodes, and a tainted kind-control-plane without a kubelet), so that the lessons' node-1
// and node-2 must be found among the cluster's own. It returns the kubeconfig.
func startServe(t *testing.T) string {
	t.Helper()
	l, err := locales.New("en")
	if err != nil {
		t.Fatal(err)
	}
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	ready := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve.Run(ctx, serve.Options{Addr: "127.0.0.1:0", Kubeconfig: kubeconfig, Auto: true, Nodes: 2, NodeNames: kindNodes, Seed: 1,
			L: l, Style: view.NewStyler(false), Out: io.Discard, Ready: func(url, _ string) { ready <- url }})
	}()
	var url string
	select {
	case url = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("serve ended: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		<-done
	})
	// The control-plane node sorts first by name, and is tainted: it must not be a lesson's node-1.
	node := `{"apiVersion":"v1","kind":"Node","metadata":{"name":"` + kindControlPlane + `"},` +
		`"spec":{"taints":[{"key":"node-role.kubernetes.io/control-plane","effect":"NoSchedule"}]}}`
	resp, err := http.Post(url+"/api/v1/nodes", "application/json", strings.NewReader(node))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("creating node %s: %s", kindControlPlane, resp.Status)
	}
	return kubeconfig
}

// knowing answers every question with the answer it was told, and goes on at every other prompt.
type knowing struct {
	mu       sync.Mutex
	expected string
	asked    int
}

func (k *knowing) Expect(revealed string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.expected = revealed
	k.asked++
}

func (k *knowing) Ask(string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	answer := k.expected
	k.expected = ""
	return answer, nil
}

func (k *knowing) Pause(string) (string, error) { return "", nil }

func (k *knowing) Select(string, []prompt.Option, int) (int, error) { return 0, nil }

// leftOut counts the questions a lesson leaves out on a real cluster.
func leftOut(ls lessons.Lesson) int {
	n := 0
	for _, st := range ls.Steps {
		if st.Quiz != nil && st.SkippedOnReal() {
			n++
		}
	}
	return n
}

// lessonNamed finds a lesson.
func lessonNamed(t *testing.T, name string) lessons.Lesson {
	t.Helper()
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, ls := range all {
		if ls.Name == name {
			return ls
		}
	}
	t.Fatalf("no lesson %s", name)
	return lessons.Lesson{}
}

// allowedRequest is what a lesson may ask of a real cluster, written out apart from the guard's
// own rule: discovery, reading nodes, asking what it may do, its namespace, and what is in it.
func allowedRequest(ns string, r realcluster.Request) bool {
	q := regexp.QuoteMeta(ns)
	read := r.Method == http.MethodGet
	switch {
	case read && regexp.MustCompile(`^/(version|api|apis|api/v1|apis/[a-z0-9.-]+(/v[0-9a-z]+)?)$`).MatchString(r.Path):
		return true
	case read && regexp.MustCompile(`^/api/v1/nodes(/[a-z0-9.-]+)?$`).MatchString(r.Path):
		return true
	case r.Method == http.MethodPost && r.Path == "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews":
		return true
	case r.Method == http.MethodPost && r.Path == "/api/v1/namespaces":
		return true // the guard checks the name inside; the namespace then exists (below)
	case regexp.MustCompile(`^/api/v1/namespaces/` + q + `$`).MatchString(r.Path):
		return r.Method == http.MethodGet || r.Method == http.MethodDelete
	}
	return regexp.MustCompile(`^/apis?/([a-z0-9.-]+/)?v[0-9a-z]+/namespaces/` + q + `/`).MatchString(r.Path)
}

// The acceptance test of a lesson on a real cluster: every lesson of the course, each in both
// languages (at once, in two namespaces), against `k8slearn serve --auto`, end with
// full marks when every question is answered with what "show" reveals; no question is left out
// but those the lesson marks real: skip; every request stayed within the lesson's namespace,
// discovery, nodes and access reviews.
func TestRealClusterLessonsFullMarks(t *testing.T) {
	if testing.Short() {
		t.Skip("plays lessons against a served cluster in real time")
	}
	// K8SLEARN_REAL_KUBECONFIG plays them on another cluster instead (a real control plane, kind),
	// one lesson at a time; K8SLEARN_REAL_LESSONS picks the lessons (comma-separated).
	kubeconfig, served := os.Getenv("K8SLEARN_REAL_KUBECONFIG"), false
	if kubeconfig == "" {
		kubeconfig, served = startServe(t), true
	}
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	var names []string // the whole course: every lesson can be played on a cluster of one's own
	for _, l := range all {
		names = append(names, l.Name)
	}
	if only := os.Getenv("K8SLEARN_REAL_LESSONS"); only != "" {
		names = strings.Split(only, ",")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			for _, lang := range []string{"en", "zh"} {
				t.Run(lang, func(t *testing.T) {
					if served {
						t.Parallel() // each language in its own namespace: the waits overlap
					}
					ls := lessonNamed(t, name)
					l, err := locales.New(lang)
					if err != nil {
						t.Fatal(err)
					}
					english, _ := locales.New("en")
					var log realcluster.RequestLog
					ns := "k8slearn-" + name + "-" + lang + "tst"
					c, err := realcluster.Open(realcluster.Options{Kubeconfig: kubeconfig, Namespace: ns, Log: &log})
					if err != nil {
						t.Fatal(err)
					}
					rep, err := c.Preflight()
					if err != nil {
						t.Fatal(err)
					}
					if served && !slices.Equal(rep.SchedulableNodes, kindNodes) {
						t.Fatalf("schedulable nodes %v, want %v", rep.SchedulableNodes, kindNodes)
					}
					if err := c.CreateNamespace(name); err != nil {
						t.Fatal(err)
					}
					b := NewRealBackend(RealConfig{Cluster: c, Log: &log, L: l, Style: view.NewStyler(false),
						Quiet: 300 * time.Millisecond, Patience: 15 * time.Second, Nodes: rep.SchedulableNodes})
					var out bytes.Buffer
					rec := &progress.Record{Answers: map[string]progress.Answer{}, Lang: lang, Steps: len(ls.Steps), Questions: ls.Questions()}
					answers := &knowing{}
					err = Play(Config{Lesson: ls, L: l, English: english, Style: view.NewStyler(false), Prompt: answers, Out: &out,
						Record: rec, Save: func() error { return nil }, Backend: b})
					b.Close()
					if derr := c.DeleteNamespace(); derr != nil {
						t.Error(derr)
					}
					if err != nil {
						t.Fatalf("%v\n%s", err, out.String())
					}
					got, of := rec.Score()
					if got != of || of != ls.Questions()-leftOut(ls) || answers.asked != of {
						t.Errorf("score %d/%d, %d asked, the lesson has %d questions\n%s", got, of, answers.asked, ls.Questions(), out.String())
					}
					lines := strings.Split(strings.TrimSpace(out.String()), "\n")
					if last, score := lines[len(lines)-1], fmt.Sprintf("%d/%d", of, of); !strings.Contains(last, score) {
						t.Errorf("last line %q, want the score %s", last, score)
					}
					if !strings.Contains(out.String(), "#1 ") {
						t.Errorf("nothing observed was told:\n%s", out.String())
					}
					// The lesson's node-1 and node-2 were the cluster's own nodes, in what it
					// ran, read and said; never the control-plane node, which only kubectl's
					// tables list.
					if m := regexp.MustCompile(`\bnode-[12]\b|(?m)^\s*([0-9]+\)|=) ` + kindControlPlane).FindString(out.String()); m != "" && !slices.Contains(rep.SchedulableNodes, "node-1") {
						t.Errorf("the lesson named %q on a cluster of %v:\n%s", m, rep.SchedulableNodes, out.String())
					}
					for _, r := range log.Requests() {
						if r.Refused || !allowedRequest(ns, r) {
							t.Errorf("request outside the lesson's scope: %s", r)
						}
					}
					if t.Failed() || os.Getenv("K8SLEARN_TRANSCRIPT") != "" {
						t.Logf("transcript:\n%s", out.String())
					}
				})
			}
		})
	}
}

// A lesson's step names a component as the miniature does; on a real cluster it waits for what
// was seen of it.
func TestMatches(t *testing.T) {
	for _, tt := range []struct {
		who, want string
		ok        bool
	}{
		{"deployment-controller", "deployment-controller", true},
		{"deployment-controller", "deploy", true},
		{"replicaset-controller", "rs", true},
		{"default-scheduler", "scheduler", true},
		{"kubelet/node-1", "kubelet", true},
		{"kubelet/node-1", "node-1", true},
		{"containerd/node-2", "containerd", true},
		{"containerd/node-2", "runtime", true},
		{"containerd/node-2", "kubelet", false},
		{"kubelet/node-1", "containerd", false},
		{"node-controller", "kubelet", false},
	} {
		if got := matches(tt.who, tt.want); got != tt.ok {
			t.Errorf("matches(%q, %q) = %v", tt.who, tt.want, got)
		}
	}
	for _, tt := range []struct{ reporter, node, want string }{
		{"kubelet", "node-1", "kubelet/node-1"},
		{"kwok_controller", "node-2", "kubelet/node-2"}, // kwok plays the kubelet on simulated nodes
		{"kwok_controller", "", "kubelet"},
		{"default-scheduler", "node-1", "default-scheduler"},
	} {
		if got := quizName(tt.reporter, tt.node); got != tt.want {
			t.Errorf("quizName(%q, %q) = %q, want %q", tt.reporter, tt.node, got, tt.want)
		}
	}
}

// A readiness probe is made to fail on a real cluster by removing the file it needs: which file,
// for an exec probe and for an HTTP probe on nginx; none for what the lesson does not know.
func TestProbeFile(t *testing.T) {
	httpProbe := func(path string) *corev1.Probe {
		return &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: path, Port: intstr.FromInt32(80)}}}
	}
	execProbe := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/ready"}}}}
	for _, tt := range []struct {
		image     string
		probe     *corev1.Probe
		container string
		want      string
	}{
		{"nginx", httpProbe("/"), "", "/usr/share/nginx/html/index.html"},
		{"docker.io/library/nginx:1.27", httpProbe("/healthz"), "", "/usr/share/nginx/html/healthz"},
		{"nginx:alpine", httpProbe("/app/"), "web", "/usr/share/nginx/html/app/index.html"},
		{"busybox", execProbe, "", "/tmp/ready"},
		{"httpd", httpProbe("/"), "", ""},
		{"nginx", nil, "", ""},
		{"nginx", httpProbe("/"), "other", ""},
	} {
		p := &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: tt.image, ReadinessProbe: tt.probe}}}}
		if got, _ := probeFile(p, tt.container); got != tt.want {
			t.Errorf("%s, %+v: %q, want %q", tt.image, tt.probe, got, tt.want)
		}
	}
}

// A sandbox command line run through kubectl exec keeps its words.
func TestQuoteLine(t *testing.T) {
	for _, words := range [][]string{
		{"curl", "-s", "-o", "/dev/null", "-w", `%{http_code}\n`, "web"},
		{"nslookup", "web"},
		{"echo", "it's", ""},
	} {
		got, err := shellquote.Split(quoteLine(words))
		if err != nil || !slices.Equal(got, words) {
			t.Errorf("%q → %q → %q, %v", words, quoteLine(words), got, err)
		}
	}
	if !advancesUnseen("kube-proxy/node-1") || !advancesUnseen("kube-proxy") || advancesUnseen("kubelet/node-1") {
		t.Error("kube-proxy is the component a real cluster does not show")
	}
}
