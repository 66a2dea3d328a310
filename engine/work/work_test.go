package work

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

func trig(name string) Trigger {
	return Trigger{Kind: Watch, EventType: "ADDED", Resource: "pods", Name: name}
}

// drain pops everything and returns "owner:key" in order.
func drain(a *Agenda) []string {
	var out []string
	for {
		it, ok := a.Pop()
		if !ok {
			return out
		}
		out = append(out, it.Owner().Owner()+":"+it.Key)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestOrderByReadyTimeThenQueueOrder(t *testing.T) {
	a := NewAgenda()
	ctl, sched := a.NewQueue("controller"), a.NewQueue("scheduler")
	ctl.Add("x", at(0), trig("x"))
	sched.Add("p1", at(0), trig("p1"))
	ctl.Add("later", at(50), trig("later"))
	sched.Add("p2", at(0), trig("p2"))
	ctl.Add("soon", at(10), trig("soon"))
	got := drain(a)
	want := []string{"controller:x", "scheduler:p1", "scheduler:p2", "controller:soon", "controller:later"}
	if !equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}

func TestDeduplication(t *testing.T) {
	a := NewAgenda()
	q := a.NewQueue("c")
	q.Add("k", at(0), trig("first"))
	q.Add("other", at(0), trig("other"))
	q.Add("k", at(0), trig("second")) // already queued: keeps its place and first trigger
	q.Add("k", at(30), trig("third")) // later time: ignored
	if q.Len() != 2 || !q.Has("k") {
		t.Fatalf("len %d, has k %v", q.Len(), q.Has("k"))
	}
	it, _ := a.Pop()
	if it.Key != "k" || it.Trigger.Name != "first" {
		t.Fatalf("popped %s (%s), want k with its first trigger", it.Key, it.Trigger.Name)
	}
	if got := drain(a); !equal(got, []string{"c:other"}) {
		t.Fatalf("rest %v", got)
	}
}

func TestEarlierAddMovesItemUp(t *testing.T) {
	a := NewAgenda()
	q := a.NewQueue("c")
	q.Add("slow", at(100), trig("timer"))
	q.Add("fast", at(50), trig("fast"))
	q.Add("slow", at(10), trig("watch")) // AddAfter keeps the soonest time, and the first trigger
	it, _ := a.Peek()
	if it.Key != "slow" || !it.ReadyAt.Equal(at(10)) || it.Trigger.Name != "timer" {
		t.Fatalf("peek %s at %v (%s), want slow at +10ms with its first trigger", it.Key, it.ReadyAt, it.Trigger.Name)
	}
	if got := drain(a); !equal(got, []string{"c:slow", "c:fast"}) {
		t.Fatalf("order %v: a superseded entry must not pop twice", got)
	}
}

func TestRemoveAndForget(t *testing.T) {
	a := NewAgenda()
	q, other := a.NewQueue("c"), a.NewQueue("o")
	q.Add("a", at(0), trig("a"))
	q.Add("b", at(1), trig("b"))
	other.Add("z", at(2), trig("z"))
	q.Remove("a")
	q.Remove("missing") // no-op
	if q.Has("a") || q.Len() != 1 {
		t.Fatalf("after Remove: has a %v, len %d", q.Has("a"), q.Len())
	}
	if it, _ := a.Peek(); it.Key != "b" {
		t.Fatalf("peek %s, want b: a removed item must be skipped", it.Key)
	}
	q.Add("a", at(5), trig("again")) // queued again after removal: a new item
	if got := drain(a); !equal(got, []string{"c:b", "o:z", "c:a"}) {
		t.Fatalf("order %v", got)
	}
	q.Add("x", at(0), trig("x"))
	q.Forget()
	if q.Len() != 0 {
		t.Fatal("Forget left items")
	}
	if _, ok := a.Pop(); ok {
		t.Fatal("a forgotten item popped")
	}
}

func TestItemsInAgendaOrder(t *testing.T) {
	a := NewAgenda()
	q := a.NewQueue("c")
	q.Add("c", at(20), trig("c"))
	q.Add("a", at(10), trig("a"))
	q.Add("b", at(10), trig("b"))
	var keys []string
	for _, it := range q.Items() {
		keys = append(keys, it.Key)
	}
	if !equal(keys, []string{"a", "b", "c"}) {
		t.Fatalf("Items %v", keys)
	}
	if q.Owner() != "c" {
		t.Fatalf("owner %q", q.Owner())
	}
	first, _ := a.Pop()
	second, _ := a.Pop()
	if first.Seq() >= second.Seq() {
		t.Errorf("seq %d then %d: the agenda must number items in the order they were queued", first.Seq(), second.Seq())
	}
}

func timerTrig(what string) Trigger { return Trigger{Note: what} }

func TestTimersWaitUntilDue(t *testing.T) {
	a := NewAgenda()
	kl := a.NewQueue("kubelet")
	kl.AddTimer("backoff", at(10_000), timerTrig("backoff"))
	if _, ok := a.PopNext(at(0)); ok {
		t.Fatal("a timer 10 s ahead fired with no work to wait for")
	}
	if kl.Len() != 0 || len(kl.Timers()) != 1 || kl.Timers()[0].Trigger.Kind != Timer {
		t.Fatalf("Len %d, Timers %+v: the timer is not work, and its kind is Timer", kl.Len(), kl.Timers())
	}
	it, ok := a.PopNext(at(10_000))
	if !ok || it.Key != "backoff" || !it.Timer() {
		t.Fatalf("due timer: got %+v, %v", it, ok)
	}
}

func TestTimersFireInTimeOrderWithWork(t *testing.T) {
	a := NewAgenda()
	rt, kl := a.NewQueue("containerd"), a.NewQueue("kubelet")
	rt.Add("pull", at(5_000), trig("pull"))             // work that completes in 5 s: the clock moves to it
	kl.AddTimer("lease", at(3_000), timerTrig("lease")) // due before it: fires first
	kl.AddTimer("late", at(9_000), timerTrig("late"))   // due after it: waits
	var got []string
	for {
		it, ok := a.PopNext(at(0))
		if !ok {
			break
		}
		got = append(got, it.Key)
	}
	if want := []string{"lease", "pull"}; !equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	if it, ok := a.PopDue(at(9_000)); !ok || it.Key != "late" {
		t.Fatalf("PopDue = %+v, %v; want the late timer", it, ok)
	}
}

func TestTimerAndWorkOfOneKeyAreKeptApart(t *testing.T) {
	a := NewAgenda()
	q := a.NewQueue("kubelet")
	q.AddTimer("default/web", at(10_000), timerTrig("backoff"))
	q.Add("default/web", at(0), trig("web"))                  // a watch event must not swallow the back-off
	q.AddTimer("default/web", at(20_000), timerTrig("later")) // keeps the sooner time
	if due, ok := q.TimerAt("default/web"); !ok || !due.Equal(at(10_000)) || q.Timers()[0].Trigger.Note != "backoff" {
		t.Fatalf("timer = %+v", q.Timers())
	}
	if got := drain(a); !equal(got, []string{"kubelet:default/web", "kubelet:default/web"}) {
		t.Fatalf("drain %v: want the work, then the timer", got)
	}
	q.AddTimer("x", at(1), timerTrig("x"))
	q.CancelTimer("x")
	if _, ok := a.PopDue(at(1_000_000)); ok {
		t.Fatal("a cancelled timer fired")
	}
}
