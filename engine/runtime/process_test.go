package runtime

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/work"
)

var start = time.Date(2026, time.January, 5, 9, 5, 0, 0, time.UTC)

func envFor(t *testing.T, image string) procEnv {
	t.Helper()
	im, ok := NewRegistries().Lookup(image)
	if !ok {
		t.Fatalf("no image %s", image)
	}
	ctx := ExecContext{Pod: "p", Namespace: "default", Container: "c", Hostname: "p", PodIP: "10.244.1.2",
		Env: containerEnv(im, ContainerSpec{Hostname: "p", Env: []string{"GREETING=hi"}}), Image: im}
	return procEnv{image: im, ctx: ctx, start: start, cpus: 2, commands: DefaultCommands()}
}

// text is the process's lines until d, one per line, stderr marked with "!".
func text(p *Process, d time.Duration) string {
	var b strings.Builder
	for _, l := range p.LinesUntil(d, 0) {
		if l.Stderr {
			b.WriteString("!")
		}
		b.WriteString(l.Text + "\n")
	}
	return b.String()
}

func TestInterpret(t *testing.T) {
	tests := []struct {
		name, image    string
		command, args  []string
		until          time.Duration
		want           string
		exit           *Exit // nil: runs for ever
		memory         int64
		startError     string
		unsupported    bool
		handlesSIGTERM bool
	}{
		{name: "echo and exit", image: "busybox", args: []string{"sh", "-c", "echo hi; exit 3"},
			want: "hi\n", exit: &Exit{Code: 3}},
		{name: "sleep then fail", image: "busybox", args: []string{"sh", "-c", "echo a; sleep 5; echo b; false"},
			until: time.Minute, want: "a\nb\n", exit: &Exit{At: 5 * time.Second, Code: 1}},
		{name: "&& and ||", image: "busybox", args: []string{"sh", "-c", "false && echo no || echo yes; true || echo no"},
			want: "yes\n", exit: &Exit{Code: 0}},
		{name: "variables and substitution", image: "busybox", args: []string{"sh", "-c", `X=1; echo "x=$X $GREETING $(hostname)"`},
			want: "x=1 hi p\n", exit: &Exit{Code: 0}},
		{name: "for loop", image: "busybox", command: []string{"/bin/sh", "-c"}, args: []string{"for i in 1 2 3; do echo $i; done"},
			want: "1\n2\n3\n", exit: &Exit{Code: 0}},
		{name: "if", image: "busybox", args: []string{"sh", "-c", "if false; then echo a; elif true; then echo b; else echo c; fi"},
			want: "b\n", exit: &Exit{Code: 0}},
		{name: "endless loop", image: "busybox", args: []string{"sh", "-c", "while true; do echo tick; sleep 10; done"},
			until: 25 * time.Second, want: "tick\ntick\ntick\n"},
		{name: "redirections", image: "busybox", args: []string{"sh", "-c", "echo e >&2; echo gone > /dev/null; ls /x 2>&1"},
			want: "!e\nls: /x: No such file or directory\n", exit: &Exit{Code: 1}},
		{name: "not found in busybox", image: "busybox", args: []string{"sh", "-c", "curl web"},
			want: "!sh: curl: not found\n", exit: &Exit{Code: 127}},
		{name: "not found in debian", image: "nginx", args: []string{"sh", "-c", "wget web"},
			want: "!sh: 1: wget: not found\n", exit: &Exit{Code: 127}},
		{name: "syntax error", image: "busybox", args: []string{"sh", "-c", "echo 'open"},
			want: "!sh: unterminated quoted string\n", exit: &Exit{Code: 2}},
		{name: "test a variable that is not set", image: "busybox",
			args: []string{"sh", "-c", `echo starting; if [ -z "$QUEUE_HOST" ]; then echo "fatal: QUEUE_HOST is not set" >&2; exit 1; fi; echo never`},
			want: "starting\n!fatal: QUEUE_HOST is not set\n", exit: &Exit{Code: 1}},
		{name: "test a variable that is set", image: "busybox", args: []string{"sh", "-c", `[ -n "$GREETING" ] && test "$GREETING" = hi && [ ! 2 -gt 3 ] && echo ok`},
			want: "ok\n", exit: &Exit{Code: 0}},
		{name: "test strings", image: "busybox", args: []string{"sh", "-c", `test a != a || test "" || [ ]; echo $?`},
			want: "1\n", exit: &Exit{Code: 0}},
		{name: "[ without ] in busybox", image: "busybox", args: []string{"sh", "-c", `[ -z x`},
			want: "!sh: missing ]\n", exit: &Exit{Code: 2}},
		{name: "[ without ] in dash", image: "nginx", args: []string{"sh", "-c", `[ -z x`},
			want: "!sh: 1: [: missing ]\n", exit: &Exit{Code: 2}},
		{name: "file tests are not followed", image: "busybox", args: []string{"sh", "-c", "[ -f /etc/app.conf ] || exit 1"}, unsupported: true},
		{name: "pipe is not followed", image: "busybox", args: []string{"sh", "-c", "echo a | grep a"}, unsupported: true},
		{name: "bare sh exits", image: "busybox", exit: &Exit{Code: 0}},
		{name: "sleep infinity", image: "busybox", command: []string{"sleep", "infinity"}},
		{name: "missing executable", image: "busybox", command: []string{"no-such"},
			startError: `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "no-such": executable file not found in $PATH: unknown`},
		{name: "hello-world has no shell", image: "hello-world", command: []string{"sh", "-c", "true"},
			startError: `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "sh": executable file not found in $PATH: unknown`},
		{name: "stress holds memory", image: "polinux/stress", command: []string{"stress"}, args: []string{"--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"},
			want: "stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n", memory: 250 << 20},
		{name: "stress with a timeout", image: "polinux/stress", command: []string{"stress", "--cpu", "1", "--timeout", "30s"},
			until: time.Minute, want: "stress: info: [1] dispatching hogs: 1 cpu, 0 io, 0 vm, 0 hdd\nstress: info: [1] successful run completed in 30s\n",
			exit: &Exit{At: 30 * time.Second, Code: 0}},
		{name: "nginx serves", image: "nginx:1.27", handlesSIGTERM: true,
			want: strings.Join([]string{
				"/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
				"/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
				"/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
				"10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
				"10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
				"/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
				"/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
				"/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
				"/docker-entrypoint.sh: Configuration complete; ready for start up",
				`!2026/01/05 09:05:00 [notice] 1#1: using the "epoll" event method`,
				"!2026/01/05 09:05:00 [notice] 1#1: nginx/1.27.5",
				"!2026/01/05 09:05:00 [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) ",
				"!2026/01/05 09:05:00 [notice] 1#1: OS: Linux 6.8.0-60-generic",
				"!2026/01/05 09:05:00 [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576",
				"!2026/01/05 09:05:00 [notice] 1#1: start worker processes",
				"!2026/01/05 09:05:00 [notice] 1#1: start worker process 29",
				"!2026/01/05 09:05:00 [notice] 1#1: start worker process 30",
			}, "\n") + "\n"},
		{name: "nginx image running a command", image: "nginx", args: []string{"sleep", "3600"},
			exit: &Exit{At: time.Hour, Code: 0}},
	}
	// Each script runs three times: parsed afresh, then twice through one node's cache of parsed
	// scripts (the first run fills it, the second reads it); all three must run alike.
	cache := &scriptCache{}
	for _, tt := range tests {
		for round, scripts := range []*scriptCache{nil, cache, cache} {
			t.Run(fmt.Sprintf("%s/%d", tt.name, round), func(t *testing.T) {
				env := envFor(t, tt.image)
				env.scripts = scripts
				p := interpret(env, ContainerArgv(env.image, tt.command, tt.args))
				if p.StartError != tt.startError {
					t.Fatalf("start error %q, want %q", p.StartError, tt.startError)
				}
				if p.Unsupported != tt.unsupported {
					t.Errorf("unsupported %v, want %v", p.Unsupported, tt.unsupported)
				}
				until := tt.until
				if until == 0 {
					until = time.Second
				}
				if got := text(p, until); got != tt.want {
					t.Errorf("lines:\n%s\nwant:\n%s", got, tt.want)
				}
				switch {
				case tt.exit == nil && p.Exit != nil:
					t.Errorf("exits %+v, want it to run for ever", *p.Exit)
				case tt.exit != nil && (p.Exit == nil || *p.Exit != *tt.exit):
					t.Errorf("exit %+v, want %+v", p.Exit, *tt.exit)
				}
				if p.Memory != tt.memory {
					t.Errorf("memory %d, want %d", p.Memory, tt.memory)
				}
				if (p.Term != nil) != tt.handlesSIGTERM {
					t.Errorf("handles SIGTERM: %v, want %v", p.Term != nil, tt.handlesSIGTERM)
				}
			})
		}
	}
	if len(cache.parsed) == 0 {
		t.Error("the cache kept no script")
	}
}

