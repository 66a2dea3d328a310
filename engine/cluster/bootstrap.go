package cluster

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/k8slearn/k8slearn/engine/controller/namespacedefaults"
	"github.com/k8slearn/k8slearn/engine/kubelet"
	"github.com/k8slearn/k8slearn/engine/release"
	cri "github.com/k8slearn/k8slearn/engine/runtime"
)

// KubeletVersion is the version every node reports.
const KubeletVersion = release.GitVersion

// bootstrap creates what a fresh cluster holds before anyone uses it: the four namespaces, the
// kubernetes Service, the system priority classes and the legacy token tracking ConfigMap
// (written by the API server itself), the nodes and their Leases (registered by their kubelets),
// and in every namespace the default
// ServiceAccount and the kube-root-ca.crt ConfigMap (kube-controller-manager; namespaces created
// later get theirs from controller/namespacedefaults).
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
		if _, err := c.registerNode(i); err != nil {
			return err
		}
	}
	if err := c.namespaceDefaults(namespaces); err != nil {
		return err
	}
	// What came later to the start-up state draws its uids from a stream of its own, so the
	// names and uids of everything after stay what they were for each seed.
	main := c.api.SwapRand(rand.New(rand.NewPCG(c.cfg.Seed, streamBootExtras)))
	defer c.api.SwapRand(main)
	if _, err := self.Create("configmaps", "kube-system", legacyTokenTracking(c.clock.Now())); err != nil {
		return fmt.Errorf("creating the legacy token tracking config map: %w", err)
	}
	if err := c.apiServerEndpoints(); err != nil {
		return err
	}
	return nil
}

// legacyTokenTracking is the ConfigMap kube-apiserver writes at its first start, recording since
// when it tracks legacy service account tokens (k8s.io/kubernetes v1.37.2
// pkg/controlplane/controller/legacytokentracking/controller.go).
func legacyTokenTracking(now time.Time) *corev1.ConfigMap {
	return &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "kube-apiserver-legacy-service-account-token-tracking", Namespace: "kube-system"},
		Data:       map[string]string{"since": now.UTC().Format(time.DateOnly)},
	}
}

// APIServerIP is the address the API server advertises, the endpoint of the kubernetes Service.
// The miniature cluster shows no control-plane node; its API server answers on the first address
// of the nodes' network.
const APIServerIP = "172.18.0.1"

