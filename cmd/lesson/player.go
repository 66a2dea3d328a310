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
	// Course is every lesson in course order, and Finished tells which the learner finished: the
	// header numbers the lesson and names what it builds on, the end suggests the next one.
	Course   []lessons.Lesson
	Finished func(name string) bool
	// Changed is the sandbox's Changed: called after every action of the cluster (a live map).
	Changed func(*cluster.Cluster)
	// Backend, when set, is the cluster to play on instead of a new miniature one (a real
	// cluster: see RealBackend). Such a play always starts from the first step.
	Backend Backend
}

// Expecter is a Prompter that is told each question's answer, as "show" would reveal it, before
// the question is asked: how a test plays a lesson on a real cluster to full marks, since no
// earlier run can predict a real cluster's names.
type Expecter interface {
	Expect(revealed string)
}

// ErrStopped is returned when the learner left (Ctrl-C or end of input); progress is saved.
var ErrStopped = errors.New("lesson stopped")

// Player runs a lesson.
type Player struct {
	cfg     Config
	b       Backend
	env     quiz.Env
	nodes   lessons.Nodes // the cluster's nodes, by the names the lesson gives them
	out     *lineEnds
	started int // the step the play started at
	// noted: the steps skipped on a real cluster since the last one done began with a note.
	noted bool
}

