package framework

import (
	corev1 "k8s.io/api/core/v1"
)

// Defaults the scheduler assumes, for scoring only, when a container requests
// no CPU or no memory (pkg/scheduler/util: DefaultMilliCPURequest,
// DefaultMemoryRequest).
const (
	DefaultMilliCPURequest int64 = 100
	DefaultMemoryRequest   int64 = 200 * 1024 * 1024
)

// Resource is an amount of the resources the scheduler accounts for.
// In NodeInfo.Allocatable, Pods is how many pods the node accepts; in
// NodeInfo.Requested and NonZeroRequested it is how many pods are on it.
type Resource struct {
	MilliCPU         int64
	Memory           int64
	EphemeralStorage int64
	Pods             int
}

func (r *Resource) add(o Resource) {
	r.MilliCPU += o.MilliCPU
	r.Memory += o.Memory
	r.EphemeralStorage += o.EphemeralStorage
	r.Pods += o.Pods
}

func (r *Resource) sub(o Resource) {
	r.MilliCPU -= o.MilliCPU
	r.Memory -= o.Memory
	r.EphemeralStorage -= o.EphemeralStorage
	r.Pods -= o.Pods
}

func (r *Resource) maxWith(o Resource) {
	r.MilliCPU = max(r.MilliCPU, o.MilliCPU)
	r.Memory = max(r.Memory, o.Memory)
	r.EphemeralStorage = max(r.EphemeralStorage, o.EphemeralStorage)
}

// resourceFromList reads cpu (in millicores), memory, ephemeral-storage and
// pods from a ResourceList such as a node's status.allocatable.
func resourceFromList(rl corev1.ResourceList) Resource {
	var r Resource
	if q, ok := rl[corev1.ResourceCPU]; ok {
		r.MilliCPU = q.MilliValue()
	}
	if q, ok := rl[corev1.ResourceMemory]; ok {
		r.Memory = q.Value()
	}
	if q, ok := rl[corev1.ResourceEphemeralStorage]; ok {
		r.EphemeralStorage = q.Value()
	}
	if q, ok := rl[corev1.ResourcePods]; ok {
		r.Pods = int(q.Value())
	}
	return r
}

// PodRequests returns what a pod requests as NodeResourcesFit counts it
// (requests), and the same with the scoring defaults of 100m CPU and 200Mi
// memory put in for every container that requests no CPU or no memory
// (nonZero). Both follow k8s.io/component-helpers resource.PodRequests:
// regular containers and restartable init containers (sidecars) add up, a
// regular init container only needs what runs beside it, the pod needs the
// larger of the two; pod-level requests replace the container sum for cpu
// and memory; runtime overhead is added last. Pods is 1 in both.
func PodRequests(pod *corev1.Pod) (requests, nonZero Resource) {
	if pod == nil {
		return Resource{}, Resource{}
	}
	spec := &pod.Spec
	var sum, sumNZ Resource
	for i := range spec.Containers {
		r, nz := containerRequests(spec.Containers[i].Resources.Requests)
		sum.add(r)
		sumNZ.add(nz)
	}
	var sidecars, sidecarsNZ, initMax, initMaxNZ Resource
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		r, nz := containerRequests(c.Resources.Requests)
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			sum.add(r)
			sumNZ.add(nz)
			sidecars.add(r)
			sidecarsNZ.add(nz)
			initMax.maxWith(sidecars)
			initMaxNZ.maxWith(sidecarsNZ)
			continue
		}
		r.add(sidecars)
		nz.add(sidecarsNZ)
		initMax.maxWith(r)
		initMaxNZ.maxWith(nz)
	}
	sum.maxWith(initMax)
	sumNZ.maxWith(initMaxNZ)

	if spec.Resources != nil && len(spec.Resources.Requests) > 0 {
		applyPodLevelRequests(spec, &sum, &sumNZ)
	}
	if len(spec.Overhead) > 0 {
		overhead := resourceFromList(spec.Overhead)
		overhead.Pods = 0
		sum.add(overhead)
		sumNZ.add(overhead)
	}
	sum.Pods, sumNZ.Pods = 1, 1
	return sum, sumNZ
}

// containerRequests reads one container's requests, and the same with the
// scoring defaults for a CPU or memory request that is missing (an explicit
// zero stays zero, as in the real helper).
func containerRequests(rl corev1.ResourceList) (r, nz Resource) {
	r = resourceFromList(rl)
	r.Pods = 0
	nz = r
	if _, ok := rl[corev1.ResourceCPU]; !ok {
		nz.MilliCPU = DefaultMilliCPURequest
	}
	if _, ok := rl[corev1.ResourceMemory]; !ok {
		nz.Memory = DefaultMemoryRequest
	}
	return r, nz
}

// applyPodLevelRequests lets pod-level cpu and memory requests
// (PodLevelResources, beta and on by default since v1.34) replace the container sums. The
// scoring defaults then apply only to a resource that neither the pod nor any
// container requests.
func applyPodLevelRequests(spec *corev1.PodSpec, sum, sumNZ *Resource) {
	podLevel := spec.Resources.Requests
	if q, ok := podLevel[corev1.ResourceCPU]; ok {
		sum.MilliCPU = q.MilliValue()
		sumNZ.MilliCPU = sum.MilliCPU
	} else if anyContainerRequests(spec, corev1.ResourceCPU) {
		sumNZ.MilliCPU = sum.MilliCPU
	}
	if q, ok := podLevel[corev1.ResourceMemory]; ok {
		sum.Memory = q.Value()
		sumNZ.Memory = sum.Memory
	} else if anyContainerRequests(spec, corev1.ResourceMemory) {
		sumNZ.Memory = sum.Memory
	}
}

func anyContainerRequests(spec *corev1.PodSpec, name corev1.ResourceName) bool {
	for i := range spec.Containers {
		if _, ok := spec.Containers[i].Resources.Requests[name]; ok {
			return true
		}
	}
	for i := range spec.InitContainers {
		if _, ok := spec.InitContainers[i].Resources.Requests[name]; ok {
			return true
		}
	}
	return false
}
