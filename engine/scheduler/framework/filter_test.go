package framework

import (
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestFilters(t *testing.T) {
	gpuTaint := taint("dedicated", "gpu", corev1.TaintEffectNoSchedule)
	tests := []struct {
		name        string
		node        *corev1.Node
		existing    []*corev1.Pod
		pod         *corev1.Pod
		wantPlugin  string
		wantReasons []string
	}{
		{name: "empty node fits", node: standardNode("n"), pod: pod("p")},
		{name: "cordoned node", node: standardNode("n", cordoned), pod: pod("p"),
			wantPlugin: PluginNodeUnschedulable, wantReasons: []string{ReasonUnschedulable}},
		{name: "cordoned node, pod tolerates the unschedulable taint", node: standardNode("n", cordoned),
			pod: pod("p", toleration(corev1.TaintNodeUnschedulable, "", corev1.TaintEffectNoSchedule))},
		{name: "cordon is checked before resources", node: standardNode("n", cordoned), pod: pod("p", requests("100", "")),
			wantPlugin: PluginNodeUnschedulable, wantReasons: []string{ReasonUnschedulable}},
		{name: "spec.nodeName names another node", node: standardNode("n"), pod: pod("p", onNode("other")),
			wantPlugin: PluginNodeName, wantReasons: []string{ReasonNodeName}},
		{name: "NoSchedule taint not tolerated", node: standardNode("n", gpuTaint), pod: pod("p"),
			wantPlugin: PluginTaintToleration, wantReasons: []string{ReasonUntoleratedTaint}},
		{name: "NoSchedule taint tolerated with Equal", node: standardNode("n", gpuTaint),
			pod: pod("p", toleration("dedicated", "gpu", corev1.TaintEffectNoSchedule))},
		{name: "NoSchedule taint tolerated with Exists and no effect", node: standardNode("n", gpuTaint),
			pod: pod("p", toleration("dedicated", "", ""))},
		{name: "toleration for another value", node: standardNode("n", gpuTaint),
			pod:        pod("p", toleration("dedicated", "cpu", corev1.TaintEffectNoSchedule)),
			wantPlugin: PluginTaintToleration, wantReasons: []string{ReasonUntoleratedTaint}},
		{name: "NoExecute taint not tolerated", node: standardNode("n", taint("node.kubernetes.io/unreachable", "", corev1.TaintEffectNoExecute)),
			pod: pod("p"), wantPlugin: PluginTaintToleration, wantReasons: []string{ReasonUntoleratedTaint}},
		{name: "PreferNoSchedule taint does not filter", node: standardNode("n", taint("spot", "true", corev1.TaintEffectPreferNoSchedule)),
			pod: pod("p")},
		{name: "nodeSelector matches", node: standardNode("n", nodeLabel("disktype", "ssd")),
			pod: pod("p", nodeSelector("disktype", "ssd"))},
		{name: "nodeSelector does not match", node: standardNode("n", nodeLabel("disktype", "hdd")),
			pod: pod("p", nodeSelector("disktype", "ssd")), wantPlugin: PluginNodeAffinity, wantReasons: []string{ReasonNodeAffinity}},
		{name: "required node affinity NotIn", node: standardNode("n", nodeLabel("zone", "a")),
			pod:        pod("p", requiredAffinity(corev1.NodeSelectorRequirement{Key: "zone", Operator: corev1.NodeSelectorOpNotIn, Values: []string{"a"}})),
			wantPlugin: PluginNodeAffinity, wantReasons: []string{ReasonNodeAffinity}},
		{name: "required node affinity Gt", node: standardNode("n", nodeLabel("cores", "16")),
			pod: pod("p", requiredAffinity(corev1.NodeSelectorRequirement{Key: "cores", Operator: corev1.NodeSelectorOpGt, Values: []string{"8"}}))},
		{name: "required node affinity on metadata.name", node: standardNode("n"),
			pod: pod("p", requiredField("metadata.name", "other")), wantPlugin: PluginNodeAffinity, wantReasons: []string{ReasonNodeAffinity}},
		{name: "host port taken", node: standardNode("n"),
			existing:   []*corev1.Pod{pod("web", hostPort(8080, "", ""))},
			pod:        pod("p", hostPort(8080, corev1.ProtocolTCP, "")),
			wantPlugin: PluginNodePorts, wantReasons: []string{ReasonNodePorts}},
		{name: "host port taken on 0.0.0.0, wanted on one IP", node: standardNode("n"),
			existing:   []*corev1.Pod{pod("web", hostPort(8080, "", ""))},
			pod:        pod("p", hostPort(8080, "", "10.0.0.1")),
			wantPlugin: PluginNodePorts, wantReasons: []string{ReasonNodePorts}},
		{name: "same host port over UDP is free", node: standardNode("n"),
			existing: []*corev1.Pod{pod("web", hostPort(53, corev1.ProtocolTCP, ""))},
			pod:      pod("p", hostPort(53, corev1.ProtocolUDP, ""))},
		{name: "same host port on two different IPs is free", node: standardNode("n"),
			existing: []*corev1.Pod{pod("web", hostPort(8080, "", "10.0.0.1"))},
			pod:      pod("p", hostPort(8080, "", "10.0.0.2"))},
		{name: "too many pods", node: node("n", "4", "8Gi", 2),
			existing: []*corev1.Pod{pod("a"), pod("b")}, pod: pod("p"),
			wantPlugin: PluginNodeResourcesFit, wantReasons: []string{ReasonTooManyPods}},
		{name: "insufficient cpu", node: standardNode("n"),
			existing: []*corev1.Pod{pod("a", requests("3500m", ""))}, pod: pod("p", requests("600m", "")),
			wantPlugin: PluginNodeResourcesFit, wantReasons: []string{ReasonInsufficientCPU}},
		{name: "exactly the free cpu fits", node: standardNode("n"),
			existing: []*corev1.Pod{pod("a", requests("3500m", ""))}, pod: pod("p", requests("500m", ""))},
		{name: "insufficient memory", node: standardNode("n"), pod: pod("p", requests("", "9Gi")),
			wantPlugin: PluginNodeResourcesFit, wantReasons: []string{ReasonInsufficientMemory}},
		{name: "all shortages at once, in the plugin's order", node: node("n", "1", "1Gi", 1),
			existing: []*corev1.Pod{pod("a")}, pod: pod("p", requests("2", "2Gi")),
			wantPlugin: PluginNodeResourcesFit, wantReasons: []string{ReasonTooManyPods, ReasonInsufficientCPU, ReasonInsufficientMemory}},
		{name: "pod without requests fits a full node", node: standardNode("n"),
			existing: []*corev1.Pod{pod("a", requests("4", "8Gi"))}, pod: pod("p")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ni := NewNodeInfo(tt.node, tt.existing...)
			f := newPodFacts(tt.pod)
			plugin, reasons, _ := runFilters(&f, ni)
			if plugin != tt.wantPlugin || !slices.Equal(reasons, tt.wantReasons) {
				t.Errorf("got %q %q, want %q %q", plugin, reasons, tt.wantPlugin, tt.wantReasons)
			}
		})
	}
}

