package cli

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/lessons"
)

// asMainEnv makes the test binary run k8slearn itself (see TestMain), so a test can start several
// k8slearn processes without building the binary.
const asMainEnv = "K8SLEARN_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" {
		os.Exit(Main(os.Args[1:], SystemIO()))
	}
	os.Exit(m.Run())
}

// TestBadProgressFileWarnsAndGoesOn is issue 13's first point through the commands: each of these
// files used to make progress, lesson list, a lesson or reset --all panic or hang. Now each warns,
// keeps the bad file aside and goes on.
func TestBadProgressFileWarnsAndGoesOn(t *testing.T) {
	files := []struct {
		name  string
		write func(path string) error
	}{
		{"null record", content(`{"version":1,"lessons":{"deployment":null}}`)},
		{"step -1", content(`{"version":1,"lessons":{"deployment":{"seed":1,"lang":"en","step":-1,"steps":52,"questions":9}}}`)},
		{"step min-int64", content(`{"version":1,"lessons":{"deployment":{"seed":1,"lang":"en","step":-9223372036854775808,"steps":52}}}`)},
		{"step past the end", content(`{"version":1,"lessons":{"pod":{"seed":1,"lang":"en","step":9999,"steps":40}}}`)},
		{"2 MiB", content(`{"version":1,"lessons":{}}` + strings.Repeat(" ", 2<<20))},
		{"fifo", mkfifo},
		{"directory", func(path string) error { return os.Mkdir(path, 0o755) }},
	}
	commands := [][]string{
		{"progress"},
		{"lesson", "list"},
		{"lesson", "deployment", "--plain"}, // no input: the lesson starts, then stops at end of input
		{"reset", "--all"},
		{"progress", "--lang", "zh"},
	}
	for _, f := range files {
		for _, args := range commands {
			t.Run(f.name+"/"+strings.Join(args, " "), func(t *testing.T) {
				home := t.TempDir()
				if err := f.write(filepath.Join(home, "progress.json")); errors.Is(err, errors.ErrUnsupported) {
					t.Skip(err)
				} else if err != nil {
					t.Fatal(err)
				}
				_, errOut, code := run(t, "", map[string]string{"K8SLEARN_HOME": home}, args...)
				if code != 0 {
					t.Fatalf("exit %d, stderr %s", code, errOut)
				}
				warning := "warning: "
				if args[len(args)-1] == "zh" {
					warning = "警告："
				}
				if !strings.HasPrefix(errOut, warning) || !strings.Contains(errOut, "progress.json.corrupt-") {
					t.Errorf("want a warning naming where the file was kept, got %q", errOut)
				}
				kept, _ := filepath.Glob(filepath.Join(home, "progress.json.corrupt-*"))
				if len(kept) != 1 {
					t.Errorf("the bad file must be kept aside once, found %v", kept)
				}
				// The next command finds a sound file and says nothing.
				_, errOut, code = run(t, "", map[string]string{"K8SLEARN_HOME": home}, "progress")
				if code != 0 || errOut != "" {
					t.Errorf("the next run: exit %d, stderr %q", code, errOut)
				}
			})
		}
	}
}

func content(s string) func(string) error {
	return func(path string) error { return os.WriteFile(path, []byte(s), 0o644) }
}

// TestOneBadRecordKeepsTheOthers: a bad record costs that lesson's progress only.
func TestOneBadRecordKeepsTheOthers(t *testing.T) {
	home := t.TempDir()
	env := map[string]string{"K8SLEARN_HOME": home}
	playLesson(t, home, "pod", "en", "3", func(out string) string {
		if atExplore(out, exploreHelp("en")) {
			return ""
		}
		return "show"
	})
	path := filepath.Join(home, "progress.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), `"lessons": {`, `"lessons": {"deployment": {"step": -1},`, 1)
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "", env, "progress")
	if code != 0 || !strings.Contains(errOut, "warning: the progress of deployment in") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "pod") || !strings.Contains(out, "0/13") || !strings.Contains(out, "finished") {
		t.Errorf("the pod lesson's progress must be kept:\n%s", out)
	}
	_, errOut, _ = run(t, "", env, "progress", "--lang", "zh")
	if errOut != "" {
		t.Errorf("the file was repaired, nothing more to say: %q", errOut)
	}
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, _ = run(t, "", env, "progress", "--lang", "zh")
	if !strings.HasPrefix(errOut, "警告：") || !strings.Contains(errOut, "deployment") {
		t.Errorf("zh warning: %q", errOut)
	}
	kept, _ := filepath.Glob(filepath.Join(home, "progress.json.corrupt-*"))
	if len(kept) != 2 {
		t.Errorf("each bad file is kept under its own name, found %v", kept)
	}
}

// TestThreeLessonsAtOnceAreAllRecorded is issue 13's second point: three k8slearn processes play
// three lessons at the same time against one home; all three must be recorded as finished with
// full marks. Each process is fed the answers a "show everywhere" run revealed for the same seed.
func TestThreeLessonsAtOnceAreAllRecorded(t *testing.T) {
	all, err := lessons.All()
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	type player struct {
		name string
		cmd  *exec.Cmd
		out  bytes.Buffer
	}
	var players []*player
	for _, ls := range all {
		out, sent := playLesson(t, t.TempDir(), ls.Name, "en", "3", func(out string) string {
			if atExplore(out, exploreHelp("en")) {
				return ""
			}
			return "show"
		})
		answers := revealed(out)
		var input strings.Builder
		for _, line := range sent {
			if line == "show" {
				line, answers = answers[0], answers[1:]
			}
			input.WriteString(line + "\n")
		}
		p := &player{name: ls.Name}
		p.cmd = exec.Command(os.Args[0], "lesson", ls.Name, "--plain", "--lang", "en", "--seed", "3")
		p.cmd.Env = append(os.Environ(), asMainEnv+"=1", "K8SLEARN_HOME="+home)
		p.cmd.Stdin = strings.NewReader(input.String())
		p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
		players = append(players, p)
	}
	for _, p := range players {
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range players {
		if err := p.cmd.Wait(); err != nil {
			t.Errorf("%s: %v\n%s", p.name, err, p.out.String())
		}
	}
	out, errOut, code := run(t, "", map[string]string{"K8SLEARN_HOME": home}, "progress")
	if code != 0 || errOut != "" {
		t.Fatalf("progress: exit %d, stderr %q", code, errOut)
	}
	for _, ls := range all {
		full := itoa(ls.Questions()) + "/" + itoa(ls.Questions())
		found := false
		for _, line := range strings.Split(out, "\n") {
			f := strings.Fields(line)
			if len(f) == 6 && f[0] == ls.Name && f[2] == full && f[3] == "0" && f[5] == "finished" {
				found = true
			}
		}
		if !found {
			t.Errorf("%s is not recorded as finished with %s:\n%s", ls.Name, full, out)
		}
	}
}
