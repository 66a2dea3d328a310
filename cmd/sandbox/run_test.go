package sandbox

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl"
	"github.com/k8slearn/k8slearn/locales"
)

// A run that stops at its step limit with work still queued says so, and who is next; it does
// not call the cluster idle.
func TestRunStoppedAtItsLimitSaysWorkIsLeft(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			l, err := locales.New(lang)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			s, err := New(Config{Seed: 1, L: l, Style: view.NewStyler(false), MaxSteps: 5}, &out)
			if err != nil {
				t.Fatal(err)
			}
			s.Exec("create deployment web --image=nginx --replicas=2")
			runs := 0
			for ; runs < 100 && !s.Cluster().Idle(); runs++ {
				out.Reset()
				s.Exec("run")
				got := lastLine(out.String())
				if next := s.Cluster().Next(); next != "" {
					if want := l.N("sandbox.ran_stopped", 5, map[string]any{"Next": next}); got != want {
						t.Fatalf("run %d stopped at the limit with %s next: %q, want %q", runs, next, got, want)
					}
					continue
				}
				if !isOneOf(got, l.N("sandbox.ran", 1), l.N("sandbox.ran", 2), l.N("sandbox.ran", 3), l.N("sandbox.ran", 4), l.N("sandbox.ran", 5)) {
					t.Errorf("the run that left the cluster idle: %q", got)
				}
			}
			if runs < 2 || !s.Cluster().Idle() {
				t.Fatalf("%d runs of 5 steps, idle %v", runs, s.Cluster().Idle())
			}
			out.Reset()
			s.Exec("run")
			if got := lastLine(out.String()); got != l.T("sandbox.idle") {
				t.Errorf("run on an idle cluster: %q", got)
			}
		})
	}
}

// `step COMPONENT` that reaches the limit first says so too.
func TestStepComponentStoppedAtItsLimit(t *testing.T) {
	l, err := locales.New("en")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	s, err := New(Config{Seed: 1, L: l, Style: view.NewStyler(false), MaxSteps: 3}, &out)
	if err != nil {
		t.Fatal(err)
	}
	s.Exec("create deployment web --image=nginx --replicas=2")
	out.Reset()
	s.Exec("step kubelet")
	want := "kubelet has not acted after 3 steps; the cluster still has work queued (next: " + s.Cluster().Next() + ")."
	if got := lastLine(out.String()); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// The sandbox's trace says which steps it no longer keeps.
func TestTraceSaysOlderStepsWereSummarised(t *testing.T) {
	l, err := locales.New("en")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	s, err := New(Config{Seed: 1, L: l, Style: view.NewStyler(false)}, &out)
	if err != nil {
		t.Fatal(err)
	}
	cc := cluster.DefaultConfig(1)
	cc.TraceWindow = 5
	c, err := cluster.New(cc)
	if err != nil {
		t.Fatal(err)
	}
	s.cluster, s.kubectl = c, kubectl.New(c, nil) // a small window, to see it at work
	s.Exec("create deployment web --image=nginx --replicas=1")
	s.Exec("run")
	out.Reset()
	s.Exec("trace")
	first := strings.SplitN(out.String(), "\n", 2)[0]
	if !strings.HasPrefix(first, "Steps #1 to #") || !strings.Contains(first, "are no longer kept, only counted (the newest 5 steps are kept): kubectl ×1, deployment-controller ×") {
		t.Errorf("first line of the trace: %q", first)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func isOneOf(s string, list ...string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// A run prints its first shownPerRun steps; the rest it counts in one line.
func TestLongRunPrintsItsFirstStepsAndCountsTheRest(t *testing.T) {
	var out bytes.Buffer
	s := newSession(t, &out)
	s.Exec("create deployment web --image=nginx --replicas=200")
	out.Reset()
	s.Exec("run")
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	headers, quietAt := 0, -1
	for i, l := range lines {
		if strings.HasPrefix(l, "#") {
			headers++
		}
		if strings.HasPrefix(l, "(That is 1000 steps shown") {
			quietAt = i
		}
	}
	if headers != shownPerRun || quietAt < 0 {
		t.Fatalf("%d steps printed, quiet line at %d", headers, quietAt)
	}
	trace := s.Cluster().Trace()
	ran := 0
	fmt.Sscanf(lines[len(lines)-1], "%d steps; the cluster is idle.", &ran)
	if ran <= shownPerRun {
		t.Fatalf("last line %q", lines[len(lines)-1])
	}
	// Routine heartbeats that fell due during the run are counted apart, and not among the
	// steps shown.
	var unshown []int
	for _, e := range trace[len(trace)-ran:] {
		if !view.Routine(e) {
			unshown = append(unshown, e.Seq)
		}
	}
	unshown = unshown[shownPerRun:]
	want := fmt.Sprintf("Steps #%d to #%d (%d steps) were not shown: ", unshown[0], unshown[len(unshown)-1], len(unshown))
	if got := lines[len(lines)-2]; !strings.HasPrefix(got, want) || !strings.Contains(got, "kubelet ×") ||
		!strings.HasSuffix(got, ". trace keeps the newest 5000 steps.") {
		t.Errorf("got %q, want it to start %q", got, want)
	}
}
