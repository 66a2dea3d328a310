package kubelet

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// sameStatus reports whether two pod statuses agree on every field the kubelet writes (the rest
// it copies from the stored pod). The status manager skips a write that changes nothing; this is
// its comparison, by hand, as reflection over whole statuses was the largest cost of long
// crash loops.
func sameStatus(a, b *corev1.PodStatus) bool {
	if a.Phase != b.Phase || a.PodIP != b.PodIP || a.HostIP != b.HostIP || a.ObservedGeneration != b.ObservedGeneration ||
		!sameTimePtr(a.StartTime, b.StartTime) || len(a.PodIPs) != len(b.PodIPs) || len(a.HostIPs) != len(b.HostIPs) ||
		len(a.Conditions) != len(b.Conditions) || len(a.ContainerStatuses) != len(b.ContainerStatuses) {
		return false
	}
	for i := range a.PodIPs {
		if a.PodIPs[i] != b.PodIPs[i] {
			return false
		}
	}
	for i := range a.HostIPs {
		if a.HostIPs[i] != b.HostIPs[i] {
			return false
		}
	}
	for i := range a.Conditions {
		x, y := &a.Conditions[i], &b.Conditions[i]
		if x.Type != y.Type || x.Status != y.Status || x.Reason != y.Reason || x.Message != y.Message ||
			x.ObservedGeneration != y.ObservedGeneration || !x.LastTransitionTime.Equal(&y.LastTransitionTime) ||
			!x.LastProbeTime.Equal(&y.LastProbeTime) {
			return false
		}
	}
	for i := range a.ContainerStatuses {
		if !sameContainerStatus(&a.ContainerStatuses[i], &b.ContainerStatuses[i]) {
			return false
		}
	}
	return true
}

func sameContainerStatus(a, b *corev1.ContainerStatus) bool {
	if a.Name != b.Name || a.Ready != b.Ready || a.RestartCount != b.RestartCount || a.Image != b.Image ||
		a.ImageID != b.ImageID || a.ContainerID != b.ContainerID || !sameBoolPtr(a.Started, b.Started) ||
		!sameState(&a.State, &b.State) || !sameState(&a.LastTerminationState, &b.LastTerminationState) ||
		len(a.VolumeMounts) != len(b.VolumeMounts) {
		return false
	}
	for i := range a.VolumeMounts {
		x, y := &a.VolumeMounts[i], &b.VolumeMounts[i]
		if x.Name != y.Name || x.MountPath != y.MountPath || x.ReadOnly != y.ReadOnly ||
			(x.RecursiveReadOnly == nil) != (y.RecursiveReadOnly == nil) ||
			(x.RecursiveReadOnly != nil && *x.RecursiveReadOnly != *y.RecursiveReadOnly) {
			return false
		}
	}
	return true
}

func sameState(a, b *corev1.ContainerState) bool {
	switch {
	case (a.Waiting == nil) != (b.Waiting == nil), (a.Running == nil) != (b.Running == nil),
		(a.Terminated == nil) != (b.Terminated == nil):
		return false
	case a.Waiting != nil && *a.Waiting != *b.Waiting:
		return false
	case a.Running != nil && !a.Running.StartedAt.Equal(&b.Running.StartedAt):
		return false
	case a.Terminated != nil:
		x, y := a.Terminated, b.Terminated
		return x.ExitCode == y.ExitCode && x.Signal == y.Signal && x.Reason == y.Reason && x.Message == y.Message &&
			x.ContainerID == y.ContainerID && x.StartedAt.Equal(&y.StartedAt) && x.FinishedAt.Equal(&y.FinishedAt)
	}
	return true
}

func sameTimePtr(a, b *metav1.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(b)
}

func sameBoolPtr(a, b *bool) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
