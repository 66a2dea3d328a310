package quiz

import (
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
		{en, yn, wrong, "The right answer is yes; you answered no."},
		{zh, yn, wrong, "正确答案是 是，你的回答是 否。"},
		{en, yn, Grade(yn, ""), "The right answer is yes; you answered nothing."},
		{zh, prepared(Number, nil, numberValue(3)), Grade(prepared(Number, nil, numberValue(3)), "两"), "正确答案是 3，你的回答是 2。"},
		{en, prepared(Next, nil, textValue("")), Grade(prepared(Next, nil, textValue("")), "kubelet"),
			"The right answer is no component (nothing is pending); you answered kubelet."},
		{en, prepared(Text, nil, textValue("none")), Grade(prepared(Text, nil, textValue("none")), "rs/web"),
			"The right answer is none; you answered rs/web."},
		{zh, prepared(Multi, literals("node-1", "node-2"), listValue([]string{"node-1", "node-2"})),
			Grade(prepared(Multi, literals("node-1", "node-2"), listValue([]string{"node-1", "node-2"})), "1"),
			"正确答案是 node-1、node-2，你的回答是 node-1。"},
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
