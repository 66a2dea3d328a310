package serve

import (
	"bufio"
	"context"
	"io"
	"time"

	"github.com/k8slearn/k8slearn/cmd/sandbox"
	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/cluster"
)

// maxWait bounds one real-time wait for a simulated duration (a container runtime call), so
// even a long simulated delay plays out in a few seconds.
const maxWait = 3 * time.Second

// loop drives the cluster: by itself (auto) or one step per request (step mode), narrating the
// requests clients made and every component action.
type loop struct {
	c      *cluster.Cluster
	n      *narrator
	now    func() time.Time
	auto   bool
	wakeCh chan struct{}    // a client wrote something
	stepCh chan stepRequest // `k8slearn step` (or the live page) asked for a step
	execCh chan execRequest // a sandbox command to run (exec.go)
	// session runs the sandbox commands (made at the first); clock is the clock the loop and
	// the requests follow, moved on by a wait.
	session *sandbox.Session
	clock   *shiftedClock
	seen    int // the last trace entry narrated
	// changed, when set, is called after entries are narrated: the live picture redraws.
	changed func()
}

// stepRequest asks for one step, or (untilIdle, the live page's run button) for steps until no
// component has work.
type stepRequest struct {
	reply     chan stepResult
	untilIdle bool
}

// stepResult is what `k8slearn step` gets back: whether a component acted, and the narration.
type stepResult struct {
	Stepped bool     `json:"stepped"`
	Lines   []string `json:"lines"`
}

func newLoop(c *cluster.Cluster, n *narrator, now func() time.Time, auto bool) *loop {
	return &loop{c: c, n: n, now: now, auto: auto, wakeCh: make(chan struct{}, 1), stepCh: make(chan stepRequest),
		execCh: make(chan execRequest)}
}

// wake tells the loop a client wrote to the API server. It never blocks.
func (l *loop) wake() {
	select {
	case l.wakeCh <- struct{}{}:
	default:
	}
}

func (l *loop) run(ctx context.Context, in io.Reader) {
	if l.auto {
		l.runAuto(ctx)
		return
	}
	l.runStep(ctx, in)
}

// flush narrates the requests clients made since the last look.
func (l *loop) flush() bool {
	entries := l.c.Flush()
	l.narrate(entries...)
	return len(entries) > 0
}

// narrate prints trace entries in order. A client request that arrived between a flush and a
// step was recorded by the step itself: it is fetched from the trace first.
func (l *loop) narrate(entries ...cluster.TraceEntry) {
	for _, e := range entries {
		if e.Seq > l.seen+1 {
			for _, missed := range l.c.TraceSince(l.seen) {
				if missed.Seq >= e.Seq {
					break
				}
				l.n.entry(missed)
			}
		}
		l.n.entry(e)
		l.seen = e.Seq
	}
	if len(entries) > 0 && l.changed != nil {
		l.changed()
	}
}

// runAuto lets the components act as soon as they have work. A component's item that is not due
// yet (a container runtime call takes simulated time) is waited for in real time, at most
// maxWait, and the simulation never runs ahead of the wall clock.
func (l *loop) runAuto(ctx context.Context) {
	for ctx.Err() == nil {
		l.c.Clock().AdvanceTo(l.now())
		l.flush()
		pending := l.c.Pending()
		if len(pending) == 0 {
			// Nothing to do until a client writes, or the next timer (a Lease renewal, an
			// eviction) falls due in real time.
			var due <-chan time.Time
			var timer *time.Timer
			if t, ok := l.c.NextTimer(); ok {
				timer = time.NewTimer(max(t.At.Sub(l.now()), time.Millisecond))
				due = timer.C
			}
			select {
			case <-l.wakeCh:
			case <-due:
			case <-ctx.Done():
			}
			if timer != nil {
				timer.Stop()
			}
			continue
		}
		simNow := l.c.Clock().Now()
		wait := pending[0].Items[0].ReadyAt.Sub(simNow)
		if ahead := simNow.Sub(l.now()); ahead > wait {
			wait = ahead
		}
		if wait > 0 {
			capped := wait > maxWait
			if capped {
				wait = maxWait
			}
			woken, done := l.sleep(ctx, wait)
			if done {
				return
			}
			if woken || !capped {
				continue // look again: new work may come first, and the clock has moved
			}
		}
		if e, ok := l.c.Step(); ok {
			l.narrate(e)
		}
	}
}

// sleep waits d, or less when a client writes (woken) or ctx ends (done).
func (l *loop) sleep(ctx context.Context, d time.Duration) (woken, done bool) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return false, false
	case <-l.wakeCh:
		return true, false
	case <-ctx.Done():
		return false, true
	}
}

// runStep waits for the learner: Enter in the serve terminal or `k8slearn step` elsewhere lets
// the next component act once. Client requests are narrated as they come.
func (l *loop) runStep(ctx context.Context, in io.Reader) {
	enter := make(chan struct{})
	if in != nil {
		go func() {
			sc := bufio.NewScanner(in)
			for sc.Scan() {
				select {
				case enter <- struct{}{}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.wakeCh:
			l.c.Clock().AdvanceTo(l.now())
			if l.flush() {
				l.next()
			}
		case <-enter:
			l.step(view.NewStyler(false))
		case req := <-l.execCh:
			req.reply <- l.exec(req.line)
		case req := <-l.stepCh:
			if req.untilIdle {
				req.reply <- l.runToIdle()
				continue
			}
			req.reply <- l.step(view.NewStyler(false))
		}
	}
}

// step lets one component act, narrates it, and returns the narration (in plain style) for a
// remote `k8slearn step`.
func (l *loop) step(plain view.Styler) stepResult {
	l.c.Clock().AdvanceTo(l.now())
	l.flush()
	e, ok := l.c.Step()
	if !ok {
		line := l.n.l.T("serve.step.idle")
		if t, found := l.c.NextTimer(); found {
			// Time passes here as it does for the learner: the timer fires at a step once due.
			line = l.n.l.T("serve.step.idle_timer", map[string]any{"In": view.In(l.c.Clock().Now(), t.At).String(),
				"Component": t.Component, "What": view.TriggerPhrase(l.n.l, t.Trigger)})
		}
		l.n.println(line)
		return stepResult{Lines: []string{line}}
	}
	l.narrate(e)
	res := stepResult{Stepped: true, Lines: view.Trace(l.n.l, plain, e)}
	if next := l.next(); next != "" {
		res.Lines = append(res.Lines, next)
	}
	return res
}

// maxRun bounds the steps of one run request, so that a control plane that never settles cannot
// hold the loop (as the sandbox bounds its run).
const maxRun = 100_000

// runToIdle steps until no component has work, or maxRun steps.
func (l *loop) runToIdle() stepResult {
	res := stepResult{}
	for range maxRun {
		r := l.step(view.NewStyler(false))
		if !r.Stepped {
			break
		}
		res.Stepped = true
	}
	return res
}

// next says which component acts at the next step, and returns the line.
func (l *loop) next() string {
	pending := l.c.Pending()
	if len(pending) == 0 {
		return ""
	}
	line := l.n.l.T("serve.step.next", map[string]any{"Component": pending[0].Component})
	l.n.println(l.n.st.Dim(line))
	return line
}
