package lesson

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// A pod the scheduler found no node for stays Pending until the cluster changes: waiting does not
// settle it, so it counts as settled (a step does not wait minutes for it); one not yet tried, or
// bound and starting, does not.
func TestUnschedulable(t *testing.T) {
	cond := func(status corev1.ConditionStatus, reason string) []corev1.PodCondition {
		return []corev1.PodCondition{{Type: corev1.PodScheduled, Status: status, Reason: reason}}
	}
	for _, tt := range []struct {
		name  string
		conds []corev1.PodCondition
		want  bool
	}{
		{"no condition yet", nil, false},
		{"unschedulable", cond(corev1.ConditionFalse, corev1.PodReasonUnschedulable), true},
		{"scheduling gated", cond(corev1.ConditionFalse, corev1.PodReasonSchedulingGated), false},
		{"scheduled", cond(corev1.ConditionTrue, ""), false},
	} {
		p := &corev1.Pod{Status: corev1.PodStatus{Phase: corev1.PodPending, Conditions: tt.conds}}
		if got := unschedulable(p); got != tt.want {
			t.Errorf("%s: unschedulable = %v, want %v", tt.name, got, tt.want)
		}
	}
}
