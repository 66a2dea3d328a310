// Package endpointutil holds what the EndpointSlice and Endpoints controllers share, as both
// share k8s.io/endpointslice v0.37.2 util (controller_utils.go, trigger_time_tracker.go) and
// utils.go (FindPort): which pods belong in a Service's endpoints, which Services a pod change
// touches, and the time of the change that triggered an endpoints update.
package endpointutil

import (
	"fmt"
	"reflect"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/informer"
)

// Enqueue queues the Service with key for a sync, woken by ev on obj.
type Enqueue func(key string, ev informer.Event, obj runtime.Object)

// WatchServicesAndPods starts the two informers both endpoint controllers keep, as
// k8s.io/kubernetes v1.37.2 pkg/controller/endpoint and endpointslice do: every change of a
// Service queues it, and a pod change queues the Services it touches (ServicesForPodChange).
func WatchServicesAndPods(client *apiserver.Client, enqueue Enqueue) (services, pods *informer.Informer, err error) {
	onService := func(o runtime.Object, ev informer.Event) { enqueue(informer.KeyOf(o), ev, o) }
	services, err = informer.New(client, "services", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd:    onService,
		OnUpdate: func(_, o runtime.Object, ev informer.Event) { onService(o, ev) },
		OnDelete: onService,
	}, Indexers())
	if err != nil {
		return nil, nil, err
	}
	onPod := func(old, cur *corev1.Pod, ev informer.Event) {
		obj := cur
		if obj == nil {
			obj = old
		}
		for _, key := range ServicesForPodChange(services, old, cur) {
			enqueue(key, ev, obj)
		}
	}
	pods, err = informer.New(client, "pods", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd:    func(o runtime.Object, ev informer.Event) { onPod(nil, o.(*corev1.Pod), ev) },
		OnUpdate: func(old, o runtime.Object, ev informer.Event) { onPod(old.(*corev1.Pod), o.(*corev1.Pod), ev) },
		OnDelete: func(o runtime.Object, ev informer.Event) { onPod(o.(*corev1.Pod), nil, ev) },
	}, Indexers())
	if err != nil {
		return nil, nil, err
	}
	return services, pods, nil
}

// IsPodReady reports whether the pod's Ready condition is True: what the kubelet (and its
// readiness probes) say, never the phase.
func IsPodReady(pod *corev1.Pod) bool {
	c := readyCondition(pod)
	return c != nil && c.Status == corev1.ConditionTrue
}

func readyCondition(pod *corev1.Pod) *corev1.PodCondition {
	for i := range pod.Status.Conditions {
		if pod.Status.Conditions[i].Type == corev1.PodReady {
			return &pod.Status.Conditions[i]
		}
	}
	return nil
}

// ShouldPodBeInEndpoints: a pod that has an IP and has not finished; a terminating one only when
// includeTerminating (controller_utils.go ShouldPodBeInEndpoints).
func ShouldPodBeInEndpoints(pod *corev1.Pod, includeTerminating bool) bool {
	if pod.Status.Phase == corev1.PodFailed || pod.Status.Phase == corev1.PodSucceeded {
		return false
	}
	if pod.Status.PodIP == "" && len(pod.Status.PodIPs) == 0 {
		return false
	}
	return includeTerminating || pod.DeletionTimestamp == nil
}

// ShouldSetHostname: the pod asked for a hostname under the Service as its subdomain.
func ShouldSetHostname(pod *corev1.Pod, svc *corev1.Service) bool {
	return pod.Spec.Hostname != "" && pod.Spec.Subdomain == svc.Name && svc.Namespace == pod.Namespace
}

// PodChange is what a pod event means for endpoints (controller_utils.go podEndpointsChanged):
// whether the pod changed in a way that matters to its endpoints, and whether its labels (or
// hostname and subdomain) changed, which can move it between Services.
type PodChange struct {
	Changed, LabelsChanged bool
}

// DiffPods compares two versions of a pod. An add or delete (one side nil) always matters.
func DiffPods(old, cur *corev1.Pod) PodChange {
	if old == nil || cur == nil {
		return PodChange{Changed: true}
	}
	var c PodChange
	c.LabelsChanged = !reflect.DeepEqual(old.Labels, cur.Labels) ||
		old.Spec.Hostname != cur.Spec.Hostname || old.Spec.Subdomain != cur.Spec.Subdomain
	switch {
	case !old.DeletionTimestamp.Equal(cur.DeletionTimestamp):
		c.Changed = true
	case IsPodReady(old) != IsPodReady(cur):
		c.Changed = true
	case !reflect.DeepEqual(podIPs(old), podIPs(cur)):
		c.Changed = true
	}
	return c
}

func podIPs(p *corev1.Pod) []string {
	out := make([]string, 0, len(p.Status.PodIPs))
	for _, ip := range p.Status.PodIPs {
		out = append(out, ip.IP)
	}
	return out
}

