package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// The end-to-end test runs the built binary in a pseudo-terminal, as a learner would: the menu,
// a lesson with its map, a hint, a wrong and a right answer, Ctrl-C, and resuming.

func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "k8slearn")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[78]|\r`)

// screen collects what the program wrote to the terminal.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ansi.ReplaceAllString(s.buf.String(), "")
}

type session struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	scr  *screen
	done chan error
	seen int // position in the screen text already consumed by waitFor
}

func start(t *testing.T, bin, home string, args ...string) *session {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"K8SLEARN_HOME=" + home, "TERM=xterm-256color", "HOME=" + home, "PATH=" + os.Getenv("PATH")}
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 100})
	if err != nil {
		t.Fatalf("pty: %v", err)
	}
	s := &session{t: t, cmd: cmd, tty: tty, scr: &screen{}, done: make(chan error, 1)}
	go s.pump()
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		tty.Close()
	})
	return s
}

// waitFor waits until one of the patterns appears after what was already consumed, and returns
// which one.
func (s *session) waitFor(patterns ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		text := s.scr.text()
		best, bestAt := "", -1
		for _, p := range patterns {
			if i := strings.Index(text[s.seen:], p); i >= 0 && (bestAt < 0 || i < bestAt) {
				best, bestAt = p, i
			}
		}
		if bestAt >= 0 {
			s.seen += bestAt + len(best)
			return best
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("timed out waiting for %q; screen tail:\n%s", patterns, tail(s.scr.text(), 1500))
	return ""
}

// pump copies the program's output to the screen and, like a terminal, answers its cursor
// position queries (survey's line editor asks with ESC[6n and waits for the reply).
func (s *session) pump() {
	buf := make([]byte, 4096)
	for {
		n, err := s.tty.Read(buf)
		if n > 0 {
			s.scr.Write(buf[:n])
			for range bytes.Count(buf[:n], []byte("\x1b[6n")) {
				_, _ = s.tty.Write([]byte("\x1b[1;1R"))
			}
		}
		if err != nil {
			return
		}
	}
}

func (s *session) send(keys string) {
	s.t.Helper()
	time.Sleep(50 * time.Millisecond) // let the prompt finish drawing
	if _, err := s.tty.Write([]byte(keys)); err != nil {
		s.t.Fatalf("write: %v", err)
	}
}

func (s *session) wait() error {
	select {
	case err := <-s.done:
		return err
	case <-time.After(20 * time.Second):
		s.t.Fatalf("the program did not exit; screen tail:\n%s", tail(s.scr.text(), 1500))
		return nil
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// words are the prompts and markers of one language.
type words struct {
	lang, menu, pressEnter, answer, explore, hint, notAChoice, wrong, right, stopped, resuming, mapTitle string
}

func TestTerminalSession(t *testing.T) {
	bin := buildBinary(t)
	for _, w := range []words{
		{"en", "Which lesson?", "Press Enter to let", "Your answer", "Look around", "Hint 1/", "is none of the choices", "✗", "✓", "Stopped.", "Resuming at step", "control plane"},
		{"zh", "选择一节课程", "按 Enter 让", "你的答案", "看看集群", "提示 1/", "不是任何一个选项", "✗", "✓", "已停止。", "继续，集群与上次完全相同", "控制平面"},
	} {
		t.Run(w.lang, func(t *testing.T) {
			home := t.TempDir()
			answers := harvest(t, bin, home, w.lang)

			s := start(t, bin, home, "--lang", w.lang, "--seed", "5")
			s.waitFor(w.menu)
			s.send("\x1b[B") // down: the second lesson, pod
			s.send("\r")
			// Question 1: a hint, an answer that is none of the choices (asked again), a wrong
			// answer and the right one at the second try; question 2: the right answer; then the
			// right answers until a component has acted and the map was drawn; then Ctrl-C.
			questions, stopped := 0, false
			for !stopped {
				switch s.waitFor(w.pressEnter, w.answer, w.explore) {
				case w.pressEnter, w.explore:
					s.send("\r")
				case w.answer:
					questions++
					sawMap := strings.Contains(s.scr.text(), w.mapTitle)
					switch {
					case questions == 1:
						s.send("hint\r")
						s.waitFor(w.hint)
						s.waitFor(w.answer)
						s.send("definitely-not-the-answer\r")
						s.waitFor(w.notAChoice)
						s.waitFor(w.answer)
						s.send("etcd\r")
						s.waitFor(w.wrong)
						s.waitFor(w.answer)
						s.send(answers[0] + "\r")
						s.waitFor(w.right)
					case questions <= len(answers) && (questions == 2 || !sawMap):
						s.send(answers[questions-1] + "\r")
						s.waitFor(w.right)
					default:
						if !sawMap {
							t.Fatalf("no map drawn before question %d", questions)
						}
						s.send("\x03") // Ctrl-C
						s.waitFor(w.stopped)
						stopped = true
					}
				}
			}
			err := s.wait()
			if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 130 {
				t.Errorf("Ctrl-C should exit with status 130, got %v", err)
			}
			// Resume: the same lesson goes on from where it stopped.
			s2 := start(t, bin, home, "lesson", "pod", "--lang", w.lang)
			s2.waitFor(w.resuming)
			s2.send("\x03")
			_ = s2.wait()
		})
	}
}

// harvest plays the pod lesson in plain mode with "show" at every question, and returns the
// revealed answers in order: the right answers for seed 5.
func harvest(t *testing.T, bin, home, lang string) []string {
	t.Helper()
	cmd := exec.Command(bin, "lesson", "pod", "--plain", "--lang", lang, "--seed", "5")
	cmd.Env = []string{"K8SLEARN_HOME=" + filepath.Join(home, "harvest"), "PATH=" + os.Getenv("PATH")}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out screen
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exploreHint := map[string]string{"en": "an empty line goes on", "zh": "输入空行继续"}[lang]
	exited := make(chan struct{})
	go func() {
		defer stdin.Close()
		handled := 0
		for {
			select {
			case <-exited:
				return
			case <-time.After(10 * time.Millisecond):
			}
			text := out.text()
			q := strings.LastIndex(text, "\n? ")
			e := strings.LastIndex(text, exploreHint)
			at := max(q, e)
			if at > handled {
				handled = at
				line := "show\n"
				if e > q {
					line = "\n"
				}
				if _, err := io.WriteString(stdin, line); err != nil {
					return
				}
			}
		}
	}()
	err = cmd.Wait()
	close(exited)
	if err != nil {
		t.Fatalf("harvest run: %v\n%s", err, tail(out.text(), 1500))
	}
	var answers []string
	for _, l := range strings.Split(out.text(), "\n") {
		if a, ok := strings.CutPrefix(l, "= "); ok {
			answers = append(answers, a)
		}
	}
	if len(answers) < 3 {
		t.Fatalf("harvested %d answers:\n%s", len(answers), tail(out.text(), 1500))
	}
	return answers
}
