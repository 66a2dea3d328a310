package kubelet

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The crash-loop back-off waits 10, 20, 40, 80, 160, then 300 s for ever, and starts again at 10 s
// once a container ran longer than 10 minutes (flowcontrol.Backoff with the kubelet's
// HasExpiredFunc).
func TestCrashBackoff(t *testing.T) {
	var b backoff
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	var got []time.Duration
	for range 8 {
		// The container runs a second and exits; the kubelet restarts it when the back-off ends.
		finished := now.Add(time.Second)
		if b.inBackOffSince(finished, finished, crashBackOffExpiry) {
			now = finished.Add(b.delay)
		} else {
			now = finished
		}
		b.next(finished, now, crashBackOffInitial, crashBackOffMax, crashBackOffExpiry)
		got = append(got, b.delay)
	}
	want := []time.Duration{10, 20, 40, 80, 160, 300, 300, 300}
	for i := range want {
		if got[i] != want[i]*time.Second {
			t.Fatalf("back-offs %v, want %v seconds", got, want)
		}
	}
	// Ten minutes and more of running: the next crash starts over.
	finished := now.Add(11 * time.Minute)
	if b.inBackOffSince(finished, finished, crashBackOffExpiry) {
		t.Error("a container that ran 11 minutes is still in back-off")
	}
	b.next(finished, finished, crashBackOffInitial, crashBackOffMax, crashBackOffExpiry)
	if b.delay != 10*time.Second {
		t.Errorf("after a long run the back-off is %v, want 10s", b.delay)
	}
}

// The pull back-off counts from the last failure (IsInBackOffSinceUpdate).
func TestImageBackoff(t *testing.T) {
	var b backoff
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	b.next(now, now, imageBackOffInitial, imageBackOffMax, 2*imageBackOffMax)
	if !b.inBackOffSinceUpdate(now.Add(9*time.Second), 2*imageBackOffMax) || b.inBackOffSinceUpdate(now.Add(10*time.Second), 2*imageBackOffMax) {
		t.Error("the first pull back-off is not 10s")
	}
}

func TestSameStatus(t *testing.T) {
	ts := metav1.NewTime(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	tr := true
	base := func() *corev1.PodStatus {
		return &corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.244.1.2", HostIP: "172.18.0.2", StartTime: &ts,
			PodIPs: []corev1.PodIP{{IP: "10.244.1.2"}}, HostIPs: []corev1.HostIP{{IP: "172.18.0.2"}},
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: ts}},
			ContainerStatuses: []corev1.ContainerStatus{{Name: "c", Ready: true, Started: &tr, RestartCount: 1,
				State:                corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: ts}},
				LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error", FinishedAt: ts}}}}}
	}
	if !sameStatus(base(), base()) {
		t.Fatal("equal statuses differ")
	}
	changes := map[string]func(s *corev1.PodStatus){
		"phase":     func(s *corev1.PodStatus) { s.Phase = corev1.PodPending },
		"pod IP":    func(s *corev1.PodStatus) { s.PodIP = "" },
		"condition": func(s *corev1.PodStatus) { s.Conditions[0].Status = corev1.ConditionFalse },
		"restarts":  func(s *corev1.PodStatus) { s.ContainerStatuses[0].RestartCount = 2 },
		"waiting": func(s *corev1.PodStatus) {
			s.ContainerStatuses[0].State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}}
		},
		"last exit":    func(s *corev1.PodStatus) { s.ContainerStatuses[0].LastTerminationState.Terminated.ExitCode = 137 },
		"ready":        func(s *corev1.PodStatus) { s.ContainerStatuses[0].Ready = false },
		"started":      func(s *corev1.PodStatus) { s.ContainerStatuses[0].Started = nil },
		"start time":   func(s *corev1.PodStatus) { s.StartTime = nil },
		"observed gen": func(s *corev1.PodStatus) { s.ObservedGeneration = 2 },
		"container id": func(s *corev1.PodStatus) { s.ContainerStatuses[0].ContainerID = "containerd://x" },
		"volume mounts": func(s *corev1.PodStatus) {
			s.ContainerStatuses[0].VolumeMounts = []corev1.VolumeMountStatus{{Name: "v"}}
		},
	}
	for name, change := range changes {
		s := base()
		change(s)
		if sameStatus(base(), s) {
			t.Errorf("a change of %s goes unnoticed", name)
		}
	}
}

func TestContainerLogID(t *testing.T) {
	pod := func(cs corev1.ContainerStatus) *corev1.Pod {
		cs.Name = "c"
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p"}, Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{cs}}}
	}
	running := corev1.ContainerStatus{ContainerID: "containerd://now", State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}},
		LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ContainerID: "containerd://before"}}}
	tests := []struct {
		status    corev1.ContainerStatus
		previous  bool
		want, err string
	}{
		{running, false, "now", ""},
		{running, true, "before", ""},
		{corev1.ContainerStatus{State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}, true, "",
			`previous terminated container "c" in pod "p" not found`},
		{corev1.ContainerStatus{State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ImagePullBackOff"}}}, false, "",
			`container "c" in pod "p" is waiting to start: trying and failing to pull image`},
		{corev1.ContainerStatus{State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ErrImagePull"}}}, false, "",
			`container "c" in pod "p" is waiting to start: image can't be pulled`},
		{corev1.ContainerStatus{State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}}}, false, "",
			`container "c" in pod "p" is waiting to start: ContainerCreating`},
	}
	for _, tt := range tests {
		got, err := containerLogID(pod(tt.status), "c", tt.previous)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && err.Error() != tt.err) {
			t.Errorf("containerLogID(%+v, previous=%v) = %q, %v; want %q, %q", tt.status.State, tt.previous, got, err, tt.want, tt.err)
		}
	}
}
