package lesson

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/cmd/progress"
	"github.com/k8slearn/k8slearn/cmd/sandbox"
	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/lessons"
	"github.com/k8slearn/k8slearn/locales"
	"github.com/k8slearn/k8slearn/quiz"
)

// walk replays a lesson on a fresh cluster with the given seed, as a learner who answers
// everything would see it, and calls at for every question when it is asked, with the player
// (its cluster as it is then) and the question.
func walk(t *testing.T, ls lessons.Lesson, seed uint64, at func(p *Player, q quiz.Question)) {
	t.Helper()
	l, err := locales.New("en")
	if err != nil {
		t.Fatal(err)
	}
	s, err := sandbox.New(sandbox.Config{Seed: seed, Nodes: ls.Nodes, L: l, Style: view.NewStyler(false)}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	p := &Player{cfg: Config{Lesson: ls, L: l, Record: &progress.Record{Seed: seed}},
		env: quiz.Env{Cluster: s.Cluster(), Namespace: "default"}, out: &lineEnds{w: io.Discard}}
	p.b = miniature{s: s, p: p}
	for _, st := range ls.Steps {
		if st.Quiz != nil {
			at(p, st.Quiz.Question())
		}
		p.replay(st)
	}
}

func allLessons(t testing.TB) []lessons.Lesson {
	t.Helper()
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// TestOrderQuestionsNeverGiveTheAnswerAway: for every order question of every lesson, over many
// seeds, neither the example under it nor the order its choices are listed in is the answer, and
// its text (which once held an example) holds no list of numbers.
func TestOrderQuestionsNeverGiveTheAnswerAway(t *testing.T) {
	en, _ := locales.New("en")
	zh, _ := locales.New("zh")
	numbers := regexp.MustCompile(`\d\s*[,，、]\s*\d`)
	asked := 0
	for _, ls := range allLessons(t) {
		for seed := uint64(1); seed <= 40; seed++ {
			walk(t, ls, seed, func(p *Player, q quiz.Question) {
				if q.Kind != quiz.Order {
					return
				}
				asked++
				prep, err := quiz.Prepare(q, p.env)
				if err != nil {
					t.Fatalf("%s seed %d: %v", ls.Name, seed, err)
				}
				var answer []string
				for _, k := range prep.Expected.List {
					for i, c := range prep.Choices {
						if c.Key == k {
							answer = append(answer, fmt.Sprint(i+1))
						}
					}
				}
				if ex := quiz.Example(prep); ex == strings.Join(answer, ",") || ex == "" {
					t.Errorf("%s/%s seed %d: the example %q is the answer", ls.Name, q.ID, seed, ex)
				}
				listed := true
				for i, k := range prep.Expected.List {
					listed = listed && prep.Choices[i].Key == k
				}
				if listed {
					t.Errorf("%s/%s seed %d: the choices are listed in the answer's order", ls.Name, q.ID, seed)
				}
				for _, loc := range []*locales.Localizer{en, zh} {
					if text := loc.T(q.Text, prep.TextArgs); numbers.MatchString(text) {
						t.Errorf("%s/%s: the question's text holds numbers that could be the answer: %q", ls.Name, q.ID, text)
					}
				}
			})
		}
	}
	if asked == 0 {
		t.Fatal("no order question was asked")
	}
}

// TestWhoActsNextFollowsCausality: a "which component acts next?" question read from the engine
// is asked only when one component can act next, for a reason: no other component has work due
// at the same moment, which in a real cluster would run at the same time (the simulator's order
// between them is no answer).
func TestWhoActsNextFollowsCausality(t *testing.T) {
	asked := 0
	for _, ls := range allLessons(t) {
		for seed := uint64(1); seed <= 12; seed++ {
			walk(t, ls, seed, func(p *Player, q quiz.Question) {
				if q.Kind != quiz.Next || q.Answer != "" || q.AnswerFrom != "" {
					return
				}
				asked++
				pending := p.env.Cluster.Pending()
				if len(pending) == 0 {
					return // "none": nothing can act
				}
				first := pending[0].Items[0].ReadyAt
				for _, other := range pending[1:] {
					if !other.Items[0].ReadyAt.After(first) {
						t.Errorf("%s/%s seed %d: %s and %s both have work due at %v: who acts next is the simulator's choice",
							ls.Name, q.ID, seed, pending[0].Component, other.Component, first)
					}
				}
			})
		}
	}
	if asked == 0 {
		t.Fatal("no who-acts-next question was asked")
	}
}
