package cluster

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/engine/kubelet/probe"
)

// ProbeFault is what FaultProbe changed.
type ProbeFault struct {
	Namespace, Pod, Container, Node string
	Fail                            bool
	Changes                         probe.Changes
}

// FaultProbe makes a running container fail its probes (fail) or pass them again: a change to
// the simulated process on the pod's node (its HTTP server answers 500, the ports its TCP probes
// check close, the files its exec probes read disappear), never to the kubelet's logic, which
// finds out at its next probe. container may be empty for a pod with one container.
func (c *Cluster) FaultProbe(namespace, name, container string, fail bool) (ProbeFault, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.syncInformers()
	obj, err := c.api.Client("fault").Get("pods", namespace, name)
	if err != nil {
		return ProbeFault{}, err
	}
	pod := obj.(*corev1.Pod)
	if container == "" {
		if len(pod.Spec.Containers) != 1 {
			// kubectl's text when a pod has several containers (pkg/cmd/logs).
			names := make([]string, len(pod.Spec.Containers))
			for i, ct := range pod.Spec.Containers {
				names[i] = ct.Name
			}
			return ProbeFault{}, fmt.Errorf("a container name must be specified for pod %s, choose one of: [%s]", name, strings.Join(names, " "))
		}
		container = pod.Spec.Containers[0].Name
	}
	if pod.Spec.NodeName == "" {
		// kubectl logs' text for an unscheduled pod.
		return ProbeFault{}, fmt.Errorf("pod %s does not have a host assigned", name)
	}
	for _, kl := range c.kubelets {
		if kl.Node() != pod.Spec.NodeName {
			continue
		}
		ch, err := kl.ProbeFault(pod, container, fail)
		if err != nil {
			return ProbeFault{}, err
		}
		return ProbeFault{Namespace: namespace, Pod: name, Container: container, Node: pod.Spec.NodeName, Fail: fail, Changes: ch}, nil
	}
	return ProbeFault{}, fmt.Errorf("pod %s does not have a host assigned", name)
}
