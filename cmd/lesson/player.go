// Package lesson plays a lesson: it narrates, runs kubectl commands and steps on a sandbox
// session, asks questions whose answers the quiz package computes from the cluster at that moment,
// and saves progress after every answer so a lesson can resume exactly where it stopped.
package lesson

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/k8slearn/k8slearn/cmd/lines"
	"github.com/k8slearn/k8slearn/cmd/progress"
	"github.com/k8slearn/k8slearn/cmd/prompt"
	"github.com/k8slearn/k8slearn/cmd/sandbox"
	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl"
	"github.com/k8slearn/k8slearn/lessons"
	"github.com/k8slearn/k8slearn/locales"
	"github.com/k8slearn/k8slearn/quiz"
)

// Width is the width narration wraps to.
const Width = 80

// Config is one play of one lesson.
type Config struct {
	Lesson lessons.Lesson
	L      *locales.Localizer
	// English accepts English choice labels whatever the language (answers in either language count).
	English     *locales.Localizer
	Style       view.Styler
	Prompt      prompt.Prompter
	Out         io.Writer
	Record      *progress.Record // where the play starts (Step) and what was answered; updated as it goes
	Save        func() error     // persists Record; called after every answer and every step
	Interactive bool             // a terminal: wait for Enter before each component acts
	Files       kubectl.Files
	// Commands add to or replace the sandbox's commands (sandbox.Config.Commands).
	Commands map[string]sandbox.Command
	// Debug, when set, receives the stack of a command or step that panicked.
	Debug io.Writer
	// Changed is the sandbox's Changed: called after every action of the cluster (a live map).
	Changed func(*cluster.Cluster)
}

// ErrStopped is returned when the learner left (Ctrl-C or end of input); progress is saved.
var ErrStopped = errors.New("lesson stopped")

// Player runs a lesson.
type Player struct {
	cfg     Config
	s       *sandbox.Session
	env     quiz.Env
	out     io.Writer
	started int // the step the play started at
}

// Play runs the lesson from cfg.Record.Step to the end.
func Play(cfg Config) error {
	rec := cfg.Record
	s, err := sandbox.New(sandbox.Config{Seed: rec.Seed, Nodes: cfg.Lesson.Nodes, L: cfg.L, Style: cfg.Style, Files: cfg.Files,
		Commands: cfg.Commands, Debug: cfg.Debug, Changed: cfg.Changed}, io.Discard)
	if err != nil {
		return err
	}
	p := &Player{cfg: cfg, s: s, env: quiz.Env{Cluster: s.Cluster(), Namespace: "default"}, out: cfg.Out, started: rec.Step}
	steps := cfg.Lesson.Steps
	// The store checks every record it loads; this keeps a bad one from ever indexing steps.
	rec.Step = min(max(rec.Step, 0), len(steps))
	// Replay what was done before, silently: the engine is deterministic, so the same seed and the
	// same actions rebuild the same cluster.
	for i := 0; i < rec.Step; i++ {
		p.replay(steps[i])
	}
	s.SetOutput(cfg.Out)
	p.header()
	for i := rec.Step; i < len(steps); i++ {
		if err := p.do(steps[i]); err != nil {
			return err
		}
		rec.Step = i + 1
		if err := cfg.Save(); err != nil {
			return err
		}
	}
	rec.Done = true
	if err := cfg.Save(); err != nil {
		return err
	}
	p.summary()
	return nil
}

func (p *Player) t(id string, data ...map[string]any) string { return p.cfg.L.T(id, data...) }

func (p *Player) println(a ...any) { fmt.Fprintln(p.out, a...) }

func (p *Player) say(text string) {
	for _, l := range view.Wrap(text, Width) {
		p.println(l)
	}
}

func (p *Player) header() {
	l := p.cfg.Lesson
	p.println(p.cfg.Style.Bold(p.t(l.Title)))
	if p.started > 0 {
		p.say(p.t("lesson.resuming", map[string]any{"Step": p.started + 1, "Steps": len(l.Steps), "Seed": p.cfg.Record.Seed}))
	} else {
		p.say(p.t(l.Summary))
		p.say(p.cfg.Style.Dim(p.t("lesson.how_to_answer")))
	}
	p.println()
}

