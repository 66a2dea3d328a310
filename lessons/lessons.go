// Package lessons holds the lesson definitions: language-neutral scripts, embedded in the binary.
// Every sentence a lesson shows is a message ID in locales/; every answer comes from a probe that
// reads the miniature cluster when the question is asked.
//
// The lessons make a course. A lesson file says where it goes and what it builds on:
//
//	order: 3                 its place in the course (unique; gaps are fine); lessons are numbered by it
//	requires: [pod]          lessons to finish first (earlier in the course); the menu and the
//	                         lesson say so, but never stop a learner
//	next: NAME               optional: the lesson to suggest after this one; without it, the first
//	                         lesson in course order that is not finished and whose requirements are
//	                         (so a new lesson slots in by adding its file, nothing else changes)
//
// A lesson file (lessons/*.yaml) is a list of steps; each step does one thing:
//
//	say: MESSAGE-ID          narrate (say_args fills template variables from probes)
//	run: kubectl …           run a kubectl command against the cluster and show its output; also
//	                         the sandbox's curl, nslookup, proxy, fault and wait (RunCommands).
//	                         run_args fills template variables from probes, as say_args does:
//	                         run: fault probe {{.Pod}} fail, run_args: {Pod: pod-name index=1}
//	step: one | idle | COMPONENT
//	                         let one component act, all of them until idle, or until COMPONENT acted
//	show: map | trace | pending | etcd PREFIX | get … | describe … | why POD
//	                         show a view of the cluster
//	quiz: {question}         ask a question (see quiz.Question); the learner may look around first.
//	                         A choice may list synonyms by language, the words the lesson's own
//	                         text uses for it: {key: pod, label: …, synonyms: {en: [a bare pod], zh: [裸 pod]}}
//	                         (the glossary in quiz/terms.go already knows the parts of a cluster)
//	explore: MESSAGE-ID      let the learner run read-only commands until they press Enter
//
// Any step may add, for a lesson played on a real cluster (--kubeconfig):
//
//	real: skip               leave the step out there (a fault no lesson may cause on a real
//	                         cluster, a question about what it does not show); a question left
//	                         out does not count
//	real_note: MESSAGE-ID    said there in its place
//	real: only               a command run only there (a run step): a wait for what a real
//	                         cluster does in its own time, which the miniature did at once
//
// The lesson's nodes are node-1, node-2… as the miniature names them. On a real cluster they stand
// for its schedulable nodes, sorted by name: the steps' commands, probes and answers are renamed
// (Step.OnNodes), and a text names a node as {{.Node1}}, {{.Node2}}… A lesson whose story needs
// more nodes than its steps name says so with real_nodes: N; a cluster with fewer is refused
// before the lesson starts.
package lessons

//go:generate go run ./gen

import (
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"
	"text/template"

	"sigs.k8s.io/yaml"

	"github.com/k8slearn/k8slearn/quiz"
)

//go:embed *.yaml
var files embed.FS

// Lesson is one lesson.
type Lesson struct {
	Name     string   `json:"name"`
	Order    int      `json:"order"`
	Requires []string `json:"requires,omitempty"` // lessons to finish first
	Next     string   `json:"next,omitempty"`     // the lesson to suggest after this one ("": the course's next)
	Title    string   `json:"title"`              // message ID
	Summary  string   `json:"summary"`            // message ID
	Nodes    int      `json:"nodes,omitempty"`
	// RealNodes is how many schedulable nodes the lesson needs on a real cluster, where its
	// node-1, node-2… stand for the cluster's own (see Nodes); a step that names a higher node-N
	// raises it (NodesNamed).
	RealNodes int    `json:"real_nodes,omitempty"`
	Steps     []Step `json:"steps"`
}

