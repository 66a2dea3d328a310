package sandbox

import (
	"errors"
	"strconv"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/k8slearn/k8slearn/engine/cluster"
)

// The container faults:
//
//	fault image IMAGE unavailable|available
//	fault container [NS/]POD crash [CONTAINER] [EXIT_CODE]
//	fault container [NS/]POD oom [CONTAINER]
//
// Each changes the containers' world (engine/cluster/fault_containers.go); the kubelet finds out
// as on a real node.
func containerFaults() []Fault {
	return []Fault{
		{Kind: "image", Action: "unavailable", Help: "sandbox.fault.image_unavailable_help", Run: func(s *Session, image string, args []string) error {
			return s.faultImage(image, args, false)
		}},
		{Kind: "image", Action: "available", Help: "sandbox.fault.image_available_help", Run: func(s *Session, image string, args []string) error {
			return s.faultImage(image, args, true)
		}},
		{Kind: "container", Action: "crash", Help: "sandbox.fault.container_crash_help", Run: func(s *Session, pod string, args []string) error {
			return s.faultContainer(pod, args, true)
		}},
		{Kind: "container", Action: "oom", Help: "sandbox.fault.container_oom_help", Run: func(s *Session, pod string, args []string) error {
			return s.faultContainer(pod, args, false)
		}},
	}
}

func (s *Session) faultImage(image string, args []string, available bool) error {
	if len(args) > 0 {
		return message{"sandbox.fault.extra_args", map[string]any{"Args": strings.Join(args, " ")}}
	}
	changed, err := s.cluster.FaultImage(image, available)
	if err != nil {
		return message{"sandbox.fault.image_invalid", map[string]any{"Image": image, "Error": err.Error()}}
	}
	id := map[bool]string{true: "sandbox.fault.image_available", false: "sandbox.fault.image_unavailable"}[available]
	if !changed {
		id = map[bool]string{true: "sandbox.fault.image_already_available", false: "sandbox.fault.image_already_unavailable"}[available]
	}
	s.println(s.T(id, map[string]any{"Image": image}))
	return nil
}

// containerFaultArgs reads `[CONTAINER] [EXIT_CODE]` after crash (EXIT_CODE from 1 to 255,
// default 1), `[CONTAINER]` after oom.
func containerFaultArgs(args []string, crash bool) (container string, code int, err error) {
	code = 1
	for _, a := range args {
		if n, convErr := strconv.Atoi(a); convErr == nil && crash {
			if n < 1 || n > 255 {
				return "", 0, message{"sandbox.fault.exit_code_range", map[string]any{"Code": a}}
			}
			code = n
			continue
		}
		if container != "" || strings.HasPrefix(a, "-") {
			return "", 0, message{"sandbox.fault.extra_args", map[string]any{"Args": strings.Join(args, " ")}}
		}
		container = a
	}
	return container, code, nil
}

func (s *Session) faultContainer(name string, args []string, crash bool) error {
	container, code, err := containerFaultArgs(args, crash)
	if err != nil {
		return err
	}
	name = strings.TrimPrefix(strings.TrimPrefix(name, "pods/"), "pod/")
	ns, pod, found := strings.Cut(name, "/")
	if !found {
		ns, pod = "default", name
	}
	var f cluster.ContainerFault
	if crash {
		f, err = s.cluster.FaultCrash(ns, pod, container, code)
	} else {
		f, err = s.cluster.FaultOOM(ns, pod, container)
	}
	var choice cluster.ContainerChoiceError
	switch {
	case apierrors.IsNotFound(err):
		return message{"sandbox.fault.no_pod", map[string]any{"Pod": pod, "Namespace": ns}}
	case errors.As(err, &choice) && choice.Container == "":
		return message{"sandbox.fault.container_choose", map[string]any{"Pod": pod, "Containers": strings.Join(choice.Names, ", ")}}
	case errors.As(err, &choice):
		return message{"sandbox.fault.no_container", map[string]any{"Pod": pod, "Container": choice.Container, "Containers": strings.Join(choice.Names, ", ")}}
	case errors.Is(err, cluster.ErrPodNotScheduled):
		return message{"sandbox.fault.pod_not_scheduled", map[string]any{"Pod": pod}}
	case errors.Is(err, cluster.ErrContainerNotRunning):
		return message{"sandbox.fault.container_not_running", map[string]any{"Pod": pod, "Container": f.Container}}
	case err != nil:
		return err
	}
	args2 := map[string]any{"Pod": f.Pod, "Container": f.Container, "Node": f.Node, "Code": code}
	if crash {
		s.println(s.T("sandbox.fault.container_crashed", args2))
	} else {
		s.println(s.T("sandbox.fault.container_oom", args2))
	}
	return nil
}
