package kubectl

import (
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// newExec is kubectl exec (k8s.io/kubectl v0.37.2 pkg/cmd/exec/exec.go): a command in a running
// container, through the API server's pods/exec and the pod's kubelet. The commands are the
// simulated runtime's (runtime.Commands, and what the cluster adds); their output, and their
// exit code as "command terminated with exit code N".
func (k *Kubectl) newExec(s Streams) *cobra.Command {
	var ns namespaceFlags
	var container string
	var stdin, tty, quiet bool
	c := &cobra.Command{
		Use:                   "exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]",
		DisableFlagsInUseLine: true,
		Short:                 "Execute a command in a container",
		RunE: func(cmd *cobra.Command, args []string) error {
			dash := cmd.ArgsLenAtDash()
			var resource string
			var command []string
			if len(args) > 0 && dash != 0 {
				resource = args[0]
			}
			switch {
			case dash == 0 || dash == 1:
				command = args[dash:]
			case len(args) > 1:
				return usageError(cmd, "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead")
			}
			if resource == "" {
				return errors.New("pod, type/name or --filename must be specified")
			}
			if len(command) == 0 {
				return errors.New("you must specify at least one command for the container")
			}
			return k.runExec(resource, ns.namespace, container, command, quiet, s)
		},
	}
	ns.add(c, false)
	c.Flags().StringVarP(&container, "container", "c", "", "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen")
	c.Flags().BoolVarP(&stdin, "stdin", "i", false, "Pass stdin to the container")
	c.Flags().BoolVarP(&tty, "tty", "t", false, "Stdin is a TTY")
	c.Flags().BoolVarP(&quiet, "quiet", "q", false, "Only print output from the remote session")
	return c
}

func (k *Kubectl) runExec(resource, ns, container string, command []string, quiet bool, s Streams) error {
	pod, err := k.execPod(resource, ns)
	if err != nil {
		return err
	}
	if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return fmt.Errorf("cannot exec into a container in a completed pod; current phase is %s", pod.Status.Phase)
	}
	warn := s
	if quiet {
		warn.ErrOut = discard{}
	}
	name, err := defaultContainer(pod, container, warn)
	if err != nil {
		return err
	}
	// A real cluster's API runs the command in its own containers (realcluster.API.PodExec).
	containers, ok := k.client.(podExecer)
	if !ok {
		return k.errNeedsMiniature("exec")
	}
	code, err := containers.PodExec(pod.Namespace, pod.Name, name, command, s.Out, s.ErrOut)
	var refused *apiserver.ExecRefused
	var failed *apiserver.ExecFailed
	switch {
	case errors.As(err, &refused):
		// The kubelet refuses before streaming; kubectl reports the failed upgrade.
		return fmt.Errorf("unable to upgrade connection: %s", refused.Msg)
	case errors.As(err, &failed):
		// The streaming server's InternalError Status, which kubectl prints as it is.
		return fmt.Errorf("Internal error occurred: %s", failed.Msg)
	case errors.Is(err, apiserver.ErrExecNotSimulated) && k.cluster != nil:
		fmt.Fprintln(s.ErrOut, k.t("kubectl.exec_not_simulated", map[string]any{"Command": command[0],
			"Commands": k.cluster.ExecCommandNames()}))
		return ExitError{Code: 1}
	case err != nil:
		return err
	case code != 0:
		// client-go tools/remotecommand/v4.go: a NonZeroExitCode Status.
		fmt.Fprintf(s.ErrOut, "command terminated with exit code %d\n", code)
		return ExitError{Code: code}
	}
	return nil
}

// execPod finds the pod exec runs in: POD, or the pod a TYPE/NAME selects
// (AttachablePodForObject: the most active pod first).
func (k *Kubectl) execPod(arg, ns string) (*corev1.Pod, error) {
	pods, err := k.podsFor(arg, ns)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(pods, func(i, j int) bool { return moreActive(pods[i], pods[j]) })
	return pods[0], nil
}

// moreActive is sort.Reverse(podutils.ActivePods): scheduled, running, ready pods first.
func moreActive(a, b *corev1.Pod) bool {
	if (a.Spec.NodeName == "") != (b.Spec.NodeName == "") {
		return a.Spec.NodeName != ""
	}
	rank := map[corev1.PodPhase]int{corev1.PodPending: 0, corev1.PodUnknown: 1, corev1.PodRunning: 2}
	if rank[a.Status.Phase] != rank[b.Status.Phase] {
		return rank[a.Status.Phase] > rank[b.Status.Phase]
	}
	if podReady(a) != podReady(b) {
		return podReady(a)
	}
	return a.CreationTimestamp.Before(&b.CreationTimestamp)
}

// podExecer runs a command in a pod's container: the miniature's simulated ones, or a real
// cluster's through pods/exec.
type podExecer interface {
	PodExec(ns, name, container string, argv []string, out, errOut io.Writer) (int, error)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
