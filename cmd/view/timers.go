package view

import (
	"time"

	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/locales"
)

// Routine reports whether an entry is a routine heartbeat that changed nothing worth a line of
// its own: a timer its component marks routine (a kubelet renewing its Lease, posting an
// unchanged node status) that noted nothing and recorded no event. Views count runs of them in one
// line (RoutineSummary) instead of printing each.
func Routine(e cluster.TraceEntry) bool {
	if !e.Trigger.Routine || e.External || len(e.Notes) > 0 {
		return false
	}
	for _, w := range e.Writes {
		if w.Resource == "events" {
			return false
		}
	}
	return true
}

// RoutineSummary is the line that stands for the routine entries a view did not print: how many,
// and who made them ("kubelet ×31").
func RoutineSummary(l *locales.Localizer, st Styler, routine cluster.Earlier) []string {
	if routine.Entries == 0 {
		return nil
	}
	return []string{st.Dim(l.N("sandbox.routine_unshown", routine.Entries, map[string]any{"Components": StepCounts(l, routine.ByComponent)}))}
}

// In is how long until at, rounded up to the second ("8s", "4m52s"): waiting that long lets the
// timer fire.
func In(now, at time.Time) time.Duration {
	d := at.Sub(now)
	if d <= 0 {
		return 0
	}
	return (d + time.Second - 1).Truncate(time.Second)
}

// maxTimersShown bounds the timers `pending` lists: a big cluster has a few per node.
const maxTimersShown = 20

// Timers renders the timers that wait for time to pass, soonest first: who, what for, and when.
func Timers(l *locales.Localizer, st Styler, timers []cluster.Timer, now time.Time) []string {
	if len(timers) == 0 {
		return []string{l.T("sandbox.pending.no_timers")}
	}
	lines := []string{l.T("sandbox.pending.timers_header")}
	for i, t := range timers {
		if i == maxTimersShown {
			lines = append(lines, "  "+st.Dim(l.N("sandbox.pending.timers_more", len(timers)-i)))
			break
		}
		lines = append(lines, "  "+l.T("sandbox.pending.timer", map[string]any{
			"Component": st.Component(t.Component), "What": TriggerPhrase(l, t.Trigger), "In": In(now, t.At).String()}))
	}
	return lines
}
