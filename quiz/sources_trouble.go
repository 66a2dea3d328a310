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
//	insufficient-nodes pod=P|index=I          number  how many nodes the pod's latest FailedScheduling event counts for "Insufficient
//	         [selector=S] of=R                        R" ("0/3 nodes are available: 1 node(s) had untolerated taint(s), 2
//	                                                  Insufficient cpu. …" gives 2); 0 when it names other reasons only

import (
	"fmt"
	"strconv"
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
		"insufficient-nodes": {run: probeInsufficientNodes, yields: NumberValue, oneOf: podPick, required: []string{"of"}, optional: sel},
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

// probeInsufficientNodes reads the pod's latest FailedScheduling event as a learner does: the
// message counts, for each reason a node turned the pod away, how many nodes gave it
// (k8s.io/kubernetes v1.37.2 pkg/scheduler/framework/types.go, FitError.Error). It reads the
// event, not the scheduler, so it answers alike on the miniature and on a real cluster.
func probeInsufficientNodes(env Env, args map[string]string) (Value, error) {
	p, err := env.pickPod(args)
	if err != nil {
		return Value{}, err
	}
	objs, err := env.list("events", "")
	if err != nil {
		return Value{}, err
	}
	var latest *corev1.Event
	for _, o := range objs {
		ev, ok := o.(*corev1.Event)
		if !ok || ev.Reason != "FailedScheduling" || ev.InvolvedObject.Kind != "Pod" || ev.InvolvedObject.Name != p.Name {
			continue
		}
		if latest == nil || eventTime(ev).After(eventTime(latest)) {
			latest = ev
		}
	}
	if latest == nil {
		return Value{}, fmt.Errorf("pod %s has no FailedScheduling event", p.Name)
	}
	counts, err := fitReasons(latest.Message)
	if err != nil {
		return Value{}, err
	}
	return numberValue(counts["Insufficient "+args["of"]]), nil
}

// eventTime is when an event last happened, as kubectl's LAST SEEN reads it: an events.k8s.io
// series' last observation (kube-scheduler's FailedScheduling repeats so), else lastTimestamp,
// else eventTime.
func eventTime(ev *corev1.Event) time.Time {
	switch {
	case ev.Series != nil:
		return ev.Series.LastObservedTime.Time
	case !ev.LastTimestamp.IsZero():
		return ev.LastTimestamp.Time
	}
	return ev.EventTime.Time
}

// fitReasons are the counts of a scheduler's "0/N nodes are available: 2 Insufficient cpu, 1
// node(s) had untolerated taint(s). preemption: …" by reason.
func fitReasons(msg string) (map[string]int, error) {
	_, rest, ok := strings.Cut(msg, " nodes are available: ")
	if !ok {
		return nil, fmt.Errorf("not a scheduler's fit error: %q", msg)
	}
	if i := strings.Index(rest, ". "); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.TrimSuffix(rest, ".")
	counts := map[string]int{}
	for _, part := range strings.Split(rest, ", ") {
		num, reason, ok := strings.Cut(part, " ")
		n, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("no count in %q of %q", part, msg)
		}
		counts[reason] += n
	}
	return counts, nil
}
