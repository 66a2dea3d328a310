// Package cli holds k8slearn's cobra commands. Each is built by a constructor that takes the
// process's I/O, so tests run them on buffers.
package cli

import (
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"github.com/k8slearn/k8slearn/engine/kubectl"
)

// IO is everything a command touches outside the program.
type IO struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	Getenv func(string) string
	// Terminal is set when stdin and stdout are both terminals: prompts with line editing and
	// colour are possible. Fd is stdin's descriptor, for raw mode.
	Terminal bool
	Fd       int
	Files    kubectl.Files // where kubectl -f finds files
	// Signals starts delivering SIGINT, SIGTERM and SIGHUP on the channel it returns, until stop
	// is called (nil: they keep their default action). Exit ends the process: a signal that
	// arrives while a command waits for terminal input cannot wake it.
	Signals func() (sigs <-chan os.Signal, stop func())
	Exit    func(code int)
}

// SystemIO is the real process's I/O.
func SystemIO() IO {
	in, out := int(os.Stdin.Fd()), int(os.Stdout.Fd())
	return IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Getenv: os.Getenv,
		Terminal: term.IsTerminal(in) && term.IsTerminal(out), Fd: in, Files: kubectl.OSFiles(),
		Signals: func() (<-chan os.Signal, func()) {
			ch := make(chan os.Signal, 1)
			signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
			return ch, func() { signal.Stop(ch) }
		},
		Exit: os.Exit}
}

// colorOn decides colour once: only on a terminal, and not when NO_COLOR is set, TERM is dumb or
// --no-color was given.
func colorOn(io IO, noColor bool) bool {
	return io.Terminal && !noColor && io.Getenv("NO_COLOR") == "" && io.Getenv("TERM") != "dumb"
}

// readWriter joins a terminal's input and output for the line editor.
type readWriter struct {
	io.Reader
	io.Writer
}

// debugOut is where the stack of a command that panicked goes: standard error when K8SLEARN_DEBUG
// is set, nowhere otherwise (the learner sees one line).
func debugOut(io IO) io.Writer {
	if io.Getenv("K8SLEARN_DEBUG") == "" {
		return nil
	}
	return io.Err
}
