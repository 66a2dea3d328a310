package cluster_test

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8sruntime "k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/events"
	"github.com/k8slearn/k8slearn/engine/kubectl"
)

func kubectlRun(t *testing.T, c *cluster.Cluster, line string) {
	t.Helper()
	if code := kubectl.New(c, nil).Run(strings.Fields(line), kubectl.Streams{Out: io.Discard, ErrOut: io.Discard}); code != 0 {
		t.Fatalf("kubectl %s: exit %d", line, code)
	}
}

// The trace keeps a window of its newest entries and counts the older ones.
func TestTraceKeepsAWindowAndCountsTheRest(t *testing.T) {
	cfg := cluster.DefaultConfig(1)
	cfg.TraceWindow = 10
	c, err := cluster.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	kubectlRun(t, c, "create deployment web --image=nginx --replicas=3")
	all := append(c.Flush(), c.Run(0)...)
	if len(all) <= 2*cfg.TraceWindow {
		t.Fatalf("the scenario made only %d entries; it needs more than twice the window", len(all))
	}
	earlier, kept := c.TraceWithEarlier()
	if len(kept) != cfg.TraceWindow {
		t.Fatalf("kept %d entries, want the window of %d", len(kept), cfg.TraceWindow)
	}
	last := all[len(all)-1].Seq
	if kept[len(kept)-1].Seq != last || kept[0].Seq != last-cfg.TraceWindow+1 {
		t.Errorf("kept #%d to #%d, want the newest: #%d to #%d", kept[0].Seq, kept[len(kept)-1].Seq, last-cfg.TraceWindow+1, last)
	}
	if earlier.Entries != len(all)-cfg.TraceWindow || earlier.FirstSeq != 1 || earlier.LastSeq != kept[0].Seq-1 {
		t.Errorf("earlier: %d entries #%d to #%d, want %d entries #1 to #%d", earlier.Entries, earlier.FirstSeq,
			earlier.LastSeq, len(all)-cfg.TraceWindow, kept[0].Seq-1)
	}
	// The counts are those of the entries that fell out, in the order their components first acted.
	var want []cluster.ComponentCount
	for _, e := range all[:earlier.Entries] {
		found := false
		for i := range want {
			if want[i].Component == e.Component && want[i].External == e.External {
				want[i].Count++
				found = true
			}
		}
		if !found {
			want = append(want, cluster.ComponentCount{Component: e.Component, External: e.External, Count: 1})
		}
	}
	if fmt.Sprint(earlier.ByComponent) != fmt.Sprint(want) {
		t.Errorf("counts %v, want %v", earlier.ByComponent, want)
	}
	if !all[0].External || earlier.ByComponent[0].Component != "kubectl" {
		t.Errorf("the first entry is kubectl's request: %+v", earlier.ByComponent[0])
	}
	if since := c.TraceSince(kept[4].Seq); len(since) != len(kept)-5 || since[0].Seq != kept[5].Seq {
		t.Errorf("TraceSince(#%d) gave %d entries", kept[4].Seq, len(since))
	}
}

// Events live an hour of simulated time after their last write, as with kube-apiserver's
// --event-ttl; watchers see them go, and their going is not a request in the trace.
func TestEventsExpireAfterTheirTTL(t *testing.T) {
	// A cluster that starts at its boot, so the events written at boot (the node controller's
	// RegisteredNode) are as old as the deployment's.
	cfg := cluster.DefaultConfig(1)
	cfg.Age = 0
	c, err := cluster.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	client := c.API().Client("test")
	eventCount := func() int {
		objs, _, err := client.ListShared("events", "", apiserver.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return len(objs)
	}
	kubectlRun(t, c, "create deployment web --image=nginx --replicas=2")
	c.Run(0)
	if eventCount() == 0 {
		t.Fatal("the deployment recorded no events")
	}
	w, err := c.API().Watch("events", "", apiserver.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	// An event written again (a repeat counted on it) lives an hour from that write.
	node, _ := client.Get("nodes", "", "node-1")
	rec := events.NewRecorder(client, c.Clock(), "test", "")
	rec.Event(node, corev1.EventTypeNormal, "Tested", "once")
	c.Clock().Advance(40 * time.Minute)
	rec.Event(node, corev1.EventTypeNormal, "Tested", "once")
	c.Flush()
	before := eventCount()

	c.Clock().Advance(19 * time.Minute) // 59 minutes after the deployment's events
	if got := c.Flush(); len(got) != 0 {
		t.Errorf("expiry made trace entries: %+v", got)
	}
	if eventCount() != before {
		t.Fatalf("events went before their hour: %d of %d left", eventCount(), before)
	}
	c.Clock().Advance(2 * time.Minute)
	c.Flush()
	left, _, _ := client.ListShared("events", "", apiserver.ListOptions{})
	if len(left) != 1 || left[0].(*corev1.Event).Reason != "Tested" || left[0].(*corev1.Event).Count != 2 {
		t.Fatalf("after an hour, want only the event written 21 minutes ago, got %d events", len(left))
	}
	deleted := 0
	for _, ev := range w.Drain() {
		if ev.Type == watch.Deleted {
			deleted++
		}
	}
	if deleted != before-1 {
		t.Errorf("watchers saw %d events deleted, want %d", deleted, before-1)
	}
	c.Clock().Advance(40 * time.Minute)
	c.Step() // nothing to do, and still the clock's passing is noticed
	if n := eventCount(); n != 0 {
		t.Errorf("%d events outlived their TTL", n)
	}
}

// One big object written over and over keeps a bounded history: the store's log is bounded by
// bytes as well as by revisions.
func TestABigPodUpdatedOftenKeepsMemoryBounded(t *testing.T) {
	const size, updates = 100 << 10, 5000
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	client := c.API().Client("test")
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "big", Annotations: map[string]string{"note": strings.Repeat("x", size)}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "nginx"}}}}
	if _, err := client.Create("pods", "default", pod); err != nil {
		t.Fatal(err)
	}
	c.Run(0)
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	for i := range updates {
		_, err := client.Mutate("pods", "default", "big", func(o k8sruntime.Object) error {
			p := o.(*corev1.Pod)
			p.Annotations["note"] = fmt.Sprintf("%07d", i) + p.Annotations["note"][7:]
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		c.Run(0)
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	// Unbounded, the history would hold all 5,000 versions: 500 MB.
	const bound = 50 << 20
	grew := int64(after.HeapAlloc) - int64(base.HeapAlloc)
	t.Logf("the heap grew by %d MB", grew>>20)
	if grew > bound {
		t.Errorf("the heap grew by %d MB over %d updates of a %d KB pod; want under %d MB", grew>>20, updates, size>>10, bound>>20)
	}
	runtime.KeepAlive(c)
}
