package cli

import (
	"bytes"
	"io"
	"testing"

	"github.com/k8slearn/k8slearn/lessons"
)

// BenchmarkLessonPlay plays each lesson in plain mode, as a learner who reveals every answer
// would: issue 10 wants a whole lesson under 2 s. (The time of each step is
// BenchmarkLessonSteps in cmd/sandbox.)
func BenchmarkLessonPlay(b *testing.B) {
	all, err := lessons.All()
	if err != nil {
		b.Fatal(err)
	}
	showAll := func(out string) string {
		if atExplore(out, exploreHelp("en")) {
			return ""
		}
		return "show"
	}
	for _, ls := range all {
		b.Run(ls.Name, func(b *testing.B) {
			for b.Loop() {
				home := b.TempDir()
				var out bytes.Buffer
				io := IO{In: &autoAnswer{out: &out, answer: showAll}, Out: &out, Err: io.Discard,
					Getenv: func(k string) string {
						if k == "K8SLEARN_HOME" {
							return home
						}
						return ""
					}}
				if code := Main([]string{"lesson", ls.Name, "--plain", "--lang", "en", "--seed", "3"}, io); code != 0 {
					b.Fatalf("exit %d", code)
				}
			}
		})
	}
}
