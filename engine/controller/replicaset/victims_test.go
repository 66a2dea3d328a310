package replicaset

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

var now = time.Date(2026, 1, 5, 9, 10, 0, 0, time.UTC)

// testPod is a pod on node (or unscheduled), in phase, ready since readyAgo (0: not ready),
// created createdAgo before now.
func testPod(name, node string, phase corev1.PodPhase, readyAgo, createdAgo time.Duration) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, UID: types.UID("uid-" + name),
			CreationTimestamp: metav1.NewTime(now.Add(-createdAgo))},
		Spec:   corev1.PodSpec{NodeName: node},
		Status: corev1.PodStatus{Phase: phase},
	}
	if readyAgo > 0 {
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue,
			LastTransitionTime: metav1.NewTime(now.Add(-readyAgo))}}
	}
	return p
}

func names(pods []*corev1.Pod) string {
	var out []string
	for _, p := range pods {
		out = append(out, p.Name)
	}
	return strings.Join(out, " ")
}

func TestVictimsToDelete(t *testing.T) {
	min := time.Minute
	// Deleting every pod needs no ranking, so each case deletes fewer than it has.
	tests := []struct {
		name string
		pods []*corev1.Pod
		n    int
		want string
	}{
		{"unscheduled, then pending, then not ready, then ready", []*corev1.Pod{
			testPod("ready", "node-1", corev1.PodRunning, min, min),
			testPod("notready", "node-1", corev1.PodRunning, 0, min),
			testPod("pending", "node-1", corev1.PodPending, 0, min),
			testPod("unscheduled", "", corev1.PodPending, 0, min),
		}, 3, "unscheduled pending notready"},
		{"the node with more replicas first", []*corev1.Pod{
			testPod("a1", "node-1", corev1.PodRunning, 10*min, 10*min),
			testPod("b1", "node-2", corev1.PodRunning, 10*min, 10*min),
			testPod("b2", "node-2", corev1.PodRunning, 10*min, 10*min),
			testPod("b3", "node-2", corev1.PodRunning, 10*min, 10*min),
		}, 2, "b1 b2"},
		{"recently ready first, in powers of two", []*corev1.Pod{
			testPod("old", "node-1", corev1.PodRunning, 8*min, 9*min),
			testPod("new", "node-2", corev1.PodRunning, 30*time.Second, 9*min),
			testPod("mid", "node-3", corev1.PodRunning, 2*min, 9*min),
		}, 2, "new mid"},
		{"same age bucket: by uid", []*corev1.Pod{
			testPod("z", "node-1", corev1.PodRunning, 40*time.Second, 2*min),
			testPod("y", "node-2", corev1.PodRunning, 50*time.Second, 2*min),
		}, 1, "y"},
		{"younger first among not-ready pods", []*corev1.Pod{
			testPod("older", "node-1", corev1.PodPending, 0, 10*min),
			testPod("younger", "node-2", corev1.PodPending, 0, time.Minute),
		}, 1, "younger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := victimsToDelete(tt.pods, tt.pods, tt.n, now)
			if names(got) != tt.want {
				t.Errorf("victims %q, want %q", names(got), tt.want)
			}
		})
	}
}

func TestDeletionCostComesFirstAmongReadyPods(t *testing.T) {
	cheap := testPod("cheap", "node-1", corev1.PodRunning, time.Hour, time.Hour)
	cheap.Annotations = map[string]string{deletionCostAnnotation: "-100"}
	fresh := testPod("fresh", "node-2", corev1.PodRunning, time.Second, time.Second)
	got := victimsToDelete([]*corev1.Pod{fresh, cheap}, nil, 1, now)
	if names(got) != "cheap" {
		t.Errorf("victim %q, want the pod with the lower deletion cost", names(got))
	}
}

func TestSlowStartBatch(t *testing.T) {
	var calls int
	done, err := slowStartBatch(10, 1, func() error { calls++; return nil })
	if done != 10 || err != nil || calls != 10 {
		t.Fatalf("done %d calls %d err %v", done, calls, err)
	}
	// Batches 1, 2, 4: a failure in the third batch stops after it, 7 calls in all.
	calls = 0
	done, err = slowStartBatch(10, 1, func() error {
		calls++
		if calls >= 4 {
			return errTest
		}
		return nil
	})
	if done != 3 || err == nil || calls != 4 {
		t.Fatalf("done %d calls %d err %v", done, calls, err)
	}
}

var errTest = &testError{}

type testError struct{}

func (*testError) Error() string { return "quota exceeded" }
