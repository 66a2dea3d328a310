package quiz

import (
	"strings"
	"testing"
)

func TestValidateAcceptsGoodQuestions(t *testing.T) {
	good := []Question{
		{ID: "rs", Kind: Text, Text: "quiz.deploy.rs_name", AnswerFrom: "replicaset-name deployment=web",
			Hints: []string{"quiz.deploy.rs_hint1", "quiz.deploy.rs_hint2"}, Explain: "quiz.deploy.rs_explain"},
		{ID: "running", Kind: SingleChoice, Text: "quiz.running", AnswerFrom: "any-container-running"},
		{ID: "yn-static", Kind: SingleChoice, Text: "quiz.stateless", Answer: "yes"},
		{ID: "node", Kind: SingleChoice, Text: "quiz.node", Args: map[string]string{"Pod": "pod-name index=1"},
			ChoicesFrom: "nodes", AnswerFrom: "pod-node index=1"},
		{ID: "who", Kind: SingleChoice, Text: "quiz.who", Choices: []Choice{{Key: "etcd", Literal: "etcd"}, {Key: "api", Label: "quiz.c.api"}}, Answer: "api"},
		{ID: "multi", Kind: Multi, Text: "quiz.m", Choices: []Choice{{Key: "a", Label: "quiz.m.a"}, {Key: "b", Label: "quiz.m.b"}, {Key: "c", Label: "quiz.m.c"}}, Answer: "a, c"},
		{ID: "order", Kind: Order, Text: "quiz.o", Choices: []Choice{{Key: "x", Label: "quiz.o.x"}, {Key: "y", Label: "quiz.o.y"}}, Answer: "y,x"},
		{ID: "order-live", Kind: Order, Text: "quiz.o", ChoicesFrom: "actor-order", AnswerFrom: "actor-order"},
		{ID: "count", Kind: Number, Text: "quiz.count", AnswerFrom: "pod-count selector=app=web status=Running"},
		{ID: "count-static", Kind: Number, Text: "quiz.count", Answer: "3"},
		{ID: "next", Kind: Next, Text: "quiz.next"},
		{ID: "next-choices", Kind: Next, Text: "quiz.next", ChoicesFrom: "components"},
		{ID: "last", Kind: Next, Text: "quiz.last", AnswerFrom: "last-actor"},
		{ID: "next-static", Kind: Next, Text: "quiz.next", Answer: "kubelet"},
		{ID: "numeric-keys", Kind: SingleChoice, Text: "quiz.n", Choices: []Choice{{Key: "1", Literal: "1"}, {Key: "2", Literal: "2"}, {Key: "5", Literal: "5"}}, Answer: "5"},
	}
	for _, q := range good {
		if err := Validate(q); err != nil {
			t.Errorf("Validate(%s): %v", q.ID, err)
		}
	}
}

