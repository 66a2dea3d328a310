package kubelet

// The kubelet's prober: one worker per container and probe type, each a timer on the kubelet's
// queue that fires every periodSeconds, as k8s.io/kubernetes v1.37.2 pkg/kubelet/prober does
// (worker.go doProbe, prober.go probe, prober_manager.go AddPod and UpdatePodStatus, results/
// results_manager.go). What a probe reaches is the simulated container (package probe). A result
// that crosses its threshold is acted on at once, as the sync loop does on a results update
// (pkg/kubelet/kubelet.go syncLoopIteration): readiness and startup change the pod's status, a
// failed liveness or startup probe gets the container killed and restarted
// (pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions).

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/kubelet/probe"
	"github.com/k8slearn/k8slearn/engine/work"
)

// probeType is liveness, readiness or startup (prober_manager.go).
type probeType int

const (
	liveness probeType = iota
	readiness
	startup
)

// String is how the kubelet's events name the probe type ("Liveness probe failed: …").
func (t probeType) String() string {
	return [...]string{"Liveness", "Readiness", "Startup"}[t]
}

func (t probeType) lower() string { return strings.ToLower(t.String()) }

func (t probeType) spec(c *corev1.Container) *corev1.Probe {
	return [...]*corev1.Probe{c.LivenessProbe, c.ReadinessProbe, c.StartupProbe}[t]
}

// result is a probe worker's result for a container (results/results_manager.go).
type result int

const (
	resultUnknown result = iota - 1
	resultSuccess
	resultFailure
)

// initial is the result a worker sets when it first sees a container (worker.go newWorker):
// not ready until the readiness probe succeeds, alive until the liveness probe fails, not
// started until the startup probe succeeds.
func (t probeType) initial() result {
	return [...]result{resultSuccess, resultFailure, resultUnknown}[t]
}

// worker probes one container of one pod with one probe type.
type worker struct {
	key       string // its timer's key on the kubelet's queue
	pod       string // namespace/name
	uid       string
	container string
	typ       probeType

	containerID string // the container instance the result is about
	result      result
	hasResult   bool
	lastResult  result // zero: success, as in worker.go
	resultRun   int    // how many probes in a row gave lastResult
	onHold      bool
}

// instance is the simulated process of the container a probe reaches.
type instance struct {
	id string
	ct *probe.Container
}

// prober holds the workers of a kubelet and the simulated processes they probe.
type prober struct {
	workers map[string]*worker
	byPod   map[string][]*worker
	// targets are the running containers' simulated processes, by pod key and container name:
	// part of the simulated world (faults change them), kept here until the runtime simulates
	// processes itself.
	targets map[string]instance
}

func newProber() *prober {
	return &prober{workers: map[string]*worker{}, byPod: map[string][]*worker{}, targets: map[string]instance{}}
}

const probeKeyPrefix = "probe:"

// probeKey is a worker's key on the kubelet's queue: "probe:readiness:default:web:nginx" (no
// slash, so it is never taken for a pod's namespace/name key).
func probeKey(pod, container string, t probeType) string {
	return probeKeyPrefix + t.lower() + ":" + strings.Replace(pod, "/", ":", 1) + ":" + container
}

// addPodProbes starts the workers of a newly admitted pod (prober_manager.go AddPod). A worker's
// ticker starts now; its first probe (at once, in the real kubelet) finds no container yet, so
// its first timer is one period away.
func (k *Kubelet) addPodProbes(key string, pod *corev1.Pod) {
	if len(k.prober.byPod[key]) > 0 {
		return
	}
	now := k.clock.Now()
	for i := range pod.Spec.Containers {
		c := &pod.Spec.Containers[i]
		for _, t := range []probeType{startup, readiness, liveness} {
			spec := t.spec(c)
			if spec == nil {
				continue
			}
			w := &worker{key: probeKey(key, c.Name, t), pod: key, uid: string(pod.UID), container: c.Name, typ: t}
			k.prober.workers[w.key] = w
			k.prober.byPod[key] = append(k.prober.byPod[key], w)
			k.scheduleProbe(w, now.Add(period(spec)))
		}
	}
}

