package framework

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/klog/v2"
)

// podFacts is what the PreFilter and PreScore steps work out about the pod
// once per scheduling cycle, so that the per-node loops only compare.
type podFacts struct {
	pod      *corev1.Pod
	requests Resource
	nonZero  Resource

	toleratesUnschedulable bool
	// tolerationsPreferNoSchedule are the tolerations with an empty effect or
	// PreferNoSchedule, the only ones TaintToleration scoring looks at.
	tolerationsPreferNoSchedule []corev1.Toleration

	// hasRequiredAffinity is false when the pod has neither a nodeSelector
	// nor required node affinity: NodeAffinity's Filter skips it then.
	hasRequiredAffinity bool
	nodeSelector        map[string]string
	requiredTerms       *corev1.NodeSelector
	preferredTerms      []corev1.PreferredSchedulingTerm

	hostPorts []HostPort
	// images are the normalized image names of init and regular containers.
	images []string

	preemptNever bool
}

func newPodFacts(pod *corev1.Pod) podFacts {
	f := podFacts{pod: pod}
	f.requests, f.nonZero = PodRequests(pod)
	spec := &pod.Spec

	unschedulableTaint := corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule}
	for i := range spec.Tolerations {
		t := &spec.Tolerations[i]
		if t.ToleratesTaint(klog.Logger{}, &unschedulableTaint, comparisonOperators) {
			f.toleratesUnschedulable = true
		}
		if t.Effect == "" || t.Effect == corev1.TaintEffectPreferNoSchedule {
			f.tolerationsPreferNoSchedule = append(f.tolerationsPreferNoSchedule, *t)
		}
	}

	f.nodeSelector = spec.NodeSelector
	if na := nodeAffinityOf(pod); na != nil {
		f.requiredTerms = na.RequiredDuringSchedulingIgnoredDuringExecution
		for _, term := range na.PreferredDuringSchedulingIgnoredDuringExecution {
			if term.Weight != 0 && !emptyTerm(&term.Preference) {
				f.preferredTerms = append(f.preferredTerms, term)
			}
		}
	}
	f.hasRequiredAffinity = spec.NodeSelector != nil || f.requiredTerms != nil

	f.hostPorts = podHostPorts(pod)
	for i := range spec.InitContainers {
		f.images = append(f.images, normalizedImageName(spec.InitContainers[i].Image))
	}
	for i := range spec.Containers {
		f.images = append(f.images, normalizedImageName(spec.Containers[i].Image))
	}

	f.preemptNever = spec.PreemptionPolicy != nil && *spec.PreemptionPolicy == corev1.PreemptNever
	return f
}

func nodeAffinityOf(pod *corev1.Pod) *corev1.NodeAffinity {
	if pod.Spec.Affinity == nil {
		return nil
	}
	return pod.Spec.Affinity.NodeAffinity
}

// normalizedImageName adds ":latest" to an image without a tag, as
// ImageLocality does before looking the image up on a node.
func normalizedImageName(name string) string {
	if strings.LastIndex(name, ":") <= strings.LastIndex(name, "/") {
		name += ":latest"
	}
	return name
}

// comparisonOperators is the TaintTolerationComparisonOperators feature gate: alpha and off by
// default in v1.37 (pkg/features/kube_features.go), so Lt/Gt tolerations match nothing.
const comparisonOperators = false

// tolerated reports whether any of the tolerations tolerates the taint.
func tolerated(tolerations []corev1.Toleration, taint *corev1.Taint) bool {
	for i := range tolerations {
		if tolerations[i].ToleratesTaint(klog.Logger{}, taint, comparisonOperators) {
			return true
		}
	}
	return false
}
