package runtime

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// shell follows a command line through time: what it writes when, when it sleeps, and how it
// ends. The same shell runs a container's main process (interpret) and `kubectl exec`
// (execMode: nothing waits, and what would run for ever is refused).
type shell struct {
	env  procEnv
	p    *Process
	t    time.Duration
	vars map[string]string // nil until variables() makes it
	code int
	done bool // exited, or a program took over (for ever or until its own end)
	// execMode runs for kubectl exec: sleeps do not wait, and programs that never end are
	// refused.
	execMode bool
	// lines collects output (the process's lines, or a round of a loop).
	lines *[]Line
	// budget bounds the commands one process runs, so that no script can make the simulation
	// loop for ever or grow without bound.
	budget int
	// name is how the shell names itself in its errors ("sh", "bash"), "" outside a shell.
	name string
}

// maxCommands is the most simple commands one process runs (a for loop over many items, nested
// loops): beyond it the script is unsupported.
const maxCommands = 10_000

// variables are the shell's variables, made from the container's environment when first
// needed: most scripts a container runs (`echo …; exit 1`) use none.
func (s *shell) variables() map[string]string {
	if s.vars == nil {
		s.vars = envMap(s.env.ctx.Env)
	}
	return s.vars
}

func (s *shell) emit(text string, stderr bool) {
	if text == "" {
		return
	}
	text = strings.TrimSuffix(text, "\n")
	for _, l := range strings.Split(text, "\n") {
		*s.lines = append(*s.lines, Line{At: s.t, Stderr: stderr, Text: l})
	}
}

func (s *shell) exit(code int) {
	if s.done {
		return
	}
	s.done = true
	s.code = code
	if !s.execMode {
		s.p.Exit = &Exit{At: s.t, Code: code}
	}
}

// forever: the process runs until stopped.
func (s *shell) forever() {
	s.done = true
	if s.execMode {
		s.unsupported()
	}
}

func (s *shell) unsupported() {
	s.done = true
	s.p.Unsupported = true
	s.p.Exit = nil
}

// finish ends a process that ran out of commands: it exits with the last status.
func (s *shell) finish() {
	if !s.done {
		s.exit(s.code)
	}
}

func (s *shell) runSeq(q seq) {
	for _, ao := range q {
		if s.done {
			return
		}
		s.runNode(ao.first)
		for _, c := range ao.rest {
			if s.done {
				return
			}
			if (c.op == "&&") == (s.code == 0) {
				s.runNode(c.cmd)
			}
		}
	}
}

func (s *shell) runNode(n node) {
	if s.budget--; s.budget < 0 {
		s.unsupported()
		return
	}
	switch n := n.(type) {
	case *simple:
		argv := make([]string, 0, len(n.words))
		for _, w := range n.words {
			argv = append(argv, s.expand(w))
			if s.done {
				return
			}
		}
		// NAME=value words before the command are assignments.
		for len(argv) > 0 {
			k, v, ok := strings.Cut(argv[0], "=")
			if !ok || !validName(k) {
				break
			}
			s.variables()[k] = v
			argv = argv[1:]
			s.code = 0
		}
		if len(argv) > 0 {
			s.redirected(n.redirs, func() { s.runArgv(argv) })
		}
	case *loopNode:
		s.runLoop(n)
	case *forNode:
		var items []string
		for _, w := range n.items {
			items = append(items, strings.Fields(s.expand(w))...)
		}
		s.code = 0
		for _, it := range items {
			if s.done {
				return
			}
			s.variables()[n.name] = it
			s.runSeq(n.body)
		}
	case *ifNode:
		for i, c := range n.conds {
			s.runSeq(c)
			if s.done {
				return
			}
			if s.code == 0 {
				s.runSeq(n.bodies[i])
				return
			}
		}
		s.code = 0
		s.runSeq(n.els)
	}
}

