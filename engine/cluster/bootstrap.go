package cluster

import (
	"fmt"
	"hash/fnv"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	cri "github.com/k8slearn/k8slearn/engine/runtime"
)

// KubeletVersion is the version every node reports.
const KubeletVersion = "v1.34.1"

// bootstrap creates what a fresh cluster holds before anyone uses it: the four namespaces and the
// kubernetes Service (written by the API server itself), and the nodes (registered by their kubelets).
func (c *Cluster) bootstrap() error {
	self := c.api.Client("kube-apiserver")
	for _, ns := range []string{"default", "kube-node-lease", "kube-public", "kube-system"} {
		if _, err := self.Create("namespaces", "", &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			return fmt.Errorf("creating namespace %s: %w", ns, err)
		}
	}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "kubernetes", Namespace: "default",
			Labels: map[string]string{"component": "apiserver", "provider": "kubernetes"}},
		Spec: corev1.ServiceSpec{
			Type: corev1.ServiceTypeClusterIP, ClusterIP: "10.96.0.1", ClusterIPs: []string{"10.96.0.1"},
			Ports: []corev1.ServicePort{{Name: "https", Protocol: corev1.ProtocolTCP, Port: 443, TargetPort: intstr.FromInt32(6443)}},
		},
	}
	if _, err := self.Create("services", "default", svc); err != nil {
		return fmt.Errorf("creating the kubernetes service: %w", err)
	}
	for i := 1; i <= c.cfg.Nodes; i++ {
		if err := c.registerNode(i); err != nil {
			return err
		}
	}
	return nil
}

func (c *Cluster) registerNode(i int) error {
	name := NodeName(i)
	cpu, err := resource.ParseQuantity(c.cfg.NodeCPU)
	if err != nil {
		return fmt.Errorf("node cpu %q: %w", c.cfg.NodeCPU, err)
	}
	mem, err := resource.ParseQuantity(c.cfg.NodeMemory)
	if err != nil {
		return fmt.Errorf("node memory %q: %w", c.cfg.NodeMemory, err)
	}
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:              cpu,
		corev1.ResourceMemory:           mem,
		corev1.ResourcePods:             *resource.NewQuantity(int64(c.cfg.NodePods), resource.DecimalSI),
		corev1.ResourceEphemeralStorage: resource.MustParse("100Gi"),
		"hugepages-1Gi":                 resource.MustParse("0"),
		"hugepages-2Mi":                 resource.MustParse("0"),
	}
	now := metav1.NewTime(c.clock.Now())
	cond := func(t corev1.NodeConditionType, s corev1.ConditionStatus, reason, msg string) corev1.NodeCondition {
		return corev1.NodeCondition{Type: t, Status: s, Reason: reason, Message: msg, LastHeartbeatTime: now, LastTransitionTime: now}
	}
	cidr := podCIDR(i).String()
	id := machineID(name)
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name: name,
			Labels: map[string]string{
				"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
				"kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
			},
			Annotations: map[string]string{
				"node.alpha.kubernetes.io/ttl":                           "0",
				"volumes.kubernetes.io/controller-managed-attach-detach": "true",
			},
		},
		Spec: corev1.NodeSpec{PodCIDR: cidr, PodCIDRs: []string{cidr}, ProviderID: "k8slearn://" + name},
		Status: corev1.NodeStatus{
			Capacity: capacity, Allocatable: capacity.DeepCopy(),
			Conditions: []corev1.NodeCondition{
				cond(corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
				cond(corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
				cond(corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
				cond(corev1.NodeReady, corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status"),
			},
			Addresses:       []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: nodeIP(i)}, {Type: corev1.NodeHostName, Address: name}},
			DaemonEndpoints: corev1.NodeDaemonEndpoints{KubeletEndpoint: corev1.DaemonEndpoint{Port: 10250}},
			NodeInfo: corev1.NodeSystemInfo{
				MachineID: id, SystemUUID: id[:8] + "-" + id[8:12] + "-" + id[12:16] + "-" + id[16:20] + "-" + id[20:32], BootID: machineID(name + "/boot"),
				KernelVersion: "6.8.0-60-generic", OSImage: "Debian GNU/Linux 12 (bookworm)",
				ContainerRuntimeVersion: cri.Version, KubeletVersion: KubeletVersion,
				OperatingSystem: "linux", Architecture: "amd64",
			},
		},
	}
	if _, err := c.api.Client("kubelet/"+name).Create("nodes", "", node); err != nil {
		return fmt.Errorf("registering node %s: %w", name, err)
	}
	return nil
}

// machineID is a stable 32-hex id derived from a name.
func machineID(name string) string {
	out := ""
	for i := 0; len(out) < 32; i++ {
		h := fnv.New64a()
		h.Write([]byte(name + "#" + strconv.Itoa(i)))
		out += fmt.Sprintf("%016x", h.Sum64())
	}
	return out[:32]
}
