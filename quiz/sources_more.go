package quiz

// Probes for the lessons on watches, scheduling and rolling updates. Like the others they only
// read: the API server's read verbs, the store's keys, the components' queues and the scheduler's
// last decisions.
//
//	probe                                     value   what
//	resource-version resource=R               number  the object's metadata.resourceVersion: the revision of its last write
//	         name=N|index=I [selector=S]
//	create-revision resource=R                number  the revision of the write that created the object's key (etcd's create revision)
//	         name=N|index=I [selector=S]
//	key-version resource=R                    number  how many times the key was written since it was created (etcd's version)
//	         name=N|index=I [selector=S]
//	next-event-type                           text    the watch event the next step handles: ADDED, MODIFIED or DELETED
//	next-event-revision                       number  the revision of that event
//	node-cpu-allocatable node=N               number  status.allocatable cpu, in millicores
//	node-cpu-requested node=N                 number  the CPU requests of the pods bound to N that have not finished, in
//	                                                  millicores ("Allocated resources" of kubectl describe node)
//	node-cpu-free node=N                      number  allocatable minus requested: what a new pod may still request
//	most-node-cpu                             number  the largest allocatable CPU of the lesson's nodes, in whole CPUs rounded up
//	cpu-beyond-nodes                          number  a CPU request no node can hold: the largest allocatable CPU of the lesson's
//	                                                  nodes plus 2 (most-node-cpu + 2: 6 on the miniature's 4-CPU nodes)
//	node-cpu-share per-cpu=M                  number  millicores in proportion to the nodes' size: M for each CPU of most-node-cpu
//	                                                  (per-cpu=375 is 1500 on 4 CPUs, 6000 on 16), so that a lesson's arithmetic
//	                                                  of requests holds on a real cluster's bigger nodes
//	node-cpu-quantity per-cpu=M               text    the same share as a quantity, as the API server writes it back: 1500m, 2, 6
//	first-pod [selector=S] [status=X]         text    the first pod, by name, matching the filters (pod-count's)
//	          [node=N]
//	newest-pod [selector=S]                   text    the pod created last (not being deleted): a replacement; fails on a tie
//	node-with-fewest-pods [selector=S]        text    the node with the fewest pods (matching selector); fails on a tie
//	filter-plugin pod=P|index=I [selector=S]  text    the filter plugin that turned node N away in the pod's latest scheduling
//	         [status=X] node=N                        decision, "passed" if the node fit (what `why POD` shows)
//	filter-rejections pod=P|index=I           number  how many nodes plugin P turned away in that decision
//	         [selector=S] [status=X] plugin=P
//	max-surge deployment=D                    number  maxSurge as a number of pods (a percentage of spec.replicas, rounded up)
//	max-unavailable deployment=D              number  maxUnavailable as a number of pods (rounded down; 1 if both are 0)
//	rollout-max-pods deployment=D             number  spec.replicas + maxSurge: the most pods a rolling update may have
//	rollout-min-available deployment=D        number  spec.replicas - maxUnavailable: the fewest available pods it keeps
//	replicaset-replicas deployment=D          number  spec.replicas of the newest ReplicaSet (which=new) or of all the others
//	         which=new|old                            together (which=old): the DESIRED column of kubectl get rs
//	next-revision deployment=D                number  the revision the next change of the pod template gets: the highest
//	                                                  revision of D's ReplicaSets plus one (rollout undo takes one too)
//	new-pod-name deployment=D                 text    the first pod (by name) of D's newest ReplicaSet
//	new-pod-status deployment=D               text    kubectl's STATUS of that pod

import (
	"fmt"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/controller/deployment"
	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
	"github.com/k8slearn/k8slearn/engine/scheduler/framework"
	"github.com/k8slearn/k8slearn/engine/store"
	"github.com/k8slearn/k8slearn/engine/work"
)

// filterPassed is filter-plugin's answer for a node that passed every filter.
const filterPassed = "passed"

