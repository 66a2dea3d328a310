package cluster

import (
	"testing"
	"time"

	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/informer"
	"github.com/k8slearn/k8slearn/engine/work"
)

// ticker is a component that re-arms a timer every period and records when it fired.
type ticker struct {
	name   string
	queue  *work.Queue
	period time.Duration
	clock  interface{ Now() time.Time }
	fired  []time.Time
}

func (t *ticker) Name() string                    { return t.name }
func (t *ticker) Informers() []*informer.Informer { return nil }
func (t *ticker) Queue() *work.Queue              { return t.queue }
func (t *ticker) Process(it work.Item) component.Result {
	t.fired = append(t.fired, t.clock.Now())
	t.queue.AddTimer("tick", t.clock.Now().Add(t.period), work.Trigger{Note: "trigger.timer"})
	return component.Result{}
}

func newTicker(t *testing.T) (*Cluster, *ticker) {
	t.Helper()
	c, err := New(DefaultConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	tk := &ticker{name: "ticker", queue: c.agenda.NewQueue("ticker"), period: 10 * time.Second, clock: c.clock}
	c.add(tk)
	tk.queue.AddTimer("tick", c.clock.Now().Add(10*time.Second), work.Trigger{Note: "trigger.timer"})
	return c, tk
}

func TestTimersDoNotMoveTheClockByThemselves(t *testing.T) {
	c, tk := newTicker(t)
	start := c.clock.Now()
	if !c.Idle() {
		t.Fatalf("a cluster whose only item is a timer 10 s ahead is not idle: %+v", c.Pending())
	}
	if e := c.Run(0); len(e) != 0 || !c.clock.Now().Equal(start) {
		t.Fatalf("run took %d steps and moved the clock by %v; timers must wait for Wait", len(e), c.clock.Now().Sub(start))
	}
	// The kubelets' Lease renewals wait too; the first of all is node-1's, 8 s ahead.
	if next, ok := c.NextTimer(); !ok || next.Component != "kubelet/node-1" || !next.At.Equal(start.Add(8*time.Second)) {
		t.Fatalf("NextTimer = %+v, %v", next, ok)
	}
	var tick *Timer
	for _, tm := range c.Timers() {
		if tm.Component == "ticker" {
			tick = &tm
		}
	}
	if tick == nil || !tick.At.Equal(start.Add(10*time.Second)) || tick.Trigger.Kind != work.Timer {
		t.Fatalf("the ticker's timer: %+v in %+v", tick, c.Timers())
	}
	if len(tk.fired) != 0 {
		t.Fatal("fired without time passing")
	}
}

func TestWaitFiresEveryTimerDueInOrder(t *testing.T) {
	c, tk := newTicker(t)
	start := c.clock.Now()
	all, done := c.Wait(time.Minute, 0)
	var entries []TraceEntry // the ticker's; the kubelets renew their Leases meanwhile
	for _, e := range all {
		if e.Component == "ticker" {
			entries = append(entries, e)
		}
	}
	if !done || len(entries) != 6 || len(tk.fired) != 6 {
		t.Fatalf("wait 1m: %d entries, done %v, fired %d; want 6 ticks (10 s … 60 s)", len(entries), done, len(tk.fired))
	}
	for i, at := range tk.fired {
		if want := start.Add(time.Duration(i+1) * 10 * time.Second); at.Before(want) || at.Sub(want) > time.Second {
			t.Errorf("tick %d at +%v, want +%v", i+1, at.Sub(start), want.Sub(start))
		}
		if entries[i].Trigger.Kind != work.Timer || entries[i].Component != "ticker" {
			t.Errorf("entry %d = %+v", i, entries[i])
		}
	}
	if got := c.clock.Now().Sub(start); got < time.Minute || got > time.Minute+time.Second {
		t.Errorf("clock moved %v, want 1m", got)
	}
	if _, done := c.Wait(time.Hour, 3); done {
		t.Error("wait 1h with a 3-step limit reported it finished")
	}
	for _, d := range []time.Duration{0, -time.Second, MaxWait + 1} {
		before := c.clock.Now()
		if e, _ := c.Wait(d, 0); len(e) != 0 || !c.clock.Now().Equal(before) {
			t.Errorf("Wait(%v) did something", d)
		}
	}
}

func TestDueTimersFireBeforeLaterWork(t *testing.T) {
	c, tk := newTicker(t)
	// Work that completes 25 s from now: the clock jumps to it, and the ticks due at 10 s and
	// 20 s fire first, in order.
	q := c.agenda.NewQueue("slow")
	slow := &ticker{name: "slow", queue: q, clock: c.clock, period: time.Hour}
	c.add(slow)
	q.Add("pull", c.clock.Now().Add(25*time.Second), work.Trigger{Kind: work.Runtime, Note: "trigger.pleg"})
	var order []string
	for _, e := range c.Run(20) {
		if e.Component == "ticker" || e.Component == "slow" {
			order = append(order, e.Component)
		}
	}
	if want := []string{"ticker", "ticker", "slow"}; len(order) != 3 || order[0] != want[0] || order[1] != want[1] || order[2] != want[2] {
		t.Fatalf("order %v, want %v", order, want)
	}
	if len(tk.fired) != 2 {
		t.Fatalf("ticks %d, want 2", len(tk.fired))
	}
}

// WaitEach takes the steps Wait takes, handing each entry over as it is made, and counts them.
func TestWaitEachIsWait(t *testing.T) {
	a, _ := newTicker(t)
	b, _ := newTicker(t)
	want, _ := a.Wait(5*time.Minute, 0)
	var got []TraceEntry
	n, done := b.WaitEach(5*time.Minute, 0, func(e TraceEntry) { got = append(got, e) })
	if !done || n != len(want) || len(got) != len(want) {
		t.Fatalf("WaitEach: %d steps (done %v), %d handed over; Wait took %d", n, done, len(got), len(want))
	}
	for i := range want {
		if got[i].Seq != want[i].Seq || got[i].Component != want[i].Component || !got[i].Time.Equal(want[i].Time) {
			t.Fatalf("entry %d: %+v, Wait's %+v", i, got[i], want[i])
		}
	}
	if n, done := b.WaitEach(time.Hour, 3, func(TraceEntry) {}); n != 3 || done {
		t.Errorf("WaitEach with a 3-step limit: %d steps, done %v", n, done)
	}
}

// The trace's window slides along one array: after every entry it holds the newest TraceWindow,
// and the array stays within a few windows.
func TestTraceWindowSlidesInPlace(t *testing.T) {
	c := &Cluster{cfg: Config{TraceWindow: 7}}
	for seq := 1; seq <= 200; seq++ {
		c.appendTrace(TraceEntry{Seq: seq, Component: "x"})
		kept := c.kept()
		if want := min(seq, 7); len(kept) != want || kept[len(kept)-1].Seq != seq || kept[0].Seq != seq-want+1 {
			t.Fatalf("after #%d: kept %d entries #%d…", seq, len(kept), kept[0].Seq)
		}
		if c.earlier.Entries != seq-len(kept) {
			t.Fatalf("after #%d: %d counted earlier", seq, c.earlier.Entries)
		}
		if cap(c.trace) > 4*7 {
			t.Fatalf("after #%d: the array holds %d entries", seq, cap(c.trace))
		}
	}
}
