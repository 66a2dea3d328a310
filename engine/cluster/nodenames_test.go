package cluster_test

import (
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
)

// A cluster named as kind's: its nodes, kubelets and kube-proxies carry the names given, and its
// pods run on them.
func TestNodeNames(t *testing.T) {
	cfg := cluster.DefaultConfig(1)
	cfg.NodeNames = []string{"kind-worker", "kind-worker2"}
	c, err := cluster.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.NodeNames(); !slices.Equal(got, cfg.NodeNames) {
		t.Errorf("NodeNames() = %v", got)
	}
	client := c.API().Client("test")
	if _, err := client.Get("nodes", "", "kind-worker2"); err != nil {
		t.Error(err)
	}
	for _, n := range cfg.NodeNames {
		if _, ok := c.Proxy(n); !ok {
			t.Errorf("no kube-proxy on %s", n)
		}
	}
	if _, err := client.Create("pods", "default", &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx"}}}}); err != nil {
		t.Fatal(err)
	}
	c.Run(0)
	pods, _, _ := client.List("pods", "default", apiserver.ListOptions{})
	if p := pods[0].(*corev1.Pod); !slices.Contains(cfg.NodeNames, p.Spec.NodeName) || p.Status.Phase != corev1.PodRunning {
		t.Errorf("pod on %q, %s", p.Spec.NodeName, p.Status.Phase)
	}

	for _, tt := range []struct {
		names []string
		want  string
	}{
		{[]string{"kind-worker"}, "1 node names for 2 nodes"},
		{[]string{"a", "a"}, `"a" given twice`},
		{[]string{"a", "Kind_Worker"}, `node name "Kind_Worker"`},
	} {
		cfg.NodeNames = tt.names
		if _, err := cluster.New(cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.names, err, tt.want)
		}
	}
}
