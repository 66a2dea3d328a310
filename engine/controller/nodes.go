package controller

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/klog/v2"

	"github.com/k8slearn/k8slearn/engine/informer"
)

// ByNodeName is the informer index of pods by the node they are bound to (kube-controller-manager's
// controller.AddPodNodeNameIndexer), for the controllers that act on a node's pods.
const ByNodeName = "spec.nodeName"

// PodNodeNameIndexers indexes pods by spec.nodeName; unbound pods are not indexed.
func PodNodeNameIndexers() map[string]informer.IndexFunc {
	return map[string]informer.IndexFunc{ByNodeName: func(obj runtime.Object) []string {
		if p, ok := obj.(*corev1.Pod); ok && p.Spec.NodeName != "" {
			return []string{p.Spec.NodeName}
		}
		return nil
	}}
}

// comparisonOperators is the TaintTolerationComparisonOperators feature gate, alpha and off in
// v1.37 (k8s.io/kubernetes v1.37.2 pkg/features/kube_features.go).
const comparisonOperators = false

// MatchingTolerations is GetMatchingTolerations (k8s.io/kubernetes v1.37.2
// pkg/apis/core/v1/helper/helpers.go): whether every taint is tolerated, and for each taint the
// first toleration that tolerates it.
func MatchingTolerations(taints []corev1.Taint, tolerations []corev1.Toleration) (bool, []corev1.Toleration) {
	var used []corev1.Toleration
	for i := range taints {
		found := false
		for j := range tolerations {
			if tolerations[j].ToleratesTaint(klog.Logger{}, &taints[i], comparisonOperators) {
				used = append(used, tolerations[j])
				found = true
				break
			}
		}
		if !found {
			return false, nil
		}
	}
	return true, used
}
