package probe

import (
	"time"

	"mvdan.cc/sh/v3/syntax"
)

// script is a container's start command as it runs over time, so far as it changes files:
// `sh -c "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"` creates the file at once
// and removes it 30 s later. Top-level statements run in order, each when the sleeps before it
// are over; a construct the simulation does not run (a loop) ends the script there.
type script struct {
	stmts []*syntax.Stmt
	next  int           // the statement that runs next
	at    time.Duration // when it runs, from the container's start
}

// newScript reads a container's argv: `sh -c SCRIPT`, or one command.
func newScript(argv []string) *script {
	src := ""
	switch {
	case len(argv) >= 3 && isShell(argv[0]) && argv[1] == "-c":
		src = argv[2]
	case len(argv) > 0:
		for i, a := range argv {
			q, err := syntax.Quote(a, syntax.LangPOSIX)
			if err != nil {
				return &script{}
			}
			if i > 0 {
				src += " "
			}
			src += q
		}
	}
	f, err := parseScript(src)
	if err != nil {
		return &script{}
	}
	return &script{stmts: f.Stmts}
}

func isShell(arg string) bool {
	name, ok := commandName(arg)
	return ok && (name == "sh" || name == "bash" || name == "ash")
}

// advance runs the statements due by elapsed.
func (s *script) advance(land userland, fs *fsys, elapsed time.Duration) {
	for s.next < len(s.stmts) && s.at <= elapsed {
		st := s.stmts[s.next]
		sh := &shell{land: land, fs: fs}
		if c, ok := st.Cmd.(*syntax.CallExpr); ok && len(c.Args) > 0 && c.Args[0].Lit() == "exit" {
			s.next = len(s.stmts)
			return
		}
		switch st.Cmd.(type) {
		case *syntax.CallExpr, *syntax.BinaryCmd:
		default:
			s.next = len(s.stmts)
			return
		}
		_, _ = sh.stmt(st)
		s.at = min(s.at+sh.elapsed, forever)
		s.next++
	}
}
