package lesson

import (
	"io"

	"github.com/k8slearn/k8slearn/cmd/sandbox"
	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/quiz"
)

// Backend is the cluster a lesson plays on: the miniature control plane, stepped one component at
// a time (a sandbox session), or a real cluster, observed as it moves by itself (RealBackend).
// The player runs the same lesson file on either.
type Backend interface {
	// SetOutput says where everything the backend prints goes.
	SetOutput(w io.Writer)
	// Exec runs a lesson's kubectl command, or a read-only command the learner typed.
	Exec(line string)
	// Show shows a view of the cluster (a lesson's show: step).
	Show(view string)
	// Advance lets the cluster move and tells what happened: "one" action, all until "idle", or
	// until a COMPONENT acted.
	Advance(how string)
	// DrawMap draws the map after an advance that was not to idle.
	DrawMap()
	// Next is the component that acts next, and whether it is known without waiting.
	Next() (string, bool)
	// Env is what the quiz's probes read.
	Env() quiz.Env
	// Internal reports a panic recovered while doing what, as an internal error line.
	Internal(what string, r any)
	// Chain is the run's chain of actions as the summary retells it: a count of the earlier ones
	// no longer kept, then one line per action.
	Chain(l view.Styler) (earlier, lines []string)
	// ReadOnly reports whether a line a learner typed only looks at the cluster.
	ReadOnly(line string) bool
	// Replayable reports whether the cluster can be rebuilt by redoing the steps (a lesson that
	// resumes); a real cluster cannot.
	Replayable() bool
	// Nodes are the nodes the lesson's node-1, node-2… stand for, in that order: the miniature's
	// own, or a real cluster's schedulable nodes.
	Nodes() []string
}

// miniature is the miniature cluster behind a sandbox session.
type miniature struct {
	s *sandbox.Session
	p *Player
}

func (m miniature) SetOutput(w io.Writer) { m.s.SetOutput(w) }
func (m miniature) Exec(line string)      { m.s.Exec(line) }

func (m miniature) Show(v string) {
	if v == "map" {
		m.s.DrawMap() // its legend only the first time, unlike the map command a learner types
		return
	}
	m.s.Exec(v)
}

// Advance lets the cluster move: one action, all until idle, or until a component acted.
func (m miniature) Advance(how string) {
	switch how {
	case "one":
		if !m.s.StepOnce() {
			m.p.println(m.p.t("sandbox.idle"))
		}
	case "idle":
		m.s.Exec("run")
	default:
		m.s.Exec("step " + how)
	}
}

func (m miniature) DrawMap()                  { m.s.DrawMap() }
func (m miniature) Next() (string, bool)      { return m.s.Cluster().Next(), true }
func (m miniature) Env() quiz.Env             { return quiz.Env{Cluster: m.s.Cluster(), Namespace: "default"} }
func (m miniature) ReadOnly(line string) bool { return sandbox.ReadOnly(line) }
func (m miniature) Replayable() bool          { return true }
func (m miniature) Nodes() []string           { return m.s.Cluster().NodeNames() }

func (m miniature) Internal(what string, r any) { m.s.Internal(what, r) }

func (m miniature) Chain(style view.Styler) (earlier, lines []string) {
	e, entries := m.s.Cluster().TraceWithEarlier()
	earlier = view.Earlier(m.p.cfg.L, style, e, len(entries))
	var routine cluster.Earlier // Lease renewals and the like, counted in one line as wait does
	for _, en := range entries {
		if view.Routine(en) {
			routine.Add(en)
			continue
		}
		lines = append(lines, view.TraceSummary(m.p.cfg.L, en))
	}
	if routine.Entries > 0 {
		lines = append(lines, style.Dim(m.p.cfg.L.N("lesson.routine_left_out", routine.Entries,
			map[string]any{"Components": view.StepCounts(m.p.cfg.L, routine.ByComponent)})))
	}
	return earlier, lines
}
