package kubectl

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// logsUsage is kubectl logs' use line and its usage error (k8s.io/kubectl v0.37.2
// pkg/cmd/logs/logs.go, logsUsageStr and logsUsageErrStr).
const logsUsage = "logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]"

type logsOptions struct {
	namespaceFlags
	container  string
	follow     bool
	previous   bool
	timestamps bool
	tail       int64
	since      time.Duration
	limitBytes int64
}

// newLogs is kubectl logs: the log of a container of a pod (or of the first pod of a Deployment,
// ReplicaSet, Job, Service's selector), read through the API server's pods/log from the pod's
// kubelet.
func (k *Kubectl) newLogs(s Streams) *cobra.Command {
	o := &logsOptions{}
	c := &cobra.Command{
		Use:                   logsUsage,
		DisableFlagsInUseLine: true,
		Short:                 "Print the logs for a container in a pod",
		RunE: func(cmd *cobra.Command, args []string) error {
			return k.runLogs(cmd, o, args, s)
		},
	}
	o.add(c, false)
	c.Flags().StringVarP(&o.container, "container", "c", "", "Print the logs of this container")
	c.Flags().BoolVarP(&o.follow, "follow", "f", false, "Specify if the logs should be streamed.")
	c.Flags().BoolVarP(&o.previous, "previous", "p", false, "If true, print the logs for the previous instance of the container in a pod if it exists.")
	c.Flags().BoolVar(&o.timestamps, "timestamps", false, "Include timestamps on each line in the log output")
	c.Flags().Int64Var(&o.tail, "tail", -1, "Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided.")
	c.Flags().DurationVar(&o.since, "since", 0, "Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs. Only one of since-time / since may be used.")
	c.Flags().Int64Var(&o.limitBytes, "limit-bytes", 0, "Maximum bytes of logs to return. Defaults to no limit.")
	return c
}

func (k *Kubectl) runLogs(cmd *cobra.Command, o *logsOptions, args []string, s Streams) error {
	usage := fmt.Sprintf("expected '%s'.\nPOD or TYPE/NAME is a required argument for the logs command", logsUsage)
	switch len(args) {
	case 1:
	case 2:
		if cmd.Flag("container").Changed {
			return errors.New("only one of -c or an inline [CONTAINER] arg is allowed")
		}
		o.container = args[1]
	default:
		return usageError(cmd, "%s", usage)
	}
	// LogsOptions.Validate.
	switch {
	case cmd.Flag("limit-bytes").Changed && o.limitBytes <= 0:
		return errors.New("--limit-bytes must be greater than 0")
	case cmd.Flag("since").Changed && o.since <= 0:
		return errors.New("--since must be greater than 0")
	case o.tail < -1:
		return errors.New("--tail must be greater than or equal to -1")
	}
	pod, err := k.logsPod(args[0], o.namespace, s)
	if err != nil {
		return err
	}
	container, err := defaultContainer(pod, o.container, s)
	if err != nil {
		return err
	}
	opts := apiserver.PodLogOptions{Container: container, Previous: o.previous, Timestamps: o.timestamps}
	if o.tail != -1 {
		opts.TailLines = &o.tail
	}
	if o.since > 0 {
		secs := int64(o.since.Seconds())
		opts.SinceSeconds = &secs
	}
	if o.limitBytes > 0 {
		opts.LimitBytes = &o.limitBytes
	}
	containers, ok := k.client.(podLogger)
	if !ok {
		return k.errNeedsMiniature("logs")
	}
	if follower, ok := k.client.(podLogFollower); ok && o.follow && k.cluster == nil {
		return k.followLogsRemote(follower, pod, opts, s)
	}
	log, err := containers.PodLogs(pod.Namespace, pod.Name, opts)
	if err != nil {
		return err
	}
	s.Out.Write(log.Text)
	if !o.follow || !log.Running || k.cluster == nil {
		return nil
	}
	return k.followLogs(pod, opts, log, s)
}

