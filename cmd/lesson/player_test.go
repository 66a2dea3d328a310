package lesson

import (
	"bytes"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/cmd/progress"
	"github.com/k8slearn/k8slearn/cmd/prompt"
	"github.com/k8slearn/k8slearn/cmd/sandbox"
	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/lessons"
	"github.com/k8slearn/k8slearn/locales"
)

// panicsOnFirstAsk is a prompter with a bug: its first question panics.
type panicsOnFirstAsk struct {
	prompt.Prompter
	asked bool
}

func (p *panicsOnFirstAsk) Ask(label string) (string, error) {
	if !p.asked {
		p.asked = true
		panic("prompter bug")
	}
	return p.Prompter.Ask(label)
}

// TestPanicsCostNoLesson: a command that panics in a run step or at an explore step, and a quiz
// step that panics, are each reported in one line naming them; the lesson goes on to its end.
func TestPanicsCostNoLesson(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			l, err := locales.New(lang)
			if err != nil {
				t.Fatal(err)
			}
			english, err := locales.New("en")
			if err != nil {
				t.Fatal(err)
			}
			ls := lessons.Lesson{Name: "test", Title: "lesson.pod.title", Summary: "lesson.pod.summary", Steps: []lessons.Step{
				{Run: "run nginx --image=nginx"},
				{Run: "kubectl describe pod nginx"},
				{Quiz: &lessons.QuizStep{ID: "q1", Kind: "text", Text: "lesson.pod.talks_to.text", Answer: "kube-apiserver"}},
				{Explore: "lesson.pod.intro"},
				{Quiz: &lessons.QuizStep{ID: "q2", Kind: "text", Text: "lesson.pod.talks_to.text", Answer: "kube-apiserver"}},
			}}
			var out bytes.Buffer
			in := strings.NewReader("kubectl get pods\netcd /registry/pods/\n\nkube-apiserver\n")
			rec := &progress.Record{Seed: 1, Answers: map[string]progress.Answer{}}
			saves := 0
			err = Play(Config{Lesson: ls, L: l, English: english, Style: view.NewStyler(false),
				Prompt: &panicsOnFirstAsk{Prompter: prompt.NewPlain(in, &out)}, Out: &out, Record: rec,
				Save:     func() error { saves++; return nil },
				Commands: map[string]sandbox.Command{"kubectl": func(line string, _ []string) bool { panic("kubectl bug") }}})
			if err != nil {
				t.Fatalf("Play: %v\n%s", err, out.String())
			}
			text := out.String()
			for _, cmd := range []string{"kubectl describe pod nginx", "quiz q1", "kubectl get pods"} {
				want := l.T("sandbox.internal_error", map[string]any{"Command": cmd, "Panic": map[bool]string{true: "prompter bug", false: "kubectl bug"}[cmd == "quiz q1"]})
				if !strings.Contains(text, want+"\n") {
					t.Errorf("no %q in:\n%s", want, text)
				}
			}
			if !strings.Contains(text, "/registry/pods/default/nginx") {
				t.Errorf("the command after the panic did not run:\n%s", text)
			}
			if !rec.Done || rec.Answers["q2"] != (progress.Answer{Correct: true}) || saves < len(ls.Steps) {
				t.Errorf("the lesson did not go on to its end: %+v, %d saves\n%s", rec, saves, text)
			}
		})
	}
}
