package nodelifecycle

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

func TestTick(t *testing.T) {
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	c := &Controller{start: start}
	for _, tt := range []struct{ in, want time.Duration }{
		{-time.Hour, 0}, {0, 0}, {time.Nanosecond, 5 * time.Second}, {5 * time.Second, 5 * time.Second},
		{5*time.Second + time.Millisecond, 10 * time.Second}, {58 * time.Second, time.Minute},
	} {
		if got := c.tick(start.Add(tt.in)).Sub(start); got != tt.want {
			t.Errorf("tick(+%v) = +%v, want +%v", tt.in, got, tt.want)
		}
	}
}

func TestNoScheduleTaints(t *testing.T) {
	n := &corev1.Node{Spec: corev1.NodeSpec{Unschedulable: true, Taints: []corev1.Taint{
		{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoSchedule},
		{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule},
	}}, Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{
		{Type: corev1.NodeReady, Status: corev1.ConditionUnknown},
		{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionTrue},
	}}}
	add, remove := noScheduleDiff(n)
	keys := func(ts []corev1.Taint) (out []string) {
		for _, t := range ts {
			out = append(out, t.Key)
		}
		return out
	}
	if got := keys(add); len(got) != 3 || got[0] != corev1.TaintNodeUnreachable || got[1] != corev1.TaintNodeMemoryPressure || got[2] != corev1.TaintNodeUnschedulable {
		t.Errorf("add %v", got)
	}
	if got := keys(remove); len(got) != 1 || got[0] != corev1.TaintNodeNotReady {
		t.Errorf("remove %v (the learner's own taint must stay)", got)
	}
}
