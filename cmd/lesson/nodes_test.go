package lesson

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/cmd/progress"
	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/lessons"
	"github.com/k8slearn/k8slearn/locales"
	"github.com/k8slearn/k8slearn/quiz"
)

// kwokCluster is a real cluster as a lesson sees it, whose nodes (kwok's) have no address: it
// records the commands it is sent.
type kwokCluster struct {
	out  io.Writer
	sent []string
}

func (k *kwokCluster) SetOutput(w io.Writer)             { k.out = w }
func (k *kwokCluster) Exec(line string)                  { k.sent = append(k.sent, line) }
func (k *kwokCluster) Show(string)                       {}
func (k *kwokCluster) Advance(string)                    {}
func (k *kwokCluster) DrawMap()                          {}
func (k *kwokCluster) Next() (string, bool)              { return "", false }
func (k *kwokCluster) Env() quiz.Env                     { return quiz.Env{Real: kwokObserved{}, Nodes: k.Nodes()} }
func (k *kwokCluster) Internal(what string, r any)       { panic(fmt.Sprint(what, r)) }
func (k *kwokCluster) Chain(view.Styler) (e, l []string) { return nil, nil }
func (k *kwokCluster) ReadOnly(string) bool              { return false }
func (k *kwokCluster) Replayable() bool                  { return false }
func (k *kwokCluster) Nodes() []string                   { return []string{"kind-worker", "kind-worker2"} }

// kwokObserved reads the cluster: every node it is asked for, without an address.
type kwokObserved struct{}

func (kwokObserved) Get(_, _, name string) (runtime.Object, error) {
	return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}}, nil
}
func (kwokObserved) List(string, string, labels.Selector) ([]runtime.Object, error) { return nil, nil }
func (kwokObserved) Next() (string, error)                                          { return "", nil }
func (kwokObserved) Actors() []string                                               { return nil }
func (kwokObserved) Components() []string                                           { return nil }

// On a real cluster the lesson's node-2 is the cluster's second node, in the commands it runs and
// the texts it says; a step whose command cannot be filled from the cluster (a node without an
// address) is left out with the reason, and the lesson goes on.
func TestRealStepsOnTheClustersNodes(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		l, _ := locales.New(lang)
		english, _ := locales.New("en")
		ls := lessons.Lesson{Name: "x", Title: "lesson.service.title", Summary: "lesson.service.summary", Steps: []lessons.Step{
			{Run: "kubectl get node node-2"},
			{Run: "curl {{.Address}}", RunArgs: map[string]string{"Address": "node-address node=node-2"}},
			{Say: "lesson.deployment.on_node1.hint2"},
		}}
		k := &kwokCluster{}
		var out bytes.Buffer
		rec := &progress.Record{Answers: map[string]progress.Answer{}, Steps: len(ls.Steps)}
		err := Play(Config{Lesson: ls, L: l, English: english, Style: view.NewStyler(false), Prompt: &knowing{}, Out: &out,
			Record: rec, Save: func() error { return nil }, Backend: k})
		if err != nil {
			t.Fatalf("%s: %v\n%s", lang, err, out.String())
		}
		if want := []string{"kubectl get node kind-worker2"}; fmt.Sprint(k.sent) != fmt.Sprint(want) {
			t.Errorf("%s: sent %q, want %q", lang, k.sent, want)
		}
		for _, want := range []string{l.T("lesson.real.step_skipped", map[string]any{"Reason": "lesson x: Address: node-address: node kind-worker2 has no InternalIP"}),
			l.T("lesson.deployment.on_node1.hint2", map[string]any{"Node1": "kind-worker"})} {
			if !strings.Contains(strings.Join(strings.Fields(out.String()), " "), strings.Join(strings.Fields(want), " ")) {
				t.Errorf("%s: no %q in\n%s", lang, want, out.String())
			}
		}
	}
}
