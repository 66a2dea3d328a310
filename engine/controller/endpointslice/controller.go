// Package endpointslice is the miniature EndpointSlice controller: for every Service with a
// selector it keeps EndpointSlices listing the pods the selector matches, each endpoint with the
// conditions ready, serving and terminating from the pod's Ready condition and deletion, in the
// shape of kube-controller-manager's pkg/controller/endpointslice (endpointslice_controller.go)
// and its reconciler, k8s.io/endpointslice v0.37.2 (reconciler.go, utils.go), kubernetes v1.37.2.
//
// Left out: topology hints and traffic distribution, dual-stack (a Service's slices are IPv4), and
// the informer-staleness check (the cluster syncs every informer before each step).
package endpointslice

import (
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/controller/endpointutil"
	"github.com/k8slearn/k8slearn/engine/events"
	"github.com/k8slearn/k8slearn/engine/informer"
	"github.com/k8slearn/k8slearn/engine/work"
)

const (
	// Name is the controller's name in kube-controller-manager, as the trace shows it.
	Name = "endpointslice-controller"
	// eventSource is the component its events carry (endpointslice_controller.go NewController).
	eventSource = "endpoint-slice-controller"
	// ManagedBy is the endpointslice.kubernetes.io/managed-by label of the slices it owns
	// (endpointslice_controller.go ControllerName).
	ManagedBy = "endpointslice-controller.k8s.io"
	// maxEndpointsPerSlice is kube-controller-manager's --max-endpoints-per-slice default.
	maxEndpointsPerSlice = 100
	// sliceChangeMinSyncDelay delays a sync after someone else changed a slice
	// (endpointslice_controller.go endpointSliceChangeMinSyncDelay).
	sliceChangeMinSyncDelay = time.Second
)

// Controller reconciles the EndpointSlices of Services.
type Controller struct {
	client   *apiserver.Client
	clock    clock.Clock
	rec      *events.Recorder
	queue    *work.Queue
	svcInf   *informer.Informer
	podInf   *informer.Informer
	sliceInf *informer.Informer
	tracker  *tracker
	triggers *endpointutil.TriggerTimes
}

// New starts the controller's informers. The Services present at start are synced at once (the
// controller's first sync happens before anyone uses the cluster).
func New(api *apiserver.Server, clk clock.Clock, agenda *work.Agenda) (*Controller, error) {
	c := &Controller{client: api.Client(Name), clock: clk, queue: agenda.NewQueue(Name),
		tracker: newTracker(), triggers: endpointutil.NewTriggerTimes()}
	c.rec = events.NewRecorder(c.client, clk, eventSource, "")
	var err error
	if c.svcInf, c.podInf, err = endpointutil.WatchServicesAndPods(c.client, c.enqueue); err != nil {
		return nil, err
	}
	c.sliceInf, err = informer.New(c.client, "endpointslices", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd: func(o runtime.Object, ev informer.Event) {
			if s := o.(*discoveryv1.EndpointSlice); managed(s) && c.tracker.shouldSync(s) {
				c.enqueueForSlice(s, ev)
			}
		},
		OnUpdate: func(old, o runtime.Object, ev informer.Event) {
			prev, s := old.(*discoveryv1.EndpointSlice), o.(*discoveryv1.EndpointSlice)
			if prev.Labels[discoveryv1.LabelServiceName] != s.Labels[discoveryv1.LabelServiceName] {
				c.enqueueForSlice(s, ev)
				c.enqueueForSlice(prev, ev)
				return
			}
			if managed(prev) != managed(s) || managed(s) && c.tracker.shouldSync(s) {
				c.enqueueForSlice(s, ev)
			}
		},
		OnDelete: func(o runtime.Object, ev informer.Event) {
			s := o.(*discoveryv1.EndpointSlice)
			if managed(s) && c.tracker.has(s) && !c.tracker.handleDeletion(s) {
				c.enqueueForSlice(s, ev)
			}
		},
	}, endpointutil.Indexers())
	if err != nil {
		return nil, err
	}
	c.syncAtStart()
	return c, nil
}

// syncAtStart handles what the informers' first lists queued, so a fresh cluster starts idle.
func (c *Controller) syncAtStart() {
	for _, it := range c.queue.Items() {
		c.queue.Remove(it.Key)
		c.syncService(it.Key)
	}
}