// redirected runs a command with its output redirections: the lines it writes go to the other
// stream, or nowhere (a file).
func (s *shell) redirected(redirs []*redirection, run func()) {
	if len(redirs) == 0 {
		run()
		return
	}
	// Where stdout and stderr go: 1, 2, or 0 (away).
	dest := [3]int{0, 1, 2}
	for _, r := range redirs {
		if r.to != 0 {
			dest[r.fd] = dest[r.to]
		} else {
			dest[r.fd] = 0
		}
	}
	from := len(*s.lines)
	run()
	lines := (*s.lines)[:from]
	for _, l := range (*s.lines)[from:] {
		fd := 1
		if l.Stderr {
			fd = 2
		}
		switch dest[fd] {
		case 0:
			continue
		case 2:
			l.Stderr = true
		default:
			l.Stderr = false
		}
		lines = append(lines, l)
	}
	*s.lines = lines
}

// runLoop runs while/until. A loop whose condition is plainly true (`while true`, `while :`,
// `until false`) runs for ever: its first round is worked out, and later rounds are generated
// when the log is read (Process.Loop). Other loops run round by round within the budget.
func (s *shell) runLoop(n *loopNode) {
	endless := len(n.cond) == 1 && len(n.cond[0].rest) == 0 && isConstant(n.cond[0].first, !n.until)
	if !endless || s.execMode {
		for !s.done {
			s.runSeq(n.cond)
			if s.done || (s.code == 0) == n.until {
				break
			}
			s.runSeq(n.body)
			if s.budget < 0 {
				s.unsupported()
			}
		}
		s.code = 0
		return
	}
	// Work out one round from here, on a copy of the shell.
	start := s.t
	vars := cloneVars(s.variables())
	round := func(base time.Duration) (lines []Line, took time.Duration, ended *shell) {
		sub := &shell{env: s.env, p: &Process{}, t: base, vars: cloneVars(vars), lines: &lines, budget: maxCommands, name: s.name}
		sub.runSeq(n.body)
		return lines, sub.t - base, sub
	}
	lines, took, sub := round(start)
	if sub.done || sub.p.Unsupported {
		// The body exits or hands over to a program: one round, and what it led to.
		*s.lines = append(*s.lines, lines...)
		s.t, s.vars, s.code = sub.t, sub.vars, sub.code
		switch {
		case sub.p.Unsupported:
			s.unsupported()
		case sub.p.Exit != nil:
			s.exit(sub.p.Exit.Code)
		default:
			s.p.Exit, s.p.Memory, s.p.MemoryAt, s.p.Term = sub.p.Exit, sub.p.Memory, sub.p.MemoryAt, sub.p.Term
			s.done = true
		}
		return
	}
	if took <= 0 {
		// A loop that never sleeps writes as fast as it can; the simulation gives each round a
		// second, to keep its log readable.
		took = time.Second
	}
	s.p.Loop = &Loop{Start: start, Period: took, Round: func(k int64) []Line {
		out, _, _ := round(start + time.Duration(k)*took)
		return out
	}}
	s.done = true
}

func isConstant(n node, want bool) bool {
	sc, ok := n.(*simple)
	if !ok || len(sc.words) != 1 || len(sc.words[0]) != 1 || sc.words[0][0].kind != partLit {
		return false
	}
	switch sc.words[0][0].text {
	case "true", ":":
		return want
	case "false":
		return !want
	}
	return false
}

