package deployment

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// nginxTemplate is the pod template `kubectl create deployment web --image=nginx` stores, after
// the API server's defaulting.
func nginxTemplate() *corev1.PodTemplateSpec {
	grace := int64(30)
	return &corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{
				Name: "nginx", Image: "nginx",
				TerminationMessagePath: "/dev/termination-log", TerminationMessagePolicy: corev1.TerminationMessageReadFile,
				ImagePullPolicy: corev1.PullAlways,
			}},
			RestartPolicy:                 corev1.RestartPolicyAlways,
			TerminationGracePeriodSeconds: &grace,
			DNSPolicy:                     corev1.DNSClusterFirst,
			SecurityContext:               &corev1.PodSecurityContext{},
			SchedulerName:                 corev1.DefaultSchedulerName,
		},
	}
}

func TestComputeHashIsStable(t *testing.T) {
	// The value the engine's transcripts show for web --image=nginx (testdata/scenarios), and the
	// name a real v1.37.2 kube-controller-manager gives the ReplicaSet: web-5fc9f4bf66.
	const want = "5fc9f4bf66"
	if got := ComputeHash(nginxTemplate(), nil); got != want {
		t.Fatalf("ComputeHash = %q, want %q", got, want)
	}
	if ComputeHash(nginxTemplate(), nil) != ComputeHash(nginxTemplate(), nil) {
		t.Fatal("two calls disagree")
	}
}

func TestComputeHashAlphabet(t *testing.T) {
	for _, img := range []string{"nginx", "nginx:1.27", "redis", "busybox:1.36", "registry.k8s.io/pause:3.10"} {
		tmpl := nginxTemplate()
		tmpl.Spec.Containers[0].Image = img
		h := ComputeHash(tmpl, nil)
		// Decimal digits of a uint32 mapped through SafeEncodeString: 1 to 10 of "4-9bcdf".
		if len(h) < 1 || len(h) > 10 || strings.Trim(h, "456789bcdf") != "" {
			t.Errorf("%s: hash %q outside the alphabet", img, h)
		}
	}
}

func TestComputeHashDependsOnTemplateAndCollisionCount(t *testing.T) {
	base := ComputeHash(nginxTemplate(), nil)
	other := nginxTemplate()
	other.Spec.Containers[0].Image = "nginx:1.27"
	if ComputeHash(other, nil) == base {
		t.Error("a different image gave the same hash")
	}
	zero, one, two := int32(0), int32(1), int32(2)
	h0, h1, h2 := ComputeHash(nginxTemplate(), &zero), ComputeHash(nginxTemplate(), &one), ComputeHash(nginxTemplate(), &two)
	if h0 == base || h1 == base || h1 == h0 || h2 == h1 {
		t.Errorf("collisionCount must change the hash: nil %s, 0 %s, 1 %s, 2 %s", base, h0, h1, h2)
	}
	if h1 != ComputeHash(nginxTemplate(), &one) {
		t.Error("the same collisionCount gave two hashes")
	}
	// Labels count too: the pod-template-hash label is added after hashing, never before.
	labelled := nginxTemplate()
	labelled.Labels["tier"] = "front"
	if ComputeHash(labelled, nil) == base {
		t.Error("a label change gave the same hash")
	}
}
