package disruption_test

import (
	"io"
	"strings"
	"testing"

	policyv1 "k8s.io/api/policy/v1"

	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl"
)

// The budget's status, as the disruption controller computes it for a Deployment's pods.
func TestBudgetStatus(t *testing.T) {
	tests := []struct {
		flag                               string
		expected, desired, healthy, allows int32
	}{
		{"--min-available=2", 4, 2, 4, 2},
		{"--min-available=50%", 4, 2, 4, 2},
		{"--max-unavailable=25%", 4, 3, 4, 1},
		{"--max-unavailable=1", 4, 3, 4, 1},
		{"--min-available=5", 4, 5, 4, 0},
	}
	for _, tt := range tests {
		t.Run(tt.flag, func(t *testing.T) {
			c, err := cluster.New(cluster.DefaultConfig(1))
			if err != nil {
				t.Fatal(err)
			}
			k := kubectl.New(c, nil)
			for _, line := range []string{"create deployment web --image=nginx --replicas=4", "create pdb web --selector=app=web " + tt.flag} {
				if code := k.Run(strings.Fields(line), kubectl.Streams{Out: io.Discard, ErrOut: io.Discard}); code != 0 {
					t.Fatalf("%s: exit %d", line, code)
				}
			}
			c.Run(0)
			obj, err := c.API().Client("test").Get("poddisruptionbudgets", "default", "web")
			if err != nil {
				t.Fatal(err)
			}
			pdb := obj.(*policyv1.PodDisruptionBudget)
			st := pdb.Status
			if st.ExpectedPods != tt.expected || st.DesiredHealthy != tt.desired || st.CurrentHealthy != tt.healthy ||
				st.DisruptionsAllowed != tt.allows || st.ObservedGeneration != pdb.Generation {
				t.Errorf("status %+v", st)
			}
			if len(st.Conditions) != 1 || st.Conditions[0].Type != policyv1.DisruptionAllowedCondition ||
				(st.Conditions[0].Reason == policyv1.SufficientPodsReason) != (tt.allows > 0) {
				t.Errorf("conditions %+v", st.Conditions)
			}
		})
	}
}
