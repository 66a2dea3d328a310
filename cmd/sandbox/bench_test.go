package sandbox

import (
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/locales"
)

// sessionCommand is the i-th line of a long learner session: a Deployment created, scaled and
// deleted, with the control plane run to idle after each command. scripts/long-session.sh writes
// the same lines.
func sessionCommand(i int) string {
	c := i / 6
	switch i % 6 {
	case 0:
		return fmt.Sprintf("create deployment web%d --image=nginx --replicas=3", c)
	case 2:
		return fmt.Sprintf("scale deployment web%d --replicas=5", c)
	case 4:
		return fmt.Sprintf("delete deployment web%d", c)
	}
	return "run"
}

// BenchmarkLongSession plays a 20,000-command session and reports how long its first and last
// thousand commands took, in wall time and in CPU time (the process's, GC included: steadier on
// a busy machine), and the live heap at the end. scripts/long-session.sh runs the same session
// through the binary for its peak RSS.
func BenchmarkLongSession(b *testing.B) {
	const commands, window = 20_000, 1000
	for range b.N {
		s := newSession(b, io.Discard)
		var first, last, firstCPU, lastCPU time.Duration
		start, startCPU := time.Now(), cpuTime()
		for i := range commands {
			if i == window {
				first, firstCPU = time.Since(start), cpuTime()-startCPU
			}
			if i == commands-window {
				start, startCPU = time.Now(), cpuTime()
			}
			s.Exec(sessionCommand(i))
		}
		last, lastCPU = time.Since(start), cpuTime()-startCPU
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		runtime.KeepAlive(s)
		b.ReportMetric(float64(first.Microseconds())/window, "µs/cmd-first1k")
		b.ReportMetric(float64(last.Microseconds())/window, "µs/cmd-last1k")
		b.ReportMetric(float64(firstCPU.Microseconds())/window, "cpu-µs/cmd-first1k")
		b.ReportMetric(float64(lastCPU.Microseconds())/window, "cpu-µs/cmd-last1k")
		if firstCPU > 0 {
			b.ReportMetric(float64(lastCPU)/float64(firstCPU), "cpu-last/first")
		}
		b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "MiB-live-heap")
	}
}

// BenchmarkRunDeployment10kReplicasOn100Nodes is `run` of a 10,000-replica Deployment on the
// sandbox's largest cluster, printing every step as the sandbox does (to io.Discard). Compare with
// the engine alone: BenchmarkDeployment10kReplicasOn100Nodes in engine/cluster.
func BenchmarkRunDeployment10kReplicasOn100Nodes(b *testing.B) {
	l, err := locales.New("en")
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
		b.StopTimer()
		s, err := New(Config{Seed: 1, Nodes: 100, L: l, Style: view.NewStyler(false)}, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		cpu := cpuTime()
		b.StartTimer()
		s.Exec("create deployment web --image=nginx --replicas=10000")
		for !s.Cluster().Idle() {
			s.Exec("run")
		}
		b.StopTimer()
		b.ReportMetric((cpuTime() - cpu).Seconds(), "cpu-s")
		running := 0
		pods, _, _ := s.Cluster().API().Client("bench").ListShared("pods", "default", apiserver.ListOptions{})
		for _, o := range pods {
			if o.(*corev1.Pod).Status.Phase == corev1.PodRunning {
				running++
			}
		}
		if running != 10_000 {
			b.Fatalf("%d of 10000 pods Running", running)
		}
	}
}
