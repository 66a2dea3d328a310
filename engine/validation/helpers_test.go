package validation

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"
)

var update = flag.Bool("update", false, "rewrite golden files")

var (
	deploymentKind = schema.GroupKind{Group: "apps", Kind: "Deployment"}
	replicaSetKind = schema.GroupKind{Group: "apps", Kind: "ReplicaSet"}
	scaleKind      = schema.GroupKind{Group: "autoscaling", Kind: "Scale"}
	podKind        = schema.GroupKind{Kind: "Pod"}
	namespaceKind  = schema.GroupKind{Kind: "Namespace"}
	nodeKind       = schema.GroupKind{Kind: "Node"}
)

// invalidError is the text the apiserver returns for errs, or "" when valid.
func invalidError(kind schema.GroupKind, name string, errs field.ErrorList) string {
	if len(errs) == 0 {
		return ""
	}
	return apierrors.NewInvalid(kind, name, errs).Error()
}

// kubectlDeployment is what `kubectl create deployment NAME --image=IMAGE`
// sends (see `--dry-run=client -o yaml`), with the namespace the apiserver
// fills in from the request.
func kubectlDeployment(name, image string) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", Labels: labels},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptrTo(int32(1)),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": name}},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{Name: imageBaseName(image), Image: image}},
				},
			},
		},
	}
}

// defaultedDeployment is a kubectl deployment after the apiserver defaults.
func defaultedDeployment(name, image string) *appsv1.Deployment {
	d := kubectlDeployment(name, image)
	DefaultDeployment(d)
	return d
}

func defaultedReplicaSet(name string) *appsv1.ReplicaSet {
	d := defaultedDeployment("web", "nginx")
	return &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", Labels: d.Labels},
		Spec: appsv1.ReplicaSetSpec{
			Replicas: ptrTo(int32(2)),
			Selector: d.Spec.Selector.DeepCopy(),
			Template: *d.Spec.Template.DeepCopy(),
		},
	}
}

// kubectlPod is what `kubectl run NAME --image=IMAGE` sends.
func kubectlPod(name, image string) *corev1.Pod {
	return &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", Labels: map[string]string{"run": name}},
		Spec: corev1.PodSpec{
			Containers:    []corev1.Container{{Name: name, Image: image}},
			DNSPolicy:     corev1.DNSClusterFirst,
			RestartPolicy: corev1.RestartPolicyAlways,
		},
	}
}

// createdPod runs a kubectl pod through the apiserver's create steps.
func createdPod(name, image string) *corev1.Pod {
	p := kubectlPod(name, image)
	DefaultPod(p)
	AdmitPod(p, fixedSuffix)
	PreparePodForCreate(p)
	return p
}

// fixedSuffix stands in for the apiserver's random 5 characters.
func fixedSuffix(n int) string { return "x2k9q"[:n] }

func imageBaseName(image string) string {
	name := image
	for i := len(image) - 1; i >= 0; i-- {
		if image[i] == '/' {
			name = image[i+1:]
			break
		}
	}
	for i := 0; i < len(name); i++ {
		if name[i] == ':' || name[i] == '@' {
			return name[:i]
		}
	}
	return name
}

// checkGolden compares obj, as YAML, with testdata/name.
func checkGolden(t *testing.T, name string, obj any) {
	t.Helper()
	got, err := yaml.Marshal(obj)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}
