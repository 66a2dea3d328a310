package view

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/store"
	"github.com/k8slearn/k8slearn/locales"
)

func pod(name, node string, phase corev1.PodPhase, waiting string) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PodSpec{NodeName: node},
		Status: corev1.PodStatus{Phase: phase}}
	if waiting != "" {
		p.Status.ContainerStatuses = []corev1.ContainerStatus{{State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: waiting}}}}
	}
	return p
}

func TestMapFitsEightyColumns(t *testing.T) {
	nodes := []*corev1.Node{
		{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}},
		{ObjectMeta: metav1.ObjectMeta{Name: "node-2"}, Spec: corev1.NodeSpec{Unschedulable: true}},
		{ObjectMeta: metav1.ObjectMeta{Name: "node-3"}},
	}
	var pods []*corev1.Pod
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		pods = append(pods, pod("web-64c966cf88-"+n+"very-long-name-that-does-not-fit", "node-1", corev1.PodRunning, ""))
	}
	pods = append(pods, pod("web-64c966cf88-x2k9q", "node-2", corev1.PodPending, "ContainerCreating"),
		pod("web-64c966cf88-zzzzz", "", corev1.PodPending, ""))
	for _, lang := range []string{"en", "zh"} {
		for _, colour := range []bool{false, true} {
			l, err := locales.New(lang)
			if err != nil {
				t.Fatal(err)
			}
			lines := Map(l, NewStyler(colour), MapInput{Nodes: nodes, Pods: pods, Revision: 42,
				LastActor: "kubelet/node-2", Pending: []string{"default-scheduler"}})
			for _, line := range lines {
				if w := displayWidth(line); w > MapWidth {
					t.Errorf("%s colour=%v: line is %d columns wide: %q", lang, colour, w, line)
				}
			}
			text := stripANSI(strings.Join(lines, "\n"))
			for _, want := range []string{"node-1", "node-2", "node-3", "web-64c966cf88-x2k9q", "ContainerCreating", "rev 42"} {
				if !strings.Contains(text, want) {
					t.Errorf("%s: map lacks %q:\n%s", lang, want, text)
				}
			}
			if !colour && !strings.Contains(text, "[kubelet] ◀━8·9━▶") {
				t.Errorf("%s: without colour the last actor is in brackets and its arrow heavy:\n%s", lang, text)
			}
			for _, arrow := range []string{"─1─▶", "◀2·3▶", "◀4·5▶", "◀6·7▶", "─10▶"} {
				if !strings.Contains(text, arrow) {
					t.Errorf("%s: the map lacks the numbered arrow %s", lang, arrow)
				}
			}
		}
	}
}

func TestMapBoxesLineUp(t *testing.T) {
	l, _ := locales.New("zh")
	lines := Map(l, NewStyler(false), MapInput{Nodes: []*corev1.Node{{ObjectMeta: metav1.ObjectMeta{Name: "node-1"}}}})
	// Every line of a box has the same display width, Chinese title or not.
	first := displayWidth(lines[0])
	for _, line := range lines[:5] {
		if displayWidth(line) != first {
			t.Errorf("control-plane box lines differ in width: %d vs %d: %q", displayWidth(line), first, line)
		}
	}
}

func TestPadRightCountsWideCharacters(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  int
	}{
		{"控制平面", 10, 10},
		{"abc", 5, 5},
		{"\x1b[1mabc\x1b[0m", 5, 5},
		{"很长很长很长很长", 6, 6},
	}
	for _, tt := range tests {
		if got := displayWidth(padRight(tt.in, tt.width)); got != tt.want {
			t.Errorf("padRight(%q, %d) is %d wide, want %d", tt.in, tt.width, got, tt.want)
		}
	}
}

func TestPodStatus(t *testing.T) {
	now := metav1.Now()
	terminating := pod("x", "node-1", corev1.PodRunning, "")
	terminating.DeletionTimestamp = &now
	tests := []struct {
		p    *corev1.Pod
		want string
	}{
		{pod("x", "", "", ""), "Pending"},
		{pod("x", "node-1", corev1.PodPending, "ContainerCreating"), "ContainerCreating"},
		{pod("x", "node-1", corev1.PodRunning, ""), "Running"},
		{terminating, "Terminating"},
	}
	for _, tt := range tests {
		if got := PodStatus(tt.p); got != tt.want {
			t.Errorf("PodStatus = %q, want %q", got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		width int
	}{
		{"The deployment controller saw the new Deployment through its watch and created a ReplicaSet for it.", 40},
		{"deployment-controller 通过 watch 看到了新的 Deployment，于是为它创建了一个 ReplicaSet。接下来轮到 ReplicaSet 控制器。", 30},
		{"  an indented line that is long enough to be wrapped at least once or twice", 30},
		{"它的 watch 收到了 ADDED deployments/web：不是它去问的，是 API server 推给它的。", 20},
	}
	for _, tt := range tests {
		lines := Wrap(tt.in, tt.width)
		if len(lines) < 2 {
			t.Errorf("%q was not wrapped at %d: %q", tt.in, tt.width, lines)
		}
		joined := ""
		for _, l := range lines {
			if w := displayWidth(l); w > tt.width {
				t.Errorf("line %q is %d wide, over %d", l, w, tt.width)
			}
			if strings.HasPrefix(strings.TrimLeft(l, " "), "，") || strings.HasPrefix(strings.TrimLeft(l, " "), "。") {
				t.Errorf("line starts with closing punctuation: %q", l)
			}
			if strings.HasPrefix(l, " ") && !strings.HasPrefix(tt.in, " ") {
				t.Errorf("line starts with a space: %q", l)
			}
			joined += strings.TrimSpace(l)
		}
		if strings.ReplaceAll(strings.TrimSpace(tt.in), " ", "") != strings.ReplaceAll(joined, " ", "") {
			t.Errorf("wrapping lost text: %q vs %q", tt.in, joined)
		}
	}
}

// TestEtcdFitsEightyColumns: a key too long for the table gets a line of its own, its revisions
// on the next line under their columns; every line fits 80 columns.
func TestEtcdFitsEightyColumns(t *testing.T) {
	st := fakeStore{kvs: []store.KeyValue{
		{Key: "/registry/configmaps/kube-system/kube-apiserver-legacy-service-account-token-tracking", CreateRevision: 22, ModRevision: 22, Version: 1},
		{Key: "/registry/minions/node-1", CreateRevision: 10, ModRevision: 12, Version: 2},
	}, rev: 30}
	var out strings.Builder
	if n := Etcd(&out, st, "/registry/"); n != 2 {
		t.Fatalf("printed %d keys", n)
	}
	want := `KEY                       CREATE  MOD  VERSION
/registry/configmaps/kube-system/kube-apiserver-legacy-service-account-token-tracking
                          22      22   1
/registry/minions/node-1  10      12   2
revision: 30
`
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
	for _, l := range strings.Split(out.String(), "\n") {
		if displayWidth(l) > 80 && strings.Contains(l, " ") { // a key alone on its line may be longer
			t.Errorf("%d columns: %q", displayWidth(l), l)
		}
	}
}

type fakeStore struct {
	kvs []store.KeyValue
	rev int64
}

func (f fakeStore) Revision() int64                       { return f.rev }
func (f fakeStore) Get(string) (store.KeyValue, error)    { return store.KeyValue{}, nil }
func (f fakeStore) List(string) ([]store.KeyValue, int64) { return f.kvs, f.rev }
