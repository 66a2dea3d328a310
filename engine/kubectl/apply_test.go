package kubectl

import (
	"bytes"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/k8slearn/k8slearn/engine/cluster"
)

const (
	webLabelsAB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {a: "1", b: "2"}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`
	webLabelsA = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {a: "1"}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`
)

// applyCluster is a cluster and a kubectl reading the given files.
func applyCluster(t *testing.T, files map[string]string) (*cluster.Cluster, *Kubectl) {
	t.Helper()
	c, err := cluster.New(cluster.DefaultConfig(7))
	if err != nil {
		t.Fatal(err)
	}
	return c, NewFS(c, fakeFiles(files, nil))
}

// kubectlOK runs a command that must succeed and returns what it printed.
func kubectlOK(t *testing.T, k *Kubectl, line string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := k.Run(strings.Fields(line), Streams{Out: &out, ErrOut: &errOut}); code != 0 {
		t.Fatalf("kubectl %s: exit %d: %s%s", line, code, out.String(), errOut.String())
	}
	return out.String(), errOut.String()
}

func getDeployment(t *testing.T, c *cluster.Cluster) *appsv1.Deployment {
	t.Helper()
	obj, err := c.API().Client("test").Get("deployments", "default", "web")
	if err != nil {
		t.Fatal(err)
	}
	return obj.(*appsv1.Deployment)
}

// TestApplyRemovesWhatTheFileNoLongerSets: the label b, set by the first apply and left out of
// the second, is removed; the replicas kubectl scale set, which neither file mentions, stay.
func TestApplyRemovesWhatTheFileNoLongerSets(t *testing.T) {
	c, k := applyCluster(t, map[string]string{"ab.yaml": webLabelsAB, "a.yaml": webLabelsA})
	if out, _ := kubectlOK(t, k, "apply -f ab.yaml"); out != "deployment.apps/web created\n" {
		t.Fatalf("first apply printed %q", out)
	}
	kubectlOK(t, k, "scale deployment web --replicas=3")
	if out, _ := kubectlOK(t, k, "apply -f a.yaml"); out != "deployment.apps/web configured\n" {
		t.Fatalf("second apply printed %q", out)
	}
	d := getDeployment(t, c)
	if _, ok := d.Labels["b"]; ok || d.Labels["a"] != "1" {
		t.Errorf("labels after applying only a: %v, want map[a:1]", d.Labels)
	}
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 3 {
		t.Errorf("replicas after apply = %v, want the 3 kubectl scale set", d.Spec.Replicas)
	}
	if out, _ := kubectlOK(t, k, "apply -f a.yaml"); out != "deployment.apps/web unchanged\n" {
		t.Errorf("applying the same file again printed %q", out)
	}
}

// TestApplyAnnotation: the last-applied-configuration is what kubectl writes: the file's object
// with its namespace and an empty annotations map, keys sorted, and a final newline.
func TestApplyAnnotation(t *testing.T) {
	c, k := applyCluster(t, map[string]string{"a.yaml": webLabelsA})
	kubectlOK(t, k, "apply -f a.yaml")
	want := `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"a":"1"},"name":"web","namespace":"default"},` +
		`"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1.27","name":"nginx"}]}}}}` + "\n"
	if got := getDeployment(t, c).Annotations[lastApplied]; got != want {
		t.Errorf("annotation\n got  %q\n want %q", got, want)
	}
}

// TestApplyOverCreate: applying over an object kubectl create made warns as kubectl does, and
// leaves the annotation for the next apply.
func TestApplyOverCreate(t *testing.T) {
	c, k := applyCluster(t, map[string]string{"a.yaml": webLabelsA})
	kubectlOK(t, k, "create -f a.yaml")
	out, errOut := kubectlOK(t, k, "apply -f a.yaml")
	if out != "deployment.apps/web configured\n" {
		t.Errorf("apply printed %q", out)
	}
	const warning = "Warning: resource deployments/web is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n"
	if errOut != warning {
		t.Errorf("stderr %q, want kubectl's warning", errOut)
	}
	if _, ok := getDeployment(t, c).Annotations[lastApplied]; !ok {
		t.Error("no last-applied-configuration after apply")
	}
}

// TestApplyWithABrokenAnnotation: a last-applied-configuration a user broke is an error from
// apply, not a crash, and the object is left alone.
func TestApplyWithABrokenAnnotation(t *testing.T) {
	// The second makes the library dereference a nil pointer.
	for _, value := range []string{"not json", `{"spec":{"template":{"spec":{"containers":[null]}}}}`} {
		c, k := applyCluster(t, map[string]string{"a.yaml": webLabelsA})
		kubectlOK(t, k, "apply -f a.yaml")
		d := getDeployment(t, c)
		d.Annotations[lastApplied] = value
		if _, err := c.API().Client("test").Update("deployments", "default", d); err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		code := k.Run([]string{"apply", "-f", "a.yaml"}, Streams{Out: &out, ErrOut: &errOut})
		if code != 1 || !strings.HasPrefix(errOut.String(), "error: error when applying patch:") {
			t.Errorf("annotation %q: exit %d, stderr %q", value, code, errOut.String())
		}
	}
}
