package cli

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/k8slearn/k8slearn/cmd/lesson"
	"github.com/k8slearn/k8slearn/cmd/picture"
	"github.com/k8slearn/k8slearn/cmd/progress"
	"github.com/k8slearn/k8slearn/cmd/prompt"
	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/lessons"
	"github.com/k8slearn/k8slearn/locales"
)

// exitInterrupted is the status after Ctrl-C, as shells report a SIGINT.
const exitInterrupted = 130

// interruptedError ends the program with exitInterrupted after the message was printed.
type interruptedError struct{}

func (interruptedError) Error() string { return "interrupted" }

// lessonEnv is what the lesson commands share.
type lessonEnv struct {
	io      IO
	l       *locales.Localizer
	g       *globalFlags
	now     func() time.Time
	lessons []lessons.Lesson
	guard   *stopGuard // set by guarded
	export  string     // --export: where the lesson's map is written when it ends
	web     webFlags   // --web: a live map follows the lesson
	real    realFlags  // --kubeconfig, --context: a real cluster instead of the miniature
}

func newLessonEnv(io IO, l *locales.Localizer, g *globalFlags) (*lessonEnv, error) {
	all, err := lessons.All()
	if err != nil {
		return nil, err
	}
	return &lessonEnv{io: io, l: l, g: g, now: time.Now, lessons: all}, nil
}

func (e *lessonEnv) find(name string) (lessons.Lesson, error) {
	for _, ls := range e.lessons {
		if ls.Name == name {
			return ls, nil
		}
	}
	msg := e.l.T("cli.lesson.unknown", map[string]any{"Name": name, "List": strings.Join(e.names(), ", ")})
	if s := suggest(name, e.names()); s != "" {
		msg += "\n" + e.l.T("cli.did_you_mean", map[string]any{"Suggestion": s})
	}
	return lessons.Lesson{}, usageError{errors.New(msg)}
}

func (e *lessonEnv) names() []string {
	out := make([]string, len(e.lessons))
	for i, ls := range e.lessons {
		out[i] = ls.Name
	}
	return out
}

func (e *lessonEnv) store() (*progress.Store, error) {
	dir, err := progress.Dir(e.io.Getenv)
	if err != nil {
		return nil, err
	}
	return progress.NewStore(dir, e.now, progressRules(e.lessons)), nil
}

// progressRules is what a sound progress record must agree with: the lessons as they are now.
func progressRules(all []lessons.Lesson) progress.Rules {
	rules := progress.Rules{Lessons: map[string]progress.Shape{}}
	for _, ls := range all {
		shape := progress.Shape{Steps: len(ls.Steps)}
		for _, st := range ls.Steps {
			if st.Quiz != nil {
				shape.Questions = append(shape.Questions, st.Quiz.ID)
			}
		}
		rules.Lessons[ls.Name] = shape
	}
	return rules
}

// lessonsAndProgress is what the read-only commands (lesson list, progress) start from.
func lessonsAndProgress(io IO, l *locales.Localizer, g *globalFlags) (*lessonEnv, *progress.File, error) {
	e, err := newLessonEnv(io, l, g)
	if err != nil {
		return nil, nil, err
	}
	_, f, err := e.openProgress()
	return e, f, err
}

// openProgress opens the store and reads the progress file.
func (e *lessonEnv) openProgress() (*progress.Store, *progress.File, error) {
	st, err := e.store()
	if err != nil {
		return nil, nil, err
	}
	f, err := e.load(st)
	return st, f, err
}

// load reads progress; what could not be trusted is reported as a warning and left out.
func (e *lessonEnv) load(st *progress.Store) (*progress.File, error) {
	f, err := st.Load()
	return f, e.warnCorrupt(st, err)
}

// warnCorrupt prints a *progress.CorruptError as the warning it is (the store did its work on
// what it could trust) and returns nil; any other error is returned as it is.
func (e *lessonEnv) warnCorrupt(st *progress.Store, err error) error {
	var corrupt *progress.CorruptError
	if !errors.As(err, &corrupt) {
		return err
	}
	if len(corrupt.Lessons) == 0 {
		fmt.Fprintln(e.io.Err, e.l.T("cli.progress.corrupt", map[string]any{"Path": st.Path(), "MovedTo": corrupt.MovedTo}))
	} else {
		fmt.Fprintln(e.io.Err, e.l.T("cli.progress.corrupt_lessons", map[string]any{"Path": st.Path(), "MovedTo": corrupt.MovedTo,
			"Lessons": corrupt.LessonList(5)}))
	}
	return nil
}

