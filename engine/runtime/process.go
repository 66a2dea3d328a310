package runtime

import (
	"fmt"
	"strings"
	"time"
)

// Process is what a container's main process does, as far as the simulation follows it: the
// lines it writes and when, whether and when it exits and with what code, and the memory it
// holds. It is worked out once, when the container starts, from the image and the pod's
// command and args (interpret), so the runtime knows at once when the container will end.
type Process struct {
	Argv  []string
	Lines []Line // written at start+At, in order
	// Loop, when set, repeats for ever after Lines: its Body every Period from Start.
	Loop *Loop
	// Exit is when the process ends by itself (nil: it runs until stopped).
	Exit *Exit
	// Memory is what the process holds from MemoryAt on (stress --vm-bytes); the kernel kills
	// the container when it passes the container's memory limit.
	Memory   int64
	MemoryAt time.Duration
	// StartError is the OCI runtime's error when the executable is not in the image: the
	// container is created but never starts.
	StartError string
	// Term is what the process does on SIGTERM sent to it as PID 1 (`kill 1`); nil: it ignores
	// it, as a PID 1 without a handler does (the kernel does not apply the default action to a
	// namespace's init).
	Term *Term
	// Unsupported is set when the command is more than the simulation follows (a pipe, an if):
	// the container then runs without output.
	Unsupported bool
}

// Line is one line of output, written At after the process started.
type Line struct {
	At     time.Duration
	Stderr bool
	Text   string
}

// Layouts of the times programs print.
const (
	nginxLayout = "2006/01/02 15:04:05"
	redisLayout = "02 Jan 2006 15:04:05.000"
	httpdLayout = "Mon Jan 02 15:04:05.000000 2006"
	dateLayout  = "Mon Jan _2 15:04:05 UTC 2006"
)

// Loop is output repeated for ever (`while true; do echo hi; sleep 5; done`): round k starts
// at Start + k×Period, and Round(k) is what it writes (At from the process's start).
type Loop struct {
	Start, Period time.Duration
	Round         func(k int64) []Line
}

// Exit is how a process ends by itself.
type Exit struct {
	At   time.Duration
	Code int
}

// Term is a process's reaction to SIGTERM: the lines it writes and its exit code.
type Term struct {
	Lines func(at time.Duration) []Line // the lines written on the signal at offset at
	Code  int
}

// LinesUntil lists the lines written in the first d of the process's life, at most max of the
// newest (0: all, up to maxLogLines). A loop's rounds are generated as far as they go.
func (p *Process) LinesUntil(d time.Duration, max int) []Line {
	var out []Line
	for _, l := range p.Lines {
		if l.At <= d {
			out = append(out, l)
		}
	}
	if p.Loop == nil || d < p.Loop.Start {
		return newest(out, max)
	}
	rounds := int64((d-p.Loop.Start)/p.Loop.Period) + 1
	keep := int64(maxLogLines)
	if max > 0 {
		keep = int64(max)
	}
	// Only the newest rounds can hold the lines kept (every round writes at least one line, or
	// none at all: then a round is as good as any).
	first := max64(0, rounds-keep-1)
	for r := first; r < rounds; r++ {
		for _, l := range p.Loop.Round(r) {
			if l.At <= d {
				out = append(out, l)
			}
		}
	}
	return newest(out, max)
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// maxLogLines bounds what one container's log holds, as the kubelet rotates a container's log
// at containerLogMaxSize (10Mi) and keeps containerLogMaxFiles (5).
const maxLogLines = 100_000

func newest(lines []Line, max int) []Line {
	if max > 0 && len(lines) > max {
		return lines[len(lines)-max:]
	}
	if len(lines) > maxLogLines {
		return lines[len(lines)-maxLogLines:]
	}
	return lines
}

// ContainerArgv is what a container runs: the pod's command and args over the image's
// ENTRYPOINT and CMD, as the kubelet and the OCI spec combine them (a command replaces both; args
// alone replace CMD).
func ContainerArgv(im *Image, command, args []string) []string {
	switch {
	case len(command) > 0:
		return append(append([]string{}, command...), args...)
	case len(args) > 0:
		return append(append([]string{}, im.Entrypoint...), args...)
	}
	return append(append([]string{}, im.Entrypoint...), im.Cmd...)
}

// procEnv is what a process's behaviour depends on besides its argv.
type procEnv struct {
	image *Image
	// ctx is the container as commands see it (pod, hostname, environment).
	ctx      ExecContext
	start    time.Time
	cpus     int
	commands Commands
	scripts  *scriptCache // the node's parsed scripts (nil: parse each time)
	files    Files        // an exec's view of the container's files (nil: the runtime's own)
}

// interpret works out what argv does in a container of env.image.
func interpret(env procEnv, argv []string) *Process {
	p := &Process{Argv: argv}
	if len(argv) == 0 {
		p.StartError = runcError(`exec: "": executable file not found in $PATH`)
		return p
	}
	if !env.hasExecutable(argv[0]) {
		p.StartError = runcError(fmt.Sprintf("exec: %q: executable file not found in $PATH", argv[0]))
		return p
	}
	s := &shell{env: env, p: p, lines: &p.Lines, budget: maxCommands}
	s.runArgv(argv)
	s.finish()
	return p
}

// runcError is the error containerd returns when runc cannot exec the container's process (runc
// v1.3 libcontainer/standard_init_linux.go; containerd v2.1.3 wraps it in "failed to create
// containerd task: failed to create shim task: OCI runtime create failed: runc create failed:").
func runcError(cause string) string {
	return "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: " +
		"unable to start container process: error during container init: " + cause + ": unknown"
}

// hasExecutable tells whether a command names a program the image has.
func (e procEnv) hasExecutable(name string) bool {
	base := name[strings.LastIndex(name, "/")+1:]
	im := e.image
	for _, ep := range append(append([]string{}, im.Entrypoint...), im.Cmd...) {
		if ep == name || ep[strings.LastIndex(ep, "/")+1:] == base {
			return true
		}
	}
	if im.Shell != "" && (base == "sh" || base == "ash" && im.BusyBox) {
		return true
	}
	for _, b := range im.Binaries {
		if b == base {
			return true
		}
	}
	return false
}

func envMap(env []string) map[string]string {
	m := make(map[string]string, len(env))
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}
