// Package kubelet is the miniature kubelet of one node: it watches the pods bound to its node,
// asks the container runtime (CRI) to run them, records events, and reports pod status through the
// API server. It never touches the store.
package kubelet

import (
	"fmt"
	"net/netip"
	"sort"
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
	"github.com/k8slearn/k8slearn/engine/imageref"
	"github.com/k8slearn/k8slearn/engine/informer"
	cri "github.com/k8slearn/k8slearn/engine/runtime"
	"github.com/k8slearn/k8slearn/engine/work"
)

// Component is the source name of the kubelet's events.
const Component = "kubelet"

// stage is how far the kubelet has got with a pod.
type stage int

const (
	stageNew      stage = iota
	stagePulling        // sandbox and image pulls under way
	stageStarting       // containers being created and started
	stageRunning        // all containers running
	stageStopping       // containers being stopped
)

type containerState struct {
	invalidImage string // why the image reference was refused, if it was
	pulled       bool
	started      bool
	id           string
	imageID      string
	startedAt    time.Time
	// Restarts (a failed liveness probe): the container being killed, how often it was
	// restarted, and how its last instance ended.
	killing  bool
	restarts int32
	last     *corev1.ContainerStateTerminated
}

type podState struct {
	stage      stage
	uid        string
	ip         string
	containers map[string]*containerState
}

// Kubelet runs pods on one node.
type Kubelet struct {
	node    string
	hostIP  string
	client  *apiserver.Client
	clock   clock.Clock
	rec     *events.Recorder
	queue   *work.Queue
	podInf  *informer.Informer
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
	if !known || (p.DeletionTimestamp != nil && st.stage != stageStopping) {
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
func (k *Kubelet) Informers() []*informer.Informer { return []*informer.Informer{k.podInf} }

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
		return k.syncTerminating(it.Key, pod, st, evs)
	}
	if st == nil {
		return k.admit(it.Key, pod)
	}
	restarting := false
	for _, ev := range evs {
		switch ev.Type {
		case cri.ImagePulled:
			k.imagePulled(pod, st, ev)
		case cri.ContainerStarted:
			k.containerStarted(pod, st, ev)
		case cri.ContainerStopped:
			restarting = k.containerStopped(it.Key, pod, st, ev) || restarting
		}
	}
	notes := k.killUnhealthy(it.Key, pod, st)
	if restarting && len(evs) == 1 {
		// Killed and started again in one sync, as SyncPod does: the status is next written
		// with the new container running.
		return component.Result{Notes: notes}
	}
	res := k.writeStatus(pod, st)
	res.Notes = append(notes, res.Notes...)
	return res
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
	k.removePodProbes(key)
}

// admit takes a newly bound pod: its status goes to ContainerCreating and the runtime starts the
// sandbox and the image pulls.
func (k *Kubelet) admit(key string, pod *corev1.Pod) component.Result {
	st := &podState{stage: stagePulling, uid: string(pod.UID), containers: map[string]*containerState{}}
	k.pods[key] = st
	for _, c := range pod.Spec.Containers {
		cs := &containerState{}
		st.containers[c.Name] = cs
		if _, err := imageref.WithDefaultTag(c.Image); err != nil {
			// The reference does not parse (the API server does not check it): nothing is pulled,
			// the container waits, as EnsureImageExists and startContainer leave it
			// (pkg/kubelet/images/image_manager.go, pkg/kubelet/kuberuntime/kuberuntime_container.go).
			cs.invalidImage = fmt.Sprintf("Failed to apply default image tag %q: %v", c.Image, err)
			k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeWarning, "InspectFailed", cs.invalidImage)
			k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeWarning, "Failed", "Error: InvalidImageName")
			continue
		}
		k.startContainer(key, pod, c, cs)
	}
	if ip, ok := k.ips.allocate(); ok {
		st.ip = ip
	}
	k.addPodProbes(key, pod)
	return k.writeStatus(pod, st)
}