func period(p *corev1.Probe) time.Duration {
	return time.Duration(max(p.PeriodSeconds, 1)) * time.Second
}

func (k *Kubelet) scheduleProbe(w *worker, at time.Time) {
	ns, name := splitKey(w.pod)
	note := [...]string{"trigger.probe_liveness", "trigger.probe_readiness", "trigger.probe_startup"}[w.typ]
	k.queue.AddTimer(w.key, at, work.Trigger{Note: note,
		Args: map[string]any{"Pod": w.pod, "Namespace": ns, "PodName": name, "Container": w.container}})
}

func splitKey(key string) (string, string) {
	ns, name, _ := strings.Cut(key, "/")
	return ns, name
}

// removePodProbes stops a pod's workers and forgets its containers' processes.
func (k *Kubelet) removePodProbes(key string) {
	for _, w := range k.prober.byPod[key] {
		k.queue.CancelTimer(w.key)
		delete(k.prober.workers, w.key)
	}
	delete(k.prober.byPod, key)
	for tk := range k.prober.targets {
		if strings.HasPrefix(tk, key+"/") {
			delete(k.prober.targets, tk)
		}
	}
}

func (k *Kubelet) removeWorker(w *worker) {
	delete(k.prober.workers, w.key)
	ws := k.prober.byPod[w.pod]
	for i, x := range ws {
		if x == w {
			k.prober.byPod[w.pod] = append(ws[:i:i], ws[i+1:]...)
			break
		}
	}
}

func (k *Kubelet) worker(pod, container string, t probeType) (*worker, bool) {
	w, ok := k.prober.workers[probeKey(pod, container, t)]
	return w, ok
}

// probeResult is a worker's result for the container instance id, if it has one.
func (k *Kubelet) probeResult(pod, container, id string, t probeType) (result, bool) {
	w, ok := k.worker(pod, container, t)
	if !ok || !w.hasResult || w.containerID != id {
		return 0, false
	}
	return w.result, true
}

// target is the simulated process of a running container.
func (k *Kubelet) target(pod string, c *corev1.Container, cs *containerState) *probe.Container {
	tk := pod + "/" + c.Name
	if in, ok := k.prober.targets[tk]; ok && in.id == cs.id {
		return in.ct
	}
	ct := probe.NewContainer(c, cs.startedAt)
	k.prober.targets[tk] = instance{id: cs.id, ct: ct}
	return ct
}

func containerSpec(pod *corev1.Pod, name string) *corev1.Container {
	for i := range pod.Spec.Containers {
		if pod.Spec.Containers[i].Name == name {
			return &pod.Spec.Containers[i]
		}
	}
	return nil
}

// processProbe runs a probe whose timer fired (or that a kubelet coming back up resyncs). ok is
// false when the item is no probe's.
func (k *Kubelet) processProbe(it work.Item) (component.Result, bool) {
	if !strings.HasPrefix(it.Key, probeKeyPrefix) {
		return component.Result{}, false
	}
	w, ok := k.prober.workers[it.Key]
	if !ok {
		return component.Result{}, true
	}
	obj, found := k.podInf.Get(w.pod)
	st := k.pods[w.pod]
	if !found || st == nil || string(obj.(*corev1.Pod).UID) != w.uid {
		k.removeWorker(w)
		return component.Result{}, true
	}
	pod := obj.(*corev1.Pod)
	c := containerSpec(pod, w.container)
	if c == nil || w.typ.spec(c) == nil {
		k.removeWorker(w)
		return component.Result{}, true
	}
	spec := w.typ.spec(c)
	res, keep := k.doProbe(w, pod, st, c, spec)
	if keep {
		k.scheduleProbe(w, it.ReadyAt.Add(period(spec)))
	} else {
		k.removeWorker(w)
	}
	return res, true
}

