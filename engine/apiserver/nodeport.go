package apiserver

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// NodePortRange is kube-apiserver's --service-node-port-range default.
const NodePortRange = "30000-32767"

const (
	nodePortBase = 30000
	nodePortSize = 32767 - 30000 + 1
	// nodePortOffset is the lower band kept for ports asked for by number
	// (pkg/registry/core/service/portallocator/allocator.go calculateRangeOffset:
	// min(max(16, size/32), 128)).
	nodePortOffset = nodePortSize / 32
)

// needsNodePorts: the Service type allocates node ports (storage/alloc.go shouldAllocateNodePorts).
func needsNodePorts(svc *corev1.Service) bool {
	switch svc.Spec.Type {
	case corev1.ServiceTypeNodePort:
		return true
	case corev1.ServiceTypeLoadBalancer:
		return svc.Spec.AllocateLoadBalancerNodePorts == nil || *svc.Spec.AllocateLoadBalancerNodePorts
	}
	return false
}

// allocateNodePorts gives a NodePort Service's ports their node ports, as storage/alloc.go
// initNodePorts does: a port asked for must be in the range and free; one service port number
// shares one node port across protocols; the others get a free port picked at random in the
// upper band, then in the lower one. The ports in use are those of the stored Services (the real
// allocator keeps them as a bitmap at /registry/ranges/servicenodeports). old is the stored
// Service on an update (its own ports stay its own), nil on a create. Called with s.mu held.
func (s *Server) allocateNodePorts(res *Resource, svc, old *corev1.Service) error {
	if !needsNodePorts(svc) {
		return nil
	}
	used := s.usedNodePorts(svc.Namespace, svc.Name)
	mine := map[int32]bool{}
	if old != nil {
		for _, p := range old.Spec.Ports {
			mine[p.NodePort] = true
		}
	}
	byPort := map[int32]int32{}
	for i := range svc.Spec.Ports {
		sp := &svc.Spec.Ports[i]
		path := field.NewPath("spec", "ports").Index(i).Child("nodePort")
		if np, ok := byPort[sp.Port]; ok && (sp.NodePort == 0 || sp.NodePort == np) {
			sp.NodePort = np
			continue
		}
		if sp.NodePort != 0 {
			np := sp.NodePort
			var why string
			switch {
			case np < nodePortBase || np >= nodePortBase+nodePortSize:
				why = "provided port is not in the valid range. The range of valid ports is " + NodePortRange
			case used[np] && !mine[np]:
				why = "provided port is already allocated"
			}
			if why != "" {
				return apierrors.NewInvalid(res.GroupKind(), svc.Name, field.ErrorList{field.Invalid(path, np, why)})
			}
			used[np] = true
			byPort[sp.Port] = np
			continue
		}
		np, ok := pickNodePort(used, s.rand.IntN)
		if !ok {
			return apierrors.NewInternalError(fmt.Errorf("failed to allocate a nodePort: range is full"))
		}
		sp.NodePort = np
		used[np] = true
		byPort[sp.Port] = np
	}
	return nil
}

// pickNodePort is the allocator's random scan with offset (allocator/bitmap.go
// randomScanStrategyWithOffset).
func pickNodePort(used map[int32]bool, randN func(int) int) (int32, bool) {
	bands := [][2]int{{nodePortOffset, nodePortSize - nodePortOffset}, {0, nodePortOffset}}
	for _, b := range bands {
		start := randN(b[1])
		for i := 0; i < b[1]; i++ {
			np := int32(nodePortBase + b[0] + (start+i)%b[1])
			if !used[np] {
				return np, true
			}
		}
	}
	return 0, false
}

// usedNodePorts are the node ports of every stored Service but ns/name.
func (s *Server) usedNodePorts(ns, name string) map[int32]bool {
	used := map[int32]bool{}
	kvs, _ := s.store.List(s.reg.MustLookup("services").KeyPrefix(""))
	for _, kv := range kvs {
		svc, ok := kv.Value.(*corev1.Service)
		if !ok || svc.Namespace == ns && svc.Name == name {
			continue
		}
		for _, p := range svc.Spec.Ports {
			if p.NodePort != 0 {
				used[p.NodePort] = true
			}
		}
	}
	return used
}

// updateServiceAllocations is what the Service storage does on an update before validation
// (storage/storage.go patchAllocatedValues, dropTypeDependentFields, and the allocators): the
// cluster IP and node ports a request leaves out stay as they were; node ports a type that no
// longer uses them had are dropped; a type that starts using them gets new ones. Called with s.mu
// held.
func (s *Server) updateServiceAllocations(res *Resource, svc, old *corev1.Service) error {
	if svc.Spec.Type != corev1.ServiceTypeExternalName && old.Spec.Type != corev1.ServiceTypeExternalName {
		if svc.Spec.ClusterIP == "" && len(svc.Spec.ClusterIPs) == 0 {
			svc.Spec.ClusterIP = old.Spec.ClusterIP
			svc.Spec.ClusterIPs = append([]string(nil), old.Spec.ClusterIPs...)
		} else if svc.Spec.ClusterIP != "" && len(svc.Spec.ClusterIPs) == 0 {
			svc.Spec.ClusterIPs = []string{svc.Spec.ClusterIP}
		}
	}
	if needsNodePorts(old) && needsNodePorts(svc) {
		for i := range svc.Spec.Ports {
			sp := &svc.Spec.Ports[i]
			if sp.NodePort != 0 {
				continue
			}
			for _, op := range old.Spec.Ports {
				if op.Port == sp.Port && op.Protocol == sp.Protocol {
					sp.NodePort = op.NodePort
				}
			}
		}
	}
	if needsNodePorts(old) && !needsNodePorts(svc) {
		for i := range svc.Spec.Ports {
			for _, op := range old.Spec.Ports {
				if op.NodePort == svc.Spec.Ports[i].NodePort && op.Port == svc.Spec.Ports[i].Port {
					svc.Spec.Ports[i].NodePort = 0
				}
			}
		}
	}
	return s.allocateNodePorts(res, svc, old)
}
