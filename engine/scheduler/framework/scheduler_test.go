package framework

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// placeReplicaSet schedules n pods of the web ReplicaSet one at a time, each
// seeing the previous placements, and returns the node of each pod.
func placeReplicaSet(t *testing.T, seed uint64, n int) []string {
	t.Helper()
	infos := nodeInfos(standardNode("node-1"), standardNode("node-2"))
	s := New()
	r := rand.New(rand.NewPCG(seed, 0))
	var placed []string
	for i := range n {
		p := rsPod(i)
		d, err := s.Schedule(Input{Pod: p, Nodes: infos, SpreadSelector: webSelector, Rand: r})
		if err != nil {
			t.Fatalf("seed %d pod %d: %v", seed, i, err)
		}
		infoByName(infos, d.Node).AddPod(p)
		placed = append(placed, d.Node)
	}
	return placed
}

func TestThreeReplicasOnTwoEqualNodesLandTwoPlusOne(t *testing.T) {
	doubled := map[string]int{} // node that got two pods -> number of seeds
	for seed := uint64(1); seed <= 40; seed++ {
		placed := placeReplicaSet(t, seed, 3)
		count := map[string]int{}
		for _, n := range placed {
			count[n]++
		}
		if len(count) != 2 || (count["node-1"] != 2 && count["node-2"] != 2) {
			t.Fatalf("seed %d: placements %v, want 2 + 1", seed, placed)
		}
		if placed[0] == placed[1] {
			t.Fatalf("seed %d: second pod joined the first on %s; spreading should send it to the empty node", seed, placed[0])
		}
		for n, c := range count {
			if c == 2 {
				doubled[n]++
			}
		}
		if again := placeReplicaSet(t, seed, 3); !slices.Equal(again, placed) {
			t.Fatalf("seed %d: %v then %v; the same seed must give the same placements", seed, placed, again)
		}
	}
	if doubled["node-1"] == 0 || doubled["node-2"] == 0 {
		t.Fatalf("over 40 seeds the node with two pods was always the same: %v", doubled)
	}
}

