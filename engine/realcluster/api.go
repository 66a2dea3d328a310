package realcluster

import (
	"strconv"
	"sync"

	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// API is the Cluster in the shape of the miniature API server's client (engine/kubectl's API):
// the sandbox's kubectl sends the same requests to either. Objects come back without their
// managedFields, which kubectl hides unless --show-managed-fields is given.
type API struct{ c *Cluster }

// API returns the Cluster as kubectl's API.
func (c *Cluster) API() API { return API{c} }

// Create creates obj in ns.
func (a API) Create(resource, ns string, obj runtime.Object) (runtime.Object, error) {
	return hideManagedFields(a.c.Create(resource, ns, obj))
}

// Get reads one object.
func (a API) Get(resource, ns, name string) (runtime.Object, error) {
	return hideManagedFields(a.c.Get(resource, ns, name))
}

// List lists the objects that match opts; the revision is the list's resourceVersion (0 when it
// is not a number, which the API does not promise).
func (a API) List(resource, ns string, opts apiserver.ListOptions) ([]runtime.Object, int64, error) {
	objs, rv, err := a.c.List(resource, ns, listOptions(opts))
	if err != nil {
		return nil, 0, err
	}
	for _, o := range objs {
		hideFields(o)
	}
	n, _ := strconv.ParseInt(rv, 10, 64)
	return objs, n, nil
}

// Watch watches resource in ns from opts.ResourceVersion (0: from now), as kubectl get --watch
// does after its list. The events' objects come without their managedFields; an Error event's is
// the server's metav1.Status (410 Expired when the version is too old). The caller stops it.
func (a API) Watch(resource, ns string, opts apiserver.ListOptions) (watch.Interface, error) {
	w, err := a.c.Watch(resource, ns, listOptions(opts))
	if err != nil {
		return nil, err
	}
	return newHiddenFieldsWatch(w), nil
}

// hiddenFieldsWatch passes a watch's events on without their objects' managedFields. Unlike
// apimachinery's watch.Filter, whose goroutine stays blocked on an event nobody reads after Stop
// (with the server's stream open behind it), its Stop ends the goroutine whatever it was doing.
type hiddenFieldsWatch struct {
	in   watch.Interface
	out  chan watch.Event
	stop chan struct{}
	once sync.Once
}

func newHiddenFieldsWatch(in watch.Interface) *hiddenFieldsWatch {
	w := &hiddenFieldsWatch{in: in, out: make(chan watch.Event), stop: make(chan struct{})}
	go w.loop()
	return w
}

func (w *hiddenFieldsWatch) loop() {
	defer close(w.out)
	for {
		select {
		case ev, ok := <-w.in.ResultChan():
			if !ok {
				return
			}
			if ev.Type != watch.Error {
				hideFields(ev.Object)
			}
			select {
			case w.out <- ev:
			case <-w.stop:
				return
			}
		case <-w.stop:
			return
		}
	}
}

// ResultChan is the events, closed once the watch ended or was stopped.
func (w *hiddenFieldsWatch) ResultChan() <-chan watch.Event { return w.out }

// Stop stops the server's watch and the goroutine; it may be called more than once.
func (w *hiddenFieldsWatch) Stop() {
	w.once.Do(func() {
		close(w.stop)
		w.in.Stop()
	})
}

// listOptions are the miniature's list options as a real request's.
func listOptions(opts apiserver.ListOptions) ListOptions {
	lo := ListOptions{}
	if opts.LabelSelector != nil {
		lo.LabelSelector = opts.LabelSelector.String()
	}
	if opts.FieldSelector != nil {
		lo.FieldSelector = opts.FieldSelector.String()
	}
	if opts.ResourceVersion != 0 {
		lo.ResourceVersion = strconv.FormatInt(opts.ResourceVersion, 10)
	}
	return lo
}

// Update replaces obj.
func (a API) Update(resource, ns string, obj runtime.Object) (runtime.Object, error) {
	return hideManagedFields(a.c.Update(resource, ns, obj))
}

// Mutate reads, changes and writes back an object, retrying on conflicts.
func (a API) Mutate(resource, ns, name string, f func(obj runtime.Object) error) (runtime.Object, error) {
	return hideManagedFields(a.c.Mutate(resource, ns, name, f))
}

// Delete deletes an object; the object is not returned (nil).
func (a API) Delete(resource, ns, name string, opts apiserver.DeleteOptions) (runtime.Object, error) {
	return nil, a.c.Delete(resource, ns, name, DeleteOptions{GracePeriodSeconds: opts.GracePeriodSeconds, PropagationPolicy: opts.PropagationPolicy})
}

// Scale sets spec.replicas through the scale subresource.
func (a API) Scale(resource, ns, name string, replicas int32) (runtime.Object, error) {
	return hideManagedFields(a.c.Scale(resource, ns, name, replicas))
}

// Evict asks the API server to evict a pod (POST pods/NAME/eviction).
func (a API) Evict(ns string, ev *policyv1.Eviction) error {
	ev = ev.DeepCopy()
	ev.TypeMeta = metav1.TypeMeta{Kind: "Eviction", APIVersion: "policy/v1"}
	ctx, cancel := a.c.ctx()
	defer cancel()
	res, err := a.c.resource("pods")
	if err != nil {
		return err
	}
	return a.c.writeReq(a.c.rest.Post().AbsPath(a.c.path(res, ns, ev.Name, "eviction"))).
		SetHeader("Content-Type", "application/json").Body(mustJSON(ev)).Do(ctx).Error()
}

func hideManagedFields(obj runtime.Object, err error) (runtime.Object, error) {
	if err != nil {
		return nil, err
	}
	hideFields(obj)
	return obj, nil
}

func hideFields(obj runtime.Object) {
	if m, err := meta.Accessor(obj); err == nil {
		m.SetManagedFields(nil)
	}
}
