package apiserver

import (
	"math/rand/v2"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/store"
)

// newServer returns an API server over a fresh store, with the default namespace.
func newServer(t *testing.T, seed uint64) (*Server, *store.Store, *clock.Simulated) {
	t.Helper()
	st := store.New()
	clk := clock.NewSimulated(clock.Epoch())
	s := New(st, clk, rand.New(rand.NewPCG(seed, 1)))
	if _, err := s.Client("test").Create("namespaces", "", &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default"}}); err != nil {
		t.Fatal(err)
	}
	return s, st, clk
}

func pod(name, generateName string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, GenerateName: generateName, Labels: map[string]string{"app": "web"}},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: "nginx"}}},
	}
}

func deployment(name string) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: "nginx"}}}},
		},
	}
}

func nameOf(o runtime.Object) string { return accessor(o).GetName() }

func TestGenerateName(t *testing.T) {
	s, _, _ := newServer(t, 3)
	c := s.Client("test")
	obj, err := c.Create("pods", "default", pod("", "web-5d8b7c6f94-"))
	if err != nil {
		t.Fatal(err)
	}
	name := nameOf(obj)
	suffix := strings.TrimPrefix(name, "web-5d8b7c6f94-")
	if len(suffix) != 5 || strings.Trim(suffix, SafeAlphabet) != "" {
		t.Fatalf("generated name %q: want the prefix and 5 characters of %q", name, SafeAlphabet)
	}
	if accessor(obj).GetGenerateName() != "web-5d8b7c6f94-" {
		t.Errorf("generateName not kept: %q", accessor(obj).GetGenerateName())
	}

	// The same seed gives the same name.
	s2, _, _ := newServer(t, 3)
	obj2, _ := s2.Client("test").Create("pods", "default", pod("", "web-5d8b7c6f94-"))
	if nameOf(obj2) != name {
		t.Errorf("same seed, names %q and %q", name, nameOf(obj2))
	}

	// A prefix too long for a 63-character name is cut to 58.
	long := strings.Repeat("a", 70) + "-"
	obj, err = c.Create("pods", "default", pod("", long))
	if err != nil {
		t.Fatal(err)
	}
	if n := nameOf(obj); len(n) != 63 || !strings.HasPrefix(n, strings.Repeat("a", 58)) {
		t.Errorf("long generateName gave %q (%d characters)", n, len(n))
	}
}

func TestGenerateNameRetriesOnClash(t *testing.T) {
	// A twin server with the same seed tells which name the second create will draw.
	twin, _, _ := newServer(t, 11)
	if _, err := twin.Client("test").Create("pods", "default", pod("placeholder", "")); err != nil {
		t.Fatal(err)
	}
	predicted, err := twin.Client("test").Create("pods", "default", pod("", "web-"))
	if err != nil {
		t.Fatal(err)
	}
	s, _, _ := newServer(t, 11)
	c := s.Client("test")
	// Take the predicted name first (an explicit name draws the same random numbers as the placeholder).
	if _, err := c.Create("pods", "default", pod(nameOf(predicted), "")); err != nil {
		t.Fatal(err)
	}
	obj, err := c.Create("pods", "default", pod("", "web-"))
	if err != nil {
		t.Fatalf("create after a clash: %v", err)
	}
	if nameOf(obj) == nameOf(predicted) || !strings.HasPrefix(nameOf(obj), "web-") {
		t.Fatalf("clash not retried: got %q, taken %q", nameOf(obj), nameOf(predicted))
	}
	if _, err := c.Create("pods", "default", pod(nameOf(obj), "")); !apierrors.IsAlreadyExists(err) ||
		err.Error() != `pods "`+nameOf(obj)+`" already exists` {
		t.Fatalf("explicit duplicate: %v", err)
	}
}

