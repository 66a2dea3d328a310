package printers

import (
	"fmt"
	"hash/fnv"
	"sort"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/k8slearn/k8slearn/engine/release"
)

// The fixtures are hand-made copies of what a small v1.37 cluster stores
// after `kubectl create deployment web --image=nginx --replicas=3`.

// testNow is the moment every age in the golden files is measured from.
var testNow = time.Date(2025, 6, 2, 10, 10, 0, 0, time.UTC)

// ago is a timestamp d before testNow.
func ago(d time.Duration) metav1.Time { return metav1.NewTime(testNow.Add(-d)) }

func ptr[T any](v T) *T { return &v }

// fnv32 gives each fixture pod a stable, distinct uid.
func fnv32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

const (
	rsName      = "web-5d8b7c6f94"
	podHash     = "5d8b7c6f94"
	deployUID   = types.UID("6f0b9a52-3d1e-4c8a-9b7e-2f4d5c6a7b81")
	rsUID       = types.UID("a3c1e7d2-5b4f-4e9a-8c6d-1f2e3d4c5b6a")
	clusterAge  = 70 * time.Minute
	deployAge   = 5 * time.Minute
	nginxDigest = "docker.io/library/nginx@sha256:fb39280b7b9eba5727c884a3c7810002e69e8f961cc373b89c92f14961d903a0"
)

// nginxContainer is the container kubectl create deployment makes, with the API server's defaults.
func nginxContainer() corev1.Container {
	return corev1.Container{
		Name:                     "nginx",
		Image:                    "nginx",
		Resources:                corev1.ResourceRequirements{},
		TerminationMessagePath:   "/dev/termination-log",
		TerminationMessagePolicy: corev1.TerminationMessageReadFile,
		ImagePullPolicy:          corev1.PullAlways,
	}
}

func webPodSpec() corev1.PodSpec {
	return corev1.PodSpec{
		Containers:                    []corev1.Container{nginxContainer()},
		RestartPolicy:                 corev1.RestartPolicyAlways,
		TerminationGracePeriodSeconds: ptr(int64(30)),
		DNSPolicy:                     corev1.DNSClusterFirst,
		SecurityContext:               &corev1.PodSecurityContext{},
		SchedulerName:                 corev1.DefaultSchedulerName,
	}
}

func webDeployment() *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{
			Name: "web", Namespace: "default", UID: deployUID, ResourceVersion: "1204", Generation: 1,
			CreationTimestamp: ago(deployAge),
			Labels:            map[string]string{"app": "web"},
			Annotations:       map[string]string{"deployment.kubernetes.io/revision": "1"},
		},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr(int32(3)),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec:       webPodSpec(),
			},
			Strategy: appsv1.DeploymentStrategy{
				Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{
					MaxUnavailable: ptr(intstr.FromString("25%")),
					MaxSurge:       ptr(intstr.FromString("25%")),
				},
			},
			RevisionHistoryLimit:    ptr(int32(10)),
			ProgressDeadlineSeconds: ptr(int32(600)),
		},
		Status: appsv1.DeploymentStatus{
			ObservedGeneration: 1, Replicas: 3, UpdatedReplicas: 3, ReadyReplicas: 3, AvailableReplicas: 3,
			Conditions: []appsv1.DeploymentCondition{
				{
					Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue,
					LastUpdateTime: ago(deployAge - 4*time.Second), LastTransitionTime: ago(deployAge - 4*time.Second),
					Reason: "MinimumReplicasAvailable", Message: "Deployment has minimum availability.",
				},
				{
					Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue,
					LastUpdateTime: ago(deployAge - 4*time.Second), LastTransitionTime: ago(deployAge),
					Reason: "NewReplicaSetAvailable", Message: `ReplicaSet "web-5d8b7c6f94" has successfully progressed.`,
				},
			},
		},
	}
}

func controllerRef(apiVersion, kind, name string, uid types.UID) []metav1.OwnerReference {
	return []metav1.OwnerReference{{
		APIVersion: apiVersion, Kind: kind, Name: name, UID: uid,
		Controller: ptr(true), BlockOwnerDeletion: ptr(true),
	}}
}

