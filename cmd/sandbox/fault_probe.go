package sandbox

import (
	"errors"
	"strings"

	"github.com/k8slearn/k8slearn/engine/cluster"
)

// probeFaultArgs is a parsed `fault probe POD [CONTAINER] fail|pass [-n NAMESPACE]`.
type probeFaultArgs struct {
	namespace, pod, container string
	fail                      bool
}

var errProbeFaultUsage = errors.New("usage")

// parseProbeFault reads the arguments after `fault probe`. POD may be written pod/NAME.
func parseProbeFault(args []string) (probeFaultArgs, error) {
	a := probeFaultArgs{namespace: "default"}
	var words []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "-n" || arg == "--namespace":
			if i+1 >= len(args) || args[i+1] == "" {
				return a, errProbeFaultUsage
			}
			a.namespace = args[i+1]
			i++
		case strings.HasPrefix(arg, "--namespace="):
			a.namespace = strings.TrimPrefix(arg, "--namespace=")
		case strings.HasPrefix(arg, "-n") && len(arg) > 2:
			a.namespace = strings.TrimPrefix(arg, "-n")
		case strings.HasPrefix(arg, "-"):
			return a, errProbeFaultUsage
		default:
			words = append(words, arg)
		}
	}
	if a.namespace == "" || len(words) < 2 || len(words) > 3 {
		return a, errProbeFaultUsage
	}
	switch words[len(words)-1] {
	case "fail":
		a.fail = true
	case "pass":
	default:
		return a, errProbeFaultUsage
	}
	a.pod = words[0]
	for _, prefix := range []string{"pod/", "pods/", "po/"} {
		a.pod = strings.TrimPrefix(a.pod, prefix)
	}
	if len(words) == 3 {
		a.container = words[1]
	}
	if a.pod == "" || strings.Contains(a.pod, "/") {
		return a, errProbeFaultUsage
	}
	return a, nil
}

// probeFaults are `fault probe POD [CONTAINER] fail|pass [-n NAMESPACE]`.
func probeFaults() []Fault {
	run := func(fail bool) func(*Session, string, []string) error {
		return func(s *Session, pod string, args []string) error {
			action := map[bool]string{true: "fail", false: "pass"}[fail]
			return s.faultProbe(append(append([]string{pod}, args...), action))
		}
	}
	return []Fault{
		{Kind: "probe", Action: "fail", Help: "sandbox.fault.probe_fail_help", Run: run(true)},
		{Kind: "probe", Action: "pass", Help: "sandbox.fault.probe_pass_help", Run: run(false)},
	}
}

// faultProbe makes a container fail its probes, or pass them again.
func (s *Session) faultProbe(args []string) error {
	a, err := parseProbeFault(args)
	if err != nil {
		return message{"sandbox.fault.usage", nil}
	}
	f, err := s.cluster.FaultProbe(a.namespace, a.pod, a.container, a.fail)
	if err != nil {
		return err
	}
	for _, line := range s.probeFaultLines(f) {
		s.println(line)
	}
	return nil
}

// probeFaultLines says what the fault changed in the container, and what happens next.
func (s *Session) probeFaultLines(f cluster.ProbeFault) []string {
	args := map[string]any{"Container": f.Container, "Pod": f.Pod, "Node": f.Node}
	ch := f.Changes
	if len(ch.HTTP500)+len(ch.Closed)+len(ch.Removed) == 0 {
		if f.Fail {
			return []string{s.T("sandbox.fault.probe_already_failing", args)}
		}
		return []string{s.T("sandbox.fault.probe_already_passing", args)}
	}
	head, http, port, file := "sandbox.fault.probe_failing", "sandbox.fault.probe_http_500", "sandbox.fault.probe_port_closed", "sandbox.fault.probe_file_removed"
	if !f.Fail {
		head, http, port, file = "sandbox.fault.probe_passing", "sandbox.fault.probe_http_ok", "sandbox.fault.probe_port_open", "sandbox.fault.probe_file_back"
	}
	lines := []string{s.T(head, args)}
	for _, p := range ch.HTTP500 {
		lines = append(lines, "  "+s.T(http, map[string]any{"Port": p}))
	}
	for _, p := range ch.Closed {
		lines = append(lines, "  "+s.T(port, map[string]any{"Port": p}))
	}
	for _, name := range ch.Removed {
		lines = append(lines, "  "+s.T(file, map[string]any{"File": name}))
	}
	lines = append(lines, s.T("sandbox.fault.probe_next"))
	return lines
}
