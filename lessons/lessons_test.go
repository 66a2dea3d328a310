package lessons_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/lessons"
	"github.com/k8slearn/k8slearn/locales"
	"github.com/k8slearn/k8slearn/quiz"
)

func TestEveryLessonLoadsAndEveryMessageExists(t *testing.T) {
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"components": false, "pod": false, "deployment": false}
	for _, lang := range locales.Supported() {
		ids, err := locales.IDs(lang)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, id := range ids {
			have[id] = true
		}
		for _, l := range all {
			want[l.Name] = true
			for _, id := range l.MessageIDs() {
				if !have[id] {
					t.Errorf("%s: lesson %s refers to message %q, missing in %s.toml", lang, l.Name, id, lang)
				}
			}
		}
	}
	for name, found := range want {
		if !found {
			t.Errorf("lesson %s is missing", name)
		}
	}
}

// TestEveryLessonHasEnoughQuestions checks issue 3's rule: at least six questions of at least three
// kinds, at least two answered from the cluster (seed-dependent), and a "which component acts
// next" question.
func TestEveryLessonHasEnoughQuestions(t *testing.T) {
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		kinds := map[quiz.Kind]bool{}
		fromState := 0
		n := 0
		for _, s := range l.Steps {
			if s.Quiz == nil {
				continue
			}
			n++
			q := s.Quiz.Question()
			kinds[q.Kind] = true
			if q.AnswerFrom != "" || q.Kind == quiz.Next {
				fromState++
			}
		}
		if n < 6 || len(kinds) < 3 || fromState < 2 {
			t.Errorf("%s: %d questions of %d kinds, %d answered from the cluster; want at least 6, 3, 2", l.Name, n, len(kinds), fromState)
		}
		if !kinds[quiz.Next] {
			t.Errorf("%s: no \"which component acts next\" question", l.Name)
		}
	}
}

