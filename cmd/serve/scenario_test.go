package serve

import (
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

// servedScenario is a script: "kubectl …" lines run the real kubectl, "# …" lines are comments,
// any other line is a sandbox command sent to serve.
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
	}
}

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
			k := kubectl{t: t, bin: bin, kubeconfig: s.kubeconfig, cache: t.TempDir(), dir: dir}
			var b strings.Builder
			for _, line := range sc.script {
				if strings.HasPrefix(line, "#") {
					b.WriteString(line + "\n")
					continue
				}
				fmt.Fprintf(&b, "$ %s\n", line)
				switch {
				case strings.HasPrefix(line, "kubectl "):
					args, err := shellquote.Split(strings.TrimPrefix(line, "kubectl "))
					if err != nil {
						t.Fatal(err)
					}
					out, errOut, code := k.run(args...)
					b.WriteString(out)
					if errOut != "" {
						b.WriteString("[stderr]\n" + errOut)
					}
					if code != 0 {
						fmt.Fprintf(&b, "[exit %d]\n", code)
					}
				default:
					ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
					if err := Exec(ctx, s.kubeconfig, line, &b); err != nil {
						fmt.Fprintf(&b, "[error] %v\n", err)
					}
					cancel()
				}
			}
			got := normalize(b.String())
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
