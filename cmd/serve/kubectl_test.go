package serve

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// kubectlBinaries finds the real kubectl on PATH and, beside it, the versioned kubectl.1.NN
// binaries; it returns kubectl itself and the oldest and newest versioned ones. Without kubectl
// the test is skipped, unless K8SLEARN_REQUIRE_KUBECTL=1 (CI), where that is a failure.
func kubectlBinaries(t *testing.T) []string {
	t.Helper()
	path, err := exec.LookPath("kubectl")
	if err != nil {
		if os.Getenv("K8SLEARN_REQUIRE_KUBECTL") == "1" {
			t.Fatal("K8SLEARN_REQUIRE_KUBECTL=1 but there is no kubectl on PATH")
		}
		t.Skip("no kubectl on PATH: the tests that drive k8slearn serve with the real kubectl are skipped " +
			"(set K8SLEARN_REQUIRE_KUBECTL=1 to make this a failure)")
	}
	// kubectl on PATH is often a link into an SDK directory (here /usr/bin/kubectl links into the
	// Google Cloud SDK), and the versioned binaries sit beside its target, not beside the link.
	dirs := []string{filepath.Dir(path)}
	if target, err := filepath.EvalSymlinks(path); err == nil && filepath.Dir(target) != dirs[0] {
		dirs = append(dirs, filepath.Dir(target))
	}
	var versioned []string
	for _, dir := range dirs {
		found, _ := filepath.Glob(filepath.Join(dir, "kubectl.1.*"))
		versioned = append(versioned, found...)
	}
	minor := func(p string) int {
		n, _ := strconv.Atoi(strings.TrimPrefix(filepath.Base(p), "kubectl.1."))
		return n
	}
	sort.Slice(versioned, func(i, j int) bool { return minor(versioned[i]) < minor(versioned[j]) })
	out := []string{path}
	if len(versioned) > 0 {
		out = append(out, versioned[0])
	}
	if len(versioned) > 1 {
		out = append(out, versioned[len(versioned)-1])
	}
	return out
}

// kubectl runs one binary against one serve.
type kubectl struct {
	t          *testing.T
	bin        string
	kubeconfig string
	cache      string
	dir        string // the working directory (files for -f); empty: the test's
}

// run runs kubectl with args and returns stdout, stderr and the exit code.
func (k kubectl) run(args ...string) (string, string, int) {
	k.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	return k.runCtx(ctx, args...)
}

func (k kubectl) runCtx(ctx context.Context, args ...string) (string, string, int) {
	k.t.Helper()
	cmd, stdout, stderr := k.command(ctx, args...)
	code := k.exitCode(args, cmd.Run())
	return stdout.String(), stderr.String(), code
}

// command is kubectl with args, against this serve, its output going to the two buffers.
func (k kubectl) command(ctx context.Context, args ...string) (cmd *exec.Cmd, stdout, stderr *bytes.Buffer) {
	cmd = exec.CommandContext(ctx, k.bin, args...)
	cmd.Dir = k.dir
	cmd.Env = append(filteredEnv(), "KUBECONFIG="+k.kubeconfig, "KUBECACHEDIR="+k.cache, "HOME="+k.cache)
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	return cmd, stdout, stderr
}

// exitCode is the exit code of a kubectl that ended with err; the test fails when it did not run.
func (k kubectl) exitCode(args []string, err error) int {
	k.t.Helper()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	} else if err != nil {
		k.t.Fatalf("kubectl %s: %v", strings.Join(args, " "), err)
	}
	return 0
}

