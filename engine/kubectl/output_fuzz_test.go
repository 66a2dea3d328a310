package kubectl

import (
	"bytes"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/cluster"
)

// fuzzPods are objects with strings, integers, quantities, maps, lists and timestamps for the
// template and sort fuzzers to walk.
func fuzzPods() []runtime.Object {
	mk := func(name, cpu string, prio int32) runtime.Object {
		return &corev1.Pod{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
			ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"app": name}, CreationTimestamp: metav1.Unix(int64(prio), 0)},
			Spec: corev1.PodSpec{Priority: &prio, Containers: []corev1.Container{{Name: "c", Image: "nginx",
				Resources: corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpu)}}}}},
		}
	}
	return []runtime.Object{mk("b", "1", 2), mk("a", "500m", 1), mk("c", "2", 0)}
}

// FuzzOutputTemplates: any -o jsonpath=… or custom-columns=… template and any --sort-by field is
// either rejected with an error or printed; nothing panics.
func FuzzOutputTemplates(f *testing.F) {
	for _, s := range []string{
		"{.items[*].metadata.name}", "{range .items[*]}{.metadata.name}{\"\\n\"}{end}", "{.items[9]}", "{.items[",
		"{.metadata.labels}", "{..name}", "{.items[?(@.metadata.name==\"a\")].spec}", "{.items[-1:]}", "{}", "{{}}",
		"NAME:.metadata.name,CPU:.spec.containers[*].resources.requests.cpu", "A:{.x}", "A", ":", ".spec.priority",
		".metadata.creationTimestamp", ".spec.containers", "{.spec.containers[0].resources.requests.cpu}",
	} {
		f.Add(s)
	}
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		f.Fatal(err)
	}
	k := New(c, nil)
	f.Fuzz(func(t *testing.T, tmpl string) {
		if len(tmpl) > 1024 {
			t.Skip()
		}
		for _, format := range []string{"jsonpath=", "jsonpath-as-json=", "custom-columns="} {
			p, err := k.outputPrinter(format+tmpl, false)
			if err != nil || p == nil {
				continue
			}
			list, err := listDoc(fuzzPods())
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			_ = p.print(&out, list)
		}
		for _, asTable := range []bool{true, false} {
			_ = sortObjects(fuzzPods(), tmpl, asTable)
		}
		_, _, _ = k.explainTarget("pods." + tmpl)
	})
}