// moreProbeSpecs are the probes of this file, added to probeSpecs.
func moreProbeSpecs() map[string]probeSpec {
	objPick := []string{"name", "index"}
	podPick := []string{"pod", "index"}
	podFilters := []string{"selector", "status", "node"}
	dep := []string{"deployment"}
	return map[string]probeSpec{
		// etcd and watches.
		"resource-version":    {run: probeResourceVersion, yields: NumberValue, required: []string{"resource"}, oneOf: objPick, optional: []string{"selector"}},
		"create-revision":     {run: probeCreateRevision, yields: NumberValue, required: []string{"resource"}, oneOf: objPick, optional: []string{"selector"}},
		"key-version":         {run: probeKeyVersion, yields: NumberValue, required: []string{"resource"}, oneOf: objPick, optional: []string{"selector"}},
		"next-event-type":     {run: probeNextEventType, yields: TextValue},
		"next-event-revision": {run: probeNextEventRevision, yields: NumberValue},
		// Scheduling.
		"node-cpu-allocatable":  {run: probeNodeCPUAllocatable, yields: NumberValue, required: []string{"node"}},
		"node-cpu-requested":    {run: probeNodeCPURequested, yields: NumberValue, required: []string{"node"}},
		"node-cpu-free":         {run: probeNodeCPUFree, yields: NumberValue, required: []string{"node"}},
		"most-node-cpu":         {run: probeMostNodeCPU, yields: NumberValue},
		"cpu-beyond-nodes":      {run: probeCPUBeyondNodes, yields: NumberValue},
		"node-cpu-share":        {run: probeNodeCPUShare, yields: NumberValue, required: []string{"per-cpu"}},
		"node-cpu-quantity":     {run: probeNodeCPUQuantity, yields: TextValue, required: []string{"per-cpu"}},
		"first-pod":             {run: probeFirstPod, yields: TextValue, optional: podFilters},
		"newest-pod":            {run: probeNewestPod, yields: TextValue, optional: []string{"selector"}},
		"node-with-fewest-pods": {run: probeNodeWithFewestPods, yields: TextValue, optional: []string{"selector"}},
		"filter-plugin":         {run: probeFilterPlugin, yields: TextValue, required: []string{"node"}, oneOf: podPick, optional: []string{"selector", "status"}},
		"filter-rejections":     {run: probeFilterRejections, yields: NumberValue, required: []string{"plugin"}, oneOf: podPick, optional: []string{"selector", "status"}},
		// Rolling updates.
		"max-surge":             {run: probeMaxSurge, yields: NumberValue, required: dep},
		"max-unavailable":       {run: probeMaxUnavailable, yields: NumberValue, required: dep},
		"rollout-max-pods":      {run: probeRolloutMaxPods, yields: NumberValue, required: dep},
		"rollout-min-available": {run: probeRolloutMinAvailable, yields: NumberValue, required: dep},
		"replicaset-replicas":   {run: probeReplicaSetReplicas, yields: NumberValue, required: []string{"deployment", "which"}},
		"next-revision":         {run: probeNextRevision, yields: NumberValue, required: dep},
		"new-pod-name":          {run: probeNewPodName, yields: TextValue, required: dep},
		"new-pod-status":        {run: probeNewPodStatus, yields: TextValue, required: dep},
	}
}

// checkMoreArgValue checks the values of this file's arguments whose form is known without a
// cluster; known is false for an argument it does not know.
func checkMoreArgValue(name, value string) (known bool, err error) {
	switch name {
	case "which":
		if value != "new" && value != "old" {
			return true, fmt.Errorf("which=%s: want new or old", value)
		}
		return true, nil
	case "plugin":
		if !contains(filterPlugins(), value) {
			return true, fmt.Errorf("plugin=%s: not a filter plugin (%s)", value, strings.Join(filterPlugins(), ", "))
		}
		return true, nil
	}
	return false, nil
}

// filterPlugins are the Filter plugins of the scheduler's default profile, in profile order.
func filterPlugins() []string {
	return []string{framework.PluginNodeUnschedulable, framework.PluginNodeName, framework.PluginTaintToleration,
		framework.PluginNodeAffinity, framework.PluginNodePorts, framework.PluginNodeResourcesFit}
}

// storedKey reads the etcd key of the object the arguments pick: its create and mod revisions and
// its version.
func storedKey(env Env, args map[string]string) (store.KeyValue, error) {
	obj, err := env.pickObject(args["resource"], args)
	if err != nil {
		return store.KeyValue{}, err
	}
	c, err := env.mini()
	if err != nil {
		return store.KeyValue{}, err
	}
	res, ok := c.API().Registry().ForObject(obj)
	if !ok {
		return store.KeyValue{}, fmt.Errorf("no resource for %T", obj)
	}
	ns := ""
	if res.Namespaced {
		ns = env.ns()
	}
	key := res.Key(ns, nameOf(obj))
	kv, err := c.API().Store().Get(key)
	if err != nil {
		return store.KeyValue{}, fmt.Errorf("%s: %w", key, err)
	}
	return kv, nil
}