func TestResolve(t *testing.T) {
	r := NewRegistries()
	tests := []struct{ image, want string }{
		{"nginx", ""},
		{"nginx:1.27", ""},
		{"docker.io/library/busybox:1.37@sha256:9db7b59979c38555a39def84a31fb98b5296952f9e3afd4f6f11f05b07adfab0", ""},
		{"nginx:1.2.3", `rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.2.3": failed to resolve image: docker.io/library/nginx:1.2.3: not found`},
		{"ngnix", `rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve image: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`},
		{"registry.k8s.io/pause:9", `rpc error: code = NotFound desc = failed to pull and unpack image "registry.k8s.io/pause:9": failed to resolve image: registry.k8s.io/pause:9: not found`},
		{"localhost:5000/app:v1", `rpc error: code = Unknown desc = failed to pull and unpack image "localhost:5000/app:v1": failed to resolve image: failed to do request: Head "https://localhost:5000/v2/app/manifests/v1": dial tcp: lookup localhost on 127.0.0.11:53: no such host`},
	}
	for _, tt := range tests {
		_, err := r.Resolve(tt.image)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("Resolve(%q) = %q, want %q", tt.image, got, tt.want)
		}
	}
	if _, err := r.Remove("nginx:1.27"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Resolve("nginx:1.27"); err == nil || !strings.Contains(err.Error(), "docker.io/library/nginx:1.27: not found") {
		t.Errorf("a removed image resolves: %v", err)
	}
	if !r.Restore("nginx:1.27") {
		t.Error("Restore found nothing to restore")
	}
	if _, err := r.Resolve("nginx:1.27"); err != nil {
		t.Errorf("a restored image does not resolve: %v", err)
	}
}

