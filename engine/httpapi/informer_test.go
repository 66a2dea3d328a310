package httpapi

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
)

// recorder keeps what an informer's event handler saw, in order.
type recorder struct {
	mu     sync.Mutex
	events []string
	rvs    map[string][]int // per pod, the resourceVersions seen
}

func (r *recorder) add(kind string, obj any) {
	if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = d.Obj
	}
	pod := obj.(*corev1.Pod)
	rv, _ := strconv.Atoi(pod.ResourceVersion)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, kind+" "+pod.Name)
	if r.rvs == nil {
		r.rvs = map[string][]int{}
	}
	r.rvs[pod.Name] = append(r.rvs[pod.Name], rv)
}

func (r *recorder) snapshot() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}

func (r *recorder) handler() cache.ResourceEventHandlerFuncs {
	return cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { r.add("add", obj) },
		UpdateFunc: func(_, obj any) { r.add("update", obj) },
		DeleteFunc: func(obj any) { r.add("delete", obj) },
	}
}

// startPodInformer runs a client-go shared informer on pods against the server at url.
func startPodInformer(t *testing.T, url string) (kubernetes.Interface, *recorder) {
	t.Helper()
	cs := kubernetes.NewForConfigOrDie(&rest.Config{Host: url, UserAgent: "informer-test"})
	factory := informers.NewSharedInformerFactory(cs, 0)
	rec := &recorder{}
	inf := factory.Core().V1().Pods().Informer()
	if _, err := inf.AddEventHandler(rec.handler()); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	factory.Start(stop)
	t.Cleanup(func() {
		close(stop)
		factory.Shutdown()
	})
	if !cache.WaitForCacheSync(stop, inf.HasSynced) {
		t.Fatal("the informer never synced")
	}
	return cs, rec
}

// TestClientGoInformer drives pods through client-go's typed client (protobuf bodies) and checks
// a shared informer sees every add, update and delete, in order.
func TestClientGoInformer(t *testing.T) {
	srv, b := serveBare(t, Config{})
	if _, err := b.api.Client("test").Create("pods", "default", mustDecode(t, podJSON("before"))); err != nil {
		t.Fatal(err)
	}
	cs, rec := startPodInformer(t, srv.URL)
	ctx := context.Background()
	pods := cs.CoreV1().Pods("default")
	newPod := func(name string) *corev1.Pod {
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "nginx"}}}}
	}
	steps := []func() error{
		func() error { _, err := pods.Create(ctx, newPod("a"), metav1.CreateOptions{}); return err },
		func() error { _, err := pods.Create(ctx, newPod("b"), metav1.CreateOptions{}); return err },
		func() error {
			p, err := pods.Get(ctx, "a", metav1.GetOptions{})
			if err != nil {
				return err
			}
			p.Labels = map[string]string{"step": "1"}
			_, err = pods.Update(ctx, p, metav1.UpdateOptions{})
			return err
		},
		func() error {
			_, err := pods.Patch(ctx, "a", "application/strategic-merge-patch+json", []byte(`{"metadata":{"labels":{"step":"2"}}}`), metav1.PatchOptions{})
			return err
		},
		func() error { return pods.Delete(ctx, "b", metav1.DeleteOptions{}) },
		func() error { _, err := pods.Create(ctx, newPod("c"), metav1.CreateOptions{}); return err },
		func() error { return pods.Delete(ctx, "a", metav1.DeleteOptions{}) },
		func() error { return pods.Delete(ctx, "before", metav1.DeleteOptions{}) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	want := []string{"add before", "add a", "add b", "update a", "update a", "delete b", "add c", "delete a", "delete before"}
	if !waitFor(t, 10*time.Second, func() bool { return len(rec.snapshot()) >= len(want) }) {
		t.Fatalf("saw %v", rec.snapshot())
	}
	if got := rec.snapshot(); strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("informer saw\n %v\nwant\n %v", got, want)
	}
}

// TestClientGoInformerOnCluster watches the pods of a Deployment the controllers create, run and
// remove: each pod's events come as add, updates, delete, with rising resourceVersions.
func TestClientGoInformerOnCluster(t *testing.T) {
	srv, c := serveCluster(t)
	cs, rec := startPodInformer(t, srv.URL)
	ctx := context.Background()
	replicas := int32(3)
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: appsv1.DeploymentSpec{Replicas: &replicas, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: "nginx"}}}}},
	}
	if _, err := cs.AppsV1().Deployments("default").Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	c.Run(0)
	background := metav1.DeletePropagationBackground
	if err := cs.AppsV1().Deployments("default").Delete(ctx, "web", metav1.DeleteOptions{PropagationPolicy: &background}); err != nil {
		t.Fatal(err)
	}
	c.Run(0)
	if !waitFor(t, 10*time.Second, func() bool { return strings.Count(strings.Join(rec.snapshot(), ","), "delete ") == 3 }) {
		t.Fatalf("saw %v", rec.snapshot())
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	perPod := map[string][]string{}
	for _, e := range rec.events {
		kind, name, _ := strings.Cut(e, " ")
		perPod[name] = append(perPod[name], kind)
	}
	if len(perPod) != 3 {
		t.Errorf("pods seen: %v", perPod)
	}
	for name, kinds := range perPod {
		if kinds[0] != "add" || kinds[len(kinds)-1] != "delete" || len(kinds) < 4 {
			t.Errorf("%s: %v", name, kinds)
		}
		for i := 1; i < len(rec.rvs[name]); i++ {
			if rec.rvs[name][i] <= rec.rvs[name][i-1] {
				t.Errorf("%s: resourceVersions %v do not rise", name, rec.rvs[name])
			}
		}
	}
}