// Step is one thing a lesson does. Exactly one of the action fields is set.
type Step struct {
	Say     string            `json:"say,omitempty"`
	SayArgs map[string]string `json:"say_args,omitempty"` // template variable -> probe ref
	Run     string            `json:"run,omitempty"`
	RunArgs map[string]string `json:"run_args,omitempty"` // template variable -> probe ref
	Step    string            `json:"step,omitempty"`
	Show    string            `json:"show,omitempty"`
	Quiz    *QuizStep         `json:"quiz,omitempty"`
	Explore string            `json:"explore,omitempty"`
	// Real: "skip" leaves the step out when the lesson plays on a real cluster (a step that needs
	// a fault no lesson may cause there, a question about what a real cluster does not show);
	// a question left out does not count. RealNote is a message ID said there instead. "only"
	// runs a command on a real cluster alone, as a wait for what the stepped miniature has done
	// already.
	Real     string `json:"real,omitempty"`
	RealNote string `json:"real_note,omitempty"`
}

// SkippedOnReal reports whether a real cluster leaves the step out.
func (s Step) SkippedOnReal() bool { return s.Real == "skip" }

// OnlyOnReal reports whether only a real cluster plays the step.
func (s Step) OnlyOnReal() bool { return s.Real == "only" }

// QuizStep is a question as a lesson file writes it.
type QuizStep struct {
	ID          string            `json:"id"`
	Kind        string            `json:"kind"`
	Text        string            `json:"text"`
	Args        map[string]string `json:"args,omitempty"`
	Choices     []ChoiceStep      `json:"choices,omitempty"`
	ChoicesFrom string            `json:"choices_from,omitempty"`
	Answer      string            `json:"answer,omitempty"`
	AnswerFrom  string            `json:"answer_from,omitempty"`
	Hints       []string          `json:"hints,omitempty"`
	Explain     string            `json:"explain,omitempty"`
}

// ChoiceStep is one option: a message ID label, or a literal shown as is. Synonyms are more words
// for it by language (en, zh), as the lesson's text calls it (see quiz.Choice).
type ChoiceStep struct {
	Key      string              `json:"key"`
	Label    string              `json:"label,omitempty"`
	Literal  string              `json:"literal,omitempty"`
	Synonyms map[string][]string `json:"synonyms,omitempty"`
}

// Question converts the step into the quiz package's question.
func (q *QuizStep) Question() quiz.Question {
	out := quiz.Question{ID: q.ID, Kind: quiz.Kind(q.Kind), Text: q.Text, Args: q.Args, ChoicesFrom: q.ChoicesFrom,
		Answer: q.Answer, AnswerFrom: q.AnswerFrom, Hints: q.Hints, Explain: q.Explain}
	for _, c := range q.Choices {
		out.Choices = append(out.Choices, quiz.Choice{Key: c.Key, Label: c.Label, Literal: c.Literal, Synonyms: c.Synonyms})
	}
	return out
}

// Kind names which action a step performs.
func (s Step) Kind() string {
	switch {
	case s.Say != "":
		return "say"
	case s.Run != "":
		return "run"
	case s.Step != "":
		return "step"
	case s.Show != "":
		return "show"
	case s.Quiz != nil:
		return "quiz"
	case s.Explore != "":
		return "explore"
	}
	return ""
}

// All returns every lesson, in lesson order, as compiled from the YAML files by go generate:
// parsing YAML at every start would cost more than the whole program's start-up. A test keeps
// lessons_gen.go in step with the files.
func All() ([]Lesson, error) {
	out := compiledLessons()
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out, nil
}

