// Package kubelet is the miniature kubelet of one node: it watches the pods bound to its node,
// asks the container runtime (CRI) to run them, records events, and reports pod status through the
// API server. It never touches the store.
package kubelet

import (
	"net/netip"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/events"
	"github.com/k8slearn/k8slearn/engine/informer"
	cri "github.com/k8slearn/k8slearn/engine/runtime"
	"github.com/k8slearn/k8slearn/engine/work"
)

// Component is the source name of the kubelet's events.
const Component = "kubelet"

// stage is how far the kubelet has got with a pod: running it (its containers each go their
// own way, containers.go), or stopping it.
type stage int

const (
	stageRunning  stage = iota
	stageStopping       // containers being stopped
)

type podState struct {
	stage      stage
	generation int64 // the pod spec's generation last synced
	// sandbox is set once the pod's sandbox has been reported: its IP shows from the second sync
	// on (the first status is written before the sandbox exists).
	sandbox    bool
	uid        string
	ip         string
	containers map[string]*containerState
}

// Kubelet runs pods on one node.
type Kubelet struct {
	node   string
	hostIP string
	client *apiserver.Client
	clock  clock.Clock
	rec    *events.Recorder
	queue  *work.Queue
	podInf *informer.Informer
	svcInf *informer.Informer // the Services, for the containers' environment (envvars.go)
	// svcEnv holds serviceEnv's answers until a Service changes (envvars.go).
	svcEnv  map[svcEnvKey]map[string]string
	rt      *cri.Runtime
	pods    map[string]*podState
	ips     *ipPool
	pending map[string][]cri.Event // runtime events waiting for the next sync of a pod
	hb      heartbeat              // the Lease and node status timers, and the down fault (heartbeat.go)
	prober  *prober                // probe workers (prober.go)
}

// New starts the kubelet of node, driving rt. podCIDR is the node's pod range; hostIP its address.
func New(api *apiserver.Server, clk clock.Clock, agenda *work.Agenda, node, hostIP string, podCIDR netip.Prefix, rt *cri.Runtime) (*Kubelet, error) {
	k := &Kubelet{node: node, hostIP: hostIP, client: api.Client("kubelet/" + node), clock: clk,
		queue: agenda.NewQueue("kubelet/" + node), rt: rt, pods: map[string]*podState{},
		ips: newIPPool(podCIDR), pending: map[string][]cri.Event{}, prober: newProber()}
	k.rec = events.NewRecorder(k.client, clk, Component, node)
	rt.SetNotify(k.runtimeEvent)
	sel := fields.OneTermEqualSelector("spec.nodeName", node)
	var err error
	k.podInf, err = informer.New(k.client, "pods", "", apiserver.ListOptions{FieldSelector: sel}, informer.Handlers{
		OnAdd:    func(o runtime.Object, ev informer.Event) { k.enqueue(o, ev) },
		OnUpdate: func(_, o runtime.Object, ev informer.Event) { k.enqueueIfNeeded(o.(*corev1.Pod), ev) },
		OnDelete: func(o runtime.Object, ev informer.Event) { k.enqueue(o, ev) },
	}, nil)
	if err != nil {
		return nil, err
	}
	// The kubelet lists Services (its serviceLister) to give containers their variables; it
	// acts on none of their changes, but forgets the variables it worked out from them.
	forget := func() { k.svcEnv = nil }
	k.svcInf, err = informer.New(k.client, "services", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd:    func(runtime.Object, informer.Event) { forget() },
		OnUpdate: func(_, _ runtime.Object, _ informer.Event) { forget() },
		OnDelete: func(runtime.Object, informer.Event) { forget() },
	}, nil)
	if err != nil {
		return nil, err
	}
	k.startHeartbeat()
	return k, nil
}

func (k *Kubelet) enqueue(o runtime.Object, ev informer.Event) {
	if k.deferWhileDown(informer.KeyOf(o)) {
		return
	}
	ns, name := informer.SplitKey(informer.KeyOf(o))
	k.queue.Add(informer.KeyOf(o), k.clock.Now(), work.Trigger{Kind: work.Watch, EventType: string(ev.Type),
		Resource: ev.Resource, Namespace: ns, Name: name, Revision: ev.Revision})
}

