package quiz

import (
	"testing"
	"time"
)

func TestProbesOfANodeThatGoesSilent(t *testing.T) {
	s := newSandbox(t, 3)
	s.kubectl("create deployment web --image=nginx --replicas=3")
	s.c.Run(0)
	s.wantText("node-condition node=node-2 type=Ready", "True")
	s.wantText("node-condition node=node-2 type=MemoryPressure", "False")
	s.probeErr("node-condition node=node-2 type=Sleepy")
	s.probeErr("node-condition node=node-9 type=Ready")
	s.wantText("container-runtime node=node-1", "containerd") // containerRuntimeVersion containerd://2.1.3
	s.probeErr("container-runtime node=node-9")
	s.probeErr("node-taint node=node-2 effect=NoExecute")
	// The DefaultTolerationSeconds admission plugin gave every pod 300 s for both taints.
	s.wantNumber("toleration-seconds index=1 selector=app=web node=node-2 key=node.kubernetes.io/unreachable", 300)
	s.wantNumber("toleration-seconds index=3 selector=app=web key=node.kubernetes.io/not-ready", 300)
	s.probeErr("toleration-seconds index=1 selector=app=web key=example.com/nosuch")
	if err := ValidateRef("node-taint node=node-2 effect=NoExcute"); err == nil {
		t.Error("a misspelt effect must be refused without a cluster")
	}

	if _, err := s.c.SetNodeDown("node-2", true); err != nil {
		t.Fatal(err)
	}
	s.c.Wait(30*time.Second, 0)
	s.wantText("node-condition node=node-2 type=Ready", "True") // within the 50 s grace period
	s.c.Wait(30*time.Second, 0)
	s.wantText("node-condition node=node-2 type=Ready", "Unknown")
	s.wantText("node-condition node=node-1 type=Ready", "True")
	s.wantText("node-taint node=node-2 effect=NoExecute", "node.kubernetes.io/unreachable")
	s.wantText("node-taint node=node-2 effect=NoSchedule", "node.kubernetes.io/unreachable")
	s.probeErr("node-taint node=node-1 effect=NoExecute")
}
