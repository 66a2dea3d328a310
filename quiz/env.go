package quiz

import (
	"errors"
	"fmt"
	"sort"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
)

// readerName is who the probes' API requests come from; probes only ever read.
const readerName = "quiz"

func (e Env) ns() string {
	if e.Namespace == "" {
		return "default"
	}
	return e.Namespace
}

// Observed is a real cluster as the probes see it: its objects, read through its API, and what its
// components were seen doing, from the Events and status changes that arrived.
type Observed interface {
	Get(resource, ns, name string) (runtime.Object, error)
	List(resource, ns string, selector labels.Selector) ([]runtime.Object, error)
	// Next is the component seen acting next: the first action observed but not yet told.
	Next() (string, error)
	// Actors are the components seen acting so far, in the order they acted, repeats included.
	Actors() []string
	// Components are the kinds of component a lesson may name, as choices.
	Components() []string
}

// source is what a probe reads: the miniature cluster (miniSource) or a real one (Observed).
type source interface {
	Observed
	LastActor() (string, error)
	ActorOrder() []string
}

func (e Env) source() (source, error) {
	switch {
	case e.Real != nil:
		return realSource{e.Real}, nil
	case e.Cluster != nil:
		return miniSource{e.Cluster}, nil
	}
	return nil, fmt.Errorf("no cluster to read")
}

// mini is the miniature cluster, for the probes that read what only it has.
func (e Env) mini() (*cluster.Cluster, error) {
	if e.Cluster == nil {
		if e.Real != nil {
			return nil, errNeedsMiniature
		}
		return nil, fmt.Errorf("no cluster to read")
	}
	return e.Cluster, nil
}

// errNeedsMiniature: a probe that reads etcd, the scheduler's scores or pending work, asked of a
// real cluster, which shows none of them.
var errNeedsMiniature = errors.New("only the miniature cluster shows this (etcd, the scheduler's scores, pending work)")

func (e Env) client() (*apiserver.Client, error) {
	c, err := e.mini()
	if err != nil {
		return nil, err
	}
	return c.API().Client(readerName), nil
}

// miniSource reads the miniature cluster through its API server, and its trace and work queues
// for who acted and who acts next. The objects are shared with the store: callers only read them.
type miniSource struct{ c *cluster.Cluster }

func (m miniSource) Get(resource, ns, name string) (runtime.Object, error) {
	return m.c.API().Client(readerName).Get(resource, ns, name)
}

func (m miniSource) List(resource, ns string, sel labels.Selector) ([]runtime.Object, error) {
	objs, _, err := m.c.API().Client(readerName).ListShared(resource, ns, apiserver.ListOptions{LabelSelector: sel})
	return objs, err
}

func (m miniSource) Next() (string, error) { return m.c.Next(), nil }

func (m miniSource) Actors() []string {
	var out []string
	earlier, trace := m.c.TraceWithEarlier()
	for _, c := range earlier.ByComponent { // the entries no longer kept came first
		if !c.External {
			out = append(out, c.Component)
		}
	}
	for _, e := range trace {
		if !e.External {
			out = append(out, e.Component)
		}
	}
	return out
}

// ActorOrder is kept apart from Actors: the trace's earlier entries are counted by component, so
// only their first appearance is known.
func (m miniSource) ActorOrder() []string { return firstKinds(m.Actors()) }

func (m miniSource) LastActor() (string, error) {
	earlier, trace := m.c.TraceWithEarlier()
	for i := len(trace) - 1; i >= 0; i-- {
		if !trace[i].External {
			return trace[i].Component, nil
		}
	}
	if earlier.LastActor != "" {
		return earlier.LastActor, nil
	}
	return "", fmt.Errorf("no component has acted yet")
}

func (m miniSource) Components() []string { return m.c.ComponentNames() }

// realSource is a real cluster: who acted is what was observed.
type realSource struct{ Observed }

func (r realSource) ActorOrder() []string { return firstKinds(r.Actors()) }

func (r realSource) LastActor() (string, error) {
	a := r.Actors()
	if len(a) == 0 {
		return "", fmt.Errorf("no component has acted yet")
	}
	return a[len(a)-1], nil
}

// firstKinds is the kinds of component (kubelet and containerd without their node) in the order
// they first appear.
func firstKinds(actors []string) []string {
	var order []string
	for _, a := range actors {
		if k := componentKind(a); !contains(order, k) {
			order = append(order, k)
		}
	}
	return order
}

// list returns the objects of resource in the namespace that match selector ("" for all), sorted by
// name. The objects may be shared with the store: callers only read them.
func (e Env) list(resource, selector string) ([]runtime.Object, error) {
	src, err := e.source()
	if err != nil {
		return nil, err
	}
	var sel labels.Selector
	if selector != "" {
		sel, err = labels.Parse(selector)
		if err != nil {
			return nil, fmt.Errorf("selector %q: %w", selector, err)
		}
	}
	objs, err := src.List(resource, e.ns(), sel) // a cluster-scoped resource ignores the namespace
	if err != nil {
		return nil, err
	}
	sort.SliceStable(objs, func(i, j int) bool { return nameOf(objs[i]) < nameOf(objs[j]) })
	return objs, nil
}

func (e Env) get(resource, name string) (runtime.Object, error) {
	src, err := e.source()
	if err != nil {
		return nil, err
	}
	return src.Get(resource, e.ns(), name)
}

// pods lists the pods that match the filter arguments selector, status (kubectl's STATUS column)
// and node, sorted by name.
func (e Env) pods(args map[string]string) ([]*corev1.Pod, error) {
	objs, err := e.list("pods", args["selector"])
	if err != nil {
		return nil, err
	}
	var out []*corev1.Pod
	for _, o := range objs {
		p, ok := o.(*corev1.Pod)
		if !ok {
			continue
		}
		if s, ok := args["status"]; ok && printers.PodStatus(p) != s {
			continue
		}
		if n, ok := args["node"]; ok && p.Spec.NodeName != n {
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// pickPod is the pod named by pod=NAME, or the index=N-th (from 1) of the pods matching selector.
func (e Env) pickPod(args map[string]string) (*corev1.Pod, error) {
	if name, ok := args["pod"]; ok {
		obj, err := e.get("pods", name)
		if err != nil {
			return nil, err
		}
		return obj.(*corev1.Pod), nil
	}
	obj, err := e.pickObject("pods", args)
	if err != nil {
		return nil, err
	}
	return obj.(*corev1.Pod), nil
}

// pickObject is the object of resource named by name=NAME, or the index=N-th (from 1) of those
// matching selector, by name.
func (e Env) pickObject(resource string, args map[string]string) (runtime.Object, error) {
	if name, ok := args["name"]; ok {
		return e.get(resource, name)
	}
	n, err := strconv.Atoi(args["index"])
	if err != nil || n < 1 {
		return nil, fmt.Errorf("index=%s: want a number from 1", args["index"])
	}
	objs, err := e.list(resource, args["selector"])
	if err != nil {
		return nil, err
	}
	if n > len(objs) {
		return nil, fmt.Errorf("index=%d: there are only %d %s", n, len(objs), resource)
	}
	return objs[n-1], nil
}

func (e Env) deployment(name string) (*appsv1.Deployment, error) {
	obj, err := e.get("deployments", name)
	if err != nil {
		return nil, err
	}
	return obj.(*appsv1.Deployment), nil
}

func nameOf(obj runtime.Object) string {
	m, err := meta.Accessor(obj)
	if err != nil {
		return ""
	}
	return m.GetName()
}