// startContainer uses the node's copy of the image if the pull policy allows it, or pulls it;
// the runtime then creates and starts the container.
func (k *Kubelet) startContainer(key string, pod *corev1.Pod, c corev1.Container, cs *containerState) {
	if c.ImagePullPolicy != corev1.PullAlways && k.rt.HasImage(c.Image) {
		k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeNormal, "Pulled",
			fmt.Sprintf("Container image %q already present on machine", c.Image))
		cs.pulled = true
		k.rt.CreateAndStart(key, c.Name, c.Image)
		return
	}
	k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeNormal, "Pulling", fmt.Sprintf("Pulling image %q", c.Image))
	k.rt.PullImage(key, c.Name, c.Image)
}

// containerStopped records how a killed container ended and starts it again unless the pod's
// restart policy is Never. It reports whether the container is being restarted.
func (k *Kubelet) containerStopped(key string, pod *corev1.Pod, st *podState, ev cri.Event) bool {
	cs := st.containers[ev.Container]
	c := containerSpec(pod, ev.Container)
	if cs == nil || c == nil || !cs.started {
		return false
	}
	reason := "Completed"
	if ev.ExitCode != 0 {
		reason = "Error"
	}
	cs.last = &corev1.ContainerStateTerminated{ExitCode: int32(ev.ExitCode), Reason: reason,
		StartedAt:   metav1.NewTime(cs.startedAt.Truncate(time.Second)),
		FinishedAt:  metav1.NewTime(ev.FinishedAt.Truncate(time.Second)),
		ContainerID: "containerd://" + cs.id}
	cs.started, cs.killing = false, false
	if pod.Spec.RestartPolicy == corev1.RestartPolicyNever {
		return false
	}
	cs.restarts++
	cs.pulled = false
	k.startContainer(key, pod, *c, cs)
	return true
}

func (k *Kubelet) imagePulled(pod *corev1.Pod, st *podState, ev cri.Event) {
	cs := st.containers[ev.Container]
	if cs == nil || cs.pulled {
		return
	}
	cs.pulled = true
	cs.imageID = ev.ImageID
	took := ev.PullTime.Truncate(time.Millisecond)
	k.rec.ContainerEvent(pod, ev.Container, corev1.EventTypeNormal, "Pulled",
		fmt.Sprintf("Successfully pulled image %q in %v (%v including waiting). Image size: %d bytes.", ev.Image, took, took, ev.ImageSize))
	st.stage = stageStarting
	k.rt.CreateAndStart(pod.Namespace+"/"+pod.Name, ev.Container, ev.Image)
}

func (k *Kubelet) containerStarted(pod *corev1.Pod, st *podState, ev cri.Event) {
	cs := st.containers[ev.Container]
	if cs == nil || cs.started {
		return
	}
	cs.started, cs.id, cs.startedAt = true, ev.ContainerID, ev.StartedAt
	if cs.imageID == "" {
		cs.imageID = ev.ImageID
	}
	k.rec.ContainerEvent(pod, ev.Container, corev1.EventTypeNormal, "Created", "Created container: "+ev.Container)
	k.rec.ContainerEvent(pod, ev.Container, corev1.EventTypeNormal, "Started", "Started container "+ev.Container)
	all := true
	for _, c := range st.containers {
		all = all && c.started
	}
	if all {
		st.stage = stageRunning
	}
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
		if cs := st.containers[c.Name]; cs != nil && cs.started {
			k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeNormal, "Killing", "Stopping container "+c.Name)
		}
	}
	k.rt.StopPod(key)
	return component.Result{Notes: []component.Note{{ID: "trace.note.kubelet_stopping", Args: map[string]any{"Pod": key}}}}
}