// replay redoes the actions that change the cluster, printing nothing.
func (p *Player) replay(st lessons.Step) {
	switch st.Kind() {
	case "run":
		p.s.Exec(st.Run)
	case "step":
		p.advance(st.Step)
	}
}

// do performs one step. A step that panics (a bug) is reported as an internal error and the
// lesson goes on with the next step.
func (p *Player) do(st lessons.Step) (err error) {
	defer p.s.Survive(stepName(st))
	switch st.Kind() {
	case "say":
		args, err := p.sayArgs(st.SayArgs)
		if err != nil {
			return err
		}
		p.say(p.t(st.Say, args))
		p.println()
	case "run":
		p.println(p.cfg.Style.Bold("$ " + st.Run))
		p.s.Exec(st.Run)
		p.println()
	case "step":
		if p.cfg.Interactive {
			if err := p.cfg.Prompt.Pause(p.t("lesson.press_enter", map[string]any{"Component": p.s.Cluster().Next()})); err != nil {
				return p.stopped(err)
			}
		}
		p.advance(st.Step)
		if st.Step != "idle" {
			p.s.DrawMap()
		}
		p.println()
	case "show":
		p.println(p.cfg.Style.Dim("$ " + st.Show))
		p.s.Exec(st.Show)
		p.println()
	case "quiz":
		if err := p.ask(st.Quiz.Question()); err != nil {
			return err
		}
		p.println()
	case "explore":
		if err := p.explore(st.Explore); err != nil {
			return err
		}
	}
	return nil
}

// stepName is how an internal error names a step: the command it runs, or its kind and what it
// shows.
func stepName(st lessons.Step) string {
	switch st.Kind() {
	case "run":
		return st.Run
	case "show":
		return st.Show
	case "step":
		return "step " + st.Step
	case "quiz":
		return "quiz " + st.Quiz.ID
	case "explore":
		return "explore " + st.Explore
	}
	return st.Kind() + " " + st.Say
}

// advance lets the cluster move: one action, all until idle, or until a component acted.
func (p *Player) advance(how string) {
	switch how {
	case "one":
		if !p.s.StepOnce() {
			p.println(p.t("sandbox.idle"))
		}
	case "idle":
		p.s.Exec("run")
	default:
		p.s.Exec("step " + how)
	}
}

func (p *Player) sayArgs(refs map[string]string) (map[string]any, error) {
	args := map[string]any{}
	for name, ref := range refs {
		v, err := quiz.Evaluate(ref, p.env)
		if err != nil {
			return nil, fmt.Errorf("lesson %s: %s: %w", p.cfg.Lesson.Name, name, err)
		}
		args[name] = v.String()
	}
	return args, nil
}

// stopped turns the end of input or Ctrl-C into ErrStopped; progress up to here is saved.
func (p *Player) stopped(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, prompt.ErrInterrupted) {
		p.println()
		p.println(p.t("lesson.stopped"))
		return fmt.Errorf("%w: %w", ErrStopped, err)
	}
	return err
}