func managed(s *discoveryv1.EndpointSlice) bool {
	return s.Labels[discoveryv1.LabelManagedBy] == ManagedBy
}

func (c *Controller) enqueue(key string, ev informer.Event, obj runtime.Object) {
	ns, name := informer.SplitKey(informer.KeyOf(obj))
	trig := work.Trigger{Kind: work.Watch, EventType: string(ev.Type), Resource: ev.Resource,
		Namespace: ns, Name: name, Revision: ev.Revision}
	c.queue.Add(key, c.clock.Now(), trig)
}

// enqueueForSlice queues the slice's Service a second later, as a change someone else made to a
// managed slice does (queueServiceForEndpointSlice): a timer, so it waits for time to pass.
func (c *Controller) enqueueForSlice(s *discoveryv1.EndpointSlice, ev informer.Event) {
	svc := s.Labels[discoveryv1.LabelServiceName]
	if svc == "" {
		return
	}
	c.queue.AddTimer(s.Namespace+"/"+svc, c.clock.Now().Add(sliceChangeMinSyncDelay), work.Trigger{
		Note: "trigger.endpointslice_changed", Resource: ev.Resource, Namespace: s.Namespace, Name: s.Name, Revision: ev.Revision,
		Args: map[string]any{"Slice": s.Name, "Event": string(ev.Type)}})
}

// Name implements component.Component.
func (c *Controller) Name() string { return Name }

// Informers implements component.Component.
func (c *Controller) Informers() []*informer.Informer {
	return []*informer.Informer{c.svcInf, c.podInf, c.sliceInf}
}

// Queue implements component.Component.
func (c *Controller) Queue() *work.Queue { return c.queue }

// Process syncs one Service's slices.
func (c *Controller) Process(it work.Item) component.Result {
	if err := c.syncService(it.Key); err != nil {
		return component.Result{Notes: []component.Note{{ID: "trace.note.sync_error", Args: map[string]any{"Error": err.Error()}}}}
	}
	return component.Result{}
}

// syncService is endpointslice_controller.go syncService.
func (c *Controller) syncService(key string) error {
	obj, ok := c.svcInf.Get(key)
	if !ok {
		ns, name := informer.SplitKey(key)
		c.triggers.Forget(ns, name)
		c.tracker.deleteService(ns, name)
		return nil // the garbage collector removes the slices the Service owned
	}
	svc := obj.(*corev1.Service)
	if svc.Spec.Type == corev1.ServiceTypeExternalName || svc.Spec.Selector == nil {
		return nil
	}
	pods := endpointutil.SelectedPods(c.podInf, svc)
	var slices []*discoveryv1.EndpointSlice
	for _, o := range c.sliceInf.ByIndex(endpointutil.ByNamespace, svc.Namespace) {
		s := o.(*discoveryv1.EndpointSlice)
		if s.Labels[discoveryv1.LabelServiceName] == svc.Name && managed(s) && s.DeletionTimestamp == nil {
			slices = append(slices, s)
		}
	}
	trigger := c.triggers.Compute(svc, pods)
	if err := c.reconcile(svc, pods, slices, trigger); err != nil {
		// endpointslice_controller.go syncService
		c.rec.Eventf(svc, corev1.EventTypeWarning, "FailedToUpdateEndpointSlices",
			"Error updating Endpoint Slices for Service %s/%s: %v", svc.Namespace, svc.Name, err)
		return err
	}
	return nil
}

