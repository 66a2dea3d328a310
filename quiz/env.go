package quiz

import (
	"fmt"
	"sort"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
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

func (e Env) client() (*apiserver.Client, error) {
	if e.Cluster == nil {
		return nil, fmt.Errorf("no cluster to read")
	}
	return e.Cluster.API().Client(readerName), nil
}

// list returns the objects of resource in the namespace that match selector ("" for all), sorted by
// name. The objects are shared with the store: callers only read them.
func (e Env) list(resource, selector string) ([]runtime.Object, error) {
	c, err := e.client()
	if err != nil {
		return nil, err
	}
	opts := apiserver.ListOptions{}
	if selector != "" {
		sel, err := labels.Parse(selector)
		if err != nil {
			return nil, fmt.Errorf("selector %q: %w", selector, err)
		}
		opts.LabelSelector = sel
	}
	objs, _, err := c.ListShared(resource, e.ns(), opts)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(objs, func(i, j int) bool { return nameOf(objs[i]) < nameOf(objs[j]) })
	return objs, nil
}

func (e Env) get(resource, name string) (runtime.Object, error) {
	c, err := e.client()
	if err != nil {
		return nil, err
	}
	return c.Get(resource, e.ns(), name)
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
