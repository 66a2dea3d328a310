package quiz

import (
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
