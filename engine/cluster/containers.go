package cluster

import (
	"io"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/kubelet"
	"github.com/k8slearn/k8slearn/engine/network"
	cri "github.com/k8slearn/k8slearn/engine/runtime"
)

// nodeCPUs is the CPU count of a node, for programs that size themselves to it (nginx starts one
// worker per CPU).
func (c *Cluster) nodeCPUs() int {
	q, err := resource.ParseQuantity(c.cfg.NodeCPU)
	if err != nil {
		return 1
	}
	return max(int(q.Value()), 1)
}

// AddExecCommand adds a command containers can run (`kubectl exec POD -- NAME …`, or a
// container's own command line), for every node: the way commands that need more of the
// cluster than a container (curl, nslookup) join the runtime's own (runtime.DefaultCommands).
// The program must also be on the image (runtime.Image.Binaries) to run.
func (c *Cluster) AddExecCommand(name string, cmd cri.Command) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.commands != nil {
		c.commands[name] = cmd
	}
}

// Registries are the image registries the nodes pull from; faults change them.
func (c *Cluster) Registries() *cri.Registries { return c.registries }

// kubeletOf is the kubelet of a node.
func (c *Cluster) kubeletOf(node string) (*kubelet.Kubelet, bool) {
	for _, k := range c.kubelets {
		if k.Node() == node {
			return k, true
		}
	}
	return nil, false
}

// Kubelets is how the API server reaches a node's kubelet, as kube-apiserver dials a node's
// port 10250 for logs and exec. Each call holds the cluster's lock, so it never runs during a
// step.
type Kubelets struct{ c *Cluster }

var _ apiserver.KubeletConnection = Kubelets{}

// Kubelets returns the cluster's kubelet connection.
func (c *Cluster) Kubelets() Kubelets { return Kubelets{c: c} }

// ContainerLogs serves GET /containerLogs/NS/POD/CONTAINER on node.
func (k Kubelets) ContainerLogs(node, ns, pod, container string, previous bool) (apiserver.ContainerLog, error) {
	k.c.mu.Lock()
	defer k.c.mu.Unlock()
	kl, ok := k.c.kubeletOf(node)
	if !ok {
		return apiserver.ContainerLog{}, apiserver.ErrKubeletUnreachable
	}
	return kl.ContainerLogs(ns, pod, container, previous)
}

// Exec runs a command in a container of a pod on node. The runtime's reaction (a container that
// ends) is work for the next steps.
func (k Kubelets) Exec(node, ns, pod, container string, argv []string, out, errOut io.Writer) (int, error) {
	k.c.mu.Lock()
	defer k.c.mu.Unlock()
	kl, ok := k.c.kubeletOf(node)
	if !ok {
		return 0, apiserver.ErrKubeletUnreachable
	}
	return kl.Exec(ns, pod, container, argv, out, errOut)
}

// ExecCommandNames lists the commands containers can run, sorted and comma-separated, for
// messages.
func (c *Cluster) ExecCommandNames() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := make([]string, 0, len(c.commands))
	for n := range c.commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(append(names, "kill", "sh -c"), ", ")
}

// addNetworkCommands gives containers curl and nslookup (where their image has them): from inside
// the pod, through its namespace's DNS search path and its node's kube-proxy rules
// (traffic.go). Containers' commands run within a step or an exec, with the cluster's lock held.
func (c *Cluster) addNetworkCommands() {
	from := func(ctx *cri.ExecContext) (network.Client, bool) {
		obj, err := c.api.Client("k8slearn").Get("pods", ctx.Namespace, ctx.Pod)
		if err != nil {
			return network.Client{}, false
		}
		pod := obj.(*corev1.Pod)
		ip := ctx.PodIP
		if ip == "" {
			ip = pod.Status.PodIP
		}
		return network.Client{Namespace: ctx.Namespace, Node: pod.Spec.NodeName, IP: ip, Pod: pod}, true
	}
	c.commands["curl"] = func(ctx *cri.ExecContext, argv []string) int {
		client, ok := from(ctx)
		if !ok {
			return 1
		}
		res := c.world().Curl(client, argv[1:])
		io.WriteString(ctx.Out, res.Stdout)
		io.WriteString(ctx.Err, res.Stderr)
		return res.Exit
	}
	c.commands["nslookup"] = func(ctx *cri.ExecContext, argv []string) int {
		client, ok := from(ctx)
		if !ok {
			return 1
		}
		res := c.world().NSLookup(client, argv[1:])
		io.WriteString(ctx.Out, res.Stdout)
		io.WriteString(ctx.Err, res.Stderr)
		return res.Exit
	}
}
