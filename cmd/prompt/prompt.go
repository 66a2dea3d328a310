// Package prompt asks the learner things. Two implementations share one interface: Plain reads
// lines from any stream (scripts, tests, screen readers, pipes); Survey draws prompts on a real
// terminal with line editing and arrow-key menus.
package prompt

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/k8slearn/k8slearn/cmd/lines"
)

// ErrInterrupted is returned when the learner presses Ctrl-C.
var ErrInterrupted = errors.New("interrupted")

// Prompter is what lessons and menus use to ask.
type Prompter interface {
	// Ask shows label and returns the line the learner typed (io.EOF at the end of input).
	Ask(label string) (string, error)
	// Pause waits for Enter before the story goes on, and returns what was typed before it (a
	// learner may type a command there); without a terminal it returns "" at once.
	Pause(label string) (string, error)
	// Select offers options, with def chosen unless the learner moves, and returns the index
	// chosen.
	Select(label string, options []Option, def int) (int, error)
}

// Option is one choice of a Select: what it is (Value, shown again once chosen) and more about it
// (Detail, shown beside it in the list). Values are unique.
type Option struct {
	Value, Detail string
}

// Plain reads answers line by line from one shared reader and echoes each as "> line", so a
// transcript shows what was answered.
type Plain struct {
	in   *lines.Reader
	out  io.Writer
	echo bool
}

// NewPlain reads from in and writes prompts and echoes to out.
func NewPlain(in io.Reader, out io.Writer) *Plain {
	return &Plain{in: lines.NewReader(in, MaxAnswer), out: out, echo: true}
}

// MaxAnswer bounds one answer line (an answer is never that long). A longer line is read through
// in bounded memory, dropped, and returned as a *lines.TooLongError; nothing is echoed.
const MaxAnswer = 64 << 10

// Ask implements Prompter.
func (p *Plain) Ask(label string) (string, error) {
	if label != "" {
		fmt.Fprintln(p.out, label)
	}
	line, err := p.in.ReadLine()
	if err != nil {
		return "", err
	}
	if p.echo {
		fmt.Fprintln(p.out, "> "+line)
	}
	return line, nil
}

// Pause implements Prompter: plain mode never waits, so nothing is typed at a pause.
func (p *Plain) Pause(string) (string, error) { return "", nil }

// Select implements Prompter: numbered options, then a number (or the option's text) on a line.
// There is no cursor to start anywhere, so def plays no part.
func (p *Plain) Select(label string, options []Option, _ int) (int, error) {
	fmt.Fprintln(p.out, "? "+label)
	for i, o := range options {
		fmt.Fprintf(p.out, "  %d) %s\n", i+1, strings.TrimRight(o.Value+"  "+o.Detail, " "))
	}
	for {
		line, err := p.Ask("")
		if errors.As(err, new(*lines.TooLongError)) {
			line = ""
		} else if err != nil {
			return 0, err
		}
		line = strings.TrimSpace(line)
		if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(options) {
			return n - 1, nil
		}
		for i, o := range options {
			if v := strings.TrimSpace(o.Value); strings.EqualFold(line, v) || strings.HasPrefix(v, line+" ") {
				return i, nil
			}
		}
		fmt.Fprintf(p.out, "  1-%d\n", len(options))
	}
}
