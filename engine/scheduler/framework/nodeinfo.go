package framework

import (
	corev1 "k8s.io/api/core/v1"
)

// Well-known node labels the default topology spreading uses.
const (
	LabelHostname = "kubernetes.io/hostname"
	LabelZone     = "topology.kubernetes.io/zone"
)

// NodeInfo is the scheduler's view of one node: the node object plus the
// aggregates of the pods bound or assumed on it, kept up to date by AddPod and
// RemovePod so that nothing is recomputed from Pods when scheduling.
//
// Change a NodeInfo only through its methods (SetNode when the node object
// changes, AddPod/RemovePod/UpdatePod when its pods change).
type NodeInfo struct {
	Node *corev1.Node
	// Pods are the pods bound or assumed on this node that are not terminated.
	Pods []*corev1.Pod
	// Allocatable is the node's status.allocatable.
	Allocatable Resource
	// Requested is the sum of the pods' requests as NodeResourcesFit counts them.
	Requested Resource
	// NonZeroRequested is the same sum with the 100m CPU / 200Mi memory
	// defaults for containers that request none; used for scoring only.
	NonZeroRequested Resource
	// UsedPorts are the host ports the pods use, one entry per container port.
	UsedPorts []HostPort
	// ImageStates maps every name of every image in the node's status.images
	// to the image's size in bytes.
	ImageStates map[string]int64

	hostname, zone       string
	hasHostname, hasZone bool

	// generation changes whenever Pods changes; it lets spreadMemo know when
	// its count is stale.
	generation uint64
	spread     spreadMemo
}

// HostPort is a host port a container binds. IP "" means 0.0.0.0 and an
// empty Protocol means TCP, as in the pod spec.
type HostPort struct {
	IP       string
	Protocol corev1.Protocol
	Port     int32
}

const bindAllHostIP = "0.0.0.0"

func newHostPort(ip string, protocol corev1.Protocol, port int32) HostPort {
	if ip == "" {
		ip = bindAllHostIP
	}
	if protocol == "" {
		protocol = corev1.ProtocolTCP
	}
	return HostPort{IP: ip, Protocol: protocol, Port: port}
}

// conflicts reports whether two host ports cannot both be bound: same port
// and protocol, and the same IP or either of them on 0.0.0.0.
func (p HostPort) conflicts(o HostPort) bool {
	return p.Port == o.Port && p.Protocol == o.Protocol &&
		(p.IP == o.IP || p.IP == bindAllHostIP || o.IP == bindAllHostIP)
}

// podHostPorts lists the host ports a pod's containers ask for.
func podHostPorts(pod *corev1.Pod) []HostPort {
	var ports []HostPort
	for i := range pod.Spec.Containers {
		for _, cp := range pod.Spec.Containers[i].Ports {
			if cp.HostPort > 0 {
				ports = append(ports, newHostPort(cp.HostIP, cp.Protocol, cp.HostPort))
			}
		}
	}
	return ports
}

// NewNodeInfo returns the NodeInfo of a node holding the given pods.
func NewNodeInfo(node *corev1.Node, pods ...*corev1.Pod) *NodeInfo {
	n := &NodeInfo{}
	n.SetNode(node)
	for _, p := range pods {
		n.AddPod(p)
	}
	return n
}

// SetNode replaces the node object (after an update) and refreshes what is
// derived from it: allocatable resources, image sizes, topology labels.
func (n *NodeInfo) SetNode(node *corev1.Node) {
	n.Node = node
	n.ImageStates = nil
	n.hostname, n.hasHostname = "", false
	n.zone, n.hasZone = "", false
	n.Allocatable = Resource{}
	if node == nil {
		return
	}
	n.Allocatable = resourceFromList(node.Status.Allocatable)
	n.hostname, n.hasHostname = node.Labels[LabelHostname]
	n.zone, n.hasZone = node.Labels[LabelZone]
	if len(node.Status.Images) > 0 {
		n.ImageStates = make(map[string]int64, len(node.Status.Images))
		for _, img := range node.Status.Images {
			for _, name := range img.Names {
				n.ImageStates[name] = img.SizeBytes
			}
		}
	}
}

// AddPod accounts for a pod bound or assumed on this node.
func (n *NodeInfo) AddPod(p *corev1.Pod) {
	if p == nil {
		return
	}
	req, nz := PodRequests(p)
	n.Pods = append(n.Pods, p)
	n.Requested.add(req)
	n.NonZeroRequested.add(nz)
	n.UsedPorts = append(n.UsedPorts, podHostPorts(p)...)
	n.generation++
}

// RemovePod forgets a pod (matched by UID, or by namespace and name when it
// has no UID) and reports whether it was there.
func (n *NodeInfo) RemovePod(p *corev1.Pod) bool {
	if p == nil {
		return false
	}
	for i, q := range n.Pods {
		if !samePod(p, q) {
			continue
		}
		// Subtract what was added for the stored object.
		req, nz := PodRequests(q)
		n.Requested.sub(req)
		n.NonZeroRequested.sub(nz)
		for _, hp := range podHostPorts(q) {
			n.removePort(hp)
		}
		n.Pods = append(n.Pods[:i], n.Pods[i+1:]...)
		n.generation++
		return true
	}
	return false
}

// UpdatePod replaces a pod's old object with the new one, as the scheduler
// cache does on an update event.
func (n *NodeInfo) UpdatePod(oldPod, newPod *corev1.Pod) {
	if n.RemovePod(oldPod) {
		n.AddPod(newPod)
	}
}

func (n *NodeInfo) removePort(hp HostPort) {
	for i, used := range n.UsedPorts {
		if used == hp {
			n.UsedPorts = append(n.UsedPorts[:i], n.UsedPorts[i+1:]...)
			return
		}
	}
}

func samePod(a, b *corev1.Pod) bool {
	if a.UID != "" || b.UID != "" {
		return a.UID == b.UID
	}
	return a.Namespace == b.Namespace && a.Name == b.Name
}

// CountImageNodes counts, for every image name, on how many of the nodes it is
// present. ImageLocality needs it; pass the result as Input.ImageNodeCounts
// and recompute it only when nodes are added, removed or change their images.
func CountImageNodes(nodes []*NodeInfo) map[string]int {
	counts := make(map[string]int)
	for _, n := range nodes {
		if n == nil {
			continue
		}
		for name := range n.ImageStates {
			counts[name]++
		}
	}
	return counts
}