func requiredAffinity(reqs ...corev1.NodeSelectorRequirement) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
			RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
				NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: reqs}},
			},
		}}
	}
}

func requiredField(key, value string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
			RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
				NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchFields: []corev1.NodeSelectorRequirement{
					{Key: key, Operator: corev1.NodeSelectorOpIn, Values: []string{value}},
				}}},
			},
		}}
	}
}

func TestNodeAffinityTerms(t *testing.T) {
	n := standardNode("node-1", nodeLabel("zone", "a"), nodeLabel("gen", "3"))
	tests := []struct {
		name string
		req  corev1.NodeSelectorRequirement
		want bool
	}{
		{"In", corev1.NodeSelectorRequirement{Key: "zone", Operator: corev1.NodeSelectorOpIn, Values: []string{"b", "a"}}, true},
		{"In without values is invalid", corev1.NodeSelectorRequirement{Key: "zone", Operator: corev1.NodeSelectorOpIn}, false},
		{"NotIn on a missing label", corev1.NodeSelectorRequirement{Key: "rack", Operator: corev1.NodeSelectorOpNotIn, Values: []string{"1"}}, true},
		{"Exists", corev1.NodeSelectorRequirement{Key: "zone", Operator: corev1.NodeSelectorOpExists}, true},
		{"DoesNotExist", corev1.NodeSelectorRequirement{Key: "zone", Operator: corev1.NodeSelectorOpDoesNotExist}, false},
		{"Lt", corev1.NodeSelectorRequirement{Key: "gen", Operator: corev1.NodeSelectorOpLt, Values: []string{"4"}}, true},
		{"Gt with a non-number", corev1.NodeSelectorRequirement{Key: "gen", Operator: corev1.NodeSelectorOpGt, Values: []string{"x"}}, false},
		{"Gt on a missing label", corev1.NodeSelectorRequirement{Key: "cores", Operator: corev1.NodeSelectorOpGt, Values: []string{"1"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			term := corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{tt.req}}
			if got := termMatches(&term, n); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if termMatches(&corev1.NodeSelectorTerm{}, n) {
		t.Error("an empty term must match no node")
	}
}
