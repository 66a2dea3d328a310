package lesson

import (
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/kballard/go-shellquote"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/cmd/sandbox"
	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl"
	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
	"github.com/k8slearn/k8slearn/engine/realcluster"
	"github.com/k8slearn/k8slearn/locales"
	"github.com/k8slearn/k8slearn/quiz"
)

// RealConfig is a real cluster to play a lesson on, in its own namespace.
type RealConfig struct {
	Cluster *realcluster.Cluster
	// Log is the Cluster's request log: after each command the lesson shows the writes it sent.
	Log   *realcluster.RequestLog
	L     *locales.Localizer
	Style view.Styler
	Files kubectl.Files
	// Now and After are the real clock: a real cluster is waited for, never stepped.
	Now   func() time.Time
	After func(time.Duration) <-chan time.Time
	// Quiet is how long nothing new must arrive, the pods settled, for the cluster to count as
	// idle (0: 2 s).
	Quiet time.Duration
	// Patience is how long a step waits for the component it expects, and a question about who
	// acts next for anything to happen (0: 60 s); an advance to idle waits four times as long.
	Patience time.Duration
	// Debug, when set, receives the stack of a step that panicked.
	Debug io.Writer
	// Nodes are the cluster's schedulable nodes, sorted by name (the preflight's): the lesson's
	// node-1, node-2… stand for them.
	Nodes []string
}

// RealBackend plays a lesson on a real cluster: the lesson's kubectl commands go to its API
// through the sandbox's kubectl, and a step tells what the cluster was seen doing (its Events and
// the pods' status changes, in arrival order) instead of making a component act. Close it.
type RealBackend struct {
	cfg        RealConfig
	k          *kubectl.Kubectl
	obs        *observer
	out        io.Writer
	logged     int // requests of the log already shown
	components func() []string
	toldInside bool // the note on where curl and nslookup run was said
}

// NewRealBackend starts following the lesson's namespace, which must exist.
func NewRealBackend(cfg RealConfig) *RealBackend {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.After == nil {
		cfg.After = time.After
	}
	if cfg.Quiet <= 0 {
		cfg.Quiet = 2 * time.Second
	}
	if cfg.Patience <= 0 {
		cfg.Patience = time.Minute
	}
	c := cfg.Cluster
	r := &RealBackend{cfg: cfg, obs: newObserver(c, cfg.L, cfg.Now), out: io.Discard, components: sync.OnceValue(miniatureComponents)}
	// A watch or logs -f goes on while the pods are still being scheduled or started, however
	// long nothing changes (an image pull), as a step waiting for idle does.
	r.k = kubectl.NewRemote(kubectl.Remote{API: c.API(), DryRun: c.DryRun().API(), Registry: c.Registry(), Now: cfg.Now,
		Namespace: c.Namespace(), After: cfg.After, Patience: 4 * cfg.Patience, Quiet: cfg.Quiet, Settled: r.settled}, cfg.Files)
	r.k.SetTranslator(cfg.L.T)
	if cfg.Log != nil {
		r.logged = len(cfg.Log.Requests()) // the preflight's: not a lesson command's
	}
	return r
}

// miniatureComponents are the components the miniature control plane has: the choices of "who
// acts next" are the same on a real cluster.
func miniatureComponents() []string {
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		return []string{"deployment-controller", "replicaset-controller", "default-scheduler", "kubelet"}
	}
	return c.ComponentNames()
}

// Close stops following the cluster.
func (r *RealBackend) Close() { r.obs.close() }

func (r *RealBackend) t(id string, data ...map[string]any) string { return r.cfg.L.T(id, data...) }
func (r *RealBackend) println(a ...any)                           { fmt.Fprintln(r.out, a...) }

// SetOutput says where the backend prints.
func (r *RealBackend) SetOutput(w io.Writer) { r.out = w }

// Exec runs a kubectl command against the cluster and shows the writes it sent, or a view.
func (r *RealBackend) Exec(line string) {
	words := strings.Fields(line)
	if len(words) == 0 {
		return
	}
	switch words[0] {
	case "etcd", "why", "map", "trace", "pending":
		r.Show(line)
		return
	}
	args := words
	if parsed, err := shellquote.Split(line); err == nil {
		args = parsed
	}
	if len(args) > 0 && args[0] != "kubectl" && r.sandboxCommand(line, args) {
		return
	}
	if len(args) > 0 && args[0] == "kubectl" {
		args = args[1:]
	}
	if len(args) == 0 {
		r.println(r.t("sandbox.usage.kubectl"))
		return
	}
	if ns := r.otherNamespace(args); ns != "" {
		r.say(r.t("real.run.other_namespace", map[string]any{"Namespace": ns, "Command": strings.Join(args, " ")}))
		return
	}
	if res := r.clusterScoped(args); res != "" {
		r.say(r.t("real.run.cluster_scoped", map[string]any{"Resource": res, "Command": strings.Join(args, " ")}))
		return
	}
	if code := r.k.Run(args, kubectl.Streams{Out: r.out, ErrOut: r.out}); code != 0 {
		r.println(r.cfg.Style.Dim(r.t("sandbox.exit_status", map[string]any{"Code": code})))
	}
	r.showWrites()
	if len(args) > 1 && args[0] == "rollout" && args[1] == "status" {
		// kubectl waited while the cluster worked: what it did meanwhile is the rollout itself.
		if n := r.obs.skipQueued(); n > 0 {
			r.say(r.t("real.meanwhile", map[string]any{"Count": n}))
		}
	}
}