// enqueueIfNeeded ignores the echoes of the kubelet's own status writes: only a deletion, or a pod
// the kubelet has not started on, needs a sync.
func (k *Kubelet) enqueueIfNeeded(p *corev1.Pod, ev informer.Event) {
	st, known := k.pods[p.Namespace+"/"+p.Name]
	if !known || (p.DeletionTimestamp != nil && st.stage != stageStopping) || p.Generation != st.generation {
		k.enqueue(p, ev)
	}
}

// runtimeEvent is the PLEG: a finished runtime operation queues a sync of its pod.
func (k *Kubelet) runtimeEvent(ev cri.Event) {
	k.pending[ev.Pod] = append(k.pending[ev.Pod], ev)
	if k.deferWhileDown(ev.Pod) {
		return
	}
	ns, name := informer.SplitKey(ev.Pod)
	k.queue.Add(ev.Pod, k.clock.Now(), work.Trigger{Kind: work.Runtime, Note: "trigger.pleg",
		Args: map[string]any{"Event": string(ev.Type), "Pod": name, "Namespace": ns, "Container": ev.Container}})
}

// Name implements component.Component.
func (k *Kubelet) Name() string { return "kubelet/" + k.node }

// Informers implements component.Component.
func (k *Kubelet) Informers() []*informer.Informer { return []*informer.Informer{k.podInf, k.svcInf} }

// Queue implements component.Component.
func (k *Kubelet) Queue() *work.Queue { return k.queue }

// Node is the kubelet's node name.
func (k *Kubelet) Node() string { return k.node }

// Process syncs one pod.
func (k *Kubelet) Process(it work.Item) component.Result {
	if r, ok := k.heartbeatItem(it); ok {
		return r
	}
	if res, ok := k.processProbe(it); ok {
		return res
	}
	evs := k.pending[it.Key]
	delete(k.pending, it.Key)
	obj, ok := k.podInf.Get(it.Key)
	st := k.pods[it.Key]
	if !ok {
		// Gone from the API (deleted, or force-deleted): stop whatever still runs.
		k.queue.CancelTimer(it.Key)
		if st != nil && st.stage != stageStopping {
			st.stage = stageStopping
			k.rt.StopPod(it.Key)
			return component.Result{Notes: []component.Note{{ID: "trace.note.kubelet_stopping", Args: map[string]any{"Pod": it.Key}}}}
		}
		if st != nil && hasEvent(evs, cri.PodStopped) {
			k.forget(it.Key)
		}
		return component.Result{}
	}
	pod := obj.(*corev1.Pod)
	if st != nil && st.uid != string(pod.UID) {
		// Same name, new pod: the old one is gone.
		k.forget(it.Key)
		st = nil
	}
	if pod.DeletionTimestamp != nil {
		k.queue.CancelTimer(it.Key)
		return k.syncTerminating(it.Key, pod, st, evs)
	}
	if st == nil {
		st = k.admit(it.Key, pod)
	}
	return k.syncPod(it.Key, pod, st, evs)
}

// syncPod takes in what the runtime reported, does what the containers need, reports the status
// and sets the pod's next timer (a back-off's end, a retry), if it needs one.
func (k *Kubelet) syncPod(key string, pod *corev1.Pod, st *podState, evs []cri.Event) component.Result {
	var d due
	for _, ev := range evs {
		k.applyEvent(pod, st, ev, &d)
	}
	if pod.Generation != st.generation {
		k.replaceChanged(pod, st)
		st.generation = pod.Generation
	}
	k.syncContainers(pod, st, &d)
	notes := k.killUnhealthy(key, pod, st)
	k.queue.CancelTimer(key)
	if !d.at.IsZero() {
		k.queue.AddTimer(key, d.at, d.trig)
	}
	if restartingKilled(st) {
		// A container the kubelet killed (a failed probe) is started again in the same SyncPod:
		// the next status shows the new one running, never the killed one ended.
		return component.Result{Notes: notes}
	}
	res := k.writeStatus(pod, st)
	st.sandbox = true
	res.Notes = append(notes, res.Notes...)
	return res
}

// restartingKilled reports whether a container the kubelet killed is being started again.
func restartingKilled(st *podState) bool {
	for _, cs := range st.containers {
		if cs.killing && (cs.starting || cs.pulling) {
			return true
		}
	}
	return false
}

func hasEvent(evs []cri.Event, t cri.EventType) bool {
	for _, e := range evs {
		if e.Type == t {
			return true
		}
	}
	return false
}

func (k *Kubelet) forget(key string) {
	if st := k.pods[key]; st != nil && st.ip != "" {
		k.ips.release(st.ip)
	}
	delete(k.pods, key)
	k.queue.CancelTimer(key)
	k.removePodProbes(key)
}