// ask poses one question until it is answered, revealed or skipped. Before answering, the
// learner may ask for hints or look at the cluster with read-only commands.
func (p *Player) ask(q quiz.Question) error {
	rec := p.cfg.Record
	if _, done := rec.Answers[q.ID]; done {
		return nil
	}
	prep, err := quiz.Prepare(q, p.env)
	if err != nil {
		return fmt.Errorf("lesson %s, question %s: %w", p.cfg.Lesson.Name, q.ID, err)
	}
	lines := view.Wrap(p.t(q.Text, prep.TextArgs), Width-2)
	p.println("? " + lines[0])
	for _, l := range lines[1:] {
		p.println("  " + l)
	}
	for i, c := range prep.Choices {
		p.println(fmt.Sprintf("  %d) %s", i+1, quiz.ChoiceText(p.cfg.L, c)))
	}
	// A learner may answer with a choice's text in either language.
	labels := quiz.Labels(prep, p.cfg.L, p.cfg.English)
	hints := 0
	for {
		line, err := p.read(p.answerLabel(q))
		if err != nil {
			return p.stopped(err)
		}
		line = strings.TrimSpace(line)
		word := strings.ToLower(line)
		switch {
		case line == "":
			continue
		case word == "hint" || word == "提示":
			if hints < len(q.Hints) {
				hints++
				p.say(p.t("lesson.hint", map[string]any{"N": hints, "Of": len(q.Hints), "Hint": p.t(q.Hints[hints-1], prep.TextArgs)}))
			} else {
				p.println(p.t("lesson.no_more_hints"))
			}
			continue
		case word == "help" || word == "帮助":
			p.say(p.t("lesson.answer_help"))
			continue
		case word == "show" || word == "答案":
			p.println("= " + quiz.Reveal(prep))
			p.println(p.cfg.Style.Dim(p.t("lesson.revealed")))
			rec.Answers[q.ID] = progress.Answer{Revealed: true}
		case word == "skip" || word == "跳过":
			p.println(p.t("lesson.skipped"))
			rec.Answers[q.ID] = progress.Answer{Skipped: true}
		case sandbox.ReadOnly(line):
			p.s.Exec(line)
			continue
		case looksLikeCommand(word):
			p.println(p.t("lesson.read_only"))
			continue
		default:
			res := quiz.GradeWithLabels(prep, line, labels)
			if res.Correct {
				p.println("✓ " + p.cfg.Style.Good(p.t("lesson.correct")))
			} else {
				p.say("✗ " + p.cfg.Style.Bad(p.t("lesson.wrong")) + " " + quiz.Feedback(p.cfg.L, prep, res))
			}
			rec.Answers[q.ID] = progress.Answer{Correct: res.Correct}
		}
		break
	}
	if q.Explain != "" {
		args := map[string]any{"Answer": quiz.Reveal(prep)}
		for k, v := range prep.TextArgs {
			args[k] = v
		}
		p.say(p.t(q.Explain, args))
	}
	return p.cfg.Save()
}

// read asks for a line; one too long to be an answer or a command is reported, and asked again.
func (p *Player) read(label string) (string, error) {
	for {
		line, err := p.cfg.Prompt.Ask(label)
		var tooLong *lines.TooLongError
		if !errors.As(err, &tooLong) {
			return line, err
		}
		p.println(p.t("lesson.line_too_long", map[string]any{"Size": tooLong.Size, "Max": tooLong.Max}))
	}
}

func (p *Player) answerLabel(q quiz.Question) string {
	if p.cfg.Interactive {
		return p.t("lesson.answer_prompt")
	}
	return ""
}

// looksLikeCommand: a line that would change the cluster, typed where only looking is allowed.
func looksLikeCommand(word string) bool {
	first := strings.Fields(word)[0]
	switch first {
	case "kubectl", "create", "apply", "delete", "scale", "set", "run", "step", "label", "taint", "cordon", "uncordon", "rollout", "reset":
		return true
	}
	return false
}

// explore lets the learner look around with read-only commands until an empty line.
func (p *Player) explore(msgID string) error {
	p.say(p.t(msgID))
	p.println(p.cfg.Style.Dim(p.t("lesson.explore_help")))
	for {
		line, err := p.read(p.exploreLabel())
		if err != nil {
			return p.stopped(err)
		}
		line = strings.TrimSpace(line)
		switch word := strings.ToLower(line); {
		case line == "" || word == "next" || word == "继续":
			p.println()
			return nil
		case sandbox.ReadOnly(line):
			p.s.Exec(line)
		case looksLikeCommand(word):
			p.println(p.t("lesson.read_only"))
		default:
			p.println(p.t("lesson.explore_help"))
		}
	}
}

func (p *Player) exploreLabel() string {
	if p.cfg.Interactive {
		return p.t("lesson.explore_prompt")
	}
	return ""
}

// summary retells this run's chain of events with its real names, then the score. The score is
// the last line, as "X/Y", for programs that read the transcript.
func (p *Player) summary() {
	p.println(p.cfg.Style.Bold(p.t("lesson.chain_title")))
	earlier, entries := p.s.Cluster().TraceWithEarlier()
	for _, l := range view.Earlier(p.cfg.L, p.cfg.Style, earlier, len(entries)) {
		p.println("  " + l)
	}
	for _, e := range entries {
		p.println("  " + view.TraceSummary(p.cfg.L, e))
	}
	p.println()
	got, of := p.cfg.Record.Score()
	p.println(p.t("lesson.score", map[string]any{"Lesson": p.cfg.Lesson.Name, "Score": fmt.Sprintf("%d/%d", got, of)}))
}
