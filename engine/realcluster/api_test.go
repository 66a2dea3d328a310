package realcluster

import (
	"runtime"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/k8slearn/k8slearn/engine/kubectl"
)

var _ kubectl.API = API{}

// The sandbox's kubectl, sent through a real cluster's API: the lesson's namespace is where its
// commands go without -n, what it prints is what it prints against the miniature, and a
// server-side dry run stores nothing.
func TestKubectlThroughAPI(t *testing.T) {
	s := serve(t, nil)
	var log RequestLog
	c := open(t, s.kubeconfig, &log)
	if err := c.CreateNamespace("deployment"); err != nil {
		t.Fatal(err)
	}
	k := kubectl.NewRemote(kubectl.Remote{API: c.API(), DryRun: c.DryRun().API(), Registry: c.Registry(),
		Now: time.Now, Namespace: c.Namespace()}, nil)
	run := func(line string) (string, int) {
		var out strings.Builder
		code := k.Run(strings.Fields(line), kubectl.Streams{Out: &out, ErrOut: &out})
		return out.String(), code
	}
	for _, tt := range []struct{ line, want string }{
		{"create deployment web --image=nginx --replicas=2", "deployment.apps/web created\n"},
		{"create deployment db --image=redis --dry-run=server", "deployment.apps/db created (server dry run)\n"},
		{"get deployments -o name", "deployment.apps/web\n"},
		{"scale deployment web --replicas=3", "deployment.apps/web scaled\n"},
		{"get deployment web -o jsonpath={.spec.replicas}", "3"},
		{"get pods -n kube-system", "k8slearn refused to send GET /api/v1/namespaces/kube-system/pods"},
	} {
		got, _ := run(tt.line)
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s:\n%s\nwant %q", tt.line, got, tt.want)
		}
	}
	s.cluster.Run(0)
	if got, code := run("get pods -o wide"); code != 0 || strings.Count(got, "Running") != 3 {
		t.Errorf("get pods -o wide (exit %d):\n%s", code, got)
	}
	if got, _ := run("get deployment web -o yaml"); strings.Contains(got, "managedFields") || !strings.Contains(got, "namespace: "+c.Namespace()) {
		t.Errorf("-o yaml:\n%s", got)
	}
}

// The watch kubectl get -w reads hides managedFields, and once stopped it ends even with an event
// nobody will read: no goroutine, and no stream to the server, is left behind for the rest of a
// lesson (apimachinery's watch.Filter, used before, stays blocked on that event for ever).
func TestHiddenFieldsWatchStops(t *testing.T) {
	before := runtime.NumGoroutine()
	fake := watch.NewFake()
	w := newHiddenFieldsWatch(fake)
	pod := func(name string) *corev1.Pod {
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name,
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kubectl"}}}}
	}
	go fake.Add(pod("a"))
	ev := <-w.ResultChan()
	if p := ev.Object.(*corev1.Pod); p.Name != "a" || p.ManagedFields != nil {
		t.Errorf("got %s with managedFields %v, want a without", p.Name, p.ManagedFields)
	}
	sent := make(chan struct{})
	go func() {
		fake.Modify(pod("a")) // taken by the loop, which then waits for a reader that never comes
		close(sent)
	}()
	<-sent
	w.Stop()
	w.Stop() // twice is harmless
	if !fake.IsStopped() {
		t.Error("the server's watch was not stopped")
	}
	for deadline := time.Now().Add(10 * time.Second); runtime.NumGoroutine() > before; {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines after Stop, %d before the watch", runtime.NumGoroutine(), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
