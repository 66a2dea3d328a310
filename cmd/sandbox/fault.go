package sandbox

import (
	"errors"
	"sort"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/k8slearn/k8slearn/engine/cluster"
)

// `fault KIND NAME ACTION [ARG…]` changes the simulated world — a node whose kubelet goes silent,
// a pod deleted behind its controller's back, a container that fails its probes — and the control
// plane finds out as a real one would. The faults are a table: each file that adds faults
// (fault.go, fault_probe.go…) has a function returning its rows, listed once in faults(); `fault`
// and `help fault` read the table, nothing else changes. Words between the name and the action
// (`fault probe web nginx fail`: the container) go to the fault with the words after it.

// Fault is one row of the fault table.
type Fault struct {
	// Kind is the word after "fault" (node, pod, image…); Action the word after the object's name
	// (down, up, delete…).
	Kind, Action string
	// Help is the message ID of the row's line in `help fault`.
	Help string
	// Run injects the fault into the object named name, with the words after the action. It
	// prints what happened, or returns the error to show (a message for the learner's language).
	Run func(s *Session, name string, args []string) error
}

// faults are the rows of every file's faults, in `help fault` order: by kind, then as listed.
func faults() []Fault {
	var rows []Fault
	for _, more := range [][]Fault{worldFaults(), probeFaults(), containerFaults()} {
		rows = append(rows, more...)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Kind < rows[j].Kind })
	return rows
}

// fault handles `fault KIND NAME ACTION [ARG…]`.
func (s *Session) fault(args []string) {
	if len(args) == 0 {
		s.faultHelp()
		return
	}
	kind := strings.ToLower(args[0])
	var actions []string
	for _, f := range faults() {
		if f.Kind == kind {
			actions = append(actions, f.Action)
		}
	}
	if len(actions) == 0 {
		s.println(s.T("sandbox.fault.unknown_kind", map[string]any{"Kind": args[0], "Kinds": strings.Join(faultKinds(), ", ")}))
		return
	}
	if len(args) < 3 {
		s.println(s.T("sandbox.fault.usage_kind", map[string]any{"Kind": kind, "Actions": strings.Join(actions, "|")}))
		return
	}
	// The action is the first word after the name that is one of the kind's actions.
	at := -1
	for i := 2; i < len(args) && at < 0; i++ {
		for _, a := range actions {
			if strings.ToLower(args[i]) == a {
				at = i
			}
		}
	}
	if at < 0 {
		s.println(s.T("sandbox.fault.unknown_action", map[string]any{"Kind": kind, "Action": args[2], "Actions": strings.Join(actions, ", ")}))
		return
	}
	action := strings.ToLower(args[at])
	rest := append(append([]string(nil), args[2:at]...), args[at+1:]...)
	for _, f := range faults() {
		if f.Kind != kind || f.Action != action {
			continue
		}
		if err := f.Run(s, args[1], rest); err != nil {
			s.printErr(err)
			return
		}
		for _, e := range s.cluster.Flush() {
			s.printEntry(e)
		}
		if s.cfg.Auto {
			s.runToIdle()
		}
		return
	}
}

// faultKinds are the kinds of the table, in order.
func faultKinds() []string {
	var kinds []string
	for _, f := range faults() {
		if len(kinds) == 0 || kinds[len(kinds)-1] != f.Kind {
			kinds = append(kinds, f.Kind)
		}
	}
	return kinds
}

// faultHelp is `help fault`: every fault, one line each.
func (s *Session) faultHelp() {
	s.println(s.T("sandbox.fault.help_header"))
	for _, f := range faults() {
		s.println("  " + s.T(f.Help))
	}
}

// worldFaults are the faults of nodes and pods.
func worldFaults() []Fault {
	return []Fault{
		{Kind: "node", Action: "down", Help: "sandbox.fault.node_down", Run: func(s *Session, name string, args []string) error {
			return s.setNodeDown(name, args, true)
		}},
		{Kind: "node", Action: "up", Help: "sandbox.fault.node_up", Run: func(s *Session, name string, args []string) error {
			return s.setNodeDown(name, args, false)
		}},
		{Kind: "pod", Action: "delete", Help: "sandbox.fault.pod_delete", Run: deletePodFault},
	}
}

// setNodeDown is `fault node NAME down|up`.
func (s *Session) setNodeDown(name string, args []string, down bool) error {
	if len(args) > 0 {
		return message{"sandbox.fault.extra_args", map[string]any{"Args": strings.Join(args, " ")}}
	}
	name = strings.TrimPrefix(strings.TrimPrefix(name, "nodes/"), "node/")
	changed, err := s.cluster.SetNodeDown(name, down)
	var missing cluster.NodeNotFoundError
	if errors.As(err, &missing) {
		return message{"sandbox.fault.no_node", map[string]any{"Node": name, "Nodes": strings.Join(s.nodeNames(), ", ")}}
	}
	if err != nil {
		return err
	}
	id := map[bool]string{true: "sandbox.fault.node_went_down", false: "sandbox.fault.node_came_up"}[down]
	if !changed {
		id = map[bool]string{true: "sandbox.fault.node_already_down", false: "sandbox.fault.node_already_up"}[down]
	}
	s.println(s.T(id, map[string]any{"Node": name}))
	return nil
}

func (s *Session) nodeNames() []string {
	return s.cluster.NodeNames()
}

// deletePodFault is `fault pod [NAMESPACE/]NAME delete`: the pod is deleted by another client,
// behind its controller's back.
func deletePodFault(s *Session, name string, args []string) error {
	if len(args) > 0 {
		return message{"sandbox.fault.extra_args", map[string]any{"Args": strings.Join(args, " ")}}
	}
	name = strings.TrimPrefix(strings.TrimPrefix(name, "pods/"), "pod/")
	ns, pod, found := strings.Cut(name, "/")
	if !found {
		ns, pod = "default", name
	}
	err := s.cluster.DeletePod(ns, pod)
	if apierrors.IsNotFound(err) {
		return message{"sandbox.fault.no_pod", map[string]any{"Pod": pod, "Namespace": ns}}
	}
	if err != nil {
		return err
	}
	s.println(s.T("sandbox.fault.pod_deleted", map[string]any{"Pod": pod, "Namespace": ns, "Client": cluster.FaultClient}))
	return nil
}
