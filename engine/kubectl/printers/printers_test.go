package printers

import (
	"bytes"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// zeroObjects is one zero-value object per resource this package prints.
func zeroObjects() map[string]runtime.Object {
	return map[string]runtime.Object{
		"pods":        &corev1.Pod{},
		"deployments": &appsv1.Deployment{},
		"replicasets": &appsv1.ReplicaSet{},
		"nodes":       &corev1.Node{},
		"events":      &corev1.Event{},
		"namespaces":  &corev1.Namespace{},
		"services":    &corev1.Service{},
	}
}

func TestZeroValueObjectsNeverPanic(t *testing.T) {
	optionSets := []Options{
		{},
		{Wide: true, AllNamespaces: true, WithKind: true, ShowLabels: true},
		{NoHeaders: true, Now: testNow},
	}
	for resource, obj := range zeroObjects() {
		t.Run(resource, func(t *testing.T) {
			for _, opts := range optionSets {
				var buf bytes.Buffer
				if err := PrintTable(&buf, tableOf(resource), []runtime.Object{obj}, opts); err != nil {
					t.Errorf("PrintTable(%+v): %v", opts, err)
				}
				if !opts.NoHeaders && !strings.Contains(buf.String(), "\n") {
					t.Errorf("PrintTable(%+v) printed no header line: %q", opts, buf.String())
				}
			}
			if err := PrintYAML(&bytes.Buffer{}, []runtime.Object{obj}); err != nil {
				t.Errorf("PrintYAML: %v", err)
			}
			if err := PrintJSON(&bytes.Buffer{}, []runtime.Object{obj}); err != nil {
				t.Errorf("PrintJSON: %v", err)
			}
			if err := PrintNames(&bytes.Buffer{}, resource, []runtime.Object{obj}); err != nil {
				t.Errorf("PrintNames: %v", err)
			}
			// Describing must not panic either, with or without a Reader.
			_ = describe(&bytes.Buffer{}, nil, resource, obj, testNow)
			_ = describe(&bytes.Buffer{}, clusterReader(), resource, obj, testNow)
		})
	}
}

func TestNilObjectsAreErrorsNotPanics(t *testing.T) {
	var nilPod *corev1.Pod
	if err := PrintTable(&bytes.Buffer{}, tableOf("pods"), []runtime.Object{nilPod}, Options{}); err == nil {
		t.Error("PrintTable with a nil pod: want an error")
	}
	if err := PrintYAML(&bytes.Buffer{}, []runtime.Object{nil}); err == nil {
		t.Error("PrintYAML with a nil object: want an error")
	}
	if err := describe(&bytes.Buffer{}, nil, "pods", nilPod, testNow); err == nil {
		t.Error("Describe with a nil pod: want an error")
	}
}

func TestPrintTableErrors(t *testing.T) {
	tests := []struct {
		name     string
		resource string
		objs     []runtime.Object
	}{
		{"unknown resource", "foos", nil},
		{"object of another type", "pods", []runtime.Object{&corev1.Node{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := PrintTable(&bytes.Buffer{}, tableOf(tt.resource), tt.objs, Options{}); err == nil {
				t.Error("want an error")
			}
		})
	}
}

func TestEmptyTablePrintsNothing(t *testing.T) {
	var buf bytes.Buffer
	if err := PrintTable(&buf, tableOf("pods"), nil, Options{Now: testNow}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("empty table printed %q; kubectl prints no header for it", buf.String())
	}
	wrote, err := PrintGroups(&buf, []Group{{Table: tableOf("pods")}, {Table: tableOf("services")}}, Options{Now: testNow})
	if err != nil || wrote || buf.Len() != 0 {
		t.Errorf("PrintGroups of empty groups: wrote=%v err=%v output=%q", wrote, err, buf.String())
	}
}

func TestNoResourcesMessage(t *testing.T) {
	tests := []struct {
		namespace string
		all       bool
		want      string
	}{
		{"default", false, "No resources found in default namespace."},
		{"kube-system", false, "No resources found in kube-system namespace."},
		{"default", true, "No resources found"},
		{"", false, "No resources found"},
	}
	for _, tt := range tests {
		if got := NoResourcesMessage(tt.namespace, tt.all); got != tt.want {
			t.Errorf("NoResourcesMessage(%q, %v) = %q, want %q", tt.namespace, tt.all, got, tt.want)
		}
	}
	if got := NoResourcesMessageFor([]Table{tableOf("pods"), tableOf("services")}, "default", false); got != "No resources found in default namespace." {
		t.Errorf("namespaced types: got %q", got)
	}
	if got := NoResourcesMessageFor([]Table{tableOf("nodes")}, "default", false); got != "No resources found" {
		t.Errorf("nodes: got %q", got)
	}
}

// podRow prints one pod's row and returns its cells.
func podRow(t *testing.T, pod *corev1.Pod) []string {
	t.Helper()
	cells, err := podCells(pod, Options{Now: testNow, Wide: true})
	if err != nil {
		t.Fatal(err)
	}
	return cells
}

func TestPodStatusColumn(t *testing.T) {
	finishedAt := ago(90 * time.Second)
	tests := []struct {
		name         string
		pod          func() *corev1.Pod
		wantReady    string
		wantStatus   string
		wantRestarts string
	}{
		{"pending", func() *corev1.Pod { return pendingPod("a") }, "0/1", "Pending", "0"},
		{"container creating", func() *corev1.Pod { return creatingPod("a") }, "0/1", "ContainerCreating", "0"},
		{"running", func() *corev1.Pod { return runningPod("a", "10.0.0.1") }, "1/1", "Running", "0"},
		{"terminating", func() *corev1.Pod { return terminatingPod("a", "10.0.0.1") }, "1/1", "Terminating", "0"},
		{"deleted but already succeeded", func() *corev1.Pod {
			p := terminatingPod("a", "10.0.0.1")
			p.Status.Phase = corev1.PodSucceeded
			p.Status.ContainerStatuses[0].Ready = false
			p.Status.ContainerStatuses[0].State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "Completed"}}
			return p
		}, "0/1", "Completed", "0"},
		{"node lost", func() *corev1.Pod {
			p := terminatingPod("a", "10.0.0.1")
			p.Status.Reason = "NodeLost"
			return p
		}, "1/1", "Unknown", "0"},
		{"restarted", func() *corev1.Pod {
			p := runningPod("a", "10.0.0.1")
			p.Status.ContainerStatuses[0].RestartCount = 2
			p.Status.ContainerStatuses[0].LastTerminationState.Terminated = &corev1.ContainerStateTerminated{ExitCode: 137, FinishedAt: finishedAt}
			return p
		}, "1/1", "Running", "2 (90s ago)"},
		{"killed by a signal", func() *corev1.Pod {
			p := runningPod("a", "10.0.0.1")
			p.Status.ContainerStatuses[0].Ready = false
			p.Status.ContainerStatuses[0].State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Signal: 9}}
			return p
		}, "0/1", "Signal:9", "0"},
		{"exit code without reason", func() *corev1.Pod {
			p := runningPod("a", "10.0.0.1")
			p.Status.ContainerStatuses[0].Ready = false
			p.Status.ContainerStatuses[0].State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 3}}
			return p
		}, "0/1", "ExitCode:3", "0"},
		{"evicted", func() *corev1.Pod {
			p := webPod("a", time.Minute)
			p.Status.Phase, p.Status.Reason = corev1.PodFailed, "Evicted"
			return p
		}, "0/1", "Evicted", "0"},
		{"init container running", func() *corev1.Pod {
			p := creatingPod("a")
			p.Spec.InitContainers = []corev1.Container{{Name: "init"}, {Name: "init2"}}
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{
				{Name: "init", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed"}}},
				{Name: "init2", State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}},
			}
			p.Status.Conditions[1].Status = corev1.ConditionFalse // Initialized
			return p
		}, "0/1", "Init:1/2", "0"},
		{"init container failing", func() *corev1.Pod {
			p := creatingPod("a")
			p.Spec.InitContainers = []corev1.Container{{Name: "init"}}
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{
				{Name: "init", RestartCount: 3, State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}}},
			}
			p.Status.Conditions[1].Status = corev1.ConditionFalse // Initialized
			return p
		}, "0/1", "Init:CrashLoopBackOff", "3"},
		{"sidecar counts as a container", func() *corev1.Pod {
			p := runningPod("a", "10.0.0.1")
			p.Spec.InitContainers = []corev1.Container{{Name: "proxy", RestartPolicy: ptr(corev1.ContainerRestartPolicyAlways)}}
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{
				{Name: "proxy", Ready: true, Started: ptr(true), State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}},
			}
			return p
		}, "2/2", "Running", "0"},
		{"completed container beside a running one", func() *corev1.Pod {
			p := runningPod("a", "10.0.0.1")
			p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: "once"})
			p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{
				Name: "once", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "Completed"}},
			})
			return p
		}, "1/2", "Running", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cells := podRow(t, tt.pod())
			if cells[1] != tt.wantReady || cells[2] != tt.wantStatus || cells[3] != tt.wantRestarts {
				t.Errorf("READY/STATUS/RESTARTS = %q/%q/%q, want %q/%q/%q",
					cells[1], cells[2], cells[3], tt.wantReady, tt.wantStatus, tt.wantRestarts)
			}
		})
	}
}

