package framework

import (
	"math/rand/v2"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
)

func TestResourceScoresByHand(t *testing.T) {
	tests := []struct {
		name          string
		existing      []*corev1.Pod
		pod           *corev1.Pod
		wantLeast     int64
		wantBalanced  int64
		balancedSkips bool
	}{
		{
			// cpu 1500m of 4000m: 2500*100/4000 = 62; memory 3Gi of 8Gi: 62.
			// Both fractions 0.375: std 0, balanced 100.
			name:      "balanced use",
			existing:  []*corev1.Pod{pod("a", requests("1", "2Gi"))},
			pod:       pod("p", requests("500m", "1Gi")),
			wantLeast: 62, wantBalanced: 100,
		},
		{
			// cpu 1000m: 3000*100/4000 = 75; memory 512Mi: 7680*100/8192 = 93;
			// (75+93)/2 = 84. Fractions 0.25 and 0.0625: std 0.09375, 90.
			name:      "cpu heavy pod",
			pod:       pod("p", requests("1", "512Mi")),
			wantLeast: 84, wantBalanced: 90,
		},
		{
			// Requests are counted with the defaults for scoring: 100m and
			// 200Mi for each pod without requests. cpu 3800*100/4000 = 95,
			// memory 7792*100/8192 = 95. Balanced skips a best-effort pod.
			name:      "pods without requests",
			existing:  []*corev1.Pod{pod("a")},
			pod:       pod("p"),
			wantLeast: 95, balancedSkips: true,
		},
		{
			// Only cpu requested: memory counts 200Mi for LeastAllocated
			// (cpu 3500*100/4000 = 87, memory 7992*100/8192 = 97, 92) but 0 for
			// Balanced (fractions 0.125 and 0: std 0.0625, 93).
			name:      "cpu request only",
			pod:       pod("p", requests("500m", "")),
			wantLeast: 92, wantBalanced: 93,
		},
		{
			// The cpu is all requested and the pod asks for none, so it fits,
			// but its scoring default of 100m overbooks the node: cpu scores 0.
			// memory 5Gi of 8Gi: 37; (0+37)/2 = 18. Balanced: fractions 1 and
			// 0.625, std 0.1875, 81.
			name:      "scoring default beyond capacity",
			existing:  []*corev1.Pod{pod("a", requests("4", "4Gi"))},
			pod:       pod("p", requests("", "1Gi")),
			wantLeast: 18, wantBalanced: 81,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ni := NewNodeInfo(standardNode("node-1"), tt.existing...)
			f := newPodFacts(tt.pod)
			if got := leastAllocatedScore(&f.nonZero, ni); got != tt.wantLeast {
				t.Errorf("LeastAllocated = %d, want %d", got, tt.wantLeast)
			}
			// Through a whole cycle with a second, identical node so that
			// scoring runs.
			d, err := New().Schedule(Input{Pod: tt.pod, Nodes: []*NodeInfo{ni, NewNodeInfo(standardNode("node-2"), tt.existing...)}})
			if err != nil {
				t.Fatal(err)
			}
			ps, ok := pluginScore(d, "node-1", PluginNodeResourcesFit)
			if !ok || ps.Weighted != tt.wantLeast {
				t.Errorf("NodeResourcesFit in decision = %+v", ps)
			}
			ps, ok = pluginScore(d, "node-1", PluginBalancedAllocation)
			if tt.balancedSkips {
				if ok {
					t.Errorf("BalancedAllocation should skip, got %+v", ps)
				}
				return
			}
			if !ok || ps.Raw != tt.wantBalanced || ps.Weighted != tt.wantBalanced {
				t.Errorf("BalancedAllocation = %+v, want %d", ps, tt.wantBalanced)
			}
		})
	}
}

