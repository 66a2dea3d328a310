package kubelet_test

import (
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubelet"
)

func renewTime(t *testing.T, c *cluster.Cluster, node string) time.Time {
	t.Helper()
	obj, err := c.API().Client("test").Get("leases", corev1.NamespaceNodeLease, node)
	if err != nil {
		t.Fatal(err)
	}
	return obj.(*coordinationv1.Lease).Spec.RenewTime.Time
}

// A kubelet renews its Lease every 10 s as time passes, and only then; down, it stops; back up,
// it renews at once and posts its status, Ready again.
func TestLeaseRenewals(t *testing.T) {
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	first := renewTime(t, c, "node-1")
	if e := c.Run(0); len(e) != 0 {
		t.Fatalf("an idle cluster ran %d steps: heartbeats wait for time to pass", len(e))
	}
	c.Wait(35*time.Second, 0)
	if got := renewTime(t, c, "node-1").Sub(first); got != 3*kubelet.LeaseRenewInterval {
		t.Errorf("after 35 s the Lease was renewed %v later, want 30s", got)
	}
	if _, err := c.SetNodeDown("node-2", true); err != nil {
		t.Fatal(err)
	}
	silent := renewTime(t, c, "node-2")
	c.Wait(time.Minute, 0)
	if got := renewTime(t, c, "node-2"); !got.Equal(silent) {
		t.Errorf("a kubelet that is down renewed its Lease at %v", got)
	}
	if _, err := c.SetNodeDown("node-2", false); err != nil {
		t.Fatal(err)
	}
	c.Run(0)
	if got := renewTime(t, c, "node-2"); got.Before(c.Clock().Now().Add(-time.Second)) {
		t.Errorf("back up, the kubelet renewed at %v, now is %v", got, c.Clock().Now())
	}
	obj, _ := c.API().Client("test").Get("nodes", "", "node-2")
	for _, cond := range obj.(*corev1.Node).Status.Conditions {
		if cond.Type == corev1.NodeReady && (cond.Status != corev1.ConditionTrue || cond.Reason != "KubeletReady") {
			t.Errorf("back up, Ready is %s (%s)", cond.Status, cond.Reason)
		}
	}
}