// probeResourceVersion: metadata.resourceVersion, as the API server wrote it.
func probeResourceVersion(env Env, args map[string]string) (Value, error) {
	obj, err := env.pickObject(args["resource"], args)
	if err != nil {
		return Value{}, err
	}
	m, err := meta.Accessor(obj)
	if err != nil {
		return Value{}, err
	}
	rv, err := strconv.Atoi(m.GetResourceVersion())
	if err != nil {
		return Value{}, fmt.Errorf("%s has no numeric resourceVersion (%q)", m.GetName(), m.GetResourceVersion())
	}
	return numberValue(rv), nil
}

// probeCreateRevision: the revision at which the object's key was created.
func probeCreateRevision(env Env, args map[string]string) (Value, error) {
	kv, err := storedKey(env, args)
	if err != nil {
		return Value{}, err
	}
	return numberValue(int(kv.CreateRevision)), nil
}

// probeKeyVersion: how many times the key was written since its creation (1 after the create).
func probeKeyVersion(env Env, args map[string]string) (Value, error) {
	kv, err := storedKey(env, args)
	if err != nil {
		return Value{}, err
	}
	return numberValue(int(kv.Version)), nil
}

// nextTrigger is what sets off the next step: the first item of the component that acts next. It
// fails when the cluster is idle.
func nextTrigger(env Env) (work.Trigger, error) {
	c, err := env.mini()
	if err != nil {
		return work.Trigger{}, err
	}
	pending := c.Pending()
	if len(pending) == 0 || len(pending[0].Items) == 0 {
		return work.Trigger{}, fmt.Errorf("the cluster is idle: no step is waiting")
	}
	return pending[0].Items[0].Trigger, nil
}

// probeNextEventType: the type of the watch event the next step handles.
func probeNextEventType(env Env, _ map[string]string) (Value, error) {
	t, err := nextTrigger(env)
	if err != nil {
		return Value{}, err
	}
	if t.Kind != work.Watch {
		return Value{}, fmt.Errorf("the next step is a %s, not a watch event", t.Kind)
	}
	return textValue(t.EventType), nil
}

// probeNextEventRevision: the revision of the watch event the next step handles.
func probeNextEventRevision(env Env, _ map[string]string) (Value, error) {
	t, err := nextTrigger(env)
	if err != nil {
		return Value{}, err
	}
	if t.Kind != work.Watch {
		return Value{}, fmt.Errorf("the next step is a %s, not a watch event", t.Kind)
	}
	return numberValue(int(t.Revision)), nil
}

func (e Env) node(name string) (*corev1.Node, error) {
	obj, err := e.get("nodes", name)
	if err != nil {
		return nil, err
	}
	return obj.(*corev1.Node), nil
}

// requestedMilliCPU adds up the CPU requests of the pods bound to the node that have not finished,
// as the scheduler counts them (framework.PodRequests) and kubectl describe node shows them.
func requestedMilliCPU(env Env, node string) (int64, error) {
	c, err := env.client()
	if err != nil {
		return 0, err
	}
	objs, _, err := c.ListShared("pods", "", apiserver.ListOptions{})
	if err != nil {
		return 0, err
	}
	var sum int64
	for _, o := range objs {
		p, ok := o.(*corev1.Pod)
		if !ok || p.Spec.NodeName != node || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			continue
		}
		req, _ := framework.PodRequests(p)
		sum += req.MilliCPU
	}
	return sum, nil
}

func allocatableMilliCPU(env Env, node string) (int64, error) {
	n, err := env.node(node)
	if err != nil {
		return 0, err
	}
	q, ok := n.Status.Allocatable[corev1.ResourceCPU]
	if !ok {
		return 0, fmt.Errorf("node %s reports no allocatable cpu", node)
	}
	return q.MilliValue(), nil
}

// probeNodeCPUAllocatable: status.allocatable cpu in millicores.
func probeNodeCPUAllocatable(env Env, args map[string]string) (Value, error) {
	m, err := allocatableMilliCPU(env, args["node"])
	if err != nil {
		return Value{}, err
	}
	return numberValue(int(m)), nil
}

