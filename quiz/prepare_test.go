package quiz

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestPrepareAgainstTheCluster(t *testing.T) {
	s := newSandbox(t, 3)
	s.kubectl("create deployment web --image=nginx --replicas=3")

	running := Question{ID: "running", Kind: SingleChoice, Text: "quiz.running", AnswerFrom: "any-container-running"}
	p, err := Prepare(running, s.env)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.Choices, yesNoChoices()) || p.Expected.Text != "no" || Reveal(p) != "no" {
		t.Errorf("running before any step: %+v", p)
	}
	if r := Grade(p, "否"); !r.Correct {
		t.Errorf("否 for no: %+v", r)
	}

	next := Question{ID: "next", Kind: Next, Text: "quiz.next", ChoicesFrom: "components"}
	p, err = Prepare(next, s.env)
	if err != nil {
		t.Fatal(err)
	}
	if p.Expected.Text != "deployment-controller" || len(p.Choices) != len(s.probe("components").List) {
		t.Errorf("next: %+v", p)
	}
	for _, in := range []string{"1", "deployment-controller", "controller-manager"} {
		if r := Grade(p, in); !r.Correct {
			t.Errorf("next: Grade(%q) = %+v", in, r)
		}
	}

	s.c.Run(0)
	pods := s.table("get pods -o wide")

	node := Question{ID: "node", Kind: SingleChoice, Text: "quiz.node", ChoicesFrom: "nodes", AnswerFrom: "pod-node index=2",
		Args: map[string]string{"Pod": "pod-name index=2", "Count": "pod-count", "Nodes": "nodes"}}
	p, err = Prepare(node, s.env)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Choice{{Key: "node-1", Literal: "node-1"}, {Key: "node-2", Literal: "node-2"}}; !reflect.DeepEqual(p.Choices, want) {
		t.Errorf("node choices = %v", p.Choices)
	}
	if p.Expected.Text != pods[1]["NODE"] {
		t.Errorf("node expected %q, kubectl shows %q", p.Expected.Text, pods[1]["NODE"])
	}
	if p.TextArgs["Pod"] != pods[1]["NAME"] || p.TextArgs["Count"] != 3 || p.TextArgs["Nodes"] != "node-1, node-2" {
		t.Errorf("TextArgs = %#v", p.TextArgs)
	}

	multi := Question{ID: "on1", Kind: Multi, Text: "quiz.on1", ChoicesFrom: "pod-names", AnswerFrom: "pod-names node=node-1"}
	p, err = Prepare(multi, s.env)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Expected.List, namesWhere(pods, "NODE", "node-1")) {
		t.Errorf("multi expected %v", p.Expected.List)
	}
	if r := Grade(p, Reveal(p)); !r.Correct {
		t.Errorf("multi: Grade(Reveal) = %+v", r)
	}

	// Order: choices from the probe are sorted so they do not give the answer away.
	order := Question{ID: "order", Kind: Order, Text: "quiz.order", ChoicesFrom: "actor-order", AnswerFrom: "actor-order"}
	p, err = Prepare(order, s.env)
	if err != nil {
		t.Fatal(err)
	}
	keys := strings.Split(choiceKeys(p.Choices), ",")
	if !slices.IsSorted(keys) || slices.Equal(keys, p.Expected.List) {
		t.Errorf("order choices %v, expected %v", keys, p.Expected.List)
	}
	// A lesson may offer fewer items than the probe lists; the learner orders what is offered.
	order = Question{ID: "order2", Kind: Order, Text: "quiz.order", AnswerFrom: "actor-order", Choices: []Choice{
		{Key: "kubelet", Label: "quiz.kubelet"}, {Key: "default-scheduler", Label: "quiz.scheduler"},
		{Key: "deployment-controller", Label: "quiz.deployment_controller"},
	}}
	p, err = Prepare(order, s.env)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"deployment-controller", "default-scheduler", "kubelet"}; !slices.Equal(p.Expected.List, want) {
		t.Errorf("order expected %v, want %v", p.Expected.List, want)
	}
	if r := Grade(p, "3,2,1"); !r.Correct || r.Given != "deployment-controller,default-scheduler,kubelet" {
		t.Errorf("order: %+v", r)
	}
}

