package cluster_test

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kballard/go-shellquote"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl"
)

// containerScript makes containers do everything they can: pull failures, crash loops, exits by
// restart policy, an OOM kill, the faults; "wait D" lets time pass a second at a time.
var containerScript = []string{
	"create deployment bad --image=nginx:1.2.3 --replicas=2",
	"create deployment web --image=nginx --replicas=2",
	"run crash --image=busybox -- sh -c 'echo up; exit 1'",
	"run once --image=busybox --restart=Never -- sh -c 'sleep 3; exit 2'",
	"run retry --image=busybox --restart=OnFailure -- sh -c 'sleep 2; exit 1'",
	"run mem --image=polinux/stress --limits=memory=64Mi -- stress --vm 1 --vm-bytes 128M",
	"run ticker --image=busybox -- sh -c 'while true; do echo tick; sleep 7; done'",
	"run",
	"wait 90s",
	"fault image nginx unavailable",
	"exec deploy/web -- kill 1",
	"run",
	"wait 30s",
	"fault container ticker crash",
	"fault container ticker oom",
	"set image deployment/bad nginx=nginx:1.27",
	"fault image nginx available",
	"run",
	"wait 10m",
	"delete pod crash",
	"run",
}

// runContainerScript runs the script, calling check after every step.
func runContainerScript(t *testing.T, seed uint64, check func(c *cluster.Cluster, step int)) *cluster.Cluster {
	t.Helper()
	c, err := cluster.New(cluster.DefaultConfig(seed))
	if err != nil {
		t.Fatal(err)
	}
	k := kubectl.New(c, nil)
	steps := 0
	step := func() bool {
		if _, ok := c.Step(); !ok {
			return false
		}
		steps++
		check(c, steps)
		return true
	}
	for _, line := range containerScript {
		words, _ := shellquote.Split(line)
		switch {
		case line == "run":
			for n := 0; step(); n++ {
				if n > 100_000 {
					t.Fatal("run does not end")
				}
			}
		case words[0] == "wait":
			d, _ := time.ParseDuration(words[1])
			for range int(d / time.Second) {
				entries, _ := c.Wait(time.Second, 0)
				for range entries {
					steps++
					check(c, steps)
				}
			}
		case words[0] == "fault":
			var err error
			switch words[1] {
			case "image":
				_, err = c.FaultImage(words[2], words[3] == "available")
			case "container":
				if words[3] == "crash" {
					_, err = c.FaultCrash("default", words[2], "", 1)
				} else {
					_, err = c.FaultOOM("default", words[2], "")
				}
			}
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
		default:
			if strings.Contains(line, "--limits") {
				// kubectl run has no --limits: the pod comes from a manifest.
				line = ""
				if _, err := c.API().Client("test").Create("pods", "default", memPod()); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if code := k.Run(words, kubectl.Streams{Out: io.Discard, ErrOut: io.Discard}); code != 0 {
				t.Fatalf("kubectl %s: exit %d", line, code)
			}
		}
	}
	return c
}

func memPod() *corev1.Pod {
	p := &corev1.Pod{}
	p.Name = "mem"
	p.Spec.Containers = []corev1.Container{{Name: "mem", Image: "polinux/stress", Command: []string{"stress"},
		Args: []string{"--vm", "1", "--vm-bytes", "128M"}}}
	p.Spec.Containers[0].Resources.Limits = corev1.ResourceList{corev1.ResourceMemory: mustQuantity("64Mi")}
	return p
}

// The container statuses stay coherent after every step: restart counts never go down, a finished
// pod never runs again, a waiting container that ran before shows how it ended, a running one has
// an id, a ready one runs.
func TestContainerInvariants(t *testing.T) {
	for _, seed := range []uint64{1, 7} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			restarts := map[string]int32{}
			finished := map[string]corev1.PodPhase{}
			check := func(c *cluster.Cluster, step int) {
				objs, _, _ := c.API().Client("check").ListShared("pods", "", apiserver.ListOptions{})
				for _, o := range objs {
					pod := o.(*corev1.Pod)
					key := string(pod.UID)
					if ph, done := finished[key]; done && pod.Status.Phase != ph {
						t.Fatalf("step %d: %s went from %s to %s", step, pod.Name, ph, pod.Status.Phase)
					}
					if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
						finished[key] = pod.Status.Phase
					}
					for _, cs := range pod.Status.ContainerStatuses {
						ck := key + "/" + cs.Name
						if cs.RestartCount < restarts[ck] {
							t.Fatalf("step %d: %s restarts went from %d to %d", step, pod.Name, restarts[ck], cs.RestartCount)
						}
						restarts[ck] = cs.RestartCount
						if w := cs.State.Waiting; w != nil && w.Reason == "CrashLoopBackOff" && cs.LastTerminationState.Terminated == nil {
							t.Fatalf("step %d: %s in CrashLoopBackOff without a last state", step, pod.Name)
						}
						if cs.State.Running != nil && cs.ContainerID == "" {
							t.Fatalf("step %d: %s runs without a container id", step, pod.Name)
						}
						if cs.Ready && cs.State.Running == nil {
							t.Fatalf("step %d: %s ready but not running", step, pod.Name)
						}
						if cs.RestartCount > 0 && cs.LastTerminationState.Terminated == nil && cs.State.Terminated == nil {
							t.Fatalf("step %d: %s restarted without a last state", step, pod.Name)
						}
					}
				}
			}
			c := runContainerScript(t, seed, check)
			if n := len(restarts); n < 8 {
				t.Errorf("only %d containers seen", n)
			}
			_ = c
		})
	}
}

// Same seed, same history: the script's trace is the same, entry for entry.
func TestContainerDeterminism(t *testing.T) {
	summary := func() string {
		c := runContainerScript(t, 42, func(*cluster.Cluster, int) {})
		var b strings.Builder
		for _, e := range c.Trace() {
			fmt.Fprintf(&b, "%d %s %s %v %v\n", e.Seq, e.Component, e.Time.Format(time.RFC3339Nano), e.Writes, e.Notes)
		}
		return b.String()
	}
	if a, b := summary(), summary(); a != b {
		t.Error("two runs with the same seed differ")
	}
}

func mustQuantity(s string) resource.Quantity { return resource.MustParse(s) }