// The second replica: node-1 holds the first one. Every number is worked out
// by hand from the plugins' formulas.
func TestSecondReplicaScoresByHand(t *testing.T) {
	infos := nodeInfos(standardNode("node-1"), standardNode("node-2"))
	infos[0].AddPod(rsPod(0))
	d, err := New().Schedule(Input{Pod: rsPod(1), Nodes: infos, SpreadSelector: webSelector, Rand: rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]PluginScore{
		"node-1": {
			// No taints: DefaultNormalizeScore reversed gives everyone 100.
			{PluginTaintToleration, 0, 100, 300},
			// Non-zero requests: 2 x 100m of 4000m and 2 x 200Mi of 8Gi used.
			// cpu (4000-200)*100/4000 = 95, memory (8192-400)*100/8192 = 95.
			{PluginNodeResourcesFit, 95, 95, 95},
			// One matching pod: 1*ln(2+2) + (3-1) = 3.39, rounded 3.
			// Normalized 100*(3+2-3)/3 = 66.
			{PluginPodTopologySpread, 3, 66, 132},
			// The pod has no nginx:latest image on any node.
			{PluginImageLocality, 0, 0, 0},
		},
		"node-2": {
			{PluginTaintToleration, 0, 100, 300},
			// cpu 3900*100/4000 = 97, memory 7992*100/8192 = 97.
			{PluginNodeResourcesFit, 97, 97, 97},
			// No matching pod: 0 + 2 = 2, normalized 100*(3+2-2)/3 = 100.
			{PluginPodTopologySpread, 2, 100, 200},
			{PluginImageLocality, 0, 0, 0},
		},
	}
	wantTotal := map[string]int64{"node-1": 527, "node-2": 597}
	if len(d.Scores) != 2 {
		t.Fatalf("scores = %+v", d.Scores)
	}
	for _, ns := range d.Scores {
		// BalancedAllocation skips pods without requests.
		if !slices.Equal(ns.Plugins, want[ns.Node]) {
			t.Errorf("%s plugins =\n%+v\nwant\n%+v", ns.Node, ns.Plugins, want[ns.Node])
		}
		if ns.Total != wantTotal[ns.Node] {
			t.Errorf("%s total = %d, want %d", ns.Node, ns.Total, wantTotal[ns.Node])
		}
	}
	if d.Node != "node-2" || !slices.Equal(d.TiedNodes, []string{"node-2"}) {
		t.Errorf("node = %s, tied = %v; want node-2 alone on top", d.Node, d.TiedNodes)
	}
	if d.Evaluated != 2 || d.Feasible != 2 || len(d.Filters) != 2 {
		t.Errorf("evaluated %d, feasible %d, filters %d; want 2, 2, 2", d.Evaluated, d.Feasible, len(d.Filters))
	}
}

func TestSingleFeasibleNodeIsTakenWithoutScoring(t *testing.T) {
	infos := nodeInfos(standardNode("node-1", cordoned), standardNode("node-2"))
	d, err := New().Schedule(Input{Pod: pod("p"), Nodes: infos})
	if err != nil {
		t.Fatal(err)
	}
	if d.Node != "node-2" || d.Scores != nil || d.TiedNodes != nil {
		t.Fatalf("decision = %+v; want node-2 without scores", d)
	}
	if d.Filters[0].Plugin != PluginNodeUnschedulable || !d.Filters[1].Passed() {
		t.Fatalf("filters = %+v", d.Filters)
	}
}

func TestTieWithoutRandPicksTheFirstNode(t *testing.T) {
	infos := nodeInfos(standardNode("node-1"), standardNode("node-2"), standardNode("node-3"))
	d, err := New().Schedule(Input{Pod: pod("p"), Nodes: infos})
	if err != nil {
		t.Fatal(err)
	}
	if d.Node != "node-1" || !slices.Equal(d.TiedNodes, []string{"node-1", "node-2", "node-3"}) {
		t.Fatalf("node %s tied %v", d.Node, d.TiedNodes)
	}
}

func TestNumFeasibleNodesToFind(t *testing.T) {
	tests := []struct {
		nodes, percentage, want int
	}{
		{nodes: 2, want: 2},
		{nodes: 99, want: 99},
		{nodes: 100, want: 100},    // 49% of 100 is 49: raised to 100
		{nodes: 1000, want: 420},   // 50 - 8 = 42%
		{nodes: 5000, want: 500},   // 50 - 40 = 10%
		{nodes: 6000, want: 300},   // 50 - 48 = 2%, raised to 5%
		{nodes: 20000, want: 1000}, // 5%
		{nodes: 5000, percentage: 30, want: 1500},
		{nodes: 5000, percentage: 1, want: 100},
		{nodes: 5000, percentage: 250, want: 5000},
	}
	for _, tt := range tests {
		s := &Scheduler{PercentageOfNodesToScore: tt.percentage}
		if got := s.numFeasibleNodesToFind(tt.nodes); got != tt.want {
			t.Errorf("%d nodes at %d%%: %d, want %d", tt.nodes, tt.percentage, got, tt.want)
		}
	}
}

func TestFiveThousandNodesEvaluateFiveHundredAndRotate(t *testing.T) {
	infos := make([]*NodeInfo, 5000)
	for i := range infos {
		infos[i] = NewNodeInfo(standardNode(fmt.Sprintf("node-%04d", i)))
	}
	s := New()
	for cycle, wantFirst := range []string{"node-0000", "node-0500", "node-1000"} {
		d, err := s.Schedule(Input{Pod: rsPod(cycle), Nodes: infos, SpreadSelector: webSelector})
		if err != nil {
			t.Fatal(err)
		}
		if d.Evaluated != 500 || d.Feasible != 500 || len(d.Filters) != 500 || len(d.Scores) != 500 {
			t.Fatalf("cycle %d: evaluated %d feasible %d filters %d scores %d; want 500 each",
				cycle, d.Evaluated, d.Feasible, len(d.Filters), len(d.Scores))
		}
		if d.Filters[0].Node != wantFirst {
			t.Errorf("cycle %d started at %s, want %s", cycle, d.Filters[0].Node, wantFirst)
		}
	}
	if got := s.NextStartNodeIndex(); got != 1500 {
		t.Errorf("next start = %d, want 1500", got)
	}

	// Rejected nodes count as examined: with the first 100 nodes cordoned the
	// cycle looks at 600 nodes to find 500 that fit, and wraps around.
	for _, n := range infos[:100] {
		n.SetNode(standardNode(n.Node.Name, cordoned))
	}
	s = &Scheduler{nextStartNodeIndex: 4900}
	d, err := s.Schedule(Input{Pod: rsPod(9), Nodes: infos})
	if err != nil {
		t.Fatal(err)
	}
	if d.Evaluated != 600 || d.Feasible != 500 || s.NextStartNodeIndex() != 500 {
		t.Errorf("evaluated %d feasible %d next %d; want 600, 500, 500", d.Evaluated, d.Feasible, s.NextStartNodeIndex())
	}
}

func TestUnschedulableCycleEvaluatesEveryNode(t *testing.T) {
	infos := make([]*NodeInfo, 300)
	for i := range infos {
		infos[i] = NewNodeInfo(standardNode(fmt.Sprintf("node-%03d", i)))
	}
	s := &Scheduler{nextStartNodeIndex: 7}
	d, err := s.Schedule(Input{Pod: pod("big", requests("100", "")), Nodes: infos})
	var fitErr *FitError
	if !errors.As(err, &fitErr) {
		t.Fatalf("err = %v, want a FitError", err)
	}
	if d.Evaluated != 300 || s.NextStartNodeIndex() != 7 || d.Node != "" {
		t.Errorf("evaluated %d next %d node %q", d.Evaluated, s.NextStartNodeIndex(), d.Node)
	}
	want := "0/300 nodes are available: 300 Insufficient cpu. preemption: 0/300 nodes are available: 300 Preemption is not helpful for scheduling."
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
}

func TestBadInputDoesNotPanic(t *testing.T) {
	if _, err := New().Schedule(Input{}); err == nil {
		t.Error("no pod: want an error")
	}
	if _, err := New().Schedule(Input{Pod: pod("p")}); !errors.Is(err, ErrNoNodesAvailable) {
		t.Errorf("no nodes: err = %v", err)
	}
	infos := []*NodeInfo{nil, {}, NewNodeInfo(standardNode("node-1", nodeLabel(LabelZone, "a"))),
		NewNodeInfo(standardNode("node-2", nodeLabel(LabelZone, "b"), cordoned))}
	d, err := New().Schedule(Input{Pod: rsPod(1), Nodes: infos, SpreadSelector: webSelector})
	if err != nil || d.Node != "node-1" || d.Evaluated != 2 {
		t.Errorf("nil entries: node %q evaluated %d err %v", d.Node, d.Evaluated, err)
	}
	infos = append(infos, NewNodeInfo(standardNode("node-3", nodeLabel(LabelZone, "b"))))
	if d, err = New().Schedule(Input{Pod: rsPod(1), Nodes: infos, SpreadSelector: webSelector}); err != nil || len(d.Scores) != 2 {
		t.Errorf("nil entries while scoring: %+v %v", d, err)
	}
	if _, err := New().Schedule(Input{Pod: pod("p"), Nodes: []*NodeInfo{nil}}); !errors.Is(err, ErrNoNodesAvailable) {
		t.Errorf("only nil entries: err = %v", err)
	}
	// A node without allocatable pods rejects every pod.
	bare := &corev1.Node{}
	bare.Name = "bare"
	if _, err := New().Schedule(Input{Pod: pod("p"), Nodes: nodeInfos(bare)}); err == nil ||
		err.Error() != "0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod." {
		t.Errorf("bare node: %v", err)
	}
}

// Summary mode records less but decides exactly the same.
func TestSummaryDecidesTheSame(t *testing.T) {
	build := func() []*NodeInfo {
		infos := make([]*NodeInfo, 150)
		for i := range infos {
			var opts []func(*corev1.Node)
			if i%7 == 0 {
				opts = append(opts, cordoned)
			}
			if i%5 == 0 {
				opts = append(opts, nodeLabel(LabelZone, fmt.Sprintf("zone-%d", i%3)))
			}
			infos[i] = NewNodeInfo(standardNode(fmt.Sprintf("node-%03d", i), opts...))
		}
		return infos
	}
	explained, summarized := build(), build()
	se, ss := New(), New()
	re, rs := rand.New(rand.NewPCG(3, 4)), rand.New(rand.NewPCG(3, 4))
	for i := range 400 {
		p := rsPod(i)
		de, erre := se.Schedule(Input{Pod: p, Nodes: explained, SpreadSelector: webSelector, Rand: re})
		ds, errs := ss.Schedule(Input{Pod: p, Nodes: summarized, SpreadSelector: webSelector, Rand: rs, Summary: true})
		if de.Node != ds.Node || de.Evaluated != ds.Evaluated || de.Feasible != ds.Feasible || fmt.Sprint(erre) != fmt.Sprint(errs) {
			t.Fatalf("pod %d: explained %s/%d/%d/%v, summary %s/%d/%d/%v", i,
				de.Node, de.Evaluated, de.Feasible, erre, ds.Node, ds.Evaluated, ds.Feasible, errs)
		}
		if ds.Filters != nil || ds.Scores != nil || ds.TiedNodes != nil {
			t.Fatalf("summary recorded details: %+v", ds)
		}
		if de.Node != "" {
			infoByName(explained, de.Node).AddPod(p)
			infoByName(summarized, ds.Node).AddPod(p)
		}
	}
	// A pod no node can take fails with the same message in both modes.
	big := pod("big", requests("5", ""))
	_, erre := se.Schedule(Input{Pod: big, Nodes: explained})
	_, errs := ss.Schedule(Input{Pod: big, Nodes: summarized, Summary: true})
	want := "0/150 nodes are available: 128 Insufficient cpu, 22 node(s) were unschedulable. preemption: 0/150 nodes are available: 150 Preemption is not helpful for scheduling."
	if erre == nil || errs == nil || erre.Error() != want || errs.Error() != want {
		t.Fatalf("big pod:\n%v\n%v\nwant\n%s", erre, errs, want)
	}
}
