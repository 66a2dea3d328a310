package sandbox

import (
	"strings"
	"time"

	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/cluster"
)

// Time in the sandbox: the clock moves only when components act (`step`, `run`) or when the
// learner lets it pass (`wait 5m`), which fires every timer due meanwhile — back-offs, Lease
// renewals, grace periods, evictions — one step each, in time order.

// message is a learner-facing message: a locales ID and its arguments. Commands return one as an
// error, and the session prints it in the learner's language.
type message struct {
	ID   string
	Args map[string]any
}

func (m message) Error() string { return m.ID }

// parseWait reads wait's DURATION as kubectl reads its durations (Go's: 30s, 5m, 1h30m). It
// refuses what is not a duration, what is not above zero and what is longer than a day.
func parseWait(arg string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(arg))
	switch {
	case err != nil:
		return 0, message{"sandbox.wait_bad", map[string]any{"Value": arg}}
	case d <= 0:
		return 0, message{"sandbox.wait_not_positive", map[string]any{"Value": arg}}
	case d > cluster.MaxWait:
		return 0, message{"sandbox.wait_too_long", map[string]any{"Value": arg, "Max": cluster.MaxWait.String()}}
	}
	return d, nil
}

// wait handles `wait DURATION`: every step taken is printed as `step` prints it, but routine
// heartbeats are counted in one line; then where the clock stands.
func (s *Session) wait(args []string) {
	if len(args) != 1 {
		s.println(s.T("sandbox.usage.wait"))
		return
	}
	d, err := parseWait(args[0])
	if err != nil {
		s.printErr(err)
		return
	}
	var steps stepLog
	n, done := s.cluster.WaitEach(d, s.maxSteps(), steps.add)
	s.printSteps(&steps)
	now := s.cluster.Clock().Now().Format("15:04:05")
	if !done {
		s.println(s.cfg.Style.Dim(s.cfg.L.N("sandbox.wait_stopped", n, map[string]any{"Now": now, "Duration": d.String()})))
		return
	}
	s.println(s.cfg.Style.Dim(s.cfg.L.N("sandbox.waited", n, map[string]any{"Now": now, "Duration": d.String()})))
}

// stepLog keeps what `wait` prints of its steps, as they are taken: the first shownPerRun in
// full, routine heartbeats and the rest counted. An hour of a thousand crash-looping pods is
// some 45,000 steps: keeping them all cost more than taking them.
type stepLog struct {
	shown            []cluster.TraceEntry
	routine, unshown cluster.Earlier
	last             string // the component of the newest step
}

func (l *stepLog) add(e cluster.TraceEntry) {
	switch {
	case view.Routine(e):
		l.routine.Add(e)
	case len(l.shown) < shownPerRun:
		l.shown = append(l.shown, e)
	default:
		l.unshown.Add(e)
	}
	l.last = e.Component
}

// printSteps prints the steps as `run` does: the first shownPerRun in full, routine heartbeats
// counted rather than printed, the rest counted in one line.
func (s *Session) printSteps(l *stepLog) {
	for _, e := range l.shown {
		s.printEntry(e)
	}
	if l.unshown.Entries > 0 {
		s.println(s.cfg.Style.Dim(s.T("sandbox.run_quiet", map[string]any{"Max": shownPerRun})))
	}
	if l.last != "" {
		s.lastActor = l.last
	}
	for _, line := range view.RoutineSummary(s.cfg.L, s.cfg.Style, l.routine) {
		s.println(line)
	}
	for _, line := range view.Unshown(s.cfg.L, s.cfg.Style, l.unshown, s.cluster.Config().TraceWindow) {
		s.println(line)
	}
	s.changed() // the steps not printed moved the cluster too
}

// pending handles `pending`: the queued work, then the timers waiting for time to pass.
func (s *Session) pending() {
	for _, l := range view.Pending(s.cfg.L, s.cfg.Style, s.cluster.Pending()) {
		s.println(l)
	}
	for _, l := range view.Timers(s.cfg.L, s.cfg.Style, s.cluster.Timers(), s.cluster.Clock().Now()) {
		s.println(l)
	}
}

// idlePrompt is the prompt of an idle cluster: with a timer ahead it says which, and how long to
// wait for it. Routine heartbeats (Lease renewals, the node controller's watchdogs) are always
// there and are left to `pending`: the prompt names the next timer that is not routine.
func (s *Session) idlePrompt() string {
	var t cluster.Timer
	found := false
	for _, tm := range s.cluster.Timers() {
		if !tm.Trigger.Routine {
			t, found = tm, true
			break
		}
	}
	if !found {
		return s.T("sandbox.prompt_idle")
	}
	in := view.In(s.cluster.Clock().Now(), t.At).String()
	return s.T("sandbox.prompt_idle_timer", map[string]any{"In": in, "Component": t.Component})
}

// printErr prints a command's error in the learner's language.
func (s *Session) printErr(err error) {
	if m, ok := err.(message); ok {
		s.println(s.T(m.ID, m.Args))
		return
	}
	s.println(s.cfg.L.Error(err))
}
