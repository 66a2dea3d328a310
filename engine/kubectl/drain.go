package kubectl

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
)

// cordon, uncordon and drain follow k8s.io/kubectl v0.37.2 pkg/cmd/drain/drain.go and
// pkg/drain (drain.go, filters.go, cordon.go): the same flags, filters, output lines and errors.
// A real drain evicts its pods concurrently and sleeps between tries; here the tries are taken in
// the pods' order and the sleeps are simulated time, through which the drain drives the control
// plane (Cluster.Wait) as `rollout status` steps it: the evicted pods go, their replacements start,
// the disruption controller counts them, and a refused eviction is tried again 5 s later.

// drainOptions are drain's flags (drain.Helper's fields).
type drainOptions struct {
	force, ignoreDaemonSets, deleteEmptyDir, disableEviction bool
	gracePeriod, skipWaitForDeleteTimeout                    int
	timeout                                                  time.Duration
	podSelector, selector, dryRunFlag                        string
}

// Drain's waits, as kubectl's: a refused eviction is retried after evictErrorRetryDelay, and a pod
// being deleted is looked at every deletePollInterval.
const (
	evictErrorRetryDelay = 5 * time.Second
	deletePollInterval   = time.Second
)

// The filters' messages (pkg/drain/filters.go).
const (
	daemonSetFatal      = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
	daemonSetWarning    = "ignoring DaemonSet-managed Pods"
	localStorageFatal   = "Pods with local storage (use --delete-emptydir-data to override)"
	localStorageWarning = "deleting Pods with local storage"
	unmanagedFatal      = "Pods that declare no controller (use --force to override)"
	unmanagedWarning    = "deleting Pods that declare no controller"
)

