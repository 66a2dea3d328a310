package kubelet

import (
	"fmt"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/imageref"
	cri "github.com/k8slearn/k8slearn/engine/runtime"
	"github.com/k8slearn/k8slearn/engine/work"
)

// The container lifecycle of the kubelet: pull (with its back-off), create and start, notice the
// end of a process, restart by the pod's restartPolicy (with the crash-loop back-off), and the
// container statuses and pod phase that follow. The words are the kubelet's, v1.37:
// pkg/kubelet/images/image_manager.go (pulls), pkg/kubelet/kuberuntime/kuberuntime_container.go
// (create, start), pkg/kubelet/kuberuntime/kuberuntime_manager.go (doBackOff),
// pkg/kubelet/kubelet_pods.go (convertToAPIContainerStatuses, getPhase).

// containerState is what the kubelet knows of one container of a pod: its current instance
// (running, or ended), the end of the one before, why it waits, and its back-offs.
type containerState struct {
	invalidImage string // why the image reference was refused, if it was
	pulling      bool   // a PullImage is under way
	starting     bool   // a CreateContainer and StartContainer are under way
	imageID      string
	// The current instance.
	id        string
	running   bool
	startedAt time.Time
	term      *corev1.ContainerStateTerminated // how the current instance ended
	prevTerm  *corev1.ContainerStateTerminated // how the one before ended
	restarts  int32                            // the current instance's restart count
	instances int32                            // instances created so far
	// Why the container waits (the kubelet's reasonCache): the reason and message of the last
	// failed start.
	waitReason, waitMessage string
	pullBackoff             backoff
	crashBackoff            backoff
	prevPullErr             string // "ErrImagePull: <the runtime's error>", quoted during the back-off
	pullFailures            int
	// image is the image of the current instance (or of the pull under way): a pod whose spec
	// names another (kubectl set image pod/…) has the container replaced.
	image string
	// replace marks a container killed because its definition changed: it starts again at once,
	// whatever the restart policy.
	replace bool
	// killing marks a container the kubelet is killing (a failed liveness or startup probe,
	// prober.go): it is started again at once when it has ended, whatever the back-off.
	killing bool
	// failed marks a start that failed in this sync (a pull, a start): the real kubelet made the
	// call within this sync and returns with the error, so nothing more is tried until the next.
	failed bool
}

// due is the next time a pod needs a sync of its own, with what it is for.
type due struct {
	at   time.Time
	trig work.Trigger
}

func (d *due) sooner(at time.Time, trig work.Trigger) {
	if d.at.IsZero() || at.Before(d.at) {
		d.at, d.trig = at, trig
	}
}

// container returns the state of a container of the pod, made on first use.
func (st *podState) container(name string) *containerState {
	cs := st.containers[name]
	if cs == nil {
		cs = &containerState{}
		st.containers[name] = cs
	}
	return cs
}

