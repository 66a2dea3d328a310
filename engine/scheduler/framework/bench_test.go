package framework

import (
	"fmt"
	"math/rand/v2"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// benchCluster is 5,000 nodes holding about two pods each, from 50
// Deployments, with nginx pulled on every node.
func benchCluster(numNodes, podsPerNode int) []*NodeInfo {
	nginx := image(70*mb, "docker.io/library/nginx:latest", "nginx:latest")
	infos := make([]*NodeInfo, numNodes)
	for i := range infos {
		infos[i] = NewNodeInfo(standardNode(fmt.Sprintf("node-%05d", i), nginx))
		for j := range podsPerNode {
			app := fmt.Sprintf("app-%02d", (i*podsPerNode+j)%50)
			p := pod(fmt.Sprintf("%s-%05d-%d", app, i, j), podLabels("app", app, "pod-template-hash", "6b7c8d9f45"),
				requests("100m", "128Mi"))
			infos[i].AddPod(p)
		}
	}
	return infos
}

func benchPod(i int) *corev1.Pod {
	return pod(fmt.Sprintf("web-5d8b7c6f94-%05d", i),
		podLabels("app", "web", "pod-template-hash", "5d8b7c6f94"), requests("100m", "128Mi"))
}

// BenchmarkSchedule5000Nodes is one scheduling cycle on 5,000 nodes, with
// and without the per-node explanation.
func BenchmarkSchedule5000Nodes(b *testing.B) {
	infos := benchCluster(5000, 2)
	for _, summary := range []bool{false, true} {
		b.Run(detailName(summary), func(b *testing.B) {
			s := New()
			in := Input{
				Pod:             benchPod(0),
				Nodes:           infos,
				SpreadSelector:  webSelector,
				ImageNodeCounts: CountImageNodes(infos),
				Rand:            rand.New(rand.NewPCG(1, 2)),
				Summary:         summary,
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Schedule(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func detailName(summary bool) string {
	if summary {
		return "summary"
	}
	return "explained"
}

// BenchmarkPlace10000Pods places 10,000 pods of one ReplicaSet on 5,000
// nodes one at a time, each cycle seeing the previous placements, and reports
// the rate.
func BenchmarkPlace10000Pods(b *testing.B) {
	const numPods = 10000
	pods := make([]*corev1.Pod, numPods)
	for i := range pods {
		pods[i] = benchPod(i)
	}
	selector := labels.SelectorFromSet(labels.Set{"app": "web", "pod-template-hash": "5d8b7c6f94"})
	for _, summary := range []bool{false, true} {
		b.Run(detailName(summary), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				infos := benchCluster(5000, 0)
				byName := make(map[string]*NodeInfo, len(infos))
				for _, n := range infos {
					byName[n.Node.Name] = n
				}
				counts := CountImageNodes(infos)
				s := New()
				r := rand.New(rand.NewPCG(7, 7))
				b.StartTimer()
				for _, p := range pods {
					d, err := s.Schedule(Input{Pod: p, Nodes: infos, SpreadSelector: selector,
						ImageNodeCounts: counts, Rand: r, Summary: summary})
					if err != nil {
						b.Fatal(err)
					}
					byName[d.Node].AddPod(p)
				}
			}
			b.ReportMetric(float64(numPods*b.N)/b.Elapsed().Seconds(), "pods/s")
		})
	}
}
