package cluster

import (
	"fmt"
	"hash/fnv"
	"strconv"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/k8slearn/k8slearn/engine/release"
	cri "github.com/k8slearn/k8slearn/engine/runtime"
)

// KubeletVersion is the version every node reports.
const KubeletVersion = release.GitVersion

// bootstrap creates what a fresh cluster holds before anyone uses it: the four namespaces, the
// kubernetes Service and the system priority classes (written by the API server itself), the
// nodes and their Leases (registered by their kubelets), and in every namespace the default
// ServiceAccount and the kube-root-ca.crt ConfigMap (kube-controller-manager).
func (c *Cluster) bootstrap() error {
	self := c.api.Client("kube-apiserver")
	namespaces := []string{"default", "kube-node-lease", "kube-public", "kube-system"}
	for _, ns := range namespaces {
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
	for _, pc := range systemPriorityClasses() {
		if _, err := self.Create("priorityclasses", "", pc); err != nil {
			return fmt.Errorf("creating priority class %s: %w", pc.Name, err)
		}
	}
	for i := 1; i <= c.cfg.Nodes; i++ {
		if err := c.registerNode(i); err != nil {
			return err
		}
	}
	return c.namespaceDefaults(namespaces)
}

// systemPriorityClasses are the two classes kube-apiserver creates at start
// (k8s.io/kubernetes v1.37.2 pkg/apis/scheduling/v1/helpers.go).
func systemPriorityClasses() []*schedulingv1.PriorityClass {
	const systemCritical = 2 * 1000000000 // scheduling.SystemCriticalPriority
	return []*schedulingv1.PriorityClass{
		{ObjectMeta: metav1.ObjectMeta{Name: "system-node-critical"}, Value: systemCritical + 1000,
			Description: "Used for system critical pods that must not be moved from their current node."},
		{ObjectMeta: metav1.ObjectMeta{Name: "system-cluster-critical"}, Value: systemCritical,
			Description: "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."},
	}
}

// rootCAConfigMap is what kube-controller-manager's root-ca-cert-publisher writes in every
// namespace (pkg/controller/certificates/rootcacertpublisher/publisher.go). The certificate is a
// fixed self-signed one: the miniature API server serves no TLS.
func rootCAConfigMap() *corev1.ConfigMap {
	return &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "kube-root-ca.crt", Annotations: map[string]string{
			"kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. " +
				"No other usage is guaranteed across distributions of Kubernetes clusters.",
		}},
		Data: map[string]string{"ca.crt": rootCA},
	}
}

// namespaceDefaults writes what kube-controller-manager gives every namespace: the default
// ServiceAccount (serviceaccount-controller) and the kube-root-ca.crt ConfigMap.
func (c *Cluster) namespaceDefaults(namespaces []string) error {
	sa := c.api.Client("serviceaccount-controller")
	ca := c.api.Client("root-ca-cert-publisher")
	for _, ns := range namespaces {
		if _, err := sa.Create("serviceaccounts", ns, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"}}); err != nil {
			return fmt.Errorf("creating the default service account in %s: %w", ns, err)
		}
		if _, err := ca.Create("configmaps", ns, rootCAConfigMap()); err != nil {
			return fmt.Errorf("creating kube-root-ca.crt in %s: %w", ns, err)
		}
	}
	return nil
}

// rootCA is the cluster CA certificate published in kube-root-ca.crt.
const rootCA = `-----BEGIN CERTIFICATE-----
MIIDGzCCAgOgAwIBAgIUNxBrtM07AmvL8oDByyGy7ClxQQQwDQYJKoZIhvcNAQEL
BQAwFTETMBEGA1UEAwwKa3ViZXJuZXRlczAeFw0yNjEyMDUxOTQzNTZaFw0zNjEy
MDIxOTQzNTZaMBUxEzARBgNVBAMMCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEB
AQUAA4IBDwAwggEKAoIBAQDHiwbM22keNFk7Pg5q5OfbKEJixsxnk7KqNHylWO72
R25cbVIgzyNbBJgKtlSRd91HxtDHIGe98sMs9xjFFu20FecQ03HI4RyGO6nKJqyO
4Lqhdzu2oS3YqW6k10MvkEoIiuY7cxXhCtDKIIojeqAJFnTtt6kZhVzD0QG7bnWL
xBSy/0MsHx8n8MXFhfnWHv+M8IMXPm6WaIJmZHx2oPXLqIoYHzJZ24VBTtJAKmuS
Fr25+eHDoXPld5hjnTCKtDS/ugocddRTg8DTOOAcrHyf3f/130+OxPp4anEPus3+
bNlwZ3I4ZQaixstRzhLSOuRroTeOolIPCHU4URNb/XFZAgMBAAGjYzBhMB0GA1Ud
DgQWBBQQFZN7WIP1td/sBVUZQgk3z8NiTjAfBgNVHSMEGDAWgBQQFZN7WIP1td/s
BVUZQgk3z8NiTjAOBgNVHQ8BAf8EBAMCAqQwDwYDVR0TAQH/BAUwAwEB/zANBgkq
hkiG9w0BAQsFAAOCAQEACzxDixQuP7njKhYUg7uLphv6lw+TdK3LXiQHirw2Mmu6
/6Nk86365pWqqWIISnIc6huYBDl360r6EpvZCiFDIbs8uA2cRMz0oprMSxuWvjuD
OZwlJ7bRd9uUv6oNu874Y0JZeOOUEwmp+JjxbE6Bom/p4JgCK6lczShIOWbkDg4r
eLQAUudXhjUHdPrntX03ZgUQgrrxwlo9SVDw45LpTsTeLadsqjtBTFfBi0BPUVkz
13shav+1RpPaFvdi18+HW2Kg5Az2aWWSkY7SK6EIXMAeb/4oKuVpWReAeUDYMneb
XK217hG3cuIiws5RQR0NlktYbhFN9ChW3ofRHaTxBw==
-----END CERTIFICATE-----
`

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
	kubelet := c.api.Client("kubelet/" + name)
	created, err := kubelet.Create("nodes", "", node)
	if err != nil {
		return fmt.Errorf("registering node %s: %w", name, err)
	}
	// The kubelet's heartbeat Lease, owned by its Node (k8s.io/component-helpers
	// apimachinery/lease/controller.go newLease; pkg/kubelet/util/nodelease.go sets the owner).
	duration := int32(40) // the kubelet's nodeLeaseDurationSeconds
	lease := &coordinationv1.Lease{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "kube-node-lease", OwnerReferences: []metav1.OwnerReference{{
			APIVersion: "v1", Kind: "Node", Name: name, UID: created.(*corev1.Node).UID}}},
		Spec: coordinationv1.LeaseSpec{HolderIdentity: &name, LeaseDurationSeconds: &duration,
			RenewTime: &metav1.MicroTime{Time: c.clock.Now()}},
	}
	if _, err := kubelet.Create("leases", "kube-node-lease", lease); err != nil {
		return fmt.Errorf("creating the lease of node %s: %w", name, err)
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