// applyEvent takes in what the runtime reported for a container.
func (k *Kubelet) applyEvent(pod *corev1.Pod, st *podState, ev cri.Event, d *due) {
	cs := st.containers[ev.Container]
	if cs == nil {
		return
	}
	now := k.clock.Now()
	key := pod.Namespace + "/" + pod.Name
	switch ev.Type {
	case cri.ImagePulled:
		if !cs.pulling {
			return
		}
		cs.pulling = false
		cs.imageID = ev.ImageID
		took := ev.PullTime.Truncate(time.Millisecond)
		// pkg/kubelet/images/image_manager.go, pullImage.
		k.rec.ContainerEvent(pod, ev.Container, corev1.EventTypeNormal, "Pulled",
			fmt.Sprintf("Successfully pulled image %q in %v (%v including waiting). Image size: %d bytes.", ev.Image, took, took, ev.ImageSize))
		if c := specContainer(pod, ev.Container); c != nil {
			k.launch(pod, st, c, cs)
		}
	case cri.ImagePullFailed:
		if !cs.pulling {
			return
		}
		cs.pulling = false
		cs.pullFailures++
		// pkg/kubelet/images/image_manager.go, pullImage: the runtime's error, then the back-off
		// and the message the back-off quotes; pkg/kubelet/kuberuntime/kuberuntime_container.go,
		// startContainer: "Error: " and the error's name.
		k.rec.ContainerEvent(pod, ev.Container, corev1.EventTypeWarning, "Failed", fmt.Sprintf("Failed to pull image %q: %v", ev.Image, ev.Err))
		k.rec.ContainerEvent(pod, ev.Container, corev1.EventTypeWarning, "Failed", "Error: ErrImagePull")
		cs.pullBackoff.next(now, now, imageBackOffInitial, imageBackOffMax, 2*imageBackOffMax)
		cs.prevPullErr = "ErrImagePull: " + ev.Err.Error()
		cs.waitReason, cs.waitMessage = "ErrImagePull", ev.Err.Error()
		// The failed sync is retried after backOffPeriod (the pod worker). The first failure is
		// looked at again sooner: the PLEG's relist sees the sandbox the kubelet just started,
		// and that sync finds the pull in back-off.
		d.sooner(now.Add(backOffPeriod), k.resyncTrigger(key, ev.Container, backOffPeriod))
		if cs.pullFailures == 1 {
			d.sooner(now.Add(plegRelistPeriod), work.Trigger{Note: "trigger.pleg_relist", Args: map[string]any{"Pod": key}})
		}
		cs.failed = true
	case cri.ContainerStarted:
		cs.starting = false
		cs.newInstance(ev.ContainerID)
		cs.running, cs.startedAt = true, ev.StartedAt
		if ev.ImageID != "" {
			cs.imageID = ev.ImageID
		}
		cs.waitReason, cs.waitMessage, cs.killing = "", "", false
		// pkg/kubelet/kuberuntime/kuberuntime_container.go, startContainer.
		k.rec.ContainerEvent(pod, ev.Container, corev1.EventTypeNormal, "Created", "Container created")
		k.rec.ContainerEvent(pod, ev.Container, corev1.EventTypeNormal, "Started", "Container started")
	case cri.ContainerStartFailed:
		cs.starting = false
		if ev.ContainerID == "" {
			// CreateContainer failed: no container (startContainer's CreateContainerError).
			k.rec.ContainerEvent(pod, ev.Container, corev1.EventTypeWarning, "Failed", "Error: "+ev.Message)
			cs.waitReason, cs.waitMessage = "CreateContainerError", ev.Message
			d.sooner(now.Add(backOffPeriod), k.resyncTrigger(key, ev.Container, backOffPeriod))
			cs.failed = true
			return
		}
		// Created, but the process could not start: containerd records the container as exited
		// (StartError, 128); the kubelet reports RunContainerError until it restarts it.
		cs.newInstance(ev.ContainerID)
		// It never started: containerd's StartedAt is 0, which the kubelet reports as the Unix epoch.
		cs.term = &corev1.ContainerStateTerminated{ExitCode: int32(ev.ExitCode), Reason: ev.Reason, Message: ev.Message,
			StartedAt: metav1.NewTime(time.Unix(0, 0).UTC()), FinishedAt: metav1.NewTime(ev.FinishedAt),
			ContainerID: "containerd://" + ev.ContainerID}
		k.rec.ContainerEvent(pod, ev.Container, corev1.EventTypeNormal, "Created", "Container created")
		k.rec.ContainerEvent(pod, ev.Container, corev1.EventTypeWarning, "Failed", "Error: "+ev.Message)
		cs.waitReason, cs.waitMessage = "RunContainerError", ev.Message
		// The PLEG's relist sees the exited container within a second; that sync restarts it.
		d.sooner(now.Add(plegRelistPeriod), work.Trigger{Note: "trigger.pleg_relist", Args: map[string]any{"Pod": key}})
		cs.failed = true
	case cri.ContainerExited:
		if !cs.running || cs.id != ev.ContainerID {
			return
		}
		cs.running = false
		cs.term = &corev1.ContainerStateTerminated{ExitCode: int32(ev.ExitCode), Reason: ev.Reason,
			StartedAt: metav1.NewTime(ev.StartedAt), FinishedAt: metav1.NewTime(ev.FinishedAt),
			ContainerID: "containerd://" + ev.ContainerID}
	}
}

// newInstance records that a new instance of the container exists: the end of the current one
// becomes the last state, and the restart count is the new instance's.
func (cs *containerState) newInstance(id string) {
	if cs.term != nil {
		cs.prevTerm = cs.term
		cs.term = nil
	}
	cs.restarts = cs.instances
	cs.instances++
	cs.id = id
	cs.running = false
}

func (k *Kubelet) resyncTrigger(pod, container string, delay time.Duration) work.Trigger {
	return work.Trigger{Note: "trigger.kubelet_retry", Args: map[string]any{"Pod": pod, "Container": container, "Delay": delay.String()}}
}