func TestConflictMessage(t *testing.T) {
	s, _, _ := newServer(t, 1)
	c := s.Client("kubectl")
	obj, err := c.Create("deployments", "default", deployment("web"))
	if err != nil {
		t.Fatal(err)
	}
	stale := obj.(*appsv1.Deployment).DeepCopy()
	fresh := obj.(*appsv1.Deployment).DeepCopy()
	fresh.Labels = map[string]string{"tier": "front"}
	if _, err := c.Update("deployments", "default", fresh); err != nil {
		t.Fatal(err)
	}
	stale.Labels = map[string]string{"tier": "back"}
	_, err = c.Update("deployments", "default", stale)
	if !apierrors.IsConflict(err) {
		t.Fatalf("stale update: %v, want a Conflict", err)
	}
	want := `Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again`
	if err.Error() != want {
		t.Fatalf("conflict text:\n got %s\nwant %s", err.Error(), want)
	}
	// Mutate retries on conflicts and wins.
	out, err := c.Mutate("deployments", "default", "web", func(o runtime.Object) error {
		o.(*appsv1.Deployment).Labels["tier"] = "back"
		return nil
	})
	if err != nil || out.(*appsv1.Deployment).Labels["tier"] != "back" {
		t.Fatalf("mutate: %v", err)
	}
}

