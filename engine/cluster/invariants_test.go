package cluster_test

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl"
)

// invariantScripts are kubectl scripts ("run" steps until idle) after which the cluster must be
// consistent. Files are the -f manifests they use.
var invariantScripts = map[string][]string{
	"create": {"create deployment web --image=nginx --replicas=3", "run"},
	"scale": {
		"create deployment web --image=nginx --replicas=3", "run",
		"scale deployment web --replicas=7", "run",
		"scale deployment web --replicas=2", "run",
		"scale deployment web --replicas=0", "run",
		"scale deployment web --replicas=4", "run",
	},
	"rollout": {
		"create deployment web --image=nginx --replicas=5", "run",
		"set image deployment/web nginx=nginx:1.27", "run",
		"set image deployment/web nginx=nginx:1.28", "scale deployment web --replicas=8", "run",
	},
	"rollout_midway": {
		// A second rollout and a scale while the first is still going.
		"create deployment web --image=nginx --replicas=6", "run",
		"set image deployment/web nginx=nginx:1.27", "step 40",
		"set image deployment/web nginx=nginx:1.28", "step 15",
		"scale deployment web --replicas=3", "run",
	},
	"delete": {
		"create deployment web --image=nginx --replicas=3", "create deployment api --image=redis --replicas=2", "run",
		"delete deployment web", "step 3",
		"delete deployment api --cascade=orphan", "run",
		"delete rs --all", "run",
	},
	"constrained": {
		"cordon node-1", "taint nodes node-2 dedicated=gpu:NoSchedule",
		"create deployment web --image=nginx --replicas=2", "run",
		"apply -f big.yaml", "run",
		"uncordon node-1", "run",
		"taint nodes node-2 dedicated:NoSchedule-", "scale deployment web --replicas=9", "run",
	},
	"services": {
		"create deployment web --image=nginx --replicas=3", "expose deployment web --port=80", "run",
		"create deployment api --image=httpd --replicas=2", "expose deployment api --port=8080 --target-port=80 --type=NodePort", "run",
		"create service clusterip empty --tcp=80", "expose deployment web --name=web-headless --cluster-ip=None --port=80", "run",
		"scale deployment web --replicas=5", "step 20", "scale deployment api --replicas=4", "run",
		"scale deployment web --replicas=1", "run",
		"delete service api", "run",
		"set image deployment/web nginx=nginx:1.27", "run",
	},
	"services_node_failure": {
		// A silent node's pods turn NotReady: they leave the Service before they are evicted.
		"create deployment web --image=nginx --replicas=4", "expose deployment web --port=80", "run",
		"fault node-2 down", "wait 2m", "run",
	},
	"node_failure": {
		// node-2 falls silent: NotReady, tainted, its pods evicted and replaced; then it is back.
		"create deployment web --image=nginx --replicas=4", "run",
		"fault node-2 down", "wait 6m",
		"scale deployment web --replicas=6", "run", "wait 30s",
		"fault node-2 up", "run", "wait 10s",
	},
	"both_nodes_down": {
		// Every node silent: full disruption, no eviction; then both are back.
		"create deployment web --image=nginx --replicas=3", "run",
		"fault node-1 down", "fault node-2 down", "wait 7m",
		"fault node-1 up", "fault node-2 up", "run", "wait 10s",
	},
	"drain": {
		"create deployment web --image=nginx --replicas=3", "run",
		"create pdb web --selector=app=web --min-available=2", "run",
		"drain node-2 --ignore-daemonsets", "run",
		"uncordon node-2", "scale deployment web --replicas=5", "run",
	},
	"full_nodes": {
		// 2 nodes × 4 CPUs hold 16 pods of 500m; the rest stay Pending.
		"apply -f hungry.yaml", "run",
		"scale deployment hungry --replicas=20", "run",
		"run pod1 --image=busybox", "run",
	},
}

var invariantFiles = map[string]string{
	"big.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  containers:
  - name: app
    image: nginx
    resources:
      requests:
        cpu: "100"
`,
	"hungry.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hungry
spec:
  replicas: 16
  selector:
    matchLabels:
      app: hungry
  template:
    metadata:
      labels:
        app: hungry
    spec:
      containers:
      - name: app
        image: busybox:1.36
        resources:
          requests:
            cpu: 500m
            memory: 100Mi
`,
}

