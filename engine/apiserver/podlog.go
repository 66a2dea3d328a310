package apiserver

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// The pods/log and pods/exec subresources: the API server checks the pod and the container, then
// asks the pod's kubelet, as kube-apiserver does through its connection to a node's port 10250
// (k8s.io/kubernetes v1.37.2 pkg/registry/core/pod/strategy.go LogLocation and ExecLocation,
// pkg/registry/core/pod/rest/log.go).

// LogLine is one line of a container's log.
type LogLine struct {
	Time time.Time
	Text string
}

// ContainerLog is what a kubelet answers for a container's log: its lines, and whether the
// container still writes (a follower waits for more).
type ContainerLog struct {
	Lines   []LogLine
	Running bool
}

// KubeletConnection reaches the kubelets. Errors are the kubelet's own words; the API server
// passes them on as BadRequest.
type KubeletConnection interface {
	ContainerLogs(node, ns, pod, container string, previous bool) (ContainerLog, error)
	Exec(node, ns, pod, container string, argv []string, out, errOut io.Writer) (int, error)
}

// SetKubeletConnection connects the API server to the nodes' kubelets.
func (s *Server) SetKubeletConnection(k KubeletConnection) {
	s.mu.Lock()
	s.kubelets = k
	s.mu.Unlock()
}

func (s *Server) kubeletConnection() KubeletConnection {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.kubelets
}

// PodLogOptions are the options of GET pods/NAME/log (v1.PodLogOptions, what kubectl logs
// sends).
type PodLogOptions struct {
	Container    string
	Previous     bool
	Timestamps   bool
	TailLines    *int64
	SinceSeconds *int64
	SinceTime    *time.Time
	LimitBytes   *int64
	// After and AfterCount are a follower's cursor (not API options): only lines after the
	// AfterCount lines at time After are sent.
	After      time.Time
	AfterCount int
}

// PodLog is the answer to GET pods/NAME/log: the log's text as the kubelet writes it, and where
// a follower goes on from.
type PodLog struct {
	Text []byte
	// Running is whether the container still writes.
	Running bool
	// Node is the pod's node, "" for a pod not scheduled yet (whose log is empty).
	Node, Container string
	// Last is the time of the last line sent and how many lines at that time were sent: a
	// follower asks again and skips these.
	Last      time.Time
	LastCount int
}

// ErrKubeletUnreachable is a pod log or exec request for a node without a kubelet connection.
var ErrKubeletUnreachable = errors.New("no kubelet connection")

// PodLogs serves GET pods/NAME/log.
func (c *Client) PodLogs(ns, name string, opts PodLogOptions) (PodLog, error) {
	pod, container, err := c.podContainer(ns, name, opts.Container)
	if err != nil {
		return PodLog{}, err
	}
	out := PodLog{Node: pod.Spec.NodeName, Container: container}
	if pod.Spec.NodeName == "" {
		return out, nil // LogLocation: no host, no location, an empty log
	}
	k := c.s.kubeletConnection()
	if k == nil {
		return out, ErrKubeletUnreachable
	}
	log, err := k.ContainerLogs(pod.Spec.NodeName, ns, name, container, opts.Previous)
	if err != nil {
		return out, apierrors.NewBadRequest(err.Error())
	}
	out.Running = log.Running && !opts.Previous
	lines := FilterLogLines(log.Lines, opts, c.s.clock.Now())
	out.Text = FormatLogLines(lines, opts)
	out.Last, out.LastCount = opts.After, opts.AfterCount
	if n := len(lines); n > 0 {
		last, count := lines[n-1].Time, 0
		for i := n - 1; i >= 0 && lines[i].Time.Equal(last); i-- {
			count++
		}
		if last.Equal(opts.After) {
			count += opts.AfterCount
		}
		out.Last, out.LastCount = last, count
	}
	return out, nil
}

// FilterLogLines keeps the lines the options ask for, as the kubelet's ReadLogs does
// (pkg/kubelet/kuberuntime/logs/logs.go): since a time, the last tailLines.
func FilterLogLines(lines []LogLine, opts PodLogOptions, now time.Time) []LogLine {
	if !opts.After.IsZero() {
		i := 0
		for i < len(lines) && lines[i].Time.Before(opts.After) {
			i++
		}
		for skip := opts.AfterCount; skip > 0 && i < len(lines) && lines[i].Time.Equal(opts.After); skip-- {
			i++
		}
		lines = lines[i:]
	}
	var since time.Time
	switch {
	case opts.SinceTime != nil:
		since = *opts.SinceTime
	case opts.SinceSeconds != nil:
		since = now.Add(-time.Duration(*opts.SinceSeconds) * time.Second)
	}
	if !since.IsZero() {
		i := 0
		for i < len(lines) && lines[i].Time.Before(since) {
			i++
		}
		lines = lines[i:]
	}
	if opts.TailLines != nil && *opts.TailLines >= 0 && int64(len(lines)) > *opts.TailLines {
		lines = lines[int64(len(lines))-*opts.TailLines:]
	}
	return lines
}