func specContainer(pod *corev1.Pod, name string) *corev1.Container {
	for i := range pod.Spec.Containers {
		if pod.Spec.Containers[i].Name == name {
			return &pod.Spec.Containers[i]
		}
	}
	return nil
}

// syncContainers does what each container needs now, as SyncPod's computePodActions: start
// what never ran, restart what ended when the restart policy says so (after the crash-loop
// back-off), and leave what runs or is under way.
func (k *Kubelet) syncContainers(pod *corev1.Pod, st *podState, d *due) {
	now := k.clock.Now()
	key := pod.Namespace + "/" + pod.Name
	for i := range pod.Spec.Containers {
		c := &pod.Spec.Containers[i]
		cs := st.container(c.Name)
		switch {
		case cs.failed:
			cs.failed = false
			continue
		case cs.invalidImage != "", cs.pulling, cs.starting, cs.running:
			continue
		case cs.term != nil && cs.replace:
			cs.replace = false
			k.ensureImage(pod, st, c, cs, d)
		case cs.term != nil:
			// A container killed for a failed probe restarts unless the policy is Never, whatever
			// its exit code (computePodActions: shouldRestartOnFailure).
			killed := cs.killing && pod.Spec.RestartPolicy != corev1.RestartPolicyNever
			if !shouldRestart(pod.Spec.RestartPolicy, cs.term.ExitCode) && !killed {
				continue
			}
			// pkg/kubelet/kuberuntime/kuberuntime_manager.go, doBackOff: the back-off counts from
			// when the newest exited instance finished, in the pod status read before the sync.
			// A container killed for a failed probe is started again in the SyncPod that killed
			// it, whose status still shows it running: the newest exited instance is the one
			// before it. After a first kill there is none, and the start counts no back-off.
			finished := cs.term.FinishedAt.Time
			since := finished
			if killed {
				if cs.prevTerm == nil {
					k.ensureImage(pod, st, c, cs, d)
					continue
				}
				since = cs.prevTerm.FinishedAt.Time
			}
			if cs.crashBackoff.inBackOffSince(since, now, crashBackOffExpiry) {
				delay := cs.crashBackoff.delay
				podDesc := pod.Name + "_" + pod.Namespace + "(" + string(pod.UID) + ")" // pkg/kubelet/util/format/pod.go
				backOff := "Back-off restarting failed container " + c.Name + " in pod " + podDesc
				k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeWarning, "BackOff", backOff)
				if killed {
					// The killed container waits out the back-off like a crashed one: the PLEG's
					// sync that sees it exited backs off again (a second BackOff), by its
					// restart policy and exit code from then on.
					cs.killing = false
					if !shouldRestart(pod.Spec.RestartPolicy, cs.term.ExitCode) {
						continue
					}
					k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeWarning, "BackOff", backOff)
				}
				cs.waitReason = "CrashLoopBackOff"
				cs.waitMessage = "back-off " + delay.String() + " restarting failed container=" + c.Name + " pod=" + podDesc
				// The pod worker syncs again when the back-off ends. (A real one also syncs every
				// resyncInterval meanwhile, each time repeating this BackOff event and nothing else;
				// the engine leaves those out, so that an hour of a crash loop is a dozen steps a
				// pod, not sixty.)
				d.sooner(finished.Add(delay), work.Trigger{Note: "trigger.crashloop_backoff",
					Args: map[string]any{"Pod": key, "Container": c.Name, "Delay": delay.String()}})
				continue
			}
			cs.crashBackoff.next(since, now, crashBackOffInitial, crashBackOffMax, crashBackOffExpiry)
			k.ensureImage(pod, st, c, cs, d)
		default:
			k.ensureImage(pod, st, c, cs, d)
		}
	}
}

// replaceChanged kills the running containers whose image the pod's spec changed, to start them
// again with the new one (computePodActions, pkg/kubelet/kuberuntime/kuberuntime_manager.go).
func (k *Kubelet) replaceChanged(pod *corev1.Pod, st *podState) {
	for i := range pod.Spec.Containers {
		c := &pod.Spec.Containers[i]
		cs := st.container(c.Name)
		if !cs.running || cs.image == c.Image || cs.replace {
			continue
		}
		k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeNormal, "Killing",
			fmt.Sprintf("Container %s definition changed, will be restarted", c.Name))
		cs.replace = true
		k.rt.StopContainer(pod.Namespace+"/"+pod.Name, c.Name, gracePeriod(pod))
		cs.killing = true
	}
}

