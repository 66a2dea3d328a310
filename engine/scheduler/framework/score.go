package framework

import (
	"math"

	corev1 "k8s.io/api/core/v1"
)

// PluginScore is one plugin's verdict on one node: the plugin's own score,
// the score after the plugin's normalization over all scored nodes (0..100),
// and that times the plugin's weight.
type PluginScore struct {
	Plugin     string
	Raw        int64
	Normalized int64
	Weighted   int64
}

// NodeScore is a feasible node's score: every scoring plugin's part, in
// profile order, and their sum.
type NodeScore struct {
	Node    string
	Plugins []PluginScore
	Total   int64
}

// scorePlugin identifies a Score plugin of the default profile.
type scorePlugin uint8

const (
	scoreTaintToleration scorePlugin = iota
	scoreNodeAffinity
	scoreNodeResourcesFit
	scorePodTopologySpread
	scoreBalancedAllocation
	scoreImageLocality
	numScorePlugins
)

var scorePluginNames = [numScorePlugins]string{
	PluginTaintToleration, PluginNodeAffinity, PluginNodeResourcesFit,
	PluginPodTopologySpread, PluginBalancedAllocation, PluginImageLocality,
}

var scorePluginWeights = [numScorePlugins]int64{
	WeightTaintToleration, WeightNodeAffinity, WeightNodeResourcesFit,
	WeightPodTopologySpread, WeightBalancedAllocation, WeightImageLocality,
}

// scoreCycle holds what the PreScore steps computed for this cycle.
type scoreCycle struct {
	facts    *podFacts
	feasible []*NodeInfo
	all      []*NodeInfo
	spread   spreadPlan
	images   imagePlan
	plugins  []scorePlugin
}

// choosePlugins lists the Score plugins that take part for this pod, in the
// order of the default profile, leaving out those whose PreScore skips.
func (c *scoreCycle) choosePlugins(buf []scorePlugin) []scorePlugin {
	f := c.facts
	list := append(buf[:0], scoreTaintToleration)
	if len(f.preferredTerms) > 0 {
		list = append(list, scoreNodeAffinity)
	}
	list = append(list, scoreNodeResourcesFit)
	if c.spread.active {
		list = append(list, scorePodTopologySpread)
	}
	// BalancedAllocation skips best-effort pods (kubernetes#129138).
	if f.requests.MilliCPU != 0 || f.requests.Memory != 0 {
		list = append(list, scoreBalancedAllocation)
	}
	return append(list, scoreImageLocality)
}

// raw is a plugin's Score for one node.
func (c *scoreCycle) raw(p scorePlugin, n *NodeInfo) int64 {
	switch p {
	case scoreTaintToleration:
		return intolerablePreferNoSchedule(n.Node.Spec.Taints, c.facts.tolerationsPreferNoSchedule)
	case scoreNodeAffinity:
		return c.facts.preferredAffinityScore(n.Node)
	case scoreNodeResourcesFit:
		return leastAllocatedScore(&c.facts.nonZero, n)
	case scorePodTopologySpread:
		return c.spread.score(n)
	case scoreBalancedAllocation:
		return balancedAllocationScore(&c.facts.requests, n)
	case scoreImageLocality:
		return c.images.score(n)
	}
	return 0
}

// normalize is a plugin's NormalizeScore over one column of scores, in
// place; plugins without one keep their raw score.
func normalize(p scorePlugin, column []int64) {
	switch p {
	case scoreTaintToleration:
		defaultNormalize(column, true)
	case scoreNodeAffinity:
		defaultNormalize(column, false)
	case scorePodTopologySpread:
		spreadNormalize(column)
	}
}

// prioritize scores every feasible node, one plugin at a time: raw scores,
// the plugin's normalization, its weight. totals gets each node's sum; cells,
// when not nil, gets every plugin's part, row by row (one row of
// len(c.plugins) cells per node). column is scratch space; totals and column
// hold len(c.feasible) entries.
func (c *scoreCycle) prioritize(totals []int64, cells []PluginScore, column []int64) {
	np := len(c.plugins)
	clear(totals)
	for j, p := range c.plugins {
		for i, n := range c.feasible {
			column[i] = c.raw(p, n)
		}
		if cells != nil {
			for i := range c.feasible {
				cells[i*np+j] = PluginScore{Plugin: scorePluginNames[p], Raw: column[i]}
			}
		}
		normalize(p, column)
		weight := scorePluginWeights[p]
		for i := range c.feasible {
			totals[i] += column[i] * weight
		}
		if cells != nil {
			for i := range c.feasible {
				cell := &cells[i*np+j]
				cell.Normalized, cell.Weighted = column[i], column[i]*weight
			}
		}
	}
}

// defaultNormalize is the scheduler's DefaultNormalizeScore: scale to 0..100
// by the highest score, optionally reversed so that less is better.
func defaultNormalize(col []int64, reverse bool) {
	var maxCount int64
	for _, s := range col {
		maxCount = max(maxCount, s)
	}
	if maxCount == 0 {
		if reverse {
			for i := range col {
				col[i] = MaxNodeScore
			}
		}
		return
	}
	for i, s := range col {
		v := MaxNodeScore * s / maxCount
		if reverse {
			v = MaxNodeScore - v
		}
		col[i] = v
	}
}

// intolerablePreferNoSchedule is TaintToleration's raw score: how many
// PreferNoSchedule taints the pod does not tolerate (fewer is better).
func intolerablePreferNoSchedule(taints []corev1.Taint, tolerations []corev1.Toleration) int64 {
	var count int64
	for i := range taints {
		if taints[i].Effect == corev1.TaintEffectPreferNoSchedule && !tolerated(tolerations, &taints[i]) {
			count++
		}
	}
	return count
}

// leastAllocatedScore is NodeResourcesFit's LeastAllocated strategy with the
// default resources (cpu and memory, weight 1 each): the share of each that
// stays free after adding the pod, counting requests with the non-zero
// defaults.
func leastAllocatedScore(podNonZero *Resource, n *NodeInfo) int64 {
	var sum, weights int64
	if alloc := n.Allocatable.MilliCPU; alloc != 0 {
		sum += leastRequested(n.NonZeroRequested.MilliCPU+podNonZero.MilliCPU, alloc)
		weights++
	}
	if alloc := n.Allocatable.Memory; alloc != 0 {
		sum += leastRequested(n.NonZeroRequested.Memory+podNonZero.Memory, alloc)
		weights++
	}
	if weights == 0 {
		return 0
	}
	return sum / weights
}

func leastRequested(requested, capacity int64) int64 {
	if capacity == 0 || requested > capacity {
		return 0
	}
	return (capacity - requested) * MaxNodeScore / capacity
}

// balancedAllocationScore is NodeResourcesBalancedAllocation: 100 times one
// minus the standard deviation of the cpu and memory fractions the node would
// have in use, counting the real requests (no defaults).
func balancedAllocationScore(podRequests *Resource, n *NodeInfo) int64 {
	var fractions [2]float64
	count := 0
	if alloc := n.Allocatable.MilliCPU; alloc != 0 {
		fractions[count] = min(float64(n.Requested.MilliCPU+podRequests.MilliCPU)/float64(alloc), 1)
		count++
	}
	if alloc := n.Allocatable.Memory; alloc != 0 {
		fractions[count] = min(float64(n.Requested.Memory+podRequests.Memory)/float64(alloc), 1)
		count++
	}
	std := 0.0
	if count == 2 {
		std = math.Abs((fractions[0] - fractions[1]) / 2)
	}
	return int64((1 - std) * float64(MaxNodeScore))
}
