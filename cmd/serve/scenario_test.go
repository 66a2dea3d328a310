package serve

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kballard/go-shellquote"
)

// The scenarios played through serve with the real kubectl: kubectl commands go to the
// real binary, the sandbox's own (fault, wait, run, curl) to serve's exec endpoint, which is
// how a lesson drives a served cluster. Serve runs in step mode on a clock that stands still
// but for what the scenario lets pass, so the transcript is the same at every run, but for what
// kubectl computes from the machine's clock: the ages, normalised.
//
// The golden files are testdata/real_kubectl/<name>.txt; `go test ./cmd/serve -run
// TestRealKubectlScenarios -update` rewrites them.

// servedScenario is a script, one line at a time:
//   - "kubectl …" runs the real kubectl and waits for it to end;
//   - "kubectl … &" starts the real kubectl in the background: the script goes on while it runs
//     (one at a time), and "fg" waits for it to end and writes what it printed, as a shell's fg
//     does. What waits for the cluster to act (kubectl drain waits for the evicted pod to go, and
//     in step mode nothing goes unless the script lets the cluster act) runs this way;
//   - "until kubectl …" runs the real kubectl every 100 ms until it prints something, or the
//     background kubectl has ended: the script waits for the served API to show what the
//     background kubectl did (an eviction applied), polling, never sleeping blindly. What it
//     printed is not written, only that the script waited;
//   - "# …" is a comment, written as it is;
//   - any other line is a sandbox command sent to serve (Exec).
type servedScenario struct {
	name   string
	files  map[string]string
	script []string
}

const crashPod = `apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  containers:
  - name: app
    image: busybox:1.37
    command: [sh, -c, "echo the app starts; echo and fails; exit 1"]
`

const oomPod = `apiVersion: v1
kind: Pod
metadata: {name: memory-demo}
spec:
  containers:
  - name: stress
    image: polinux/stress
    resources:
      requests: {memory: 50Mi}
      limits: {memory: 100Mi}
    command: [stress]
    args: [--vm, "1", --vm-bytes, 250M, --vm-hang, "1"]
`

const probedPod = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports: [{containerPort: 80}]
    readinessProbe:
      httpGet: {path: /, port: 80}
      periodSeconds: 5
`

const livenessPod = `apiVersion: v1
kind: Pod
metadata: {name: liveness-http}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    livenessProbe:
      httpGet: {path: /healthz, port: 80}
      initialDelaySeconds: 3
      periodSeconds: 3
