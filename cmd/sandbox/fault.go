package sandbox

// fault is the sandbox's `fault KIND …` command: a change to the simulated world (a container's
// health, a node's network) that the control plane has to find out about the way a real one
// does. Each kind lives in its own file (fault_probe.go) and registers here.
func (s *Session) fault(args []string) {
	kinds := map[string]func([]string){
		"probe": s.faultProbe,
	}
	if len(args) == 0 {
		s.println(s.T("sandbox.fault.usage"))
		return
	}
	run, ok := kinds[args[0]]
	if !ok {
		s.println(s.T("sandbox.fault.unknown", map[string]any{"Kind": args[0]}))
		s.println(s.T("sandbox.fault.usage"))
		return
	}
	run(args[1:])
}