// gracePeriod is the pod's terminationGracePeriodSeconds.
func gracePeriod(pod *corev1.Pod) time.Duration {
	if g := pod.Spec.TerminationGracePeriodSeconds; g != nil {
		return time.Duration(*g) * time.Second
	}
	return 30 * time.Second
}

// shouldRestart is the restart policy's answer for an ended container
// (pkg/kubelet/container/helpers.go, ShouldContainerBeRestarted).
func shouldRestart(policy corev1.RestartPolicy, exitCode int32) bool {
	switch policy {
	case corev1.RestartPolicyNever:
		return false
	case corev1.RestartPolicyOnFailure:
		return exitCode != 0
	}
	return true
}

// ensureImage is EnsureImageExists (pkg/kubelet/images/image_manager.go): use the image on the
// node when the pull policy allows, wait out the pull back-off, or pull.
func (k *Kubelet) ensureImage(pod *corev1.Pod, st *podState, c *corev1.Container, cs *containerState, d *due) {
	now := k.clock.Now()
	key := pod.Namespace + "/" + pod.Name
	if c.Image != cs.image {
		// The pull back-off is kept per pod and image (backOffKey "<pod uid>_<image>").
		cs.image, cs.pullBackoff, cs.prevPullErr, cs.pullFailures = c.Image, backoff{}, "", 0
	}
	if c.ImagePullPolicy != corev1.PullAlways && k.rt.HasImage(c.Image) {
		// KubeletEnsureSecretPulledImages (beta, on since v1.35): an image the kubelet pulled
		// itself without credentials may be used by any pod.
		k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeNormal, "Pulled",
			"Container image "+strconv.Quote(c.Image)+" already present on machine and can be accessed by the pod")
		k.launch(pod, st, c, cs)
		return
	}
	if c.ImagePullPolicy == corev1.PullNever {
		msg := fmt.Sprintf("Container image %q is not present with pull policy of Never", c.Image)
		k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeWarning, "ErrImageNeverPull", msg)
		k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeWarning, "Failed", "Error: ErrImageNeverPull")
		cs.waitReason, cs.waitMessage = "ErrImageNeverPull", msg
		d.sooner(now.Add(backOffPeriod), k.resyncTrigger(key, c.Name, backOffPeriod))
		return
	}
	if cs.pullBackoff.inBackOffSinceUpdate(now, 2*imageBackOffMax) {
		msg := fmt.Sprintf("Back-off pulling image %q", c.Image)
		k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeNormal, "BackOff", msg)
		k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeWarning, "Failed", "Error: ImagePullBackOff")
		cs.waitReason, cs.waitMessage = "ImagePullBackOff", msg+": "+cs.prevPullErr
		d.sooner(now.Add(backOffPeriod), work.Trigger{Note: "trigger.image_backoff",
			Args: map[string]any{"Pod": key, "Container": c.Name, "Image": c.Image, "Delay": cs.pullBackoff.delay.String()}})
		return
	}
	k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeNormal, "Pulling", fmt.Sprintf("Pulling image %q", c.Image))
	cs.pulling = true
	k.rt.PullImage(key, c.Name, c.Image)
}

// launch asks the runtime to create and start the container.
func (k *Kubelet) launch(pod *corev1.Pod, st *podState, c *corev1.Container, cs *containerState) {
	cs.starting = true
	var limit int64
	if q, ok := c.Resources.Limits[corev1.ResourceMemory]; ok {
		limit = q.Value()
	}
	k.rt.CreateAndStart(cri.ContainerSpec{Pod: pod.Namespace + "/" + pod.Name, Container: c.Name, Image: c.Image,
		Command: c.Command, Args: c.Args, Env: k.containerEnv(pod, c, st.ip), Hostname: podHostname(pod),
		PodIP: st.ip, MemoryLimit: limit})
}

// podHostname is the pod's hostname: spec.hostname, or its name (pkg/kubelet/kubelet_pods.go
// GeneratePodHostNameAndDomain, cut to 63 characters).
func podHostname(pod *corev1.Pod) string {
	h := pod.Name
	if pod.Spec.Hostname != "" {
		h = pod.Spec.Hostname
	}
	if len(h) > 63 {
		h = h[:63]
	}
	return h
}

