package httpapi

import (
	"fmt"
	"net/http"
	"testing"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// TestEvictionAnswers checks what POST pods/<name>/eviction answers over HTTP, as kube-apiserver
// v1.37.2 answers it (pkg/registry/core/pod/storage/eviction.go, and the create handler and
// ErrorNegotiated of k8s.io/apiserver v0.37.2): the code, the Retry-After header client-go
// retries on, and the Status in the body.
func TestEvictionAnswers(t *testing.T) {
	const refused = "Cannot evict pod as it would violate the pod's disruption budget."
	tests := []struct {
		name       string
		budgets    func(t *testing.T, c *apiserver.Client)
		code       int
		retryAfter string // the Retry-After header; "" none
		want       metav1.Status
	}{
		{name: "no budget: evicted", budgets: func(*testing.T, *apiserver.Client) {}, code: http.StatusCreated,
			want: metav1.Status{Status: metav1.StatusSuccess, Code: http.StatusCreated}},
		{name: "budget allows one: evicted", budgets: func(t *testing.T, c *apiserver.Client) { evictionBudget(t, c, "web", 1, 3, 2, nil) },
			code: http.StatusCreated, want: metav1.Status{Status: metav1.StatusSuccess, Code: http.StatusCreated}},
		{name: "budget allows none: 429 without Retry-After, kubectl retries after its 5s",
			budgets: func(t *testing.T, c *apiserver.Client) { evictionBudget(t, c, "web", 0, 2, 2, nil) },
			code:    http.StatusTooManyRequests,
			want: metav1.Status{Status: metav1.StatusFailure, Code: http.StatusTooManyRequests, Reason: metav1.StatusReasonTooManyRequests,
				Message: refused, Details: &metav1.StatusDetails{Causes: []metav1.StatusCause{{Type: policyv1.DisruptionBudgetCause,
					Message: "The disruption budget web needs 2 healthy pods and has 2 currently"}}}}},
		{name: "budget not yet processed: 429 with Retry-After 10, client-go waits and retries",
			budgets: func(t *testing.T, c *apiserver.Client) {
				evictionBudget(t, c, "web", 1, 3, 2, func(p *policyv1.PodDisruptionBudget) { p.Status.ObservedGeneration = 0 })
			},
			code: http.StatusTooManyRequests, retryAfter: "10",
			want: metav1.Status{Status: metav1.StatusFailure, Code: http.StatusTooManyRequests, Reason: metav1.StatusReasonTooManyRequests,
				Message: refused, Details: &metav1.StatusDetails{RetryAfterSeconds: 10, Causes: []metav1.StatusCause{{Type: policyv1.DisruptionBudgetCause,
					Message: "The disruption budget web is still being processed by the server."}}}}},
		{name: "too many evictions not confirmed: 403",
			budgets: func(t *testing.T, c *apiserver.Client) {
				evictionBudget(t, c, "web", 1, 3, 2, func(p *policyv1.PodDisruptionBudget) {
					p.Status.DisruptedPods = map[string]metav1.Time{}
					for i := range apiserver.MaxDisruptedPodSize + 1 {
						p.Status.DisruptedPods[fmt.Sprintf("gone-%d", i)] = metav1.Now()
					}
				})
			},
			code: http.StatusForbidden,
			want: metav1.Status{Status: metav1.StatusFailure, Code: http.StatusForbidden, Reason: metav1.StatusReasonForbidden,
				Message: `poddisruptionbudget.policy "web" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`,
				Details: &metav1.StatusDetails{Name: "web", Group: "policy", Kind: "poddisruptionbudget", Causes: []metav1.StatusCause{{
					Type: policyv1.DisruptionBudgetCause, Message: "The disruption budget web does not allow evicting pods currently: too many pending evictions not confirmed by PDB controller"}}}}},
		{name: "two budgets: 201, the Failure Status of code 500 in the body",
			budgets: func(t *testing.T, c *apiserver.Client) {
				evictionBudget(t, c, "a", 1, 3, 2, nil)
				evictionBudget(t, c, "b", 1, 3, 2, nil)
			},
			code: http.StatusCreated,
			want: metav1.Status{Status: metav1.StatusFailure, Code: http.StatusInternalServerError,
				Message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, b := serveBare(t, Config{})
			c := b.api.Client("kubectl")
			readyPod(t, c, "web-1")
			tt.budgets(t, c)
			r := do(t, srv, http.MethodPost, "/api/v1/namespaces/default/pods/web-1/eviction",
				[]byte(`{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"web-1","namespace":"default"}}`))
			if r.code != tt.code || r.header.Get("Retry-After") != tt.retryAfter {
				t.Fatalf("got %d (Retry-After %q), want %d (%q):\n%s", r.code, r.header.Get("Retry-After"), tt.code, tt.retryAfter, r.body)
			}
			tt.want.TypeMeta = metav1.TypeMeta{Kind: "Status", APIVersion: "v1"}
			if got := r.status(t); fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			obj, err := c.Get("pods", "default", "web-1")
			if err != nil {
				t.Fatal(err)
			}
			if evicted := obj.(*corev1.Pod).DeletionTimestamp != nil; evicted != (tt.want.Status == metav1.StatusSuccess) {
				t.Errorf("the pod is terminating: %v, want %v", evicted, !evicted)
			}
		})
	}
}

// readyPod creates a pod bound to node-1 whose status says Running and Ready.
func readyPod(t *testing.T, c *apiserver.Client, name string) {
	t.Helper()
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"app": "web"}},
		Spec: corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{{Name: "nginx", Image: "nginx"}}}}
	if _, err := c.Create("pods", "default", p); err != nil {
		t.Fatal(err)
	}
	if _, err := c.MutateStatus("pods", "default", name, func(o runtime.Object) error {
		o.(*corev1.Pod).Status.Phase = corev1.PodRunning
		o.(*corev1.Pod).Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// evictionBudget creates a PodDisruptionBudget for app=web with the status the disruption
// controller would have written, changed by edit when not nil.
func evictionBudget(t *testing.T, c *apiserver.Client, name string, allowed, healthy, desired int32, edit func(*policyv1.PodDisruptionBudget)) {
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
			CurrentHealthy: healthy, DesiredHealthy: desired, ExpectedPods: healthy}
		if edit != nil {
			edit(p)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
