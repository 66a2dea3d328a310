package framework

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
)

// node builds a Ready-looking node with the hostname label the kubelet sets.
func node(name, cpu, memory string, pods int, opts ...func(*corev1.Node)) *corev1.Node {
	n := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{LabelHostname: name}},
		Status: corev1.NodeStatus{Allocatable: corev1.ResourceList{
			corev1.ResourceCPU:    resource.MustParse(cpu),
			corev1.ResourceMemory: resource.MustParse(memory),
			corev1.ResourcePods:   *resource.NewQuantity(int64(pods), resource.DecimalSI),
		}},
	}
	for _, o := range opts {
		o(n)
	}
	return n
}

// standardNode is the lessons' worker: 4 CPU, 8Gi, 110 pods.
func standardNode(name string, opts ...func(*corev1.Node)) *corev1.Node {
	return node(name, "4", "8Gi", 110, opts...)
}

func cordoned(n *corev1.Node) { n.Spec.Unschedulable = true }

func taint(key, value string, effect corev1.TaintEffect) func(*corev1.Node) {
	return func(n *corev1.Node) {
		n.Spec.Taints = append(n.Spec.Taints, corev1.Taint{Key: key, Value: value, Effect: effect})
	}
}

func nodeLabel(key, value string) func(*corev1.Node) {
	return func(n *corev1.Node) { n.Labels[key] = value }
}

func image(size int64, names ...string) func(*corev1.Node) {
	return func(n *corev1.Node) {
		n.Status.Images = append(n.Status.Images, corev1.ContainerImage{Names: names, SizeBytes: size})
	}
}

// pod builds a pod in "default" with one nginx container.
func pod(name string, opts ...func(*corev1.Pod)) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: types.UID("uid-" + name)},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: "nginx"}}},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

func requests(cpu, memory string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		rl := corev1.ResourceList{}
		if cpu != "" {
			rl[corev1.ResourceCPU] = resource.MustParse(cpu)
		}
		if memory != "" {
			rl[corev1.ResourceMemory] = resource.MustParse(memory)
		}
		p.Spec.Containers[0].Resources.Requests = rl
	}
}

func podLabels(kv ...string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Labels = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			p.Labels[kv[i]] = kv[i+1]
		}
	}
}

func toleration(key, value string, effect corev1.TaintEffect) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		op := corev1.TolerationOpEqual
		if value == "" {
			op = corev1.TolerationOpExists
		}
		p.Spec.Tolerations = append(p.Spec.Tolerations,
			corev1.Toleration{Key: key, Operator: op, Value: value, Effect: effect})
	}
}

func nodeSelector(kv ...string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Spec.NodeSelector = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			p.Spec.NodeSelector[kv[i]] = kv[i+1]
		}
	}
}

func hostPort(port int32, protocol corev1.Protocol, ip string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Spec.Containers[0].Ports = append(p.Spec.Containers[0].Ports,
			corev1.ContainerPort{ContainerPort: 80, HostPort: port, Protocol: protocol, HostIP: ip})
	}
}

func onNode(name string) func(*corev1.Pod) {
	return func(p *corev1.Pod) { p.Spec.NodeName = name }
}

// rsPod is a pod of ReplicaSet web-5d8b7c6f94, as kubectl create deployment
// makes them: no resource requests.
func rsPod(i int) *corev1.Pod {
	return pod(fmt.Sprintf("web-5d8b7c6f94-%05d", i), podLabels("app", "web", "pod-template-hash", "5d8b7c6f94"))
}

var webSelector = labels.SelectorFromSet(labels.Set{"app": "web", "pod-template-hash": "5d8b7c6f94"})

func nodeInfos(nodes ...*corev1.Node) []*NodeInfo {
	infos := make([]*NodeInfo, len(nodes))
	for i, n := range nodes {
		infos[i] = NewNodeInfo(n)
	}
	return infos
}

func infoByName(infos []*NodeInfo, name string) *NodeInfo {
	for _, n := range infos {
		if n.Node.Name == name {
			return n
		}
	}
	return nil
}

// pluginScore finds a plugin's score for a node in a decision.
func pluginScore(d Decision, nodeName, plugin string) (PluginScore, bool) {
	for _, ns := range d.Scores {
		if ns.Node != nodeName {
			continue
		}
		for _, ps := range ns.Plugins {
			if ps.Plugin == plugin {
				return ps, true
			}
		}
	}
	return PluginScore{}, false
}