// probeMostNodeCPU: the largest allocatable CPU of the lesson's nodes, in whole CPUs rounded up.
func probeMostNodeCPU(env Env, _ map[string]string) (Value, error) {
	n, err := mostNodeCPU(env)
	return numberValue(n), err
}

// probeCPUBeyondNodes is a CPU request that fits on none of the lesson's nodes, however empty:
// two CPUs more than the largest allocatable. On a real cluster it follows the nodes' size, where
// a fixed number might fit.
func probeCPUBeyondNodes(env Env, _ map[string]string) (Value, error) {
	n, err := mostNodeCPU(env)
	return numberValue(n + 2), err
}

// probeNodeCPUShare: per-cpu millicores for each CPU of the largest node.
func probeNodeCPUShare(env Env, args map[string]string) (Value, error) {
	per, err := strconv.Atoi(args["per-cpu"])
	if err != nil || per <= 0 {
		return Value{}, fmt.Errorf("per-cpu=%s: want a positive number of millicores", args["per-cpu"])
	}
	n, err := mostNodeCPU(env)
	return numberValue(n * per), err
}

// probeNodeCPUQuantity: node-cpu-share as a canonical quantity, for a command to send ("2", not
// "2000m": the API server stores the canonical form, and a Deployment's pod-template-hash is
// computed from what it stores).
func probeNodeCPUQuantity(env Env, args map[string]string) (Value, error) {
	v, err := probeNodeCPUShare(env, args)
	if err != nil {
		return Value{}, err
	}
	return textValue(resource.NewMilliQuantity(int64(v.Number), resource.DecimalSI).String()), nil
}

// mostNodeCPU is the largest allocatable CPU of the lesson's nodes, in whole CPUs rounded up.
func mostNodeCPU(env Env) (int, error) {
	names, err := nodeNames(env)
	if err != nil {
		return 0, err
	}
	var most int64
	for _, name := range names {
		m, err := allocatableMilliCPU(env, name)
		if err != nil {
			return 0, err
		}
		most = max(most, m)
	}
	return int((most + 999) / 1000), nil
}

// probeNodeCPURequested: the CPU requested by the node's pods, in millicores.
func probeNodeCPURequested(env Env, args map[string]string) (Value, error) {
	if _, err := env.node(args["node"]); err != nil {
		return Value{}, err
	}
	m, err := requestedMilliCPU(env, args["node"])
	if err != nil {
		return Value{}, err
	}
	return numberValue(int(m)), nil
}

// probeNodeCPUFree: what is left to request on the node, in millicores.
func probeNodeCPUFree(env Env, args map[string]string) (Value, error) {
	alloc, err := allocatableMilliCPU(env, args["node"])
	if err != nil {
		return Value{}, err
	}
	req, err := requestedMilliCPU(env, args["node"])
	if err != nil {
		return Value{}, err
	}
	return numberValue(int(alloc - req)), nil
}

// probeFirstPod: the name of the first pod, by name, that matches the filters.
func probeFirstPod(env Env, args map[string]string) (Value, error) {
	pods, err := env.pods(args)
	if err != nil {
		return Value{}, err
	}
	if len(pods) == 0 {
		return Value{}, fmt.Errorf("no pod matches %v", args)
	}
	return textValue(pods[0].Name), nil
}

// probeNewestPod: the pod (matching selector, not being deleted) created last — a controller's
// replacement, whatever its status by now: on a real cluster a replacement is Pending only for a
// moment. Two pods created in the same second (creationTimestamp's resolution) are a tie, and a
// tie is an error: a lesson must not ask when the answer is not one pod.
func probeNewestPod(env Env, args map[string]string) (Value, error) {
	pods, err := env.pods(map[string]string{"selector": args["selector"]})
	if err != nil {
		return Value{}, err
	}
	var newest []*corev1.Pod
	for _, p := range pods {
		switch {
		case p.DeletionTimestamp != nil:
		case len(newest) == 0 || newest[0].CreationTimestamp.Before(&p.CreationTimestamp):
			newest = []*corev1.Pod{p}
		case p.CreationTimestamp.Equal(&newest[0].CreationTimestamp):
			newest = append(newest, p)
		}
	}
	switch len(newest) {
	case 0:
		return Value{}, fmt.Errorf("no pod matches %v", args)
	case 1:
		return textValue(newest[0].Name), nil
	}
	return Value{}, fmt.Errorf("%d pods were created last, in the same second", len(newest))
}

