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
	entries, done := s.cluster.Wait(d, s.maxSteps())
	s.printSteps(entries)
	now := s.cluster.Clock().Now().Format("15:04:05")
	if !done {
		s.println(s.cfg.Style.Dim(s.cfg.L.N("sandbox.wait_stopped", len(entries), map[string]any{"Now": now, "Duration": d.String()})))
		return
	}
	s.println(s.cfg.Style.Dim(s.cfg.L.N("sandbox.waited", len(entries), map[string]any{"Now": now, "Duration": d.String()})))
}

// printSteps prints entries as `run` does: the first shownPerRun in full, routine heartbeats
// counted rather than printed, the rest counted in one line.
func (s *Session) printSteps(entries []cluster.TraceEntry) {
	var routine, unshown cluster.Earlier
	shown := 0
	for _, e := range entries {
		switch {
		case view.Routine(e):
			routine.Add(e)
			s.lastActor = e.Component
		case shown < shownPerRun:
			shown++
			s.printEntry(e)
		default:
			if unshown.Entries == 0 {
				s.println(s.cfg.Style.Dim(s.T("sandbox.run_quiet", map[string]any{"Max": shownPerRun})))
			}
			unshown.Add(e)
			s.lastActor = e.Component
		}
	}
	for _, l := range view.RoutineSummary(s.cfg.L, s.cfg.Style, routine) {
		s.println(l)
	}
	for _, l := range view.Unshown(s.cfg.L, s.cfg.Style, unshown, s.cluster.Config().TraceWindow) {
		s.println(l)
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