func TestTaintTolerationScore(t *testing.T) {
	spot := taint("spot", "true", corev1.TaintEffectPreferNoSchedule)
	infos := nodeInfos(standardNode("node-1", spot), standardNode("node-2"),
		standardNode("node-3", spot, taint("old", "", corev1.TaintEffectPreferNoSchedule)))
	d, err := New().Schedule(Input{Pod: pod("p"), Nodes: infos})
	if err != nil {
		t.Fatal(err)
	}
	// Raw counts untolerated PreferNoSchedule taints; normalized reversed:
	// 100 - 100*raw/max.
	want := map[string]PluginScore{
		"node-1": {PluginTaintToleration, 1, 50, 150},
		"node-2": {PluginTaintToleration, 0, 100, 300},
		"node-3": {PluginTaintToleration, 2, 0, 0},
	}
	for name, w := range want {
		if got, _ := pluginScore(d, name, PluginTaintToleration); got != w {
			t.Errorf("%s: %+v, want %+v", name, got, w)
		}
	}
	if d.Node != "node-2" {
		t.Errorf("node = %s", d.Node)
	}

	// A pod tolerating the spot taint sees node-1 and node-2 alike.
	d, _ = New().Schedule(Input{Pod: pod("p", toleration("spot", "", corev1.TaintEffectPreferNoSchedule)), Nodes: infos})
	if got, _ := pluginScore(d, "node-1", PluginTaintToleration); got.Normalized != 100 {
		t.Errorf("tolerating pod on node-1: %+v", got)
	}
}

func TestNodeAffinityPreferredScore(t *testing.T) {
	infos := nodeInfos(standardNode("node-1", nodeLabel("disktype", "ssd")), standardNode("node-2"),
		standardNode("node-3", nodeLabel("disktype", "ssd"), nodeLabel("zone", "a")))
	p := pod("p", func(p *corev1.Pod) {
		p.Spec.Affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
			PreferredDuringSchedulingIgnoredDuringExecution: []corev1.PreferredSchedulingTerm{
				{Weight: 30, Preference: corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{
					{Key: "disktype", Operator: corev1.NodeSelectorOpIn, Values: []string{"ssd"}}}}},
				{Weight: 10, Preference: corev1.NodeSelectorTerm{MatchExpressions: []corev1.NodeSelectorRequirement{
					{Key: "zone", Operator: corev1.NodeSelectorOpExists}}}},
			},
		}}
	})
	d, err := New().Schedule(Input{Pod: p, Nodes: infos})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]PluginScore{
		"node-1": {PluginNodeAffinity, 30, 75, 150}, // 100*30/40
		"node-2": {PluginNodeAffinity, 0, 0, 0},
		"node-3": {PluginNodeAffinity, 40, 100, 200},
	}
	for name, w := range want {
		if got, _ := pluginScore(d, name, PluginNodeAffinity); got != w {
			t.Errorf("%s: %+v, want %+v", name, got, w)
		}
	}
	if d.Node != "node-3" {
		t.Errorf("node = %s", d.Node)
	}
	// Without preferred terms NodeAffinity does not score at all.
	d, _ = New().Schedule(Input{Pod: pod("q"), Nodes: infos})
	if _, ok := pluginScore(d, "node-1", PluginNodeAffinity); ok {
		t.Error("NodeAffinity scored a pod without preferences")
	}
}

func TestImageLocalityScore(t *testing.T) {
	const size = 100 * mb
	infos := nodeInfos(
		standardNode("node-1", image(size, "docker.io/library/nginx:latest", "nginx:latest")),
		standardNode("node-2"),
		standardNode("node-3", image(size, "docker.io/library/nginx:latest")),
	)
	tests := []struct {
		name   string
		image  string
		counts map[string]int
		want   map[string]int64
	}{
		// "nginx" is looked up as "nginx:latest", on one node of three:
		// 100MB * 1/3 = 33.3MB; 100*(33.3MB-23MB)/(1000MB-23MB) = 1.
		{name: "short name", image: "nginx", want: map[string]int64{"node-1": 1, "node-2": 0, "node-3": 0}},
		// On two of three: 66.6MB, 100*43.6/977 = 4.
		{name: "full name", image: "docker.io/library/nginx", want: map[string]int64{"node-1": 4, "node-2": 0, "node-3": 4}},
		// Counts handed in are used as given.
		{name: "counts given", image: "nginx", counts: map[string]int{"nginx:latest": 3}, want: map[string]int64{"node-1": 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pod("p", func(p *corev1.Pod) { p.Spec.Containers[0].Image = tt.image })
			d, err := New().Schedule(Input{Pod: p, Nodes: infos, ImageNodeCounts: tt.counts})
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tt.want {
				if got, _ := pluginScore(d, name, PluginImageLocality); got.Raw != want || got.Weighted != want {
					t.Errorf("%s: %+v, want %d", name, got, want)
				}
			}
		})
	}
	if got := CountImageNodes(infos); got["docker.io/library/nginx:latest"] != 2 || got["nginx:latest"] != 1 {
		t.Errorf("CountImageNodes = %v", got)
	}
}

