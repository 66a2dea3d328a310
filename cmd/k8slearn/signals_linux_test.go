package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// startOnTTY runs the binary on a new pseudo-terminal and returns the terminal's device too, so
// the test can read its settings after the program is gone.
func startOnTTY(t *testing.T, bin, home string, args ...string) (*session, *os.File) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("pty: %v", err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 50, Cols: 100}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"K8SLEARN_HOME=" + home, "TERM=xterm-256color", "HOME=" + home, "PATH=" + os.Getenv("PATH")}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &session{t: t, cmd: cmd, tty: ptmx, scr: &screen{}, done: make(chan error, 1)}
	go s.pump()
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return s, tty
}

// echoing is what a shell needs of its terminal: echo, line editing and signal keys.
const echoing = unix.ECHO | unix.ICANON | unix.ISIG

// TestSignalRestoresTheTerminal: SIGTERM, SIGHUP or SIGINT sent to a lesson or a sandbox while
// it reads from a terminal in raw mode leaves the terminal as it found it (the shell echoes
// again), saves the lesson's progress, and exits with the shell's status for the signal.
func TestSignalRestoresTheTerminal(t *testing.T) {
	bin := buildBinary(t)
	for _, tc := range []struct {
		name   string
		args   []string
		prompt string
		sig    syscall.Signal
		code   int
	}{
		{"lesson SIGTERM", []string{"lesson", "pod"}, "Your answer", syscall.SIGTERM, 143},
		{"lesson SIGHUP", []string{"lesson", "pod"}, "Your answer", syscall.SIGHUP, 129},
		{"menu SIGINT", nil, "Which lesson?", syscall.SIGINT, 130},
		{"sandbox SIGTERM", []string{"sandbox"}, "idle $ ", syscall.SIGTERM, 143},
		{"sandbox SIGINT", []string{"sandbox"}, "idle $ ", syscall.SIGINT, 130},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			s, tty := startOnTTY(t, bin, home, tc.args...)
			before, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if before.Lflag&echoing != echoing {
				t.Fatalf("a new terminal should echo: lflag %#x", before.Lflag)
			}
			s.waitFor(tc.prompt)
			// The prompt is drawn just before the terminal is put in raw mode to read it.
			for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				raw, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
				if err != nil {
					t.Fatal(err)
				}
				if raw.Lflag&unix.ECHO == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the program should read its prompt in raw mode: lflag %#x", raw.Lflag)
				}
			}
			if err := s.cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			err = s.wait()
			if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != tc.code {
				t.Errorf("exit %v, want status %d", err, tc.code)
			}
			after, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if after.Lflag != before.Lflag || after.Iflag != before.Iflag || after.Oflag != before.Oflag {
				t.Errorf("terminal left changed: lflag %#x iflag %#x oflag %#x, was %#x %#x %#x",
					after.Lflag, after.Iflag, after.Oflag, before.Lflag, before.Iflag, before.Oflag)
			}
			if tc.args != nil && tc.args[0] == "lesson" {
				data, err := os.ReadFile(filepath.Join(home, "progress.json"))
				if err != nil || !strings.Contains(string(data), `"pod"`) {
					t.Errorf("progress not saved: %v %s", err, data)
				}
			}
		})
	}
}
