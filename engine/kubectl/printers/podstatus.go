package printers

import corev1 "k8s.io/api/core/v1"

// PodStatus is the STATUS column `kubectl get pods` shows for pod: Pending, ContainerCreating,
// Running, Terminating, CrashLoopBackOff…, by the same rules as the table printer.
func PodStatus(pod *corev1.Pod) string {
	if pod == nil {
		return ""
	}
	return summarizePod(pod).status
}
