package probe

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// userland is the flavour of a container's commands: their error texts differ. Debian-based
// images (nginx, httpd, redis) have GNU coreutils and dash; busybox and alpine have BusyBox.
type userland int

const (
	gnu userland = iota
	busybox
)

// fsys is a container's simulated filesystem: regular files with their content, and directories.
type fsys struct {
	files map[string]string
	dirs  map[string]bool
}

func newFS(dirs []string, files map[string]string) *fsys {
	f := &fsys{files: map[string]string{}, dirs: map[string]bool{"/": true}}
	for _, d := range dirs {
		f.mkdirAll(d)
	}
	for p, content := range files {
		f.mkdirAll(path.Dir(p))
		f.files[p] = content
	}
	return f
}

func (f *fsys) mkdirAll(dir string) {
	for d := path.Clean(dir); d != "/" && d != "."; d = path.Dir(d) {
		f.dirs[d] = true
	}
}

// abs makes p absolute, relative to / (a container's working directory, as far as probes go).
func abs(p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return path.Clean(p)
}

// execResult is what a command run in a container gave back.
type execResult struct {
	Output   string
	ExitCode int
	TimedOut bool
}

// shell runs commands against a filesystem, the way a container's sh and coreutils would, for
// the small set of commands probes and start scripts use.
type shell struct {
	land    userland
	fs      *fsys
	out     strings.Builder
	elapsed time.Duration // simulated time the commands took (sleep)
	limit   time.Duration // stop when elapsed reaches it (a probe's timeout); zero: none
}

// errTimeout stops a script whose sleeps outlast the limit.
type errTimeout struct{}

func (errTimeout) Error() string { return "timed out" }

// commandPaths are where the container's commands live, so /bin/cat is cat.
var commandPaths = []string{"/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/", "/usr/local/bin/"}

// commandName is argv[0] as the simulated container resolves it: a bare name, or a path in one
// of the usual directories. ok is false for a path elsewhere.
func commandName(arg string) (string, bool) {
	if !strings.Contains(arg, "/") {
		return arg, true
	}
	for _, dir := range commandPaths {
		if name, found := strings.CutPrefix(arg, dir); found && !strings.Contains(name, "/") {
			return name, true
		}
	}
	return "", false
}

// execDirect runs argv as the container runtime's exec does: no shell unless argv names one. A
// command the image does not have fails to start, with containerd's (runc's) message.
func (sh *shell) execDirect(argv []string) execResult {
	name, ok := commandName(argv[0])
	if !ok || !sh.known(name) {
		// containerd v2.1 / runc: the exec fails before the process starts.
		detail := fmt.Sprintf("exec: %q: executable file not found in $PATH", argv[0])
		if strings.Contains(argv[0], "/") {
			detail = fmt.Sprintf("exec: %q: stat %s: no such file or directory", argv[0], argv[0])
		}
		return execResult{Output: "OCI runtime exec failed: exec failed: unable to start container process: " + detail + ": unknown\r\n", ExitCode: 126}
	}
	code, err := sh.run(name, argv[1:])
	return sh.result(code, err)
}

func (sh *shell) result(code int, err error) execResult {
	if _, ok := err.(errTimeout); ok {
		return execResult{Output: sh.out.String(), ExitCode: -1, TimedOut: true}
	}
	return execResult{Output: sh.out.String(), ExitCode: code}
}

// known lists the commands the simulated images have.
func (sh *shell) known(name string) bool {
	switch name {
	case "sh", "cat", "test", "[", "true", "false", "ls", "echo", "touch", "rm", "mkdir", "sleep":
		return true
	case "bash":
		return sh.land == gnu
	}
	return false
}

// parseScript parses a shell script as POSIX sh.
func parseScript(script string) (*syntax.File, error) {
	return syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(script), "")
}

