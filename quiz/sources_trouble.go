package quiz

// Probes for the lesson on troubleshooting: what the kubelet reports about a pod's containers,
// read as kubectl get and describe show it.
//
//	probe                                     value   what
//	restart-count pod=P|index=I [selector=S]  number  the restarts of the pod's containers: the first number of kubectl's RESTARTS
//	last-exit-code pod=P|index=I              number  the exit code of the first container's previous run ("Last State:
//	         [selector=S]                             Terminated … Exit Code" of describe); fails before it ended once
//	next-crash-backoff pod=P|index=I          number  the crash-loop back-off, in seconds, after the container's next crash: twice
//	         [selector=S]                             the one the kubelet reports now ("back-off 10s restarting failed
//	                                                  container…"), at most 300; fails unless it is in CrashLoopBackOff

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// maxCrashBackoff is the kubelet's ceiling on the crash-loop back-off (k8s.io/kubernetes v1.37.2
// pkg/kubelet/kubelet.go: MaxCrashLoopBackOff, the kubelet configuration's default of 300 s).
const maxCrashBackoff = 300 * time.Second

// troubleProbeSpecs are the probes of this file, added to probeSpecs.
func troubleProbeSpecs() map[string]probeSpec {
	podPick := []string{"pod", "index"}
	sel := []string{"selector"}
	return map[string]probeSpec{
		"restart-count":      {run: probeRestartCount, yields: NumberValue, oneOf: podPick, optional: sel},
		"last-exit-code":     {run: probeLastExitCode, yields: NumberValue, oneOf: podPick, optional: sel},
		"next-crash-backoff": {run: probeNextCrashBackoff, yields: NumberValue, oneOf: podPick, optional: sel},
	}
}

// probeRestartCount: the sum of the containers' restartCount, as kubectl's RESTARTS column.
func probeRestartCount(env Env, args map[string]string) (Value, error) {
	p, err := env.pickPod(args)
	if err != nil {
		return Value{}, err
	}
	n := 0
	for _, cs := range p.Status.ContainerStatuses {
		n += int(cs.RestartCount)
	}
	return numberValue(n), nil
}

// firstContainer is the status of the pod's first container.
func firstContainer(p *corev1.Pod) (corev1.ContainerStatus, error) {
	if len(p.Status.ContainerStatuses) == 0 {
		return corev1.ContainerStatus{}, fmt.Errorf("pod %s reports no container yet", p.Name)
	}
	return p.Status.ContainerStatuses[0], nil
}

// probeLastExitCode: lastState.terminated.exitCode of the first container.
func probeLastExitCode(env Env, args map[string]string) (Value, error) {
	p, err := env.pickPod(args)
	if err != nil {
		return Value{}, err
	}
	cs, err := firstContainer(p)
	if err != nil {
		return Value{}, err
	}
	if cs.LastTerminationState.Terminated == nil {
		return Value{}, fmt.Errorf("container %s of pod %s has not ended yet", cs.Name, p.Name)
	}
	return numberValue(int(cs.LastTerminationState.Terminated.ExitCode)), nil
}

// probeNextCrashBackoff: the back-off after the next crash, from the one in the waiting message
// the kubelet writes ("back-off 10s restarting failed container=app pod=…",
// pkg/kubelet/kuberuntime/kuberuntime_manager.go): it doubles up to five minutes.
func probeNextCrashBackoff(env Env, args map[string]string) (Value, error) {
	p, err := env.pickPod(args)
	if err != nil {
		return Value{}, err
	}
	cs, err := firstContainer(p)
	if err != nil {
		return Value{}, err
	}
	w := cs.State.Waiting
	if w == nil || w.Reason != "CrashLoopBackOff" {
		return Value{}, fmt.Errorf("container %s of pod %s is not in CrashLoopBackOff", cs.Name, p.Name)
	}
	word, _, _ := strings.Cut(strings.TrimPrefix(w.Message, "back-off "), " ")
	now, err := time.ParseDuration(word)
	if err != nil {
		return Value{}, fmt.Errorf("pod %s: no back-off in %q", p.Name, w.Message)
	}
	return numberValue(int(min(2*now, maxCrashBackoff) / time.Second)), nil
}