func (k *Kubelet) probeNote(id string, w *worker, args map[string]any) component.Note {
	a := map[string]any{"Probe": w.typ.lower(), "Pod": w.pod, "Container": w.container}
	for key, v := range args {
		a[key] = v
	}
	return component.Note{ID: id, Args: a}
}

// doProbe probes the container once and records the result (worker.go doProbe). keep is false
// when the worker should stop.
func (k *Kubelet) doProbe(w *worker, pod *corev1.Pod, st *podState, c *corev1.Container, spec *corev1.Probe) (res component.Result, keep bool) {
	note := func(id string, args map[string]any) component.Result {
		return component.Result{Notes: []component.Note{k.probeNote(id, w, args)}}
	}
	if pod.Status.Phase == corev1.PodFailed || pod.Status.Phase == corev1.PodSucceeded {
		return note("trace.note.probe_pod_done", nil), false
	}
	cs := st.containers[w.container]
	if cs == nil || cs.id == "" {
		return note("trace.note.probe_no_container", nil), true
	}
	if w.containerID != cs.id {
		// A new container: its result starts at the initial value, and probing resumes.
		w.containerID, w.result, w.hasResult, w.onHold = cs.id, w.typ.initial(), true, false
	}
	if w.onHold {
		return note("trace.note.probe_on_hold", nil), true
	}
	if !cs.running {
		w.result = resultFailure
		return note("trace.note.probe_not_running", nil), true
	}
	if pod.DeletionTimestamp != nil && (w.typ == liveness || w.typ == startup) {
		// Graceful shutdown: a last success, and no more probing.
		w.result = resultSuccess
		return note("trace.note.probe_pod_deleting", nil), false
	}
	now := k.clock.Now()
	if ran := int32(now.Sub(cs.startedAt).Seconds()); ran < spec.InitialDelaySeconds {
		return note("trace.note.probe_initial_delay", map[string]any{"Delay": spec.InitialDelaySeconds, "Ran": ran}), true
	}
	if k.isContainerStarted(pod.Namespace+"/"+pod.Name, c.Name, cs) {
		if w.typ == startup {
			return note("trace.note.probe_startup_done", nil), true
		}
	} else if w.typ != startup {
		return note("trace.note.probe_wait_startup", nil), true
	}

	out := probe.Run(spec, c, st.ip, k.target(w.pod, c, cs), now)
	check := describeCheck(spec, c, st.ip)
	var r result
	switch out.Result {
	case probe.Success:
		r = resultSuccess
	case probe.Warning:
		// pkg/kubelet/prober/prober.go: a redirect is a success with a warning.
		k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeWarning, "ProbeWarning", fmt.Sprintf("%s probe warning: %s", w.typ, out.Output))
		r = resultSuccess
	case probe.Failure:
		if out.Err == nil {
			// pkg/kubelet/prober/prober.go probe; the reason is events.ContainerUnhealthy.
			k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeWarning, "Unhealthy", fmt.Sprintf("%s probe failed: %s", w.typ, out.Output))
		}
		r = resultFailure
	default:
		r = resultFailure
	}
	if out.Err != nil {
		// The probe could not run: the event says so and the worker throws the result away.
		k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeWarning, "Unhealthy",
			fmt.Sprintf("%s probe errored and resulted in %s state: %s", w.typ, out.Result, out.Err))
		return note("trace.note.probe_errored", map[string]any{"Check": check, "Error": out.Err.Error()}), true
	}
	if w.lastResult == r {
		w.resultRun++
	} else {
		w.lastResult, w.resultRun = r, 1
	}
	threshold := spec.FailureThreshold
	if r == resultSuccess {
		threshold = spec.SuccessThreshold
	}
	res = note(map[result]string{resultSuccess: "trace.note.probe_succeeded", resultFailure: "trace.note.probe_failed"}[r],
		map[string]any{"Check": check, "Run": w.resultRun, "Threshold": threshold, "Output": strings.TrimSpace(out.Output)})
	if int32(w.resultRun) < threshold {
		return res, true // below the threshold: the result stands
	}
	changed := !w.hasResult || w.result != r
	w.result, w.hasResult = r, true
	if (w.typ == liveness && r == resultFailure) || w.typ == startup {
		// Stop probing until there is a new container (a restart).
		w.onHold, w.resultRun = true, 0
	}
	if changed {
		res.Notes = append(res.Notes, k.probeNote(resultNoteID(w.typ, r), w, nil))
		// The sync loop acts on the new result at once.
		sync := k.Process(work.Item{Key: w.pod})
		res.Notes = append(res.Notes, sync.Notes...)
	}
	return res, true
}