func webReplicaSet() *appsv1.ReplicaSet {
	lbls := map[string]string{"app": "web", "pod-template-hash": podHash}
	return &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			Name: rsName, Namespace: "default", UID: rsUID, ResourceVersion: "1203", Generation: 1,
			CreationTimestamp: ago(deployAge),
			Labels:            lbls,
			Annotations: map[string]string{
				"deployment.kubernetes.io/desired-replicas": "3",
				"deployment.kubernetes.io/max-replicas":     "4",
				"deployment.kubernetes.io/revision":         "1",
			},
			OwnerReferences: controllerRef("apps/v1", "Deployment", "web", deployUID),
		},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: ptr(int32(3)),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web", "pod-template-hash": podHash}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web", "pod-template-hash": podHash}},
				Spec:       webPodSpec(),
			},
		},
		Status: appsv1.ReplicaSetStatus{Replicas: 3, FullyLabeledReplicas: 3, ReadyReplicas: 3, AvailableReplicas: 3, ObservedGeneration: 1},
	}
}

// webPod is a pod of the ReplicaSet as the API server stores it before the scheduler sees it.
func webPod(suffix string, created time.Duration) *corev1.Pod {
	name := rsName + "-" + suffix
	spec := webPodSpec()
	spec.ServiceAccountName = "default"
	spec.Priority = ptr(int32(0))
	spec.EnableServiceLinks = ptr(true)
	spec.PreemptionPolicy = ptr(corev1.PreemptLowerPriority)
	spec.Tolerations = []corev1.Toleration{
		{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr(int64(300))},
		{Key: "node.kubernetes.io/unreachable", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr(int64(300))},
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, GenerateName: rsName + "-", Namespace: "default",
			UID:               types.UID(fmt.Sprintf("0c5e8f1a-7d2b-4c3e-9f4a-%012x", fnv32(suffix))),
			ResourceVersion:   "1188",
			CreationTimestamp: ago(created),
			Labels:            map[string]string{"app": "web", "pod-template-hash": podHash},
			OwnerReferences:   controllerRef("apps/v1", "ReplicaSet", rsName, rsUID),
		},
		Spec:   spec,
		Status: corev1.PodStatus{Phase: corev1.PodPending, QOSClass: corev1.PodQOSBestEffort},
	}
}

func condition(t corev1.PodConditionType, s corev1.ConditionStatus, at metav1.Time) corev1.PodCondition {
	return corev1.PodCondition{Type: t, Status: s, LastTransitionTime: at}
}

// pendingPod: created, no node fits it yet.
func pendingPod(suffix string) *corev1.Pod {
	pod := webPod(suffix, 4*time.Minute+59*time.Second)
	c := condition(corev1.PodScheduled, corev1.ConditionFalse, ago(4*time.Minute+59*time.Second))
	c.Reason = corev1.PodReasonUnschedulable
	c.Message = unschedulableMessage
	pod.Status.Conditions = []corev1.PodCondition{c}
	return pod
}

const unschedulableMessage = "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable. " +
	"preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."

// creatingPod: bound to node-1, the kubelet is pulling the image.
func creatingPod(suffix string) *corev1.Pod {
	pod := webPod(suffix, 4*time.Minute+59*time.Second)
	pod.Spec.NodeName = "node-1"
	start := ago(4*time.Minute + 58*time.Second)
	pod.Status.HostIP = "192.168.49.3"
	pod.Status.HostIPs = []corev1.HostIP{{IP: "192.168.49.3"}}
	pod.Status.StartTime = &start
	notReady := condition(corev1.PodReady, corev1.ConditionFalse, start)
	notReady.Reason, notReady.Message = "ContainersNotReady", "containers with unready status: [nginx]"
	containersNotReady := condition(corev1.ContainersReady, corev1.ConditionFalse, start)
	containersNotReady.Reason, containersNotReady.Message = "ContainersNotReady", "containers with unready status: [nginx]"
	pod.Status.Conditions = []corev1.PodCondition{
		condition(corev1.PodReadyToStartContainers, corev1.ConditionFalse, start),
		condition(corev1.PodInitialized, corev1.ConditionTrue, start),
		notReady,
		containersNotReady,
		condition(corev1.PodScheduled, corev1.ConditionTrue, start),
	}
	pod.Status.ContainerStatuses = []corev1.ContainerStatus{{
		Name:    "nginx",
		Image:   "nginx",
		Started: ptr(false),
		State:   corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}},
	}}
	return pod
}