// FormatLogLines writes lines as the kubelet streams them: with timestamps, each line starts with
// its RFC 3339 time, nanoseconds included; LimitBytes cuts the output.
func FormatLogLines(lines []LogLine, opts PodLogOptions) []byte {
	var b bytes.Buffer
	for _, l := range lines {
		if opts.Timestamps {
			b.WriteString(l.Time.UTC().Format(time.RFC3339Nano))
			b.WriteByte(' ')
		}
		b.WriteString(l.Text)
		b.WriteByte('\n')
		if opts.LimitBytes != nil && int64(b.Len()) >= *opts.LimitBytes {
			b.Truncate(int(*opts.LimitBytes))
			break
		}
	}
	return b.Bytes()
}

// The errors of an exec, as the kubelet reports them.
type (
	// ExecRefused is an exec the kubelet refuses before streaming (its exec handler answers 404:
	// the container has no running instance); kubectl says "unable to upgrade connection".
	ExecRefused struct{ Msg string }
	// ExecFailed is a command the runtime could not start (its OCI error), sent as an
	// InternalError Status on the error stream.
	ExecFailed struct{ Msg string }
)

func (e *ExecRefused) Error() string { return e.Msg }
func (e *ExecFailed) Error() string  { return e.Msg }

// ErrExecNotSimulated is a command the simulated container does not follow.
var ErrExecNotSimulated = errors.New("command not simulated")

// PodExec runs a command in a container of a pod (pods/exec), writing its output to out and
// errOut, and returns its exit code.
func (c *Client) PodExec(ns, name, container string, argv []string, out, errOut io.Writer) (int, error) {
	pod, container, err := c.podContainer(ns, name, container)
	if err != nil {
		return 0, err
	}
	if pod.Spec.NodeName == "" {
		// ExecLocation with no host: pkg/registry/core/pod/strategy.go streamLocation.
		return 0, apierrors.NewBadRequest(fmt.Sprintf("pod %s does not have a host assigned", name))
	}
	k := c.s.kubeletConnection()
	if k == nil {
		return 0, ErrKubeletUnreachable
	}
	return k.Exec(pod.Spec.NodeName, ns, name, container, argv, out, errOut)
}

// podContainer finds the pod and the container a log or exec request is about, with
// validateContainer's errors (pkg/registry/core/pod/strategy.go).
func (c *Client) podContainer(ns, name, container string) (*corev1.Pod, string, error) {
	obj, err := c.Get("pods", ns, name)
	if err != nil {
		return nil, "", err
	}
	pod := obj.(*corev1.Pod)
	if container == "" {
		switch len(pod.Spec.Containers) {
		case 1:
			return pod, pod.Spec.Containers[0].Name, nil
		case 0:
			return nil, "", apierrors.NewBadRequest(fmt.Sprintf("a container name must be specified for pod %s", pod.Name))
		}
		return nil, "", apierrors.NewBadRequest(fmt.Sprintf("a container name must be specified for pod %s, choose one of: %v", pod.Name, containerNames(pod)))
	}
	for _, n := range containerNames(pod) {
		if n == container {
			return pod, container, nil
		}
	}
	return nil, "", apierrors.NewBadRequest(fmt.Sprintf("container %s is not valid for pod %s", container, pod.Name))
}

// containerNames lists a pod's containers as podutil.VisitContainers visits them: init
// containers, containers, ephemeral containers.
func containerNames(pod *corev1.Pod) []string {
	var out []string
	for _, c := range pod.Spec.InitContainers {
		out = append(out, c.Name)
	}
	for _, c := range pod.Spec.Containers {
		out = append(out, c.Name)
	}
	for _, c := range pod.Spec.EphemeralContainers {
		out = append(out, c.Name)
	}
	return out
}

// ParseInt64 reads an optional integer query parameter.
func ParseInt64(s string) (*int64, error) {
	if s == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, err
	}
	return &n, nil
}