// ServicesForPodChange returns the keys of the Services (in services, the controller's cache) a
// pod event concerns, sorted: those selecting the pod now, and, when its labels changed, those
// that selected it before (controller_utils.go GetServicesToUpdate, determineNeededServiceUpdates).
// A pod whose change matters to no endpoints concerns none.
func ServicesForPodChange(services *informer.Informer, old, cur *corev1.Pod) []string {
	change := DiffPods(old, cur)
	if !change.Changed && !change.LabelsChanged {
		return nil
	}
	// A pod that is in no endpoints before or after (no IP yet, or finished) cannot change any:
	// the real controllers sync its Services anyway and find nothing to do; the miniature skips
	// those empty syncs.
	if (old == nil || !ShouldPodBeInEndpoints(old, true)) && (cur == nil || !ShouldPodBeInEndpoints(cur, true)) {
		return nil
	}
	pod := cur
	if pod == nil {
		pod = old
	}
	now := servicesSelecting(services, pod.Namespace, pod.Labels)
	if old == nil || cur == nil || !change.LabelsChanged {
		return sortedKeys(now)
	}
	before := servicesSelecting(services, old.Namespace, old.Labels)
	out := map[string]bool{}
	for k := range now {
		if change.Changed || !before[k] {
			out[k] = true
		}
	}
	for k := range before {
		if change.Changed || !now[k] {
			out[k] = true
		}
	}
	return sortedKeys(out)
}

func servicesSelecting(services *informer.Informer, ns string, podLabels map[string]string) map[string]bool {
	out := map[string]bool{}
	for _, o := range services.ByIndex(ByNamespace, ns) {
		svc := o.(*corev1.Service)
		if svc.Spec.Selector == nil {
			continue
		}
		if labels.ValidatedSetSelector(svc.Spec.Selector).Matches(labels.Set(podLabels)) {
			out[informer.KeyOf(svc)] = true
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ByNamespace is the informer index of objects by namespace (a lister's Services(ns)).
const ByNamespace = "namespace"

// Indexers index by namespace.
func Indexers() map[string]informer.IndexFunc {
	return map[string]informer.IndexFunc{ByNamespace: func(o runtime.Object) []string {
		ns, _ := informer.SplitKey(informer.KeyOf(o))
		return []string{ns}
	}}
}

// SelectedPods lists the cached pods of the Service's namespace its selector matches, sorted by
// name (a lister's Pods(ns).List(selector)).
func SelectedPods(pods *informer.Informer, svc *corev1.Service) []*corev1.Pod {
	sel := labels.Set(svc.Spec.Selector).AsSelectorPreValidated()
	var out []*corev1.Pod
	for _, o := range pods.ByIndex(ByNamespace, svc.Namespace) {
		p := o.(*corev1.Pod)
		if sel.Matches(labels.Set(p.Labels)) {
			out = append(out, p)
		}
	}
	return out
}

// FindPort is the container port a Service port targets on a pod: the number itself, or the
// port of that name and protocol among the containers (and restartable init containers)
// (k8s.io/endpointslice utils.go FindPort).
func FindPort(pod *corev1.Pod, svcPort *corev1.ServicePort) (int, error) {
	switch svcPort.TargetPort.Type {
	case intstr.String:
		name := svcPort.TargetPort.StrVal
		for _, c := range pod.Spec.Containers {
			for _, p := range c.Ports {
				if p.Name == name && p.Protocol == svcPort.Protocol {
					return int(p.ContainerPort), nil
				}
			}
		}
		for _, c := range pod.Spec.InitContainers {
			if c.RestartPolicy == nil || *c.RestartPolicy != corev1.ContainerRestartPolicyAlways {
				continue
			}
			for _, p := range c.Ports {
				if p.Name == name && p.Protocol == svcPort.Protocol {
					return int(p.ContainerPort), nil
				}
			}
		}
	case intstr.Int:
		return svcPort.TargetPort.IntValue(), nil
	}
	return 0, fmt.Errorf("no suitable port for manifest: %s", pod.UID)
}

// TriggerTimes remembers, per Service, the pod and Service times it last saw, to compute the
// endpoints.kubernetes.io/last-change-trigger-time annotation (trigger_time_tracker.go): the
// earliest Ready transition (or Service creation) that is newer than at the previous sync; the
// Service's creation time on the first sync; zero when nothing changed.
type TriggerTimes struct {
	states map[string]triggerState
}

type triggerState struct {
	service time.Time
	pods    map[string]time.Time
}

// NewTriggerTimes returns an empty tracker.
func NewTriggerTimes() *TriggerTimes { return &TriggerTimes{states: map[string]triggerState{}} }

// Compute returns the trigger time for a sync of svc with pods and records what it saw.
func (t *TriggerTimes) Compute(svc *corev1.Service, pods []*corev1.Pod) time.Time {
	key := svc.Namespace + "/" + svc.Name
	state, known := t.states[key]
	var earliest time.Time
	seen := make(map[string]time.Time, len(pods))
	for _, p := range pods {
		c := readyCondition(p)
		if c == nil || c.LastTransitionTime.IsZero() {
			continue
		}
		at := c.LastTransitionTime.Time
		seen[p.Name] = at
		if at.After(state.pods[p.Name]) {
			earliest = earlier(earliest, at)
		}
	}
	created := svc.CreationTimestamp.Time
	if created.After(state.service) {
		earliest = earlier(earliest, created)
	}
	t.states[key] = triggerState{service: created, pods: seen}
	if !known {
		return created
	}
	return earliest
}

// Forget drops a deleted Service.
func (t *TriggerTimes) Forget(namespace, name string) { delete(t.states, namespace+"/"+name) }

func earlier(cur, t time.Time) time.Time {
	if cur.IsZero() || t.Before(cur) {
		return t
	}
	return cur
}