// runningPod: nginx started, no probes, so ready at once.
func runningPod(suffix, ip string) *corev1.Pod {
	pod := creatingPod(suffix)
	started := ago(4*time.Minute + 56*time.Second)
	start := *pod.Status.StartTime
	pod.Status.Phase = corev1.PodRunning
	pod.Status.PodIP = ip
	pod.Status.PodIPs = []corev1.PodIP{{IP: ip}}
	pod.Status.Conditions = []corev1.PodCondition{
		condition(corev1.PodReadyToStartContainers, corev1.ConditionTrue, started),
		condition(corev1.PodInitialized, corev1.ConditionTrue, start),
		condition(corev1.PodReady, corev1.ConditionTrue, started),
		condition(corev1.ContainersReady, corev1.ConditionTrue, started),
		condition(corev1.PodScheduled, corev1.ConditionTrue, start),
	}
	pod.Status.ContainerStatuses = []corev1.ContainerStatus{{
		Name:        "nginx",
		Image:       "docker.io/library/nginx:latest",
		ImageID:     nginxDigest,
		ContainerID: "containerd://4f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b",
		Ready:       true,
		Started:     ptr(true),
		State:       corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: started}},
	}}
	return pod
}

// terminatingPod: `kubectl delete pod` 5 seconds ago, within its 30 s grace period.
func terminatingPod(suffix, ip string) *corev1.Pod {
	pod := runningPod(suffix, ip)
	deletion := metav1.NewTime(testNow.Add(25 * time.Second))
	pod.DeletionTimestamp = &deletion
	pod.DeletionGracePeriodSeconds = ptr(int64(30))
	return pod
}

// lifecyclePods are four pods of web in each state, as `kubectl get pods` lists them (by name).
func lifecyclePods() []runtime.Object {
	return []runtime.Object{
		pendingPod("7kq2w"),
		terminatingPod("d6frp", "10.244.1.5"),
		creatingPod("m4z9t"),
		runningPod("x2k9q", "10.244.1.2"),
	}
}