// recorder follows a cluster from right after boot: every API write, and every store event
// through watches on every resource from revision 1.
type recorder struct {
	bootRev  int64
	writes   []apiserver.Write
	watchers map[string]*apiserver.Watcher
	events   map[int64]string // revision -> resource
	nodeOf   map[string]string
	problems []string
}

func newRecorder(t *testing.T, c *cluster.Cluster) *recorder {
	t.Helper()
	r := &recorder{bootRev: c.API().Store().Revision(), watchers: map[string]*apiserver.Watcher{},
		events: map[int64]string{}, nodeOf: map[string]string{}}
	c.API().OnWrite(func(w apiserver.Write) { r.writes = append(r.writes, w) })
	for _, res := range c.API().Registry().All() {
		w, err := c.API().Watch(res.Name, "", apiserver.ListOptions{ResourceVersion: 1})
		if err != nil {
			t.Fatalf("watch %s from revision 1: %v", res.Name, err)
		}
		r.watchers[res.Name] = w
	}
	return r
}

// drain takes in the watch events so far, checking that each resource's revisions strictly grow,
// that no revision is seen twice, and that no pod ever moves from one node to another.
func (r *recorder) drain() {
	names := make([]string, 0, len(r.watchers))
	for n := range r.watchers {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, res := range names {
		last := int64(0)
		for _, ev := range r.watchers[res].Drain() {
			if ev.Revision <= last {
				r.problems = append(r.problems, fmt.Sprintf("%s watch: revision %d after %d", res, ev.Revision, last))
			}
			last = ev.Revision
			if prev, dup := r.events[ev.Revision]; dup {
				r.problems = append(r.problems, fmt.Sprintf("revision %d seen for %s and %s", ev.Revision, prev, res))
			}
			r.events[ev.Revision] = res
			m, _ := meta.Accessor(ev.Object)
			if rv := m.GetResourceVersion(); rv != fmt.Sprint(ev.Revision) {
				r.problems = append(r.problems, fmt.Sprintf("%s %s: resourceVersion %s at revision %d", res, m.GetName(), rv, ev.Revision))
			}
			if pod, ok := ev.Object.(*corev1.Pod); ok && pod.Spec.NodeName != "" {
				if prev, seen := r.nodeOf[string(pod.UID)]; seen && prev != pod.Spec.NodeName {
					r.problems = append(r.problems, fmt.Sprintf("pod %s bound to %s, then to %s", pod.Name, prev, pod.Spec.NodeName))
				}
				r.nodeOf[string(pod.UID)] = pod.Spec.NodeName
			}
		}
	}
}

// runScript plays a script; "wait D" lets D pass one step at a time, with afterStep (if set)
// after each, and "fault NODE down|up" stops or starts a node's kubelet.
func runScript(t *testing.T, c *cluster.Cluster, k *kubectl.Kubectl, script []string, afterStep func()) {
	t.Helper()
	for _, line := range script {
		switch {
		case strings.HasPrefix(line, "wait "):
			d, err := time.ParseDuration(strings.TrimPrefix(line, "wait "))
			if err != nil {
				t.Fatal(err)
			}
			until := c.Clock().Now().Add(d)
			for {
				_, done := c.Wait(until.Sub(c.Clock().Now()), 1)
				if afterStep != nil {
					afterStep()
				}
				if done {
					break
				}
			}
		case strings.HasPrefix(line, "fault "):
			f := strings.Fields(line)
			if _, err := c.SetNodeDown(f[1], f[2] == "down"); err != nil {
				t.Fatal(err)
			}
		case line == "run":
			const max = 200_000
			if n := len(c.Run(max)); n == max {
				t.Fatalf("Run did not finish within %d steps", max)
			}
		case strings.HasPrefix(line, "step "):
			var n int
			fmt.Sscan(strings.TrimPrefix(line, "step "), &n)
			for range n {
				c.Step()
			}
		default:
			if code := k.Run(strings.Fields(line), kubectl.Streams{Out: io.Discard, ErrOut: io.Discard}); code != 0 {
				t.Fatalf("kubectl %s: exit %d", line, code)
			}
		}
	}
}

func TestInvariants(t *testing.T) {
	names := make([]string, 0, len(invariantScripts))
	for n := range invariantScripts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, seed := range []uint64{1, 7, 42, 1234} {
			t.Run(fmt.Sprintf("%s/seed%d", name, seed), func(t *testing.T) {
				c, err := cluster.New(cluster.DefaultConfig(seed))
				if err != nil {
					t.Fatal(err)
				}
				rec := newRecorder(t, c)
				k := kubectl.New(c, func(n string) ([]byte, error) { return []byte(invariantFiles[n]), nil })
				runScript(t, c, k, invariantScripts[name], rec.drain)
				if p := c.Pending(); len(p) != 0 {
					t.Errorf("Run returned with work pending: %+v", p)
				}
				if next := c.Next(); next != "" {
					t.Errorf("Next() = %q after Run, want idle", next)
				}
				rec.drain()
				checkWritesMatchRevisions(t, c, rec)
				checkWorkloads(t, c)
				checkPlacement(t, c)
				checkServices(t, c)
				for _, p := range rec.problems {
					t.Error(p)
				}
			})
		}
	}
}

