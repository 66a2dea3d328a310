package printers

import (
	"fmt"
	"math"
	"sort"
	"strings"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// nodeLeaseNamespace is where kubelets keep their heartbeat leases.
const nodeLeaseNamespace = "kube-node-lease"

// node follows kubectl's describeNode.
func (d *describer) node(node *corev1.Node) {
	d.write(level0, "Name:\t%s\n", node.Name)
	d.write(level0, "Roles:\t%s\n", orNone(strings.Join(nodeRoles(node), ",")))
	d.labelsMultiline("Labels", node.Labels)
	d.annotationsMultiline("Annotations", node.Annotations)
	d.write(level0, "CreationTimestamp:\t%s\n", rfc1123z(node.CreationTimestamp))
	d.taintsMultiline("Taints", node.Spec.Taints)
	d.write(level0, "Unschedulable:\t%v\n", node.Spec.Unschedulable)
	d.nodeLease(node)

	if len(node.Status.Conditions) > 0 {
		d.write(level0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
		d.write(level1, "----\t------\t-----------------\t------------------\t------\t-------\n")
		for _, c := range node.Status.Conditions {
			d.write(level1, "%v \t%v \t%s \t%s \t%v \t%v\n",
				c.Type, c.Status, rfc1123z(c.LastHeartbeatTime), rfc1123z(c.LastTransitionTime), c.Reason, c.Message)
		}
	}
	d.write(level0, "Addresses:\n")
	for _, a := range node.Status.Addresses {
		d.write(level1, "%s:\t%s\n", a.Type, a.Address)
	}
	if len(node.Status.Capacity) > 0 {
		d.write(level0, "Capacity:\n")
		d.resourceList(node.Status.Capacity)
	}
	if len(node.Status.Allocatable) > 0 {
		d.write(level0, "Allocatable:\n")
		d.resourceList(node.Status.Allocatable)
	}
	info := node.Status.NodeInfo
	d.write(level0, "System Info:\n")
	d.write(level0, "  Machine ID:\t%s\n", info.MachineID)
	d.write(level0, "  System UUID:\t%s\n", info.SystemUUID)
	d.write(level0, "  Boot ID:\t%s\n", info.BootID)
	d.write(level0, "  Kernel Version:\t%s\n", info.KernelVersion)
	d.write(level0, "  OS Image:\t%s\n", info.OSImage)
	d.write(level0, "  Operating System:\t%s\n", info.OperatingSystem)
	d.write(level0, "  Architecture:\t%s\n", info.Architecture)
	d.write(level0, "  Container Runtime Version:\t%s\n", info.ContainerRuntimeVersion)
	d.write(level0, "  Kubelet Version:\t%s\n", info.KubeletVersion)
	d.write(level0, "  Kube-Proxy Version:\t%s\n", info.KubeProxyVersion)
	if node.Spec.PodCIDR != "" {
		d.write(level0, "PodCIDR:\t%s\n", node.Spec.PodCIDR)
	}
	if len(node.Spec.PodCIDRs) > 0 {
		d.write(level0, "PodCIDRs:\t%s\n", strings.Join(node.Spec.PodCIDRs, ","))
	}
	if node.Spec.ProviderID != "" {
		d.write(level0, "ProviderID:\t%s\n", node.Spec.ProviderID)
	}
	if pods, err := d.nodePods(node.Name); err == nil {
		d.nodeResources(node, pods)
	} else {
		d.write(level0, "Pods:\tnot authorized\n")
	}
	// Controllers record node events with the node's uid, kubelets with its name.
	d.events(d.searchEvents(eventRef{name: node.Name, kind: "Node", uids: []types.UID{node.UID, types.UID(node.Name)}}))
}

// nodeLease prints the kubelet's heartbeat lease. When the Reader has no
// lease (a miniature cluster need not keep them), it shows what a healthy
// kubelet's lease looks like: held by the node, renewed just now.
func (d *describer) nodeLease(node *corev1.Node) {
	var lease *coordinationv1.Lease
	if d.r != nil {
		if obj, err := d.r.Get("leases", nodeLeaseNamespace, node.Name); err == nil {
			lease, _ = obj.(*coordinationv1.Lease)
		}
	}
	if lease == nil {
		holder := node.Name
		renew := metav1.NewMicroTime(d.now.Truncate(1e9))
		lease = &coordinationv1.Lease{Spec: coordinationv1.LeaseSpec{HolderIdentity: &holder, RenewTime: &renew}}
	}
	d.write(level0, "Lease:\n")
	holder := "<unset>"
	if lease.Spec.HolderIdentity != nil {
		holder = *lease.Spec.HolderIdentity
	}
	d.write(level1, "HolderIdentity:\t%s\n", holder)
	acquire := "<unset>"
	if lease.Spec.AcquireTime != nil {
		acquire = rfc1123z(metav1.Time{Time: lease.Spec.AcquireTime.Time})
	}
	d.write(level1, "AcquireTime:\t%s\n", acquire)
	renew := "<unset>"
	if lease.Spec.RenewTime != nil {
		renew = rfc1123z(metav1.Time{Time: lease.Spec.RenewTime.Time})
	}
	d.write(level1, "RenewTime:\t%s\n", renew)
}

func (d *describer) resourceList(list corev1.ResourceList) {
	for _, name := range sortedResourceNames(list) {
		q := list[name]
		d.write(level0, "  %s:\t%s\n", name, q.String())
	}
}

// nodePods lists the non-terminated pods bound to the node, in every
// namespace, in the API server's order (namespace, then name).
func (d *describer) nodePods(nodeName string) ([]*corev1.Pod, error) {
	if d.r == nil {
		return nil, nil
	}
	objs, err := d.r.List("pods", "", nil)
	if err != nil {
		return nil, err
	}
	var pods []*corev1.Pod
	for _, obj := range objs {
		pod, ok := obj.(*corev1.Pod)
		if !ok || pod == nil || pod.Spec.NodeName != nodeName || podFinished(pod) {
			continue
		}
		pods = append(pods, pod)
	}
	sort.SliceStable(pods, func(i, j int) bool {
		if pods[i].Namespace != pods[j].Namespace {
			return pods[i].Namespace < pods[j].Namespace
		}
		return pods[i].Name < pods[j].Name
	})
	return pods, nil
}

// nodeResources prints the Non-terminated Pods and Allocated resources tables.
func (d *describer) nodeResources(node *corev1.Node, pods []*corev1.Pod) {
	d.write(level0, "Non-terminated Pods:\t(%d in total)\n", len(pods))
	d.write(level1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
	d.write(level1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
	allocatable := node.Status.Capacity
	if len(node.Status.Allocatable) > 0 {
		allocatable = node.Status.Allocatable
	}
	cpuTotal := float64(allocatable.Cpu().MilliValue())
	memTotal := float64(allocatable.Memory().Value())
	for _, pod := range pods {
		req, lim := podRequestsAndLimits(pod)
		cpuReq, cpuLim := req[corev1.ResourceCPU], lim[corev1.ResourceCPU]
		memReq, memLim := req[corev1.ResourceMemory], lim[corev1.ResourceMemory]
		d.write(level1, "%s\t%s\t\t%s\t%s\t%s\t%s\t%s\n", pod.Namespace, pod.Name,
			formatPercent(cpuReq, float64(cpuReq.MilliValue())/cpuTotal*100),
			formatPercent(cpuLim, float64(cpuLim.MilliValue())/cpuTotal*100),
			formatPercent(memReq, float64(memReq.Value())/memTotal*100),
			formatPercent(memLim, float64(memLim.Value())/memTotal*100),
			age(d.now, pod.CreationTimestamp))
	}

	d.write(level0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
	d.write(level1, "Resource\tRequests\tLimits\n")
	d.write(level1, "--------\t--------\t------\n")
	reqs, limits := corev1.ResourceList{}, corev1.ResourceList{}
	for _, pod := range pods {
		req, lim := podRequestsAndLimits(pod)
		for name, q := range req {
			addQuantity(reqs, name, q)
		}
		for name, q := range lim {
			addQuantity(limits, name, q)
		}
	}
	fraction := func(q, total resource.Quantity, milli bool) float64 {
		if milli {
			if total.MilliValue() == 0 {
				return 0
			}
			return float64(q.MilliValue()) / float64(total.MilliValue()) * 100
		}
		if total.Value() == 0 {
			return 0
		}
		return float64(q.Value()) / float64(total.Value()) * 100
	}
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage} {
		r, l, total := reqs[name], limits[name], allocatable[name]
		milli := name == corev1.ResourceCPU
		d.write(level1, "%s\t%s\t%s\n", name, formatPercent(r, fraction(r, total, milli)), formatPercent(l, fraction(l, total, milli)))
	}

	var hugePages, extended []string
	for name := range allocatable {
		switch {
		case strings.HasPrefix(string(name), corev1.ResourceHugePagesPrefix):
			hugePages = append(hugePages, string(name))
		case !isStandardContainerResource(name) && name != corev1.ResourcePods:
			extended = append(extended, string(name))
		}
	}
	sort.Strings(hugePages)
	sort.Strings(extended)
	for _, n := range hugePages {
		name := corev1.ResourceName(n)
		r, l, total := reqs[name], limits[name], allocatable[name]
		d.write(level1, "%s\t%s\t%s\n", name, formatPercent(r, fraction(r, total, false)), formatPercent(l, fraction(l, total, false)))
	}
	for _, n := range extended {
		name := corev1.ResourceName(n)
		r, l := reqs[name], limits[name]
		d.write(level1, "%s\t%s\t%s\n", name, r.String(), l.String())
	}
}

func isStandardContainerResource(name corev1.ResourceName) bool {
	switch name {
	case corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage:
		return true
	}
	return strings.HasPrefix(string(name), corev1.ResourceHugePagesPrefix)
}

// podRequestsAndLimits adds up a pod's requests and limits as kubectl's
// resource helper does: regular containers and sidecars add up, a plain init
// container counts only if it alone asks for more, and pod overhead is added.
func podRequestsAndLimits(pod *corev1.Pod) (corev1.ResourceList, corev1.ResourceList) {
	reqs, limits := corev1.ResourceList{}, corev1.ResourceList{}
	for _, c := range pod.Spec.Containers {
		for name, q := range c.Resources.Requests {
			addQuantity(reqs, name, q)
		}
		for name, q := range c.Resources.Limits {
			addQuantity(limits, name, q)
		}
	}
	sidecarReqs, sidecarLimits := corev1.ResourceList{}, corev1.ResourceList{}
	for i := range pod.Spec.InitContainers {
		c := &pod.Spec.InitContainers[i]
		if isSidecar(c) {
			for name, q := range c.Resources.Requests {
				addQuantity(reqs, name, q)
				addQuantity(sidecarReqs, name, q)
			}
			for name, q := range c.Resources.Limits {
				addQuantity(limits, name, q)
				addQuantity(sidecarLimits, name, q)
			}
			continue
		}
		maxInto(reqs, c.Resources.Requests, sidecarReqs)
		maxInto(limits, c.Resources.Limits, sidecarLimits)
	}
	for name, q := range pod.Spec.Overhead {
		addQuantity(reqs, name, q)
		if _, ok := limits[name]; ok {
			addQuantity(limits, name, q)
		}
	}
	return reqs, limits
}

// maxInto raises each total to what an init container needs while the sidecars started before it run.
func maxInto(total, initNeeds, sidecars corev1.ResourceList) {
	for name, q := range initNeeds {
		need := q.DeepCopy()
		if s, ok := sidecars[name]; ok {
			need.Add(s)
		}
		if cur, ok := total[name]; !ok || need.Cmp(cur) > 0 {
			total[name] = need
		}
	}
}

// formatPercent is kubectl's "%s (%d%%)" of a quantity against a capacity.
func formatPercent(q resource.Quantity, fraction float64) string {
	if math.IsNaN(fraction) || math.IsInf(fraction, 0) {
		fraction = 0
	}
	return fmt.Sprintf("%s (%d%%)", q.String(), int64(fraction))
}