// statusPods are bare pods in the other states the STATUS column knows.
func statusPods() []runtime.Object {
	crash := runningPod("c2rsh", "10.244.1.7")
	crash.Name, crash.GenerateName, crash.OwnerReferences = "crasher", "", nil
	crash.CreationTimestamp = ago(3 * time.Minute)
	crash.Status.Conditions[2].Status = corev1.ConditionFalse // Ready
	crash.Status.Conditions[3].Status = corev1.ConditionFalse // ContainersReady
	crash.Status.ContainerStatuses[0].Ready = false
	crash.Status.ContainerStatuses[0].RestartCount = 4
	crash.Status.ContainerStatuses[0].State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
		Reason: "CrashLoopBackOff", Message: "back-off 1m20s restarting failed container=nginx pod=crasher_default(...)",
	}}
	crash.Status.ContainerStatuses[0].LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
		ExitCode: 1, Reason: "Error", StartedAt: ago(50 * time.Second), FinishedAt: ago(48 * time.Second),
	}}

	done := runningPod("d0ne0", "10.244.1.8")
	done.Name, done.GenerateName, done.OwnerReferences = "job-once", "", nil
	done.Spec.RestartPolicy = corev1.RestartPolicyNever
	done.CreationTimestamp = ago(2 * time.Minute)
	done.Status.Phase = corev1.PodSucceeded
	done.Status.ContainerStatuses[0].Ready = false
	done.Status.ContainerStatuses[0].State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
		ExitCode: 0, Reason: "Completed", StartedAt: ago(118 * time.Second), FinishedAt: ago(110 * time.Second),
	}}

	pulling := creatingPod("b4d1m")
	pulling.Name, pulling.GenerateName, pulling.OwnerReferences = "typo", "", nil
	pulling.Spec.Containers[0].Image = "ngnix"
	pulling.CreationTimestamp = ago(90 * time.Second)
	pulling.Status.ContainerStatuses[0].Image = "ngnix"
	pulling.Status.QOSClass = corev1.PodQOSBurstable
	withExtras(pulling)
	pulling.Status.ContainerStatuses[0].State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
		Reason: "ImagePullBackOff", Message: `Back-off pulling image "ngnix"`,
	}}

	gated := webPod("g4t3d", 30*time.Second)
	gated.Name, gated.GenerateName, gated.OwnerReferences = "gated", "", nil
	gated.Spec.ReadinessGates = []corev1.PodReadinessGate{{ConditionType: "example.com/ready"}}
	c := condition(corev1.PodScheduled, corev1.ConditionFalse, ago(30*time.Second))
	c.Reason = corev1.PodReasonSchedulingGated
	gated.Status.Conditions = []corev1.PodCondition{c}

	for _, pod := range []*corev1.Pod{crash, gated, done, pulling} {
		pod.Labels = map[string]string{"run": pod.Name} // as `kubectl run` labels them
	}
	return []runtime.Object{crash, gated, done, pulling}
}

// withExtras gives a pod resources, env vars, a probe and volumes, including
// the kube-api-access volume the ServiceAccount admission plugin adds.
func withExtras(pod *corev1.Pod) {
	c := &pod.Spec.Containers[0]
	c.Ports = []corev1.ContainerPort{{ContainerPort: 80, Protocol: corev1.ProtocolTCP}}
	c.Resources = corev1.ResourceRequirements{
		Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("250m"), corev1.ResourceMemory: resource.MustParse("64Mi")},
		Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m"), corev1.ResourceMemory: resource.MustParse("128Mi")},
	}
	c.Env = []corev1.EnvVar{
		{Name: "GREETING", Value: "hello"},
		{Name: "NODE_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "spec.nodeName"}}},
		{Name: "CPU_LIMIT", ValueFrom: &corev1.EnvVarSource{ResourceFieldRef: &corev1.ResourceFieldSelector{Resource: "limits.cpu"}}},
	}
	c.ReadinessProbe = &corev1.Probe{
		ProbeHandler:   corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromInt32(80), Scheme: corev1.URISchemeHTTP}},
		TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3,
	}
	c.VolumeMounts = []corev1.VolumeMount{
		{Name: "kube-api-access-8x2lq", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnly: true},
		{Name: "cache", MountPath: "/cache"},
	}
	pod.Spec.Volumes = []corev1.Volume{
		{Name: "cache", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
		{Name: "kube-api-access-8x2lq", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
			DefaultMode: ptr(int32(420)),
			Sources: []corev1.VolumeProjection{
				{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{ExpirationSeconds: ptr(int64(3607)), Path: "token"}},
				{ConfigMap: &corev1.ConfigMapProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "kube-root-ca.crt"},
					Items: []corev1.KeyToPath{{Key: "ca.crt", Path: "ca.crt"}}}},
				{DownwardAPI: &corev1.DownwardAPIProjection{Items: []corev1.DownwardAPIVolumeFile{
					{Path: "namespace", FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.namespace"}}}}},
			},
		}}},
	}
}