func TestUpdateBookkeeping(t *testing.T) {
	s, _, _ := newServer(t, 1)
	c := s.Client("test")
	obj, _ := c.Create("deployments", "default", deployment("web"))
	d := obj.(*appsv1.Deployment)
	if d.Generation != 1 || d.ResourceVersion == "" || d.UID == "" || *d.Spec.Replicas != 1 {
		t.Fatalf("created: generation %d rv %q uid %q replicas %d", d.Generation, d.ResourceVersion, d.UID, *d.Spec.Replicas)
	}
	// A status write keeps the spec and does not bump the generation.
	d.Status.Replicas = 5
	d.Spec.Replicas = ptr(int32(9))
	out, err := c.UpdateStatus("deployments", "default", d)
	if err != nil {
		t.Fatal(err)
	}
	got := out.(*appsv1.Deployment)
	if got.Generation != 1 || *got.Spec.Replicas != 1 || got.Status.Replicas != 5 {
		t.Fatalf("status update: generation %d replicas %d status %d", got.Generation, *got.Spec.Replicas, got.Status.Replicas)
	}
	// A spec write keeps the status and bumps the generation.
	got.Spec.Replicas = ptr(int32(3))
	got.Status.Replicas = 0
	out, err = c.Update("deployments", "default", got)
	if err != nil {
		t.Fatal(err)
	}
	got = out.(*appsv1.Deployment)
	if got.Generation != 2 || got.Status.Replicas != 5 {
		t.Fatalf("spec update: generation %d status %d", got.Generation, got.Status.Replicas)
	}
	// A write that changes nothing is not a write.
	rv := got.ResourceVersion
	out, err = c.Update("deployments", "default", got)
	if err != nil || out.(*appsv1.Deployment).ResourceVersion != rv {
		t.Fatalf("no-op update moved the resourceVersion %s → %s (%v)", rv, out.(*appsv1.Deployment).ResourceVersion, err)
	}
	// Scale goes through validation.
	if _, err := c.Scale("deployments", "default", "web", -1); !apierrors.IsInvalid(err) {
		t.Fatalf("scale to -1: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

func bindTo(t *testing.T, c *Client, name, node string) {
	t.Helper()
	err := c.Bind("default", &corev1.Binding{ObjectMeta: metav1.ObjectMeta{Name: name},
		Target: corev1.ObjectReference{Kind: "Node", Name: node}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestGracefulPodDelete(t *testing.T) {
	s, _, clk := newServer(t, 1)
	c := s.Client("test")
	if _, err := c.Create("pods", "default", pod("unbound", "")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Create("pods", "default", pod("running", "")); err != nil {
		t.Fatal(err)
	}
	bindTo(t, c, "running", "node-1")
	err := c.Bind("default", &corev1.Binding{ObjectMeta: metav1.ObjectMeta{Name: "running"}, Target: corev1.ObjectReference{Kind: "Node", Name: "node-2"}})
	if !apierrors.IsConflict(err) || !strings.Contains(err.Error(), `pod running is already assigned to node "node-1"`) {
		t.Fatalf("second bind: %v", err)
	}

	// A pod that never reached a node goes at once.
	if _, err := c.Delete("pods", "default", "unbound", DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get("pods", "default", "unbound"); !apierrors.IsNotFound(err) {
		t.Fatalf("unbound pod still there: %v", err)
	}

	// A bound pod gets a deletion timestamp 30 s ahead and stays.
	clk.Advance(1500 * time.Millisecond)
	now := clk.Now()
	if _, err := c.Delete("pods", "default", "running", DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	obj, err := c.Get("pods", "default", "running")
	if err != nil {
		t.Fatalf("bound pod gone at once: %v", err)
	}
	p := obj.(*corev1.Pod)
	if p.DeletionTimestamp == nil || !p.DeletionTimestamp.Time.Equal(now.Add(30*time.Second).Truncate(time.Second)) ||
		p.DeletionGracePeriodSeconds == nil || *p.DeletionGracePeriodSeconds != 30 {
		t.Fatalf("terminating pod: deletionTimestamp %v grace %v", p.DeletionTimestamp, p.DeletionGracePeriodSeconds)
	}
	// A second delete with a longer grace changes nothing; a binding is refused.
	rv := p.ResourceVersion
	if _, err := c.Delete("pods", "default", "running", DeleteOptions{GracePeriodSeconds: ptr(int64(60))}); err != nil {
		t.Fatal(err)
	}
	obj, _ = c.Get("pods", "default", "running")
	if obj.(*corev1.Pod).ResourceVersion != rv {
		t.Error("a longer grace period rewrote the pod")
	}
	// The kubelet's final delete: grace 0 with the uid as precondition.
	if _, err := c.Delete("pods", "default", "running", DeleteOptions{GracePeriodSeconds: ptr(int64(0)), UID: "other"}); !apierrors.IsConflict(err) {
		t.Fatalf("delete with a wrong uid precondition: %v", err)
	}
	if _, err := c.Delete("pods", "default", "running", DeleteOptions{GracePeriodSeconds: ptr(int64(0)), UID: string(p.UID)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get("pods", "default", "running"); !apierrors.IsNotFound(err) {
		t.Fatalf("pod still there after grace 0: %v", err)
	}
}

func drainTypes(w *Watcher) string {
	var out []string
	for _, ev := range w.Drain() {
		out = append(out, string(ev.Type)+" "+nameOf(ev.Object))
	}
	return strings.Join(out, ", ")
}

func TestWatchFilterEntersAndLeaves(t *testing.T) {
	s, _, _ := newServer(t, 1)
	c := s.Client("test")
	onNode, err := s.Watch("pods", "", ListOptions{FieldSelector: fields.OneTermEqualSelector("spec.nodeName", "node-1")})
	if err != nil {
		t.Fatal(err)
	}
	pending, _ := s.Watch("pods", "default", ListOptions{FieldSelector: fields.OneTermEqualSelector("status.phase", "Pending")})
	webOnly, _ := s.Watch("pods", "default", ListOptions{LabelSelector: labels.SelectorFromSet(labels.Set{"app": "web"})})

	c.Create("pods", "default", pod("a", ""))
	c.Create("pods", "default", pod("b", ""))
	if got := drainTypes(onNode); got != "" {
		t.Errorf("node-1 watch saw unbound pods: %s", got)
	}
	bindTo(t, c, "a", "node-1")
	bindTo(t, c, "b", "node-2")
	if got := drainTypes(onNode); got != "ADDED a" {
		t.Errorf("node-1 watch after binds: %q, want the pod that entered the filter as ADDED", got)
	}
	if got := drainTypes(pending); got != "ADDED a, ADDED b, MODIFIED a, MODIFIED b" {
		t.Errorf("phase watch: %q", got)
	}
	// Running: the pod leaves the phase=Pending filter, which reports it DELETED.
	c.MutateStatus("pods", "default", "a", func(o runtime.Object) error {
		o.(*corev1.Pod).Status.Phase = corev1.PodRunning
		return nil
	})
	if got := drainTypes(pending); got != "DELETED a" {
		t.Errorf("phase watch after Running: %q, want DELETED a", got)
	}
	if got := drainTypes(onNode); got != "MODIFIED a" {
		t.Errorf("node-1 watch after a status change: %q", got)
	}
	// Relabelled out of the label selector: DELETED; back in: ADDED.
	drainTypes(webOnly)
	relabel := func(v string) {
		c.Mutate("pods", "default", "b", func(o runtime.Object) error {
			o.(*corev1.Pod).Labels["app"] = v
			return nil
		})
	}
	relabel("api")
	relabel("web")
	if got := drainTypes(webOnly); got != "DELETED b, ADDED b" {
		t.Errorf("label watch: %q", got)
	}
	// A real delete reaches the watch with the delete's revision as resourceVersion.
	zero := int64(0)
	c.Delete("pods", "default", "a", DeleteOptions{GracePeriodSeconds: &zero})
	evs := onNode.Drain()
	if len(evs) != 1 || evs[0].Type != watch.Deleted || accessor(evs[0].Object).GetResourceVersion() != int64String(evs[0].Revision) {
		t.Errorf("delete event: %+v", evs)
	}
	onNode.Stop()
	c.Create("pods", "default", pod("c", ""))
	bindTo(t, c, "c", "node-1")
	if onNode.Pending() {
		t.Error("a stopped watch still receives events")
	}
}

func TestWatchFromRevision(t *testing.T) {
	s, st, _ := newServer(t, 1)
	c := s.Client("test")
	start := st.Revision()
	c.Create("pods", "default", pod("a", ""))
	c.Create("pods", "default", pod("b", ""))
	c.Delete("pods", "default", "a", DeleteOptions{})
	w, err := s.Watch("pods", "default", ListOptions{ResourceVersion: start})
	if err != nil {
		t.Fatal(err)
	}
	if got := drainTypes(w); got != "ADDED a, ADDED b, DELETED a" {
		t.Fatalf("replay: %q", got)
	}
	st.Compact(start + 2)
	_, err = s.Watch("pods", "default", ListOptions{ResourceVersion: start})
	if !apierrors.IsResourceExpired(err) {
		t.Fatalf("watch from a compacted revision: %v, want 410 Expired", err)
	}
	if code := err.(apierrors.APIStatus).Status().Code; code != http.StatusGone {
		t.Errorf("status code %d, want 410", code)
	}
	if want := "too old resource version: " + int64String(start) + " (" + int64String(start+3) + ")"; err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
	if _, err := s.Watch("pods", "default", ListOptions{ResourceVersion: start + 2}); err != nil {
		t.Errorf("watch from the compaction point: %v", err)
	}
}

func TestErrorsForUnknownAndMissing(t *testing.T) {
	s, _, _ := newServer(t, 1)
	c := s.Client("test")
	if _, err := c.Get("foos", "default", "x"); !apierrors.IsNotFound(err) {
		t.Errorf("unknown resource: %v", err)
	}
	_, err := c.Get("deployments", "default", "nosuch")
	if err == nil || err.Error() != `deployments.apps "nosuch" not found` {
		t.Errorf("missing deployment: %v", err)
	}
	_, err = c.Create("pods", "nosuch", pod("x", ""))
	if err == nil || err.Error() != `namespaces "nosuch" not found` {
		t.Errorf("create in a missing namespace: %v", err)
	}
	_, err = c.Create("deployments", "default", pod("x", ""))
	if !apierrors.IsBadRequest(err) {
		t.Errorf("a pod sent as a deployment: %v", err)
	}
}

func TestStatusUpdateMetadata(t *testing.T) {
	s, _, _ := newServer(t, 1)
	c := s.Client("kubelet/node-1")
	obj, _ := c.Create("pods", "default", pod("a", ""))
	p := obj.(*corev1.Pod)
	// A status write keeps the stored labels and takes the annotations it carries, as the
	// deployment controller's revision annotation needs.
	p.Labels = map[string]string{"changed": "yes"}
	p.Annotations = map[string]string{"note": "from status"}
	p.Status.Phase = corev1.PodRunning
	out, err := c.UpdateStatus("pods", "default", p)
	if err != nil {
		t.Fatal(err)
	}
	got := out.(*corev1.Pod)
	if got.Labels["app"] != "web" || got.Labels["changed"] != "" || got.Annotations["note"] != "from status" || got.Status.Phase != corev1.PodRunning {
		t.Fatalf("after status write: labels %v annotations %v phase %s", got.Labels, got.Annotations, got.Status.Phase)
	}
	// Annotations written through status are still validated.
	got.Annotations = map[string]string{"bad key!": "x"}
	if _, err := c.UpdateStatus("pods", "default", got); !apierrors.IsInvalid(err) {
		t.Fatalf("invalid annotation through status: %v", err)
	}
}

// Events are kept encoded: each Get decodes a copy of its own, which the server hands out
// without a second copy, and Mutate writes that copy back.
func TestEventReadsAreIndependent(t *testing.T) {
	s, st, clk := newServer(t, 1)
	c := s.Client("test")
	if _, err := c.Create("events", "default", &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "web.1"}, Reason: "Pulled", Count: 1,
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "web", Namespace: "default"}}); err != nil {
		t.Fatal(err)
	}
	a, _ := c.Get("events", "default", "web.1")
	a.(*corev1.Event).Count = 99
	b, _ := c.Get("events", "default", "web.1")
	if got := b.(*corev1.Event).Count; got != 1 {
		t.Fatalf("a change to one read shows in the next: count %d", got)
	}
	clk.Advance(time.Second)
	if _, err := c.Mutate("events", "default", "web.1", func(o runtime.Object) error { o.(*corev1.Event).Count++; return nil }); err != nil {
		t.Fatal(err)
	}
	kv, _ := st.Get("/registry/events/default/web.1")
	if got := kv.Value.(*corev1.Event).Count; got != 2 {
		t.Fatalf("count after Mutate %d, want 2", got)
	}
}

// HandOverStatus stores the object it is given, as it is, and writes nothing when the status is
// the one stored.
func TestHandOverStatus(t *testing.T) {
	s, st, _ := newServer(t, 1)
	c := s.Client("kubelet/node-1")
	created, err := c.Create("pods", "default", pod("web", ""))
	if err != nil {
		t.Fatal(err)
	}
	p := created.(*corev1.Pod)
	p.Status.Phase = corev1.PodRunning
	p.Spec.NodeName = "elsewhere" // a status write keeps the stored spec
	if err := c.HandOverStatus("pods", "default", p); err != nil {
		t.Fatal(err)
	}
	kv, _ := st.Get("/registry/pods/default/web")
	got := kv.Value.(*corev1.Pod)
	if got != p || got.Status.Phase != corev1.PodRunning || got.Spec.NodeName != "" {
		t.Fatalf("stored %p (handed %p): phase %q, node %q", got, p, got.Status.Phase, got.Spec.NodeName)
	}
	rev := st.Revision()
	same := *got
	if err := c.HandOverStatus("pods", "default", &same); err != nil || st.Revision() != rev {
		t.Fatalf("an unchanged status: %v, revision %d → %d", err, rev, st.Revision())
	}
}

// sameObject agrees with reflect.DeepEqual, whichever field differs: plain top-level fields
// (an Event's count, reason, type), structs, pointers, maps and slices.
func TestSameObject(t *testing.T) {
	s, _, _ := newServer(t, 1)
	a := pod("web", "")
	for _, change := range []func(p *corev1.Pod){
		func(p *corev1.Pod) {},
		func(p *corev1.Pod) { p.Kind = "Pod" },
		func(p *corev1.Pod) { p.Labels["app"] = "db" },
		func(p *corev1.Pod) { p.Spec.Containers[0].Image = "nginx:1.29" },
		func(p *corev1.Pod) { p.Status.Phase = corev1.PodRunning },
	} {
		b := a.DeepCopy()
		change(b)
		if got, want := s.sameObject(a, b), reflect.DeepEqual(a, b); got != want {
			t.Errorf("sameObject %v, reflect.DeepEqual %v for %+v", got, want, b)
		}
	}
	ev := &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "web.1"}, Reason: "BackOff", Type: "Warning", Count: 3,
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "web"}}
	for _, change := range []func(e *corev1.Event){
		func(e *corev1.Event) {},
		func(e *corev1.Event) { e.Count++ },
		func(e *corev1.Event) { e.Reason = "Pulled" },
		func(e *corev1.Event) { e.Type = "Normal" },
		func(e *corev1.Event) { e.ReportingInstance = "node-1" },
		func(e *corev1.Event) { e.InvolvedObject.Name = "db" },
		func(e *corev1.Event) { e.Series = &corev1.EventSeries{Count: 2} },
		func(e *corev1.Event) { e.Related = &corev1.ObjectReference{} },
		func(e *corev1.Event) { e.LastTimestamp = metav1.Unix(5, 0) },
	} {
		b := ev.DeepCopy()
		change(b)
		if got, want := s.sameObject(ev, b), reflect.DeepEqual(ev, b); got != want {
			t.Errorf("sameObject %v, reflect.DeepEqual %v for %+v", got, want, b)
		}
	}
	if !s.sameObject(a, a) || s.sameObject(a, (*corev1.Pod)(nil)) || s.sameObject(a, &corev1.ConfigMap{}) {
		t.Error("sameObject with itself, nil or another type")
	}
}

// Modify changes the stored object in one go, as a PATCH does: one update in the journal, and a
// missing object is NotFound.
func TestModify(t *testing.T) {
	s, st, _ := newServer(t, 1)
	c := s.Client("kubelet/node-1")
	if _, err := c.Create("events", "default", &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "web.1"}, Count: 1,
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "web", Namespace: "default"}}); err != nil {
		t.Fatal(err)
	}
	s.TakeWrites()
	before, _ := st.Get("/registry/events/default/web.1")
	beforeRV := before.Value.(*corev1.Event).ResourceVersion
	if err := c.Modify("events", "default", "web.1", func(o runtime.Object) runtime.Object {
		ev := *o.(*corev1.Event)
		ev.Count++
		return &ev
	}); err != nil {
		t.Fatal(err)
	}
	kv, _ := st.Get("/registry/events/default/web.1")
	if got := kv.Value.(*corev1.Event).Count; got != 2 {
		t.Errorf("count %d, want 2", got)
	}
	if got := before.Value.(*corev1.Event); got.Count != 1 || got.ResourceVersion != beforeRV {
		t.Errorf("the version read before the write changed: count %d", got.Count)
	}
	if w := s.TakeWrites(); len(w) != 1 || w[0].Verb != "update" || w[0].Who != "kubelet/node-1" {
		t.Errorf("journal %+v", w)
	}
	if err := c.Modify("events", "default", "gone", func(o runtime.Object) runtime.Object { return o }); !apierrors.IsNotFound(err) {
		t.Errorf("Modify of a missing event: %v", err)
	}
}

// What a Drain returns stays as it was while new events queue; the next Drain hands out the
// events queued since, and reuses the first slice's array only then.
func TestDrainedEventsStayUntilTheNextDrain(t *testing.T) {
	s, _, _ := newServer(t, 1)
	c := s.Client("test")
	w, err := s.Watch("pods", "default", ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	names := func(evs []WatchEvent) string {
		var out []string
		for _, ev := range evs {
			out = append(out, string(ev.Type)+" "+ev.Key)
		}
		return strings.Join(out, ", ")
	}
	c.Create("pods", "default", pod("a", ""))
	c.Create("pods", "default", pod("b", ""))
	first := w.Drain()
	c.Create("pods", "default", pod("c", ""))
	c.Create("pods", "default", pod("d", ""))
	c.Create("pods", "default", pod("e", ""))
	if got := names(first); got != "ADDED default/a, ADDED default/b" {
		t.Fatalf("the first drain changed while events queued: %q", got)
	}
	second := w.Drain()
	c.Create("pods", "default", pod("f", ""))
	if got := names(second); got != "ADDED default/c, ADDED default/d, ADDED default/e" {
		t.Fatalf("second drain %q", got)
	}
	if got := names(w.Drain()); got != "ADDED default/f" {
		t.Fatalf("third drain %q", got)
	}
	if evs := w.Drain(); len(evs) != 0 {
		t.Fatalf("a drain with nothing queued returned %q", names(evs))
	}
}
