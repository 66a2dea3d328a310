package runtime

import (
	"time"

	"github.com/k8slearn/k8slearn/engine/component"
)

// ContainerStopped tells the kubelet that one container exited after StopContainer.
const ContainerStopped EventType = "ContainerStopped"

const opStopContainer opKind = "stopc"

// StopContainer stops one container of a pod (CRI StopContainer, as the kubelet's killContainer
// calls it): SIGTERM, then SIGKILL after grace. A process that handles SIGTERM (nginx, httpd,
// redis) exits at once with code 0; one that does not (a shell as PID 1 ignores it) is killed
// when grace runs out, exit code 137.
func (r *Runtime) StopContainer(pod, container string, grace time.Duration, handlesSIGTERM bool) {
	d, code := time.Duration(100+r.rand.IntN(400))*time.Millisecond, 0
	if !handlesSIGTERM {
		d, code = grace, 137
	}
	r.start(string(opStopContainer)+"/"+pod+"/"+container, op{kind: opStopContainer, pod: pod, container: container, exitCode: code}, d, "StopContainer")
}

// finishStopContainer reports a stopped container.
func (r *Runtime) finishStopContainer(o op) component.Result {
	running := r.running[o.pod][:0]
	for _, c := range r.running[o.pod] {
		if c != o.container {
			running = append(running, c)
		}
	}
	r.running[o.pod] = running
	now := r.clock.Now()
	r.send(Event{Type: ContainerStopped, Pod: o.pod, Container: o.container, ExitCode: o.exitCode, FinishedAt: now})
	return component.Result{Notes: []component.Note{{ID: "trace.note.container_stopped",
		Args: map[string]any{"Container": o.container, "Pod": o.pod, "ExitCode": o.exitCode}}}}
}
