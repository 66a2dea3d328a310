package cli

import (
	"fmt"
	"os"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/k8slearn/k8slearn/cmd/prompt"
	"github.com/k8slearn/k8slearn/cmd/sandbox"
	"github.com/k8slearn/k8slearn/locales"
)

// stopWait is how long a signal waits for the command to reach its next prompt before the program
// leaves without saving (progress is saved after every answer anyway).
const stopWait = 2 * time.Second

// stopGuard ends a sandbox or a lesson cleanly on SIGINT, SIGTERM or SIGHUP: progress saved first,
// the terminal put back as it was (survey and the sandbox's line editor leave it raw while they
// read), a last line, and the shell's status for the signal (128+N: 130, 143, 129).
//
// The command holds the guard while it works and lets go only while it waits for input, where it
// cannot be woken (a read from a terminal). A signal takes the guard, so it never saves a record
// the command is halfway through changing, and exits from there: the command's read never returns.
type stopGuard struct {
	held chan struct{} // full while the command works; the signal handler fills it to act
	save func() error  // the progress to save first (nil: none); set while holding the guard
	// cleanup runs on a signal even when the command does not reach a prompt in time: a real
	// cluster's lesson namespace is deleted however the lesson ends.
	cleanup func()
	restore func()
	io      IO
	l       *locales.Localizer
	lastMsg string // message ID of the line printed on the way out
	wait    time.Duration
	done    chan struct{}
	stopSig func()
}

// startGuard guards the calling command until release. Without io.Signals it only serialises.
func startGuard(io IO, l *locales.Localizer, lastMsg string) *stopGuard {
	g := &stopGuard{held: make(chan struct{}, 1), restore: func() {}, io: io, l: l, lastMsg: lastMsg,
		wait: stopWait, done: make(chan struct{}), stopSig: func() {}}
	g.held <- struct{}{}
	if io.Signals == nil || io.Exit == nil {
		return g
	}
	if io.Terminal {
		if state, err := term.GetState(io.Fd); err == nil {
			g.restore = func() { _ = term.Restore(io.Fd, state) }
		}
	}
	sigs, stop := io.Signals()
	g.stopSig = stop
	go func() {
		select {
		case sig := <-sigs:
			g.stop(sig)
		case <-g.done:
		}
	}()
	return g
}

// stop is what a signal does.
func (g *stopGuard) stop(sig os.Signal) {
	took := false
	select {
	case g.held <- struct{}{}:
		took = true
	case <-time.After(g.wait):
	}
	if took && g.save != nil {
		if err := g.save(); err != nil {
			fmt.Fprintln(g.io.Err, g.l.Error(err))
		}
	}
	g.restore()
	fmt.Fprintln(g.io.Out)
	fmt.Fprintln(g.io.Out, g.l.T(g.lastMsg))
	if g.cleanup != nil {
		g.cleanup()
	}
	g.io.Exit(signalStatus(sig))
	if took { // Exit returned: only in tests
		<-g.held
	}
}

// signalStatus is the status a shell reports for a process a signal ended: 128+N.
func signalStatus(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}

// setSave names the progress a signal saves first. The command holds the guard when it calls it.
func (g *stopGuard) setSave(save func() error) { g.save = save }

// setCleanup names what a signal does last, whether or not the command reached a prompt.
func (g *stopGuard) setCleanup(cleanup func()) { g.cleanup = cleanup }

// idle lets go of the guard while wait runs: the command waits for input.
func (g *stopGuard) idle(wait func()) {
	<-g.held
	defer func() { g.held <- struct{}{} }()
	wait()
}

// release ends the guard when the command is done; signals have their default action again.
func (g *stopGuard) release() {
	g.stopSig()
	close(g.done)
	<-g.held
}

// guardedPrompter is a Prompter that lets go of the guard while it waits for the learner.
type guardedPrompter struct {
	p prompt.Prompter
	g *stopGuard
}

func (gp guardedPrompter) Ask(label string) (line string, err error) {
	gp.g.idle(func() { line, err = gp.p.Ask(label) })
	return line, err
}

func (gp guardedPrompter) Pause(label string) (typed string, err error) {
	gp.g.idle(func() { typed, err = gp.p.Pause(label) })
	return typed, err
}

func (gp guardedPrompter) Select(label string, options []prompt.Option, def int) (i int, err error) {
	gp.g.idle(func() { i, err = gp.p.Select(label, options, def) })
	return i, err
}

// guardedReader is the sandbox's LineReader, letting go of the guard while it waits.
type guardedReader struct {
	r sandbox.LineReader
	g *stopGuard
}

func (gr guardedReader) ReadLine(prompt func() string) (line string, err error) {
	gr.g.idle(func() { line, err = gr.r.ReadLine(prompt) })
	return line, err
}
