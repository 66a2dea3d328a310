package sandbox

import (
	"bytes"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/locales"
)

// export writes the map in the format the name asks for, through Config.WriteFile.
func TestExport(t *testing.T) {
	l, _ := locales.New("en")
	written := map[string]string{}
	var out bytes.Buffer
	s, err := New(Config{Seed: 7, L: l, Style: view.NewStyler(false), WriteFile: func(name string, data []byte) error {
		written[name] = string(data)
		return nil
	}}, &out)
	if err != nil {
		t.Fatal(err)
	}
	s.Exec("kubectl create deployment web --image=nginx --replicas=3")
	s.Exec("run")
	rs, _, _ := s.Cluster().API().Client("test").ListShared("replicasets", "default", apiserver.ListOptions{})
	if len(rs) != 1 {
		t.Fatalf("%d ReplicaSets", len(rs))
	}
	hash := rs[0].(metav1.Object).GetName() // web-<pod-template-hash>, in every pod's name too
	for name, start := range map[string]string{"web.svg": "<?xml", "web.HTML": "<!DOCTYPE html>", "web.mmd": "sequenceDiagram", "web.dot": "digraph"} {
		s.Exec("export " + name)
		if !strings.HasPrefix(written[name], start) {
			t.Errorf("export %s wrote %.40q", name, written[name])
		}
		if !strings.Contains(written[name], hash) {
			t.Errorf("export %s lacks this run's ReplicaSet", name)
		}
	}
	if !strings.Contains(written["web.svg"], "The map of this run: sandbox") {
		t.Errorf("the sandbox's picture is not titled as the sandbox's")
	}
	if !strings.Contains(out.String(), "Wrote the map of this run to web.dot.") {
		t.Errorf("export does not say what it wrote:\n%s", out.String())
	}
}

// Changed follows every action of the cluster, and a reset's new cluster.
func TestChangedFollowsTheCluster(t *testing.T) {
	l, _ := locales.New("en")
	var seen []*cluster.Cluster
	s, err := New(Config{Seed: 1, L: l, Style: view.NewStyler(false), MaxSteps: 1500,
		Changed: func(c *cluster.Cluster) { seen = append(seen, c) }}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 {
		t.Fatalf("a new session calls Changed %d times, want once", len(seen))
	}
	s.Exec("kubectl create deployment web --image=nginx --replicas=300")
	s.Exec("step")
	s.Exec("run") // more steps than a run shows: the unshown ones count too
	steps := len(s.Cluster().Trace())
	if len(seen) < 1+steps {
		t.Errorf("Changed was called %d times for %d trace entries", len(seen)-1, steps)
	}
	s.Exec("reset")
	if seen[len(seen)-1] != s.Cluster() || seen[0] == s.Cluster() {
		t.Errorf("after reset, Changed must get the new cluster")
	}
}

// blockingReader hands out lines only when the test sends them; it records the prompts it saw.
type blockingReader struct {
	lines   chan string
	prompts []string
	set     []string
}

func (b *blockingReader) ReadLine(prompt func() string) (string, error) {
	b.prompts = append(b.prompts, prompt())
	return <-b.lines, nil
}

func (b *blockingReader) SetPrompt(p string) { b.set = append(b.set, p) }

// An action (the live page's step button) is read as a line while the learner has not finished
// typing; the line typed comes after, and the prompt is brought up to date in between.
func TestActionReader(t *testing.T) {
	inner := &blockingReader{lines: make(chan string)}
	actions := make(chan string, 1)
	r := NewActionReader(inner, actions)
	calls := 0
	prompt := func() string { calls++; return "next: " + string(rune('0'+calls)) + " $ " }
	actions <- "step"
	if line, _ := r.ReadLine(prompt); line != "step" {
		t.Fatalf("first read: %q, want the action", line)
	}
	go func() { inner.lines <- "kubectl get pods" }()
	if line, _ := r.ReadLine(prompt); line != "kubectl get pods" {
		t.Fatalf("second read: %q, want the line typed", line)
	}
	if len(inner.prompts) != 1 || inner.prompts[0] != "next: 1 $ " || len(inner.set) != 1 || inner.set[0] != "next: 2 $ " {
		t.Errorf("prompts shown %q, set %q", inner.prompts, inner.set)
	}
}

// A reader that shows no prompt (plain mode) never makes the session compute one: computing it
// asks the cluster who acts next, which a plain session never does.
func TestActionReaderPlainComputesNoPrompt(t *testing.T) {
	r := NewActionReader(NewPlainReader(strings.NewReader("a\nb\n")), make(chan string))
	for _, want := range []string{"a", "b"} {
		line, err := r.ReadLine(func() string { t.Fatal("prompt computed"); return "" })
		if err != nil || line != want {
			t.Fatalf("%q, %v; want %q", line, err, want)
		}
	}
}
