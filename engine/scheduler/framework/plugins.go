package framework

// Plugin names as kube-scheduler registers them.
const (
	PluginNodeUnschedulable  = "NodeUnschedulable"
	PluginNodeName           = "NodeName"
	PluginTaintToleration    = "TaintToleration"
	PluginNodeAffinity       = "NodeAffinity"
	PluginNodePorts          = "NodePorts"
	PluginNodeResourcesFit   = "NodeResourcesFit"
	PluginPodTopologySpread  = "PodTopologySpread"
	PluginBalancedAllocation = "NodeResourcesBalancedAllocation"
	PluginImageLocality      = "ImageLocality"
	PluginDynamicResources   = "DynamicResources"
	PluginDefaultPreemption  = "DefaultPreemption"
)

// Score weights of the v1.37 default profile
// (k8s.io/kubernetes v1.37.2 pkg/scheduler/apis/config/v1/default_plugins.go).
const (
	WeightTaintToleration    = 3
	WeightNodeAffinity       = 2
	WeightNodeResourcesFit   = 1
	WeightPodTopologySpread  = 2
	WeightBalancedAllocation = 1
	WeightImageLocality      = 1
)

// MaxNodeScore is the highest score a plugin gives a node before weighting.
const MaxNodeScore = 100

// Filter failure reasons, word for word as the plugins report them.
const (
	ReasonUnschedulable                = "node(s) were unschedulable"
	ReasonNodeName                     = "node(s) didn't match the requested node name"
	ReasonUntoleratedTaint             = "node(s) had untolerated taint(s)"
	ReasonNodeAffinity                 = "node(s) didn't match Pod's node affinity/selector"
	ReasonNodePorts                    = "node(s) didn't have free ports for the requested pod ports"
	ReasonTooManyPods                  = "Too many pods"
	ReasonInsufficientCPU              = "Insufficient cpu"
	ReasonInsufficientMemory           = "Insufficient memory"
	ReasonInsufficientEphemeralStorage = "Insufficient ephemeral-storage"
)

// PostFilter (preemption) texts, from k8s.io/kubernetes v1.37.2
// pkg/scheduler/framework/preemption/preemption.go and
// plugins/defaultpreemption/default_preemption.go. The DynamicResources
// PostFilter runs first but, for a pod without resource claims, answers
// Unschedulable with no message since v1.35 (v1.34 said "no new claims to
// deallocate"), so only DefaultPreemption's text follows the filter reasons.
const (
	msgPreemptionNotHelpful  = "Preemption is not helpful for scheduling"
	msgNoPreemptionVictims   = "No preemption victims found for incoming pod"
	msgPreemptionPolicyNever = "not eligible due to preemptionPolicy=Never."
)

// unresolvablePlugin reports whether a plugin always rejects nodes as
// UnschedulableAndUnresolvable: preemption cannot help on such nodes.
// (NodeResourcesFit does so only for a request above the node's allocatable.)
func unresolvablePlugin(plugin string) bool {
	switch plugin {
	case PluginNodeUnschedulable, PluginNodeName, PluginTaintToleration, PluginNodeAffinity:
		return true
	}
	return false
}

// Shared, read-only reason lists, so that rejecting thousands of nodes does not
// allocate one slice per node.
var (
	reasonsUnschedulable    = []string{ReasonUnschedulable}
	reasonsNodeName         = []string{ReasonNodeName}
	reasonsUntoleratedTaint = []string{ReasonUntoleratedTaint}
	reasonsNodeAffinity     = []string{ReasonNodeAffinity}
	reasonsNodePorts        = []string{ReasonNodePorts}
	// fitReasons is indexed by a bit mask of fitTooManyPods|fitCPU|fitMemory|fitEphemeral.
	fitReasons = buildFitReasons()
)

const (
	fitTooManyPods = 1 << iota
	fitCPU
	fitMemory
	fitEphemeral
	fitAll = fitTooManyPods | fitCPU | fitMemory | fitEphemeral
)

// buildFitReasons lists, for every combination of shortages, the reasons in
// the order NodeResourcesFit reports them.
func buildFitReasons() [fitAll + 1][]string {
	var table [fitAll + 1][]string
	for mask := 1; mask <= fitAll; mask++ {
		var reasons []string
		if mask&fitTooManyPods != 0 {
			reasons = append(reasons, ReasonTooManyPods)
		}
		if mask&fitCPU != 0 {
			reasons = append(reasons, ReasonInsufficientCPU)
		}
		if mask&fitMemory != 0 {
			reasons = append(reasons, ReasonInsufficientMemory)
		}
		if mask&fitEphemeral != 0 {
			reasons = append(reasons, ReasonInsufficientEphemeralStorage)
		}
		table[mask] = reasons
	}
	return table
}