// probeNodeWithFewestPods: the node with the fewest pods (matching selector). A tie is an error: a
// lesson must not ask when the answer is not one node.
func probeNodeWithFewestPods(env Env, args map[string]string) (Value, error) {
	nodes, err := nodeNames(env)
	if err != nil {
		return Value{}, err
	}
	pods, err := env.pods(map[string]string{"selector": args["selector"]})
	if err != nil {
		return Value{}, err
	}
	count := map[string]int{}
	for _, p := range pods {
		if p.Spec.NodeName != "" {
			count[p.Spec.NodeName]++
		}
	}
	var best []string
	for _, n := range nodes {
		switch {
		case len(best) == 0 || count[n] < count[best[0]]:
			best = []string{n}
		case count[n] == count[best[0]]:
			best = append(best, n)
		}
	}
	if len(best) != 1 {
		return Value{}, fmt.Errorf("no single node has the fewest pods (%d nodes have %d)", len(best), count[best[0]])
	}
	return textValue(best[0]), nil
}

// pickFilteredPod is the pod named by pod=NAME, or the index=N-th (from 1), by name, of the pods
// matching the filter arguments named (selector, status, node: as pods reads them).
func (e Env) pickFilteredPod(args map[string]string, filterArgs ...string) (*corev1.Pod, error) {
	if name, ok := args["pod"]; ok {
		obj, err := e.get("pods", name)
		if err != nil {
			return nil, err
		}
		return obj.(*corev1.Pod), nil
	}
	n, err := strconv.Atoi(args["index"])
	if err != nil || n < 1 {
		return nil, fmt.Errorf("index=%s: want a number from 1", args["index"])
	}
	filters := map[string]string{}
	for _, k := range filterArgs {
		if v, ok := args[k]; ok {
			filters[k] = v
		}
	}
	pods, err := e.pods(filters)
	if err != nil {
		return nil, err
	}
	if n > len(pods) {
		return nil, fmt.Errorf("index=%d: only %d pods match", n, len(pods))
	}
	return pods[n-1], nil
}

// decision is the scheduler's latest decision for the pod the arguments pick.
func decision(env Env, args map[string]string) (framework.Decision, error) {
	p, err := env.pickFilteredPod(args, "selector", "status") // node= is the node the decision looked at
	if err != nil {
		return framework.Decision{}, err
	}
	c, err := env.mini()
	if err != nil {
		return framework.Decision{}, err
	}
	d, ok := c.Scheduler().Decision(p.Namespace + "/" + p.Name)
	if !ok {
		return framework.Decision{}, fmt.Errorf("the scheduler has not tried to place pod %s yet", p.Name)
	}
	if len(d.Filters) == 0 {
		return framework.Decision{}, fmt.Errorf("the scheduler kept no per-node results for pod %s", p.Name)
	}
	return d, nil
}

// probeFilterPlugin: the filter plugin that turned the node away, or "passed".
func probeFilterPlugin(env Env, args map[string]string) (Value, error) {
	d, err := decision(env, args)
	if err != nil {
		return Value{}, err
	}
	for _, f := range d.Filters {
		if f.Node != args["node"] {
			continue
		}
		if f.Passed() {
			return textValue(filterPassed), nil
		}
		return textValue(f.Plugin), nil
	}
	return Value{}, fmt.Errorf("the scheduler did not look at node %s for this pod", args["node"])
}

// probeFilterRejections: how many nodes the plugin turned away.
func probeFilterRejections(env Env, args map[string]string) (Value, error) {
	d, err := decision(env, args)
	if err != nil {
		return Value{}, err
	}
	n := 0
	for _, f := range d.Filters {
		if f.Plugin == args["plugin"] {
			n++
		}
	}
	return numberValue(n), nil
}

func rollingLimits(env Env, args map[string]string) (d *appsv1.Deployment, surge, unavailable int, err error) {
	d, err = env.deployment(args["deployment"])
	if err != nil {
		return nil, 0, 0, err
	}
	if d.Spec.Strategy.Type != appsv1.RollingUpdateDeploymentStrategyType {
		return nil, 0, 0, fmt.Errorf("deployment %s does not use the RollingUpdate strategy", d.Name)
	}
	s, u := deployment.RollingLimits(d)
	return d, int(s), int(u), nil
}

func specReplicas(d *appsv1.Deployment) int {
	if d.Spec.Replicas == nil {
		return 1
	}
	return int(*d.Spec.Replicas)
}