// followLogsRemote is logs -f on a real cluster: one streamed GET pods/NAME/log?follow=true, as
// kubectl sends, printed as it comes until the container ends, or k8slearn stops it (nothing new
// for the Remote's quiet, or its patience passed) and says so.
func (k *Kubectl) followLogsRemote(f podLogFollower, pod *corev1.Pod, opts apiserver.PodLogOptions, s Streams) error {
	stream, err := f.FollowPodLogs(pod.Namespace, pod.Name, opts)
	if err != nil {
		return err
	}
	done := make(chan struct{})
	chunks := readChunks(stream, done)
	end, _ := followRemote(k, chunks, func(b []byte) error {
		_, err := s.Out.Write(b)
		return err
	})
	close(done)
	stream.Close()
	for range chunks { // the reader ends with the request
	}
	k.sayFollowStopped(end, "kubectl.logs_follow_quiet_real", "logs -f", s)
	return nil
}

// followLogs is logs -f in the sandbox: nothing happens unless the control plane acts, so it steps
// it, printing each new line, until the container ends or the cluster is idle.
func (k *Kubectl) followLogs(pod *corev1.Pod, opts apiserver.PodLogOptions, log apiserver.PodLog, s Streams) error {
	opts.TailLines, opts.SinceSeconds, opts.LimitBytes = nil, nil, nil
	for range maxWatchSteps {
		if _, ok := k.cluster.Step(); !ok {
			break
		}
		opts.After, opts.AfterCount = log.Last, log.LastCount
		next, err := k.client.(podLogger).PodLogs(pod.Namespace, pod.Name, opts)
		if err != nil {
			return nil // the pod or its container went away: the stream ends
		}
		s.Out.Write(next.Text)
		log = next
		if !next.Running {
			return nil
		}
	}
	fmt.Fprintln(s.ErrOut, k.t("kubectl.logs_follow_idle", nil))
	return nil
}

// logsPod finds the pod a logs argument names: POD, pod/POD, or a TYPE/NAME whose selector picks
// pods, of which the first by podutils.ByLogging is used (k8s.io/kubectl v0.37.2
// pkg/polymorphichelpers/logsforobject.go).
func (k *Kubectl) logsPod(arg, ns string, s Streams) (*corev1.Pod, error) {
	pods, err := k.podsFor(arg, ns)
	if apierrors.IsNotFound(err) {
		// logs (alone) wraps the builder's NotFound: no longer an API status, it prints behind
		// "error: ".
		return nil, fmt.Errorf("error from server (NotFound): %v in namespace %q", err, ns)
	}
	if err != nil {
		return nil, err
	}
	sort.SliceStable(pods, func(i, j int) bool { return byLogging(pods[i], pods[j]) })
	if len(pods) > 1 {
		fmt.Fprintf(s.ErrOut, "Found %v pods, using pod/%v\n", len(pods), pods[0].Name)
	}
	return pods[0], nil
}

// podsFor is the pod an argument names (POD, pod/POD), or the pods a TYPE/NAME selects.
func (k *Kubectl) podsFor(arg, ns string) ([]*corev1.Pod, error) {
	kind, name, typed := strings.Cut(arg, "/")
	if !typed {
		kind, name = "pods", arg
	}
	res, err := k.resolve(kind)
	if err != nil {
		return nil, err
	}
	obj, err := k.client.Get(res.Name, ns, name)
	if err != nil {
		return nil, err
	}
	if pod, ok := obj.(*corev1.Pod); ok {
		return []*corev1.Pod{pod}, nil
	}
	sel, err := podSelector(obj)
	if err != nil {
		return nil, fmt.Errorf("cannot get the logs from %T: %v", obj, err)
	}
	objs, _, err := k.client.List("pods", ns, apiserver.ListOptions{LabelSelector: sel})
	if err != nil {
		return nil, err
	}
	if len(objs) == 0 {
		// GetPodList waits for a pod until --pod-running-timeout, then gives up.
		return nil, fmt.Errorf("timed out waiting for the condition")
	}
	pods := make([]*corev1.Pod, len(objs))
	for i, o := range objs {
		pods[i] = o.(*corev1.Pod)
	}
	return pods, nil
}