// script runs a `sh -c` script.
func (sh *shell) script(src string) (int, error) {
	f, err := parseScript(src)
	if err != nil {
		sh.errorf("sh", "Syntax error: %s", shortSyntaxError(err))
		return 2, nil
	}
	code := 0
	for _, st := range f.Stmts {
		if code, err = sh.stmt(st); err != nil {
			return code, err
		}
	}
	return code, nil
}

func shortSyntaxError(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.HasPrefix(msg, "1:") {
		return msg[i+2:]
	}
	return msg
}

// errorf writes a command's error line as the userland prints it: dash prefixes "sh: 1: ",
// BusyBox "sh: ".
func (sh *shell) errorf(cmd, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if cmd == "sh" && sh.land == gnu {
		cmd = "sh: 1"
	}
	sh.out.WriteString(cmd + ": " + msg + "\n")
}

func (sh *shell) stmt(st *syntax.Stmt) (int, error) {
	if st.Background || st.Coprocess {
		return sh.unsupported("&")
	}
	var code int
	var err error
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		code, err = sh.call(c, st.Redirs)
	case *syntax.BinaryCmd:
		code, err = sh.binary(c)
	case nil:
	default:
		return sh.unsupported(fmt.Sprintf("%T", c))
	}
	if err != nil {
		return code, err
	}
	if st.Negated {
		if code == 0 {
			return 1, nil
		}
		return 0, nil
	}
	return code, nil
}

// unsupported answers a construct the simulation does not run (loops, pipes, substitutions).
func (sh *shell) unsupported(what string) (int, error) {
	sh.errorf("sh", "%s: not supported by the simulated container", strings.TrimPrefix(what, "*syntax."))
	return 2, nil
}

func (sh *shell) binary(c *syntax.BinaryCmd) (int, error) {
	switch c.Op {
	case syntax.AndStmt, syntax.OrStmt:
	default:
		return sh.unsupported(c.Op.String())
	}
	code, err := sh.stmt(c.X)
	if err != nil {
		return code, err
	}
	if (c.Op == syntax.AndStmt) == (code == 0) {
		return sh.stmt(c.Y)
	}
	return code, nil
}

func (sh *shell) call(c *syntax.CallExpr, redirs []*syntax.Redirect) (int, error) {
	args, err := expand.Fields(nil, c.Args...)
	if err != nil {
		return sh.unsupported("expansion")
	}
	if len(args) == 0 {
		return 0, nil
	}
	// Output redirected to a file (echo ok > /tmp/healthy) or thrown away (>/dev/null).
	var target string
	appendTo := false
	for _, r := range redirs {
		w, err := expand.Literal(nil, r.Word)
		if err != nil {
			return sh.unsupported("redirection")
		}
		switch r.Op {
		case syntax.RdrOut, syntax.ClbOut:
			target, appendTo = w, false
		case syntax.AppOut:
			target, appendTo = w, true
		case syntax.DplOut:
			// 2>&1 and the like: output stays combined, as the runtime returns it.
		default:
			return sh.unsupported("redirection " + r.Op.String())
		}
	}
	if target == "" {
		return sh.command(args)
	}
	saved := sh.out.String()
	sh.out.Reset()
	code, err := sh.command(args)
	produced := sh.out.String()
	sh.out.Reset()
	sh.out.WriteString(saved)
	if target != "/dev/null" {
		p := abs(target)
		if !sh.fs.dirs[path.Dir(p)] {
			sh.errorf("sh", "cannot create %s: Directory nonexistent", target)
			return 2, err
		}
		if appendTo {
			produced = sh.fs.files[p] + produced
		}
		sh.fs.files[p] = produced
	}
	return code, err
}

// command runs one simple command inside a script.
func (sh *shell) command(args []string) (int, error) {
	name, ok := commandName(args[0])
	if args[0] == "exit" {
		if len(args) > 1 {
			n, _ := strconv.Atoi(args[1])
			return n & 0xff, nil
		}
		return 0, nil
	}
	if !ok || !sh.known(name) {
		sh.errorf("sh", "%s: not found", args[0])
		return 127, nil
	}
	return sh.run(name, args[1:])
}