// probeMaxSurge: maxSurge as a number of pods.
func probeMaxSurge(env Env, args map[string]string) (Value, error) {
	_, s, _, err := rollingLimits(env, args)
	if err != nil {
		return Value{}, err
	}
	return numberValue(s), nil
}

// probeMaxUnavailable: maxUnavailable as a number of pods.
func probeMaxUnavailable(env Env, args map[string]string) (Value, error) {
	_, _, u, err := rollingLimits(env, args)
	if err != nil {
		return Value{}, err
	}
	return numberValue(u), nil
}

// probeRolloutMaxPods: the most pods the rolling update may run at once.
func probeRolloutMaxPods(env Env, args map[string]string) (Value, error) {
	d, s, _, err := rollingLimits(env, args)
	if err != nil {
		return Value{}, err
	}
	return numberValue(specReplicas(d) + s), nil
}

// probeRolloutMinAvailable: the fewest available pods the rolling update keeps.
func probeRolloutMinAvailable(env Env, args map[string]string) (Value, error) {
	d, _, u, err := rollingLimits(env, args)
	if err != nil {
		return Value{}, err
	}
	return numberValue(max(specReplicas(d)-u, 0)), nil
}

// newestAndOthers splits the Deployment's ReplicaSets into the newest (as replicaset-name picks
// it) and the rest.
func newestAndOthers(env Env, name string) (*appsv1.ReplicaSet, []*appsv1.ReplicaSet, error) {
	d, err := env.deployment(name)
	if err != nil {
		return nil, nil, err
	}
	owned, err := ownedReplicaSets(env, d)
	if err != nil {
		return nil, nil, err
	}
	if len(owned) == 0 {
		return nil, nil, fmt.Errorf("deployment %s owns no ReplicaSet yet", d.Name)
	}
	newest := 0
	for i, rs := range owned {
		if newerReplicaSet(rs, owned[newest]) {
			newest = i
		}
	}
	others := append(append([]*appsv1.ReplicaSet{}, owned[:newest]...), owned[newest+1:]...)
	return owned[newest], others, nil
}

func rsReplicas(rs *appsv1.ReplicaSet) int {
	if rs.Spec.Replicas == nil {
		return 1
	}
	return int(*rs.Spec.Replicas)
}

// probeReplicaSetReplicas: spec.replicas of the newest ReplicaSet, or of the others together.
func probeReplicaSetReplicas(env Env, args map[string]string) (Value, error) {
	newest, others, err := newestAndOthers(env, args["deployment"])
	if err != nil {
		return Value{}, err
	}
	if args["which"] == "new" {
		return numberValue(rsReplicas(newest)), nil
	}
	n := 0
	for _, rs := range others {
		n += rsReplicas(rs)
	}
	return numberValue(n), nil
}

// probeNextRevision: the revision the Deployment's next template change gets.
func probeNextRevision(env Env, args map[string]string) (Value, error) {
	d, err := env.deployment(args["deployment"])
	if err != nil {
		return Value{}, err
	}
	owned, err := ownedReplicaSets(env, d)
	if err != nil {
		return Value{}, err
	}
	highest := 0
	for _, rs := range owned {
		highest = max(highest, revisionOf(rs.Annotations))
	}
	return numberValue(highest + 1), nil
}

// firstNewPod is the first pod, by name, of the Deployment's newest ReplicaSet.
func firstNewPod(env Env, deployment string) (*corev1.Pod, error) {
	newest, _, err := newestAndOthers(env, deployment)
	if err != nil {
		return nil, err
	}
	pods, err := env.pods(map[string]string{})
	if err != nil {
		return nil, err
	}
	for _, p := range pods { // sorted by name
		if metav1.IsControlledBy(p, newest) {
			return p, nil
		}
	}
	return nil, fmt.Errorf("replicaset %s has no pod yet", newest.Name)
}

// probeNewPodName: the first pod of the newest ReplicaSet.
func probeNewPodName(env Env, args map[string]string) (Value, error) {
	p, err := firstNewPod(env, args["deployment"])
	if err != nil {
		return Value{}, err
	}
	return textValue(p.Name), nil
}

// probeNewPodStatus: the STATUS column of the first pod of the newest ReplicaSet.
func probeNewPodStatus(env Env, args map[string]string) (Value, error) {
	p, err := firstNewPod(env, args["deployment"])
	if err != nil {
		return Value{}, err
	}
	return textValue(printers.PodStatus(p)), nil
}