// showWrites shows the writes sent since the last time: what a command asked of the API server.
func (r *RealBackend) showWrites() {
	if r.cfg.Log == nil {
		return
	}
	reqs := r.cfg.Log.Requests()
	for _, req := range reqs[min(r.logged, len(reqs)):] {
		if req.Method != http.MethodGet {
			r.println(r.cfg.Style.Dim(r.t("real.request", map[string]any{"Request": req.String()})))
		}
	}
	r.logged = len(reqs)
}

// Show shows a view: what the miniature alone can show (etcd's keys, the scheduler's scores, its
// map) is said to be out of reach, and the nearest kubectl view is shown instead.
func (r *RealBackend) Show(v string) {
	f := strings.Fields(v)
	if len(f) == 0 {
		return
	}
	switch f[0] {
	case "etcd":
		r.say(r.t("real.show.etcd"))
	case "why":
		r.say(r.t("real.show.why"))
	case "map":
		r.say(r.t("real.show.map"))
		r.Exec("kubectl get pods -o wide")
	case "trace":
		told, _ := r.obs.snapshot()
		if len(told) == 0 {
			r.println(r.t("sandbox.trace_empty"))
		}
		for i, ob := range told {
			r.numbered(i+1, ob.Line)
		}
	case "pending":
		_, queued := r.obs.snapshot()
		r.say(r.t("real.show.pending", map[string]any{"Count": len(queued)}))
		for _, ob := range queued {
			r.println("  " + ob.Line)
		}
	default:
		r.Exec(v)
	}
}

func (r *RealBackend) say(text string) {
	for _, l := range view.Wrap(text, Width) {
		r.println(r.cfg.Style.Dim(l))
	}
}

// tell prints the oldest observation not yet told; false when there is none.
func (r *RealBackend) tell() (observation, bool) {
	ob, ok := r.obs.pop()
	if ok {
		told, _ := r.obs.snapshot()
		r.numbered(len(told), ob.Line)
	}
	return ob, ok
}

// numbered prints the n-th observation told, wrapped under its text.
func (r *RealBackend) numbered(n int, line string) {
	prefix := fmt.Sprintf("#%d ", n)
	for _, l := range view.Hanging(line, prefix, strings.Repeat(" ", len(prefix)), Width) {
		r.println(l)
	}
}

// wait waits for something not yet told, at most d; false when nothing came. (A signal on
// arrived may be older than what was told since: the queue is what counts.)
func (r *RealBackend) wait(d time.Duration) bool {
	timeout := r.cfg.After(d)
	for {
		if _, ok := r.obs.head(); ok {
			return true
		}
		select {
		case <-r.obs.arrived:
		case <-timeout:
			_, ok := r.obs.head()
			return ok
		}
	}
}

// Advance tells what the cluster did: the next thing seen ("one"), everything until it is quiet
// and its pods settled ("idle"), or everything until the component named acted.
func (r *RealBackend) Advance(how string) {
	seconds := map[string]any{"Seconds": int(r.cfg.Patience.Seconds()), "Name": how}
	if advancesUnseen(how) {
		r.say(r.t("real.step.unobservable", seconds))
		return
	}
	switch how {
	case "one":
		if !r.wait(r.cfg.Patience) {
			r.say(r.t("real.nothing_happened", seconds))
			return
		}
		r.tell()
	case "idle":
		r.toIdle()
	default:
		for {
			if ob, ok := r.tell(); ok {
				if matches(ob.Who, how) {
					return
				}
				continue
			}
			if !r.wait(r.cfg.Patience) {
				r.say(r.t("real.did_not_see", seconds))
				return
			}
		}
	}
}

// toIdle tells everything until nothing new arrived for Quiet and the pods settled, or until four
// times Patience passed.
func (r *RealBackend) toIdle() {
	start := r.cfg.Now()
	deadline := start.Add(4 * r.cfg.Patience)
	for {
		if _, ok := r.tell(); ok {
			continue
		}
		// Quiet since the step began at least: what the last command set off may not have
		// arrived yet (kube-proxy, which is never seen, has its turn meanwhile).
		quiet := min(r.obs.quietFor(), r.cfg.Now().Sub(start))
		if quiet >= r.cfg.Quiet && r.settled() {
			return
		}
		left := deadline.Sub(r.cfg.Now())
		if left <= 0 {
			r.say(r.t("real.still_moving", map[string]any{"Seconds": int((4 * r.cfg.Patience).Seconds())}))
			return
		}
		r.wait(min(left, max(r.cfg.Quiet-quiet, r.cfg.Quiet/4)))
	}
}

