package quiz

import (
	"maps"
	"testing"
	"time"
)

func TestProbesOfTroubleshooting(t *testing.T) {
	s := newSandbox(t, 2)
	s.kubectlArgs("run", "crash", "--image=busybox:1.37", "--", "sh", "-c", "echo failing; exit 2")
	s.probeErr("restart-count pod=nosuch")
	s.wantNumber("restart-count pod=crash", 0)
	s.probeErr("last-exit-code pod=crash")     // no container yet
	s.probeErr("next-crash-backoff pod=crash") // not in back-off
	// It exited, was restarted at once, exited again: back-off 10s.
	s.c.Run(0)
	s.wantNumber("restart-count pod=crash", 1)
	s.wantNumber("last-exit-code pod=crash", 2)
	s.wantNumber("next-crash-backoff index=1 selector=run=crash", 20)
	s.c.Wait(11*time.Second, 0)
	s.wantNumber("restart-count pod=crash", 2)
	s.wantNumber("next-crash-backoff pod=crash", 40)
	s.c.Wait(10*time.Minute, 0) // 20+40+80+160 s, then 300 s from then on
	s.wantNumber("next-crash-backoff pod=crash", 300)

	// The kernel's OOM kill: exit code 137.
	s.kubectl("create deployment mem --image=polinux/stress -- stress --vm 1 --vm-bytes 250M --vm-hang 1")
	s.kubectl("set resources deployment mem --limits=memory=100Mi")
	s.c.Run(0)
	s.wantNumber("last-exit-code index=1 selector=app=mem", 137)
}

// A pod too big for every node: its FailedScheduling event, read as the learner reads it, and a
// request sized to the nodes.
func TestProbesOfAPodThatFitsNoNode(t *testing.T) {
	s := newSandbox(t, 2)
	s.wantNumber("most-node-cpu", 4)
	s.wantNumber("cpu-beyond-nodes", 6)
	s.wantNumber("node-cpu-share per-cpu=375", 1500)
	s.probeErr("node-cpu-share per-cpu=lots")
	s.wantText("node-cpu-quantity per-cpu=375", "1500m")
	s.wantText("node-cpu-quantity per-cpu=500", "2")
	s.kubectl("create deployment report --image=nginx:1.27")
	s.kubectl("set resources deployment report --requests=cpu=6")
	s.c.Run(0)
	s.probeErr("insufficient-nodes index=1 selector=app=nosuch of=cpu")
	s.wantNumber("insufficient-nodes index=1 selector=app=report of=cpu", 2)
	s.wantNumber("insufficient-nodes index=1 selector=app=report of=memory", 0)
	s.kubectl("create deployment fits --image=nginx:1.27")
	s.c.Run(0)
	s.probeErr("insufficient-nodes index=1 selector=app=fits of=cpu") // scheduled: no such event
}

func TestFitReasons(t *testing.T) {
	for _, tt := range []struct {
		msg  string
		want map[string]int
	}{
		{"0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
			map[string]int{"Insufficient cpu": 2}},
		{"0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
			map[string]int{"node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }": 1, "Insufficient cpu": 2, "Insufficient memory": 2}},
		{"0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.",
			map[string]int{"node(s) didn't match Pod's node affinity/selector": 1}},
	} {
		got, err := fitReasons(tt.msg)
		if err != nil || !maps.Equal(got, tt.want) {
			t.Errorf("fitReasons(%q) = %v, %v; want %v", tt.msg, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "no nodes available to schedule pods", "0/2 nodes are available: two Insufficient cpu."} {
		if got, err := fitReasons(bad); err == nil {
			t.Errorf("fitReasons(%q) = %v, want an error", bad, got)
		}
	}
}