// checkWritesMatchRevisions proves that every revision after boot is exactly one API server write:
// the writes' revisions are bootRev+1 … now, each once, and every revision from 2 on reached the
// watches as exactly one event.
func checkWritesMatchRevisions(t *testing.T, c *cluster.Cluster, rec *recorder) {
	t.Helper()
	now := c.API().Store().Revision()
	if got, want := int64(len(rec.writes)), now-rec.bootRev; got != want {
		t.Errorf("%d API writes after boot, but the store moved %d revisions (%d → %d)", got, want, rec.bootRev, now)
	}
	for i, w := range rec.writes {
		if want := rec.bootRev + int64(i) + 1; w.Revision != want {
			t.Errorf("write %d (%s %s/%s by %s) has revision %d, want %d", i, w.Verb, w.Resource, w.Name, w.Who, w.Revision, want)
			break
		}
	}
	for rev := int64(2); rev <= now; rev++ {
		if _, ok := rec.events[rev]; !ok {
			t.Errorf("revision %d reached no watch", rev)
			break
		}
	}
	if int64(len(rec.events)) != now-1 {
		t.Errorf("%d watch events for revisions 2…%d", len(rec.events), now)
	}
}

func list[T runtime.Object](t *testing.T, c *cluster.Cluster, resource string) []T {
	t.Helper()
	objs, _, err := c.API().Client("test").List(resource, "", apiserver.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]T, len(objs))
	for i, o := range objs {
		out[i] = o.(T)
	}
	return out
}

func isControlledBy(m metav1.Object, uid string) bool {
	ref := metav1.GetControllerOfNoCopy(m)
	return ref != nil && string(ref.UID) == uid
}

func activePod(p *corev1.Pod) bool {
	return p.DeletionTimestamp == nil && p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed
}

func equalIgnoringHash(a, b corev1.PodTemplateSpec) bool {
	a, b = *a.DeepCopy(), *b.DeepCopy()
	delete(a.Labels, "pod-template-hash")
	delete(b.Labels, "pod-template-hash")
	return apiequality.Semantic.DeepEqual(a, b)
}

