package sandbox

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/locales"
)

// transcript plays a script in a plain session, echoing each line as "$ line".
func transcript(t *testing.T, lang string, seed uint64, script []string) string {
	t.Helper()
	l, err := locales.New(lang)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	s, err := New(Config{Seed: seed, L: l, Style: view.NewStyler(false)}, &out)
	if err != nil {
		t.Fatal(err)
	}
	Loop(s, NewPlainReader(strings.NewReader(strings.Join(script, "\n")+"\n")), true)
	return out.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/sandbox -update creates it)", err)
	}
	if got != string(want) {
		w, g := strings.Split(string(want), "\n"), strings.Split(got, "\n")
		for i := range max(len(w), len(g)) {
			if i >= len(w) || i >= len(g) || w[i] != g[i] {
				t.Fatalf("%s differs at line %d (go test ./cmd/sandbox -update, then read the diff)", name, i+1)
			}
		}
	}
}

// nodeFailureScript is issue 9's acceptance: node-2 goes silent → NotReady after the grace period
// → its pod evicted after 300 s → replaced on node-1 → node-2 back.
var nodeFailureScript = []string{
	"kubectl create deployment web --image=nginx --replicas=3", "run", "pending",
	"get pods -o wide",
	"fault node node-2 down", "pending",
	"wait 1m", "get nodes", "describe node node-2",
	"wait 5m", "get pods -o wide", "get events --field-selector reason=TaintManagerEviction",
	"fault node node-2 up", "run", "wait 5s", "get nodes", "get pods -o wide",
}

func TestNodeFailureTranscript(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			got := transcript(t, lang, 7, nodeFailureScript)
			golden(t, "node-failure-"+lang+".txt", got)
			for _, want := range []string{"node-2   NotReady", "Kubelet stopped posting node status.",
				"node.kubernetes.io/unreachable:NoExecute", "Marking for deletion Pod default/web-", "Terminating"} {
				if !strings.Contains(got, want) {
					t.Errorf("the transcript lacks %q", want)
				}
			}
			if again := transcript(t, lang, 7, nodeFailureScript); again != got {
				t.Error("same seed, same script, different transcript")
			}
		})
	}
}

func TestDrainTranscript(t *testing.T) {
	got := transcript(t, "en", 1, []string{
		"kubectl create deployment web --image=nginx --replicas=3", "run",
		"kubectl create pdb web --selector=app=web --min-available=2", "run", "get pods -o wide",
		"kubectl drain node-2 --ignore-daemonsets", "get pods -o wide", "get pdb", "uncordon node-2",
	})
	golden(t, "drain-en.txt", got)
	for _, want := range []string{"node/node-2 cordoned", "evicting pod default/web-",
		`(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`, " evicted\n", "node/node-2 drained"} {
		if !strings.Contains(got, want) {
			t.Errorf("the transcript lacks %q", want)
		}
	}
}

func TestParseWait(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  string // message ID
	}{
		{"30s", 30 * time.Second, ""}, {"5m", 5 * time.Minute, ""}, {"1h30m", 90 * time.Minute, ""}, {"24h", 24 * time.Hour, ""},
		{"250ms", 250 * time.Millisecond, ""},
		{"0", 0, "sandbox.wait_not_positive"}, {"-5s", 0, "sandbox.wait_not_positive"}, {"0s", 0, "sandbox.wait_not_positive"},
		{"25h", 0, "sandbox.wait_too_long"}, {"9999999h", 0, "sandbox.wait_bad"},
		{"30", 0, "sandbox.wait_bad"}, {"abc", 0, "sandbox.wait_bad"}, {"", 0, "sandbox.wait_bad"}, {"5 m", 0, "sandbox.wait_bad"},
	}
	for _, tt := range tests {
		d, err := parseWait(tt.in)
		if tt.err == "" {
			if err != nil || d != tt.want {
				t.Errorf("parseWait(%q) = %v, %v; want %v", tt.in, d, err, tt.want)
			}
			continue
		}
		if m, ok := err.(message); !ok || m.ID != tt.err {
			t.Errorf("parseWait(%q) = %v, %v; want %s", tt.in, d, err, tt.err)
		}
	}
}

// The clock moves by exactly the duration waited, and the prompt names the next timer.
func TestWaitMovesTheClockAndThePromptNamesTheNextTimer(t *testing.T) {
	var out bytes.Buffer
	s := newSession(t, &out)
	start := s.Cluster().Clock().Now()
	if p := s.Prompt(); p != "idle $ " {
		t.Errorf("with only routine heartbeats ahead, the prompt is %q", p)
	}
	s.Exec("wait 8s")
	// (a step takes 10 ms of simulated time: the renewal due at 8 s ends a little after)
	if got := s.Cluster().Clock().Now().Sub(start); got < 8*time.Second || got > 8*time.Second+time.Second {
		t.Errorf("the clock moved %v", got)
	}
	if !strings.Contains(out.String(), "(1 routine heartbeat not shown: kubelet ×1; trace keeps it.)") {
		t.Errorf("wait 8s printed:\n%s", out.String())
	}
	s.Exec("kubectl create deployment web --image=nginx --replicas=2")
	s.Exec("run")
	s.Exec("fault node node-1 down")
	s.Exec("wait 1m")
	if p := s.Prompt(); !strings.HasPrefix(p, "idle (next timer: taint-eviction-controller in 4m5") || !strings.HasSuffix(p, "s) $ ") {
		t.Errorf("prompt %q", p)
	}
	before := s.Cluster().Clock().Now()
	s.Exec("wait 24h")
	if got := s.Cluster().Clock().Now().Sub(before); got < 24*time.Hour || got > 24*time.Hour+time.Second {
		t.Errorf("the clock moved %v", got)
	}
}

