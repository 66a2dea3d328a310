package lesson

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/k8slearn/k8slearn/cmd/progress"
	"github.com/k8slearn/k8slearn/cmd/prompt"
	"github.com/k8slearn/k8slearn/cmd/sandbox"
	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/locales"
	"github.com/k8slearn/k8slearn/quiz"
)

// BenchmarkLesson plays each lesson in Chinese with "show" at every question, as plain mode does
// but without the progress file, and reports the slowest step (a step is what a learner waits for
// after Enter or an answer: the budget is 50 ms) and the whole lesson (budget 2 s).
//
//	go test ./cmd/lesson -run x -bench Lesson -benchtime 5x
func BenchmarkLesson(b *testing.B) {
	l, _ := locales.New("zh")
	english, _ := locales.New("en")
	for _, ls := range allLessons(b) {
		b.Run(ls.Name, func(b *testing.B) {
			var slowest time.Duration
			for b.Loop() {
				in := strings.NewReader(strings.Repeat("show\n", 64))
				cfg := Config{Lesson: ls, L: l, English: english, Style: view.NewStyler(false), Prompt: prompt.NewPlain(in, io.Discard),
					Out: io.Discard, Record: &progress.Record{Seed: 3, Answers: map[string]progress.Answer{}}, Save: func() error { return nil }}
				s, err := sandbox.New(sandbox.Config{Seed: 3, Nodes: ls.Nodes, L: l, Style: cfg.Style}, io.Discard)
				if err != nil {
					b.Fatal(err)
				}
				out := &lineEnds{w: io.Discard, atStart: true}
				s.SetOutput(out)
				p := &Player{cfg: cfg, env: quiz.Env{Cluster: s.Cluster(), Namespace: "default"}, out: out}
				p.b = miniature{s: s, p: p}
				for _, st := range ls.Steps {
					start := time.Now()
					if err := p.do(st); err != nil {
						b.Fatal(err)
					}
					slowest = max(slowest, time.Since(start))
				}
				p.summary()
			}
			b.ReportMetric(float64(slowest.Microseconds())/1000, "slowest-step-ms")
		})
	}
}