func nodeConditions(at metav1.Time, ready bool) []corev1.NodeCondition {
	heartbeat := ago(40 * time.Second)
	readyStatus, readyReason, readyMessage := corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status"
	if !ready {
		readyStatus, readyReason, readyMessage = corev1.ConditionUnknown, "NodeStatusUnknown", "Kubelet stopped posting node status."
	}
	return []corev1.NodeCondition{
		{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionFalse, LastHeartbeatTime: heartbeat, LastTransitionTime: at,
			Reason: "KubeletHasSufficientMemory", Message: "kubelet has sufficient memory available"},
		{Type: corev1.NodeDiskPressure, Status: corev1.ConditionFalse, LastHeartbeatTime: heartbeat, LastTransitionTime: at,
			Reason: "KubeletHasNoDiskPressure", Message: "kubelet has no disk pressure"},
		{Type: corev1.NodePIDPressure, Status: corev1.ConditionFalse, LastHeartbeatTime: heartbeat, LastTransitionTime: at,
			Reason: "KubeletHasSufficientPID", Message: "kubelet has sufficient PID available"},
		{Type: corev1.NodeReady, Status: readyStatus, LastHeartbeatTime: heartbeat, LastTransitionTime: at,
			Reason: readyReason, Message: readyMessage},
	}
}

func testNode(name, ip, cidr string, index int) *corev1.Node {
	created := ago(clusterAge)
	resources := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse("4"),
		corev1.ResourceMemory:           resource.MustParse("8Gi"),
		corev1.ResourcePods:             resource.MustParse("110"),
		corev1.ResourceEphemeralStorage: resource.MustParse("100Gi"),
		"hugepages-1Gi":                 resource.MustParse("0"),
		"hugepages-2Mi":                 resource.MustParse("0"),
	}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, UID: types.UID(fmt.Sprintf("9d1c2b3a-4e5f-4a6b-8c7d-00000000000%d", index)), ResourceVersion: "1150",
			CreationTimestamp: created,
			Labels: map[string]string{
				"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
				"kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
			},
			Annotations: map[string]string{
				"node.alpha.kubernetes.io/ttl":                           "0",
				"volumes.kubernetes.io/controller-managed-attach-detach": "true",
			},
		},
		Spec: corev1.NodeSpec{PodCIDR: cidr, PodCIDRs: []string{cidr}},
		Status: corev1.NodeStatus{
			Capacity:    resources,
			Allocatable: resources.DeepCopy(),
			Conditions:  nodeConditions(ago(clusterAge-20*time.Second), true),
			Addresses: []corev1.NodeAddress{
				{Type: corev1.NodeInternalIP, Address: ip},
				{Type: corev1.NodeHostName, Address: name},
			},
			NodeInfo: corev1.NodeSystemInfo{
				MachineID:               fmt.Sprintf("4b2e8f0d6a1c4e7b9d3f5a2c8e6b0d1%d", index),
				SystemUUID:              fmt.Sprintf("4b2e8f0d-6a1c-4e7b-9d3f-5a2c8e6b0d1%d", index),
				BootID:                  fmt.Sprintf("c7e1a9f3-2d4b-4f6e-8a0c-1b3d5f7e9a2%d", index),
				KernelVersion:           "6.8.0-1015-gcp",
				OSImage:                 "Debian GNU/Linux 12 (bookworm)",
				ContainerRuntimeVersion: "containerd://2.1.3",
				KubeletVersion:          release.GitVersion,
				OperatingSystem:         "linux",
				Architecture:            "amd64",
			},
		},
	}
}

// nodes: node-1 ready; node-2 cordoned (`kubectl cordon node-2`), so the
// node lifecycle controller added the unschedulable taint.
func testNodes() []runtime.Object {
	n1 := testNode("node-1", "192.168.49.3", "10.244.1.0/24", 1)
	n2 := testNode("node-2", "192.168.49.4", "10.244.2.0/24", 2)
	n2.Spec.Unschedulable = true
	n2.Spec.Taints = []corev1.Taint{{Key: "node.kubernetes.io/unschedulable", Effect: corev1.TaintEffectNoSchedule, TimeAdded: ptr(ago(10 * time.Minute))}}
	return []runtime.Object{n1, n2}
}