// admitContainers checks each container's image reference when the pod arrives: one that does
// not parse is never pulled (the API server does not check it), and the container waits as
// EnsureImageExists and startContainer leave it.
func (k *Kubelet) admitContainers(pod *corev1.Pod, st *podState) {
	for _, c := range pod.Spec.Containers {
		cs := st.container(c.Name)
		if _, err := imageref.WithDefaultTag(c.Image); err != nil {
			cs.invalidImage = fmt.Sprintf("Failed to apply default image tag %q: %v", c.Image, err)
			k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeWarning, "InspectFailed", cs.invalidImage)
			k.rec.ContainerEvent(pod, c.Name, corev1.EventTypeWarning, "Failed", "Error: InvalidImageName")
		}
	}
}

// containerStatus is a container's status as convertToAPIContainerStatuses reports it.
func (k *Kubelet) containerStatus(pod *corev1.Pod, c *corev1.Container, cs *containerState) corev1.ContainerStatus {
	f := false
	s := corev1.ContainerStatus{Name: c.Name, Image: c.Image, RestartCount: cs.restarts, Started: &f}
	s.VolumeMounts = volumeMountStatuses(*c)
	if cs.id != "" {
		s.ContainerID = "containerd://" + cs.id
		s.ImageID = cs.imageID
		s.Image = k.rt.ImageName(c.Image)
	}
	if cs.prevTerm != nil {
		s.LastTerminationState.Terminated = cs.prevTerm.DeepCopy()
	}
	switch {
	case cs.running:
		t := true
		s.Ready, s.Started = k.containerReady(c, cs), &t
		s.State.Running = &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(cs.startedAt.Truncate(time.Second))}
	case cs.invalidImage != "":
		s.State.Waiting = &corev1.ContainerStateWaiting{Reason: "InvalidImageName", Message: cs.invalidImage}
	case cs.term != nil && cs.waitReason != "" && shouldRestart(pod.Spec.RestartPolicy, cs.term.ExitCode):
		// An ended container the kubelet will start again waits, its end now its last state.
		s.LastTerminationState.Terminated = cs.term.DeepCopy()
		s.State.Waiting = &corev1.ContainerStateWaiting{Reason: cs.waitReason, Message: cs.waitMessage}
	case cs.term != nil:
		t := cs.term.DeepCopy()
		t.StartedAt = metav1.NewTime(t.StartedAt.Truncate(time.Second))
		t.FinishedAt = metav1.NewTime(t.FinishedAt.Truncate(time.Second))
		s.State.Terminated = t
	case cs.waitReason != "":
		s.State.Waiting = &corev1.ContainerStateWaiting{Reason: cs.waitReason, Message: cs.waitMessage}
	default:
		s.State.Waiting = &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}
	}
	truncateTerm(s.LastTerminationState.Terminated)
	return s
}

func truncateTerm(t *corev1.ContainerStateTerminated) {
	if t == nil {
		return
	}
	if !t.StartedAt.IsZero() {
		t.StartedAt = metav1.NewTime(t.StartedAt.Truncate(time.Second))
	}
	t.FinishedAt = metav1.NewTime(t.FinishedAt.Truncate(time.Second))
}

// containerReady is whether a running container is ready: without a readiness probe, as soon as
// it runs.
func (k *Kubelet) containerReady(_ *corev1.Container, cs *containerState) bool { return cs.running }

// podPhase is getPhase (pkg/kubelet/kubelet_pods.go) for regular containers: Pending while one
// has never started, Running while one runs or will be restarted, then Succeeded or Failed.
func podPhase(pod *corev1.Pod, statuses []corev1.ContainerStatus) corev1.PodPhase {
	running, waiting, stopped, succeeded := 0, 0, 0, 0
	for _, s := range statuses {
		switch {
		case s.State.Running != nil:
			running++
		case s.State.Terminated != nil:
			stopped++
			if s.State.Terminated.ExitCode == 0 {
				succeeded++
			}
		case s.State.Waiting != nil:
			if s.LastTerminationState.Terminated != nil {
				stopped++
			} else {
				waiting++
			}
		}
	}
	switch {
	case waiting > 0:
		return corev1.PodPending
	case running > 0:
		return corev1.PodRunning
	case stopped > 0:
		if pod.Spec.RestartPolicy == corev1.RestartPolicyAlways {
			return corev1.PodRunning
		}
		if stopped == succeeded {
			return corev1.PodSucceeded
		}
		if pod.Spec.RestartPolicy == corev1.RestartPolicyNever {
			return corev1.PodFailed
		}
		// OnFailure: a failed container is restarted.
		return corev1.PodRunning
	}
	return corev1.PodPending
}