// must runs kubectl and fails the test unless it exits 0.
func (k kubectl) must(args ...string) string {
	k.t.Helper()
	out, errOut, code := k.run(args...)
	if code != 0 {
		k.t.Fatalf("kubectl %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// filteredEnv is the environment without anything that points kubectl elsewhere.
func filteredEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "KUBECONFIG=") || strings.HasPrefix(kv, "KUBECACHEDIR=") || strings.HasPrefix(kv, "HOME=") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// expectLines checks that every pattern matches a whole line of out (spaces collapsed).
func expectLines(t *testing.T, what, out string, patterns ...string) {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	for _, p := range patterns {
		re := regexp.MustCompile("^" + p + "$")
		found := false
		for _, l := range lines {
			if re.MatchString(l) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s: no line matches %q in:\n%s", what, p, out)
		}
	}
}

func countLines(out, pattern string) int {
	re := regexp.MustCompile("^" + pattern + "$")
	n := 0
	for _, l := range strings.Split(out, "\n") {
		if re.MatchString(strings.Join(strings.Fields(l), " ")) {
			n++
		}
	}
	return n
}

const (
	podName = `web-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}`
	rsName  = `web-[bcdfghjklmnpqrstvwxz2456789]{6,10}`
	age     = `[0-9]+(s|m[0-9]*s?)`
)

// TestRealKubectl drives serve with the real kubectl through the command list and checks
// that it prints what it prints against a v1.37 cluster.
func TestRealKubectl(t *testing.T) {
	bins := kubectlBinaries(t) // first: with K8SLEARN_REQUIRE_KUBECTL=1 a missing kubectl fails even with -short
	if testing.Short() {
		t.Skip("drives the real kubectl for about half a minute: skipped with -short")
	}
	for _, bin := range bins {
		t.Run(filepath.Base(bin), func(t *testing.T) {
			s := start(t, Options{Auto: true, Seed: 1})
			k := kubectl{t: t, bin: bin, kubeconfig: s.kubeconfig, cache: t.TempDir()}
			kubectlScript(t, k)
			expectLines(t, "narration", s.out.String(),
				// The client is named by its User-Agent: kubectl, or kubectl.1.27 for a versioned binary.
				`#1 kubectl(\.1\.[0-9]+)? sent its request to kube-apiserver`,
				`#[0-9]+ deployment-controller saw ADDED deployments/web through its watch \(rev [0-9]+\)`,
				`created replicasets/`+rsName)
		})
	}
}

func kubectlScript(t *testing.T, k kubectl) {
	out, _, _ := k.run("version")
	// kubectl 1.27 still prints the version as a struct; later ones print the version alone.
	expectLines(t, "version", out, `Server Version: (v1\.37\.2|version\.Info\{Major:"1", Minor:"37", GitVersion:"v1\.37\.2".*)$`)

	expectLines(t, "create", k.must("create", "deployment", "web", "--image=nginx", "--replicas=3"), `deployment\.apps/web created`)
	expectLines(t, "rollout status", k.must("rollout", "status", "deployment/web", "--timeout=60s"), `deployment "web" successfully rolled out`)

	all := k.must("get", "all")
	expectLines(t, "get all", all,
		`NAME READY STATUS RESTARTS AGE`,
		`pod/`+podName+` 1/1 Running 0 `+age,
		`NAME TYPE CLUSTER-IP EXTERNAL-IP PORT\(S\) AGE`,
		`service/kubernetes ClusterIP 10\.96\.0\.1 <none> 443/TCP `+age,
		`NAME READY UP-TO-DATE AVAILABLE AGE`,
		`deployment\.apps/web 3/3 3 3 `+age,
		`NAME DESIRED CURRENT READY AGE`,
		`replicaset\.apps/`+rsName+` 3 3 3 `+age)
	if n := countLines(all, `pod/`+podName+` 1/1 Running 0 `+age); n != 3 {
		t.Errorf("get all shows %d running pods, want 3", n)
	}

	expectLines(t, "get pods -o wide", k.must("get", "pods", "-o", "wide"),
		`NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES`,
		podName+` 1/1 Running 0 `+age+` 10\.244\.[12]\.[0-9]+ node-[12] <none> <none>`)

	expectLines(t, "get events", k.must("get", "events"),
		`LAST SEEN TYPE REASON OBJECT MESSAGE`,
		age+` Normal ScalingReplicaSet deployment/web Scaled up replica set `+rsName+` from 0 to 3`,
		age+` Normal SuccessfulCreate replicaset/`+rsName+` Created pod: `+podName,
		age+` Normal Scheduled pod/`+podName+` Successfully assigned default/`+podName+` to node-[12]`,
		age+` Normal Pulling pod/`+podName+` Pulling image "nginx"`,
		age+` Normal Started pod/`+podName+` Container started`)

	expectLines(t, "describe deployment", k.must("describe", "deployment", "web"),
		`Name: web`, `Namespace: default`, `Labels: app=web`, `Selector: app=web`,
		`Replicas: 3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable`,
		`StrategyType: RollingUpdate`, `RollingUpdateStrategy: 25% max unavailable, 25% max surge`,
		`Available True MinimumReplicasAvailable`, `Progressing True NewReplicaSetAvailable`,
		`NewReplicaSet: `+rsName+` \(3/3 replicas created\)`,
		`Normal ScalingReplicaSet `+age+` deployment-controller Scaled up replica set `+rsName+` from 0 to 3`)

	pod := strings.TrimPrefix(strings.Fields(k.must("get", "pods", "-o", "name"))[0], "pod/")
	expectLines(t, "describe pod", k.must("describe", "pod", pod),
		`Name: `+pod, `Node: node-[12]/172\.18\.0\.[23]`, `Status: Running`, `Controlled By: ReplicaSet/`+rsName,
		`QoS Class: BestEffort`, `Normal Scheduled `+age+` default-scheduler Successfully assigned default/`+pod+` to node-[12]`)

	// logs through pods/log, from the pod's kubelet: nginx's start-up lines, as the image writes them.
	expectLines(t, "logs", k.must("logs", pod),
		`/docker-entrypoint\.sh: Configuration complete; ready for start up`,
		`[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9:]{8} \[notice\] 1#1: start worker processes`)
	expectLines(t, "logs --tail --timestamps", k.must("logs", pod, "--tail=1", "--timestamps"),
		`[0-9-]{10}T[0-9:.]+Z [0-9/]{10} [0-9:]{8} \[notice\] 1#1: start worker process [0-9]+`)
	expectLines(t, "logs deployment", k.must("logs", "deployment/web", "--tail=1"), `.*start worker process [0-9]+`)
	if _, errOut, code := k.run("logs", pod, "--previous"); code != 1 ||
		!strings.Contains(errOut, `Error from server (BadRequest): previous terminated container "nginx" in pod "`+pod+`" not found`) {
		t.Errorf("logs --previous: exit %d %q", code, errOut)
	}
	// kubectl words a missing pod by its version: "Error from server (NotFound): pods "nosuch" not
	// found" (1.27–1.33), "error: error from server (NotFound): … in namespace "default"" (later).
	if _, errOut, code := k.run("logs", "nosuch"); code != 1 ||
		!regexp.MustCompile(`(?i)^(error: )?error from server \(NotFound\): pods "nosuch" not found`).MatchString(errOut) {
		t.Errorf("logs nosuch: exit %d %q", code, errOut)
	}
	// logs -f streams until the client goes: here, until the context ends.
	fctx, fcancel := context.WithTimeout(context.Background(), 3*time.Second)
	followed, _, _ := k.runCtx(fctx, "logs", "-f", pod, "--tail=2")
	fcancel()
	expectLines(t, "logs -f", followed, `.*start worker process [0-9]+`)

	// exec through pods/exec over WebSocket (kubectl 1.30+; older kubectl speak only SPDY).
	if filepath.Base(k.bin) == "kubectl" {
		if got := strings.TrimSpace(k.must("exec", pod, "--", "cat", "/etc/hostname")); got != pod {
			t.Errorf("exec cat /etc/hostname: %q, want %q", got, pod)
		}
		if out, errOut, code := k.run("exec", pod, "--", "sh", "-c", "echo out; echo err >&2; exit 3"); code != 3 ||
			!strings.Contains(errOut, "command terminated with exit code 3") {
			t.Errorf("exec exit 3: exit %d %q %q", code, out, errOut)
		}
		if _, errOut, code := k.run("exec", pod, "--", "nosuch"); code != 1 ||
			!strings.Contains(errOut, `error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "`) ||
			!strings.Contains(errOut, `OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch": executable file not found in $PATH: unknown`) {
			t.Errorf("exec nosuch: exit %d %q", code, errOut)
		}
	}

	// get pods -w while the deployment scales up.
	ctx, cancel := context.WithCancel(context.Background())
	watchOut := make(chan string, 1)
	go func() {
		out, _, _ := k.runCtx(ctx, "get", "pods", "-w")
		watchOut <- out
	}()
	time.Sleep(time.Second) // let the watch start
	// A server-side dry run changes nothing (serve used to delete for real).
	expectLines(t, "delete --dry-run=server", k.must("delete", "deployment", "web", "--dry-run=server"),
		`deployment\.apps "web" deleted \(server dry run\)`)
	expectLines(t, "after the dry run", k.must("get", "deployment", "web"), `web 3/3 3 3 `+age)
	expectLines(t, "scale", k.must("scale", "deployment", "web", "--replicas=5"), `deployment\.apps/web scaled`)
	k.must("rollout", "status", "deployment/web", "--timeout=60s")
	time.Sleep(500 * time.Millisecond)
	cancel()
	watched := <-watchOut
	expectLines(t, "get pods -w", watched,
		`NAME READY STATUS RESTARTS AGE`,
		podName+` 0/1 Pending 0 `+age,
		podName+` 0/1 ContainerCreating 0 `+age,
		podName+` 1/1 Running 0 `+age)
	if n := countLines(watched, podName+` 1/1 Running 0 `+age); n < 5 {
		t.Errorf("get pods -w saw %d Running lines, want at least 5:\n%s", n, watched)
	}

	expectLines(t, "set image", k.must("set", "image", "deployment/web", "nginx=nginx:1.27"), `deployment\.apps/web image updated`)
	expectLines(t, "rollout status after set image", k.must("rollout", "status", "deployment/web", "--timeout=90s"),
		`deployment "web" successfully rolled out`)
	rs := k.must("get", "rs", "-o", "wide")
	expectLines(t, "get rs -o wide", rs,
		`NAME DESIRED CURRENT READY AGE CONTAINERS IMAGES SELECTOR`,
		rsName+` 5 5 5 `+age+` nginx nginx:1\.27 app=web,pod-template-hash=[a-z0-9]+`,
		rsName+` 0 0 0 `+age+` nginx nginx app=web,pod-template-hash=[a-z0-9]+`)

	serviceScript(t, k)

	// apply, apply unchanged, apply changed: the label the file no longer sets goes (kubectl's
	// three-way patch through the server's strategic merge patch).
	manifest := filepath.Join(t.TempDir(), "api.yaml")
	write := func(replicas int, image, labels string) {
		m := fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {%s}
spec:
  replicas: %d
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: %s
`, labels, replicas, image)
		if err := os.WriteFile(manifest, []byte(m), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(2, "nginx:1.27", `a: "1", b: "2"`)
	expectLines(t, "apply", k.must("apply", "-f", manifest), `deployment\.apps/api created`)
	expectLines(t, "apply again", k.must("apply", "-f", manifest), `deployment\.apps/api unchanged`)
	write(4, "nginx:1.28", `a: "1"`)
	expectLines(t, "apply changed", k.must("apply", "-f", manifest), `deployment\.apps/api configured`)
	if got := k.must("get", "deployment", "api", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.labels}"); got != `4 nginx:1.28 {"a":"1"}` {
		t.Errorf("after apply: %q", got)
	}
	// The annotation as kubectl writes it; the sandbox's apply writes the same (engine/kubectl
	// TestApplyAnnotation).
	wantApplied := `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"a":"1"},"name":"api","namespace":"default"},` +
		`"spec":{"replicas":4,"selector":{"matchLabels":{"app":"api"}},"template":{"metadata":{"labels":{"app":"api"}},"spec":{"containers":[{"image":"nginx:1.28","name":"api"}]}}}}` + "\n"
	if got := k.must("get", "deployment", "api", "-o", `jsonpath={.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}`); got != wantApplied {
		t.Errorf("last-applied-configuration\n got  %q\n want %q", got, wantApplied)
	}

	// patch, in the three formats kubectl sends.
	expectLines(t, "patch --type=json", k.must("patch", "deployment", "api", "--type=json", "-p", `[{"op":"replace","path":"/spec/replicas","value":3}]`),
		`deployment\.apps/api patched`)
	expectLines(t, "patch --type=merge", k.must("patch", "deployment", "api", "--type=merge", "-p", `{"metadata":{"labels":{"tier":"backend"}}}`),
		`deployment\.apps/api patched`)
	expectLines(t, "patch (strategic)", k.must("patch", "deployment", "api", "-p", `{"spec":{"template":{"spec":{"containers":[{"name":"api","image":"nginx:1.29"}]}}}}`),
		`deployment\.apps/api patched`)
	if got := k.must("get", "deployment", "api", "-o", "jsonpath={.spec.replicas} {.metadata.labels.tier} {.spec.template.spec.containers[0].image}"); got != "3 backend nginx:1.29" {
		t.Errorf("after the patches: %q", got)
	}
	// A Deployment sent to the scale subresource: the object cannot become a Scale.
	_, errOut, code := k.run("patch", "deployment", "api", "--subresource=scale", "--type=merge", "-p", `{"apiVersion":"apps/v1","kind":"Deployment","spec":{"replicas":1}}`)
	if errOut = strings.TrimSpace(errOut); code == 0 || !strings.HasPrefix(errOut, `The request is invalid: patch: Invalid value: "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",`) ||
		!strings.HasSuffix(errOut, `": converting (v1.Deployment) to (autoscaling.Scale): unknown conversion`) {
		t.Errorf("patch scale with a Deployment: exit %d %q", code, errOut)
	}

	expectLines(t, "delete", k.must("delete", "deployment", "web"), `deployment\.apps "web" deleted( from default namespace)?`)
	if _, errOut, code := k.run("get", "deployment", "web"); code == 0 || !strings.Contains(errOut, `Error from server (NotFound): deployments.apps "web" not found`) {
		t.Errorf("get after delete: %d %s", code, errOut)
	}

	explain := k.must("explain", "deployment.spec.replicas")
	if filepath.Base(k.bin) == "kubectl" {
		golden(t, "explain_deployment_spec_replicas.txt", explain)
	} else {
		// Other kubectl versions lay explain out differently; the field and its description
		// (from the OpenAPI document serve generates) must be there.
		expectLines(t, "explain", explain, `FIELD: replicas <integer>`, `\s*Number of desired pods\..*`)
	}

	// The bad inputs: the API server's own words, as kubectl shows them.
	bad := []struct {
		args []string
		err  string
	}{
		{[]string{"create", "deployment", "Web", "--image=nginx"}, `error: failed to create deployment: Deployment.apps "Web" is invalid: metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`},
		{[]string{"get", "pods", "nosuch"}, `Error from server (NotFound): pods "nosuch" not found`},
		{[]string{"get", "foos"}, `error: the server doesn't have a resource type "foos"`},
		{[]string{"create", "deployment", "api", "--image=nginx"}, `error: failed to create deployment: deployments.apps "api" already exists`},
		{[]string{"get", "pods", "--field-selector", "foo=bar"}, `Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "foo=bar": field label not supported: foo`},
		{[]string{"create", "service", "nodeport", "bad", "--tcp=80", "--node-port=80"}, `error: failed to create NodePort service: Service "bad" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767`},
		// 1.6 KB of copies that would double a value 34 times: refused at kube-apiserver's 3 MiB.
		{[]string{"patch", "deployment", "api", "--type=json", "-p", string(copyBomb(34))}, `The request is invalid: the server rejected our request due to an error in our request`},
	}
	for _, b := range bad {
		out, errOut, code := k.run(b.args...)
		if code == 0 || strings.TrimSpace(errOut) != b.err {
			t.Errorf("kubectl %s: exit %d\n stdout %q\n stderr %q\n want   %q", strings.Join(b.args, " "), code, out, strings.TrimSpace(errOut), b.err)
		}
	}
	strict := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(strict, []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bad\nspec:\n  foo: bar\n  selector:\n    matchLabels: {app: bad}\n"+
		"  template:\n    metadata:\n      labels: {app: bad}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n"), 0o644)
	_, errOut, code = k.run("apply", "-f", strict)
	want := `Error from server (BadRequest): error when creating "` + strict + `": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"`
	if code == 0 || strings.TrimSpace(errOut) != want {
		t.Errorf("apply with an unknown field: exit %d %q\nwant %q", code, errOut, want)
	}
}

