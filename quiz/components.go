package quiz

import "strings"

// Other names learners use for a kind of component: the program that hosts it in a real cluster
// (kube-controller-manager runs the controllers), or what it is (the container runtime).
func componentAliases(kind string) []string {
	switch kind {
	case "kubelet":
		return []string{"kubelet"}
	case "containerd":
		return []string{"containerd", "runtime", "container-runtime", "cri", "容器运行时", "运行时"}
	case "default-scheduler":
		return []string{"default-scheduler", "scheduler", "kube-scheduler", "调度器"}
	case "deployment-controller", "replicaset-controller", "garbage-collector":
		return []string{"kube-controller-manager", "controller-manager", "控制器管理器"}
	}
	return nil
}

// componentMatches reports whether a normalised answer names the expected component: its exact
// name ("kubelet/node-1"; spaces or hyphens for the slash are fine), the kind for a per-node
// component ("kubelet"), or an alias. An empty expectation (the cluster is idle) takes "none".
func componentMatches(expected, in string) bool {
	if expected == "" {
		return contains(noneWords, in)
	}
	canon := func(s string) string {
		return strings.NewReplacer(" ", "-", "/", "-", "_", "-").Replace(normalize(s))
	}
	got := canon(in)
	if got == canon(expected) {
		return true
	}
	return contains(componentAliases(componentKind(normalize(expected))), got)
}
