package quiz

import "strings"

// The words people use for the parts of a cluster, in English and Chinese, normalised: what the
// lessons call them ("the API server", "the container runtime", 调度器), the program's name, and
// the engine's component name. A choice whose key or literal is one of these words is also
// accepted under every other word of its group, in every language: a learner names a component as
// the lesson's text did, not as the choice list spells it. Lessons add words of their own with a
// choice's synonyms.
//
// Each group is one thing. The controllers are three groups, not one with kube-controller-manager:
// "which program runs the deployment-controller?" offers both, and they must stay apart. For "which
// component acts next?" the program that hosts a component names it too (hostTerms).
func termGroups() [][]string {
	return [][]string{
		{"kube-apiserver", "apiserver", "api server", "api-server", "kube apiserver", "the api server", "api 服务器", "api服务器"},
		{"etcd", "etcd 数据库"},
		{"kubectl"},
		{"default-scheduler", "kube-scheduler", "scheduler", "kube scheduler", "default scheduler", "调度器"},
		{"kube-controller-manager", "controller-manager", "controller manager", "kube controller manager", "控制器管理器"},
		{"deployment-controller", "deployment controller", "deployment 控制器"},
		{"replicaset-controller", "replicaset controller", "replica set controller", "replicaset 控制器"},
		{"garbage-collector", "garbage collector", "gc", "垃圾回收器", "垃圾收集器"},
		{"serviceaccount-controller", "serviceaccount controller", "service account controller", "serviceaccount 控制器"},
		{"root-ca-cert-publisher", "root ca cert publisher", "root-ca-cert publisher"},
		{"node-lifecycle-controller", "node lifecycle controller", "node-lifecycle controller", "节点生命周期控制器"},
		{"taint-eviction-controller", "taint eviction controller", "taint-eviction controller", "污点驱逐控制器"},
		{"disruption-controller", "disruption controller", "disruption 控制器"},
		{"endpointslice-controller", "endpointslice controller", "endpoint slice controller", "endpointslice 控制器"},
		{"endpoint-controller", "endpoint controller", "endpoints controller", "endpoints 控制器"},
		{"kubelet", "kubelet 代理"},
		{"containerd", "container runtime", "container-runtime", "runtime", "cri", "cri runtime", "容器运行时", "运行时"},
		{"kube-proxy", "kube proxy"},
		{"docker", "dockershim"},
	}
}

// termGroup is the group a normalised word belongs to, or nil.
func termGroup(word string) []string {
	w := stripArticle(word)
	for _, g := range termGroups() {
		if contains(g, w) {
			return g
		}
	}
	return nil
}

// sameThing reports whether two normalised words name the same part of the cluster.
func sameThing(a, b string) bool {
	g := termGroup(a)
	return g != nil && contains(g, stripArticle(b))
}

// stripArticle drops a leading English article: "the kubelet" names the kubelet.
func stripArticle(s string) string {
	for _, a := range []string{"the ", "a ", "an "} {
		if t, ok := strings.CutPrefix(s, a); ok && t != "" {
			return t
		}
	}
	return s
}

// hostTerms are the words for the program that runs a kind of component in a real cluster:
// kube-controller-manager runs the controllers. They answer "which component acts next?".
func hostTerms(kind string) []string {
	if strings.HasSuffix(kind, "-controller") || kind == "garbage-collector" || kind == "root-ca-cert-publisher" {
		return termGroup("kube-controller-manager")
	}
	return nil
}

// canonComponent writes a component name so that spellings compare equal: "kubelet node-1",
// "kubelet-node-1" and "kubelet/node-1" all read "kubelet-node-1".
func canonComponent(s string) string {
	return strings.NewReplacer(" ", "-", "/", "-", "_", "-").Replace(stripArticle(normalize(s)))
}

// componentMatches reports whether a normalised answer names the expected component: its exact
// name ("kubelet/node-1"; spaces or hyphens for the slash are fine), a word for its kind
// ("kubelet", "the container runtime", 调度器), or the program that hosts it. An empty expectation
// (the cluster is idle) takes "none".
func componentMatches(expected, in string) bool {
	if expected == "" {
		return contains(noneWords, in)
	}
	if canonComponent(in) == canonComponent(expected) {
		return true
	}
	kind := componentKind(normalize(expected))
	w := stripArticle(in)
	return sameThing(kind, w) || contains(hostTerms(kind), w)
}