func TestTopologySpreadScore(t *testing.T) {
	t.Run("pods of other owners and namespaces do not count", func(t *testing.T) {
		infos := nodeInfos(standardNode("node-1"), standardNode("node-2"))
		other := pod("other", podLabels("app", "db"))
		elsewhere := rsPod(7)
		elsewhere.Namespace = "prod"
		terminating := rsPod(8)
		terminating.DeletionTimestamp = &terminatingSince
		infos[0].AddPod(other)
		infos[0].AddPod(elsewhere)
		infos[0].AddPod(terminating)
		d, err := New().Schedule(Input{Pod: rsPod(1), Nodes: infos, SpreadSelector: webSelector})
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"node-1", "node-2"} {
			if got, _ := pluginScore(d, name, PluginPodTopologySpread); got.Raw != 2 || got.Normalized != 100 {
				t.Errorf("%s: %+v", name, got)
			}
		}
	})
	t.Run("no selector, no spreading", func(t *testing.T) {
		infos := nodeInfos(standardNode("node-1"), standardNode("node-2"))
		for _, sel := range []labels.Selector{nil, labels.Everything()} {
			d, _ := New().Schedule(Input{Pod: rsPod(1), Nodes: infos, SpreadSelector: sel})
			if _, ok := pluginScore(d, "node-1", PluginPodTopologySpread); ok {
				t.Errorf("selector %v: PodTopologySpread scored", sel)
			}
		}
	})
	t.Run("zones", func(t *testing.T) {
		// Zone a has node-1 (2 web pods) and node-2 (empty); zone b has node-3
		// (1 web pod). Four feasible nodes, hostname weight ln(6); node-4 has
		// no zone label, so the zone domains are a, b and "": weight ln(5).
		infos := nodeInfos(
			standardNode("node-1", nodeLabel(LabelZone, "a")),
			standardNode("node-2", nodeLabel(LabelZone, "a")),
			standardNode("node-3", nodeLabel(LabelZone, "b")),
			standardNode("node-4"),
		)
		infos[0].AddPod(rsPod(1))
		infos[0].AddPod(rsPod(2))
		infos[2].AddPod(rsPod(3))
		d, err := New().Schedule(Input{Pod: rsPod(4), Nodes: infos, SpreadSelector: webSelector})
		if err != nil {
			t.Fatal(err)
		}
		// node-1: 2*ln6+2 + 2*ln5+4 = 3.58+2+3.22+4 = 12.80 -> 13
		// node-2: 0+2 + 2*ln5+4 = 9.22 -> 9
		// node-3: 1*ln6+2 + 1*ln5+4 = 1.79+2+1.61+4 = 9.40 -> 9
		// node-4: 0+2 = 2
		// normalized 100*(13+2-s)/13: 15, 46, 46, 100
		want := map[string][2]int64{"node-1": {13, 15}, "node-2": {9, 46}, "node-3": {9, 46}, "node-4": {2, 100}}
		for name, w := range want {
			got, _ := pluginScore(d, name, PluginPodTopologySpread)
			if got.Raw != w[0] || got.Normalized != w[1] || got.Weighted != 2*w[1] {
				t.Errorf("%s: %+v, want raw %d normalized %d", name, got, w[0], w[1])
			}
		}
	})
}

func TestSpreadMemoFollowsPodChanges(t *testing.T) {
	infos := nodeInfos(standardNode("node-1"), standardNode("node-2"))
	s := New()
	first, _ := s.Schedule(Input{Pod: rsPod(1), Nodes: infos, SpreadSelector: webSelector})
	infos[0].AddPod(rsPod(2))
	second, _ := s.Schedule(Input{Pod: rsPod(3), Nodes: infos, SpreadSelector: webSelector})
	if a, _ := pluginScore(first, "node-1", PluginPodTopologySpread); a.Raw != 2 {
		t.Errorf("before: %+v", a)
	}
	if b, _ := pluginScore(second, "node-1", PluginPodTopologySpread); b.Raw != 3 {
		t.Errorf("after AddPod: %+v", b)
	}
	infos[0].RemovePod(rsPod(2))
	third, _ := s.Schedule(Input{Pod: rsPod(3), Nodes: infos, SpreadSelector: webSelector, Rand: rand.New(rand.NewPCG(1, 1))})
	if c, _ := pluginScore(third, "node-1", PluginPodTopologySpread); c.Raw != 2 {
		t.Errorf("after RemovePod: %+v", c)
	}
}