// run runs a known command with its arguments.
func (sh *shell) run(name string, args []string) (int, error) {
	switch name {
	case "true":
		return 0, nil
	case "false":
		return 1, nil
	case "sh", "bash":
		if len(args) >= 2 && args[0] == "-c" {
			return sh.script(args[1])
		}
		return sh.unsupported(name + " without -c")
	case "echo":
		sh.out.WriteString(strings.Join(args, " ") + "\n")
		return 0, nil
	case "sleep":
		return sh.sleep(args)
	case "cat":
		return sh.cat(args)
	case "test":
		return sh.test(args)
	case "[":
		if len(args) == 0 || args[len(args)-1] != "]" {
			sh.errorf("[", "missing ]")
			return 2, nil
		}
		return sh.test(args[:len(args)-1])
	case "ls":
		return sh.ls(args)
	case "touch":
		return sh.touch(args)
	case "rm":
		return sh.rm(args)
	case "mkdir":
		for _, a := range args {
			if !strings.HasPrefix(a, "-") {
				sh.fs.mkdirAll(abs(a))
			}
		}
		return 0, nil
	}
	return 127, nil
}

func (sh *shell) sleep(args []string) (int, error) {
	var total time.Duration
	for _, a := range args {
		d, ok := parseSleep(a)
		if !ok {
			if sh.land == gnu {
				sh.errorf("sleep", "invalid time interval '%s'", a)
			} else {
				sh.errorf("sleep", "invalid number '%s'", a)
			}
			return 1, nil
		}
		total = min(total+d, forever)
	}
	if len(args) == 0 {
		sh.errorf("sleep", "missing operand")
		return 1, nil
	}
	if sh.limit > 0 && sh.elapsed+total >= sh.limit {
		sh.elapsed = sh.limit
		return -1, errTimeout{}
	}
	sh.elapsed = min(sh.elapsed+total, forever)
	return 0, nil
}

// forever is how long `sleep infinity` sleeps.
const forever = 100 * 365 * 24 * time.Hour

// parseSleep reads sleep's argument: seconds, with an optional s, m, h or d suffix.
func parseSleep(a string) (time.Duration, bool) {
	if a == "infinity" {
		return forever, true
	}
	unit := time.Second
	switch {
	case strings.HasSuffix(a, "s"):
		a = strings.TrimSuffix(a, "s")
	case strings.HasSuffix(a, "m"):
		a, unit = strings.TrimSuffix(a, "m"), time.Minute
	case strings.HasSuffix(a, "h"):
		a, unit = strings.TrimSuffix(a, "h"), time.Hour
	case strings.HasSuffix(a, "d"):
		a, unit = strings.TrimSuffix(a, "d"), 24*time.Hour
	}
	f, err := strconv.ParseFloat(a, 64)
	if err != nil || f < 0 || f > float64(forever/unit) {
		return 0, false
	}
	return time.Duration(f * float64(unit)), true
}

func operands(args []string) []string {
	var out []string
	for _, a := range args {
		if !strings.HasPrefix(a, "-") || a == "-" {
			out = append(out, a)
		}
	}
	return out
}

func (sh *shell) cat(args []string) (int, error) {
	code := 0
	for _, a := range operands(args) {
		p := abs(a)
		if content, ok := sh.fs.files[p]; ok {
			sh.out.WriteString(content)
			continue
		}
		code = 1
		switch {
		case sh.fs.dirs[p] && sh.land == gnu:
			sh.errorf("cat", "%s: Is a directory", a)
		case sh.fs.dirs[p]:
			sh.errorf("cat", "read error: Is a directory")
		case sh.land == gnu:
			sh.errorf("cat", "%s: No such file or directory", a)
		default:
			sh.errorf("cat", "can't open '%s': No such file or directory", a)
		}
	}
	return code, nil
}

