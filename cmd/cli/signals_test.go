package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/k8slearn/k8slearn/cmd/progress"
	"github.com/k8slearn/k8slearn/locales"
)

// syncBuffer is output written by one goroutine and read by the test's.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitUntil fails the test if cond does not hold within a generous time: it only keeps a broken
// build from hanging, and never decides a result on a loaded machine.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// signalIO is the I/O of a run that receives signals from the test and reports its exit.
func signalIO(home string, in io.Reader, out *syncBuffer, sigs chan os.Signal, exits chan int) IO {
	return IO{In: in, Out: out, Err: out,
		Getenv: func(k string) string {
			if k == "K8SLEARN_HOME" {
				return home
			}
			return ""
		},
		Signals: func() (<-chan os.Signal, func()) { return sigs, func() {} },
		Exit:    func(code int) { exits <- code },
	}
}

// TestSignalStopsALessonCleanly: SIGINT, SIGTERM or SIGHUP while a lesson waits for an answer
// saves progress, says so, and exits with the shell's status for the signal.
func TestSignalStopsALessonCleanly(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}, {syscall.SIGHUP, 129}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			home := t.TempDir()
			in, answer := io.Pipe()
			var out syncBuffer
			sigs, exits, returned := make(chan os.Signal, 1), make(chan int, 1), make(chan int, 1)
			go func() {
				returned <- Main([]string{"lesson", "pod", "--plain", "--seed", "3"}, signalIO(home, in, &out, sigs, exits))
			}()
			questions := func(n int) func() bool {
				return func() bool { return strings.Count(out.String(), "\n? ") >= n }
			}
			waitUntil(t, "the first question", questions(1))
			if _, err := io.WriteString(answer, "kube-apiserver\n"); err != nil {
				t.Fatal(err)
			}
			waitUntil(t, "the second question", questions(2))
			sigs <- tc.sig
			var code int
			waitUntil(t, "the exit", func() bool {
				select {
				case code = <-exits:
					return true
				default:
					return false
				}
			})
			if code != tc.code {
				t.Errorf("exit status %d, want %d", code, tc.code)
			}
			en, _ := locales.New("en")
			if want := "\n" + en.T("lesson.stopped") + "\n"; !strings.HasSuffix(out.String(), want) {
				t.Errorf("the output does not end with %q:\n%s", want, out.String())
			}
			data, err := os.ReadFile(filepath.Join(home, progress.FileName))
			if err != nil {
				t.Fatal(err)
			}
			var f progress.File
			if err := json.Unmarshal(data, &f); err != nil {
				t.Fatal(err)
			}
			if r := f.Lessons["pod"]; r == nil || !r.Answers["talks_to"].Correct {
				t.Errorf("progress lacks the answer given before the signal:\n%s", data)
			}
			answer.Close() // the test's Exit returned: let the lesson read the end of its input
			<-returned
		})
	}
}

// TestSignalWhileBusyLeavesWithoutSaving: a command that never reaches a prompt does not hold a
// signal off: after the wait the program leaves, terminal restored, without touching progress.
func TestSignalWhileBusyLeavesWithoutSaving(t *testing.T) {
	var out syncBuffer
	sigs, exits := make(chan os.Signal, 1), make(chan int, 1)
	en, _ := locales.New("en")
	g := startGuard(signalIO(t.TempDir(), nil, &out, sigs, exits), en, "sandbox.bye")
	g.wait = time.Millisecond
	saved := false
	g.setSave(func() error { saved = true; return nil })
	sigs <- syscall.SIGTERM
	if code := <-exits; code != 143 || saved {
		t.Errorf("exit %d, saved %v; want 143 without saving", code, saved)
	}
	g.release()
}
