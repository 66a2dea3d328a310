package lessons_test

import (
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"testing"

	"github.com/k8slearn/k8slearn/lessons"
	"github.com/k8slearn/k8slearn/locales"
)

// A lesson's node names are renamed as whole words only, and only those the cluster has.
func TestNodesRename(t *testing.T) {
	n := lessons.NewNodes([]string{"kind-worker", "kind-worker2"})
	for _, tt := range []struct{ in, want string }{
		{"pods-on-node node=node-1 selector=app=web", "pods-on-node node=kind-worker selector=app=web"},
		{"kube-proxy/node-2", "kube-proxy/kind-worker2"},
		{"proxy node-1 --mode nftables", "proxy kind-worker --mode nftables"},
		{"node-1's rules, node-2.", "kind-worker's rules, kind-worker2."},
		{"node-1,node-2", "kind-worker,kind-worker2"},
		{"node-10 node-3 my-node-1 node-1x node-1.example kube-node-lease", "node-10 node-3 my-node-1 node-1x node-1.example kube-node-lease"},
		{"", ""},
	} {
		if got := n.Rename(tt.in); got != tt.want {
			t.Errorf("Rename(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got, want := n.Data(), map[string]any{"Node1": "kind-worker", "Node2": "kind-worker2"}; !maps.Equal(got, want) {
		t.Errorf("Data() = %v, want %v", got, want)
	}
	// The miniature's own names leave every step as it is.
	mini := lessons.NewNodes([]string{"node-1", "node-2"})
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		for i, st := range l.Steps {
			if got := st.OnNodes(mini); !reflect.DeepEqual(got, st) {
				t.Errorf("%s step %d changed on the miniature's nodes: %+v", l.Name, i+1, got)
			}
		}
	}
}

// OnNodes renames a step's command, probes and answer, and leaves the lesson's step alone.
func TestStepOnNodes(t *testing.T) {
	n := lessons.NewNodes([]string{"minikube", "minikube-m02"})
	if got := (lessons.Step{Step: "kube-proxy/node-2"}).OnNodes(n); got.Step != "kube-proxy/minikube-m02" {
		t.Errorf("step: %q", got.Step)
	}
	st := lessons.Step{Run: "kubectl delete pod {{.Pod}}", RunArgs: map[string]string{"Pod": "first-pod selector=app=web node=node-1"}}
	got := st.OnNodes(n)
	if got.RunArgs["Pod"] != "first-pod selector=app=web node=minikube" || st.RunArgs["Pod"] != "first-pod selector=app=web node=node-1" {
		t.Errorf("run_args: got %v, the lesson's now %v", got.RunArgs, st.RunArgs)
	}
	q := lessons.Step{Quiz: &lessons.QuizStep{ID: "q", Answer: "node-1", AnswerFrom: "pod-count node=node-2", Args: map[string]string{"Pod": "first-pod node=node-2"}}}
	gq := q.OnNodes(n).Quiz
	if gq.Answer != "minikube" || gq.AnswerFrom != "pod-count node=minikube-m02" || gq.Args["Pod"] != "first-pod node=minikube-m02" || q.Quiz.Answer != "node-1" {
		t.Errorf("quiz: got %+v, the lesson's now %+v", gq, q.Quiz)
	}
}

// What a lesson shows on a real cluster names its nodes through {{.Node1}}, {{.Node2}}…, never
// as the miniature's node-1 and node-2, and only the nodes the lesson asks the cluster for
// (NodesNamed, checked before it starts). Choice labels are shown as they are, without data.
func TestRealTextsNameTheClustersNodes(t *testing.T) {
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	literal := regexp.MustCompile(`(^|[^A-Za-z0-9_.-])node-[0-9]+($|[^A-Za-z0-9_-])`)
	beyond := regexp.MustCompile(`⟨node ([0-9]+)⟩`)
	for _, lang := range locales.Supported() {
		l, err := locales.New(lang)
		if err != nil {
			t.Fatal(err)
		}
		data := map[string]any{}
		for i := 1; i <= 9; i++ {
			data[fmt.Sprintf("Node%d", i)] = fmt.Sprintf("⟨node %d⟩", i)
		}
		for _, ls := range all {
			need := ls.NodesNamed()
			check := func(id string, data map[string]any) {
				text := l.T(id, data)
				if literal.MatchString(text) {
					t.Errorf("%s: %s (lesson %s, shown on a real cluster) names a node as the miniature does; use {{.Node1}}…:\n%s", lang, id, ls.Name, text)
				}
				for _, m := range beyond.FindAllStringSubmatch(text, -1) {
					if m[1] > fmt.Sprint(need) {
						t.Errorf("%s: %s names node %s, and lesson %s asks a real cluster for %d (real_nodes)", lang, id, m[1], ls.Name, need)
					}
				}
			}
			for _, st := range ls.Steps {
				if st.SkippedOnReal() {
					if st.RealNote != "" {
						check(st.RealNote, data)
					}
					continue
				}
				var ids []string
				switch {
				case st.Say != "":
					ids = append(ids, st.Say)
				case st.Explore != "":
					ids = append(ids, st.Explore)
				case st.Quiz != nil:
					ids = append(append(ids, st.Quiz.Text, st.Quiz.Explain), st.Quiz.Hints...)
					for _, c := range st.Quiz.Choices {
						if c.Label != "" {
							check(c.Label, nil)
						}
					}
				}
				for _, id := range ids {
					if id != "" {
						check(id, data)
					}
				}
			}
		}
	}
}