// writeStatus reports the pod's status as the kubelet sees it now.
func (k *Kubelet) writeStatus(pod *corev1.Pod, st *podState) component.Result {
	now := metav1.NewTime(k.clock.Now().Truncate(time.Second))
	// A shallow copy is enough: the status below only gets fields assigned, never shared slices
	// written in place, and the API server copies what it is sent. (Deep copies of pods were the
	// largest cost of big clusters.)
	cp := *pod
	status := &cp.Status
	status.ObservedGeneration = pod.Generation
	if status.StartTime == nil {
		status.StartTime = &now
	}
	status.HostIP = k.hostIP
	status.HostIPs = []corev1.HostIP{{IP: k.hostIP}}
	sandboxReady := st.stage >= stageStarting || anyPulled(st)
	if sandboxReady && st.ip != "" {
		status.PodIP = st.ip
		status.PodIPs = []corev1.PodIP{{IP: st.ip}}
	}
	var statuses []corev1.ContainerStatus
	var notReady []string
	for _, c := range pod.Spec.Containers {
		cs := st.containers[c.Name]
		s := corev1.ContainerStatus{Name: c.Name, Image: c.Image, ImageID: "", RestartCount: 0}
		f := false
		s.Started = &f
		if cs != nil {
			s.RestartCount = cs.restarts
		}
		if cs != nil && cs.started {
			t := true
			s.Ready, s.Started = true, &t // until the probes say otherwise (updateProbeStatus)
			s.ImageID = cs.imageID
			s.Image = cri.ImageName(c.Image)
			s.ContainerID = "containerd://" + cs.id
			s.State.Running = &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(cs.startedAt.Truncate(time.Second))}
			if cs.last != nil {
				s.LastTerminationState.Terminated = cs.last
			}
		} else if cs != nil && cs.last != nil {
			s.ImageID, s.Image, s.ContainerID = cs.imageID, cri.ImageName(c.Image), cs.last.ContainerID
			s.State.Terminated = cs.last
		} else if cs != nil && cs.invalidImage != "" {
			s.State.Waiting = &corev1.ContainerStateWaiting{Reason: "InvalidImageName", Message: cs.invalidImage}
			notReady = append(notReady, c.Name)
		} else {
			s.State.Waiting = &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}
			notReady = append(notReady, c.Name)
		}
		s.VolumeMounts = volumeMountStatuses(c)
		statuses = append(statuses, s)
	}
	// Phase: Running once every container has run (pkg/kubelet/kubelet_pods.go getPhase); Ready
	// and ContainersReady: every container ready, as the probes say.
	if len(notReady) == 0 {
		status.Phase = corev1.PodRunning
	} else {
		status.Phase = corev1.PodPending
	}
	k.updateProbeStatus(pod.Namespace+"/"+pod.Name, st, statuses)
	status.ContainerStatuses = statuses
	notReady = notReady[:0]
	for _, s := range statuses {
		if !s.Ready {
			notReady = append(notReady, s.Name)
		}
	}
	ready := len(notReady) == 0
	readyCond := corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionTrue}
	contCond := corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionTrue}
	if !ready {
		msg := fmt.Sprintf("containers with unready status: [%s]", joinNames(notReady))
		readyCond = corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: "ContainersNotReady", Message: msg}
		contCond = corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionFalse, Reason: "ContainersNotReady", Message: msg}
	}
	sandboxCond := corev1.PodCondition{Type: corev1.PodReadyToStartContainers, Status: corev1.ConditionFalse}
	if sandboxReady {
		sandboxCond.Status = corev1.ConditionTrue
	}
	status.Conditions = orderedConditions(status.Conditions, now, pod.Generation, sandboxCond,
		corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionTrue}, readyCond, contCond)
	_, err := k.client.UpdateStatus("pods", pod.Namespace, &cp)
	if err != nil && !apierrors.IsNotFound(err) {
		return component.Result{Notes: []component.Note{{ID: "trace.note.sync_error", Args: map[string]any{"Error": err.Error()}}}}
	}
	return component.Result{}
}

func anyPulled(st *podState) bool {
	for _, c := range st.containers {
		if c.pulled {
			return true
		}
	}
	return false
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

func joinNames(names []string) string {
	sort.Strings(names)
	out := ""
	for i, n := range names {
		if i > 0 {
			out += " "
		}
		out += n
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
	out := make([]corev1.PodCondition, 0, len(conds)+1)
	for _, c := range conds {
		c.LastTransitionTime = now
		if p, ok := prev(c.Type); ok && p.Status == c.Status {
			c.LastTransitionTime = p.LastTransitionTime
		}
		c.LastProbeTime = metav1.Time{}
		c.ObservedGeneration = generation
		out = append(out, c)
	}
	if s, ok := prev(corev1.PodScheduled); ok {
		out = append(out, s)
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