// guarded runs a command that prompts (the menu, a lesson) under a stopGuard.
func (e *lessonEnv) guarded(run func() error) error {
	e.guard = startGuard(e.io, e.l, "lesson.stopped")
	defer e.guard.release()
	return run()
}

func (e *lessonEnv) prompter(out *os.File) prompt.Prompter {
	var p prompt.Prompter = prompt.NewPlain(e.io.In, e.io.Out)
	if e.interactive() {
		if in, ok := e.io.In.(*os.File); ok && out != nil {
			p = prompt.NewSurvey(in, out, e.io.Err, e.l.T("cli.menu_hint"))
		}
	}
	if e.guard != nil {
		return guardedPrompter{p, e.guard}
	}
	return p
}

func (e *lessonEnv) interactive() bool { return e.io.Terminal && !e.g.plain }

func (e *lessonEnv) style() view.Styler {
	return view.NewStyler(colorOn(e.io, e.g.noColor) && e.interactive())
}

// progressLine is "step 3/12, score 2/6", "finished, score 6/6", "not started" or, for a record
// of an older version of the lesson that was never finished, "changed since: starts afresh".
func (e *lessonEnv) progressLine(f *progress.File, ls lessons.Lesson) string {
	r := f.Lessons[ls.Name]
	if r == nil {
		return e.l.T("cli.progress.not_started")
	}
	got, of := r.Score()
	id := "cli.progress.in_progress"
	switch {
	case r.Done:
		id = "cli.progress.done"
	case e.outdated(ls, r):
		return e.l.T("cli.progress.outdated")
	}
	return e.l.T(id, map[string]any{"Step": r.Step, "Steps": len(ls.Steps), "Score": fmt.Sprintf("%d/%d", got, of)})
}

// outdated reports whether r was made for another version of ls.
func (e *lessonEnv) outdated(ls lessons.Lesson, r *progress.Record) bool {
	return r.Outdated(progressRules([]lessons.Lesson{ls}).Lessons[ls.Name])
}

// finished is the course's view of the progress file: which lessons the learner finished.
func finished(f *progress.File) func(string) bool {
	return func(name string) bool {
		r := f.Lessons[name]
		return r != nil && r.Done
	}
}

// courseRows are the lessons as the menu and lesson list show them, in course order: number,
// name, title, and progress (or, for a lesson not started, the lessons to finish first), aligned
// by display width and cut to fit 78 columns (the menu adds two). next is the index of the lesson
// the course suggests, or -1.
func (e *lessonEnv) courseRows(f *progress.File) (rows []prompt.Option, next int) {
	done := finished(f)
	next = -1
	if ls, ok := lessons.Suggest(e.lessons, "", done); ok {
		next = lessons.Number(e.lessons, ls.Name) - 1
	}
	titles, states := make([]string, len(e.lessons)), make([]string, len(e.lessons))
	room := 0 // the widest title that fits
	for i, ls := range e.lessons {
		titles[i] = e.l.T(ls.Title)
		states[i] = e.progressLine(f, ls)
		if missing := lessons.Missing(ls, done); f.Lessons[ls.Name] == nil && len(missing) > 0 {
			states[i] = e.l.T("cli.lesson.needs", map[string]any{"Lessons": strings.Join(missing, e.l.T("common.list_separator"))})
		}
		room = max(room, view.Width(titles[i]))
	}
	// "▶ 1  name  title  state", columns two apart: what the title may take on every line.
	numW, nameW := view.Width(fmt.Sprintf("▶ %d", len(e.lessons))), 0
	for _, ls := range e.lessons {
		nameW = max(nameW, view.Width(ls.Name))
	}
	for i := range e.lessons {
		room = min(room, max(20, courseWidth-numW-nameW-view.Width(states[i])-3*2))
	}
	var values, details strings.Builder
	vt, dt := view.NewTable(&values), view.NewTable(&details)
	for i, ls := range e.lessons {
		mark := " "
		if i == next {
			mark = "▶"
		}
		fmt.Fprintf(vt, "%s %d\t%s\t\n", mark, i+1, ls.Name)
		fmt.Fprintf(dt, "%s\t%s\n", view.Truncate(titles[i], room), states[i])
	}
	vt.Flush()
	dt.Flush()
	vs, ds := strings.Split(values.String(), "\n"), strings.Split(details.String(), "\n")
	for i := range e.lessons {
		// The table leaves no spaces after its last column: the values are padded here, and the
		// detail comes two spaces after, in the list as in the menu.
		rows = append(rows, prompt.Option{Value: vs[i] + strings.Repeat(" ", numW+2+nameW-view.Width(vs[i])), Detail: ds[i]})
	}
	return rows, next
}