func TestPodIPFromEitherField(t *testing.T) {
	pod := runningPod("a", "10.0.0.9")
	pod.Status.PodIPs = nil
	if got := podRow(t, pod)[5]; got != "10.0.0.9" {
		t.Errorf("IP with only status.podIP = %q", got)
	}
	pod.Status.PodIP, pod.Status.PodIPs = "", []corev1.PodIP{{IP: "10.0.0.8"}}
	if got := podRow(t, pod)[5]; got != "10.0.0.8" {
		t.Errorf("IP with only status.podIPs = %q", got)
	}
}

func TestNodeStatusAndRoles(t *testing.T) {
	tests := []struct {
		name       string
		node       func() *corev1.Node
		wantStatus string
		wantRoles  string
	}{
		{"ready", func() *corev1.Node { return testNodes()[0].(*corev1.Node) }, "Ready", "<none>"},
		{"cordoned", func() *corev1.Node { return testNodes()[1].(*corev1.Node) }, "Ready,SchedulingDisabled", "<none>"},
		{"not ready", func() *corev1.Node {
			n := testNode("n", "10.0.0.1", "10.244.9.0/24", 9)
			n.Status.Conditions = nodeConditions(ago(time.Hour), false)
			return n
		}, "NotReady", "<none>"},
		{"no conditions", func() *corev1.Node { return &corev1.Node{} }, "Unknown", "<none>"},
		{"control plane", func() *corev1.Node {
			n := testNode("cp", "10.0.0.1", "10.244.0.0/24", 0)
			n.Labels["node-role.kubernetes.io/control-plane"] = ""
			n.Labels["kubernetes.io/role"] = "master"
			return n
		}, "Ready", "control-plane,master"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cells, err := nodeCells(tt.node(), Options{Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			if cells[1] != tt.wantStatus || cells[2] != tt.wantRoles {
				t.Errorf("STATUS/ROLES = %q/%q, want %q/%q", cells[1], cells[2], tt.wantStatus, tt.wantRoles)
			}
		})
	}
}

func TestServiceCells(t *testing.T) {
	tests := []struct {
		name         string
		svc          func() *corev1.Service
		wide         bool
		wantExternal string
		wantPorts    string
	}{
		{"cluster ip", kubernetesService, false, "<none>", "443/TCP"},
		{"node port", func() *corev1.Service {
			s := kubernetesService()
			s.Spec.Type = corev1.ServiceTypeNodePort
			s.Spec.Ports[0].NodePort = 30443
			return s
		}, false, "<none>", "443:30443/TCP"},
		{"load balancer pending", func() *corev1.Service {
			s := kubernetesService()
			s.Spec.Type = corev1.ServiceTypeLoadBalancer
			return s
		}, false, "<pending>", "443/TCP"},
		{"load balancer long hostname cut", func() *corev1.Service {
			s := kubernetesService()
			s.Spec.Type = corev1.ServiceTypeLoadBalancer
			s.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{Hostname: "a1b2c3.elb.example.com"}}
			return s
		}, false, "a1b2c3.elb.ex...", "443/TCP"},
		{"load balancer long hostname wide", func() *corev1.Service {
			s := kubernetesService()
			s.Spec.Type = corev1.ServiceTypeLoadBalancer
			s.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{Hostname: "a1b2c3.elb.example.com"}}
			return s
		}, true, "a1b2c3.elb.example.com", "443/TCP"},
		{"external name", func() *corev1.Service {
			return &corev1.Service{Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeExternalName, ExternalName: "db.example.com"}}
		}, false, "db.example.com", "<none>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cells, err := serviceCells(tt.svc(), Options{Now: testNow, Wide: tt.wide})
			if err != nil {
				t.Fatal(err)
			}
			if cells[3] != tt.wantExternal || cells[4] != tt.wantPorts {
				t.Errorf("EXTERNAL-IP/PORT(S) = %q/%q, want %q/%q", cells[3], cells[4], tt.wantExternal, tt.wantPorts)
			}
		})
	}
}

