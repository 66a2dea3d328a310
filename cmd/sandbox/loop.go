package sandbox

import (
	"errors"
	"fmt"
	"io"

	"golang.org/x/term"

	"github.com/k8slearn/k8slearn/cmd/lines"
)

// MaxLineBytes bounds one input line. Longer lines are refused whole (and skipped), never cut
// and half-run.
const MaxLineBytes = 1 << 20

// LineReader reads the learner's lines. The prompt is a function because only a reader that
// shows it needs it: computing it asks the cluster who acts next.
type LineReader interface {
	ReadLine(prompt func() string) (string, error)
}

// PlainReader reads lines from a stream: scripts, pipes, tests and screen readers.
type PlainReader struct{ r *lines.Reader }

// NewPlainReader reads from r.
func NewPlainReader(r io.Reader) *PlainReader {
	return &PlainReader{r: lines.NewReader(r, MaxLineBytes)}
}

// ReadLine returns the next line without its end; the prompt is not shown. A line over
// MaxLineBytes is a *lines.TooLongError.
func (p *PlainReader) ReadLine(func() string) (string, error) { return p.r.ReadLine() }

// TermReader is a line editor with history on a real terminal.
type TermReader struct{ t *term.Terminal }

// NewTermReader edits lines on rw (a terminal in raw mode).
func NewTermReader(rw io.ReadWriter) *TermReader { return &TermReader{t: term.NewTerminal(rw, "")} }

// Writer is where output must go while the line editor owns the terminal (it turns \n into \r\n).
func (t *TermReader) Writer() io.Writer { return t.t }

// SetPrompt changes the prompt of the line being edited, and shows it at once.
func (t *TermReader) SetPrompt(prompt string) {
	t.t.SetPrompt(prompt)
	_, _ = t.t.Write(nil) // redraws the prompt and the line typed so far
}

// ReadLine shows the prompt and reads a line; Ctrl-C and Ctrl-D end the session.
func (t *TermReader) ReadLine(prompt func() string) (string, error) {
	t.t.SetPrompt(prompt())
	return t.t.ReadLine()
}

// Loop reads and runs lines until exit or end of input. With echo (plain mode) each line is
// written back as "$ line" before its output, so a script's transcript reads like a terminal
// session.
func Loop(s *Session, r LineReader, echo bool) {
	s.Banner()
	for {
		line, err := r.ReadLine(s.Prompt)
		var tooLong *lines.TooLongError
		if errors.As(err, &tooLong) {
			if echo {
				fmt.Fprintln(s.out, "$ "+s.T("sandbox.line_elided"))
			}
			s.println(s.T("sandbox.line_too_long", map[string]any{"Size": tooLong.Size, "Max": tooLong.Max}))
			continue
		}
		if err != nil {
			return
		}
		if echo {
			fmt.Fprintln(s.out, "$ "+line)
		}
		if s.Exec(line) {
			return
		}
	}
}
