package cluster_test

import (
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl"
)

// benchPod is scheduler_perf's pod-default: one container with small requests and no owner.
func benchPod(i int) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("pod-%05d", i)},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name: "pause", Image: "registry.k8s.io/pause:3.10",
			Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{
				corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("500Mi"),
			}},
		}}},
	}
}

// BenchmarkSchedule10kPodsOn5kNodes is scheduler_perf's SchedulingBasic at 5000 nodes: 10,000
// plain pods created through the API, then only the stepping until all are bound is timed.
func BenchmarkSchedule10kPodsOn5kNodes(b *testing.B) {
	const nodes, pods = 5000, 10_000
	var scheduling time.Duration
	for range b.N {
		b.StopTimer()
		c, err := cluster.New(cluster.Config{Seed: 1, Nodes: nodes, NoKubelets: true})
		if err != nil {
			b.Fatal(err)
		}
		client := c.API().Client("bench")
		for i := range pods {
			if _, err := client.Create("pods", "default", benchPod(i)); err != nil {
				b.Fatal(err)
			}
		}
		c.Flush()
		start := time.Now()
		b.StartTimer()
		c.Run(0)
		b.StopTimer()
		scheduling += time.Since(start)
		objs, _, _ := client.ListShared("pods", "default", apiserver.ListOptions{})
		for _, o := range objs {
			if o.(*corev1.Pod).Spec.NodeName == "" {
				b.Fatalf("pod %s not bound", o.(*corev1.Pod).Name)
			}
		}
	}
	b.ReportMetric(float64(pods*b.N)/scheduling.Seconds(), "pods/s")
}

// BenchmarkDeployment10kReplicasOn1kNodes runs a Deployment of 10,000 replicas on 1,000 nodes
// with kubelets until every pod is Running, and reports the memory it took. Only the kubectl
// command and the stepping are timed, not building the cluster; the memory figures cover both.
func BenchmarkDeployment10kReplicasOn1kNodes(b *testing.B) { benchDeployment(b, 1000, 10_000) }

// BenchmarkDeployment10kReplicasOn100Nodes is the same Deployment on 100 nodes: the engine's side
// of the sandbox's BenchmarkRunDeployment10kReplicasOn100Nodes (cmd/sandbox).
func BenchmarkDeployment10kReplicasOn100Nodes(b *testing.B) { benchDeployment(b, 100, 10_000) }

func benchDeployment(b *testing.B, nodes, replicas int) {
	for range b.N {
		b.StopTimer()
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		peak := newPeakHeap()
		c, err := cluster.New(cluster.Config{Seed: 1, Nodes: nodes})
		if err != nil {
			b.Fatal(err)
		}
		k := kubectl.New(c, nil)
		cpu := cpuTime()
		b.StartTimer()
		if code := k.Run([]string{"create", "deployment", "web", "--image=nginx", fmt.Sprintf("--replicas=%d", replicas)},
			kubectl.Streams{Out: io.Discard, ErrOut: io.Discard}); code != 0 {
			b.Fatalf("create deployment: exit %d", code)
		}
		steps := 0
		for {
			n := len(c.Run(10_000))
			steps += n
			peak.sample()
			if n < 10_000 {
				break
			}
		}
		b.StopTimer()
		cpu = cpuTime() - cpu
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		running := 0
		objs, _, _ := c.API().Client("bench").ListShared("pods", "default", apiserver.ListOptions{})
		for _, o := range objs {
			if o.(*corev1.Pod).Status.Phase == corev1.PodRunning {
				running++
			}
		}
		if running != replicas {
			b.Fatalf("%d of %d pods Running", running, replicas)
		}
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), "MiB-allocated")
		b.ReportMetric(float64(peak.max)/(1<<20), "MiB-peak-heap")
		b.ReportMetric(float64(steps), "steps")
		b.ReportMetric(cpu.Seconds(), "cpu-s")
	}
}

// peakHeap samples the live heap between batches of steps.
type peakHeap struct{ max uint64 }

func newPeakHeap() *peakHeap { return &peakHeap{} }

func (p *peakHeap) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	p.max = max(p.max, m.HeapAlloc)
}

// BenchmarkStep is one Step of the 3-replica scenario on the default cluster.
func BenchmarkStep(b *testing.B) {
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		b.Fatal(err)
	}
	k := kubectl.New(c, nil)
	streams := kubectl.Streams{Out: io.Discard, ErrOut: io.Discard}
	n := 0
	b.ResetTimer()
	for range b.N {
		if c.Idle() {
			// A fresh round of work: the deployment again, or its removal.
			b.StopTimer()
			if n%2 == 0 {
				k.Run([]string{"create", "deployment", "web", "--image=nginx", "--replicas=3"}, streams)
			} else {
				k.Run([]string{"delete", "deployment", "web"}, streams)
			}
			n++
			b.StartTimer()
		}
		c.Step()
	}
}