func TestEventCells(t *testing.T) {
	series := &corev1.Event{
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "p"},
		EventTime:      metav1.NewMicroTime(testNow.Add(-10 * time.Minute)),
		Series:         &corev1.EventSeries{Count: 7, LastObservedTime: metav1.NewMicroTime(testNow.Add(-30 * time.Second))},
		Message:        "  spaced out \n",
	}
	cells, err := eventCells(series, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if cells[0] != "30s" || cells[7] != "10m" || cells[8] != "7" || cells[6] != "spaced out" {
		t.Errorf("series event cells = %q", cells)
	}
	single := &corev1.Event{InvolvedObject: corev1.ObjectReference{Kind: "Node"}, EventTime: metav1.NewMicroTime(testNow.Add(-time.Minute))}
	cells, _ = eventCells(single, Options{Now: testNow})
	if cells[0] != "60s" || cells[3] != "node" || cells[8] != "1" {
		t.Errorf("singleton event cells = %q", cells)
	}
}

func TestCellsAreSanitized(t *testing.T) {
	pod := runningPod("a", "10.0.0.1")
	pod.Name = "evil\x1b[31mname"
	pod.Status.Reason = "line one\nline two"
	pod.Status.Phase = corev1.PodFailed
	pod.Status.ContainerStatuses = nil
	var buf bytes.Buffer
	if err := PrintTable(&buf, tableOf("pods"), []runtime.Object{pod}, Options{Now: testNow}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "\x1b") || !strings.Contains(out, "evil^[[31mname") || !strings.Contains(out, "line one...") {
		t.Errorf("cells not sanitized like kubectl: %q", out)
	}
}