// Every image of the catalogue names a real repository digest and runs its default command.
func TestCatalogue(t *testing.T) {
	for _, im := range catalogue() {
		if len(im.Digest) != len("sha256:")+64 || !strings.HasPrefix(im.Digest, "sha256:") {
			t.Errorf("%s: digest %q", im.Repository, im.Digest)
		}
		env := envFor(t, im.ref(im.Tags[0]))
		if p := interpret(env, ContainerArgv(im, nil, nil)); p.StartError != "" || p.Unsupported {
			t.Errorf("%s: its default command does not run: %q unsupported=%v", im.ref(im.Tags[0]), p.StartError, p.Unsupported)
		}
	}
}

func testRuntime(clk clock.Clock) *Runtime {
	return New(Config{Node: "node-1", CPUs: 2}, clk, work.NewAgenda(), rand.New(rand.NewPCG(1, 1)))
}

func TestExec(t *testing.T) {
	clk := clock.NewSimulated(start)
	env := envFor(t, "busybox")
	r := testRuntime(clk)
	inst := &Instance{ID: "abc", Image: env.image, Proc: &Process{}, Started: start, ctx: env.ctx}
	r.pair("default/p", "c").cur = inst
	tests := []struct {
		argv           []string
		stdout, stderr string
		code           int
		err            string
	}{
		{argv: []string{"hostname"}, stdout: "p\n"},
		{argv: []string{"cat", "/etc/hostname"}, stdout: "p\n"},
		{argv: []string{"printenv", "GREETING"}, stdout: "hi\n"},
		{argv: []string{"sh", "-c", "echo a; exit 4"}, stdout: "a\n", code: 4},
		{argv: []string{"ls", "/nope"}, stderr: "ls: /nope: No such file or directory\n", code: 1},
		{argv: []string{"kill", "1"}},
		{argv: []string{"kill", "7"}, stderr: "kill: can't kill pid 7: No such process\n", code: 1},
		{argv: []string{"curl", "web"}, err: `exec: "curl": executable file not found in $PATH: unknown`},
		{argv: []string{"sleep", "infinity"}, err: "command not simulated"},
		{argv: []string{"tail", "-f", "/dev/null"}, err: "command not simulated"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		code, err := r.Exec("default/p", "c", tt.argv, nil, &out, &errOut)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Exec(%q) error %v, want %q", tt.argv, err, tt.err)
			}
			continue
		}
		if err != nil || code != tt.code || out.String() != tt.stdout || errOut.String() != tt.stderr {
			t.Errorf("Exec(%q) = %d %v %q %q, want %d %q %q", tt.argv, code, err, out.String(), errOut.String(), tt.code, tt.stdout, tt.stderr)
		}
	}
	// An exec's file commands go to files when it takes them, in a script too; the rest, and
	// what it leaves, to the runtime.
	files := func(argv []string) (string, string, int, bool) {
		switch strings.Join(argv, " ") {
		case "cat /tmp/healthy":
			return "ok\n", "", 0, true
		case "test -f /tmp/gone":
			return "", "", 1, true
		}
		return "", "", 0, false
	}
	for _, tt := range []struct {
		argv           []string
		stdout, stderr string
		code           int
	}{
		{argv: []string{"cat", "/tmp/healthy"}, stdout: "ok\n"},
		{argv: []string{"sh", "-c", "cat /tmp/healthy && echo yes"}, stdout: "ok\nyes\n"},
		{argv: []string{"sh", "-c", "test -f /tmp/gone || echo gone"}, stdout: "gone\n"},
		{argv: []string{"cat", "/etc/hostname"}, stdout: "p\n"},
	} {
		var out, errOut bytes.Buffer
		code, err := r.Exec("default/p", "c", tt.argv, files, &out, &errOut)
		if err != nil || code != tt.code || out.String() != tt.stdout || errOut.String() != tt.stderr {
			t.Errorf("Exec(%q) with files = %d %v %q %q, want %d %q %q", tt.argv, code, err, out.String(), errOut.String(), tt.code, tt.stdout, tt.stderr)
		}
	}
	inst.end(start, 1, "Error")
	if _, err := r.Exec("default/p", "c", []string{"ls"}, nil, &bytes.Buffer{}, &bytes.Buffer{}); err != ErrContainerNotRunning {
		t.Errorf("exec in an ended container: %v", err)
	}
}