// serviceScript exposes the Deployment (5 ready pods) and reads what the EndpointSlice and
// Endpoints controllers wrote for it.
func serviceScript(t *testing.T, k kubectl) {
	expectLines(t, "expose", k.must("expose", "deployment", "web", "--port=80"), `service/web exposed`)
	const sliceName = `web-[bcdfghjklmnpqrstvwxz2456789]{5}`
	const podIP = `10\.244\.[12]\.[0-9]+`
	var slices string
	for range 50 { // serve runs the control plane on its own; the slice follows the Service
		if slices = k.must("get", "endpointslices"); countLines(slices, sliceName+` .*`) == 1 && strings.Contains(slices, "more...") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	expectLines(t, "get endpointslices", slices,
		`NAME ADDRESSTYPE PORTS ENDPOINTS AGE`,
		`kubernetes IPv4 6443 172\.18\.0\.1 `+age,
		sliceName+` IPv4 80 `+podIP+`,`+podIP+`,`+podIP+` \+ 2 more\.\.\. `+age)
	expectLines(t, "describe svc", k.must("describe", "svc", "web"),
		`Name: web`, `Selector: app=web`, `Type: ClusterIP`, `IP: 10\.(9[6-9]|1[01][0-9])\.[0-9]+\.[0-9]+`,
		`Port: <unset> 80/TCP`, `TargetPort: 80/TCP`,
		`Endpoints: `+podIP+`:80,`+podIP+`:80,`+podIP+`:80 \+ 2 more\.\.\.`,
		`Session Affinity: None`)
	slice := strings.TrimPrefix(strings.Fields(k.must("get", "endpointslices", "-l", "kubernetes.io/service-name=web", "-o", "name"))[0], "endpointslice.discovery.k8s.io/")
	expectLines(t, "describe endpointslice", k.must("describe", "endpointslice", slice),
		`Name: `+slice, `Labels: app=web`, `endpointslice\.kubernetes\.io/managed-by=endpointslice-controller\.k8s\.io`,
		`kubernetes\.io/service-name=web`, `AddressType: IPv4`, `<unset> 80 TCP`, `- Addresses: `+podIP,
		`Ready: true`, `TargetRef: Pod/`+podName, `NodeName: node-[12]`)
	out, errOut, code := k.run("get", "endpoints", "web")
	if code != 0 || !strings.Contains(errOut, "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice") {
		t.Errorf("get endpoints: exit %d, stderr %q", code, errOut)
	}
	expectLines(t, "get endpoints", out, `web `+podIP+`:80,`+podIP+`:80,`+podIP+`:80 \+ 2 more\.\.\. `+age)
	expectLines(t, "create service nodeport", k.must("create", "service", "nodeport", "web-np", "--tcp=80"), `service/web-np created`)
	expectLines(t, "get svc web-np", k.must("get", "svc", "web-np"), `web-np NodePort 10\.[0-9.]+ <none> 80:3[0-2][0-9]{3}/TCP `+age)
}

// copyBomb is a small JSON patch whose every copy doubles an array.
func copyBomb(doublings int) []byte {
	ops := []string{`{"op":"add","path":"/bomb","value":["0123456789abcdef"]}`}
	for range doublings {
		ops = append(ops, `{"op":"copy","from":"/bomb","path":"/bomb/-"}`)
	}
	return []byte("[" + strings.Join(ops, ",") + "]")
}

// golden compares out with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, out string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != out {
		t.Errorf("%s differs:\n got:\n%s\n want:\n%s", name, out, want)
	}
}
