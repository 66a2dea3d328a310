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

// pausingPrompter answers Pause with the lines of typed, one per call, then "" (Enter).
type pausingPrompter struct {
	prompt.Prompter
	typed []string
}

func (p *pausingPrompter) Pause(string) (string, error) {
	if len(p.typed) == 0 {
		return "", nil
	}
	line := p.typed[0]
	p.typed = p.typed[1:]
	return line, nil
}

// TestTextTypedAtAPauseIsNotDropped: at a "Press Enter" pause a read-only command runs, a
// command that would change the cluster is refused, and anything else is answered with what the
// learner can do now; the pause then waits again, and Enter goes on.
func TestTextTypedAtAPauseIsNotDropped(t *testing.T) {
	for _, tc := range []struct{ lang, typedAnswer, refused string }{
		{"en", `Nothing is being asked now, so "node-1" was not taken as an answer. Press Enter to let default-scheduler act`, "While a question is open you can only look"},
		{"zh", "现在没有在提问，所以“node-1”没有被当作答案。按 Enter 让 default-scheduler 行动", "答题期间只能查看集群"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			l, _ := locales.New(tc.lang)
			english, _ := locales.New("en")
			ls := lessons.Lesson{Name: "test", Title: "lesson.pod.title", Summary: "lesson.pod.summary", Steps: []lessons.Step{
				{Run: "kubectl run nginx --image=nginx"},
				{Step: "default-scheduler"},
			}}
			var out bytes.Buffer
			pr := &pausingPrompter{Prompter: prompt.NewPlain(strings.NewReader(""), &out),
				typed: []string{"kubectl get pods", "node-1", "kubectl delete pod nginx"}}
			rec := &progress.Record{Seed: 3, Answers: map[string]progress.Answer{}}
			err := Play(Config{Lesson: ls, L: l, English: english, Style: view.NewStyler(false), Prompt: pr, Out: &out,
				Record: rec, Save: func() error { return nil }, Interactive: true})
			if err != nil {
				t.Fatal(err)
			}
			text := strings.NewReplacer("\n", "", " ", "").Replace(out.String())
			for _, want := range []string{"NAME READY STATUS", tc.typedAnswer, tc.refused, "default-scheduler"} {
				if !strings.Contains(text, strings.ReplaceAll(want, " ", "")) {
					t.Errorf("want %q in:\n%s", want, out.String())
				}
			}
			if len(pr.typed) != 0 || !rec.Done {
				t.Errorf("the pause did not take every line, or the lesson did not end: %v, done %v", pr.typed, rec.Done)
			}
			for _, line := range strings.Split(out.String(), "\n") {
				if strings.HasPrefix(line, tc.refused) && view.Width(line) > Width {
					t.Errorf("the refusal is not wrapped to %d columns: %q", Width, line)
				}
			}
			if strings.Index(out.String(), "NAME") > strings.Index(out.String(), "#2 default-scheduler") {
				t.Errorf("the component acted before the pause ended:\n%s", out.String())
			}
		})
	}
}

// labelsPrompter records the labels of the pauses it is asked for, and types typed at the first.
type labelsPrompter struct {
	prompt.Prompter
	labels []string
	typed  []string
}

func (p *labelsPrompter) Pause(label string) (string, error) {
	p.labels = append(p.labels, label)
	if len(p.typed) == 0 {
		return "", nil
	}
	line := p.typed[0]
	p.typed = p.typed[1:]
	return line, nil
}

// TestTimePassesWhenTheLearnerSaysSo: a run step that lets time pass (wait) pauses as a step does,
// naming how long; a fault and a run_args line run at once, and the line shows the probe's value.
func TestTimePassesWhenTheLearnerSaysSo(t *testing.T) {
	l, _ := locales.New("en")
	ls := lessons.Lesson{Name: "test", Title: "lesson.pod.title", Summary: "lesson.pod.summary", Steps: []lessons.Step{
		{Run: "kubectl create deployment web --image=nginx --replicas=2"},
		{Step: "idle"},
		{Run: "kubectl delete pod {{.Pod}}", RunArgs: map[string]string{"Pod": "pod-name index=1 selector=app=web"}},
		{Run: "fault node node-2 down"},
		{Run: "wait 1m"},
		{Run: "kubectl get nodes"},
	}}
	var out bytes.Buffer
	pr := &labelsPrompter{Prompter: prompt.NewPlain(strings.NewReader(""), &out), typed: []string{"", "hello"}}
	rec := &progress.Record{Seed: 3, Answers: map[string]progress.Answer{}}
	err := Play(Config{Lesson: ls, L: l, English: l, Style: view.NewStyler(false), Prompt: pr, Out: &out,
		Record: rec, Save: func() error { return nil }, Interactive: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Press Enter to let deployment-controller act", "Press Enter to let 1m pass", "Press Enter to let 1m pass"}
	if strings.Join(pr.labels, "|") != strings.Join(want, "|") {
		t.Errorf("pauses %q, want %q", pr.labels, want)
	}
	text := out.String()
	for _, w := range []string{`so "hello" was not taken as an answer. Press Enter to let 1m pass, or type`,
		"$ kubectl delete pod web-5fc9f4bf66-", "$ fault node node-2 down", "node-2   NotReady"} {
		if !strings.Contains(strings.ReplaceAll(text, "\n", " "), w) {
			t.Errorf("want %q in:\n%s", w, text)
		}
	}
	if strings.Index(text, "$ wait 1m") < strings.Index(text, `"hello"`) {
		t.Errorf("time passed before the pause ended:\n%s", text)
	}
}
