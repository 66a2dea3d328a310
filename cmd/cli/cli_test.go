package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/engine/kubectl"
)

var update = flag.Bool("update", false, "rewrite golden files")

// run runs k8slearn with args and stdin, as a script would (no terminal).
func run(t *testing.T, stdin string, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := IO{
		In: strings.NewReader(stdin), Out: &out, Err: &errOut,
		Getenv: func(k string) string { return env[k] },
		Files:  os.DirFS(filepath.Join("testdata", "files")).(kubectl.Files),
	}
	code = Main(args, io)
	return out.String(), errOut.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./cmd/cli -update, then review the diff):\n%s", name, diff(string(want), got))
	}
}

// diff shows the first differing line.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + itoa(i+1) + ":\n  want: " + a + "\n  got:  " + b
		}
	}
	return ""
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(i)) }

func fmtInt(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// acceptanceScript is issue 2's first acceptance point.
const acceptanceScript = "kubectl create deployment web --image=nginx --replicas=3\nrun\nkubectl get all\nkubectl get pods -o wide\nkubectl get events\ntrace\n"

func TestSandboxAcceptanceTranscript(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			out, errOut, code := run(t, acceptanceScript, nil, "sandbox", "--seed", "7", "--lang", lang)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			golden(t, "sandbox-acceptance-"+lang+".txt", out)
			// What kubectl prints stays English in both languages.
			for _, want := range []string{"deployment.apps/web created", "service/kubernetes", "Scaled up replica set web-"} {
				if !strings.Contains(out, want) {
					t.Errorf("transcript lacks %q", want)
				}
			}
		})
	}
}

func TestSandboxIsDeterministic(t *testing.T) {
	a, _, _ := run(t, acceptanceScript, nil, "sandbox", "--seed", "7")
	b, _, _ := run(t, acceptanceScript, nil, "sandbox", "--seed", "7")
	if a != b {
		t.Fatalf("same seed, different transcripts:\n%s", diff(a, b))
	}
	c, _, _ := run(t, acceptanceScript, nil, "sandbox", "--seed", "8")
	if a == c {
		t.Fatal("seeds 7 and 8 gave the same transcript; generated names should differ")
	}
	podName := func(s string) string {
		i := strings.Index(s, "pod/web-")
		return s[i : i+len("pod/web-64c966cf88-xxxxx")]
	}
	if podName(a) == podName(c) {
		t.Errorf("seeds 7 and 8 gave the same first pod name %s", podName(a))
	}
}

// TestSandboxStepsThroughEveryPodState checks the intermediate states a real cluster passes
// through, one step at a time.
func TestSandboxStepsThroughEveryPodState(t *testing.T) {
	script := "run nginx --image=nginx\nget pods -o wide\nstep scheduler\nget pods -o wide\nstep kubelet\nget pods -o wide\nrun\nget pods -o wide\n"
	out, _, _ := run(t, script, nil, "sandbox", "--seed", "3")
	tables := strings.Split(out, "$ get pods -o wide\n")[1:]
	if len(tables) != 4 {
		t.Fatalf("want 4 tables, got %d:\n%s", len(tables), out)
	}
	want := []struct{ status, node string }{
		{"Pending", "<none>"}, {"Pending", "node-"}, {"ContainerCreating", "node-"}, {"Running", "node-"},
	}
	for i, w := range want {
		row := strings.Split(tables[i], "\n")[1]
		fields := strings.Fields(row)
		if len(fields) < 7 || fields[2] != w.status || !strings.HasPrefix(fields[6], w.node) {
			t.Errorf("state %d: want STATUS %s on %s…, got row %q", i, w.status, w.node, row)
		}
	}
}

func TestSandboxBadInput(t *testing.T) {
	long := "get pods " + strings.Repeat("x", 100_000)
	script := strings.Join([]string{
		"", "   ", "frobnicate", "kubectl get pods --foo", "create deployment Web --image=nginx",
		"create deployment web --image=nginx --replicas=-1", "create deployment web", "get foos",
		"get pods nosuch", "apply -f broken.yaml", "apply -f unknown-field.yaml", "apply -f unknown-kind.yaml",
		"apply -f nosuch.yaml", "scale deployment nosuch --replicas=2", "step 0", "step banana", "why",
		"etcd a b", "run nginx --image=nginx --replicas=3", long, "kubectl", "get pods",
	}, "\n") + "\n"
	out, errOut, code := run(t, script, nil, "sandbox", "--seed", "1")
	if code != 0 || errOut != "" {
		t.Fatalf("the sandbox must survive bad input: exit %d, stderr %q", code, errOut)
	}
	golden(t, "sandbox-bad-input.txt", out)
	if got := strings.Count(out, "[exit status 1]"); got < 12 {
		t.Errorf("want an exit status for every failed kubectl command, got %d", got)
	}
}

func TestMainExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		code   int
		stdout string
		stderr string
	}{
		{"version", []string{"version"}, nil, 0, "k8slearn 0.1.0 (miniature Kubernetes v1.37)\n", ""},
		{"version zh", []string{"version", "--lang", "zh_CN.UTF-8"}, nil, 0, "k8slearn 0.1.0（迷你 Kubernetes v1.37）\n", ""},
		{"version from LANG", []string{"version"}, map[string]string{"LANG": "zh_CN.UTF-8"}, 0, "k8slearn 0.1.0（迷你 Kubernetes v1.37）\n", ""},
		{"unknown language", []string{"version", "--lang", "fr"}, nil, 2, "", "fr"},
		{"unknown flag", []string{"sandbox", "--frob"}, nil, 2, "", "unknown flag: --frob"},
		{"unknown command", []string{"frob"}, nil, 2, "", "unknown command \"frob\""},
		{"misspelt command", []string{"lesso"}, nil, 2, "", "unknown command \"lesso\" (run k8slearn --help for the list)\nDid you mean lesson?\n"},
		{"misspelt command zh", []string{"progres", "--lang", "zh"}, nil, 2, "", "未知命令“progres”（运行 k8slearn --help 查看命令列表）\n你是不是想输入 progress？\n"},
		{"help for no command", []string{"help", "sandbx"}, nil, 2, "", "unknown command \"sandbx\" (run k8slearn --help for the list)\nDid you mean sandbox?\n"},
		{"bad nodes", []string{"sandbox", "--nodes", "0"}, nil, 2, "", "--nodes"},
		{"bad seed", []string{"sandbox", "--seed", "x"}, nil, 2, "", "invalid argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := run(t, "", tt.env, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if tt.stdout != "" && out != tt.stdout {
				t.Errorf("stdout %q, want %q", out, tt.stdout)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr %q lacks %q", errOut, tt.stderr)
			}
		})
	}
}

// TestHelpIsLocalizedWhenShown checks the help texts, which are rendered only when help or
// completions are shown, on each path that shows them.
func TestHelpIsLocalizedWhenShown(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"help", "lesson", "list"}, []string{"List the lessons and your progress\n\nUsage:\n  k8slearn lesson list [flags]", "-h, --help   help for list", "(default 1)"}},
		{[]string{"lesson", "--help", "--lang", "zh"}, []string{"学习一节课程", "--restart   从头开始这节课程", "（默认 1）"}},
		{[]string{"sandbox", "-h"}, []string{"--nodes int   number of worker nodes (default 2)"}},
		{[]string{"completion", "bash", "--help", "--lang", "zh"}, []string{"生成 bash 的自动补全脚本"}},
		{[]string{"--lang", "zh", "completion", "zsh"}, []string{"#compdef k8slearn"}},
		{[]string{"-h"}, []string{"completion  Generate the autocompletion script for the specified shell"}},
		{[]string{"__complete", "comp"}, []string{"completion\tGenerate the autocompletion script for the specified shell"}},
		{[]string{"__complete", "--lang", "zh", ""}, []string{"lesson\t学习一节课程", "version\t显示版本"}},
		{[]string{"__complete", "lesson", "--re"}, []string{"--restart\tstart the lesson again from the beginning"}},
	}
	for _, tt := range tests {
		out, errOut, code := run(t, "", nil, tt.args...)
		if code != 0 {
			t.Errorf("%v: exit %d (stderr %q)", tt.args, code, errOut)
		}
		// Flag columns are as wide as the longest flag: compare with runs of spaces as one.
		squash := func(s string) string {
			return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' }), " ")
		}
		for _, w := range tt.want {
			if !strings.Contains(squash(out), squash(w)) {
				t.Errorf("%v: output lacks %q:\n%s", tt.args, w, out)
			}
		}
		if strings.Contains(out, "cli.") {
			t.Errorf("%v: output shows a message ID:\n%s", tt.args, out)
		}
	}
}
