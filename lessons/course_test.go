package lessons_test

import (
	"testing"

	"github.com/k8slearn/k8slearn/lessons"
	"github.com/k8slearn/k8slearn/quiz"
)

// TestLessonsOnChangeHaveTheirQuestions checks issue 10's rule for its six lessons, those that
// exist so far: 8 to 14 questions, at least 6 of them answered from the live cluster.
func TestLessonsOnChangeHaveTheirQuestions(t *testing.T) {
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	ruled := map[string]bool{"watch": true, "self-healing": true, "scheduling": true, "rolling-update": true,
		"service": true, "troubleshooting": true}
	for _, l := range all {
		if !ruled[l.Name] {
			continue
		}
		n, live := 0, 0
		for _, s := range l.Steps {
			if s.Quiz == nil {
				continue
			}
			n++
			if q := s.Quiz.Question(); q.AnswerFrom != "" || (q.Kind == quiz.Next && q.Answer == "") {
				live++
			}
		}
		if n < 8 || n > 14 || live < 6 {
			t.Errorf("%s: %d questions, %d answered from the cluster; want 8 to 14, at least 6", l.Name, n, live)
		}
	}
}