func resultNoteID(t probeType, r result) string {
	switch {
	case t == readiness && r == resultSuccess:
		return "trace.note.probe_ready"
	case t == readiness:
		return "trace.note.probe_not_ready"
	case t == liveness && r == resultSuccess:
		return "trace.note.probe_alive"
	case t == liveness:
		return "trace.note.probe_liveness_failed"
	case r == resultSuccess:
		return "trace.note.probe_started"
	}
	return "trace.note.probe_startup_failed"
}

// describeCheck says what a probe checks, for the trace: "GET http://10.244.1.2:80/".
func describeCheck(p *corev1.Probe, c *corev1.Container, podIP string) string {
	switch {
	case p.Exec != nil:
		return "exec " + strings.Join(p.Exec.Command, " ")
	case p.HTTPGet != nil:
		port, _ := probe.ResolveContainerPort(p.HTTPGet.Port, c)
		scheme := strings.ToLower(string(p.HTTPGet.Scheme))
		if scheme == "" {
			scheme = "http"
		}
		host := p.HTTPGet.Host
		if host == "" {
			host = podIP
		}
		return fmt.Sprintf("GET %s://%s:%d%s", scheme, host, port, p.HTTPGet.Path)
	case p.TCPSocket != nil:
		port, _ := probe.ResolveContainerPort(p.TCPSocket.Port, c)
		host := p.TCPSocket.Host
		if host == "" {
			host = podIP
		}
		return fmt.Sprintf("TCP %s:%d", host, port)
	case p.GRPC != nil:
		return fmt.Sprintf("gRPC %s:%d", podIP, p.GRPC.Port)
	}
	return "?"
}

// isContainerStarted is the container status's started (prober_manager.go isContainerStarted):
// running, and its startup probe (if any) succeeded.
func (k *Kubelet) isContainerStarted(pod, container string, cs *containerState) bool {
	if cs == nil || !cs.running {
		return false
	}
	if r, ok := k.probeResult(pod, container, cs.id, startup); ok {
		return r == resultSuccess
	}
	_, hasStartup := k.worker(pod, container, startup)
	return !hasStartup
}

// updateProbeStatus sets each container status's started and ready from the probes
// (prober_manager.go UpdatePodStatus), and asks a readiness worker for a probe now when its
// container has started but is not ready yet (the manual trigger).
func (k *Kubelet) updateProbeStatus(key string, st *podState, statuses []corev1.ContainerStatus) {
	now := k.clock.Now()
	for i := range statuses {
		s := &statuses[i]
		cs := st.containers[s.Name]
		if cs == nil || !cs.running {
			continue
		}
		started := k.isContainerStarted(key, s.Name, cs)
		s.Started = &started
		if !started {
			s.Ready = false
			continue
		}
		if r, ok := k.probeResult(key, s.Name, cs.id, readiness); ok && r == resultSuccess {
			s.Ready = true
			continue
		}
		w, exists := k.worker(key, s.Name, readiness)
		s.Ready = !exists // no readiness probe: ready once started
		if exists {
			k.scheduleProbe(w, now)
		}
	}
}

