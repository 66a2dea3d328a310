// Package runtime is a simulated CRI container runtime (containerd) for one node. The kubelet asks
// it to run a pod sandbox, pull an image, create and start a container, or stop a pod; each call
// takes simulated time and, when done, the runtime tells the kubelet, as the kubelet's pod lifecycle
// event generator would notice. It never talks to the API server.
package runtime

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/imageref"
	"github.com/k8slearn/k8slearn/engine/informer"
	"github.com/k8slearn/k8slearn/engine/work"
)

// Version is what the node reports as its container runtime.
const Version = "containerd://2.1.3"

// EventType is what the runtime reports back to the kubelet.
type EventType string

const (
	ImagePulled          EventType = "ImagePulled"
	ImagePullFailed      EventType = "ImagePullFailed"
	ContainerStarted     EventType = "ContainerStarted"
	ContainerStartFailed EventType = "ContainerStartFailed"
	ContainerExited      EventType = "ContainerExited"
	PodStopped           EventType = "PodStopped"
)

// Event tells the kubelet that an operation finished, or that a container ended.
type Event struct {
	Type      EventType
	Pod       string // namespace/name
	Container string
	Image     string
	// For ImagePulled: how long the pull took and the image's size.
	PullTime  time.Duration
	ImageSize int64
	ImageID   string
	// For ImagePullFailed: the runtime's error, as the kubelet receives it.
	Err error
	// For the container events.
	ContainerID string
	StartedAt   time.Time
	// For ContainerExited and ContainerStartFailed.
	FinishedAt time.Time
	ExitCode   int
	Reason     string // Completed, Error, OOMKilled, StartError
	Message    string
}

type opKind string

const (
	opPull  opKind = "pull"
	opStart opKind = "start"
	opStop  opKind = "stop"
	opExit  opKind = "exit"
	// opStopContainer is the kubelet's StopContainer under way.
	opStopContainer opKind = "stopc"
)

type op struct {
	kind      opKind
	pod       string
	container string
	image     string
	spec      ContainerSpec
	began     time.Time
	// For opExit: how the container ends.
	exitCode int
	reason   string
}

// ContainerSpec is what the kubelet asks the runtime to run (CRI's ContainerConfig, cut down).
type ContainerSpec struct {
	Pod       string // namespace/name
	Container string
	Image     string
	Command   []string
	Args      []string
	// Env is the environment the kubelet sets (the pod's variables, then the Services'); the
	// image's comes first.
	Env         []string
	Hostname    string
	PodIP       string
	MemoryLimit int64 // bytes; 0: none
}

// Runtime is one node's container runtime.
type Runtime struct {
	node       string
	cpus       int
	clock      clock.Clock
	rand       *rand.Rand
	queue      *work.Queue
	ops        map[string]op
	images     map[string]bool // images present on the node
	registries *Registries
	commands   Commands
	scripts    *scriptCache
	notify     func(Event)
	// containers holds each pod's containers: the current instance, and the one before it
	// (what `kubectl logs --previous` reads).
	containers map[string]map[string]*containerPair
}

// containerPair is a container's current and previous instances.
type containerPair struct{ cur, prev *Instance }

// Config is what a node's runtime is built with.
type Config struct {
	Node       string
	CPUs       int         // for programs that size themselves to the node (nginx's workers)
	Registries *Registries // shared by every node (nil: a fresh catalogue)
	Commands   Commands    // what containers can run (nil: DefaultCommands)
}

// New returns the runtime of a node. notify receives finished operations (the kubelet's PLEG).
func New(cfg Config, clk clock.Clock, agenda *work.Agenda, rnd *rand.Rand) *Runtime {
	if cfg.Registries == nil {
		cfg.Registries = NewRegistries()
	}
	if cfg.Commands == nil {
		cfg.Commands = DefaultCommands()
	}
	return &Runtime{node: cfg.Node, cpus: cfg.CPUs, clock: clk, rand: rnd, queue: agenda.NewQueue("containerd/" + cfg.Node),
		ops: map[string]op{}, images: map[string]bool{}, registries: cfg.Registries, commands: cfg.Commands,
		scripts: &scriptCache{}, containers: map[string]map[string]*containerPair{}}
}

// SetNotify connects the runtime to its kubelet.
func (r *Runtime) SetNotify(f func(Event)) { r.notify = f }