func cloneVars(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// expand turns a word into its text: variables and command substitutions replaced.
func (s *shell) expand(w word) string {
	var b strings.Builder
	for _, p := range w {
		switch p.kind {
		case partLit:
			b.WriteString(p.text)
		case partVar:
			switch p.text {
			case "?":
				b.WriteString(strconv.Itoa(s.code))
			case "$":
				b.WriteString("1")
			case "0":
				b.WriteString(s.name)
			default:
				b.WriteString(s.variables()[p.text])
			}
		case partCmd:
			b.WriteString(s.substitute(p.text))
		}
	}
	return b.String()
}

// substitute runs $(…) in a subshell and returns its output without the trailing newlines.
func (s *shell) substitute(script string) string {
	q, err := s.env.scripts.parse(script)
	if err != nil {
		s.unsupported()
		return ""
	}
	var lines []Line
	sub := &shell{env: s.env, p: &Process{}, t: s.t, vars: cloneVars(s.variables()), lines: &lines, budget: s.budget, execMode: true, name: s.name}
	sub.runSeq(q)
	if sub.p.Unsupported {
		s.unsupported()
		return ""
	}
	var out []string
	for _, l := range lines {
		if l.Stderr {
			*s.lines = append(*s.lines, l)
		} else {
			out = append(out, l.Text)
		}
	}
	s.code = sub.code
	return strings.Join(out, "\n")
}

// runArgv runs one command: a shell builtin, a program the simulation knows, or a command of
// env.commands.
func (s *shell) runArgv(argv []string) {
	base := argv[0][strings.LastIndex(argv[0], "/")+1:]
	if s.execMode && s.env.files != nil {
		if out, errOut, code, ok := s.env.files(argv); ok {
			s.emit(out, false)
			s.emit(errOut, true)
			s.code = code
			return
		}
	}
	switch base {
	case "sh", "bash", "ash", "dash":
		s.runShell(base, argv)
		return
	case "exit":
		code := s.code
		if len(argv) > 1 {
			n, err := strconv.Atoi(argv[1])
			if err != nil {
				s.emit(fmt.Sprintf("%s: exit: Illegal number: %s", s.errPrefix(), argv[1]), true)
				n = 2
			}
			code = n & 0xff
		}
		s.exit(code)
		return
	case ":", "true":
		s.code = 0
		return
	case "false":
		s.code = 1
		return
	case "export", "set", "trap", "cd", "wait", "ulimit", "umask", "shift":
		// Builtins that change nothing the simulation shows.
		for _, a := range argv[1:] {
			if k, v, ok := strings.Cut(a, "="); ok && base == "export" && validName(k) {
				s.variables()[k] = v
			}
		}
		s.code = 0
		return
	case "exec":
		if len(argv) > 1 {
			s.runArgv(argv[1:])
			if !s.done {
				s.finish()
			}
		}
		return
	case "sleep":
		s.sleep(argv)
		return
	case "test", "[":
		s.testBuiltin(base, argv[1:])
		return
	}
	if s.name != "" && !s.env.hasExecutable(argv[0]) {
		s.notFound(argv[0])
		return
	}
	if prog, ok := program(base, s.env.image); ok {
		if s.execMode {
			s.unsupported() // exec waits for a program that never ends
			return
		}
		prog(s, argv)
		return
	}
	cmd, ok := s.env.commands[base]
	if !ok {
		s.unsupported()
		return
	}
	var out, errOut bytes.Buffer
	ctx := s.env.execContext(s.t, &out, &errOut)
	ctx.Env = s.environ()
	code := cmd(ctx, argv)
	if code == unsupportedCode {
		s.unsupported()
		return
	}
	s.emit(out.String(), false)
	s.emit(errOut.String(), true)
	s.code = code
}

// environ is the environment a command started by the shell gets, in the order the process got
// it.
func (s *shell) environ() []string {
	if s.vars == nil {
		return s.env.ctx.Env // no variable read or set yet: the environment as the process got it (commands only read it)
	}
	out := make([]string, 0, len(s.env.ctx.Env))
	for _, kv := range s.env.ctx.Env {
		k, v, found := strings.Cut(kv, "=")
		if cur := s.variables()[k]; cur != v || !found {
			kv = k + "=" + cur
		}
		out = append(out, kv)
	}
	return out
}

func (s *shell) errPrefix() string {
	if s.name == "bash" {
		return "bash: line 1"
	}
	if s.env.image != nil && s.env.image.BusyBox {
		return "sh"
	}
	return "sh: 1"
}

// notFound is a shell's "command not found": busybox's and dash's, or bash's.
func (s *shell) notFound(cmd string) {
	switch {
	case s.name == "bash":
		s.emit(fmt.Sprintf("bash: line 1: %s: command not found", cmd), true)
	case s.env.image != nil && s.env.image.BusyBox:
		s.emit(fmt.Sprintf("sh: %s: not found", cmd), true)
	default:
		s.emit(fmt.Sprintf("sh: 1: %s: not found", cmd), true)
	}
	s.code = 127
}

// runShell runs `sh -c SCRIPT`, or a shell without a script, which with no terminal and no
// input exits at once.
func (s *shell) runShell(name string, argv []string) {
	script, ok := "", false
	for i := 1; i < len(argv); i++ {
		if argv[i] == "-c" && i+1 < len(argv) {
			script, ok = argv[i+1], true
			break
		}
		if !strings.HasPrefix(argv[i], "-") {
			break // sh FILE: scripts in files are not simulated
		}
	}
	if !ok {
		if len(argv) > 1 && !strings.HasPrefix(argv[1], "-") {
			s.unsupported()
			return
		}
		s.exit(0)
		return
	}
	q, err := s.env.scripts.parse(script)
	if err != nil {
		if err == errUnsupported {
			s.unsupported()
			return
		}
		prev := s.name
		s.name = name
		s.emit(fmt.Sprintf("%s: %v", s.errPrefix(), err), true)
		s.name = prev
		s.exit(2)
		return
	}
	prev := s.name
	s.name = name
	s.runSeq(q)
	s.name = prev
	if !s.done {
		s.exit(s.code)
	}
}

// sleep waits: `sleep 5`, `sleep 1.5`, `sleep 2m`, `sleep infinity`.
func (s *shell) sleep(argv []string) {
	if len(argv) < 2 {
		s.emit("sleep: missing operand", true)
		s.code = 1
		return
	}
	var total time.Duration
	for _, a := range argv[1:] {
		if a == "infinity" || a == "inf" {
			s.forever()
			return
		}
		d, ok := parseSleep(a)
		if !ok {
			if s.env.image != nil && s.env.image.BusyBox {
				s.emit(fmt.Sprintf("sleep: invalid number '%s'", a), true)
			} else {
				s.emit(fmt.Sprintf("sleep: invalid time interval '%s'", a), true)
			}
			s.code = 1
			return
		}
		total += d
	}
	if !s.execMode {
		s.t += total
	}
	if s.t > maxProcessTime {
		s.forever()
		return
	}
	s.code = 0
}

// maxProcessTime is beyond anything a session waits: a process that sleeps longer runs for ever.
const maxProcessTime = 100 * 365 * 24 * time.Hour

// parseSleep reads sleep's operand: a number, maybe decimal, with an optional s, m, h or d.
func parseSleep(a string) (time.Duration, bool) {
	unit := time.Second
	switch {
	case strings.HasSuffix(a, "s"):
		a = a[:len(a)-1]
	case strings.HasSuffix(a, "m"):
		a, unit = a[:len(a)-1], time.Minute
	case strings.HasSuffix(a, "h"):
		a, unit = a[:len(a)-1], time.Hour
	case strings.HasSuffix(a, "d"):
		a, unit = a[:len(a)-1], 24*time.Hour
	}
	f, err := strconv.ParseFloat(a, 64)
	if err != nil || f < 0 || f != f || f > 1e9 || strings.ContainsAny(a, "eExXpP") {
		return 0, false
	}
	return time.Duration(f * float64(unit)), true
}

// execContext is the context of a command the process runs at offset t.
func (e procEnv) execContext(t time.Duration, out, errOut *bytes.Buffer) *ExecContext {
	ctx := e.ctx
	ctx.Now = e.start.Add(t)
	ctx.Out, ctx.Err = out, errOut
	ctx.Image = e.image
	return &ctx
}
