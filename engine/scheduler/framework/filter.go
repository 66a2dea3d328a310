package framework

import (
	corev1 "k8s.io/api/core/v1"
)

// FilterResult is what the Filter plugins said about one node. Plugin is ""
// and Reasons is empty when the node passed; otherwise Plugin is the first
// plugin that rejected the node (the framework stops there) and Reasons are
// its words. Reasons slices are shared between results: treat them as
// read-only.
type FilterResult struct {
	Node    string
	Plugin  string
	Reasons []string
	// Unresolvable is the UnschedulableAndUnresolvable status: preemption
	// cannot make the node fit, so DefaultPreemption does not look at it.
	Unresolvable bool
}

// Passed reports whether the node passed every filter.
func (r FilterResult) Passed() bool { return r.Plugin == "" }

// runFilters runs the default profile's Filter plugins in profile order and
// stops at the first one that rejects the node; unresolvable says whether the
// rejection is one preemption cannot help.
func runFilters(f *podFacts, n *NodeInfo) (plugin string, reasons []string, unresolvable bool) {
	plugin, reasons = runFilterPlugins(f, n)
	switch plugin {
	case "":
		return "", nil, false
	case PluginNodeResourcesFit:
		return plugin, reasons, exceedsAllocatable(&f.requests, n)
	}
	return plugin, reasons, unresolvablePlugin(plugin)
}

func runFilterPlugins(f *podFacts, n *NodeInfo) (plugin string, reasons []string) {
	node := n.Node
	if node.Spec.Unschedulable && !f.toleratesUnschedulable {
		return PluginNodeUnschedulable, reasonsUnschedulable
	}
	if name := f.pod.Spec.NodeName; name != "" && name != node.Name {
		return PluginNodeName, reasonsNodeName
	}
	if hasUntoleratedTaint(node.Spec.Taints, f.pod.Spec.Tolerations) {
		return PluginTaintToleration, reasonsUntoleratedTaint
	}
	if f.hasRequiredAffinity && !f.matchesRequiredAffinity(node) {
		return PluginNodeAffinity, reasonsNodeAffinity
	}
	if len(f.hostPorts) > 0 && portsConflict(f.hostPorts, n.UsedPorts) {
		return PluginNodePorts, reasonsNodePorts
	}
	if mask := fitShortages(&f.requests, n); mask != 0 {
		return PluginNodeResourcesFit, fitReasons[mask]
	}
	return "", nil
}

// hasUntoleratedTaint is TaintToleration's Filter: only NoSchedule and
// NoExecute taints keep a pod away.
func hasUntoleratedTaint(taints []corev1.Taint, tolerations []corev1.Toleration) bool {
	for i := range taints {
		t := &taints[i]
		if t.Effect != corev1.TaintEffectNoSchedule && t.Effect != corev1.TaintEffectNoExecute {
			continue
		}
		if !tolerated(tolerations, t) {
			return true
		}
	}
	return false
}

func portsConflict(wanted, used []HostPort) bool {
	for _, w := range wanted {
		for _, u := range used {
			if w.conflicts(u) {
				return true
			}
		}
	}
	return false
}

// exceedsAllocatable is NodeResourcesFit's Unresolvable: a request larger than
// the node's whole allocatable cannot fit even if every other pod went
// (k8s.io/kubernetes v1.37.2 pkg/scheduler/framework/plugins/noderesources/fit.go, fitsRequest).
func exceedsAllocatable(req *Resource, n *NodeInfo) bool {
	return req.MilliCPU > n.Allocatable.MilliCPU || req.Memory > n.Allocatable.Memory ||
		req.EphemeralStorage > n.Allocatable.EphemeralStorage
}

// fitShortages is NodeResourcesFit's Filter. The pod count is always checked;
// a resource is checked only when the pod requests some of it.
func fitShortages(req *Resource, n *NodeInfo) int {
	mask := 0
	if len(n.Pods)+1 > n.Allocatable.Pods {
		mask |= fitTooManyPods
	}
	if req.MilliCPU > 0 && req.MilliCPU > n.Allocatable.MilliCPU-n.Requested.MilliCPU {
		mask |= fitCPU
	}
	if req.Memory > 0 && req.Memory > n.Allocatable.Memory-n.Requested.Memory {
		mask |= fitMemory
	}
	if req.EphemeralStorage > 0 && req.EphemeralStorage > n.Allocatable.EphemeralStorage-n.Requested.EphemeralStorage {
		mask |= fitEphemeral
	}
	return mask
}