// finalize writes the slices, turning a delete plus a create into an update of the old slice
// (reconciler.go finalize).
func (c *Controller) finalize(svc *corev1.Service, toCreate, toUpdate, toDelete []*discoveryv1.EndpointSlice, trigger time.Time) error {
	for i := 0; i < len(toDelete); {
		if len(toCreate) == 0 {
			break
		}
		del, last := toDelete[i], toCreate[len(toCreate)-1]
		if del.AddressType == last.AddressType && ownedBy(del, svc) {
			last.Name = del.Name
			// EndpointSlices allow unconditional updates; this API server wants the version.
			last.ResourceVersion = del.ResourceVersion
			toCreate = toCreate[:len(toCreate)-1]
			toUpdate = append(toUpdate, last)
			toDelete = append(toDelete[:i], toDelete[i+1:]...)
		} else {
			i++
		}
	}
	if svc.DeletionTimestamp == nil {
		for _, s := range toCreate {
			setTriggerTime(s, trigger)
			created, err := c.client.Create("endpointslices", svc.Namespace, s)
			if err != nil {
				if apierrors.HasStatusCause(err, corev1.NamespaceTerminatingCause) {
					return nil
				}
				return fmt.Errorf("failed to create EndpointSlice for Service %s/%s: %v", svc.Namespace, svc.Name, err)
			}
			c.tracker.update(created.(*discoveryv1.EndpointSlice))
		}
	}
	for _, s := range toUpdate {
		setTriggerTime(s, trigger)
		updated, err := c.client.Update("endpointslices", svc.Namespace, s)
		if err != nil {
			return fmt.Errorf("failed to update %s EndpointSlice for Service %s/%s: %v", s.Name, svc.Namespace, svc.Name, err)
		}
		c.tracker.update(updated.(*discoveryv1.EndpointSlice))
	}
	for _, s := range toDelete {
		if _, err := c.client.Delete("endpointslices", svc.Namespace, s.Name, apiserver.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			return fmt.Errorf("failed to delete %s EndpointSlice for Service %s/%s: %v", s.Name, svc.Namespace, svc.Name, err)
		}
		c.tracker.expectDeletion(s)
	}
	return nil
}

// setTriggerTime also drops empty lists, as they come back from etcd's protobuf (a placeholder
// slice reads "ports: null", "endpoints: null").
func setTriggerTime(s *discoveryv1.EndpointSlice, trigger time.Time) {
	if len(s.Ports) == 0 {
		s.Ports = nil
	}
	if len(s.Endpoints) == 0 {
		s.Endpoints = nil
	}
	if s.Annotations == nil {
		s.Annotations = map[string]string{}
	}
	if trigger.IsZero() {
		delete(s.Annotations, corev1.EndpointsLastChangeTriggerTime)
		return
	}
	s.Annotations[corev1.EndpointsLastChangeTriggerTime] = trigger.UTC().Format(time.RFC3339Nano)
}

func ownedBy(s *discoveryv1.EndpointSlice, svc *corev1.Service) bool {
	for _, o := range s.OwnerReferences {
		if o.UID == svc.UID && o.Kind == "Service" && o.APIVersion == "v1" {
			return true
		}
	}
	return false
}

// tracker remembers the generation of every slice the controller wrote, so the echo of its own
// writes does not wake it (k8s.io/endpointslice util/endpointslice_tracker.go).
type tracker struct {
	byService map[types.NamespacedName]map[types.UID]int64
}

const deletionExpected = -1

func newTracker() *tracker {
	return &tracker{byService: map[types.NamespacedName]map[types.UID]int64{}}
}

func serviceOf(s *discoveryv1.EndpointSlice) types.NamespacedName {
	return types.NamespacedName{Namespace: s.Namespace, Name: s.Labels[discoveryv1.LabelServiceName]}
}

func (t *tracker) has(s *discoveryv1.EndpointSlice) bool {
	_, ok := t.byService[serviceOf(s)][s.UID]
	return ok
}

func (t *tracker) shouldSync(s *discoveryv1.EndpointSlice) bool {
	g, ok := t.byService[serviceOf(s)][s.UID]
	return !ok || s.Generation > g
}

func (t *tracker) set(s *discoveryv1.EndpointSlice, g int64) {
	nn := serviceOf(s)
	if t.byService[nn] == nil {
		t.byService[nn] = map[types.UID]int64{}
	}
	t.byService[nn][s.UID] = g
}

func (t *tracker) update(s *discoveryv1.EndpointSlice)         { t.set(s, s.Generation) }
func (t *tracker) expectDeletion(s *discoveryv1.EndpointSlice) { t.set(s, deletionExpected) }
func (t *tracker) deleteService(ns, name string) {
	delete(t.byService, types.NamespacedName{Namespace: ns, Name: name})
}

// handleDeletion forgets a deleted slice and reports whether the controller expected it.
func (t *tracker) handleDeletion(s *discoveryv1.EndpointSlice) bool {
	gens, ok := t.byService[serviceOf(s)]
	if !ok {
		return true
	}
	g, ok := gens[s.UID]
	delete(gens, s.UID)
	return !ok || g == deletionExpected
}