// checkWorkloads: each Deployment's new ReplicaSet has the Deployment's replicas and the old ones
// none, its status adds up, and every ReplicaSet owns exactly spec.replicas active pods.
func checkWorkloads(t *testing.T, c *cluster.Cluster) {
	t.Helper()
	deps := list[*appsv1.Deployment](t, c, "deployments")
	rsList := list[*appsv1.ReplicaSet](t, c, "replicasets")
	pods := list[*corev1.Pod](t, c, "pods")
	for _, d := range deps {
		want := *d.Spec.Replicas
		var newRS *appsv1.ReplicaSet
		var total, updated, ready, available int32
		for _, rs := range rsList {
			if !isControlledBy(rs, string(d.UID)) {
				continue
			}
			total += rs.Status.Replicas
			ready += rs.Status.ReadyReplicas
			available += rs.Status.AvailableReplicas
			if equalIgnoringHash(rs.Spec.Template, d.Spec.Template) {
				if newRS != nil {
					t.Errorf("deployment %s has two new ReplicaSets: %s and %s", d.Name, newRS.Name, rs.Name)
				}
				newRS = rs
				updated = rs.Status.Replicas
				continue
			}
			if *rs.Spec.Replicas != 0 {
				t.Errorf("deployment %s: old ReplicaSet %s still has %d replicas", d.Name, rs.Name, *rs.Spec.Replicas)
			}
		}
		if newRS == nil {
			t.Errorf("deployment %s has no new ReplicaSet", d.Name)
			continue
		}
		if *newRS.Spec.Replicas != want {
			t.Errorf("deployment %s wants %d replicas, new ReplicaSet %s has %d", d.Name, want, newRS.Name, *newRS.Spec.Replicas)
		}
		st := d.Status
		if st.ObservedGeneration != d.Generation || st.Replicas != total || st.UpdatedReplicas != updated ||
			st.ReadyReplicas != ready || st.AvailableReplicas != available || st.UnavailableReplicas != max(want-available, 0) {
			t.Errorf("deployment %s status %+v does not match its ReplicaSets (total %d, updated %d, ready %d, available %d, generation %d)",
				d.Name, st, total, updated, ready, available, d.Generation)
		}
		if rev := d.Annotations["deployment.kubernetes.io/revision"]; rev != newRS.Annotations["deployment.kubernetes.io/revision"] {
			t.Errorf("deployment %s is at revision %q, its new ReplicaSet at %q", d.Name, rev, newRS.Annotations["deployment.kubernetes.io/revision"])
		}
	}
	for _, rs := range rsList {
		sel, err := metav1.LabelSelectorAsSelector(rs.Spec.Selector)
		if err != nil {
			t.Fatal(err)
		}
		var active int32
		for _, p := range pods {
			if isControlledBy(p, string(rs.UID)) && activePod(p) && sel.Matches(labels.Set(p.Labels)) {
				active++
			}
		}
		if active != *rs.Spec.Replicas || rs.Status.Replicas != active {
			t.Errorf("ReplicaSet %s: spec.replicas %d, status.replicas %d, active pods %d", rs.Name, *rs.Spec.Replicas, rs.Status.Replicas, active)
		}
		if rs.Status.ObservedGeneration != rs.Generation {
			t.Errorf("ReplicaSet %s: observedGeneration %d, generation %d", rs.Name, rs.Status.ObservedGeneration, rs.Generation)
		}
	}
	for _, p := range pods {
		if !activePod(p) {
			t.Errorf("pod %s still terminating after Run", p.Name)
		}
		if ref := metav1.GetControllerOfNoCopy(p); ref != nil {
			found := false
			for _, rs := range rsList {
				found = found || rs.UID == ref.UID
			}
			if !found {
				t.Errorf("pod %s is owned by ReplicaSet %s, which is gone", p.Name, ref.Name)
			}
		}
	}
}

// checkPlacement: every bound pod is on an existing node, running there once the cluster is idle,
// and no node holds more requests than it can allocate.
func checkPlacement(t *testing.T, c *cluster.Cluster) {
	t.Helper()
	nodes := map[string]*corev1.Node{}
	for _, n := range list[*corev1.Node](t, c, "nodes") {
		nodes[n.Name] = n
	}
	used := map[string]corev1.ResourceList{}
	count := map[string]int64{}
	for _, p := range list[*corev1.Pod](t, c, "pods") {
		if p.Spec.NodeName == "" {
			if cond := podCondition(p, corev1.PodScheduled); cond == nil || cond.Reason != corev1.PodReasonUnschedulable {
				t.Errorf("pod %s is unbound but not marked Unschedulable", p.Name)
			}
			continue
		}
		if nodes[p.Spec.NodeName] == nil {
			t.Errorf("pod %s is bound to missing node %s", p.Name, p.Spec.NodeName)
			continue
		}
		if p.Status.Phase != corev1.PodRunning {
			t.Errorf("pod %s on %s is %s after Run", p.Name, p.Spec.NodeName, p.Status.Phase)
		}
		if used[p.Spec.NodeName] == nil {
			used[p.Spec.NodeName] = corev1.ResourceList{}
		}
		count[p.Spec.NodeName]++
		for _, ctr := range p.Spec.Containers {
			for name, q := range ctr.Resources.Requests {
				sum := used[p.Spec.NodeName][name]
				sum.Add(q)
				used[p.Spec.NodeName][name] = sum
			}
		}
	}
	for node, req := range used {
		alloc := nodes[node].Status.Allocatable
		for name, q := range req {
			if a, ok := alloc[name]; ok && q.Cmp(a) > 0 {
				t.Errorf("node %s: %s requests %s exceed allocatable %s", node, name, q.String(), a.String())
			}
		}
		if pods := alloc[corev1.ResourcePods]; count[node] > pods.Value() {
			t.Errorf("node %s holds %d pods, allocatable %s", node, count[node], pods.String())
		}
	}
}

func podCondition(p *corev1.Pod, t corev1.PodConditionType) *corev1.PodCondition {
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == t {
			return &p.Status.Conditions[i]
		}
	}
	return nil
}