// test evaluates the file tests probes use (-e, -f, -d, -s), with ! and no argument.
func (sh *shell) test(args []string) (int, error) {
	negate := false
	if len(args) > 0 && args[0] == "!" {
		negate, args = true, args[1:]
	}
	var ok bool
	switch {
	case len(args) == 0:
		ok = false
	case len(args) == 1:
		ok = args[0] != ""
	case len(args) == 2 && strings.HasPrefix(args[0], "-"):
		p := abs(args[1])
		content, isFile := sh.fs.files[p]
		switch args[0] {
		case "-e":
			ok = isFile || sh.fs.dirs[p]
		case "-f":
			ok = isFile
		case "-d":
			ok = sh.fs.dirs[p]
		case "-s":
			ok = isFile && content != ""
		case "-n":
			ok = args[1] != ""
		case "-z":
			ok = args[1] == ""
		default:
			return sh.unsupported("test " + args[0])
		}
	case len(args) == 3 && (args[1] == "=" || args[1] == "!="):
		ok = (args[0] == args[2]) == (args[1] == "=")
	default:
		return sh.unsupported("test expression")
	}
	if ok != negate {
		return 0, nil
	}
	return 1, nil
}

func (sh *shell) ls(args []string) (int, error) {
	code := 0
	for _, a := range operands(args) {
		p := abs(a)
		if _, ok := sh.fs.files[p]; ok {
			sh.out.WriteString(a + "\n")
			continue
		}
		if sh.fs.dirs[p] {
			for _, name := range sh.fs.list(p) {
				sh.out.WriteString(name + "\n")
			}
			continue
		}
		if sh.land == gnu {
			sh.errorf("ls", "cannot access '%s': No such file or directory", a)
			code = 2
		} else {
			sh.errorf("ls", "%s: No such file or directory", a)
			code = 1
		}
	}
	return code, nil
}

// list is the sorted names directly in dir.
func (f *fsys) list(dir string) []string {
	seen := map[string]bool{}
	add := func(p string) {
		if path.Dir(p) == dir && p != dir {
			seen[path.Base(p)] = true
		}
	}
	for p := range f.files {
		add(p)
	}
	for p := range f.dirs {
		add(p)
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func (sh *shell) touch(args []string) (int, error) {
	code := 0
	for _, a := range operands(args) {
		p := abs(a)
		if sh.fs.dirs[p] {
			continue
		}
		if !sh.fs.dirs[path.Dir(p)] {
			if sh.land == gnu {
				sh.errorf("touch", "cannot touch '%s': No such file or directory", a)
			} else {
				sh.errorf("touch", "%s: No such file or directory", a)
			}
			code = 1
			continue
		}
		if _, ok := sh.fs.files[p]; !ok {
			sh.fs.files[p] = ""
		}
	}
	return code, nil
}

func (sh *shell) rm(args []string) (int, error) {
	force, recursive := false, false
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			force = force || strings.Contains(a, "f")
			recursive = recursive || strings.ContainsAny(a, "rR")
		}
	}
	code := 0
	for _, a := range operands(args) {
		p := abs(a)
		if _, ok := sh.fs.files[p]; ok {
			delete(sh.fs.files, p)
			continue
		}
		if sh.fs.dirs[p] && recursive {
			sh.fs.removeTree(p)
			continue
		}
		if force && !sh.fs.dirs[p] {
			continue
		}
		code = 1
		switch {
		case sh.fs.dirs[p] && sh.land == gnu:
			sh.errorf("rm", "cannot remove '%s': Is a directory", a)
		case sh.fs.dirs[p]:
			sh.errorf("rm", "'%s' is a directory", a)
		case sh.land == gnu:
			sh.errorf("rm", "cannot remove '%s': No such file or directory", a)
		default:
			sh.errorf("rm", "can't remove '%s': No such file or directory", a)
		}
	}
	return code, nil
}

func (f *fsys) removeTree(dir string) {
	for p := range f.files {
		if strings.HasPrefix(p, dir+"/") {
			delete(f.files, p)
		}
	}
	for p := range f.dirs {
		if p == dir || strings.HasPrefix(p, dir+"/") {
			delete(f.dirs, p)
		}
	}
}