// settled: every Deployment has its replicas, all of its newest template, and every pod is bound
// and past creating its containers (running, finished, or stuck in a way a step will not change:
// a missing image, a crash loop, no node it fits on).
func (r *RealBackend) settled() bool {
	api, ns := r.cfg.Cluster.API(), r.cfg.Cluster.Namespace()
	deps, _, err := api.List("deployments", ns, apiserver.ListOptions{})
	if err != nil {
		return true // nothing to wait for that can be read
	}
	for _, o := range deps {
		d := o.(*appsv1.Deployment)
		want := int32(1)
		if d.Spec.Replicas != nil {
			want = *d.Spec.Replicas
		}
		if d.Status.ObservedGeneration < d.Generation || d.Status.Replicas != want || d.Status.UpdatedReplicas != want {
			return false
		}
	}
	pods, _, err := api.List("pods", ns, apiserver.ListOptions{})
	if err != nil {
		return true
	}
	for _, o := range pods {
		p := o.(*corev1.Pod)
		switch printers.PodStatus(p) {
		case "Pending":
			if !unschedulable(p) {
				return false
			}
		case "ContainerCreating", "PodInitializing", "Terminating":
			return false
		}
	}
	return true
}

// unschedulable: the scheduler found no node for the pod (PodScheduled False, reason
// Unschedulable); it stays Pending until the cluster changes, which no waiting brings.
func unschedulable(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodScheduled {
			return c.Status == corev1.ConditionFalse && c.Reason == corev1.PodReasonUnschedulable
		}
	}
	return false
}

// DrawMap draws nothing: the miniature's map shows its own components, a real cluster's are
// told as they are seen.
func (r *RealBackend) DrawMap() {}

// Next is unknown until it happened.
func (r *RealBackend) Next() (string, bool) { return "", false }

// Env reads the real cluster.
func (r *RealBackend) Env() quiz.Env {
	return quiz.Env{Real: realObserved{r}, Namespace: r.cfg.Cluster.Namespace(), Nodes: r.cfg.Nodes}
}

// Internal reports a step that panicked.
func (r *RealBackend) Internal(what string, p any) {
	r.println(r.t("sandbox.internal_error", map[string]any{"Command": what, "Panic": fmt.Sprint(p)}))
	if r.cfg.Debug != nil {
		fmt.Fprintf(r.cfg.Debug, "panic in %q: %v\n%s", what, p, debug.Stack())
	}
}

// Chain is every action told, numbered as it was.
func (r *RealBackend) Chain(view.Styler) (earlier, lines []string) {
	told, _ := r.obs.snapshot()
	for i, ob := range told {
		lines = append(lines, fmt.Sprintf("#%d %s", i+1, ob.Line))
	}
	return nil, lines
}

// ReadOnly is the sandbox's rule.
func (r *RealBackend) ReadOnly(line string) bool { return sandbox.ReadOnly(line) }

// Nodes are the schedulable nodes the lesson's node-1, node-2… stand for.
func (r *RealBackend) Nodes() []string { return r.cfg.Nodes }

// Replayable: a real cluster cannot be rebuilt by redoing steps.
func (r *RealBackend) Replayable() bool { return false }

// realObserved is the real cluster as the quiz's probes read it.
type realObserved struct{ r *RealBackend }

func (o realObserved) Get(resource, ns, name string) (runtime.Object, error) {
	return o.r.cfg.Cluster.API().Get(resource, ns, name)
}

func (o realObserved) List(resource, ns string, sel labels.Selector) ([]runtime.Object, error) {
	objs, _, err := o.r.cfg.Cluster.API().List(resource, ns, apiserver.ListOptions{LabelSelector: sel})
	return objs, err
}

// Next waits for the next thing the cluster does (at most Patience): the component that did it,
// or "" when nothing happened.
func (o realObserved) Next() (string, error) {
	if !o.r.wait(o.r.cfg.Patience) {
		return "", nil
	}
	ob, _ := o.r.obs.head()
	return ob.Who, nil
}

// Actors are every component seen acting so far, told or not.
func (o realObserved) Actors() []string {
	told, queued := o.r.obs.snapshot()
	var out []string
	for _, ob := range append(told, queued...) {
		out = append(out, ob.Who)
	}
	return out
}

// Components are the miniature's, and whatever else was seen acting.
func (o realObserved) Components() []string {
	out := o.r.components()
	known := map[string]bool{}
	for _, c := range out {
		k, _, _ := strings.Cut(c, "/")
		known[k] = true
	}
	for _, k := range sortedKinds(o.Actors()) {
		if !known[k] {
			out = append(out, k)
		}
	}
	return out
}
