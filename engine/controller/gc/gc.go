// Package gc is the miniature garbage collector: it follows ownerReferences from Deployments to
// ReplicaSets to Pods, and from Services to their EndpointSlices, deletes a dependent whose
// owners are all gone (background cascade), and honours the orphan and foregroundDeletion
// finalizers, as kube-controller-manager's garbagecollector does.
package gc

import (
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/informer"
	"github.com/k8slearn/k8slearn/engine/work"
)

// Name is the component's name.
const Name = "garbage-collector"

// resources are the kinds the collector tracks, owners before dependents.
var resources = [...]string{"deployments", "replicasets", "pods", "services", "endpointslices"}

const byOwnerUID = "ownerUID"

// Collector is the garbage collector.
type Collector struct {
	client    *apiserver.Client
	clock     clock.Clock
	queue     *work.Queue
	informers map[string]*informer.Informer
	byUID     map[types.UID]string // uid -> queue key, for every tracked object
}

// New starts the collector's informers.
func New(api *apiserver.Server, clk clock.Clock, agenda *work.Agenda) (*Collector, error) {
	g := &Collector{client: api.Client(Name), clock: clk, queue: agenda.NewQueue(Name),
		informers: map[string]*informer.Informer{}, byUID: map[types.UID]string{}}
	for _, res := range resources {
		inf, err := informer.New(g.client, res, "", apiserver.ListOptions{}, informer.Handlers{
			OnAdd:    func(o runtime.Object, ev informer.Event) { g.observe(res, o, ev, false) },
			OnUpdate: func(_, o runtime.Object, ev informer.Event) { g.observe(res, o, ev, false) },
			OnDelete: func(o runtime.Object, ev informer.Event) { g.observe(res, o, ev, true) },
		}, map[string]informer.IndexFunc{byOwnerUID: ownerUIDs})
		if err != nil {
			return nil, err
		}
		g.informers[res] = inf
	}
	return g, nil
}

func ownerUIDs(o runtime.Object) []string {
	m, _ := meta.Accessor(o)
	var out []string
	for _, r := range m.GetOwnerReferences() {
		out = append(out, string(r.UID))
	}
	return out
}

func itemKey(res string, o runtime.Object) string { return res + "/" + informer.KeyOf(o) }

// observe keeps the uid map and queues what needs a look: the dependents of a deleted object, an
// object whose owner is not known, and an owner that carries a deletion finalizer.
func (g *Collector) observe(res string, o runtime.Object, ev informer.Event, deleted bool) {
	m, _ := meta.Accessor(o)
	ns, name := m.GetNamespace(), m.GetName()
	trig := work.Trigger{Kind: work.Watch, EventType: string(ev.Type), Resource: res, Namespace: ns, Name: name, Revision: ev.Revision}
	if deleted {
		delete(g.byUID, m.GetUID())
		g.queueDependents(m.GetUID(), trig)
		return
	}
	g.byUID[m.GetUID()] = itemKey(res, o)
	for _, ref := range m.GetOwnerReferences() {
		if _, ok := g.byUID[ref.UID]; !ok {
			g.queue.Add(itemKey(res, o), g.clock.Now(), trig)
			break
		}
	}
	if m.GetDeletionTimestamp() != nil && hasDeletionFinalizer(m) {
		g.queue.Add(itemKey(res, o), g.clock.Now(), trig)
		g.queueDependents(m.GetUID(), trig)
	}
}

func (g *Collector) queueDependents(uid types.UID, trig work.Trigger) {
	for _, res := range resources {
		for _, d := range g.informers[res].ByIndex(byOwnerUID, string(uid)) {
			g.queue.Add(itemKey(res, d), g.clock.Now(), trig)
		}
	}
}

func hasDeletionFinalizer(m metav1.Object) bool {
	for _, f := range m.GetFinalizers() {
		if f == metav1.FinalizerOrphanDependents || f == metav1.FinalizerDeleteDependents {
			return true
		}
	}
	return false
}

// Name implements component.Component.
func (g *Collector) Name() string { return Name }

// Informers implements component.Component.
func (g *Collector) Informers() []*informer.Informer {
	out := make([]*informer.Informer, 0, len(resources))
	for _, r := range resources {
		out = append(out, g.informers[r])
	}
	return out
}

// Queue implements component.Component.
func (g *Collector) Queue() *work.Queue { return g.queue }