// TestYAMLKeepsTypeMetaAndDropsManagedFields: apiVersion and kind come from the object, which the
// caller (kubectl get) fills from the resource registry.
func TestYAMLKeepsTypeMetaAndDropsManagedFields(t *testing.T) {
	pod := runningPod("a", "10.0.0.1")
	pod.ManagedFields = []metav1.ManagedFieldsEntry{{Manager: "kubectl-create", Operation: metav1.ManagedFieldsOperationUpdate}}
	var buf bytes.Buffer
	if err := PrintYAML(&buf, typed(pod)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "apiVersion: v1\nkind: Pod\n") {
		t.Errorf("missing apiVersion/kind: %q", out[:40])
	}
	if strings.Contains(out, "managedFields") {
		t.Error("managedFields should be left out")
	}
	if pod.ManagedFields == nil {
		t.Error("printing must not change the object")
	}
	// TypeMeta already set is kept as it is.
	dep := webDeployment()
	dep.TypeMeta = metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"}
	buf.Reset()
	if err := PrintJSON(&buf, []runtime.Object{dep}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "{\n    \"apiVersion\": \"apps/v1\",\n    \"kind\": \"Deployment\",") {
		t.Errorf("json start = %q", buf.String()[:60])
	}
}

func TestDescribeDoesNotChangeObjects(t *testing.T) {
	pod := statusPods()[3].(*corev1.Pod)
	pod.Spec.Tolerations[0], pod.Spec.Tolerations[1] = pod.Spec.Tolerations[1], pod.Spec.Tolerations[0]
	before := pod.DeepCopy()
	if err := describe(&bytes.Buffer{}, clusterReader(), "pods", pod, testNow); err != nil {
		t.Fatal(err)
	}
	if pod.Spec.Tolerations[0].Key != before.Spec.Tolerations[0].Key ||
		pod.Spec.Containers[0].VolumeMounts[0].Name != before.Spec.Containers[0].VolumeMounts[0].Name {
		t.Error("Describe reordered the pod's own slices")
	}
}

