package validation

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// PreparePodForCreate does what the pod create strategy does before
// validation: the pod starts at generation 1 (pods track generation since
// v1.33), the client's status is dropped, the phase is Pending and the QoS
// class is computed.
func PreparePodForCreate(p *corev1.Pod) {
	if p == nil {
		return
	}
	p.Generation = 1
	p.Status = corev1.PodStatus{
		Phase:    corev1.PodPending,
		QOSClass: ComputePodQOS(p),
	}
}

// ComputePodQOS returns the QoS class of a pod from its containers' cpu and
// memory requests and limits: BestEffort without any, Guaranteed when every
// container has cpu and memory limits equal to its requests, Burstable
// otherwise.
func ComputePodQOS(p *corev1.Pod) corev1.PodQOSClass {
	requests := corev1.ResourceList{}
	limits := corev1.ResourceList{}
	isGuaranteed := true
	all := append(append([]corev1.Container{}, p.Spec.Containers...), p.Spec.InitContainers...)
	for _, c := range all {
		addPositiveQoSResources(requests, c.Resources.Requests)
		found := addPositiveQoSResources(limits, c.Resources.Limits)
		if !found[corev1.ResourceCPU] || !found[corev1.ResourceMemory] {
			isGuaranteed = false
		}
	}
	if len(requests) == 0 && len(limits) == 0 {
		return corev1.PodQOSBestEffort
	}
	if isGuaranteed {
		for name, req := range requests {
			if lim, ok := limits[name]; !ok || lim.Cmp(req) != 0 {
				isGuaranteed = false
				break
			}
		}
	}
	if isGuaranteed && len(requests) == len(limits) {
		return corev1.PodQOSGuaranteed
	}
	return corev1.PodQOSBurstable
}

// addPositiveQoSResources sums the positive cpu and memory quantities of list
// into total and reports which of them it found.
func addPositiveQoSResources(total, list corev1.ResourceList) map[corev1.ResourceName]bool {
	found := map[corev1.ResourceName]bool{}
	for name, q := range list {
		if name != corev1.ResourceCPU && name != corev1.ResourceMemory {
			continue
		}
		if q.Cmp(resource.Quantity{}) <= 0 {
			continue
		}
		found[name] = true
		sum := q.DeepCopy()
		if prev, ok := total[name]; ok {
			sum.Add(prev)
		}
		total[name] = sum
	}
	return found
}