// Process looks at one object.
func (g *Collector) Process(it work.Item) component.Result {
	res, key, _ := strings.Cut(it.Key, "/")
	obj, ok := g.informers[res].Get(key)
	if !ok {
		return component.Result{}
	}
	m, _ := meta.Accessor(obj)
	if m.GetDeletionTimestamp() != nil && hasDeletionFinalizer(m) {
		g.finishDeletion(res, obj, m)
		return component.Result{}
	}
	refs := m.GetOwnerReferences()
	if len(refs) == 0 {
		return component.Result{}
	}
	foreground := false
	for _, ref := range refs {
		owner, exists := g.ownerState(ref, m.GetNamespace())
		if exists {
			if owner == nil || !hasFinalizer(owner, metav1.FinalizerDeleteDependents) {
				return component.Result{} // a live owner: keep the object
			}
			foreground = true
		}
	}
	policy := metav1.DeletePropagationBackground
	if foreground {
		policy = metav1.DeletePropagationForeground
	}
	_, err := g.client.Delete(res, m.GetNamespace(), m.GetName(), apiserver.DeleteOptions{
		PropagationPolicy: policy, UID: string(m.GetUID())})
	if err != nil && !apierrors.IsNotFound(err) && !apierrors.IsConflict(err) {
		return component.Result{Notes: []component.Note{{ID: "trace.note.sync_error", Args: map[string]any{"Error": err.Error()}}}}
	}
	return component.Result{Notes: []component.Note{{ID: "trace.note.gc_owner_gone",
		Args: map[string]any{"Owner": refs[0].Kind + "/" + refs[0].Name}}}}
}

// ownerState asks the API server (not the cache: the collector must be sure) whether the owner
// exists with the same uid. An owner being deleted in the foreground is returned so the caller can
// see its finalizer.
func (g *Collector) ownerState(ref metav1.OwnerReference, ns string) (metav1.Object, bool) {
	res := strings.ToLower(ref.Kind) + "s"
	obj, err := g.client.Get(res, ns, ref.Name)
	if err != nil {
		return nil, !apierrors.IsNotFound(err) // on other errors, assume it exists: never delete by mistake
	}
	m, _ := meta.Accessor(obj)
	if m.GetUID() != ref.UID {
		return nil, false
	}
	if m.GetDeletionTimestamp() != nil {
		return m, true
	}
	return nil, true
}

func hasFinalizer(m metav1.Object, f string) bool {
	for _, x := range m.GetFinalizers() {
		if x == f {
			return true
		}
	}
	return false
}

// finishDeletion handles an owner being deleted with a finalizer: orphan its dependents (remove the
// owner reference) or wait until the foreground deletion has removed them; then drop the finalizer.
func (g *Collector) finishDeletion(res string, obj runtime.Object, m metav1.Object) {
	var deps []runtime.Object
	var depRes []string
	for _, r := range resources {
		for _, d := range g.informers[r].ByIndex(byOwnerUID, string(m.GetUID())) {
			deps = append(deps, d)
			depRes = append(depRes, r)
		}
	}
	if hasFinalizer(m, metav1.FinalizerOrphanDependents) {
		for i, d := range deps {
			dm, _ := meta.Accessor(d)
			_, _ = g.client.Mutate(depRes[i], dm.GetNamespace(), dm.GetName(), func(o runtime.Object) error {
				om, _ := meta.Accessor(o)
				var kept []metav1.OwnerReference
				for _, r := range om.GetOwnerReferences() {
					if r.UID != m.GetUID() {
						kept = append(kept, r)
					}
				}
				om.SetOwnerReferences(kept)
				return nil
			})
		}
		g.removeFinalizer(res, m, metav1.FinalizerOrphanDependents)
		return
	}
	// Foreground: delete the dependents; the finalizer goes once none is left.
	if len(deps) > 0 {
		for i, d := range deps {
			dm, _ := meta.Accessor(d)
			if dm.GetDeletionTimestamp() == nil {
				_, _ = g.client.Delete(depRes[i], dm.GetNamespace(), dm.GetName(), apiserver.DeleteOptions{
					PropagationPolicy: metav1.DeletePropagationForeground})
			}
		}
		return
	}
	g.removeFinalizer(res, m, metav1.FinalizerDeleteDependents)
}

func (g *Collector) removeFinalizer(res string, m metav1.Object, fin string) {
	_, _ = g.client.Mutate(res, m.GetNamespace(), m.GetName(), func(o runtime.Object) error {
		om, _ := meta.Accessor(o)
		var kept []string
		for _, f := range om.GetFinalizers() {
			if f != fin {
				kept = append(kept, f)
			}
		}
		om.SetFinalizers(kept)
		return nil
	})
}
