package kubelet

import (
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	cri "github.com/k8slearn/k8slearn/engine/runtime"
)

// ContainerLogs is the kubelet's GET /containerLogs/NS/POD/CONTAINER: it finds the container
// instance from the pod's status as validateContainerLogStatus does (k8s.io/kubernetes v1.37.2
// pkg/kubelet/kubelet_pods.go), with its errors, and reads that instance's log.
func (k *Kubelet) ContainerLogs(ns, name, container string, previous bool) (apiserver.ContainerLog, error) {
	pod, ok := k.pod(ns, name)
	if !ok {
		return apiserver.ContainerLog{}, fmt.Errorf("pod %q not found", name)
	}
	id, err := containerLogID(pod, container, previous)
	if err != nil {
		return apiserver.ContainerLog{}, err
	}
	inst, ok := k.instance(ns+"/"+name, container, id)
	if !ok {
		// The runtime no longer has it (the pod was stopped).
		return apiserver.ContainerLog{}, fmt.Errorf("container %q in pod %q is not available", container, name)
	}
	lines := inst.Logs(k.clock.Now(), 0)
	out := apiserver.ContainerLog{Lines: make([]apiserver.LogLine, len(lines)), Running: inst.Running()}
	for i, l := range lines {
		out.Lines[i] = apiserver.LogLine{Time: l.Time, Text: l.Text}
	}
	return out, nil
}

func (k *Kubelet) pod(ns, name string) (*corev1.Pod, bool) {
	obj, ok := k.podInf.Get(ns + "/" + name)
	if !ok {
		return nil, false
	}
	return obj.(*corev1.Pod), true
}

// instance finds a container instance by its id: the current one, or the one before.
func (k *Kubelet) instance(pod, container, id string) (*cri.Instance, bool) {
	for _, previous := range []bool{false, true} {
		if inst, ok := k.rt.Container(pod, container, previous); ok && inst.ID == id {
			return inst, true
		}
	}
	return nil, false
}

// containerLogID is validateContainerLogStatus: which container instance a log request reads,
// or why there is none.
func containerLogID(pod *corev1.Pod, container string, previous bool) (string, error) {
	var cs *corev1.ContainerStatus
	for i := range pod.Status.ContainerStatuses {
		if pod.Status.ContainerStatuses[i].Name == container {
			cs = &pod.Status.ContainerStatuses[i]
		}
	}
	if cs == nil {
		return "", fmt.Errorf("container %q in pod %q is not available", container, pod.Name)
	}
	last := cs.LastTerminationState.Terminated
	waiting, running, terminated := cs.State.Waiting, cs.State.Running, cs.State.Terminated
	var id string
	switch {
	case previous:
		if last == nil || last.ContainerID == "" {
			return "", fmt.Errorf("previous terminated container %q in pod %q not found", container, pod.Name)
		}
		id = last.ContainerID
	case running != nil:
		id = cs.ContainerID
	case terminated != nil:
		id = terminated.ContainerID
		if id == "" {
			if last == nil || last.ContainerID == "" {
				return "", fmt.Errorf("container %q in pod %q is terminated", container, pod.Name)
			}
			id = last.ContainerID
		}
	case last != nil:
		if last.ContainerID == "" {
			return "", fmt.Errorf("container %q in pod %q is terminated", container, pod.Name)
		}
		id = last.ContainerID
	case waiting != nil:
		switch waiting.Reason {
		case "ErrImagePull":
			return "", fmt.Errorf("container %q in pod %q is waiting to start: image can't be pulled", container, pod.Name)
		case "ImagePullBackOff":
			return "", fmt.Errorf("container %q in pod %q is waiting to start: trying and failing to pull image", container, pod.Name)
		}
		return "", fmt.Errorf("container %q in pod %q is waiting to start: %v", container, pod.Name, waiting.Reason)
	default:
		return "", fmt.Errorf("container %q in pod %q is waiting to start - no logs yet", container, pod.Name)
	}
	return strings.TrimPrefix(id, "containerd://"), nil
}

// Exec is the kubelet's exec endpoint: the container must be running (the runtime's
// "container not found" otherwise, before any streaming), and the runtime runs the command.
func (k *Kubelet) Exec(ns, name, container string, argv []string, out, errOut io.Writer) (int, error) {
	code, err := k.rt.Exec(ns+"/"+name, container, argv, k.execFiles(ns, name, container), out, errOut)
	var failed *cri.ExecError
	switch {
	case errors.Is(err, cri.ErrContainerNotRunning):
		return 0, &apiserver.ExecRefused{Msg: fmt.Sprintf("container not found (%q)", container)}
	case errors.As(err, &failed):
		return 0, &apiserver.ExecFailed{Msg: failed.Msg}
	case errors.Is(err, cri.ErrNotSimulated):
		return 0, apiserver.ErrExecNotSimulated
	}
	return code, err
}

// execFiles is an exec's view of a container's files: the files the probes see, those the
// container's command created or removed (`touch /tmp/healthy; sleep 30; rm -f /tmp/healthy`)
// and those earlier execs changed. The runtime's exec and the prober are two models of one
// container; file commands go to the prober's, so that `kubectl exec … -- cat /tmp/healthy`
// finds what the exec probe finds, and `rm /usr/share/nginx/html/index.html` fails an HTTP
// probe on /, as on a real cluster. A read of a file only the runtime knows (/etc/hostname,
// /etc/resolv.conf) is left to the runtime. nil when the container is not running.
func (k *Kubelet) execFiles(ns, name, container string) cri.Files {
	key := ns + "/" + name
	st := k.pods[key]
	obj, ok := k.podInf.Get(key)
	if st == nil || !ok {
		return nil
	}
	cs := st.containers[container]
	c := containerSpec(obj.(*corev1.Pod), container)
	if cs == nil || !cs.running || c == nil {
		return nil
	}
	ct := k.target(key, c, cs)
	return func(argv []string) (string, string, int, bool) {
		cmd := path.Base(argv[0])
		switch cmd {
		case "cat", "ls", "test", "[", "touch", "rm", "mkdir":
		default:
			return "", "", 0, false
		}
		if cmd == "ls" && (len(argv) == 1 || slices.Contains(argv[1:], "/")) {
			return "", "", 0, false // the root's listing is the runtime's
		}
		output, code, _ := ct.Exec(argv, 0, k.clock.Now())
		switch {
		case code == 0:
			return output, "", 0, true
		case cmd == "cat" || cmd == "ls":
			return "", "", 0, false // a file only the runtime knows, or none: its answer
		}
		return "", output, code, true // false, or the command's own error
	}
}