// apiServerEndpoints writes the kubernetes Service's Endpoints and EndpointSlice, as the API
// server's endpoint reconciler does (k8s.io/kubernetes v1.37.2 pkg/controlplane/reconcilers:
// lease.go, endpointsadapter.go): the Endpoints carry skip-mirror so no controller copies them, the
// slice carries only the service-name label.
func (c *Cluster) apiServerEndpoints() error {
	self := c.api.Client("kube-apiserver")
	port := corev1.EndpointPort{Name: "https", Port: 6443, Protocol: corev1.ProtocolTCP}
	ep := &corev1.Endpoints{
		ObjectMeta: metav1.ObjectMeta{Name: "kubernetes", Labels: map[string]string{discoveryv1.LabelSkipMirror: "true"}},
		Subsets:    []corev1.EndpointSubset{{Addresses: []corev1.EndpointAddress{{IP: APIServerIP}}, Ports: []corev1.EndpointPort{port}}},
	}
	if _, err := self.Create("endpoints", "default", ep); err != nil {
		return fmt.Errorf("creating the kubernetes endpoints: %w", err)
	}
	ready := true
	slice := &discoveryv1.EndpointSlice{
		ObjectMeta:  metav1.ObjectMeta{Name: "kubernetes", Labels: map[string]string{discoveryv1.LabelServiceName: "kubernetes"}},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints:   []discoveryv1.Endpoint{{Addresses: []string{APIServerIP}, Conditions: discoveryv1.EndpointConditions{Ready: &ready}}},
		Ports:       []discoveryv1.EndpointPort{{Name: &port.Name, Port: &port.Port, Protocol: &port.Protocol}},
	}
	if _, err := self.Create("endpointslices", "default", slice); err != nil {
		return fmt.Errorf("creating the kubernetes endpointslice: %w", err)
	}
	return nil
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

// namespaceDefaults writes what kube-controller-manager gives every namespace: the default
// ServiceAccount (serviceaccount-controller) and the kube-root-ca.crt ConfigMap
// (root-ca-cert-publisher), as the two controllers of namespacedefaults do for later namespaces.
func (c *Cluster) namespaceDefaults(namespaces []string) error {
	sa := c.api.Client(namespacedefaults.ServiceAccountsName)
	ca := c.api.Client(namespacedefaults.RootCAPublisherName)
	for _, ns := range namespaces {
		if _, err := sa.Create("serviceaccounts", ns, namespacedefaults.DefaultServiceAccount()); err != nil {
			return fmt.Errorf("creating the default service account in %s: %w", ns, err)
		}
		if _, err := ca.Create("configmaps", ns, namespacedefaults.RootCAConfigMap()); err != nil {
			return fmt.Errorf("creating kube-root-ca.crt in %s: %w", ns, err)
		}
	}
	return nil
}

func (c *Cluster) registerNode(i int) (*corev1.Node, error) {
	name := c.nodeName(i)
	cpu, err := resource.ParseQuantity(c.cfg.NodeCPU)
	if err != nil {
		return nil, fmt.Errorf("node cpu %q: %w", c.cfg.NodeCPU, err)
	}
	mem, err := resource.ParseQuantity(c.cfg.NodeMemory)
	if err != nil {
		return nil, fmt.Errorf("node memory %q: %w", c.cfg.NodeMemory, err)
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
	renewed, reported := c.lastHeartbeats(i)
	cond := func(t corev1.NodeConditionType, s corev1.ConditionStatus, reason, msg string) corev1.NodeCondition {
		return corev1.NodeCondition{Type: t, Status: s, Reason: reason, Message: msg, LastHeartbeatTime: reported, LastTransitionTime: now}
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
	self := c.api.Client("kubelet/" + name)
	created, err := self.Create("nodes", "", node)
	if err != nil {
		return nil, fmt.Errorf("registering node %s: %w", name, err)
	}
	// The kubelet's heartbeat Lease, owned by its Node (k8s.io/component-helpers
	// apimachinery/lease/controller.go newLease; pkg/kubelet/util/nodelease.go sets the owner).
	duration := int32(kubelet.LeaseDuration / time.Second)
	lease := &coordinationv1.Lease{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "kube-node-lease", OwnerReferences: []metav1.OwnerReference{{
			APIVersion: "v1", Kind: "Node", Name: name, UID: created.(*corev1.Node).UID}}},
		Spec: coordinationv1.LeaseSpec{HolderIdentity: &name, LeaseDurationSeconds: &duration,
			RenewTime: &metav1.MicroTime{Time: renewed}},
	}
	if _, err := self.Create("leases", "kube-node-lease", lease); err != nil {
		return nil, fmt.Errorf("creating the lease of node %s: %w", name, err)
	}
	return created.(*corev1.Node), nil
}

// lastHeartbeats are when node i's kubelet last renewed its Lease and last posted its node status,
// as seen when the session starts (Config.Age after boot): a few seconds ago, staggered across the
// nodes as real kubelets' renewals are, so that the first renewal (node-1's) is due 8 s into the
// session. The kubelets time their next heartbeats from these.
func (c *Cluster) lastHeartbeats(i int) (renewed time.Time, reported metav1.Time) {
	start := c.clock.Now()
	phase := time.Duration((i-1)*700) * time.Millisecond % (2 * time.Second)
	renewed = start.Add(c.cfg.Age + 8*time.Second + phase - kubelet.LeaseRenewInterval)
	if renewed.Before(start) {
		renewed = start
	}
	report := renewed.Add(-30 * time.Second)
	if report.Before(start) {
		report = start
	}
	return renewed, metav1.NewTime(report.Truncate(time.Second))
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
