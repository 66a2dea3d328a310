// Package framework is the pure scheduling algorithm of the miniature
// kube-scheduler: given a pod and the current node infos it picks a node the
// way kube-scheduler v1.37's default profile does, and keeps every per-node
// filter and score result so a lesson can explain why a pod landed where it
// did.
//
// What it reproduces (read in kubernetes/kubernetes pkg/scheduler):
//   - schedule_one.go: nodes are filtered one at a time starting where the
//     previous cycle stopped (nextStartNodeIndex), until enough feasible nodes
//     are found (percentageOfNodesToScore: adaptive 50 - nodes/125 percent,
//     at least 5 %, at least 100 nodes); a single feasible node is taken
//     without scoring; otherwise the highest total score wins and ties are
//     broken by reservoir sampling with the caller's random source.
//   - the Filter plugins of the default profile, in profile order, stopping at
//     the first failure: NodeUnschedulable, NodeName, TaintToleration,
//     NodeAffinity, NodePorts, NodeResourcesFit.
//   - the Score plugins with their default weights: TaintToleration 3,
//     NodeAffinity 2, NodeResourcesFit (LeastAllocated) 1, PodTopologySpread 2
//     (system default constraints), NodeResourcesBalancedAllocation 1,
//     ImageLocality 1. Plugins that skip themselves in PreScore are left out,
//     as in the real framework.
//   - FitError.Error(), including the PostFilter part written by the
//     DynamicResources and DefaultPreemption plugins.
//
// Not modelled, because the lessons' pods never need it: InterPodAffinity,
// a pod's own topologySpreadConstraints (the system defaults are always
// used), volume plugins, extended resources, nominated nodes, the
// NodeDeclaredFeatures filter (in the default profile since the gate went GA
// in v1.37; it rejects only pods that need a feature a node does not declare,
// and the lessons' pods need none), and preemption victims (every pod has
// priority 0, so DefaultPreemption never finds a victim and only its message
// is produced).
//
// The package does no I/O, starts no goroutines, and draws randomness only
// from the *rand.Rand passed in. Schedule updates small caches inside the
// NodeInfos it is given, so one set of NodeInfos must not be scheduled on
// from two goroutines at once.
package framework
