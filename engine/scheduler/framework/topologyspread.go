package framework

import (
	"math"

	"k8s.io/apimachinery/pkg/labels"
)

// The system default constraints of PodTopologySpread, used when a pod has
// no topologySpreadConstraints of its own: spread over hostnames with maxSkew 3
// and over zones with maxSkew 5, both ScheduleAnyway (scoring only).
const (
	defaultHostnameMaxSkew = 3
	defaultZoneMaxSkew     = 5
)

// spreadPlan is PodTopologySpread's PreScore state for the system default
// constraints. With system defaults a node needs not carry every topology
// label: a node without a zone label is still spread by hostname.
type spreadPlan struct {
	active    bool
	selector  labels.Selector
	namespace string
	// memoKey identifies (namespace, selector) in the NodeInfos' count memo.
	memoKey string

	hostnameWeight float64
	zoneWeight     float64
	// zones are the zone values of the feasible nodes that have a zone label,
	// with the number of matching pods in each zone across all nodes.
	zones []zoneCount
}

type zoneCount struct {
	zone  string
	count int64
}

// spreadMemo caches, per node, how many of its pods a selector matches, for
// as long as the node's pods do not change.
type spreadMemo struct {
	key        string
	generation uint64
	count      int64
}

func newSpreadPlan(f *podFacts, selector labels.Selector, feasible, all []*NodeInfo) spreadPlan {
	if selector == nil || selector.Empty() {
		// The pod belongs to no Service, ReplicaSet, StatefulSet or
		// ReplicationController: no default constraints, PreScore skips.
		return spreadPlan{}
	}
	p := spreadPlan{
		active:    true,
		selector:  selector,
		namespace: f.pod.Namespace,
		memoKey:   f.pod.Namespace + "\x00" + selector.String(),
		// The hostname domain count is the number of nodes being scored.
		hostnameWeight: topologyNormalizingWeight(len(feasible)),
	}
	// The zone domain count includes the empty value when some feasible node
	// has no zone label, as the real plugin counts it.
	missingZone := 0
	for _, n := range feasible {
		if !n.hasZone {
			missingZone = 1
			continue
		}
		if !p.hasZone(n.zone) {
			p.zones = append(p.zones, zoneCount{zone: n.zone})
		}
	}
	p.zoneWeight = topologyNormalizingWeight(len(p.zones) + missingZone)
	if len(p.zones) > 0 {
		p.countZones(f, all)
	}
	return p
}

func (p *spreadPlan) hasZone(zone string) bool {
	for _, z := range p.zones {
		if z.zone == zone {
			return true
		}
	}
	return false
}

// countZones counts the matching pods of every zone over all nodes, skipping
// nodes the pod's nodeSelector/required affinity excludes (the default
// nodeAffinityPolicy is Honor).
func (p *spreadPlan) countZones(f *podFacts, all []*NodeInfo) {
	for _, n := range all {
		if n == nil || n.Node == nil || !n.hasZone {
			continue
		}
		i := 0
		for i < len(p.zones) && p.zones[i].zone != n.zone {
			i++
		}
		if i == len(p.zones) {
			continue
		}
		if f.hasRequiredAffinity && !f.matchesRequiredAffinity(n.Node) {
			continue
		}
		p.zones[i].count += p.matchingPods(n)
	}
}

// matchingPods counts the node's pods in the pod's namespace that the
// selector matches, leaving out terminating pods.
func (p *spreadPlan) matchingPods(n *NodeInfo) int64 {
	if n.spread.key == p.memoKey && n.spread.generation == n.generation {
		return n.spread.count
	}
	var count int64
	for _, q := range n.Pods {
		if q.DeletionTimestamp != nil || q.Namespace != p.namespace {
			continue
		}
		if p.selector.Matches(labels.Set(q.Labels)) {
			count++
		}
	}
	n.spread = spreadMemo{key: p.memoKey, generation: n.generation, count: count}
	return count
}

// score is PodTopologySpread's raw score: for each constraint whose topology
// label the node has, matching pods in its domain times the domain weight,
// plus maxSkew-1. More matching pods means a worse (higher) raw score.
func (p *spreadPlan) score(n *NodeInfo) int64 {
	var score float64
	if n.hasHostname {
		score += scoreForCount(p.matchingPods(n), defaultHostnameMaxSkew, p.hostnameWeight)
	}
	if n.hasZone {
		for _, z := range p.zones {
			if z.zone == n.zone {
				score += scoreForCount(z.count, defaultZoneMaxSkew, p.zoneWeight)
				break
			}
		}
	}
	return int64(math.Round(score))
}

func topologyNormalizingWeight(size int) float64 {
	return math.Log(float64(size + 2))
}

func scoreForCount(count int64, maxSkew int32, weight float64) float64 {
	return float64(count)*weight + float64(maxSkew-1)
}

// spreadNormalize is PodTopologySpread's NormalizeScore: the node with the
// fewest matching pods gets 100.
func spreadNormalize(col []int64) {
	var minScore int64 = math.MaxInt64
	var maxScore int64
	for _, s := range col {
		minScore = min(minScore, s)
		maxScore = max(maxScore, s)
	}
	for i, s := range col {
		if maxScore == 0 {
			col[i] = MaxNodeScore
			continue
		}
		col[i] = MaxNodeScore * (maxScore + minScore - s) / maxScore
	}
}
