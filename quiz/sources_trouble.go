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
//	most-node-cpu                             number  the largest allocatable CPU of the lesson's nodes, in whole CPUs rounded up
//	cpu-beyond-nodes                          number  a CPU request no node can hold: the largest allocatable CPU of the lesson's
//	                                                  nodes plus 2 (most-node-cpu + 2: 6 on the miniature's 4-CPU nodes)
//	node-cpu-share per-cpu=M                  number  millicores in proportion to the nodes' size: M for each CPU of most-node-cpu
//	                                                  (per-cpu=375 is 1500 on 4 CPUs, 6000 on 16), so that a lesson's arithmetic
//	                                                  of requests holds on a real cluster's bigger nodes
//	node-cpu-quantity per-cpu=M               text    the same share as a quantity, as the API server writes it back: 1500m, 2, 6

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
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
		"most-node-cpu":      {run: probeMostNodeCPU, yields: NumberValue},
		"cpu-beyond-nodes":   {run: probeCPUBeyondNodes, yields: NumberValue},
		"node-cpu-share":     {run: probeNodeCPUShare, yields: NumberValue, required: []string{"per-cpu"}},
		"node-cpu-quantity":  {run: probeNodeCPUQuantity, yields: TextValue, required: []string{"per-cpu"}},
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

// eventTime is when an event last happened: series and count keep lastTimestamp, events.k8s.io
// clients eventTime.
func eventTime(ev *corev1.Event) time.Time {
	if !ev.LastTimestamp.IsZero() {
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

// probeMostNodeCPU: the largest allocatable CPU of the lesson's nodes, in whole CPUs rounded up.
func probeMostNodeCPU(env Env, _ map[string]string) (Value, error) {
	n, err := mostNodeCPU(env)
	return numberValue(n), err
}

// probeCPUBeyondNodes is a CPU request that fits on none of the lesson's nodes, however empty:
// two CPUs more than the largest allocatable. On a real cluster it follows the nodes' size, where
// a fixed number might fit.
func probeCPUBeyondNodes(env Env, _ map[string]string) (Value, error) {
	n, err := mostNodeCPU(env)
	return numberValue(n + 2), err
}

// probeNodeCPUShare: per-cpu millicores for each CPU of the largest node.
func probeNodeCPUShare(env Env, args map[string]string) (Value, error) {
	per, err := strconv.Atoi(args["per-cpu"])
	if err != nil || per <= 0 {
		return Value{}, fmt.Errorf("per-cpu=%s: want a positive number of millicores", args["per-cpu"])
	}
	n, err := mostNodeCPU(env)
	return numberValue(n * per), err
}

// probeNodeCPUQuantity: node-cpu-share as a canonical quantity, for a command to send ("2", not
// "2000m": the API server stores the canonical form, and a Deployment's pod-template-hash is
// computed from what it stores).
func probeNodeCPUQuantity(env Env, args map[string]string) (Value, error) {
	v, err := probeNodeCPUShare(env, args)
	if err != nil {
		return Value{}, err
	}
	return textValue(resource.NewMilliQuantity(int64(v.Number), resource.DecimalSI).String()), nil
}

func mostNodeCPU(env Env) (int, error) {
	names, err := nodeNames(env)
	if err != nil {
		return 0, err
	}
	var most int64
	for _, name := range names {
		n, err := env.node(name)
		if err != nil {
			return 0, err
		}
		if cpu, ok := n.Status.Allocatable[corev1.ResourceCPU]; ok {
			most = max(most, cpu.MilliValue())
		}
	}
	if most == 0 {
		return 0, fmt.Errorf("no node among %s reports allocatable CPU", strings.Join(names, ", "))
	}
	return int((most + 999) / 1000), nil
}
