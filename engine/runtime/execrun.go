package runtime

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ErrNotSimulated is what Exec returns for a command the simulation does not follow (a program
// that never ends, options it does not know): the caller says so in the learner's language.
var ErrNotSimulated = errors.New("command not simulated")

// ErrContainerNotRunning is what Exec returns when the container has no running process.
var ErrContainerNotRunning = errors.New("container not running")

// ExecError is a failed exec as containerd reports it (internal/cri/server/container_execsync.go:
// "failed to exec in container: failed to start exec %q: %w" around runc's error), which the
// streaming server wraps in "error executing command in container: %v" (k8s.io/kubelet
// pkg/cri/streaming/remotecommand/exec.go) and sends as an InternalError Status.
type ExecError struct{ Msg string }

func (e *ExecError) Error() string { return e.Msg }

// Files answers, for one exec, the commands that read or change the container's files (cat, ls,
// test, touch, rm…) from the files the kubelet keeps for the container's probes: those its
// command created or removed, and those earlier execs changed. handled is false for what it does
// not know: the runtime's own commands answer that (/etc/hostname, /etc/resolv.conf).
type Files func(argv []string) (stdout, stderr string, code int, handled bool)

// Exec runs argv in a running container, as `kubectl exec` does, and returns its exit code. The
// commands are the runtime's Commands, the programs and builtins of the simulated shell, and
// files (nil: none) for the container's files; `kill 1` signals the container's main process.
func (r *Runtime) Exec(pod, container string, argv []string, files Files, out, errOut io.Writer) (int, error) {
	inst, ok := r.Container(pod, container, false)
	if !ok || !inst.Running() {
		return 0, ErrContainerNotRunning
	}
	if len(argv) == 0 {
		return 0, ErrNotSimulated
	}
	env := procEnv{image: inst.Image, ctx: inst.ctx, start: r.clock.Now(), cpus: r.cpus, commands: r.commands, scripts: r.scripts, files: files}
	if !env.hasExecutable(argv[0]) {
		return 0, &ExecError{Msg: fmt.Sprintf("error executing command in container: failed to exec in container: failed to start exec %q: "+
			"OCI runtime exec failed: exec failed: unable to start container process: exec: %q: executable file not found in $PATH: unknown",
			r.containerID(), argv[0])}
	}
	if base := argv[0][strings.LastIndex(argv[0], "/")+1:]; base == "kill" {
		return r.kill(pod, container, inst, argv, errOut), nil
	}
	var lines []Line
	p := &Process{}
	s := &shell{env: env, p: p, lines: &lines, budget: maxCommands, execMode: true}
	s.runArgv(argv)
	if p.Unsupported {
		return 0, ErrNotSimulated
	}
	for _, l := range lines {
		w := out
		if l.Stderr {
			w = errOut
		}
		fmt.Fprintln(w, l.Text)
	}
	return s.code, nil
}

// kill is `kill [-SIGNAL] PID`. Only the container's PID 1 is simulated: SIGTERM ends a process
// with a handler (nginx: the container exits and the kubelet restarts it); a PID 1 without one
// ignores it, and the kernel does not deliver SIGKILL to a namespace's init from inside it.
func (r *Runtime) kill(pod, container string, inst *Instance, argv []string, errOut io.Writer) int {
	sig, pids := "TERM", argv[1:]
	if len(pids) > 0 && strings.HasPrefix(pids[0], "-") {
		sig, pids = strings.TrimPrefix(strings.TrimPrefix(pids[0], "-"), "SIG"), pids[1:]
	}
	if len(pids) == 0 {
		if inst.Image.BusyBox {
			fmt.Fprintln(errOut, "kill: usage: kill [-s SIG | -SIG | -l] PID...")
		} else {
			fmt.Fprintln(errOut, "kill: not enough arguments")
		}
		return 1
	}
	code := 0
	for _, p := range pids {
		if p != "1" {
			n, err := strconv.Atoi(p)
			switch {
			case err != nil:
				fmt.Fprintf(errOut, "kill: invalid number '%s'\n", p)
			case inst.Image.BusyBox:
				fmt.Fprintf(errOut, "kill: can't kill pid %d: No such process\n", n)
			default:
				fmt.Fprintf(errOut, "kill: (%d): No such process\n", n)
			}
			code = 1
			continue
		}
		if (sig == "TERM" || sig == "15") && inst.Proc.Term != nil {
			r.signal(pod, container, inst, r.clock.Now())
		}
	}
	return code
}
