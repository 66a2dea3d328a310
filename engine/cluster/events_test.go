package cluster_test

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
)

func listEvents(t *testing.T, c *cluster.Cluster) []*corev1.Event {
	t.Helper()
	objs, _, err := c.API().Client("test").List("events", "", apiserver.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*corev1.Event, len(objs))
	for i, o := range objs {
		out[i] = o.(*corev1.Event)
	}
	return out
}

// TestEventsHaveTheShapeTheirWritersGiveThem checks each component's events as a v1.37 control
// plane stores them (seen with kubectl get events -o yaml): kube-scheduler writes
// events.k8s.io/v1 Events (action, eventTime with microseconds, reportingInstance
// default-scheduler-<host>, no source, count or timestamps); kube-controller-manager's
// controllers write core/v1 Events with a source and an empty reportingInstance; a kubelet
// names its node as source host and reportingInstance.
func TestEventsHaveTheShapeTheirWritersGiveThem(t *testing.T) {
	c, err := cluster.New(cluster.DefaultConfig(7))
	if err != nil {
		t.Fatal(err)
	}
	kubectlRun(t, c, "create deployment web --image=nginx --replicas=2")
	c.Run(0)
	seen := map[string]bool{}
	for _, e := range listEvents(t, c) {
		seen[e.ReportingController] = true
		switch e.ReportingController {
		case "default-scheduler":
			if e.Action != "Binding" || e.EventTime.IsZero() || e.Count != 0 || e.Source != (corev1.EventSource{}) ||
				!e.FirstTimestamp.IsZero() || !e.LastTimestamp.IsZero() || e.ReportingInstance != "default-scheduler-control-plane" {
				t.Errorf("scheduler event not in the events.k8s.io/v1 shape: %+v", e)
			}
			if e.EventTime.Nanosecond() == 0 {
				t.Errorf("scheduler event's eventTime has no fraction of a second: %v", e.EventTime)
			}
		case "deployment-controller", "replicaset-controller", "node-controller":
			if e.Source.Component != e.ReportingController || e.Source.Host != "" || e.ReportingInstance != "" ||
				e.Count != 1 || e.FirstTimestamp.IsZero() || !e.EventTime.IsZero() || e.Action != "" {
				t.Errorf("controller event not in the core/v1 shape: %+v", e)
			}
		case "kubelet":
			if e.Source.Host == "" || e.ReportingInstance != e.Source.Host {
				t.Errorf("kubelet event without its node: %+v", e)
			}
		default:
			t.Errorf("event from an unexpected writer: %+v", e)
		}
	}
	for _, w := range []string{"default-scheduler", "deployment-controller", "replicaset-controller", "node-controller", "kubelet"} {
		if !seen[w] {
			t.Errorf("no event from %s", w)
		}
	}
}

// TestNodesAreRegisteredInTheController checks the RegisteredNode event a real control plane holds
// for every node from the start: the node controller's, about the node (no resourceVersion in the
// reference), in the default namespace.
func TestNodesAreRegisteredInTheController(t *testing.T) {
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, e := range listEvents(t, c) {
		if e.Reason != "RegisteredNode" {
			continue
		}
		node := e.InvolvedObject.Name
		want := "Node " + node + " event: Registered Node " + node + " in Controller"
		if e.Namespace != metav1.NamespaceDefault || e.Message != want || e.InvolvedObject.Kind != "Node" ||
			e.InvolvedObject.UID == "" || e.InvolvedObject.ResourceVersion != "" || e.Source.Component != "node-controller" {
			t.Errorf("RegisteredNode event: %+v", e)
		}
		got[node] = true
	}
	if !got["node-1"] || !got["node-2"] || len(got) != 2 {
		t.Errorf("RegisteredNode events for %v, want node-1 and node-2", got)
	}
}

// TestRepeatedSchedulingFailuresFormASeries checks FailedScheduling repeats as kube-scheduler's
// events.k8s.io/v1 broadcaster writes them: the first repeat on the same pod (same
// resourceVersion) patches series {count: 2}; the event keeps its first note.
func TestRepeatedSchedulingFailuresFormASeries(t *testing.T) {
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	client := c.API().Client("test")
	big := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "big"}, Spec: corev1.PodSpec{Containers: []corev1.Container{{
		Name: "big", Image: "nginx", Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100")}}}}}}
	if _, err := client.Create("pods", "default", big); err != nil {
		t.Fatal(err)
	}
	c.Run(0)
	// A node whose labels change sends the pod back to scheduling; it fails for the same reason,
	// so its status, and resourceVersion, stay as they were.
	for _, v := range []string{"a", "b", "c"} {
		kubectlRun(t, c, "label node node-1 try="+v+" --overwrite")
		c.Run(0)
	}
	var failed []*corev1.Event
	for _, e := range listEvents(t, c) {
		if e.Reason == "FailedScheduling" {
			failed = append(failed, e)
		}
	}
	if len(failed) == 0 {
		t.Fatal("no FailedScheduling event")
	}
	series := false
	for _, e := range failed {
		if e.Action != "Scheduling" || e.Type != corev1.EventTypeWarning || e.Count != 0 {
			t.Errorf("FailedScheduling event: %+v", e)
		}
		if e.Series != nil {
			series = true
			if e.Series.Count != 2 || e.Series.LastObservedTime.IsZero() {
				t.Errorf("series written at the first repeat should count 2, got %+v", e.Series)
			}
		}
	}
	if !series {
		t.Errorf("repeated FailedScheduling made no series: %d events", len(failed))
	}
}

// TestStatusCountsTerminatingReplicas checks status.terminatingReplicas, which the ReplicaSet and
// Deployment controllers report since v1.35 (DeploymentReplicaSetTerminatingReplicas, beta, on):
// a pod being deleted counts on its ReplicaSet and Deployment until it is gone.
func TestStatusCountsTerminatingReplicas(t *testing.T) {
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	kubectlRun(t, c, "create deployment web --image=nginx --replicas=2")
	c.Run(0)
	client := c.API().Client("test")
	terminating := func() (rs, dep int32) {
		t.Helper()
		rss, _, err := client.List("replicasets", "default", apiserver.ListOptions{})
		if err != nil || len(rss) != 1 {
			t.Fatalf("replicasets: %v %v", rss, err)
		}
		d, err := client.Get("deployments", "default", "web")
		if err != nil {
			t.Fatal(err)
		}
		r, dp := rss[0].(*appsv1.ReplicaSet).Status.TerminatingReplicas, d.(*appsv1.Deployment).Status.TerminatingReplicas
		if r == nil || dp == nil {
			t.Fatalf("terminatingReplicas not reported: replicaset %v, deployment %v", r, dp)
		}
		return *r, *dp
	}
	if rs, dep := terminating(); rs != 0 || dep != 0 {
		t.Fatalf("before scaling down: %d, %d terminating", rs, dep)
	}
	kubectlRun(t, c, "scale deployment web --replicas=1")
	seen := false
	for range 200 {
		if _, ok := c.Step(); !ok {
			break
		}
		if rs, dep := terminating(); rs == 1 && dep == 1 {
			seen = true
		}
	}
	if !seen {
		t.Error("the pod being deleted never counted as terminating on both")
	}
	if rs, dep := terminating(); rs != 0 || dep != 0 {
		t.Errorf("once the pod is gone: %d, %d terminating", rs, dep)
	}
}