// FuzzShell runs any script: parsing and interpreting never panic, and the budget bounds the
// output.
func FuzzShell(f *testing.F) {
	for _, s := range []string{"echo hi; exit 3", "while true; do echo $(date) tick; sleep 5; done", "for i in a b; do echo $i; done",
		"if true; then echo y; fi", `echo "unterminated`, "echo ${X:-d}", "echo $((1+1))", "a | b", "echo e >&2; ls 2>&1 > /dev/null",
		"until false; do sleep 1; done", "x=$(echo $(echo deep))", "`echo hi`", "exit 999", "sleep -1", "sleep 1e9", "while :; do :; done"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script string) {
		env := envFor(t, "busybox")
		p := interpret(env, []string{"sh", "-c", script})
		if lines := p.LinesUntil(time.Hour, 0); len(lines) > maxLogLines {
			t.Fatalf("%d lines", len(lines))
		}
		var out, errOut bytes.Buffer
		r := testRuntime(clock.NewSimulated(start))
		r.pair("default/p", "c").cur = &Instance{ID: "x", Image: env.image, Proc: &Process{}, Started: start, ctx: env.ctx}
		_, _ = r.Exec("default/p", "c", []string{"sh", "-c", script}, nil, &out, &errOut)
	})
}

// A container's environment: the image's variables with HOSTNAME after the first, then the
// kubelet's; a name given again keeps its first place and takes the last value; HOME last
// unless set.
func TestContainerEnv(t *testing.T) {
	im := &Image{Env: []string{"PATH=/usr/bin", "NGINX_VERSION=1.27.5"}}
	got := containerEnv(im, ContainerSpec{Hostname: "web-1", Env: []string{"A=1", "PATH=/opt/bin", "A=2", "EMPTY", "PATHX=3"}})
	want := []string{"PATH=/opt/bin", "HOSTNAME=web-1", "NGINX_VERSION=1.27.5", "A=2", "EMPTY=", "PATHX=3", "HOME=/root"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("env %q, want %q", got, want)
	}
	got = containerEnv(&Image{}, ContainerSpec{Hostname: "h", Env: []string{"HOME=/home/app"}})
	want = []string{"HOSTNAME=h", "HOME=/home/app"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("env %q, want %q", got, want)
	}
}