// Faults on what does not exist, and unknown kinds or actions, get a clear message; nothing
// changes.
func TestFaultRefusals(t *testing.T) {
	l, err := locales.New("en")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ line, want string }{
		{"fault banana x y", l.T("sandbox.fault.unknown_kind", map[string]any{"Kind": "banana", "Kinds": "container, image, node, pod, probe"})},
		{"fault node node-9 down", l.T("sandbox.fault.no_node", map[string]any{"Node": "node-9", "Nodes": "node-1, node-2"})},
		{"fault node node-1 sideways", l.T("sandbox.fault.unknown_action", map[string]any{"Kind": "node", "Action": "sideways", "Actions": "down, up"})},
		{"fault node", l.T("sandbox.fault.usage_kind", map[string]any{"Kind": "node", "Actions": "down|up"})},
		{"fault node node-1 down now", l.T("sandbox.fault.extra_args", map[string]any{"Args": "now"})},
		{"fault pod nosuch delete", l.T("sandbox.fault.no_pod", map[string]any{"Pod": "nosuch", "Namespace": "default"})},
		{"fault pod nowhere/web delete", l.T("sandbox.fault.no_pod", map[string]any{"Pod": "web", "Namespace": "nowhere"})},
		{"fault node node-1 up", l.T("sandbox.fault.node_already_up", map[string]any{"Node": "node-1"})},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		s := newSession(t, &out)
		rev := s.Cluster().API().Store().Revision()
		s.Exec(tt.line)
		if got := strings.TrimSpace(out.String()); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.line, got, tt.want)
		}
		if s.Cluster().API().Store().Revision() != rev {
			t.Errorf("%s wrote to the cluster", tt.line)
		}
	}
}

// `help fault` lists every row of the table; `help` names the fault command.
func TestHelpListsEveryFault(t *testing.T) {
	l, _ := locales.New("en")
	var out bytes.Buffer
	s := newSession(t, &out)
	s.Exec("help fault")
	for _, f := range faults() {
		if !strings.Contains(out.String(), l.T(f.Help)) {
			t.Errorf("help fault lacks fault %s %s", f.Kind, f.Action)
		}
	}
	out.Reset()
	s.Exec("help")
	for _, cmd := range []string{"wait DURATION", "fault …", "drain"} {
		if !strings.Contains(out.String(), cmd) {
			t.Errorf("help lacks %q", cmd)
		}
	}
}

// A pod deleted behind its controller's back is replaced.
func TestFaultPodDelete(t *testing.T) {
	var out bytes.Buffer
	s := newSession(t, &out)
	s.Exec("kubectl create deployment web --image=nginx --replicas=1")
	s.Exec("run")
	pods, _, _ := s.Cluster().API().Client("test").List("pods", "default", apiserverListAll)
	if len(pods) != 1 {
		t.Fatalf("%d pods", len(pods))
	}
	name := nameOf(pods[0])
	out.Reset()
	s.Exec("fault pod " + name + " delete")
	if !strings.Contains(out.String(), cluster.FaultClient+" sent its request to kube-apiserver") {
		t.Errorf("the trace does not show who deleted the pod:\n%s", out.String())
	}
	s.Exec("run")
	pods, _, _ = s.Cluster().API().Client("test").List("pods", "default", apiserverListAll)
	if len(pods) != 1 || nameOf(pods[0]) == name {
		t.Errorf("the ReplicaSet did not replace %s: %d pods", name, len(pods))
	}
}

func FuzzParseWait(f *testing.F) {
	for _, seed := range []string{"30s", "5m", "1h", "-1s", "0", "25h", "1e9h", "abc", "", "1.5h", "9223372036854775807ns"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		d, err := parseWait(in)
		if err == nil && (d <= 0 || d > cluster.MaxWait) {
			t.Fatalf("parseWait(%q) accepted %v", in, d)
		}
		if _, ok := err.(message); err != nil && !ok {
			t.Fatalf("parseWait(%q) returned a bare error %v", in, err)
		}
	})
}

func FuzzFault(f *testing.F) {
	for _, seed := range []string{"node node-2 down", "node node-2 up", "pod web delete", "node", "", "banana", "node node-1 down x",
		"pod a/b/c delete", "pod /x delete", "NODE NODE-1 DOWN", "pod \x00 delete"} {
		f.Add(seed)
	}
	l, _ := locales.New("en")
	broken := strings.SplitN(l.T("sandbox.internal_error"), "`", 2)[0]
	f.Fuzz(func(t *testing.T, args string) {
		var out bytes.Buffer
		s := newSession(t, &out)
		s.Exec("fault " + args)
		s.Exec("wait 1m")
		s.Exec("fault " + args)
		s.Exec("run")
		if strings.Contains(out.String(), broken) {
			t.Fatalf("fault %q panicked:\n%s", args, out.String())
		}
	})
}

var apiserverListAll = apiserver.ListOptions{}

func nameOf(o runtime.Object) string {
	m, _ := meta.Accessor(o)
	return m.GetName()
}