func TestValidateCatchesMistakes(t *testing.T) {
	base := func() Question {
		return Question{ID: "q", Kind: Number, Text: "quiz.q", AnswerFrom: "pod-count"}
	}
	ab := []Choice{{Key: "a", Label: "quiz.a"}, {Key: "b", Label: "quiz.b"}}
	tests := []struct {
		name   string
		modify func(*Question)
		want   string // part of the error
	}{
		{"no id", func(q *Question) { q.ID = "" }, "no id"},
		{"unknown kind", func(q *Question) { q.Kind = "essay" }, "unknown kind"},
		{"empty kind", func(q *Question) { q.Kind = "" }, "unknown kind"},
		{"text not an ID", func(q *Question) { q.Text = "How many pods?" }, "not a message ID"},
		{"no text", func(q *Question) { q.Text = "" }, "not a message ID"},
		{"hint not an ID", func(q *Question) { q.Hints = []string{"quiz.h", "Look at the pods"} }, "hint"},
		{"explain not an ID", func(q *Question) { q.Explain = "Because." }, "explain"},
		{"unknown probe", func(q *Question) { q.AnswerFrom = "pod-total" }, "unknown probe"},
		{"bad ref syntax", func(q *Question) { q.AnswerFrom = "pod-count selector" }, "key=value"},
		{"unknown argument", func(q *Question) { q.AnswerFrom = "pod-count namespace=kube-system" }, "unknown argument namespace"},
		{"missing argument", func(q *Question) { q.AnswerFrom = "ready-replicas" }, "missing argument deployment"},
		{"both pod and index", func(q *Question) { q.Kind = Text; q.AnswerFrom = "pod-node pod=a index=1" }, "exactly one of pod, index"},
		{"neither pod nor index", func(q *Question) { q.Kind = Text; q.AnswerFrom = "pod-node" }, "exactly one of pod, index"},
		{"bad index", func(q *Question) { q.Kind = Text; q.AnswerFrom = "pod-node index=0" }, "index=0"},
		{"bad selector", func(q *Question) { q.AnswerFrom = "pod-count selector=app=(web" }, "selector"},
		{"unknown resource", func(q *Question) { q.Kind = Text; q.AnswerFrom = "etcd-key resource=foos name=x" }, "resource=foos"},
		{"probe of the wrong kind", func(q *Question) { q.AnswerFrom = "replicaset-name deployment=web" }, "needs a probe of a number"},
		{"list probe for text", func(q *Question) { q.Kind = Text; q.AnswerFrom = "pod-names" }, "needs a probe of a text"},
		{"no answer", func(q *Question) { q.AnswerFrom = "" }, "no answer"},
		{"both answers", func(q *Question) { q.Answer = "3" }, "not both"},
		{"static number not a number", func(q *Question) { q.AnswerFrom = ""; q.Answer = "three" }, "not a number"},
		{"bad arg ref", func(q *Question) { q.Args = map[string]string{"Name": "pod-name"} }, "args Name"},
		{"bad arg var", func(q *Question) { q.Args = map[string]string{"the name": "nodes"} }, "template variable"},
		{"choices on a number", func(q *Question) { q.Choices = ab }, "takes no choices"},
		{"choices_from on text", func(q *Question) { q.Kind = Text; q.AnswerFrom = "pod-name index=1"; q.ChoicesFrom = "nodes" }, "takes no choices"},
		{"multi without choices", func(q *Question) { q.Kind = Multi; q.AnswerFrom = "pod-names" }, "needs choices"},
		{"order without choices", func(q *Question) { q.Kind = Order; q.AnswerFrom = "actor-order" }, "needs choices"},
		{"choices and choices_from", func(q *Question) {
			q.Kind = SingleChoice
			q.AnswerFrom = "pod-node index=1"
			q.Choices = ab
			q.ChoicesFrom = "nodes"
		}, "not both"},
		{"choices_from not a list", func(q *Question) {
			q.Kind = SingleChoice
			q.AnswerFrom = "pod-node index=1"
			q.ChoicesFrom = "last-actor"
		}, "not a list"},
		{"choices_from unknown", func(q *Question) {
			q.Kind = SingleChoice
			q.AnswerFrom = "pod-node index=1"
			q.ChoicesFrom = "all-nodes"
		}, "unknown probe"},
		{"empty key", func(q *Question) {
			q.Kind = SingleChoice
			q.Answer, q.AnswerFrom = "a", ""
			q.Choices = []Choice{{Label: "quiz.a"}}
		}, "empty key"},
		{"key with a space", func(q *Question) {
			q.Kind = SingleChoice
			q.Answer, q.AnswerFrom = "a", ""
			q.Choices = []Choice{{Key: "a b", Label: "quiz.a"}}
		}, "space"},
		{"key with a comma", func(q *Question) {
			q.Kind = SingleChoice
			q.Answer, q.AnswerFrom = "a", ""
			q.Choices = []Choice{{Key: "a、b", Label: "quiz.a"}}
		}, "separator"},
		{"label and literal", func(q *Question) {
			q.Kind = SingleChoice
			q.Answer, q.AnswerFrom = "a", ""
			q.Choices = []Choice{{Key: "a", Label: "quiz.a", Literal: "A"}}
		}, "exactly one of label and literal"},
		{"neither label nor literal", func(q *Question) {
			q.Kind = SingleChoice
			q.Answer, q.AnswerFrom = "a", ""
			q.Choices = []Choice{{Key: "a"}}
		}, "exactly one of label and literal"},
		{"label not an ID", func(q *Question) {
			q.Kind = SingleChoice
			q.Answer, q.AnswerFrom = "a", ""
			q.Choices = []Choice{{Key: "a", Label: "The API server"}}
		}, "not a message ID"},
		{"duplicate key", func(q *Question) {
			q.Kind = SingleChoice
			q.Answer, q.AnswerFrom = "a", ""
			q.Choices = []Choice{{Key: "a", Label: "quiz.a"}, {Key: "A", Label: "quiz.b"}}
		}, "used twice"},
		{"key that is another choice's number", func(q *Question) {
			q.Kind = SingleChoice
			q.Answer, q.AnswerFrom = "1", ""
			q.Choices = []Choice{{Key: "2", Literal: "2"}, {Key: "1", Literal: "1"}}
		}, "number of choice"},
		{"static answer not a key", func(q *Question) { q.Kind = SingleChoice; q.Answer, q.AnswerFrom = "c", ""; q.Choices = ab }, "not a choice key"},
		{"yes/no answer not yes or no", func(q *Question) { q.Kind = SingleChoice; q.Answer, q.AnswerFrom = "maybe", "" }, "not a choice key"},
		{"multi answer not a key", func(q *Question) { q.Kind = Multi; q.Answer, q.AnswerFrom = "a,z", ""; q.Choices = ab }, `"z" is not a choice key`},
		{"multi answer repeats", func(q *Question) { q.Kind = Multi; q.Answer, q.AnswerFrom = "a,a", ""; q.Choices = ab }, "twice"},
		{"multi answer empty", func(q *Question) { q.Kind = Multi; q.Answer, q.AnswerFrom = ",", ""; q.Choices = ab }, "no key"},
		{"order answer incomplete", func(q *Question) { q.Kind = Order; q.Answer, q.AnswerFrom = "a", ""; q.Choices = ab }, "all 2 choices"},
	}
	for _, tt := range tests {
		q := base()
		tt.modify(&q)
		err := Validate(q)
		if err == nil {
			t.Errorf("%s: Validate succeeded", tt.name)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q does not mention %q", tt.name, err, tt.want)
		}
	}
}

func TestValidateRefUsage(t *testing.T) {
	err := ValidateRef("pod-node selector=app=web")
	if err == nil || !strings.Contains(err.Error(), "pod-node pod=…|index=… [selector=…]") {
		t.Errorf("ValidateRef error %v does not show the usage", err)
	}
	for _, name := range ProbeNames() {
		spec := probeSpecs()[name]
		args := map[string]string{}
		for _, k := range spec.required {
			args[k] = sampleArg(k)
		}
		if len(spec.oneOf) > 0 {
			args[spec.oneOf[0]] = sampleArg(spec.oneOf[0])
		}
		ref := Ref{Probe: name, Args: args}.String()
		if err := ValidateRef(ref); err != nil {
			t.Errorf("ValidateRef(%q): %v", ref, err)
		}
	}
}

func sampleArg(name string) string {
	switch name {
	case "index":
		return "1"
	case "resource":
		return "pods"
	case "selector":
		return "app=web"
	case "which":
		return "new"
	case "plugin":
		return "NodeResourcesFit"
	case "effect":
		return "NoExecute"
	}
	return "x"
}