// admit takes a newly bound pod: the runtime starts its sandbox (and its IP), and each container's
// image reference is checked.
func (k *Kubelet) admit(key string, pod *corev1.Pod) *podState {
	st := &podState{stage: stageRunning, uid: string(pod.UID), containers: map[string]*containerState{}, generation: pod.Generation}
	k.pods[key] = st
	k.admitContainers(pod, st)
	if ip, ok := k.ips.allocate(); ok {
		st.ip = ip
	}
	k.addPodProbes(key, pod)
	return st
}

// syncTerminating stops a pod being deleted, then deletes it for good (grace period 0, with its
// uid as precondition), as the kubelet's status manager does.
func (k *Kubelet) syncTerminating(key string, pod *corev1.Pod, st *podState, evs []cri.Event) component.Result {
	if st == nil || hasEvent(evs, cri.PodStopped) {
		zero := int64(0)
		_, err := k.client.Delete("pods", pod.Namespace, pod.Name, apiserver.DeleteOptions{GracePeriodSeconds: &zero, UID: string(pod.UID)})
		k.forget(key)
		if err != nil && !apierrors.IsNotFound(err) {
			return component.Result{Notes: []component.Note{{ID: "trace.note.sync_error", Args: map[string]any{"Error": err.Error()}}}}
		}
		return component.Result{}
	}
	if st.stage == stageStopping {
		return component.Result{} // the runtime is on it
	}
	st.stage = stageStopping
	for _, c := range pod.Spec.Containers {
		if cs := st.containers[c.Name]; cs != nil && cs.running {
			k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeNormal, "Killing", "Stopping container "+c.Name)
		}
	}
	k.rt.StopPod(key)
	return component.Result{Notes: []component.Note{{ID: "trace.note.kubelet_stopping", Args: map[string]any{"Pod": key}}}}
}

// writeStatus reports the pod's status as the kubelet sees it now, when it changed (the status
// manager skips a status equal to the one stored).
func (k *Kubelet) writeStatus(pod *corev1.Pod, st *podState) component.Result {
	now := metav1.NewTime(k.clock.Now().Truncate(time.Second))
	// A shallow copy of the status is enough: it only gets fields assigned, never shared slices
	// written in place, and the API server copies what it is sent. (Deep copies of pods were the
	// largest cost of big clusters.) The pod is copied only when the status changed.
	current := pod.Status
	status := &current
	status.ObservedGeneration = pod.Generation
	if status.StartTime == nil {
		status.StartTime = &now
	}
	status.HostIP = k.hostIP
	if len(status.HostIPs) != 1 || status.HostIPs[0] != (corev1.HostIP{IP: k.hostIP}) {
		status.HostIPs = []corev1.HostIP{{IP: k.hostIP}}
	}
	if st.ip != "" && st.sandbox {
		status.PodIP = st.ip
		if len(status.PodIPs) != 1 || status.PodIPs[0] != (corev1.PodIP{IP: st.ip}) {
			status.PodIPs = []corev1.PodIP{{IP: st.ip}}
		}
	}
	statuses := make([]corev1.ContainerStatus, 0, len(pod.Spec.Containers))
	for i := range pod.Spec.Containers {
		c := &pod.Spec.Containers[i]
		statuses = append(statuses, k.containerStatus(pod, c, st.container(c.Name)))
	}
	// The probes say which running containers have started and are ready (prober.go).
	k.updateProbeStatus(pod.Namespace+"/"+pod.Name, st, statuses)
	var notReady []string
	for _, s := range statuses {
		if !s.Ready {
			notReady = append(notReady, s.Name)
		}
	}
	status.ContainerStatuses = statuses
	status.Phase = podPhase(pod, statuses)
	terminal := status.Phase == corev1.PodSucceeded || status.Phase == corev1.PodFailed
	// pkg/kubelet/status/generate.go: ContainersReady, and Ready following it.
	readyCond := corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionTrue}
	contCond := corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionTrue}
	switch {
	case terminal:
		reason := "PodCompleted"
		if status.Phase == corev1.PodFailed {
			reason = "PodFailed"
		}
		readyCond = corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: reason}
		contCond = corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionFalse, Reason: reason}
	case len(notReady) > 0:
		msg := "containers with unready status: [" + strings.Join(notReady, " ") + "]" // fmt %v of the names, as generate.go writes it
		readyCond = corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: "ContainersNotReady", Message: msg}
		contCond = corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionFalse, Reason: "ContainersNotReady", Message: msg}
	}
	// The sandbox runs from the first sync until the pod has finished (the kubelet then stops it).
	sandboxCond := corev1.PodCondition{Type: corev1.PodReadyToStartContainers, Status: corev1.ConditionFalse}
	if st.ip != "" && st.sandbox && !terminal {
		sandboxCond.Status = corev1.ConditionTrue
	}
	status.Conditions = orderedConditions(status.Conditions, now, pod.Generation, sandboxCond,
		corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionTrue}, readyCond, contCond)
	var err error
	if !sameStatus(&pod.Status, status) {
		// cp is handed over: its status is new, and what it shares with the cached pod is
		// never modified.
		cp := *pod
		cp.Status = current
		err = k.client.HandOverStatus("pods", pod.Namespace, &cp)
	}
	if err != nil && !apierrors.IsNotFound(err) {
		return component.Result{Notes: []component.Note{{ID: "trace.note.sync_error", Args: map[string]any{"Error": err.Error()}}}}
	}
	return component.Result{}
}