// Play runs the lesson from cfg.Record.Step to the end.
func Play(cfg Config) error {
	rec := cfg.Record
	out := &lineEnds{w: cfg.Out, atStart: true}
	p := &Player{cfg: cfg, b: cfg.Backend, out: out}
	if p.b == nil {
		s, err := sandbox.New(sandbox.Config{Seed: rec.Seed, Nodes: cfg.Lesson.Nodes, L: cfg.L, Style: cfg.Style, Files: cfg.Files,
			Commands: cfg.Commands, Debug: cfg.Debug, Changed: cfg.Changed}, io.Discard)
		if err != nil {
			return err
		}
		p.b = miniature{s: s, p: p}
	}
	p.env = p.b.Env()
	p.nodes = lessons.NewNodes(p.b.Nodes())
	steps := cfg.Lesson.Steps
	// The store checks every record it loads; this keeps a bad one from ever indexing steps.
	rec.Step = min(max(rec.Step, 0), len(steps))
	if !p.b.Replayable() {
		rec.Step = 0
	}
	p.started = rec.Step
	// Replay what was done before, silently: the engine is deterministic, so the same seed and the
	// same actions rebuild the same cluster.
	for i := 0; i < rec.Step; i++ {
		p.replay(steps[i])
	}
	p.b.SetOutput(out)
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

// data is what every text of the lesson may use: the nodes ({{.Node1}}…), and Real on a real
// cluster, for the sentence or two a text says of the miniature alone ({{if not .Real}}).
func (p *Player) data() map[string]any {
	d := p.nodes.Data()
	if !p.b.Replayable() {
		d["Real"] = true
	}
	return d
}

func (p *Player) println(a ...any) { fmt.Fprintln(p.out, a...) }

// endLine ends the line a command's output left open.
func (p *Player) endLine() {
	if !p.out.atStart {
		p.println()
	}
}

// lineEnds passes writes on and remembers whether the last one ended a line.
type lineEnds struct {
	w       io.Writer
	atStart bool
}

func (l *lineEnds) Write(b []byte) (int, error) {
	if len(b) > 0 {
		l.atStart = b[len(b)-1] == '\n'
	}
	return l.w.Write(b)
}

func (p *Player) say(text string) {
	for _, l := range view.Wrap(text, Width) {
		p.println(l)
	}
}

func (p *Player) header() {
	l := p.cfg.Lesson
	p.println(p.cfg.Style.Bold(p.title(l)))
	if missing := lessons.Missing(l, p.finished); len(missing) > 0 && p.started == 0 {
		p.say(p.t("lesson.requires_missing", map[string]any{"Lessons": strings.Join(missing, p.t("common.list_separator")), "First": missing[0]}))
	}
	if p.started > 0 {
		p.say(p.t("lesson.resuming", map[string]any{"Step": p.started + 1, "Steps": len(l.Steps), "Seed": p.cfg.Record.Seed}))
	} else {
		p.say(p.t(l.Summary))
		p.say(p.cfg.Style.Dim(p.t("lesson.how_to_answer")))
	}
	p.println()
}

// title is "Lesson 2 of 3: …", numbered by the lesson's place in the course.
func (p *Player) title(l lessons.Lesson) string {
	n := lessons.Number(p.cfg.Course, l.Name)
	if n == 0 {
		return p.t(l.Title)
	}
	return p.t("lesson.header", map[string]any{"N": n, "Of": len(p.cfg.Course), "Title": p.t(l.Title)})
}

// finished reports whether the learner finished a lesson (this one counts once it is over).
func (p *Player) finished(name string) bool {
	if name == p.cfg.Lesson.Name && p.cfg.Record.Done {
		return true
	}
	return p.cfg.Finished != nil && p.cfg.Finished(name)
}

// replay redoes the actions that change the cluster, printing nothing.
func (p *Player) replay(st lessons.Step) {
	st = st.OnNodes(p.nodes)
	switch st.Kind() {
	case "run":
		if line, err := p.runLine(st); err == nil {
			p.b.Exec(line)
		}
	case "step":
		p.b.Advance(st.Step)
	}
}

// runLine is a run step's command line, its run_args filled from the cluster as it is now.
func (p *Player) runLine(st lessons.Step) (string, error) {
	if len(st.RunArgs) == 0 {
		return st.Run, nil
	}
	args, err := p.sayArgs(st.RunArgs)
	if err != nil {
		return "", err
	}
	return lessons.ExpandRun(st.Run, args)
}

// do performs one step. A step that panics (a bug) is reported as an internal error and the
// lesson goes on with the next step.
func (p *Player) do(st lessons.Step) (err error) {
	defer func() {
		if r := recover(); r != nil {
			p.b.Internal(stepName(st), r)
		}
	}()
	if st.SkippedOnReal() && !p.b.Replayable() {
		p.skipOnReal(st)
		return nil
	}
	if st.OnlyOnReal() && p.b.Replayable() {
		return nil
	}
	p.noted = false
	st = st.OnNodes(p.nodes)
	switch st.Kind() {
	case "say":
		args, err := p.sayArgs(st.SayArgs)
		if err != nil {
			return p.unreadable(err)
		}
		p.say(p.t(st.Say, args))
		p.println()
	case "run":
		line, err := p.runLine(st)
		if err != nil {
			return p.unreadable(err)
		}
		if d, waits := strings.CutPrefix(line, "wait "); waits && p.cfg.Interactive && p.b.Replayable() {
			// Simulated time passing moves the cluster as a step does: the learner says when.
			if err := p.pause(strings.TrimSpace(d)); err != nil {
				return p.stopped(err)
			}
		}
		p.println(p.cfg.Style.Bold("$ " + line))
		p.b.Exec(line)
		p.endLine() // -o jsonpath prints no newline, as kubectl does
		p.println()
	case "step":
		if p.cfg.Interactive {
			if err := p.pause(""); err != nil {
				return p.stopped(err)
			}
		}
		p.b.Advance(st.Step)
		if st.Step != "idle" {
			p.b.DrawMap()
		}
		p.println()
	case "show":
		p.println(p.cfg.Style.Dim("$ " + st.Show))
		p.b.Show(st.Show)
		p.endLine()
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

// unreadable is what a step whose text or command cannot be filled from the cluster does: on the
// miniature the lesson is wrong, so it stops; a real cluster may not show what it reads (a node
// without an InternalIP, the miniature's etcd), so the step is left out, saying why.
func (p *Player) unreadable(err error) error {
	if p.b.Replayable() {
		return err
	}
	p.say(p.cfg.Style.Dim(p.t("lesson.real.step_skipped", map[string]any{"Reason": err.Error()})))
	p.println()
	return nil
}

// skipOnReal leaves out a step the lesson marks as one a real cluster skips, saying its note; a
// question left out does not count.
func (p *Player) skipOnReal(st lessons.Step) {
	said := false
	if st.RealNote != "" {
		// A note in place of a text says what the text would, with the same arguments.
		data := p.data()
		if st.Kind() == "say" && len(st.SayArgs) > 0 {
			args, err := p.sayArgs(st.OnNodes(p.nodes).SayArgs)
			if err != nil {
				_ = p.unreadable(err)
				return
			}
			data = args
		}
		p.say(p.cfg.Style.Dim(p.t(st.RealNote, data)))
		said, p.noted = true, true
	}
	if st.Quiz != nil {
		if _, done := p.cfg.Record.Answers[st.Quiz.ID]; !done {
			if !p.noted { // a note just said covers the questions it skips
				p.say(p.cfg.Style.Dim(p.t("lesson.real.question_left_out")))
				said = true
			}
			p.cfg.Record.Questions--
		}
	}
	if said {
		p.println()
	}
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

// pause waits for Enter before a component acts, or before wait lets that much simulated time
// pass (wait is "" for a component). What the learner types there is not dropped: a read-only
// command runs, anything else is answered with what can be done now; then it waits again.
func (p *Player) pause(wait string) error {
	for {
		next, known := p.b.Next()
		label := p.t("lesson.press_enter", map[string]any{"Component": next})
		switch {
		case wait != "":
			label, known = p.t("lesson.press_enter_wait", map[string]any{"Duration": wait}), true
		case !known:
			label = p.t("lesson.real.press_enter")
		}
		typed, err := p.cfg.Prompt.Pause(label)
		if err != nil {
			return err
		}
		line := strings.TrimSpace(typed)
		switch word := strings.ToLower(line); {
		case line == "":
			return nil
		case p.b.ReadOnly(line):
			p.b.Exec(line)
		case looksLikeCommand(word):
			p.say(p.t("lesson.read_only")) // wrapped: the list of commands is longer than a line
		case !known:
			p.say(p.t("lesson.real.pause_typed", map[string]any{"Input": line}))
		default:
			p.say(p.t("lesson.pause_typed", map[string]any{"Input": line, "Then": label}))
		}
	}
}

// sayArgs is the template data of a step's text or command: its probes' values, and the nodes'
// names (Node1, Node2…).
func (p *Player) sayArgs(refs map[string]string) (map[string]any, error) {
	args := p.data()
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
// learner may ask for hints or look at the cluster with read-only commands. An answer without the
// question's form (none of the choices, an empty line…) is asked again with the expected form; a
// wrong answer gets one more try before the explanation.
func (p *Player) ask(q quiz.Question) error {
	rec := p.cfg.Record
	if _, done := rec.Answers[q.ID]; done {
		return nil
	}
	prep, err := quiz.Prepare(q, p.env)
	if err != nil && !p.b.Replayable() {
		// A real cluster may not show what the question reads (the miniature's etcd, a node named
		// in the lesson): the question is left out of the score, saying why.
		p.say(p.cfg.Style.Dim(p.t("lesson.real.question_skipped", map[string]any{"Reason": err.Error()})))
		rec.Questions--
		return nil
	}
	if err != nil {
		return fmt.Errorf("lesson %s, question %s: %w", p.cfg.Lesson.Name, q.ID, err)
	}
	for k, v := range p.data() {
		if _, set := prep.TextArgs[k]; !set {
			prep.TextArgs[k] = v
		}
	}
	if e, ok := p.cfg.Prompt.(Expecter); ok {
		e.Expect(quiz.RevealIn(p.cfg.L, prep))
	}
	p.indented("? ", p.t(q.Text, prep.TextArgs))
	digits := len(fmt.Sprint(len(prep.Choices))) // " 9)" lines up with "10)"
	for i, c := range prep.Choices {
		p.indented(fmt.Sprintf("  %*d) ", digits, i+1), quiz.ChoiceText(p.cfg.L, c))
	}
	if q.Kind == quiz.Multi || q.Kind == quiz.Order {
		p.indented("  ", p.cfg.Style.Dim(quiz.Format(p.cfg.L, prep)))
	}
	// A learner may answer with a choice's words in either language.
	labels := quiz.Labels(prep, p.cfg.L, p.cfg.English)
	hints, tries := 0, 0
	var answer progress.Answer
	for {
		line, err := p.read(p.answerLabel(q))
		if err != nil {
			return p.stopped(err)
		}
		line = strings.TrimSpace(line)
		word := strings.ToLower(line)
		switch {
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
			if p.cfg.Interactive {
				p.indented("= ", quiz.RevealIn(p.cfg.L, prep))
			} else {
				p.println("= " + quiz.RevealIn(p.cfg.L, prep)) // one line: programs read it back
			}
			p.println(p.cfg.Style.Dim(p.t("lesson.revealed")))
			answer = progress.Answer{Revealed: true}
		case word == "skip" || word == "跳过":
			p.println(p.t("lesson.skipped"))
			answer = progress.Answer{Skipped: true}
		case p.b.ReadOnly(line) && !(len(prep.Choices) > 0 && quiz.GradeWithLabels(prep, line, labels).Valid()):
			// A command, unless it names a choice: "etcd" answers "which component refused?".
			p.b.Exec(line)
			continue
		case looksLikeCommand(word):
			p.say(p.t("lesson.read_only"))
			continue
		default:
			res := quiz.GradeWithLabels(prep, line, labels)
			if !res.Valid() {
				p.say(quiz.ProblemText(p.cfg.L, prep, res, line))
				continue
			}
			tries++
			switch {
			case res.Correct && tries == 1:
				p.println("✓ " + p.cfg.Style.Good(p.t("lesson.correct")))
			case res.Correct:
				p.println("✓ " + p.cfg.Style.Good(p.t("lesson.correct_second_try")))
			case tries == 1:
				p.wrong(p.t("lesson.try_again", map[string]any{"Given": quiz.Given(p.cfg.L, prep, res)}))
				continue
			default:
				p.wrong(quiz.Feedback(p.cfg.L, prep, res))
			}
			answer = progress.Answer{Correct: res.Correct, SecondTry: res.Correct && tries == 2}
		}
		break
	}
	rec.Answers[q.ID] = answer
	if q.Explain != "" {
		args := map[string]any{"Answer": quiz.Describe(p.cfg.L, prep, quiz.Reveal(prep))}
		for k, v := range prep.TextArgs {
			args[k] = v
		}
		p.say(p.t(q.Explain, args))
	}
	return p.cfg.Save()
}

// wrong says an answer is wrong, then what follows (a second try, or the right answer).
func (p *Player) wrong(then string) {
	p.say("✗ " + p.t("lesson.wrong_line", map[string]any{"Wrong": p.cfg.Style.Bad(p.t("lesson.wrong")), "Then": then}))
}

// indented writes text wrapped to the lesson's width, the first line after prefix and the others
// indented as far.
func (p *Player) indented(prefix, text string) {
	p.hanging(prefix, strings.Repeat(" ", len(prefix)), text)
}

// hanging writes text wrapped to the lesson's width, the first line after prefix and the others
// after indent.
func (p *Player) hanging(prefix, indent, text string) {
	for _, l := range view.Hanging(text, prefix, indent, Width) {
		p.println(l)
	}
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
	f := strings.Fields(word)
	if len(f) == 0 {
		return false
	}
	switch f[0] {
	case "kubectl", "create", "apply", "delete", "scale", "set", "run", "step", "label", "taint", "cordon", "uncordon", "rollout", "reset",
		"curl", "fault", "wait":
		return true
	}
	return false
}

// explore lets the learner look around with read-only commands until an empty line.
func (p *Player) explore(msgID string) error {
	p.say(p.t(msgID, p.data()))
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
		case p.b.ReadOnly(line):
			p.b.Exec(line)
		case looksLikeCommand(word):
			p.say(p.t("lesson.read_only"))
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
	earlier, lines := p.b.Chain(p.cfg.Style)
	for _, l := range earlier {
		p.println("  " + l)
	}
	for _, line := range lines {
		head, _, _ := strings.Cut(line, " ")
		p.hanging("  ", strings.Repeat(" ", 2+len(head)+1), line)
	}
	p.println()
	if next, ok := lessons.Suggest(p.cfg.Course, p.cfg.Lesson.Name, p.finished); ok {
		p.say(p.t("lesson.next", map[string]any{"Title": p.title(next), "Name": next.Name}))
	} else if len(p.cfg.Course) > 0 {
		p.say(p.t("lesson.course_done"))
	}
	got, of := p.cfg.Record.Score()
	data := map[string]any{"Lesson": p.cfg.Lesson.Name, "Score": fmt.Sprintf("%d/%d", got, of)}
	if second := p.cfg.Record.SecondTries(); second > 0 {
		data["First"], data["Second"] = got-second, second
		p.println(p.t("lesson.score_tries", data))
		return
	}
	p.println(p.t("lesson.score", data))
}
