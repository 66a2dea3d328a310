package cluster_test

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/cluster"
)

// TestKubeletConditionsCarryObservedGeneration checks the conditions a kubelet writes say which
// generation of the pod they describe, as a v1.35+ kubelet writes them; PodScheduled, set by the
// binding, has none.
func TestKubeletConditionsCarryObservedGeneration(t *testing.T) {
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	client := c.API().Client("test")
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
	p := obj.(*corev1.Pod)
	if len(p.Status.Conditions) != 5 {
		t.Fatalf("conditions %+v", p.Status.Conditions)
	}
	for _, cond := range p.Status.Conditions {
		want := p.Generation
		if cond.Type == corev1.PodScheduled {
			want = 0
		}
		if cond.ObservedGeneration != want {
			t.Errorf("%s: observedGeneration %d, want %d", cond.Type, cond.ObservedGeneration, want)
		}
	}
}
