package framework

import (
	"errors"
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// The texts below are what a v1.37 kube-scheduler writes: the DRA PostFilter
// adds nothing for a pod without claims (v1.34 wrote "no new claims to
// deallocate"), the taint is not named, and a node whose allocatable is
// smaller than the request is one where preemption is not helpful.
func TestFitErrorText(t *testing.T) {
	never := corev1.PreemptNever
	tests := []struct {
		name        string
		nodes       []*corev1.Node
		existing    map[string][]*corev1.Pod
		pod         *corev1.Pod
		want        string
		wantPlugins []string
	}{
		{
			name:        "request above every node's allocatable: preemption is not helpful",
			nodes:       []*corev1.Node{standardNode("node-1"), standardNode("node-2")},
			pod:         pod("big", requests("100", "")),
			want:        "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
			wantPlugins: []string{PluginNodeResourcesFit},
		},
		{
			name:  "two full nodes: no pod of lower priority to evict",
			nodes: []*corev1.Node{standardNode("node-1"), standardNode("node-2")},
			existing: map[string][]*corev1.Pod{"node-1": {pod("a", requests("3", ""))},
				"node-2": {pod("b", requests("3", ""))}},
			pod:         pod("p", requests("2", "")),
			want:        "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
			wantPlugins: []string{PluginNodeResourcesFit},
		},
		{
			name:  "cpu and memory both short: each reason counts",
			nodes: []*corev1.Node{standardNode("node-1"), standardNode("node-2")},
			pod:   pod("big", requests("5", "9Gi")),
			want:  "0/2 nodes are available: 2 Insufficient cpu, 2 Insufficient memory. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
		},
		{
			name:     "one node too small, one full",
			nodes:    []*corev1.Node{node("node-1", "1", "8Gi", 110), standardNode("node-2")},
			existing: map[string][]*corev1.Pod{"node-2": {pod("a", requests("3", ""))}},
			pod:      pod("p", requests("2", "")),
			want:     "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
		},
		{
			name: "cordoned, tainted and unlabelled nodes: preemption cannot help anywhere",
			nodes: []*corev1.Node{
				standardNode("node-1", cordoned),
				standardNode("node-2", taint("dedicated", "gpu", corev1.TaintEffectNoSchedule)),
				standardNode("node-3"),
			},
			pod:         pod("p", nodeSelector("disktype", "ssd")),
			want:        "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint(s), 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
			wantPlugins: []string{PluginNodeAffinity, PluginNodeUnschedulable, PluginTaintToleration},
		},
		{
			// The shape of a real kind cluster: a tainted control plane and two
			// full workers.
			name: "control plane taint plus two workers without cpu",
			nodes: []*corev1.Node{
				standardNode("control-plane", taint("node-role.kubernetes.io/control-plane", "", corev1.TaintEffectNoSchedule)),
				standardNode("worker"), standardNode("worker2"),
			},
			pod:  pod("big", requests("64", "")),
			want: "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
		},
		{
			name:     "host port taken on one node, memory short on the other",
			nodes:    []*corev1.Node{standardNode("node-1"), node("node-2", "4", "1Gi", 110)},
			existing: map[string][]*corev1.Pod{"node-1": {pod("web", hostPort(80, "", ""))}},
			pod:      pod("p", hostPort(80, "", ""), requests("", "2Gi")),
			want:     "0/2 nodes are available: 1 Insufficient memory, 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
		},
		{
			name:     "too many pods",
			nodes:    []*corev1.Node{node("node-1", "4", "8Gi", 1)},
			existing: map[string][]*corev1.Pod{"node-1": {pod("a")}},
			pod:      pod("p"),
			want:     "0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
		},
		{
			name:  "preemptionPolicy Never",
			nodes: []*corev1.Node{standardNode("node-1")},
			pod: pod("big", requests("8", ""), func(p *corev1.Pod) {
				p.Spec.PreemptionPolicy = &never
			}),
			want: "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.",
		},
		{
			// Counts sort as text, like the real histogram: "10 ..." before "2 ...".
			name: "reasons sort as strings",
			nodes: append(tenNodes(cordoned), standardNode("a", taint("x", "", corev1.TaintEffectNoSchedule)),
				standardNode("b", taint("x", "", corev1.TaintEffectNoSchedule))),
			pod:  pod("p"),
			want: "0/12 nodes are available: 10 node(s) were unschedulable, 2 node(s) had untolerated taint(s). preemption: 0/12 nodes are available: 12 Preemption is not helpful for scheduling.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			infos := nodeInfos(tt.nodes...)
			for name, pods := range tt.existing {
				for _, p := range pods {
					infoByName(infos, name).AddPod(p)
				}
			}
			d, err := New().Schedule(Input{Pod: tt.pod, Nodes: infos})
			var fitErr *FitError
			if !errors.As(err, &fitErr) {
				t.Fatalf("err = %v, want a FitError", err)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %s\nwant %s", err, tt.want)
			}
			if tt.wantPlugins != nil && !slices.Equal(fitErr.UnschedulablePlugins, tt.wantPlugins) {
				t.Errorf("plugins = %v, want %v", fitErr.UnschedulablePlugins, tt.wantPlugins)
			}
			if d.Node != "" || len(d.Filters) != len(tt.nodes) || d.Evaluated != len(tt.nodes) {
				t.Errorf("decision: node %q, %d filters, %d evaluated", d.Node, len(d.Filters), d.Evaluated)
			}
			if fitErr.Pod != "default/"+tt.pod.Name || fitErr.NumAllNodes != len(tt.nodes) {
				t.Errorf("pod %q nodes %d", fitErr.Pod, fitErr.NumAllNodes)
			}
		})
	}
}

func tenNodes(opts ...func(*corev1.Node)) []*corev1.Node {
	var nodes []*corev1.Node
	for _, name := range []string{"n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9"} {
		nodes = append(nodes, standardNode(name, opts...))
	}
	return nodes
}

func TestFitErrorDiagnosis(t *testing.T) {
	infos := nodeInfos(standardNode("node-1", cordoned), standardNode("node-2"), standardNode("node-3"))
	_, err := New().Schedule(Input{Pod: pod("big", requests("6", "10Gi")), Nodes: infos})
	var fitErr *FitError
	if !errors.As(err, &fitErr) {
		t.Fatal(err)
	}
	want := map[string]int{ReasonUnschedulable: 1, ReasonInsufficientCPU: 2, ReasonInsufficientMemory: 2}
	if len(fitErr.Diagnosis) != len(want) {
		t.Fatalf("diagnosis = %v", fitErr.Diagnosis)
	}
	for k, v := range want {
		if fitErr.Diagnosis[k] != v {
			t.Errorf("diagnosis[%q] = %d, want %d", k, fitErr.Diagnosis[k], v)
		}
	}
}
