package cluster

import (
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/engine/imageref"
	cri "github.com/k8slearn/k8slearn/engine/runtime"
)

// Faults in the containers' world: an image the registry no longer has, a process that crashes,
// a process that runs out of memory. Each changes the simulated world only; the kubelet finds out
// as it would on a real node (a failed pull, an exited container, an OOM kill).

// Errors of the container faults, for the caller to word in the learner's language.
var (
	// ErrPodNotScheduled: the pod has no node, so no container yet.
	ErrPodNotScheduled = errors.New("pod not scheduled")
	// ErrContainerNotRunning: the container has no running process to crash.
	ErrContainerNotRunning = cri.ErrNotRunning
)

// ContainerChoiceError is a container name missing (the pod has several) or wrong.
type ContainerChoiceError struct {
	Pod, Container string // Container is "" when none was named
	Names          []string
}

func (e ContainerChoiceError) Error() string {
	if e.Container == "" {
		return fmt.Sprintf("a container name must be specified for pod %s, choose one of: %v", e.Pod, e.Names)
	}
	return fmt.Sprintf("container %s is not valid for pod %s", e.Container, e.Pod)
}

// ContainerFault says where a container fault struck.
type ContainerFault struct {
	Namespace, Pod, Container, Node string
}

// FaultImage makes an image unavailable (the tag was deleted, the registry lost it) or available
// again. Unavailable, it is also removed from every node, as the image garbage collector would,
// so the next container that needs it pulls, and fails. It reports whether anything changed.
func (c *Cluster) FaultImage(image string, available bool) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := imageref.Normalize(image); err != nil {
		return false, err
	}
	if c.registries == nil {
		return false, nil
	}
	if available {
		return c.registries.Restore(image), nil
	}
	changed, err := c.registries.Remove(image)
	for _, rt := range c.runtimes {
		if rt.HasImage(image) {
			rt.RemoveImage(image)
			changed = true
		}
	}
	return changed, err
}

// FaultCrash makes a running container's process exit now with code (1 when code is 0 or less
// is not wanted: the caller chooses). container may be "" for a pod with one container.
func (c *Cluster) FaultCrash(namespace, pod, container string, code int) (ContainerFault, error) {
	return c.containerFault(namespace, pod, container, func(rt *cri.Runtime, key, name string) error {
		return rt.Crash(key, name, code)
	})
}

// FaultOOM makes a running container's memory grow past its limit (or, without one, past what
// the node has): the kernel kills it, OOMKilled, exit code 137.
func (c *Cluster) FaultOOM(namespace, pod, container string) (ContainerFault, error) {
	return c.containerFault(namespace, pod, container, func(rt *cri.Runtime, key, name string) error {
		return rt.OOM(key, name)
	})
}

func (c *Cluster) containerFault(namespace, name, container string, do func(rt *cri.Runtime, key, name string) error) (ContainerFault, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.syncInformers()
	obj, err := c.api.Client("fault").Get("pods", namespace, name)
	if err != nil {
		return ContainerFault{}, err
	}
	pod := obj.(*corev1.Pod)
	var names []string
	for _, ct := range pod.Spec.Containers {
		names = append(names, ct.Name)
	}
	switch {
	case container == "" && len(names) == 1:
		container = names[0]
	case container == "":
		return ContainerFault{}, ContainerChoiceError{Pod: name, Names: names}
	default:
		found := false
		for _, n := range names {
			found = found || n == container
		}
		if !found {
			return ContainerFault{}, ContainerChoiceError{Pod: name, Container: container, Names: names}
		}
	}
	f := ContainerFault{Namespace: namespace, Pod: name, Container: container, Node: pod.Spec.NodeName}
	if pod.Spec.NodeName == "" {
		return f, ErrPodNotScheduled
	}
	for i, kl := range c.kubelets {
		if kl.Node() == pod.Spec.NodeName {
			if err := do(c.runtimes[i], namespace+"/"+name, container); err != nil {
				return f, err
			}
			return f, nil
		}
	}
	return f, ErrPodNotScheduled
}
