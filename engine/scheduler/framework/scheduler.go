package framework

import (
	"errors"
	"math/rand/v2"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// Limits of percentageOfNodesToScore (pkg/scheduler/schedule_one.go).
const (
	minFeasibleNodesToFind           = 100
	minFeasibleNodesPercentageToFind = 5
)

// Scheduler runs scheduling cycles. It remembers where the next cycle starts
// looking at nodes, so that over many cycles every node gets its turn, and
// keeps scratch memory between cycles. It is not safe for concurrent use.
type Scheduler struct {
	// PercentageOfNodesToScore is the share of nodes to find feasible before
	// scoring; 0 (the default) means adaptive: 50% minus 1% per 125 nodes,
	// at least 5%. Never fewer than 100 nodes are searched.
	PercentageOfNodesToScore int

	nextStartNodeIndex int
	// scratch is reused from cycle to cycle so that a cycle allocates only
	// what it hands back in the Decision.
	scratch scratch
}

type scratch struct {
	feasible []*NodeInfo
	filters  []FilterResult
	totals   []int64
	column   []int64
	plugins  []scorePlugin
}

// New returns a Scheduler with the default configuration.
func New() *Scheduler { return &Scheduler{} }

// NextStartNodeIndex is the position in Input.Nodes where the next cycle
// starts filtering.
func (s *Scheduler) NextStartNodeIndex() int { return s.nextStartNodeIndex }

// Input is one scheduling cycle's question.
type Input struct {
	Pod *corev1.Pod
	// Nodes in a stable order chosen by the caller.
	Nodes []*NodeInfo
	// SpreadSelector selects the pods the default topology spreading counts:
	// the selectors of the Services, ReplicaSets, StatefulSets and
	// ReplicationControllers the pod belongs to, combined. Nil or empty means
	// none, and PodTopologySpread does not score.
	SpreadSelector labels.Selector
	// ImageNodeCounts is how many nodes have each image (see
	// CountImageNodes). Nil means count it here from Nodes, which costs a
	// pass over all nodes per cycle.
	ImageNodeCounts map[string]int
	// Rand breaks ties between nodes with the same top score. Nil picks the
	// first of them.
	Rand *rand.Rand
	// Summary leaves Decision.Filters and Decision.Scores empty. Recording
	// them costs memory proportional to the nodes examined; a caller placing
	// thousands of pods on thousands of nodes, which keeps no explanation
	// per node, sets Summary. The chosen node and the FitError are the same.
	Summary bool
}

// Decision is a scheduling cycle's answer with everything needed to explain it.
type Decision struct {
	// Pod is namespace/name.
	Pod string
	// Node is the chosen node, "" when the pod is unschedulable.
	Node string
	// Evaluated is the number of nodes the filters looked at.
	Evaluated int
	// Feasible is how many of them passed.
	Feasible int
	// Filters has one result per evaluated node, in evaluation order
	// (empty with Input.Summary).
	Filters []FilterResult
	// Scores has one entry per feasible node, in evaluation order. It is
	// empty when only one node was feasible (the scheduler takes that node
	// without scoring) and with Input.Summary.
	Scores []NodeScore
	// TiedNodes are the nodes that shared the top score, in evaluation order;
	// when there is more than one, Rand picked Node among them. Empty when
	// Scores is.
	TiedNodes []string
}

// Schedule runs one scheduling cycle: filter nodes from where the last cycle
// stopped until enough feasible nodes are found, score them, and pick the
// best. When no node fits, the error is a *FitError and the Decision still
// holds every node's filter result. Nil entries in Nodes are skipped.
func (s *Scheduler) Schedule(in Input) (Decision, error) {
	if in.Pod == nil {
		return Decision{}, errors.New("schedule: no pod given")
	}
	d := Decision{Pod: in.Pod.Namespace + "/" + in.Pod.Name}
	if len(in.Nodes) == 0 {
		return d, ErrNoNodesAvailable
	}
	facts := newPodFacts(in.Pod)

	feasible, filters := s.findNodesThatFit(&facts, in.Nodes, &d, in.Summary)
	d.Feasible = len(feasible)
	if !in.Summary {
		d.Filters = filters
	}
	switch {
	case d.Evaluated == 0:
		return d, ErrNoNodesAvailable
	case len(feasible) == 0:
		// Every node was examined and rejected: the filter results cover
		// the cluster.
		return d, newFitError(d.Pod, d.Evaluated, &facts, filters)
	case len(feasible) == 1:
		d.Node = feasible[0].Node.Name
		return d, nil
	}

	cycle := scoreCycle{
		facts:    &facts,
		feasible: feasible,
		all:      in.Nodes,
		spread:   newSpreadPlan(&facts, in.SpreadSelector, feasible, in.Nodes),
		images:   newImagePlan(&facts, in.Nodes, in.ImageNodeCounts),
	}
	cycle.plugins = cycle.choosePlugins(s.scratch.plugins)
	s.scratch.plugins = cycle.plugins
	n := len(feasible)
	s.scratch.totals = grow(s.scratch.totals, n)
	s.scratch.column = grow(s.scratch.column, n)
	totals := s.scratch.totals
	var cells []PluginScore
	if !in.Summary {
		cells = make([]PluginScore, n*len(cycle.plugins))
	}
	cycle.prioritize(totals, cells, s.scratch.column)

	best := selectHost(totals, in.Rand)
	d.Node = feasible[best].Node.Name
	if !in.Summary {
		d.Scores = nodeScores(feasible, totals, cells, len(cycle.plugins))
		d.TiedNodes = tiedNodes(feasible, totals, totals[best])
	}
	return d, nil
}

// nodeScores lays the scores out per node, sharing the cells' memory.
func nodeScores(feasible []*NodeInfo, totals []int64, cells []PluginScore, np int) []NodeScore {
	scores := make([]NodeScore, len(feasible))
	for i, n := range feasible {
		scores[i] = NodeScore{Node: n.Node.Name, Plugins: cells[i*np : (i+1)*np : (i+1)*np], Total: totals[i]}
	}
	return scores
}

func tiedNodes(feasible []*NodeInfo, totals []int64, top int64) []string {
	var tied []string
	for i, t := range totals {
		if t == top {
			tied = append(tied, feasible[i].Node.Name)
		}
	}
	return tied
}

// grow returns buf resized to n entries, reallocating only when too small.
func grow[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	return buf[:n]
}

// findNodesThatFit filters nodes one by one, starting at nextStartNodeIndex
// and wrapping around, until numFeasibleNodesToFind nodes have passed or all
// nodes were looked at. The next cycle starts after the last node examined.
// It returns the feasible nodes and one filter result per node examined;
// with summary set, only the rejected nodes' results, in reused memory.
func (s *Scheduler) findNodesThatFit(f *podFacts, nodes []*NodeInfo, d *Decision, summary bool) ([]*NodeInfo, []FilterResult) {
	n := len(nodes)
	toFind := s.numFeasibleNodesToFind(n)
	start := s.nextStartNodeIndex % n
	feasible := s.scratch.feasible[:0]
	var filters []FilterResult
	if summary {
		filters = s.scratch.filters[:0]
	} else {
		filters = make([]FilterResult, 0, min(n, toFind+toFind/4))
	}
	examined, i := 0, 0
	for idx := start; i < n && len(feasible) < toFind; i++ {
		node := nodes[idx]
		if idx++; idx == n {
			idx = 0
		}
		if node == nil || node.Node == nil {
			continue
		}
		examined++
		plugin, reasons, unresolvable := runFilters(f, node)
		if plugin == "" {
			feasible = append(feasible, node)
			if summary {
				continue
			}
		}
		filters = append(filters, FilterResult{Node: node.Node.Name, Plugin: plugin, Reasons: reasons, Unresolvable: unresolvable})
	}
	s.scratch.feasible = feasible
	if summary {
		s.scratch.filters = filters
	}
	d.Evaluated = examined
	s.nextStartNodeIndex = (start + i) % n
	return feasible, filters
}

// numFeasibleNodesToFind is how many feasible nodes are enough: all of them
// in a cluster under 100 nodes, otherwise a percentage of the nodes but at
// least 100.
func (s *Scheduler) numFeasibleNodesToFind(numAllNodes int) int {
	if numAllNodes < minFeasibleNodesToFind {
		return numAllNodes
	}
	percentage := min(s.PercentageOfNodesToScore, 100)
	if percentage <= 0 {
		percentage = max(50-numAllNodes/125, minFeasibleNodesPercentageToFind)
	}
	return max(numAllNodes*percentage/100, minFeasibleNodesToFind)
}

// selectHost returns the index of the highest total; among equal totals each
// has the same chance (reservoir sampling, as kube-scheduler's selectHost).
func selectHost(totals []int64, r *rand.Rand) int {
	best, count := 0, 1
	for i := 1; i < len(totals); i++ {
		switch {
		case totals[i] > totals[best]:
			best, count = i, 1
		case totals[i] == totals[best]:
			count++
			if r != nil && r.IntN(count) == 0 {
				best = i
			}
		}
	}
	return best
}