// courseWidth is what a row of the course may take: 80 columns, less the menu's cursor.
const courseWidth = 78

// menu lets the learner pick a lesson on a terminal, starting on the one the course suggests;
// elsewhere it lists them with how to start.
func (e *lessonEnv) menu(cmd *cobra.Command) error {
	_, f, err := e.openProgress()
	if err != nil {
		return err
	}
	if !e.interactive() {
		return e.list(f)
	}
	options, next := e.courseRows(f)
	out, _ := e.io.Out.(*os.File)
	idx, err := e.prompter(out).Select(e.l.T("cli.menu_title"), options, next)
	if errors.Is(err, prompt.ErrInterrupted) {
		return nil
	}
	if err != nil {
		return err
	}
	return e.play(cmd, e.lessons[idx], false)
}

// list prints the course: every lesson with its number, title and progress, then the one to take
// next and how to start any.
func (e *lessonEnv) list(f *progress.File) error {
	rows, next := e.courseRows(f)
	for _, r := range rows {
		fmt.Fprintln(e.io.Out, r.Value+"  "+r.Detail)
	}
	fmt.Fprintln(e.io.Out)
	if next >= 0 {
		ls := e.lessons[next]
		title := e.l.T("lesson.header", map[string]any{"N": next + 1, "Of": len(e.lessons), "Title": e.l.T(ls.Title)})
		for _, line := range view.Wrap(e.l.T("lesson.next", map[string]any{"Title": title, "Name": ls.Name}), lesson.Width) {
			fmt.Fprintln(e.io.Out, line)
		}
	}
	fmt.Fprintln(e.io.Out, e.l.T("cli.lesson.how_to_start"))
	return nil
}

// play runs one lesson, resuming it unless restart is set or it was finished.
func (e *lessonEnv) play(cmd *cobra.Command, ls lessons.Lesson, restart bool) error {
	st, f, err := e.openProgress()
	if err != nil {
		return err
	}
	rec := f.Lessons[ls.Name]
	seedChanged := cmd.Flags().Changed("seed") && rec != nil && rec.Seed != e.g.seed
	if rec != nil && !rec.Done && !restart && !seedChanged && e.outdated(ls, rec) {
		// Made for an older version of the lesson: its steps are not these, so it cannot resume.
		fmt.Fprintln(e.io.Out, e.l.T("cli.lesson.outdated", map[string]any{"Name": ls.Name}))
	}
	if rec == nil || rec.Done || restart || seedChanged || e.outdated(ls, rec) {
		rec = &progress.Record{Seed: e.g.seed, Answers: map[string]progress.Answer{}}
		f.Lessons[ls.Name] = rec
	}
	rec.Lang, rec.Steps, rec.Questions = e.l.Lang(), len(ls.Steps), ls.Questions()
	// Each save re-reads the file and changes only this lesson's record: lessons played at the
	// same time in other processes keep theirs.
	save := func() error {
		if err := e.warnCorrupt(st, st.SaveLesson(ls.Name, rec)); err != nil {
			return fmt.Errorf("%s: %w", e.l.T("cli.progress.save_failed", map[string]any{"Path": st.Path()}), err)
		}
		return nil
	}
	if e.guard != nil {
		e.guard.setSave(save)
	}
	english, err := locales.New("en")
	if err != nil {
		return err
	}
	// The lesson's cluster, as it moves: for a live map (--web) and the map written at the end
	// (--export).
	var last *cluster.Cluster
	changed := func(c *cluster.Cluster) { last = c }
	opts := picture.Options{Context: e.l.T("picture.context.lesson", map[string]any{"Name": ls.Name, "Title": e.l.T(ls.Title)}),
		Seed: rec.Seed}
	if e.web.on {
		page, err := startWeb(e.io, e.l, e.web.addr, picture.LiveConfig{Options: opts, Note: e.l.T("picture.live.note_lesson")})
		if err != nil {
			return err
		}
		defer page.stop()
		changed = func(c *cluster.Cluster) {
			last = c
			page.live.Update(c)
		}
	}
	out, _ := e.io.Out.(*os.File)
	err = lesson.Play(lesson.Config{Lesson: ls, L: e.l, English: english, Style: e.style(), Prompt: e.prompter(out),
		Out: e.io.Out, Record: rec, Save: save, Interactive: e.interactive(), Files: e.io.Files, Debug: debugOut(e.io),
		Course: e.lessons, Finished: finished(f), Changed: changed})
	if e.export != "" && last != nil && (err == nil || errors.Is(err, lesson.ErrStopped)) {
		if xerr := picture.Export(last, e.l, opts, e.export, nil); xerr != nil {
			return xerr
		}
		fmt.Fprintln(e.io.Out, e.l.T("picture.export.written", map[string]any{"File": e.export}))
	}
	if errors.Is(err, lesson.ErrStopped) {
		if errors.Is(err, prompt.ErrInterrupted) {
			return interruptedError{}
		}
		return nil
	}
	return err
}

