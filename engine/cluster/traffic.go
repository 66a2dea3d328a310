package cluster

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/dns"
	"github.com/k8slearn/k8slearn/engine/kubelet/probe"
	"github.com/k8slearn/k8slearn/engine/network"
	"github.com/k8slearn/k8slearn/engine/proxy"
)

// Proxy is the kube-proxy of a node, if the node has one.
func (c *Cluster) Proxy(node string) (*proxy.Proxy, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.proxies {
		if p.Node() == node {
			return p, true
		}
	}
	return nil, false
}

// SandboxClient is where the sandbox's curl and nslookup run: a shell on the first node (node-1) that resolves
// names as a pod in the default namespace does.
func (c *Cluster) SandboxClient() network.Client {
	return network.Client{Namespace: "default", Node: c.nodeName(1), IP: nodeIP(1)}
}

// PodClient is a client inside the pod namespace/name (for kubectl exec): its namespace's search
// path, its node's kube-proxy rules, its address.
func (c *Cluster) PodClient(namespace, name string) (network.Client, error) {
	obj, err := c.api.Client("k8slearn").Get("pods", namespace, name)
	if err != nil {
		return network.Client{}, err
	}
	pod := obj.(*corev1.Pod)
	if pod.Spec.NodeName == "" || pod.Status.PodIP == "" {
		return network.Client{}, fmt.Errorf("pod %s/%s has no address yet", namespace, name)
	}
	return network.Client{Namespace: namespace, Node: pod.Spec.NodeName, IP: pod.Status.PodIP, Pod: pod}, nil
}

// world is the network as it is now. Called with c.mu held.
func (c *Cluster) world() *network.World {
	client := c.api.Client("coredns")
	w := &network.World{DNS: dns.New(client), Proxies: map[string]*proxy.Proxy{}, NodeIPs: map[string]string{},
		PodsByIP: map[string]*corev1.Pod{}, Rand: c.netRand, Now: c.clock.Now(), APIServer: APIServerIP + ":6443"}
	for _, p := range c.proxies {
		w.Proxies[p.Node()] = p
	}
	w.Targets = func(pod *corev1.Pod) map[string]probe.Target {
		for _, kl := range c.kubelets {
			if kl.Node() == pod.Spec.NodeName {
				return kl.Targets(pod.Namespace, pod.Name)
			}
		}
		return nil
	}
	for i := 1; i <= c.cfg.Nodes; i++ {
		w.NodeIPs[nodeIP(i)] = c.nodeName(i)
	}
	pods, _, _ := client.ListShared("pods", "", apiserver.ListOptions{})
	for _, o := range pods {
		p := o.(*corev1.Pod)
		if p.Status.PodIP != "" && p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed {
			w.PodsByIP[p.Status.PodIP] = p
		}
	}
	return w
}

// HTTPGet sends a GET from a client (SandboxClient, PodClient) to target ("web", "web:80/path",
// "http://10.96.0.1"), through DNS, the kube-proxy rules and the pod that answers. The error is
// curl's (its message and exit code).
func (c *Cluster) HTTPGet(from network.Client, target string) (network.Response, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, err := network.ParseTarget(target)
	if err != nil {
		return network.Response{}, err
	}
	resp, gerr := c.world().Get(from, t, false, false)
	if gerr != nil {
		return network.Response{}, gerr
	}
	return resp, nil
}

// Curl runs a curl command line (the words after "curl") from a client. The cluster remembers
// the responses (LastCurl): which pod answered is a fact of the simulated world a lesson asks about.
func (c *Cluster) Curl(from network.Client, args []string) network.CurlResult {
	c.mu.Lock()
	defer c.mu.Unlock()
	res := c.world().Curl(from, args)
	c.lastCurl = res.Responses
	return res
}

// LastCurl is what the latest Curl got back: one response per URL that answered, none when it
// failed to connect (or no curl ran yet).
func (c *Cluster) LastCurl() []network.Response {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]network.Response(nil), c.lastCurl...)
}

// NSLookup runs an nslookup command line (the words after "nslookup") from a client.
func (c *Cluster) NSLookup(from network.Client, args []string) network.NSLookupResult {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.world().NSLookup(from, args)
}

// ProxyRules prints the rules the kube-proxy of node holds, in mode (iptables, nftables); ok is
// false when the node has no kube-proxy.
func (c *Cluster) ProxyRules(node string, mode proxy.Mode) (lines []string, ok bool) {
	p, ok := c.Proxy(node)
	if !ok {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if mode == proxy.NFTables {
		return p.Rules().NFTables(), true
	}
	return p.Rules().IPTables(), true
}