func TestDescribeErrors(t *testing.T) {
	tests := []struct {
		name     string
		resource string
		obj      runtime.Object
	}{
		{"unknown resource", "foos", &corev1.Pod{}},
		{"resource and object disagree", "nodes", &corev1.Pod{}},
		{"no describer for the type", "events", &corev1.Event{}},
		{"nil reader is fine but wrong kind is not", "services", &corev1.Namespace{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := describe(&bytes.Buffer{}, nil, tt.resource, tt.obj, testNow); err == nil {
				t.Error("want an error")
			}
		})
	}
}

func TestDescribeDeploymentAfterRollout(t *testing.T) {
	dep := webDeployment()
	dep.Spec.Template.Spec.Containers[0].Image = "nginx:1.27"
	oldRS := webReplicaSet()
	oldRS.Spec.Replicas = ptr(int32(0))
	oldRS.Status = appsv1.ReplicaSetStatus{}
	newRS := webReplicaSet()
	newRS.Name, newRS.UID = "web-7c9d8f6b45", "b1b2b3b4-0000-4000-8000-000000000002"
	newRS.CreationTimestamp = ago(time.Minute)
	newRS.Spec.Template.Spec.Containers[0].Image = "nginx:1.27"
	newRS.Spec.Template.Labels["pod-template-hash"] = "7c9d8f6b45"
	reader := newFakeReader(map[string][]runtime.Object{"replicasets": {oldRS, newRS}})
	var buf bytes.Buffer
	if err := describe(&buf, reader, "deployments", dep, testNow); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"OldReplicaSets:  <none>\n",
		"NewReplicaSet:   web-7c9d8f6b45 (3/3 replicas created)\n",
		"Events:          <none>\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("describe deployment lacks %q:\n%s", want, out)
		}
	}
}

func TestDescribeNodeUsesStoredLease(t *testing.T) {
	node := testNodes()[0].(*corev1.Node)
	holder, renew := "node-1", metav1.NewMicroTime(testNow.Add(-7*time.Second))
	lease := &coordinationv1.Lease{
		ObjectMeta: metav1.ObjectMeta{Name: "node-1", Namespace: "kube-node-lease"},
		Spec:       coordinationv1.LeaseSpec{HolderIdentity: &holder, RenewTime: &renew},
	}
	reader := newFakeReader(map[string][]runtime.Object{"leases": {lease}})
	var buf bytes.Buffer
	if err := describe(&buf, reader, "nodes", node, testNow); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "  RenewTime:       Mon, 02 Jun 2025 10:09:53 +0000\n") {
		t.Errorf("lease renew time not taken from the stored lease:\n%s", buf.String())
	}
}
