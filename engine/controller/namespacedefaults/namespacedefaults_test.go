package namespacedefaults_test

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/controller/namespacedefaults"
)

// writers runs the cluster until idle and returns who created or updated each object, by
// "resource/namespace/name".
func writers(c *cluster.Cluster) map[string]string {
	out := map[string]string{}
	for _, e := range c.Run(0) {
		for _, w := range e.Writes {
			out[w.Resource+"/"+w.Namespace+"/"+w.Name] = e.Component
		}
	}
	return out
}

// TestLaterNamespacesGetTheirDefaults checks what kube-controller-manager does for a namespace
// created after start: the serviceaccount-controller creates the default ServiceAccount, the
// root-ca-cert-publisher the kube-root-ca.crt ConfigMap, each as its own step in the trace; a
// deleted one comes back, and a changed ConfigMap is put back as published.
func TestLaterNamespacesGetTheirDefaults(t *testing.T) {
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	if steps := c.Run(0); len(steps) != 0 {
		t.Fatalf("a fresh cluster has work for its controllers: %+v", steps)
	}
	client := c.API().Client("test")
	if _, err := client.Create("namespaces", "", &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "dev"}}); err != nil {
		t.Fatal(err)
	}
	got := writers(c)
	if got["serviceaccounts/dev/default"] != namespacedefaults.ServiceAccountsName ||
		got["configmaps/dev/kube-root-ca.crt"] != namespacedefaults.RootCAPublisherName {
		t.Fatalf("writes after a new namespace: %v", got)
	}
	want, err := client.Get("configmaps", "default", namespacedefaults.RootCAConfigMapName)
	if err != nil {
		t.Fatal(err)
	}
	cm, err := client.Get("configmaps", "dev", namespacedefaults.RootCAConfigMapName)
	if err != nil || cm.(*corev1.ConfigMap).Data["ca.crt"] != want.(*corev1.ConfigMap).Data["ca.crt"] {
		t.Fatalf("kube-root-ca.crt in dev: %v %v", cm, err)
	}

	for _, r := range []struct{ resource, name string }{{"serviceaccounts", "default"}, {"configmaps", namespacedefaults.RootCAConfigMapName}} {
		if _, err := client.Delete(r.resource, "dev", r.name, apiserver.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		writers(c)
		if _, err := client.Get(r.resource, "dev", r.name); err != nil {
			t.Errorf("deleted %s/%s did not come back: %v", r.resource, r.name, err)
		}
	}

	if _, err := client.Mutate("configmaps", "dev", namespacedefaults.RootCAConfigMapName, func(o runtime.Object) error {
		o.(*corev1.ConfigMap).Data["ca.crt"] = "tampered"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := writers(c); got["configmaps/dev/kube-root-ca.crt"] != namespacedefaults.RootCAPublisherName {
		t.Errorf("a changed kube-root-ca.crt was not put back: %v", got)
	}
	cm, _ = client.Get("configmaps", "dev", namespacedefaults.RootCAConfigMapName)
	if cm.(*corev1.ConfigMap).Data["ca.crt"] != want.(*corev1.ConfigMap).Data["ca.crt"] {
		t.Errorf("kube-root-ca.crt after repair: %v", cm.(*corev1.ConfigMap).Data)
	}
	// Another ServiceAccount or ConfigMap is none of their business.
	if _, err := client.Create("configmaps", "dev", &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "other"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Delete("configmaps", "dev", "other", apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if steps := c.Run(0); len(steps) != 0 {
		t.Errorf("other objects woke the controllers: %d steps", len(steps))
	}
}