`

const waitingMessage = `'jsonpath={.status.containerStatuses[0].state.waiting.message}{"\n"}'`

func servedScenarios() []servedScenario {
	return []servedScenario{
		{name: "expose_curl", script: []string{
			"kubectl create deployment web --image=nginx --replicas=3",
			"run",
			"kubectl expose deployment web --port=80",
			"run",
			"kubectl get endpointslices -l kubernetes.io/service-name=web",
			"curl web",
			"curl web",
			"# No endpoint left: the client's connection is refused.",
			"kubectl scale deployment web --replicas=0",
			"run",
			"kubectl get endpointslices -l kubernetes.io/service-name=web",
			"curl web",
		}},
		{name: "image_pull_backoff", script: []string{
			"# A mistyped tag: the registry has no nginx:1.2.3.",
			"kubectl create deployment web --image=nginx:1.2.3",
			"run",
			"kubectl get pods",
			"wait 1s",
			"kubectl get pods",
			`kubectl get pods -o 'jsonpath={.items[0].status.containerStatuses[0].state.waiting.message}{"\n"}'`,
			"wait 2m",
			"kubectl get pods",
			"kubectl get events --field-selector reason=BackOff",
			"kubectl set image deployment/web nginx=nginx:1.27",
			"run",
			"kubectl get pods",
			"kubectl rollout status deployment/web",
		}},
		{name: "crashloop", files: map[string]string{"crash.yaml": crashPod}, script: []string{
			"kubectl apply -f crash.yaml",
			"run",
			"# Back-offs of 10, 20, 40, 80, 160 and 300 s.",
			"kubectl get pods",
			"kubectl get pod crash -o " + waitingMessage,
			"wait 11s",
			"kubectl get pod crash -o " + waitingMessage,
			"wait 21s",
			"kubectl get pod crash -o " + waitingMessage,
			"wait 41s",
			"kubectl get pod crash -o " + waitingMessage,
			"wait 81s",
			"kubectl get pod crash -o " + waitingMessage,
			"wait 161s",
			"kubectl get pod crash -o " + waitingMessage,
			"wait 301s",
			"kubectl get pod crash -o " + waitingMessage,
			"kubectl get pods",
			"kubectl logs crash --previous",
			"kubectl describe pod crash",
		}},
		{name: "oomkilled", files: map[string]string{"oom.yaml": oomPod}, script: []string{
			"kubectl apply -f oom.yaml",
			"run",
			"kubectl get pods",
			`kubectl get pod memory-demo -o 'jsonpath={.status.containerStatuses[0].lastState.terminated}{"\n"}'`,
			"wait 15s",
			"kubectl get pods",
		}},
		{name: "readiness", files: map[string]string{"web.yaml": probedPod}, script: []string{
			"kubectl apply -f web.yaml",
			"kubectl expose pod web --port=80",
			"run",
			"kubectl get pods",
			"curl web",
			"fault probe web fail",
			"wait 20s",
			"# Not Ready: out of the Service.",
			"kubectl get pods",
			`kubectl get endpointslices -l kubernetes.io/service-name=web -o 'jsonpath={.items[0].endpoints[0].conditions}{"\n"}'`,
			"curl web",
			"fault probe web pass",
			"wait 5s",
			"kubectl get pods",
			"curl web",
		}},
		{name: "liveness", files: map[string]string{"pod.yaml": livenessPod}, script: []string{
			"kubectl apply -f pod.yaml",
			"run",
			"wait 13s",
			"# nginx answers 404 on /healthz: three failures, and the kubelet restarts it.",
			"kubectl get pods",
			"wait 40s",
			"kubectl get pods",
			"kubectl get events --field-selector involvedObject.name=liveness-http,reason=Killing",
		}},
		{name: "node_failure", script: []string{
			"kubectl create deployment web --image=nginx --replicas=3",
			"run",
			"kubectl get pods -o wide",
			"fault node node-2 down",
			"wait 50s",
			"kubectl get nodes",
			"wait 10s",
			"kubectl get nodes",
			`kubectl get node node-2 -o 'jsonpath={.spec.taints}{"\n"}'`,
			"wait 5m",
			"# Evicted after their 300 s toleration, replaced on node-1.",
			"kubectl get pods -o wide",
			"kubectl get events --field-selector reason=TaintManagerEviction",
			"fault node node-2 up",
			"run",
			"wait 5s",
			"kubectl get nodes",
			"kubectl get pods -o wide",
		}},
		drainPDB,
	}
}

// drainPDB is kubectl drain against a PodDisruptionBudget. The real kubectl evicts a node's pods
// in parallel goroutines, retries a refused eviction after 5 s of real time and polls every second
// until an evicted pod is gone (k8s.io/kubectl v0.37.2 pkg/drain/drain.go, evictPods). The script
// keeps the transcript the same at every run without normalising any of it: each drain finds one
// pod on node-2, so nothing is printed in parallel; the refused drain runs with --timeout=3s, which
// kubectl checks before each attempt, so it makes exactly two (the first at once, the second after
// its 5 s sleep, when 3 s have always passed) and exits; the drain that succeeds runs in the
// background while the script waits for the pod to be terminating and then lets the cluster act.
var drainPDB = servedScenario{name: "drain_pdb", script: []string{
	"kubectl create deployment web --image=nginx --replicas=2",
	"run",
	"kubectl get pods -o wide",
	"kubectl create pdb web --selector=app=web --min-available=2",
	"run",
	"kubectl get pdb",
	"# Two pods, two needed: the budget allows no disruption. kubectl drain cordons node-2, asks",
	"# the eviction API, is refused (429), and retries every 5 s until its timeout.",
	"kubectl drain node-2 --timeout=3s",
	"# The failed drain leaves node-2 cordoned.",
	"kubectl get nodes",
	"# The fix: one more replica (on node-1, node-2 being cordoned), and the budget allows one.",
	"kubectl scale deployment web --replicas=3",
	"run",
	"kubectl get pods -o wide",
	"kubectl get pdb",
	"kubectl drain node-2 &",
	`until kubectl get pods -o 'jsonpath={.items[?(@.metadata.deletionTimestamp)].metadata.name}'`,
	"# The eviction spent the budget's one disruption, noted the pod in disruptedPods, and",
	"# gave the pod the DisruptionTarget condition before deleting it.",
	`kubectl get pdb web -o 'jsonpath={.status}{"\n"}'`,
	`kubectl get pods -o 'jsonpath={range .items[?(@.metadata.deletionTimestamp)]}{.metadata.name}{" "}{.status.conditions[?(@.type=="DisruptionTarget")]}{"\n"}{end}'`,
	"# kubectl drain polls every second until the pod is gone: the cluster must act meanwhile.",
	"run",
	"fg",
	"kubectl get nodes",
	"# The replacement runs on node-1.",
	"kubectl get pods -o wide",
	"kubectl get pdb",
	"kubectl uncordon node-2",
	"kubectl get nodes",
}}

// What legitimately varies: ageRE matches what kubectl computes from the machine's clock
// against a cluster that lives in 2001 (describe's event ages: 25y); fieldPathRE the container
// kubectl v1.34 and later put before each event message in describe (older ones do not).
var (
	ageRE       = regexp.MustCompile(`\b[0-9]+y([0-9]+d)?\b`)
	fieldPathRE = regexp.MustCompile(`spec\.(initContainers|containers|ephemeralContainers)\{[^}]*\}: `)
)

func normalize(out string) string {
	return fieldPathRE.ReplaceAllString(ageRE.ReplaceAllString(out, "<age>"), "")
}

func TestRealKubectlScenarios(t *testing.T) {
	bin := kubectlBinaries(t)[0]
	if testing.Short() {
		t.Skip("drives the real kubectl through the issue's scenarios for a minute: skipped with -short")
	}
	// A clock that stands still: the cluster lives on 1 January 2001 and moves only by its
	// steps and waits.
	frozen := time.Date(2001, 1, 1, 9, 0, 0, 0, time.UTC)
	for _, sc := range servedScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			s := start(t, Options{Auto: false, Seed: 1, Now: func() time.Time { return frozen }})
			dir := t.TempDir()
			for name, data := range sc.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r := scenarioRun{t: t, k: kubectl{t: t, bin: bin, kubeconfig: s.kubeconfig, cache: t.TempDir(), dir: dir},
				kubeconfig: s.kubeconfig}
			for _, line := range sc.script {
				r.line(line)
			}
			r.endBackground()
			got := normalize(r.out.String())
			golden := filepath.Join("testdata", "real_kubectl", sc.name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s:\n%s", sc.name, golden, got)
			}
		})
	}
}

// scenarioRun plays one script and keeps its transcript.
type scenarioRun struct {
	t          *testing.T
	k          kubectl
	kubeconfig string
	out        strings.Builder
	bg         *backgroundKubectl // the kubectl started with "… &", until fg
}

// backgroundKubectl is a real kubectl running while the script goes on.
type backgroundKubectl struct {
	line           string
	args           []string
	stdout, stderr *bytes.Buffer
	done           chan struct{} // closed when it has ended, err is its end
	err            error
	cancel         context.CancelFunc
}

func (r *scenarioRun) line(line string) {
	t := r.t
	switch {
	case strings.HasPrefix(line, "#"):
		r.out.WriteString(line + "\n")
	case strings.HasPrefix(line, "kubectl ") && strings.HasSuffix(line, " &"):
		fmt.Fprintf(&r.out, "$ %s\n", line)
		r.startBackground(strings.TrimSuffix(line, " &"))
	case strings.HasPrefix(line, "until kubectl "):
		cmd := strings.TrimPrefix(line, "until ")
		fmt.Fprintf(&r.out, "(until %s prints something)\n", cmd)
		r.until(r.args(cmd))
	case line == "fg":
		if r.bg == nil {
			t.Fatal("fg: no kubectl runs in the background")
		}
		fmt.Fprintf(&r.out, "$ fg\n%s\n", r.bg.line)
		out, errOut, code := r.waitBackground()
		r.writeResult(out, errOut, code)
	case strings.HasPrefix(line, "kubectl "):
		fmt.Fprintf(&r.out, "$ %s\n", line)
		r.writeResult(r.k.run(r.args(line)...))
	default:
		fmt.Fprintf(&r.out, "$ %s\n", line)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		if err := Exec(ctx, r.kubeconfig, line, &r.out); err != nil {
			fmt.Fprintf(&r.out, "[error] %v\n", err)
		}
		cancel()
	}
}

// args splits a "kubectl …" line into kubectl's arguments.
func (r *scenarioRun) args(line string) []string {
	args, err := shellquote.Split(strings.TrimPrefix(line, "kubectl "))
	if err != nil {
		r.t.Fatal(err)
	}
	return args
}

func (r *scenarioRun) writeResult(out, errOut string, code int) {
	r.out.WriteString(out)
	if errOut != "" {
		r.out.WriteString("[stderr]\n" + errOut)
	}
	if code != 0 {
		fmt.Fprintf(&r.out, "[exit %d]\n", code)
	}
}

// startBackground starts a kubectl that the script lets run while it steps the cluster: what it
// prints is written at fg, when it has ended.
func (r *scenarioRun) startBackground(line string) {
	if r.bg != nil {
		r.t.Fatalf("%s: %s still runs in the background (one at a time; fg first)", line, r.bg.line)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	args := r.args(line)
	cmd, stdout, stderr := r.k.command(ctx, args...)
	if err := cmd.Start(); err != nil {
		cancel()
		r.t.Fatalf("%s: %v", line, err)
	}
	bg := &backgroundKubectl{line: line, args: args, stdout: stdout, stderr: stderr, done: make(chan struct{}), cancel: cancel}
	go func() {
		bg.err = cmd.Wait()
		close(bg.done)
	}()
	r.bg = bg
}

// waitBackground waits for the background kubectl to end (it is killed after two minutes) and
// returns what it printed.
func (r *scenarioRun) waitBackground() (string, string, int) {
	bg := r.bg
	r.bg = nil
	<-bg.done
	bg.cancel()
	return bg.stdout.String(), bg.stderr.String(), r.k.exitCode(bg.args, bg.err)
}

// endBackground stops a background kubectl the script left running (a script's mistake).
func (r *scenarioRun) endBackground() {
	if r.bg != nil {
		r.t.Errorf("%s still ran in the background at the end of the script (no fg):\n%s", r.bg.line, r.stopBackground())
	}
}

// stopBackground kills the background kubectl, if any, and says what it had printed.
func (r *scenarioRun) stopBackground() string {
	if r.bg == nil {
		return ""
	}
	line := r.bg.line
	r.bg.cancel()
	out, errOut, code := r.waitBackground()
	return fmt.Sprintf("(%s in the background, killed:)\n%s[stderr]\n%s[exit %d]\n", line, out, errOut, code)
}

// until runs the real kubectl every 100 ms until it prints something: the script waits for
// the served API to show what a background kubectl did (an eviction applied), polling, never
// sleeping blindly. It stops waiting early when the background kubectl has ended.
func (r *scenarioRun) until(args []string) {
	deadline := time.Now().Add(time.Minute)
	for {
		out, errOut, code := r.k.run(args...)
		if code != 0 {
			r.t.Fatalf("until kubectl %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		if strings.TrimSpace(out) != "" {
			return
		}
		if r.bg != nil {
			select {
			case <-r.bg.done:
				return
			default:
			}
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("until kubectl %s: still nothing after a minute; the transcript so far:\n%s%s",
				strings.Join(args, " "), r.out.String(), r.stopBackground())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
