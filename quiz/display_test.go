package quiz

import (
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/locales"
)

func TestDisplayInBothLanguages(t *testing.T) {
	en, err := locales.New("en")
	if err != nil {
		t.Fatal(err)
	}
	zh, err := locales.New("zh")
	if err != nil {
		t.Fatal(err)
	}
	yn := prepared(SingleChoice, yesNoChoices(), textValue("yes"))
	labels := Labels(yn, en, zh)
	if got := labels["yes"]; len(got) != 2 || got[0] != "yes" || got[1] != "是" {
		t.Errorf("Labels yes = %q", got)
	}
	if r := GradeWithLabels(yn, "是", labels); !r.Correct {
		t.Errorf("是 with labels: %+v", r)
	}

	wrong := Grade(yn, "no")
	tests := []struct {
		loc  *locales.Localizer
		p    Prepared
		r    Result
		want string
	}{
		{en, yn, wrong, "The right answer is 1) yes; you answered 2) no."},
		{zh, yn, wrong, "正确答案是 1) 是，你的回答是 2) 否。"},
		{en, yn, Grade(yn, ""), "The right answer is 1) yes; you answered nothing."},
		{zh, prepared(Number, nil, numberValue(3)), Grade(prepared(Number, nil, numberValue(3)), "两"), "正确答案是 3，你的回答是 2。"},
		{en, prepared(Next, nil, textValue("")), Grade(prepared(Next, nil, textValue("")), "kubelet"),
			"The right answer is no component (nothing is pending); you answered kubelet."},
		{en, prepared(Text, nil, textValue("none")), Grade(prepared(Text, nil, textValue("none")), "rs/web"),
			"The right answer is none; you answered rs/web."},
		{zh, prepared(Multi, literals("node-1", "node-2"), listValue([]string{"node-1", "node-2"})),
			Grade(prepared(Multi, literals("node-1", "node-2"), listValue([]string{"node-1", "node-2"})), "1"),
			"正确答案是 1) node-1、2) node-2，你的回答是 1) node-1。"},
	}
	for _, tt := range tests {
		if got := Feedback(tt.loc, tt.p, tt.r); got != tt.want {
			t.Errorf("Feedback(%s) = %q, want %q", tt.loc.Lang(), got, tt.want)
		}
	}
	if got := ChoiceText(zh, Choice{Key: "no", Label: "common.no"}); got != "否" {
		t.Errorf("ChoiceText = %q", got)
	}
	if got := ChoiceText(zh, Choice{Key: "n1", Literal: "node-1"}); got != "node-1" {
		t.Errorf("ChoiceText literal = %q", got)
	}
}

// TestRevealInIsAcceptedAndReadable: the "= " line is in the learner's language, shows a choice's
// number and text, and is accepted when fed back, with the labels the lesson passes.
func TestRevealInIsAcceptedAndReadable(t *testing.T) {
	en, _ := locales.New("en")
	zh, _ := locales.New("zh")
	labelled := []Choice{{Key: "relist", Label: "common.yes"}, {Key: "own_disk", Label: "common.no"}}
	tests := []struct {
		loc  *locales.Localizer
		p    Prepared
		want string
	}{
		{zh, prepared(SingleChoice, yesNoChoices(), textValue("no")), "2) 否"},
		{en, prepared(SingleChoice, yesNoChoices(), textValue("no")), "2) no"},
		{zh, prepared(SingleChoice, labelled, textValue("relist")), "1) 是"},
		{zh, prepared(Multi, literals("a", "b", "c"), listValue([]string{"a", "c"})), "1) a；3) c"},
		{en, prepared(Order, literals("containerd", "default-scheduler", "kubelet"), listValue([]string{"default-scheduler", "kubelet", "containerd"})),
			"2) default-scheduler; 3) kubelet; 1) containerd"},
		{zh, prepared(Multi, literals("a", "b"), listValue(nil)), "无"},
		{zh, prepared(Next, literals("kubelet", "containerd"), textValue("")), "无"},
		{en, prepared(Next, literals("kubelet", "containerd"), textValue("")), "none"},
		{zh, prepared(Next, literals("kubelet", "containerd"), textValue("kubelet/node-1")), "1) kubelet/node-1"},
		{en, prepared(Next, literals("deployment-controller", "kubelet"), textValue("deployment-controller")), "1) deployment-controller"},
		{en, prepared(Next, nil, textValue("kubelet/node-2")), "kubelet/node-2"},
		{zh, prepared(Text, nil, textValue("none")), "无"},
		{zh, prepared(Number, nil, numberValue(3)), "3"},
	}
	for _, tt := range tests {
		got := RevealIn(tt.loc, tt.p)
		if got != tt.want {
			t.Errorf("RevealIn(%s, %s) = %q, want %q", tt.loc.Lang(), tt.p.Question.Kind, got, tt.want)
		}
		if r := GradeWithLabels(tt.p, got, Labels(tt.p, tt.loc, en)); !r.Correct {
			t.Errorf("RevealIn(%s) = %q is not accepted: %+v", tt.loc.Lang(), got, r)
		}
	}
}

// TestFormatAndProblems: an answer without the question's form says why, and how to answer, in
// the learner's language.
func TestFormatAndProblems(t *testing.T) {
	en, _ := locales.New("en")
	zh, _ := locales.New("zh")
	order := prepared(Order, literals("a", "b", "c"), listValue([]string{"c", "a", "b"}))
	tests := []struct {
		loc   *locales.Localizer
		p     Prepared
		input string
		want  string
	}{
		{en, prepared(SingleChoice, literals("a", "b", "c"), textValue("a")), "7", "There is no choice 7. Answer with a number from 1 to 3, or the choice's words."},
		{zh, prepared(SingleChoice, literals("a", "b", "c"), textValue("a")), "7", "没有选项 7。请输入 1 到 3 之间的编号，或者选项的文字。"},
		{en, prepared(SingleChoice, yesNoChoices(), textValue("no")), "maybe", "\"maybe\" is none of the choices. Answer yes or no (or 1 or 2)."},
		{zh, prepared(Number, nil, numberValue(3)), "many", "“many”不是一个数。请输入一个数。"},
		{en, order, "1,2", "Put every choice in the order, each once. Answer with all 3 numbers in order, separated by commas, for example: 2,3,1."},
		{zh, prepared(Text, nil, textValue("web")), "", "请先输入答案（也可以输入 hint、show 或 skip）。请输入文字作答。"},
	}
	for _, tt := range tests {
		r := GradeWithLabels(tt.p, tt.input, Labels(tt.p, tt.loc, en))
		if r.Valid() {
			t.Errorf("%q is valid for %s: %+v", tt.input, tt.p.Question.Kind, r)
			continue
		}
		if got := ProblemText(tt.loc, tt.p, r, tt.input); got != tt.want {
			t.Errorf("ProblemText(%s, %q) = %q, want %q", tt.loc.Lang(), tt.input, got, tt.want)
		}
	}
}

// What the learner typed is quoted back cut to 40 columns, by display width: a Chinese answer is
// cut at 20 characters, not at 40 (80 columns).
func TestShortInputCutsByDisplayWidth(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"  kube-apiserver  ", "kube-apiserver"},
		{strings.Repeat("a", 40), strings.Repeat("a", 40)},
		{strings.Repeat("a", 41), strings.Repeat("a", 39) + "…"},
		{strings.Repeat("调度器", 10), strings.Repeat("调度器", 6) + "调…"},
	} {
		if got := shortInput(tt.in); got != tt.want {
			t.Errorf("shortInput(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