// podSelector is the pod selector of a workload or a Service (SelectorsForObject).
func podSelector(obj any) (labels.Selector, error) {
	var ls *metav1.LabelSelector
	switch o := obj.(type) {
	case *appsv1.Deployment:
		ls = o.Spec.Selector
	case *appsv1.ReplicaSet:
		ls = o.Spec.Selector
	case *appsv1.StatefulSet:
		ls = o.Spec.Selector
	case *appsv1.DaemonSet:
		ls = o.Spec.Selector
	case *batchv1.Job:
		ls = o.Spec.Selector
	case *corev1.Service:
		if len(o.Spec.Selector) == 0 {
			return nil, errors.New("invalid service 'O': Service is defined without a selector")
		}
		return labels.SelectorFromSet(o.Spec.Selector), nil
	default:
		return nil, fmt.Errorf("selector for %T not implemented", obj)
	}
	return metav1.LabelSelectorAsSelector(ls)
}

// byLogging is podutils.ByLogging's order: scheduled first, Running before Unknown before
// Pending, ready first, more restarts first, older first.
func byLogging(a, b *corev1.Pod) bool {
	if (a.Spec.NodeName == "") != (b.Spec.NodeName == "") {
		return a.Spec.NodeName != ""
	}
	rank := map[corev1.PodPhase]int{corev1.PodRunning: 0, corev1.PodUnknown: 1, corev1.PodPending: 2}
	if rank[a.Status.Phase] != rank[b.Status.Phase] {
		return rank[a.Status.Phase] < rank[b.Status.Phase]
	}
	if podReady(a) != podReady(b) {
		return podReady(a)
	}
	if ra, rb := maxRestarts(a), maxRestarts(b); ra != rb {
		return ra > rb
	}
	return a.CreationTimestamp.Before(&b.CreationTimestamp)
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func maxRestarts(p *corev1.Pod) int32 {
	var m int32
	for _, cs := range p.Status.ContainerStatuses {
		m = max(m, cs.RestartCount)
	}
	return m
}

// defaultContainer is the container a logs or exec request is about: the one named (which must
// exist), else the pod's kubectl.kubernetes.io/default-container, else its first, saying so when
// the pod has others (k8s.io/kubectl v0.37.2 pkg/cmd/util/podcmd/podcmd.go).
func defaultContainer(pod *corev1.Pod, name string, s Streams) (string, error) {
	all := allContainerNames(pod)
	if name != "" {
		for _, c := range append(append(append([]corev1.Container{}, pod.Spec.InitContainers...), pod.Spec.Containers...), ephemeral(pod)...) {
			if c.Name == name {
				return name, nil
			}
		}
		return "", fmt.Errorf("container %s is not valid for pod %s out of: %s", name, pod.Name, all)
	}
	if def := pod.Annotations["kubectl.kubernetes.io/default-container"]; def != "" {
		for _, c := range pod.Spec.Containers {
			if c.Name == def {
				return def, nil
			}
		}
		fmt.Fprintf(s.ErrOut, "Default container name %q not found in pod %s\n", def, pod.Name)
	}
	if len(pod.Spec.Containers) == 0 {
		return "", fmt.Errorf("pod %s/%s does not have any containers", pod.Namespace, pod.Name)
	}
	first := pod.Spec.Containers[0].Name
	if len(pod.Spec.Containers) > 1 || len(pod.Spec.InitContainers) > 0 || len(pod.Spec.EphemeralContainers) > 0 {
		fmt.Fprintf(s.ErrOut, "Defaulted container %q out of: %s\n", first, all)
	}
	return first, nil
}

func ephemeral(pod *corev1.Pod) []corev1.Container {
	var out []corev1.Container
	for _, e := range pod.Spec.EphemeralContainers {
		out = append(out, corev1.Container(e.EphemeralContainerCommon))
	}
	return out
}

// allContainerNames lists a pod's containers as podcmd.AllContainerNames does: "a, b,
// init (init), debugger (ephem)".
func allContainerNames(pod *corev1.Pod) string {
	var names []string
	for _, c := range pod.Spec.Containers {
		names = append(names, c.Name)
	}
	for _, c := range pod.Spec.EphemeralContainers {
		names = append(names, c.Name+" (ephem)")
	}
	for _, c := range pod.Spec.InitContainers {
		names = append(names, c.Name+" (init)")
	}
	return strings.Join(names, ", ")
}
