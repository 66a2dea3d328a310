package cluster_test

import (
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
)

// TestFreshClusterHoldsWhatARealOneDoes checks the objects a new cluster has before anyone uses
// it: in every namespace the default ServiceAccount and the kube-root-ca.crt ConfigMap, a Lease
// per node in kube-node-lease held by its kubelet, the system priority classes, and the
// kubernetes Service's IPAddress.
func TestFreshClusterHoldsWhatARealOneDoes(t *testing.T) {
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	client := c.API().Client("test")
	for _, ns := range []string{"default", "kube-node-lease", "kube-public", "kube-system"} {
		if _, err := client.Get("serviceaccounts", ns, "default"); err != nil {
			t.Errorf("namespace %s: %v", ns, err)
		}
		cm, err := client.Get("configmaps", ns, "kube-root-ca.crt")
		if err != nil {
			t.Errorf("namespace %s: %v", ns, err)
		} else if len(cm.(*corev1.ConfigMap).Data["ca.crt"]) == 0 {
			t.Errorf("namespace %s: kube-root-ca.crt has no ca.crt", ns)
		}
	}
	nodes, _, _ := client.List("nodes", "", apiserver.ListOptions{})
	for _, n := range nodes {
		name := n.(metav1.Object).GetName()
		obj, err := client.Get("leases", "kube-node-lease", name)
		if err != nil {
			t.Errorf("node %s has no lease: %v", name, err)
			continue
		}
		l := obj.(*coordinationv1.Lease)
		if l.Spec.HolderIdentity == nil || *l.Spec.HolderIdentity != name || l.Spec.RenewTime == nil ||
			len(l.OwnerReferences) != 1 || l.OwnerReferences[0].Kind != "Node" {
			t.Errorf("lease of %s: %+v", name, l)
		}
	}
	for name, value := range map[string]int32{"system-node-critical": 2000001000, "system-cluster-critical": 2000000000} {
		obj, err := client.Get("priorityclasses", "", name)
		if err != nil || obj.(*schedulingv1.PriorityClass).Value != value {
			t.Errorf("priority class %s: %v %v", name, obj, err)
		}
	}
	if _, err := client.Get("ipaddresses", "", "10.96.0.1"); err != nil {
		t.Errorf("the kubernetes Service has no IPAddress: %v", err)
	}
}

// TestKubeletRenewsItsLease checks a kubelet renews its node Lease when it writes status after
// the renew interval.
func TestKubeletRenewsItsLease(t *testing.T) {
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	client := c.API().Client("test")
	c.Clock().Advance(time.Minute)
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "nginx"}}}}
	if _, err := client.Create("pods", "default", pod); err != nil {
		t.Fatal(err)
	}
	c.Run(0)
	obj, err := client.Get("pods", "default", "p")
	if err != nil {
		t.Fatal(err)
	}
	node := obj.(*corev1.Pod).Spec.NodeName
	lease, err := client.Get("leases", "kube-node-lease", node)
	if err != nil {
		t.Fatal(err)
	}
	renewed := lease.(*coordinationv1.Lease).Spec.RenewTime.Time
	if c.Clock().Now().Sub(renewed) > 10*time.Second {
		t.Errorf("lease of %s renewed at %s, now is %s", node, renewed, c.Clock().Now())
	}
}
