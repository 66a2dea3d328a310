package informer

import (
	"math/rand/v2"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/store"
)

// An index follows every change: an update that keeps the indexed value (a status) and one that
// moves it, and a delete.
func TestIndexFollowsUpdates(t *testing.T) {
	s := apiserver.New(store.New(), clock.NewSimulated(clock.Epoch()), rand.New(rand.NewPCG(1, 1)))
	c := s.Client("test")
	if _, err := c.Create("namespaces", "", &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default"}}); err != nil {
		t.Fatal(err)
	}
	byApp := map[string]IndexFunc{"app": func(o runtime.Object) []string { return []string{o.(*corev1.ConfigMap).Labels["app"]} }}
	inf, err := New(c, "configmaps", "default", apiserver.ListOptions{}, Handlers{}, byApp)
	if err != nil {
		t.Fatal(err)
	}
	names := func(app string) []string {
		var out []string
		for _, o := range inf.ByIndex("app", app) {
			out = append(out, o.(*corev1.ConfigMap).Name)
		}
		return out
	}
	check := func(step, app string, want ...string) {
		t.Helper()
		inf.Sync()
		if got := names(app); len(got) != len(want) || (len(got) > 0 && got[0] != want[0]) {
			t.Errorf("%s: app=%s holds %v, want %v", step, app, got, want)
		}
	}
	for _, n := range []string{"a", "b"} {
		if _, err := c.Create("configmaps", "default", &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: n, Labels: map[string]string{"app": "web"}}}); err != nil {
			t.Fatal(err)
		}
	}
	check("created", "web", "a", "b")
	mutate := func(name string, f func(*corev1.ConfigMap)) {
		if _, err := c.Mutate("configmaps", "default", name, func(o runtime.Object) error { f(o.(*corev1.ConfigMap)); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	mutate("a", func(cm *corev1.ConfigMap) { cm.Data = map[string]string{"k": "v"} })
	check("data changed", "web", "a", "b")
	mutate("a", func(cm *corev1.ConfigMap) { cm.Labels["app"] = "db" })
	check("label changed", "web", "b")
	check("label changed", "db", "a")
	if _, err := c.Delete("configmaps", "default", "a", apiserver.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	check("deleted", "db")
}