// ParseAll parses every embedded lesson file, in lesson order: the source lessons_gen.go is
// generated from (go generate ./lessons).
func ParseAll() ([]Lesson, error) {
	names, err := fs.Glob(files, "*.yaml")
	if err != nil {
		return nil, err
	}
	var out []Lesson
	for _, n := range names {
		data, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		l, err := Parse(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		if l.Name+".yaml" != n {
			return nil, fmt.Errorf("%s: the lesson is named %q; the file must be %s.yaml", n, l.Name, l.Name)
		}
		out = append(out, l)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out, CheckCourse(out)
}

// CheckCourse checks how the lessons make a course: names and places are unique, and what a
// lesson requires or suggests next exists; a requirement comes earlier in the course.
func CheckCourse(all []Lesson) error {
	byName := map[string]Lesson{}
	orders := map[int]string{}
	for _, l := range all {
		if _, dup := byName[l.Name]; dup {
			return fmt.Errorf("two lessons are called %s", l.Name)
		}
		byName[l.Name] = l
		if l.Order <= 0 {
			return fmt.Errorf("lesson %s: order must be a positive number", l.Name)
		}
		if other, dup := orders[l.Order]; dup {
			return fmt.Errorf("lessons %s and %s both have order %d", other, l.Name, l.Order)
		}
		orders[l.Order] = l.Name
	}
	for _, l := range all {
		for _, r := range l.Requires {
			req, ok := byName[r]
			switch {
			case !ok:
				return fmt.Errorf("lesson %s requires %s, which does not exist", l.Name, r)
			case req.Order >= l.Order:
				return fmt.Errorf("lesson %s requires %s, which comes later in the course (order %d ≥ %d)", l.Name, r, req.Order, l.Order)
			}
		}
		if l.Next != "" {
			if _, ok := byName[l.Next]; !ok || l.Next == l.Name {
				return fmt.Errorf("lesson %s: next is %q, not another lesson", l.Name, l.Next)
			}
		}
	}
	return nil
}

// Number is the lesson's place in the course, from 1.
func Number(all []Lesson, name string) int {
	for i, l := range all {
		if l.Name == name {
			return i + 1
		}
	}
	return 0
}

// Suggest is the lesson to take after the lesson named after (or the first one, when after is
// ""): its next field if it names one that is not finished, else the first lesson in course order
// that is not finished and whose requirements are. ok is false when everything is finished.
func Suggest(all []Lesson, after string, finished func(name string) bool) (Lesson, bool) {
	for _, l := range all {
		if l.Name == after && l.Next != "" && !finished(l.Next) {
			for _, n := range all {
				if n.Name == l.Next {
					return n, true
				}
			}
		}
	}
	for _, l := range all {
		if !finished(l.Name) && len(Missing(l, finished)) == 0 {
			return l, true
		}
	}
	for _, l := range all { // requirements left unfinished: the first unfinished lesson
		if !finished(l.Name) {
			return l, true
		}
	}
	return Lesson{}, false
}

// Missing lists the lessons l requires that are not finished.
func Missing(l Lesson, finished func(name string) bool) []string {
	var out []string
	for _, r := range l.Requires {
		if !finished(r) {
			out = append(out, r)
		}
	}
	return out
}

// Parse decodes one lesson file strictly (an unknown field is an error) and checks its shape.
func Parse(data []byte) (Lesson, error) {
	var l Lesson
	if err := yaml.UnmarshalStrict(data, &l); err != nil {
		return Lesson{}, err
	}
	return l, Check(l)
}

// Check validates a lesson without a cluster: every step does exactly one thing, step and show
// arguments are known, questions are well formed (quiz.Validate), question IDs are unique.
func Check(l Lesson) error {
	if l.Name == "" || l.Title == "" || l.Summary == "" {
		return fmt.Errorf("a lesson needs a name, a title and a summary")
	}
	ids := map[string]bool{}
	for i, s := range l.Steps {
		where := fmt.Sprintf("step %d", i+1)
		if n := countActions(s); n != 1 {
			return fmt.Errorf("%s: a step does exactly one thing, this one does %d", where, n)
		}
		switch {
		case s.Real != "" && s.Real != "skip" && s.Real != "only":
			return fmt.Errorf("%s: real must be skip or only, not %q", where, s.Real)
		case s.RealNote != "" && s.Real != "skip":
			return fmt.Errorf("%s: real_note is said in place of a step a real cluster skips: add real: skip", where)
		case s.OnlyOnReal() && s.Kind() != "run":
			return fmt.Errorf("%s: real: only is for a command (run), not a %s", where, s.Kind())
		}
		switch s.Kind() {
		case "step":
			if !validStep(s.Step) {
				return fmt.Errorf("%s: step must be one, idle or a component name, not %q", where, s.Step)
			}
		case "show":
			if !validShow(s.Show) {
				return fmt.Errorf("%s: unknown view %q", where, s.Show)
			}
		case "run":
			if f := strings.Fields(s.Run); len(f) < 2 || !slices.Contains(RunCommands, f[0]) {
				return fmt.Errorf("%s: run takes a command line of %s", where, strings.Join(RunCommands, ", "))
			}
			if err := checkArgs(s.RunArgs); err != nil {
				return fmt.Errorf("%s: run_args %w", where, err)
			}
			if err := checkTemplate(s.Run, s.RunArgs); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
		case "say":
			if err := checkArgs(s.SayArgs); err != nil {
				return fmt.Errorf("%s: say_args %w", where, err)
			}
		case "quiz":
			q := s.Quiz.Question()
			if q.ID == "" {
				return fmt.Errorf("%s: a question needs an id", where)
			}
			if ids[q.ID] {
				return fmt.Errorf("%s: question id %q is used twice", where, q.ID)
			}
			ids[q.ID] = true
			if err := quiz.Validate(q); err != nil {
				return fmt.Errorf("%s (%s): %w", where, q.ID, err)
			}
		}
	}
	return nil
}

// RunCommands are the commands a run step may start with: kubectl, and the sandbox's commands
// that show or change the simulated world (traffic, faults, the clock).
var RunCommands = []string{"kubectl", "curl", "nslookup", "proxy", "fault", "wait"}

// checkArgs checks the probe references of say_args or run_args.
func checkArgs(refs map[string]string) error {
	for _, v := range slices.Sorted(maps.Keys(refs)) {
		if err := quiz.ValidateRef(refs[v]); err != nil {
			return fmt.Errorf("%s: %w", v, err)
		}
	}
	return nil
}

// checkTemplate checks that a run line's template parses and uses only the variables run_args
// defines.
func checkTemplate(line string, args map[string]string) error {
	if len(args) == 0 {
		return nil // no template: {{ may be kubectl's own (-o go-template)
	}
	data := map[string]any{}
	for k := range args {
		data[k] = k
	}
	if _, err := ExpandRun(line, data); err != nil {
		return err
	}
	return nil
}

// ExpandRun fills the template variables ({{.Pod}}) of a run line that has run_args with data: a
// variable run_args does not define is an error.
func ExpandRun(line string, data map[string]any) (string, error) {
	t, err := template.New("run").Option("missingkey=error").Parse(line)
	if err != nil {
		return "", fmt.Errorf("run %q: %w", line, err)
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("run %q: %w", line, err)
	}
	return b.String(), nil
}

func countActions(s Step) int {
	n := 0
	for _, set := range []bool{s.Say != "", s.Run != "", s.Step != "", s.Show != "", s.Quiz != nil, s.Explore != ""} {
		if set {
			n++
		}
	}
	return n
}

func validStep(s string) bool {
	switch s {
	case "one", "idle":
		return true
	}
	return s != "" && !strings.ContainsAny(s, " \t")
}

func validShow(s string) bool {
	f := strings.Fields(s)
	if len(f) == 0 {
		return false
	}
	switch f[0] {
	case "map", "trace", "pending":
		return len(f) == 1
	case "etcd", "why":
		return len(f) == 2
	case "get", "describe":
		return len(f) >= 2
	}
	return false
}

// MessageIDs lists every message ID a lesson refers to, for the completeness tests.
func (l Lesson) MessageIDs() []string {
	ids := []string{l.Title, l.Summary}
	for _, s := range l.Steps {
		if s.RealNote != "" {
			ids = append(ids, s.RealNote)
		}
		switch {
		case s.Say != "":
			ids = append(ids, s.Say)
		case s.Explore != "":
			ids = append(ids, s.Explore)
		case s.Quiz != nil:
			ids = append(ids, s.Quiz.Text)
			ids = append(ids, s.Quiz.Hints...)
			if s.Quiz.Explain != "" {
				ids = append(ids, s.Quiz.Explain)
			}
			for _, c := range s.Quiz.Choices {
				if c.Label != "" {
					ids = append(ids, c.Label)
				}
			}
		}
	}
	return ids
}

// Questions counts the lesson's questions.
func (l Lesson) Questions() int {
	n := 0
	for _, s := range l.Steps {
		if s.Quiz != nil {
			n++
		}
	}
	return n
}