func kubernetesService() *corev1.Service {
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{
			Name: "kubernetes", Namespace: "default", UID: "2e4f6a8c-0b1d-4e3f-a5c7-9e1b3d5f7a9c", ResourceVersion: "198",
			CreationTimestamp: ago(clusterAge),
			Labels:            map[string]string{"component": "apiserver", "provider": "kubernetes"},
		},
		Spec: corev1.ServiceSpec{
			Ports: []corev1.ServicePort{{
				Name: "https", Protocol: corev1.ProtocolTCP, Port: 443, TargetPort: intstr.FromInt32(6443),
			}},
			ClusterIP:             "10.96.0.1",
			ClusterIPs:            []string{"10.96.0.1"},
			Type:                  corev1.ServiceTypeClusterIP,
			SessionAffinity:       corev1.ServiceAffinityNone,
			IPFamilies:            []corev1.IPFamily{corev1.IPv4Protocol},
			IPFamilyPolicy:        ptr(corev1.IPFamilyPolicySingleStack),
			InternalTrafficPolicy: ptr(corev1.ServiceInternalTrafficPolicyCluster),
		},
	}
}

func testNamespaces() []runtime.Object {
	var out []runtime.Object
	for _, name := range []string{"default", "kube-node-lease", "kube-public", "kube-system"} {
		out = append(out, &corev1.Namespace{
			ObjectMeta: metav1.ObjectMeta{
				Name: name, CreationTimestamp: ago(clusterAge),
				Labels: map[string]string{"kubernetes.io/metadata.name": name},
			},
			Spec:   corev1.NamespaceSpec{Finalizers: []corev1.FinalizerName{corev1.FinalizerKubernetes}},
			Status: corev1.NamespaceStatus{Phase: corev1.NamespaceActive},
		})
	}
	return out
}

// event builds an Event as the components of v1.37 record them: kube-scheduler through
// events.k8s.io/v1 (action, eventTime, no source, count or timestamps), the others through
// core/v1 (a kubelet names its node as reportingInstance; controllers leave it empty).
func event(name, kind, objName string, uid types.UID, fieldPath, typ, reason, component, host, msg string, first, last time.Duration, count int32) *corev1.Event {
	ns := "default"
	if kind == "Node" {
		ns = ""
	}
	apiVersion := "v1"
	if kind == "Deployment" || kind == "ReplicaSet" {
		apiVersion = "apps/v1"
	}
	e := &corev1.Event{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", CreationTimestamp: ago(first)},
		InvolvedObject: corev1.ObjectReference{
			Kind: kind, Namespace: ns, Name: objName, UID: uid, APIVersion: apiVersion, FieldPath: fieldPath,
		},
		Reason: reason, Message: msg, Type: typ,
		Source:         corev1.EventSource{Component: component, Host: host},
		FirstTimestamp: ago(first), LastTimestamp: ago(last), Count: count,
		ReportingController: component, ReportingInstance: host,
	}
	if component == "default-scheduler" {
		e.Action = map[string]string{"Scheduled": "Binding", "FailedScheduling": "Scheduling"}[reason]
		e.EventTime = metav1.NewMicroTime(ago(first).Time)
		if count > 1 {
			e.Series = &corev1.EventSeries{Count: count, LastObservedTime: metav1.NewMicroTime(ago(last).Time)}
		}
		e.Source, e.FirstTimestamp, e.LastTimestamp, e.Count = corev1.EventSource{}, metav1.Time{}, metav1.Time{}, 0
		e.ReportingInstance = "default-scheduler-control-plane"
	}
	return e
}

// webPods are the three pods of web once the rollout is done.
func webPods() []runtime.Object {
	return []runtime.Object{
		runningPod("4b7mz", "10.244.1.3"),
		runningPod("p9lzn", "10.244.1.4"),
		runningPod("x2k9q", "10.244.1.2"),
	}
}