func (k *Kubectl) newCordon(s Streams, desired bool) *cobra.Command {
	var o drainOptions
	use, short := "cordon NODE", "Mark node as unschedulable"
	if !desired {
		use, short = "uncordon NODE", "Mark node as schedulable"
	}
	c := &cobra.Command{
		Use: use, Short: short,
		RunE: func(cmd *cobra.Command, args []string) error {
			nodes, dry, err := k.drainTargets(cmd, args, &o, s)
			if err != nil {
				return err
			}
			k.cordonNodes(nodes, desired, dry, s)
			return nil
		},
	}
	c.Flags().StringVarP(&o.selector, "selector", "l", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.")
	addDryRunFlag(c, &o.dryRunFlag)
	return c
}

func (k *Kubectl) newDrain(s Streams) *cobra.Command {
	o := drainOptions{gracePeriod: -1}
	c := &cobra.Command{
		Use:   "drain NODE",
		Short: "Drain node in preparation for maintenance",
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.podSelector != "" {
				if _, err := labels.Parse(o.podSelector); err != nil {
					return fmt.Errorf("--pod-selector=<pod_selector> must be a valid label selector")
				}
			}
			nodes, dry, err := k.drainTargets(cmd, args, &o, s)
			if err != nil {
				return err
			}
			return k.drain(nodes, &o, dry, s)
		},
	}
	f := c.Flags()
	f.BoolVar(&o.force, "force", false, "Continue even if there are pods that do not declare a controller.")
	f.BoolVar(&o.ignoreDaemonSets, "ignore-daemonsets", false, "Ignore DaemonSet-managed pods.")
	f.BoolVar(&o.deleteEmptyDir, "delete-emptydir-data", false, "Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).")
	f.IntVar(&o.gracePeriod, "grace-period", -1, "Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.")
	f.DurationVar(&o.timeout, "timeout", 0, "The length of time to wait before giving up, zero means infinite")
	f.StringVar(&o.podSelector, "pod-selector", "", "Label selector to filter pods on the node")
	f.BoolVar(&o.disableEviction, "disable-eviction", false, "Force drain to use delete, even if eviction is supported. This will bypass checking PodDisruptionBudgets, use with caution.")
	f.IntVar(&o.skipWaitForDeleteTimeout, "skip-wait-for-delete-timeout", 0, "If pod DeletionTimestamp older than N seconds, skip waiting for the pod.  Seconds must be greater than 0 to skip.")
	f.StringVarP(&o.selector, "selector", "l", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.")
	addDryRunFlag(c, &o.dryRunFlag)
	return c
}

// drainTargets is DrainCmdOptions.Complete: the nodes named (or selected) and the dry-run
// strategy.
func (k *Kubectl) drainTargets(cmd *cobra.Command, args []string, o *drainOptions, s Streams) ([]*corev1.Node, dryRun, error) {
	if len(args) == 0 && !cmd.Flags().Changed("selector") {
		return nil, 0, fmt.Errorf("USAGE: %s [flags]\nSee '%s -h' for help and examples", cmd.Use, cmd.CommandPath())
	}
	if len(args) > 0 && o.selector != "" {
		return nil, 0, fmt.Errorf("error: cannot specify both a node name and a --selector option\nSee '%s -h' for help and examples", cmd.CommandPath())
	}
	dry, err := k.dryRunStrategy(cmd, o.dryRunFlag, s)
	if err != nil {
		return nil, 0, err
	}
	var nodes []*corev1.Node
	if o.selector != "" {
		sel, err := labels.Parse(o.selector)
		if err != nil {
			return nil, 0, err
		}
		objs, _, err := k.client.List("nodes", "", apiserver.ListOptions{LabelSelector: sel})
		if err != nil {
			return nil, 0, err
		}
		for _, obj := range objs {
			nodes = append(nodes, obj.(*corev1.Node))
		}
		return nodes, dry, nil
	}
	for _, a := range args {
		name := a
		if t, n, ok := strings.Cut(a, "/"); ok {
			if res, err := k.resolve(t); err != nil || res.Name != "nodes" {
				if err != nil {
					return nil, 0, err
				}
				return nil, 0, fmt.Errorf("error: expected resource of type node, got %q", res.GroupResource().String())
			}
			name = n
		}
		obj, err := k.client.Get("nodes", "", name)
		if err != nil {
			return nil, 0, err
		}
		nodes = append(nodes, obj.(*corev1.Node))
	}
	return nodes, dry, nil
}

// cordonNodes is RunCordonOrUncordon: each node's spec.unschedulable set as desired, unless it
// already is.
func (k *Kubectl) cordonNodes(nodes []*corev1.Node, desired bool, dry dryRun, s Streams) {
	verb := map[bool]string{true: "cordon", false: "uncordon"}[desired]
	for _, n := range nodes {
		if n.Spec.Unschedulable == desired {
			fmt.Fprintf(s.Out, "node/%s already %sed%s\n", n.Name, verb, dry.suffix())
			continue
		}
		if dry != dryRunClient {
			client := k.client
			if dry == dryRunServer {
				client = k.dry
			}
			_, err := client.Mutate("nodes", "", n.Name, func(o runtime.Object) error {
				o.(*corev1.Node).Spec.Unschedulable = desired
				return nil
			})
			if err != nil {
				fmt.Fprintf(s.ErrOut, "error: unable to %s node %q: %v\n", verb, n.Name, err)
				continue
			}
		}
		fmt.Fprintf(s.Out, "node/%s %sed%s\n", n.Name, verb, dry.suffix())
	}
}

// drain is RunDrain: cordon every node, then evict (or delete) the pods on each.
func (k *Kubectl) drain(nodes []*corev1.Node, o *drainOptions, dry dryRun, s Streams) error {
	if k.cluster == nil {
		return k.errNeedsMiniature("drain")
	}
	k.cordonNodes(nodes, true, dry, s)
	var fatal []error
	var remaining []string
	for _, n := range nodes {
		if err := k.drainNode(n.Name, o, dry, s); err != nil {
			if errors.As(err, new(ExitError)) {
				return err // stopped waiting (stuck): the note said why
			}
			fmt.Fprintf(s.ErrOut, "error: unable to drain node %q due to error: %s, continuing command...\n", n.Name, err)
			fatal = append(fatal, err)
			remaining = append(remaining, n.Name)
			continue
		}
		fmt.Fprintf(s.Out, "node/%s drained%s\n", n.Name, dry.suffix())
	}
	if len(remaining) > 0 {
		fmt.Fprintf(s.ErrOut, "There are pending nodes to be drained:\n")
		for _, name := range remaining {
			fmt.Fprintf(s.ErrOut, " %s\n", name)
		}
	}
	return utilerrors.NewAggregate(fatal)
}

// drainNode is deleteOrEvictPodsSimple.
func (k *Kubectl) drainNode(node string, o *drainOptions, dry dryRun, s Streams) error {
	pods, warnings, errs := k.podsForDeletion(node, o)
	if errs != nil {
		return utilerrors.NewAggregate(errs)
	}
	if warnings != "" {
		fmt.Fprintf(s.ErrOut, "Warning: %s\n", warnings)
	}
	if dry == dryRunClient {
		for _, p := range pods {
			fmt.Fprintf(s.Out, "evicting pod %s/%s (dry run)\n", p.Namespace, p.Name)
		}
		return nil
	}
	var err error
	if o.disableEviction {
		err = k.deletePods(pods, o, dry, s)
	} else {
		err = k.evictPods(pods, o, dry, s)
	}
	if err == nil || errors.As(err, new(ExitError)) {
		return err
	}
	if pending, _, _ := k.podsForDeletion(node, o); len(pending) > 0 {
		fmt.Fprintf(s.ErrOut, "There are pending pods in node %q when an error occurred: %v\n", node, err)
		for _, p := range pending {
			fmt.Fprintf(s.ErrOut, "pod/%s\n", p.Name)
		}
	}
	return err
}

// podsForDeletion is GetPodsForDeletion with the base filters (skipDeleted, daemonSet, mirrorPod,
// localStorage, unreplicated): the pods to evict, the warnings, and the errors that stop the drain.
func (k *Kubectl) podsForDeletion(node string, o *drainOptions) ([]corev1.Pod, string, []error) {
	sel, err := labels.Parse(o.podSelector)
	if err != nil {
		return nil, "", []error{err}
	}
	objs, _, err := k.client.List("pods", "", apiserver.ListOptions{LabelSelector: sel,
		FieldSelector: fields.OneTermEqualSelector("spec.nodeName", node)})
	if err != nil {
		return nil, "", []error{err}
	}
	var pods []corev1.Pod
	warned := map[string][]string{}
	failed := map[string][]string{}
	for _, obj := range objs {
		pod := *obj.(*corev1.Pod)
		del, reason, msg := k.filterPod(pod, o)
		ref := pod.Namespace + "/" + pod.Name
		switch reason {
		case "Warning":
			warned[msg] = append(warned[msg], ref)
		case "Error":
			failed[msg] = append(failed[msg], ref)
		}
		if del {
			pods = append(pods, pod)
		}
	}
	var errs []error
	for _, msg := range sortedMessageKeys(failed) {
		errs = append(errs, fmt.Errorf("cannot delete %s: %s", msg, strings.Join(failed[msg], ", ")))
	}
	var warnings []string
	for _, msg := range sortedMessageKeys(warned) {
		warnings = append(warnings, fmt.Sprintf("%s: %s", msg, strings.Join(warned[msg], ", ")))
	}
	if len(errs) > 0 {
		return pods, strings.Join(warnings, "; "), errs
	}
	return pods, strings.Join(warnings, "; "), nil
}

func sortedMessageKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// filterPod runs the filters in kubectl's order; the first that keeps a pod decides.
func (k *Kubectl) filterPod(pod corev1.Pod, o *drainOptions) (del bool, reason, msg string) {
	finished := pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed
	if k.skipDeleted(pod, o.skipWaitForDeleteTimeout) {
		return false, "Skip", ""
	}
	if ref := metav1.GetControllerOf(&pod); ref != nil && ref.Kind == "DaemonSet" && ref.APIVersion == "apps/v1" && !finished {
		// No DaemonSet exists in the miniature cluster: the pod is an orphan (filters.go).
		msg := fmt.Sprintf("daemonsets.apps %q not found", ref.Name)
		if o.force {
			return true, "Warning", msg
		}
		return false, "Error", msg
	}
	if _, mirror := pod.Annotations[corev1.MirrorPodAnnotationKey]; mirror {
		return false, "Skip", ""
	}
	reason, msg = "Okay", ""
	for _, v := range pod.Spec.Volumes {
		if v.EmptyDir != nil && !finished {
			if !o.deleteEmptyDir {
				return false, "Error", localStorageFatal
			}
			reason, msg = "Warning", localStorageWarning
			break
		}
	}
	if finished || metav1.GetControllerOf(&pod) != nil {
		return true, reason, msg
	}
	if o.force {
		return true, "Warning", unmanagedWarning
	}
	return false, "Error", unmanagedFatal
}

// skipDeleted is shouldSkipPod: a pod deleted longer ago than --skip-wait-for-delete-timeout.
func (k *Kubectl) skipDeleted(pod corev1.Pod, seconds int) bool {
	return seconds > 0 && pod.DeletionTimestamp != nil &&
		int(k.now().Sub(pod.DeletionTimestamp.Time).Seconds()) > seconds
}

// evictee is one pod being evicted: a pending try (or retry) of the eviction, or a wait for the
// pod to be gone.
type evictee struct {
	pod     corev1.Pod // as listed: its uid tells a replacement of the same name apart
	active  corev1.Pod // as last read
	waiting bool       // evicted; waiting for the pod to go
	done    bool
	at      time.Time // when it is next tried or looked at
}

// evictPods is Helper.evictPods, its goroutines taken in turn on the simulated clock.
func (k *Kubectl) evictPods(pods []corev1.Pod, o *drainOptions, dry dryRun, s Streams) error {
	client := k.client
	if dry == dryRunServer {
		client = k.dry
	}
	now := k.now()
	start, lastActive := now, now
	es := make([]*evictee, len(pods))
	for i, p := range pods {
		es[i] = &evictee{pod: p, active: p, at: now}
	}
	var errs []error
	for {
		progress := false
		for _, e := range es {
			if e.done || e.at.After(now) {
				continue
			}
			timedOut := o.timeout > 0 && !now.Before(start.Add(o.timeout))
			if e.waiting {
				if timedOut {
					errs = append(errs, fmt.Errorf("error when waiting for pod %q in namespace %q to terminate: context deadline exceeded", e.pod.Name, e.pod.Namespace))
					e.done = true
					continue
				}
				e.done = k.pollDeleted(e, true, o, s)
				progress = progress || e.done
				e.at = now.Add(deletePollInterval)
				continue
			}
			suffix := ""
			if dry == dryRunServer {
				suffix = " (server dry run)"
			}
			fmt.Fprintf(s.Out, "evicting pod %s/%s%s\n", e.active.Namespace, e.active.Name, suffix)
			if timedOut {
				errs = append(errs, fmt.Errorf("error when evicting pods/%q -n %q: global timeout reached: %v", e.active.Name, e.active.Namespace, o.timeout))
				e.done = true
				continue
			}
			err := client.Evict(e.active.Namespace, &policyv1.Eviction{
				ObjectMeta:    metav1.ObjectMeta{Name: e.active.Name, Namespace: e.active.Namespace},
				DeleteOptions: deleteOptions(o, dry)})
			switch {
			case err == nil:
				progress = true
				if dry == dryRunServer {
					e.done = true
					continue
				}
				e.waiting = true
				e.done = k.pollDeleted(e, true, o, s) // waitForDelete polls at once
				e.at = now.Add(deletePollInterval)
			case apierrors.IsNotFound(err):
				e.done, progress = true, true
			case apierrors.IsTooManyRequests(err):
				fmt.Fprintf(s.ErrOut, "error when evicting pods/%q -n %q (will retry after %v): %v\n", e.active.Name, e.active.Namespace, evictErrorRetryDelay, err)
				e.at = now.Add(evictErrorRetryDelay)
				if fresh, err := k.client.Get("pods", e.active.Namespace, e.active.Name); err == nil {
					e.active = *fresh.(*corev1.Pod)
				}
			default:
				errs = append(errs, fmt.Errorf("error when evicting pods/%q -n %q: %v", e.active.Name, e.active.Namespace, err))
				e.done = true
			}
		}
		next, ok := nextAction(es)
		if !ok {
			break
		}
		if o.timeout > 0 && next.After(start.Add(o.timeout)) {
			next = start.Add(o.timeout)
		}
		if progress {
			lastActive = now
		}
		if k.stuck(progress, lastActive) {
			fmt.Fprintln(s.ErrOut, k.t("kubectl.drain_stuck", nil))
			return ExitError{Code: 1}
		}
		if k.waitUntil(next) {
			lastActive = k.now()
		}
		now = k.now()
	}
	return utilerrors.NewAggregate(errs)
}

// deletePods is Helper.deletePods: delete them all, then wait for them to go.
func (k *Kubectl) deletePods(pods []corev1.Pod, o *drainOptions, dry dryRun, s Streams) error {
	client := k.client
	if dry == dryRunServer {
		client = k.dry
	}
	opts := apiserver.DeleteOptions{}
	if o.gracePeriod >= 0 {
		g := int64(o.gracePeriod)
		opts.GracePeriodSeconds = &g
	}
	for _, p := range pods {
		if _, err := client.Delete("pods", p.Namespace, p.Name, opts); err != nil && !apierrors.IsNotFound(err) {
			return err
		}
	}
	if dry == dryRunServer {
		return nil
	}
	now := k.now()
	start, lastActive := now, now
	es := make([]*evictee, len(pods))
	for i, p := range pods {
		es[i] = &evictee{pod: p, active: p, waiting: true, at: now}
	}
	for {
		progress := false
		for _, e := range es {
			if !e.done && !e.at.After(now) {
				e.done = k.pollDeleted(e, false, o, s)
				progress = progress || e.done
				e.at = now.Add(deletePollInterval)
			}
		}
		next, ok := nextAction(es)
		if !ok {
			return nil
		}
		if o.timeout > 0 && next.After(start.Add(o.timeout)) {
			// waitForDelete's PollUntilContextTimeout gives up with the context's error.
			return fmt.Errorf("context deadline exceeded")
		}
		if progress {
			lastActive = now
		}
		if k.stuck(progress, lastActive) {
			fmt.Fprintln(s.ErrOut, k.t("kubectl.drain_stuck", nil))
			return ExitError{Code: 1}
		}
		if k.waitUntil(next) {
			lastActive = k.now()
		}
		now = k.now()
	}
}

// pollDeleted is one look of waitForDelete: the pod is gone (or replaced by a namesake), or
// deleted long enough ago to skip, or still there.
func (k *Kubectl) pollDeleted(e *evictee, usingEviction bool, o *drainOptions, s Streams) bool {
	obj, err := k.client.Get("pods", e.pod.Namespace, e.pod.Name)
	if apierrors.IsNotFound(err) || (err == nil && obj.(*corev1.Pod).UID != e.pod.UID) {
		verb := "deleted"
		if usingEviction {
			verb = "evicted"
		}
		fmt.Fprintf(s.Out, "pod/%s %s\n", e.pod.Name, verb)
		return true
	}
	if err == nil && k.skipDeleted(*obj.(*corev1.Pod), o.skipWaitForDeleteTimeout) {
		fmt.Fprintf(s.Out, "pod %q has DeletionTimestamp older than %v seconds, skipping\n", e.pod.Name, o.skipWaitForDeleteTimeout)
		return true
	}
	return false
}

func deleteOptions(o *drainOptions, dry dryRun) *metav1.DeleteOptions {
	opts := &metav1.DeleteOptions{}
	if o.gracePeriod >= 0 {
		g := int64(o.gracePeriod)
		opts.GracePeriodSeconds = &g
	}
	if dry == dryRunServer {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	return opts
}

// nextAction is the soonest time a pod that is not done is tried or looked at again.
func nextAction(es []*evictee) (time.Time, bool) {
	var next time.Time
	found := false
	for _, e := range es {
		if !e.done && (!found || e.at.Before(next)) {
			next, found = e.at, true
		}
	}
	return next, found
}

// waitUntil lets the simulated time run to t, the control plane acting meanwhile, and reports
// whether any component did more than its routine heartbeats.
func (k *Kubectl) waitUntil(t time.Time) bool {
	d := t.Sub(k.now())
	if d <= 0 {
		return false
	}
	progress := false
	k.cluster.WaitEach(d, 0, func(e cluster.TraceEntry) { progress = progress || !e.Trigger.Routine })
	return progress
}

// drainPatience is how long a drain waits with nothing happening before it gives up.
const drainPatience = 10 * time.Minute

// stuck: a drain that made no progress would wait for ever — a real kubectl does, until Ctrl-C —
// because the control plane has nothing left to do but routine heartbeats (no work, no timer that
// is not routine), or has done nothing else for drainPatience.
func (k *Kubectl) stuck(progress bool, lastActive time.Time) bool {
	if progress {
		return false
	}
	if k.now().Sub(lastActive) >= drainPatience {
		return true
	}
	if !k.cluster.Idle() {
		return false
	}
	for _, t := range k.cluster.Timers() {
		if !t.Trigger.Routine {
			return false
		}
	}
	return true
}
