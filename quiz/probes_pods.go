package quiz

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
)

// probePodCount: the pods matching selector, status (kubectl's STATUS column) and node.
func probePodCount(env Env, args map[string]string) (Value, error) {
	pods, err := env.pods(args)
	if err != nil {
		return Value{}, err
	}
	return numberValue(len(pods)), nil
}

// probePodNames: the names of the pods matching the filters, sorted.
func probePodNames(env Env, args map[string]string) (Value, error) {
	pods, err := env.pods(args)
	if err != nil {
		return Value{}, err
	}
	names := make([]string, len(pods))
	for i, p := range pods {
		names[i] = p.Name
	}
	return listValue(names), nil
}

// probePodName: the name of the index-th pod (from 1) matching selector, by name.
func probePodName(env Env, args map[string]string) (Value, error) {
	p, err := env.pickPod(args)
	if err != nil {
		return Value{}, err
	}
	return textValue(p.Name), nil
}

// probePodNode: the node the pod is bound to (spec.nodeName, kubectl's NODE column).
func probePodNode(env Env, args map[string]string) (Value, error) {
	p, err := env.pickPod(args)
	if err != nil {
		return Value{}, err
	}
	if p.Spec.NodeName == "" {
		return Value{}, fmt.Errorf("pod %s is not scheduled yet", p.Name)
	}
	return textValue(p.Spec.NodeName), nil
}

// probePodStatus: kubectl's STATUS column for the pod: Pending, ContainerCreating, Running…
func probePodStatus(env Env, args map[string]string) (Value, error) {
	p, err := env.pickPod(args)
	if err != nil {
		return Value{}, err
	}
	return textValue(printers.PodStatus(p)), nil
}

// probePodPhase: status.phase — only Pending, Running, Succeeded, Failed or Unknown.
func probePodPhase(env Env, args map[string]string) (Value, error) {
	p, err := env.pickPod(args)
	if err != nil {
		return Value{}, err
	}
	if p.Status.Phase == "" {
		return textValue(string(corev1.PodPending)), nil
	}
	return textValue(string(p.Status.Phase)), nil
}

// probePodsOnNode: how many pods (matching selector) are bound to the node.
func probePodsOnNode(env Env, args map[string]string) (Value, error) {
	if _, err := env.get("nodes", args["node"]); err != nil {
		return Value{}, err
	}
	pods, err := env.pods(map[string]string{"selector": args["selector"], "node": args["node"]})
	if err != nil {
		return Value{}, err
	}
	return numberValue(len(pods)), nil
}

// probeUnscheduledPods: pods (matching selector) that no node has been assigned to yet.
func probeUnscheduledPods(env Env, args map[string]string) (Value, error) {
	pods, err := env.pods(map[string]string{"selector": args["selector"]})
	if err != nil {
		return Value{}, err
	}
	n := 0
	for _, p := range pods {
		if p.Spec.NodeName == "" {
			n++
		}
	}
	return numberValue(n), nil
}

// probeNodeWithMostPods: the node with the most pods (matching selector). A tie is an error: a
// lesson must not ask when the answer is not one node.
func probeNodeWithMostPods(env Env, args map[string]string) (Value, error) {
	nodes, err := nodeNames(env)
	if err != nil {
		return Value{}, err
	}
	pods, err := env.pods(map[string]string{"selector": args["selector"]})
	if err != nil {
		return Value{}, err
	}
	count := map[string]int{}
	for _, p := range pods {
		if p.Spec.NodeName != "" {
			count[p.Spec.NodeName]++
		}
	}
	best, top := []string(nil), -1
	for _, n := range nodes {
		switch c := count[n]; {
		case c > top:
			best, top = []string{n}, c
		case c == top:
			best = append(best, n)
		}
	}
	if len(best) != 1 {
		parts := make([]string, len(best))
		for i, n := range best {
			parts[i] = n + "=" + strconv.Itoa(top)
		}
		return Value{}, fmt.Errorf("no single node has the most pods (%s)", strings.Join(parts, ", "))
	}
	return textValue(best[0]), nil
}

// probeNodes: the node names, sorted as `kubectl get nodes` lists them.
func probeNodes(env Env, _ map[string]string) (Value, error) {
	nodes, err := nodeNames(env)
	if err != nil {
		return Value{}, err
	}
	return listValue(nodes), nil
}

// probeContainerRuntime: the runtime the node's kubelet talks CRI to, as the node reports it
// (containerRuntimeVersion is "containerd://2.1.3", "cri-o://1.33.1"): a real cluster's may be
// another than the miniature's containerd.
func probeContainerRuntime(env Env, args map[string]string) (Value, error) {
	n, err := env.node(args["node"])
	if err != nil {
		return Value{}, err
	}
	v := n.Status.NodeInfo.ContainerRuntimeVersion
	name, _, ok := strings.Cut(v, "://")
	if !ok || name == "" {
		return Value{}, fmt.Errorf("node %s reports no container runtime (containerRuntimeVersion %q)", n.Name, v)
	}
	return textValue(name), nil
}

// nodeNames are the nodes a lesson's pods may run on, sorted: Env.Nodes, or every node.
func nodeNames(env Env) ([]string, error) {
	if len(env.Nodes) > 0 {
		return slices.Sorted(slices.Values(env.Nodes)), nil
	}
	objs, err := env.list("nodes", "")
	if err != nil {
		return nil, err
	}
	names := make([]string, len(objs))
	for i, o := range objs {
		names[i] = nameOf(o)
	}
	sort.Strings(names)
	return names, nil
}

// probeAnyContainerRunning: "yes" when some pod (matching selector) reports a running container
// through the API server, as `kubectl get pods` would show it; else "no".
func probeAnyContainerRunning(env Env, args map[string]string) (Value, error) {
	pods, err := env.pods(map[string]string{"selector": args["selector"]})
	if err != nil {
		return Value{}, err
	}
	for _, p := range pods {
		for _, cs := range p.Status.ContainerStatuses {
			if cs.State.Running != nil {
				return yesNoValue(true), nil
			}
		}
	}
	return yesNoValue(false), nil
}