func TestCheckRejectsBrokenLessons(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"unknown field", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- sya: a.d\n", "unknown field"},
		{"two actions", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- say: a.d\n  run: kubectl get pods\n", "exactly one thing"},
		{"empty step", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- {}\n", "exactly one thing"},
		{"bad view", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- show: telescope\n", "unknown view"},
		{"run without kubectl", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- run: rm -rf /\n", "command line of kubectl, curl"},
		{"run of a bare word", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- run: kubectl\n", "command line of"},
		{"run_args unknown probe", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- run: fault probe {{.Pod}} fail\n  run_args: {Pod: crystal-ball}\n", "crystal-ball"},
		{"run_args missing variable", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- run: fault probe {{.Pod}} fail\n  run_args: {Node: pod-name index=1}\n", "Pod"},
		{"run template broken", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- run: curl {{.Port\n  run_args: {Port: store-revision}\n", "curl"},
		{"real not skip", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- run: fault node node-2 down\n  real: maybe\n", "real must be skip or only"},
		{"real only a question", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- real: only\n  quiz: {id: q, kind: number, text: a.q, answer_from: store-revision}\n", "real: only is for a command"},
		{"real only with a note", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- real: only\n  real_note: a.n\n  run: wait 5s\n", "add real: skip"},
		{"real_note alone", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- run: fault node node-2 down\n  real_note: a.n\n", "add real: skip"},
		{"real alone", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- real: skip\n", "exactly one thing"},
		{"no title", "name: x\nsummary: a.c\nsteps: []\n", "title"},
		{"duplicate question", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- quiz: {id: q, kind: number, text: a.q, answer_from: store-revision}\n- quiz: {id: q, kind: number, text: a.q, answer_from: store-revision}\n", "used twice"},
		{"unknown probe", "name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- quiz: {id: q, kind: number, text: a.q, answer_from: crystal-ball}\n", "crystal-ball"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lessons.Parse([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// A run step may run the sandbox's traffic, fault and clock commands, with variables from probes;
// without run_args a line is left as written ({{ may be kubectl's own go-template).
func TestRunStepsAndTheirArgs(t *testing.T) {
	for _, line := range []string{"kubectl get pods", "curl web", "nslookup web", "proxy node-1", "fault probe web fail", "wait 20s",
		"kubectl get pods -o go-template={{.kind}}"} {
		if _, err := lessons.Parse([]byte("name: x\ntitle: a.b\nsummary: a.c\nsteps:\n- run: '" + line + "'\n")); err != nil {
			t.Errorf("run %q: %v", line, err)
		}
	}
	got, err := lessons.ExpandRun("curl 172.18.0.3:{{.Port}}", map[string]any{"Port": "30080"})
	if err != nil || got != "curl 172.18.0.3:30080" {
		t.Errorf("ExpandRun: %q, %v", got, err)
	}
	if _, err := lessons.ExpandRun("curl {{.Port}}", map[string]any{}); err == nil {
		t.Error("ExpandRun filled a variable it was not given")
	}
}

// TestCompiledLessonsMatchTheFiles keeps lessons_gen.go in step with the YAML files.
func TestCompiledLessonsMatchTheFiles(t *testing.T) {
	parsed, err := lessons.ParseAll()
	if err != nil {
		t.Fatal(err)
	}
	compiled, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(parsed, compiled) {
		t.Fatal("lessons_gen.go differs from the lesson files: run go generate ./lessons")
	}
}

// TestTheCourse: the lessons make a course in which every requirement comes earlier, and a new
// lesson slots in by its file alone: placed by its order, suggested after what it requires.
func TestTheCourse(t *testing.T) {
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	if err := lessons.CheckCourse(all); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range all {
		names = append(names, l.Name)
	}
	if got := strings.Join(names, " "); !strings.HasPrefix(got, "components pod deployment") {
		t.Errorf("course order %q", got)
	}
	finished := func(done ...string) func(string) bool {
		return func(n string) bool { return slices.Contains(done, n) }
	}
	for _, tt := range []struct {
		after string
		done  []string
		want  string
	}{
		{"", nil, "components"},
		{"components", []string{"components"}, "pod"},
		{"pod", []string{"components", "pod"}, "deployment"},
		{"deployment", []string{"deployment"}, "components"}, // the first unfinished, whose requirements are met
		{"deployment", names, ""},
	} {
		got, ok := lessons.Suggest(all, tt.after, finished(tt.done...))
		if (tt.want == "") == ok || got.Name != tt.want {
			t.Errorf("after %q with %v finished: %q, %v; want %q", tt.after, tt.done, got.Name, ok, tt.want)
		}
	}
	// A lesson added later: its file gives its place and what it needs; nothing else changes.
	later := lessons.Lesson{Name: "later", Order: 1000, Requires: []string{"deployment"}, Title: "a.b", Summary: "a.c"}
	grown := append(append([]lessons.Lesson{}, all...), later)
	if err := lessons.CheckCourse(grown); err != nil {
		t.Fatal(err)
	}
	if got, _ := lessons.Suggest(grown, names[len(names)-1], finished(names...)); got.Name != "later" {
		t.Errorf("after the last lesson the course suggests %q, want the one added", got.Name)
	}
	if n := lessons.Number(grown, "later"); n != len(all)+1 {
		t.Errorf("the added lesson is lesson %d", n)
	}
	if m := lessons.Missing(later, finished("components")); !slices.Equal(m, []string{"deployment"}) {
		t.Errorf("missing %v", m)
	}
}

func TestCheckCourseRejectsBrokenCourses(t *testing.T) {
	l := func(name string, order int, requires []string, next string) lessons.Lesson {
		return lessons.Lesson{Name: name, Order: order, Requires: requires, Next: next}
	}
	for _, tt := range []struct {
		name string
		all  []lessons.Lesson
		want string
	}{
		{"same order", []lessons.Lesson{l("a", 1, nil, ""), l("b", 1, nil, "")}, "both have order 1"},
		{"no order", []lessons.Lesson{l("a", 0, nil, "")}, "positive"},
		{"unknown requirement", []lessons.Lesson{l("a", 1, []string{"zz"}, "")}, "does not exist"},
		{"later requirement", []lessons.Lesson{l("a", 1, []string{"b"}, ""), l("b", 2, nil, "")}, "comes later"},
		{"itself next", []lessons.Lesson{l("a", 1, nil, "a")}, "not another lesson"},
		{"unknown next", []lessons.Lesson{l("a", 1, nil, "zz")}, "not another lesson"},
		{"same name", []lessons.Lesson{l("a", 1, nil, ""), l("a", 2, nil, "")}, "two lessons"},
	} {
		if err := lessons.CheckCourse(tt.all); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}
