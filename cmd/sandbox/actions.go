package sandbox

// ActionReader reads the learner's lines and, between them, the actions a live page asks for
// (its step and run buttons), which the session then runs as if they were typed. Everything the
// session does stays on its own goroutine: only the waiting for a line happens on another.
type ActionReader struct {
	r       LineReader
	actions <-chan string
	lines   chan lineRead
	reading bool // a read of r is under way
}

type lineRead struct {
	line string
	err  error
}

// promptSetter is a reader whose prompt can change while it waits for a line (the terminal's).
type promptSetter interface{ SetPrompt(string) }

// NewActionReader reads lines from r and, while it waits for one, session commands from
// actions (its sender must never block on it: a page that asks twice is told to wait).
func NewActionReader(r LineReader, actions <-chan string) *ActionReader {
	return &ActionReader{r: r, actions: actions, lines: make(chan lineRead, 1)}
}

// ReadLine returns the next line typed, or an action asked for while waiting for it. The
// prompt is computed here, on the session's goroutine, and only for a reader that shows it:
// computing it asks the cluster who acts next.
func (a *ActionReader) ReadLine(prompt func() string) (string, error) {
	_, shows := a.r.(promptSetter)
	if !a.reading {
		a.reading = true
		text := ""
		if shows {
			text = prompt()
		}
		go func() {
			line, err := a.r.ReadLine(func() string { return text })
			a.lines <- lineRead{line, err}
		}()
	} else if shows {
		a.r.(promptSetter).SetPrompt(prompt()) // an action ran: who acts next may have changed
	}
	select {
	case got := <-a.lines:
		a.reading = false
		return got.line, got.err
	case action := <-a.actions:
		return action, nil
	}
}