// testEvents are the events of creating web (and of the lifecycle pods),
// sorted by name as the API server lists them.
func testEvents() []runtime.Object {
	const kubeletPath = "spec.containers{nginx}"
	var evs []*corev1.Event
	add := func(e *corev1.Event) { evs = append(evs, e) }

	add(event("web.18459a0c1e2d3f40", "Deployment", "web", deployUID, "", "Normal", "ScalingReplicaSet", "deployment-controller", "",
		"Scaled up replica set web-5d8b7c6f94 from 0 to 3", deployAge, deployAge, 1))
	for i, suffix := range []string{"x2k9q", "4b7mz", "p9lzn"} {
		pod := runningPod(suffix, "")
		hex := fmt.Sprintf("%x", 0x18459a0c1f3a5b61+i)
		add(event(rsName+"."+hex, "ReplicaSet", rsName, rsUID, "", "Normal", "SuccessfulCreate", "replicaset-controller", "",
			"Created pod: "+pod.Name, deployAge-time.Second, deployAge-time.Second, 1))
		base := 0x18459a0c20a1b2c3 + i*0x100
		add(event(pod.Name+"."+fmt.Sprintf("%x", base), "Pod", pod.Name, pod.UID, "", "Normal", "Scheduled", "default-scheduler", "",
			"Successfully assigned default/"+pod.Name+" to node-1", deployAge-time.Second, deployAge-time.Second, 1))
		add(event(pod.Name+"."+fmt.Sprintf("%x", base+1), "Pod", pod.Name, pod.UID, kubeletPath, "Normal", "Pulling", "kubelet", "node-1",
			`Pulling image "nginx"`, deployAge-time.Second, deployAge-time.Second, 1))
		add(event(pod.Name+"."+fmt.Sprintf("%x", base+2), "Pod", pod.Name, pod.UID, kubeletPath, "Normal", "Pulled", "kubelet", "node-1",
			`Successfully pulled image "nginx" in 1.2s (1.2s including waiting). Image size: 72223946 bytes.`, deployAge-3*time.Second, deployAge-3*time.Second, 1))
		add(event(pod.Name+"."+fmt.Sprintf("%x", base+3), "Pod", pod.Name, pod.UID, kubeletPath, "Normal", "Created", "kubelet", "node-1",
			"Container created", deployAge-4*time.Second, deployAge-4*time.Second, 1))
		add(event(pod.Name+"."+fmt.Sprintf("%x", base+4), "Pod", pod.Name, pod.UID, kubeletPath, "Normal", "Started", "kubelet", "node-1",
			"Container started", deployAge-4*time.Second, deployAge-4*time.Second, 1))
	}

	pending := pendingPod("7kq2w")
	add(event(pending.Name+".18459a0c20b2c3d4", "Pod", pending.Name, pending.UID, "", "Warning", "FailedScheduling", "default-scheduler", "",
		unschedulableMessage, deployAge-time.Second, 25*time.Second, 5))
	creating := creatingPod("m4z9t")
	add(event(creating.Name+".18459a0c21c3d4e5", "Pod", creating.Name, creating.UID, "", "Normal", "Scheduled", "default-scheduler", "",
		"Successfully assigned default/"+creating.Name+" to node-1", deployAge-time.Second, deployAge-time.Second, 1))
	add(event(creating.Name+".18459a0c3c6d7e85", "Pod", creating.Name, creating.UID, kubeletPath, "Normal", "Pulling", "kubelet", "node-1",
		`Pulling image "nginx"`, deployAge-2*time.Second, deployAge-2*time.Second, 1))
	terminating := terminatingPod("d6frp", "10.244.1.5")
	add(event(terminating.Name+".1845a0f1d2e3f406", "Pod", terminating.Name, terminating.UID, kubeletPath, "Normal", "Killing", "kubelet", "node-1",
		"Stopping container nginx", 5*time.Second, 5*time.Second, 1))

	crash := statusPods()[0].(*corev1.Pod)
	add(event("crasher.18459b2a9c8d7e61", "Pod", crash.Name, crash.UID, kubeletPath, "Warning", "BackOff", "kubelet", "node-1",
		"Back-off restarting failed container nginx in pod crasher_default("+string(crash.UID)+")", 2*time.Minute+30*time.Second, 8*time.Second, 12))

	add(event("node-1.18459642a0b1c2d3", "Node", "node-1", "node-1", "", "Normal", "Starting", "kubelet", "node-1",
		"Starting kubelet.", clusterAge-10*time.Second, clusterAge-10*time.Second, 1))
	add(event("node-1.18459642b1c2d3e4", "Node", "node-1", "node-1", "", "Normal", "NodeReady", "kubelet", "node-1",
		"Node node-1 status is now: NodeReady", clusterAge-20*time.Second, clusterAge-20*time.Second, 1))
	add(event("node-1.18459642c2d3e4f5", "Node", "node-1", "9d1c2b3a-4e5f-4a6b-8c7d-000000000001", "", "Normal", "RegisteredNode", "node-controller", "",
		"Node node-1 event: Registered Node node-1 in Controller", clusterAge-15*time.Second, clusterAge-15*time.Second, 1))

	sort.Slice(evs, func(i, j int) bool { return evs[i].Name < evs[j].Name })
	out := make([]runtime.Object, 0, len(evs))
	for _, e := range evs {
		out = append(out, e)
	}
	return out
}