// volumeMountStatuses reports the container's mounts, as the kubelet does since v1.31.
func volumeMountStatuses(c corev1.Container) []corev1.VolumeMountStatus {
	var out []corev1.VolumeMountStatus
	for _, m := range c.VolumeMounts {
		ro := m.ReadOnly
		vm := corev1.VolumeMountStatus{Name: m.Name, MountPath: m.MountPath, ReadOnly: ro}
		if ro {
			rec := corev1.RecursiveReadOnlyDisabled
			vm.RecursiveReadOnly = &rec
		}
		out = append(out, vm)
	}
	return out
}

// orderedConditions sets the kubelet-owned conditions, keeping transition times of unchanged ones,
// in the order a real pod shows them: PodReadyToStartContainers, Initialized, Ready,
// ContainersReady, PodScheduled.
//
// Each condition the kubelet writes carries the generation it observed (PodObservedGenerationTracking,
// GA and locked on since v1.35: k8s.io/kubernetes v1.37.2 pkg/kubelet/status/generate.go and
// pkg/api/v1/pod/util.go CalculatePodConditionObservedGeneration); PodScheduled, written by the
// binding, has none.
func orderedConditions(cur []corev1.PodCondition, now metav1.Time, generation int64, conds ...corev1.PodCondition) []corev1.PodCondition {
	prev := func(t corev1.PodConditionType) (corev1.PodCondition, bool) {
		for i := len(cur) - 1; i >= 0; i-- { // the last of a type wins, as a map would keep it
			if cur[i].Type == t {
				return cur[i], true
			}
		}
		return corev1.PodCondition{}, false
	}
	for i := range conds {
		c := &conds[i]
		c.LastTransitionTime = now
		if p, ok := prev(c.Type); ok && p.Status == c.Status {
			c.LastTransitionTime = p.LastTransitionTime
		}
		c.LastProbeTime = metav1.Time{}
		c.ObservedGeneration = generation
	}
	scheduled, hasScheduled := prev(corev1.PodScheduled)
	// Most syncs change no condition: the stored slice then serves again, with no copy.
	if n := len(conds); len(cur) == n+1 && hasScheduled && cur[n] == scheduled {
		same := true
		for i := range conds {
			if conds[i] != cur[i] {
				same = false
				break
			}
		}
		if same {
			return cur
		}
	}
	out := make([]corev1.PodCondition, 0, len(conds)+1)
	out = append(out, conds...)
	if hasScheduled {
		out = append(out, scheduled)
	}
	return out
}

// ipPool hands out pod IPs from the node's range, in order, from .2 on.
type ipPool struct {
	prefix netip.Prefix
	used   map[netip.Addr]bool
}

func newIPPool(p netip.Prefix) *ipPool { return &ipPool{prefix: p, used: map[netip.Addr]bool{}} }

func (p *ipPool) allocate() (string, bool) {
	if !p.prefix.IsValid() {
		return "", false
	}
	a := p.prefix.Masked().Addr().Next().Next()
	for ; p.prefix.Contains(a); a = a.Next() {
		if !p.used[a] {
			p.used[a] = true
			return a.String(), true
		}
	}
	return "", false
}

func (p *ipPool) release(ip string) {
	if a, err := netip.ParseAddr(ip); err == nil {
		delete(p.used, a)
	}
}