func TestPrepareErrors(t *testing.T) {
	s := newSandbox(t, 3)
	tests := []struct {
		q    Question
		want string
	}{
		{Question{ID: "bad", Kind: "essay", Text: "quiz.x"}, "unknown kind"},
		{Question{ID: "probe-fails", Kind: Text, Text: "quiz.x", AnswerFrom: "replicaset-name deployment=web"}, "replicaset-name"},
		{Question{ID: "arg-fails", Kind: Number, Text: "quiz.x", AnswerFrom: "pod-count", Args: map[string]string{"Pod": "pod-name index=1"}}, "args Pod"},
		{Question{ID: "not-a-choice", Kind: SingleChoice, Text: "quiz.x", AnswerFrom: "next-component",
			Choices: []Choice{{Key: "kubelet", Literal: "kubelet"}}}, "not among the choices"},
		{Question{ID: "empty-text", Kind: Text, Text: "quiz.x", AnswerFrom: "next-component"}, "empty"},
		{Question{ID: "order-missing", Kind: Order, Text: "quiz.x", AnswerFrom: "actor-order",
			Choices: []Choice{{Key: "kubelet", Literal: "kubelet"}, {Key: "etcd", Literal: "etcd"}}}, "does not place every choice"},
		{Question{ID: "no-choices", Kind: Multi, Text: "quiz.x", ChoicesFrom: "pod-names", Answer: "a"}, "gave no choices"},
	}
	for _, tt := range tests {
		_, err := Prepare(tt.q, s.env)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.q.ID) {
			t.Errorf("Prepare(%s) error = %v, want one naming the question and %q", tt.q.ID, err, tt.want)
		}
	}
}

func TestPrepareStaticAnswers(t *testing.T) {
	tests := []struct {
		q      Question
		reveal string
		right  []string
	}{
		{Question{ID: "yn", Kind: SingleChoice, Text: "quiz.x", Answer: "yes"}, "yes", []string{"是", "1", "y"}},
		{Question{ID: "multi", Kind: Multi, Text: "quiz.x", Answer: "c, a",
			Choices: []Choice{{Key: "a", Label: "quiz.a"}, {Key: "b", Label: "quiz.b"}, {Key: "c", Label: "quiz.c"}}}, "a,c", []string{"1,3", "3、1", "c a"}},
		{Question{ID: "order", Kind: Order, Text: "quiz.x", Answer: "c,a,b",
			Choices: []Choice{{Key: "a", Label: "quiz.a"}, {Key: "b", Label: "quiz.b"}, {Key: "c", Label: "quiz.c"}}}, "c,a,b", []string{"3,1,2", "c a b"}},
		{Question{ID: "number", Kind: Number, Text: "quiz.x", Answer: "2"}, "2", []string{"两", "two"}},
		{Question{ID: "text", Kind: Text, Text: "quiz.x", Answer: "etcd"}, "etcd", []string{"ETCD"}},
		{Question{ID: "next", Kind: Next, Text: "quiz.x", Answer: "kubelet"}, "kubelet", []string{"kubelet"}},
	}
	for _, tt := range tests {
		p, err := Prepare(tt.q, Env{}) // static questions need no cluster
		if err != nil {
			t.Errorf("Prepare(%s): %v", tt.q.ID, err)
			continue
		}
		if got := Reveal(p); got != tt.reveal {
			t.Errorf("Reveal(%s) = %q, want %q", tt.q.ID, got, tt.reveal)
		}
		for _, in := range append(tt.right, tt.reveal) {
			if r := Grade(p, in); !r.Correct {
				t.Errorf("%s: Grade(%q) = %+v", tt.q.ID, in, r)
			}
		}
	}
}
