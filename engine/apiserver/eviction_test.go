package apiserver

import (
	"net/http"
	"testing"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// runningPod creates a pod bound to node-1 whose status says Running and Ready (or not).
func runningPod(t *testing.T, c *Client, name string, ready bool) {
	t.Helper()
	p := pod(name, "")
	p.Spec.NodeName = "node-1"
	if _, err := c.Create("pods", "default", p); err != nil {
		t.Fatal(err)
	}
	status := corev1.ConditionFalse
	if ready {
		status = corev1.ConditionTrue
	}
	if _, err := c.MutateStatus("pods", "default", name, func(o runtime.Object) error {
		o.(*corev1.Pod).Status.Phase = corev1.PodRunning
		o.(*corev1.Pod).Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: status}}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// budget creates a PodDisruptionBudget for app=web with the given status, as the disruption
// controller would have written it.
func budget(t *testing.T, c *Client, name string, allowed, healthy, desired int32) {
	t.Helper()
	min := intstr.FromInt32(desired)
	pdb := &policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: policyv1.PodDisruptionBudgetSpec{MinAvailable: &min, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}}}
	if _, err := c.Create("poddisruptionbudgets", "default", pdb); err != nil {
		t.Fatal(err)
	}
	if _, err := c.MutateStatus("poddisruptionbudgets", "default", name, func(o runtime.Object) error {
		p := o.(*policyv1.PodDisruptionBudget)
		p.Status = policyv1.PodDisruptionBudgetStatus{ObservedGeneration: p.Generation, DisruptionsAllowed: allowed,
			CurrentHealthy: healthy, DesiredHealthy: desired, ExpectedPods: 3}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestEvict(t *testing.T) {
	tests := []struct {
		name     string
		ready    bool
		pending  bool
		budgets  func(t *testing.T, c *Client)
		wantCode int32 // 0: evicted
		wantMsg  string
	}{
		{name: "no budget", ready: true, budgets: func(*testing.T, *Client) {}},
		{name: "budget allows one", ready: true, budgets: func(t *testing.T, c *Client) { budget(t, c, "web", 1, 3, 2) }},
		{name: "budget allows none", ready: true, budgets: func(t *testing.T, c *Client) { budget(t, c, "web", 0, 2, 2) },
			wantCode: http.StatusTooManyRequests, wantMsg: "Cannot evict pod as it would violate the pod's disruption budget."},
		{name: "unready pod, budget met without it", ready: false, budgets: func(t *testing.T, c *Client) { budget(t, c, "web", 0, 2, 2) }},
		{name: "unready pod, budget not met", ready: false, budgets: func(t *testing.T, c *Client) { budget(t, c, "web", 0, 1, 2) },
			wantCode: http.StatusTooManyRequests, wantMsg: "Cannot evict pod as it would violate the pod's disruption budget."},
		{name: "pending pod ignores its budget", pending: true, budgets: func(t *testing.T, c *Client) { budget(t, c, "web", 0, 0, 2) }},
		{name: "two budgets", ready: true, budgets: func(t *testing.T, c *Client) { budget(t, c, "a", 1, 3, 2); budget(t, c, "b", 1, 3, 2) },
			wantCode: http.StatusInternalServerError, wantMsg: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := newServer(t, 1)
			c := s.Client("kubectl")
			if tt.pending {
				if _, err := c.Create("pods", "default", pod("web-1", "")); err != nil {
					t.Fatal(err)
				}
			} else {
				runningPod(t, c, "web-1", tt.ready)
			}
			tt.budgets(t, c)
			err := c.Evict("default", &policyv1.Eviction{ObjectMeta: metav1.ObjectMeta{Name: "web-1"}})
			if tt.wantCode != 0 {
				status, ok := err.(apierrors.APIStatus)
				if !ok || status.Status().Code != tt.wantCode || status.Status().Message != tt.wantMsg {
					t.Fatalf("got %v, want %d %q", err, tt.wantCode, tt.wantMsg)
				}
				if p, err := c.Get("pods", "default", "web-1"); err != nil || p.(*corev1.Pod).DeletionTimestamp != nil {
					t.Errorf("a refused eviction touched the pod: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			obj, err := c.Get("pods", "default", "web-1")
			if tt.pending {
				if !apierrors.IsNotFound(err) {
					t.Errorf("an unscheduled pod should be gone at once, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p := obj.(*corev1.Pod)
			if p.DeletionTimestamp == nil {
				t.Error("the evicted pod is not terminating")
			}
			found := false
			for _, cond := range p.Status.Conditions {
				found = found || cond.Type == corev1.DisruptionTarget && cond.Reason == "EvictionByEvictionAPI"
			}
			if !found {
				t.Errorf("no DisruptionTarget condition: %+v", p.Status.Conditions)
			}
			if tt.name == "budget allows one" {
				obj, _ := c.Get("poddisruptionbudgets", "default", "web")
				st := obj.(*policyv1.PodDisruptionBudget).Status
				if _, noted := st.DisruptedPods["web-1"]; st.DisruptionsAllowed != 0 || !noted {
					t.Errorf("the budget did not record the disruption: %+v", st)
				}
			}
		})
	}
}

func TestEvictMissingPod(t *testing.T) {
	s, _, _ := newServer(t, 1)
	err := s.Client("kubectl").Evict("default", &policyv1.Eviction{ObjectMeta: metav1.ObjectMeta{Name: "nosuch"}})
	if !apierrors.IsNotFound(err) || err.Error() != `pods "nosuch" not found` {
		t.Errorf("got %v", err)
	}
}