func newLessonCmd(io IO, l *locales.Localizer, g *globalFlags) *cobra.Command {
	var restart bool
	var export string
	var web webFlags
	var real realFlags
	c := &cobra.Command{
		Use:   "lesson [NAME]",
		Short: "cli.lesson.short",
		Long:  "cli.lesson.long",
		Args:  cobra.MaximumNArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			e, err := newLessonEnv(io, l, g)
			if err != nil {
				return nil, cobra.ShellCompDirectiveError
			}
			var out []string
			for _, ls := range e.lessons {
				out = append(out, ls.Name+"\t"+l.T(ls.Title))
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := newLessonEnv(io, l, g)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				return e.guarded(func() error { return e.menu(cmd) })
			}
			ls, err := e.find(args[0])
			if err != nil {
				return err
			}
			if export != "" {
				if err := picture.CheckName(l, export); err != nil {
					return usageError{err}
				}
			}
			e.export, e.web, e.real = export, web, real
			if real.on() {
				if export != "" || web.on {
					return usageError{errors.New(l.T("real.error.miniature_only"))}
				}
				return e.guarded(func() error { return e.playReal(ls) })
			}
			return e.guarded(func() error { return e.play(cmd, ls, restart) })
		},
	}
	c.Flags().BoolVar(&restart, "restart", false, "cli.lesson.flag.restart")
	c.Flags().StringVar(&export, "export", "", "cli.lesson.flag.export")
	web.add(c.Flags())
	real.add(c.Flags())
	c.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "cli.lesson.list.short",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			e, f, err := lessonsAndProgress(io, l, g)
			if err != nil {
				return err
			}
			return e.list(f)
		},
	})
	return c
}

func newProgressCmd(io IO, l *locales.Localizer, g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "progress",
		Short: "cli.progress.short",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			e, f, err := lessonsAndProgress(io, l, g)
			if err != nil {
				return err
			}
			tw := view.NewTable(io.Out)
			fmt.Fprintln(tw, l.T("cli.progress.header"))
			for _, ls := range e.lessons {
				r := f.Lessons[ls.Name]
				if r == nil {
					fmt.Fprintf(tw, "%s\t0/%d\t-\t-\t-\t%s\n", ls.Name, len(ls.Steps), l.T("cli.progress.not_started"))
					continue
				}
				got, of := r.Score()
				state := l.T("cli.progress.state_in_progress")
				switch {
				case r.Done:
					state = l.T("cli.progress.state_done")
				case e.outdated(ls, r):
					state = l.T("cli.progress.outdated")
				}
				fmt.Fprintf(tw, "%s\t%d/%d\t%d/%d\t%d\t%s\t%s\n", ls.Name, r.Step, r.Steps, got, of, r.SecondTries(), r.Lang, state)
			}
			return tw.Flush()
		},
	}
}

func newResetCmd(io IO, l *locales.Localizer, g *globalFlags) *cobra.Command {
	var all bool
	c := &cobra.Command{
		Use:   "reset [NAME | --all]",
		Short: "cli.reset.short",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			e, err := newLessonEnv(io, l, g)
			if err != nil {
				return err
			}
			if all == (len(args) == 1) {
				return usageError{errors.New(l.T("cli.reset.usage"))}
			}
			if !all {
				if _, err := e.find(args[0]); err != nil {
					return err
				}
			}
			st, err := e.store()
			if err != nil {
				return err
			}
			if all {
				err = st.ForgetAll()
			} else {
				err = st.Forget(args[0])
			}
			if err := e.warnCorrupt(st, err); err != nil {
				return err
			}
			name := l.T("cli.reset.all_lessons")
			if !all {
				name = args[0]
			}
			fmt.Fprintln(io.Out, l.T("cli.reset.done", map[string]any{"Name": name}))
			return nil
		},
	}
	c.Flags().BoolVar(&all, "all", false, "cli.reset.flag.all")
	return c
}

// suggest returns the closest name within two edits, or one that starts with the input.
func suggest(in string, names []string) string {
	best, bestD := "", 3
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	for _, n := range sorted {
		if d := distance(strings.ToLower(in), n); d < bestD {
			best, bestD = n, d
		}
		if best == "" && in != "" && strings.HasPrefix(n, strings.ToLower(in)) {
			best = n
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