// fakeReader is an in-memory API server for the describers.
type fakeReader struct {
	objects map[string][]runtime.Object
	failOn  map[string]bool
}

func newFakeReader(objs map[string][]runtime.Object) *fakeReader {
	return &fakeReader{objects: objs, failOn: map[string]bool{}}
}

func (f *fakeReader) List(resource, namespace string, selector labels.Selector) ([]runtime.Object, error) {
	if f.failOn[resource] {
		return nil, fmt.Errorf("%s is forbidden", resource)
	}
	var out []runtime.Object
	for _, obj := range f.objects[resource] {
		m, err := metaOf(obj)
		if err != nil {
			return nil, err
		}
		if namespace != "" && m.GetNamespace() != namespace {
			continue
		}
		if selector != nil && !selector.Matches(labels.Set(m.GetLabels())) {
			continue
		}
		out = append(out, obj)
	}
	return out, nil
}

func (f *fakeReader) Get(resource, namespace, name string) (runtime.Object, error) {
	for _, obj := range f.objects[resource] {
		m, err := metaOf(obj)
		if err != nil {
			return nil, err
		}
		if m.GetNamespace() == namespace && m.GetName() == name {
			return obj, nil
		}
	}
	return nil, fmt.Errorf("%s %q not found", resource, name)
}

func metaOf(obj runtime.Object) (metav1.Object, error) {
	m, ok := obj.(metav1.Object)
	if !ok {
		return nil, fmt.Errorf("%T has no metadata", obj)
	}
	return m, nil
}

// clusterReader holds everything the fixtures describe.
func clusterReader() *fakeReader {
	pods := append(webPods(), statusPods()...)
	return newFakeReader(map[string][]runtime.Object{
		"pods":        pods,
		"deployments": {webDeployment()},
		"replicasets": {webReplicaSet()},
		"nodes":       testNodes(),
		"events":      testEvents(),
		"services":    {kubernetesService()},
		"namespaces":  testNamespaces(),
		"endpointslices": {&discoveryv1.EndpointSlice{
			ObjectMeta: metav1.ObjectMeta{
				Name: "kubernetes", Namespace: "default", CreationTimestamp: ago(clusterAge),
				Labels: map[string]string{discoveryv1.LabelServiceName: "kubernetes", discoveryv1.LabelManagedBy: "endpointslice-controller.k8s.io"},
			},
			AddressType: discoveryv1.AddressTypeIPv4,
			Endpoints:   []discoveryv1.Endpoint{{Addresses: []string{"192.168.49.2"}, Conditions: discoveryv1.EndpointConditions{Ready: ptr(true)}}},
			Ports:       []discoveryv1.EndpointPort{{Name: ptr("https"), Port: ptr(int32(6443)), Protocol: ptr(corev1.ProtocolTCP)}},
		}},
	})
}
