package sandbox

import (
	"io"
	"testing"
	"time"

	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/lessons"
	"github.com/k8slearn/k8slearn/locales"
	"github.com/k8slearn/k8slearn/quiz"
)

// BenchmarkLessonSteps replays each lesson's steps on a session, as the lesson player does, and
// reports the slowest step (issue 3 wants each under 50 ms) in wall and in CPU time, and the
// CPU time of the whole lesson. A step is a kubectl command, a view, the engine running until a
// component acted or until idle (with the map redrawn), or a question prepared from the cluster.
func BenchmarkLessonSteps(b *testing.B) {
	all, err := lessons.All()
	if err != nil {
		b.Fatal(err)
	}
	l, err := locales.New("en")
	if err != nil {
		b.Fatal(err)
	}
	for _, ls := range all {
		b.Run(ls.Name, func(b *testing.B) {
			var slowest, slowestCPU, total time.Duration
			for b.Loop() {
				s, err := New(Config{Seed: 3, Nodes: ls.Nodes, L: l, Style: view.NewStyler(false)}, io.Discard)
				if err != nil {
					b.Fatal(err)
				}
				env := quiz.Env{Cluster: s.Cluster(), Namespace: "default"}
				lessonCPU := cpuTime()
				for _, st := range ls.Steps {
					start, startCPU := time.Now(), cpuTime()
					switch st.Kind() {
					case "run":
						values := map[string]any{}
						for k, ref := range st.RunArgs {
							v, err := quiz.Evaluate(ref, env)
							if err != nil {
								b.Fatal(err)
							}
							values[k] = v.String()
						}
						line := st.Run
						if len(values) > 0 {
							var err error
							if line, err = lessons.ExpandRun(st.Run, values); err != nil {
								b.Fatal(err)
							}
						}
						s.Exec(line)
					case "show":
						s.Exec(st.Show)
					case "step":
						if st.Step == "idle" {
							s.Exec("run")
						} else {
							s.Exec("step " + st.Step)
							s.DrawMap()
						}
					case "quiz":
						if _, err := quiz.Prepare(st.Quiz.Question(), env); err != nil {
							b.Fatal(err)
						}
					}
					slowest = max(slowest, time.Since(start))
					slowestCPU = max(slowestCPU, cpuTime()-startCPU)
				}
				total = max(total, cpuTime()-lessonCPU)
			}
			b.ReportMetric(float64(slowest.Microseconds())/1000, "ms/slowest-step")
			b.ReportMetric(float64(slowestCPU.Microseconds())/1000, "ms-cpu/slowest-step")
			b.ReportMetric(float64(total.Microseconds())/1000, "ms-cpu/lesson")
		})
	}
}