// unhealthy is why a running container must be killed: its liveness or startup probe failed
// (kuberuntime_manager.go computePodActions). "" when it may keep running.
func (k *Kubelet) unhealthy(pod *corev1.Pod, name string, cs *containerState) string {
	key := pod.Namespace + "/" + pod.Name
	if r, ok := k.probeResult(key, name, cs.id, liveness); ok && r == resultFailure {
		return fmt.Sprintf("Container %s failed liveness probe", name)
	}
	if r, ok := k.probeResult(key, name, cs.id, startup); ok && r == resultFailure {
		return fmt.Sprintf("Container %s failed startup probe", name)
	}
	return ""
}

// killUnhealthy kills the running containers whose liveness or startup probe failed, with the
// kubelet's Killing event, to be restarted if the pod's restart policy allows it.
func (k *Kubelet) killUnhealthy(key string, pod *corev1.Pod, st *podState) []component.Note {
	var notes []component.Note
	for i := range pod.Spec.Containers {
		c := &pod.Spec.Containers[i]
		cs := st.containers[c.Name]
		if cs == nil || !cs.running || cs.killing {
			continue
		}
		msg := k.unhealthy(pod, c.Name, cs)
		if msg == "" {
			continue
		}
		if pod.Spec.RestartPolicy != corev1.RestartPolicyNever {
			msg += ", will be restarted"
		}
		cs.killing = true
		// pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer; reason
		// events.KillingContainer.
		k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeNormal, "Killing", msg)
		k.rt.StopContainer(key, c.Name, probeGracePeriod(pod, c, msg))
		notes = append(notes, component.Note{ID: "trace.note.container_killing", Args: map[string]any{"Pod": key, "Container": c.Name}})
	}
	return notes
}

// probeGracePeriod is how long a killed container has after SIGTERM: the probe's
// terminationGracePeriodSeconds, else the pod's (kuberuntime_container.go
// setTerminationGracePeriod).
func probeGracePeriod(pod *corev1.Pod, c *corev1.Container, msg string) time.Duration {
	secs := int64(corev1.DefaultTerminationGracePeriodSeconds)
	if pod.Spec.TerminationGracePeriodSeconds != nil {
		secs = *pod.Spec.TerminationGracePeriodSeconds
	}
	p := c.LivenessProbe
	if strings.HasSuffix(strings.TrimSuffix(msg, ", will be restarted"), "startup probe") {
		p = c.StartupProbe
	}
	if p != nil && p.TerminationGracePeriodSeconds != nil {
		secs = *p.TerminationGracePeriodSeconds
	}
	return time.Duration(max(secs, 2)) * time.Second // minimumGracePeriodInSeconds
}

// ProbeFault makes a running container of a pod on this node fail its probes (fail) or pass
// them again: its simulated process changes (HTTP answers 500, the TCP-probed ports close, the
// files its exec probes read disappear), and the kubelet finds out at the next probe, as it
// would on a real node. A restarted container is a new process: it starts healthy.
func (k *Kubelet) ProbeFault(pod *corev1.Pod, container string, fail bool) (probe.Changes, error) {
	key := pod.Namespace + "/" + pod.Name
	st := k.pods[key]
	c := containerSpec(pod, container)
	if c == nil {
		// kubectl's text for a container the pod does not have (pkg/cmd/logs, exec).
		return probe.Changes{}, fmt.Errorf("container %s is not valid for pod %s", container, pod.Name)
	}
	var cs *containerState
	if st != nil && st.uid == string(pod.UID) {
		cs = st.containers[container]
	}
	if cs == nil || !cs.running {
		reason := "ContainerCreating"
		if cs != nil && cs.term != nil {
			reason = "ContainerStatusUnknown"
		}
		// kubectl logs' text for a container that is not running (pkg/polymorphichelpers).
		return probe.Changes{}, fmt.Errorf("container %q in pod %q is waiting to start: %s", container, pod.Name, reason)
	}
	ct := k.target(key, c, cs)
	if fail {
		return ct.Break([]*corev1.Probe{c.LivenessProbe, c.ReadinessProbe, c.StartupProbe}, k.clock.Now()), nil
	}
	return ct.Repair(k.clock.Now()), nil
}