// Name implements component.Component.
func (r *Runtime) Name() string { return "containerd/" + r.node }

// Informers implements component.Component: the runtime watches nothing.
func (r *Runtime) Informers() []*informer.Informer { return nil }

// Queue implements component.Component.
func (r *Runtime) Queue() *work.Queue { return r.queue }

// HasImage reports whether the image is already on the node.
func (r *Runtime) HasImage(image string) bool { return r.images[r.registries.Name(image)] }

// ImageName is the name the runtime stores image under (ImageName, remembered).
func (r *Runtime) ImageName(image string) string { return r.registries.Name(image) }

// RemoveImage deletes an image from the node (crictl rmi), so the next container needs a pull.
func (r *Runtime) RemoveImage(image string) { delete(r.images, r.registries.Name(image)) }

// Running lists the containers running for a pod, in name order.
func (r *Runtime) Running(pod string) []string {
	var out []string
	for name, c := range r.containers[pod] {
		if c.cur != nil && c.cur.Running() {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func (r *Runtime) start(key string, o op, d time.Duration, call string) {
	o.began = r.clock.Now()
	r.ops[key] = o
	r.queue.Add(key, o.began.Add(d), work.Trigger{Kind: work.Runtime, Note: "trigger.cri_call",
		Args: map[string]any{"Call": call, "Pod": o.pod, "Image": o.image, "Container": o.container}})
}

// PullImage starts RunPodSandbox (once per pod) and PullImage for a container. A first pull of an
// image takes seconds; a pull of an image the node has is a quick manifest check; a reference
// the registry does not have fails after its round trip.
func (r *Runtime) PullImage(pod, container, image string) {
	d := time.Duration(800+r.rand.IntN(2200)) * time.Millisecond
	if r.HasImage(image) {
		d = time.Duration(150+r.rand.IntN(450)) * time.Millisecond
	}
	r.start(string(opPull)+"/"+pod+"/"+container, op{kind: opPull, pod: pod, container: container, image: image}, d, "PullImage")
}

// CreateAndStart starts CreateContainer then StartContainer.
func (r *Runtime) CreateAndStart(spec ContainerSpec) {
	d := time.Duration(60+r.rand.IntN(180)) * time.Millisecond
	r.start(string(opStart)+"/"+spec.Pod+"/"+spec.Container,
		op{kind: opStart, pod: spec.Pod, container: spec.Container, image: spec.Image, spec: spec}, d, "StartContainer")
}

// StopPod stops a pod's containers (SIGTERM; the simulated processes exit promptly) and removes its
// sandbox.
func (r *Runtime) StopPod(pod string) {
	// Calls still under way for the pod, and its containers' ends, are cancelled.
	for key, o := range r.ops {
		if o.pod == pod {
			delete(r.ops, key)
			r.queue.Remove(key)
			r.queue.CancelTimer(key)
		}
	}
	d := time.Duration(100+r.rand.IntN(400)) * time.Millisecond
	r.start(string(opStop)+"/"+pod, op{kind: opStop, pod: pod}, d, "StopPodSandbox")
}

// Process finishes one operation and tells the kubelet.
func (r *Runtime) Process(it work.Item) component.Result {
	o, ok := r.ops[it.Key]
	if !ok {
		return component.Result{}
	}
	delete(r.ops, it.Key)
	took := r.clock.Now().Sub(o.began)
	switch o.kind {
	case opPull:
		return r.finishPull(o, took)
	case opStart:
		return r.startContainer(o)
	case opExit:
		return r.containerExited(o)
	case opStopContainer:
		return r.finishStopContainer(o)
	default:
		for _, c := range r.containers[o.pod] {
			if c.cur != nil && c.cur.Running() {
				c.cur.end(r.clock.Now(), 0, "Completed")
			}
		}
		delete(r.containers, o.pod)
		r.send(Event{Type: PodStopped, Pod: o.pod})
		return component.Result{Notes: []component.Note{{ID: "trace.note.pod_stopped", Args: map[string]any{"Pod": o.pod}}}}
	}
}

func (r *Runtime) finishPull(o op, took time.Duration) component.Result {
	im, err := r.registries.Resolve(o.image)
	if err != nil {
		r.send(Event{Type: ImagePullFailed, Pod: o.pod, Container: o.container, Image: o.image, Err: err})
		return component.Result{Notes: []component.Note{{ID: "trace.note.image_pull_failed",
			Args: map[string]any{"Image": o.image, "Pod": o.pod, "Error": err.Error()}}}}
	}
	r.images[r.registries.Name(o.image)] = true
	r.send(Event{Type: ImagePulled, Pod: o.pod, Container: o.container, Image: o.image, PullTime: took,
		ImageSize: im.Size, ImageID: im.ID()})
	return component.Result{Notes: []component.Note{{ID: "trace.note.image_pulled",
		Args: map[string]any{"Image": o.image, "Duration": took.Truncate(time.Millisecond).String(), "Pod": o.pod}}}}
}

// startContainer creates the container and starts its process. A process the image cannot run
// fails to start (StartError, exit code 128, as containerd's CRI records it:
// internal/cri/server/container_start.go, errorStartReason and errorStartExitCode).
func (r *Runtime) startContainer(o op) component.Result {
	now := r.clock.Now()
	im, ok := r.registries.Lookup(o.image)
	if !ok || !r.HasImage(o.image) {
		// The image went away between pull and start (a fault removed it from the node).
		msg := fmt.Sprintf("failed to create containerd container: get image: image %q: not found", ImageName(o.image))
		r.send(Event{Type: ContainerStartFailed, Pod: o.pod, Container: o.container, Image: o.image,
			FinishedAt: now, ExitCode: 128, Reason: "StartError", Message: msg})
		return component.Result{}
	}
	id := r.containerID()
	spec := o.spec
	ctx := ExecContext{Pod: podName(o.pod), Namespace: podNamespace(o.pod), Container: o.container, Node: r.node,
		PodIP: spec.PodIP, Hostname: spec.Hostname, Env: containerEnv(im, spec), Image: im}
	proc := interpret(procEnv{image: im, ctx: ctx, start: now, cpus: r.cpus, commands: r.commands, scripts: r.scripts},
		ContainerArgv(im, spec.Command, spec.Args))
	inst := &Instance{ID: id, Spec: spec, Image: im, Proc: proc, Started: now, ctx: ctx}
	pair := r.pair(o.pod, o.container)
	if pair.cur != nil {
		pair.prev = pair.cur
	}
	pair.cur = inst
	if proc.StartError != "" {
		inst.end(now, 128, "StartError")
		inst.Started = time.Time{}
		inst.Message = proc.StartError
		r.send(Event{Type: ContainerStartFailed, Pod: o.pod, Container: o.container, Image: o.image, ContainerID: id,
			FinishedAt: now, ExitCode: 128, Reason: "StartError", Message: proc.StartError})
		return component.Result{Notes: []component.Note{{ID: "trace.note.container_start_failed",
			Args: map[string]any{"Container": o.container, "Pod": o.pod, "ID": id[:13]}}}}
	}
	r.send(Event{Type: ContainerStarted, Pod: o.pod, Container: o.container, Image: o.image, ContainerID: id,
		StartedAt: now, ImageID: im.ID()})
	notes := []component.Note{{ID: "trace.note.container_started",
		Args: map[string]any{"Container": o.container, "Pod": o.pod, "ID": id[:13]}}}
	if proc.Unsupported {
		notes = append(notes, component.Note{ID: "trace.note.command_not_simulated",
			Args: map[string]any{"Container": o.container, "Command": strings.Join(proc.Argv, " ")}})
	}
	if n, ended := r.scheduleEnd(o.pod, o.container, inst); ended {
		// A process that ends as it starts (echo; exit 1) ends within this call.
		notes = append(notes, n)
	}
	return component.Result{Notes: notes}
}

// scheduleEnd queues the container's end, when its process has one: its own exit, or the
// kernel's OOM kill when its memory passes the limit. An end at the very start happens at once
// (ended, with its note); one within a second of the start is the runtime's ongoing work (`run`
// goes on to it); a later one is a timer, which only the passing of time reaches (`wait`).
func (r *Runtime) scheduleEnd(pod, container string, inst *Instance) (note component.Note, ended bool) {
	proc, limit := inst.Proc, inst.Spec.MemoryLimit
	at, code, reason := time.Duration(-1), 0, ""
	if proc.Exit != nil {
		at, code, reason = proc.Exit.At, proc.Exit.Code, exitReason(proc.Exit.Code)
	}
	if limit > 0 && proc.Memory > limit && (at < 0 || proc.MemoryAt < at) {
		// cgroup v2 with memory.oom.group (the kubelet's default since v1.28): the whole
		// container is killed, SIGKILL, exit code 137.
		at, code, reason = proc.MemoryAt, 137, "OOMKilled"
	}
	switch {
	case at < 0:
		return component.Note{}, false
	case at == 0:
		return r.exited(pod, container, inst, code, reason), true
	}
	r.endAt(pod, container, inst.Started.Add(at), code, reason, at < time.Second)
	return component.Note{}, false
}

// endAt queues a container's end at t.
func (r *Runtime) endAt(pod, container string, t time.Time, code int, reason string, soon bool) {
	key := string(opExit) + "/" + pod + "/" + container
	r.queue.Remove(key) // a new end replaces one queued before (a stop before the process's own exit)
	r.queue.CancelTimer(key)
	r.ops[key] = op{kind: opExit, pod: pod, container: container, began: r.clock.Now(), exitCode: code, reason: reason}
	trig := work.Trigger{Kind: work.Runtime, Note: "trigger.container_exit",
		Args: map[string]any{"Pod": pod, "Container": container, "Code": code, "Reason": reason}}
	if soon {
		r.queue.Add(key, t, trig)
		return
	}
	r.queue.AddTimer(key, t, trig)
}

// exitReason is containerd's reason for an exit code (internal/cri/server/helpers.go:
// completeExitReason, errorExitReason).
func exitReason(code int) string {
	if code == 0 {
		return "Completed"
	}
	return "Error"
}

func (r *Runtime) containerExited(o op) component.Result {
	pair := r.containers[o.pod][o.container]
	if pair == nil || pair.cur == nil || !pair.cur.Running() {
		return component.Result{}
	}
	return component.Result{Notes: []component.Note{r.exited(o.pod, o.container, pair.cur, o.exitCode, o.reason)}}
}

// exited ends a container's process now and tells the kubelet.
func (r *Runtime) exited(pod, container string, inst *Instance, code int, reason string) component.Note {
	now := r.clock.Now()
	inst.end(now, code, reason)
	r.send(Event{Type: ContainerExited, Pod: pod, Container: container, ContainerID: inst.ID, StartedAt: inst.Started,
		FinishedAt: now, ExitCode: code, Reason: reason})
	return component.Note{ID: "trace.note.container_exited",
		Args: map[string]any{"Container": container, "Pod": pod, "Code": code, "Reason": reason}}
}

func (r *Runtime) pair(pod, container string) *containerPair {
	m := r.containers[pod]
	if m == nil {
		m = map[string]*containerPair{}
		r.containers[pod] = m
	}
	p := m[container]
	if p == nil {
		p = &containerPair{}
		m[container] = p
	}
	return p
}

// Container returns a container's current instance (previous: the one before it).
func (r *Runtime) Container(pod, container string, previous bool) (*Instance, bool) {
	p := r.containers[pod][container]
	if p == nil {
		return nil, false
	}
	inst := p.cur
	if previous {
		inst = p.prev
	}
	return inst, inst != nil
}

// StopContainer is the kubelet's CRI StopContainer (its killContainer): SIGTERM, then SIGKILL
// when the grace period runs out. A process with a SIGTERM handler (nginx) ends within the call
// with its own code; one without (a shell as PID 1 ignores the signal) is killed when grace runs
// out, exit code 137. The call finishes when the container has stopped.
func (r *Runtime) StopContainer(pod, container string, grace time.Duration) {
	inst, ok := r.Container(pod, container, false)
	if !ok || !inst.Running() {
		return
	}
	d, code := grace, 137
	if t := inst.Proc.Term; t != nil {
		inst.extra = append(inst.extra, t.Lines(r.clock.Now().Sub(inst.Started))...)
		d, code = time.Duration(100+r.rand.IntN(400))*time.Millisecond, t.Code
	}
	r.start(string(opStopContainer)+"/"+pod+"/"+container,
		op{kind: opStopContainer, pod: pod, container: container, exitCode: code, reason: exitReason(code)}, d, "StopContainer")
}

// finishStopContainer ends a stopped container, unless it ended by itself meanwhile.
func (r *Runtime) finishStopContainer(o op) component.Result {
	inst, ok := r.Container(o.pod, o.container, false)
	if !ok || !inst.Running() {
		return component.Result{}
	}
	key := string(opExit) + "/" + o.pod + "/" + o.container
	delete(r.ops, key) // its own end, if it had one ahead, no longer comes
	r.queue.Remove(key)
	r.queue.CancelTimer(key)
	n := r.exited(o.pod, o.container, inst, o.exitCode, o.reason)
	n.ID, n.Args = "trace.note.container_stopped", map[string]any{"Container": o.container, "Pod": o.pod, "ExitCode": o.exitCode}
	return component.Result{Notes: []component.Note{n}}
}

// signal delivers SIGTERM to a process that handles it: its last lines, then its exit.
func (r *Runtime) signal(pod, container string, inst *Instance, now time.Time) {
	t := inst.Proc.Term
	at := now.Sub(inst.Started)
	inst.extra = append(inst.extra, t.Lines(at)...)
	r.endAt(pod, container, now.Add(10*time.Millisecond), t.Code, exitReason(t.Code), true)
}

func (r *Runtime) send(ev Event) {
	if r.notify != nil {
		r.notify(ev)
	}
}

func podName(key string) string {
	_, name, _ := strings.Cut(key, "/")
	return name
}

func podNamespace(key string) string {
	ns, _, _ := strings.Cut(key, "/")
	return ns
}

// containerEnv is a container's environment as containerd builds it: the image's PATH,
// HOSTNAME, the rest of the image's variables, then the kubelet's (a kubelet variable replaces an
// image one of the same name, in the image's place).
func containerEnv(im *Image, spec ContainerSpec) []string {
	// out keeps each name's last "name=value" as given, in the place its name first came, so
	// that the result shares its strings. A container has a few variables: a linear search
	// costs less than a map.
	out := make([]string, 0, len(im.Env)+len(spec.Env)+2)
	add := func(kv string) {
		k, _, found := strings.Cut(kv, "=")
		if !found {
			kv += "="
		}
		for i, have := range out {
			if len(have) > len(k) && have[len(k)] == '=' && have[:len(k)] == k {
				out[i] = kv
				return
			}
		}
		out = append(out, kv)
	}
	for i, kv := range im.Env {
		add(kv)
		if i == 0 {
			add("HOSTNAME=" + spec.Hostname)
		}
	}
	if len(im.Env) == 0 {
		add("HOSTNAME=" + spec.Hostname)
	}
	for _, kv := range spec.Env {
		add(kv)
	}
	for _, kv := range out {
		if strings.HasPrefix(kv, "HOME=") {
			return out
		}
	}
	return append(out, "HOME=/root")
}

// containerID is a 64-hex container id, as containerd's.
func (r *Runtime) containerID() string {
	b := make([]byte, 32)
	for i := range b {
		b[i] = byte(r.rand.IntN(256))
	}
	return hex.EncodeToString(b)
}

// ImageName is the name the runtime stores an image under and reports in a container's status,
// "docker.io/library/nginx:latest" for "nginx"; an image that does not parse (the kubelet never
// passes one) stays as it is.
func ImageName(image string) string {
	if n, err := imageref.Normalize(image); err == nil {
		return n
	}
	return image
}

// ErrNotRunning is a fault aimed at a container that has no running process.
var ErrNotRunning = errors.New("container not running")

// Crash makes a running container's process exit now with code (a fault).
func (r *Runtime) Crash(pod, container string, code int) error {
	inst, ok := r.Container(pod, container, false)
	if !ok || !inst.Running() {
		return ErrNotRunning
	}
	r.endAt(pod, container, r.clock.Now(), code&0xff, exitReason(code&0xff), true)
	return nil
}

// OOM makes a running container's memory pass its limit (a fault): the kernel kills it, and
// containerd reports OOMKilled, exit code 137.
func (r *Runtime) OOM(pod, container string) error {
	inst, ok := r.Container(pod, container, false)
	if !ok || !inst.Running() {
		return ErrNotRunning
	}
	r.endAt(pod, container, r.clock.Now(), 137, "OOMKilled", true)
	return nil
}
