// Package runtime is a simulated CRI container runtime (containerd) for one node. The kubelet asks
// it to run a pod sandbox, pull an image, create and start a container, or stop a pod; each call
// takes simulated time and, when done, the runtime tells the kubelet, as the kubelet's pod lifecycle
// event generator would notice. It never talks to the API server.
package runtime

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
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
	ImagePulled      EventType = "ImagePulled"
	ContainerStarted EventType = "ContainerStarted"
	PodStopped       EventType = "PodStopped"
)

// Event tells the kubelet that an operation finished.
type Event struct {
	Type      EventType
	Pod       string // namespace/name
	Container string
	Image     string
	// For ImagePulled: how long the pull took and the image's size.
	PullTime  time.Duration
	ImageSize int64
	ImageID   string
	// For ContainerStarted.
	ContainerID string
	StartedAt   time.Time
	// For ContainerStopped.
	ExitCode   int
	FinishedAt time.Time
}

type opKind string

const (
	opPull  opKind = "pull"
	opStart opKind = "start"
	opStop  opKind = "stop"
)

type op struct {
	kind      opKind
	pod       string
	container string
	image     string
	began     time.Time
	exitCode  int // for opStopContainer
}

// Runtime is one node's container runtime.
type Runtime struct {
	node   string
	clock  clock.Clock
	rand   *rand.Rand
	queue  *work.Queue
	ops    map[string]op
	images map[string]bool // images present on the node
	notify func(Event)
	// running containers per pod, for the node view
	running map[string][]string
}

// New returns the runtime of node. notify receives finished operations (the kubelet's PLEG).
func New(node string, clk clock.Clock, agenda *work.Agenda, rnd *rand.Rand) *Runtime {
	return &Runtime{node: node, clock: clk, rand: rnd, queue: agenda.NewQueue("containerd/" + node),
		ops: map[string]op{}, images: map[string]bool{}, running: map[string][]string{}}
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
func (r *Runtime) HasImage(image string) bool { return r.images[ImageName(image)] }

// Running lists the containers running for a pod.
func (r *Runtime) Running(pod string) []string { return r.running[pod] }

func (r *Runtime) start(key string, o op, d time.Duration, call string) {
	o.began = r.clock.Now()
	r.ops[key] = o
	r.queue.Add(key, o.began.Add(d), work.Trigger{Kind: work.Runtime, Note: "trigger.cri_call",
		Args: map[string]any{"Call": call, "Pod": o.pod, "Image": o.image, "Container": o.container}})
}

// PullImage starts RunPodSandbox (once per pod) and PullImage for a container. A first pull of an
// image takes seconds; a pull of an image the node has is a quick manifest check.
func (r *Runtime) PullImage(pod, container, image string) {
	d := time.Duration(800+r.rand.IntN(2200)) * time.Millisecond
	if r.HasImage(image) {
		d = time.Duration(150+r.rand.IntN(450)) * time.Millisecond
	}
	r.start(string(opPull)+"/"+pod+"/"+container, op{kind: opPull, pod: pod, container: container, image: image}, d, "PullImage")
}

// CreateAndStart starts CreateContainer then StartContainer.
func (r *Runtime) CreateAndStart(pod, container, image string) {
	d := time.Duration(60+r.rand.IntN(180)) * time.Millisecond
	r.start(string(opStart)+"/"+pod+"/"+container, op{kind: opStart, pod: pod, container: container, image: image}, d, "StartContainer")
}

// StopPod stops a pod's containers (SIGTERM; the simulated processes exit promptly) and removes its
// sandbox.
func (r *Runtime) StopPod(pod string) {
	// Calls still under way for the pod are cancelled.
	for key, o := range r.ops {
		if o.pod == pod {
			delete(r.ops, key)
			r.queue.Remove(key)
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
		img := ImageName(o.image)
		r.images[img] = true
		ev := Event{Type: ImagePulled, Pod: o.pod, Container: o.container, Image: o.image, PullTime: took,
			ImageSize: ImageSize(img), ImageID: ImageID(img)}
		r.send(ev)
		return component.Result{Notes: []component.Note{{ID: "trace.note.image_pulled",
			Args: map[string]any{"Image": o.image, "Duration": took.Truncate(time.Millisecond).String(), "Pod": o.pod}}}}
	case opStart:
		id := r.containerID()
		r.running[o.pod] = append(r.running[o.pod], o.container)
		r.send(Event{Type: ContainerStarted, Pod: o.pod, Container: o.container, Image: o.image, ContainerID: id,
			StartedAt: r.clock.Now(), ImageID: ImageID(ImageName(o.image))})
		return component.Result{Notes: []component.Note{{ID: "trace.note.container_started",
			Args: map[string]any{"Container": o.container, "Pod": o.pod, "ID": id[:13]}}}}
	case opStopContainer:
		return r.finishStopContainer(o)
	default:
		delete(r.running, o.pod)
		r.send(Event{Type: PodStopped, Pod: o.pod})
		return component.Result{Notes: []component.Note{{ID: "trace.note.pod_stopped", Args: map[string]any{"Pod": o.pod}}}}
	}
}

func (r *Runtime) send(ev Event) {
	if r.notify != nil {
		r.notify(ev)
	}
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

// knownSizes are compressed sizes of a few popular images, so the Pulled event reads like a real one.
func knownSize(image string) (int64, bool) {
	switch {
	case strings.HasPrefix(image, "docker.io/library/nginx:"):
		return 72195292, true
	case strings.HasPrefix(image, "docker.io/library/busybox:"):
		return 2156518, true
	case strings.HasPrefix(image, "docker.io/library/redis:"):
		return 45008318, true
	case strings.HasPrefix(image, "docker.io/library/httpd:"):
		return 58932122, true
	}
	return 0, false
}

// ImageSize is the simulated size of an image: a known one, or a stable size derived from its name.
func ImageSize(image string) int64 {
	if n, ok := knownSize(image); ok {
		return n
	}
	h := fnv.New32a()
	h.Write([]byte(image))
	return 5_000_000 + int64(h.Sum32()%90_000_000)
}

// ImageID is the digest reference kubelet reports as a container's imageID: the repository of the
// image (its ImageName) with a digest derived from the name.
func ImageID(image string) string {
	name := image
	if repo, _, _, err := imageref.Parse(image); err == nil {
		name = repo
	}
	sum := sha256.Sum256([]byte(image))
	return fmt.Sprintf("%s@sha256:%s", name, hex.EncodeToString(sum[:]))
}
