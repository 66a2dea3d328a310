package sandbox

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/locales"
)

var update = flag.Bool("update", false, "rewrite golden files")

const readyWebYAML = `apiVersion: v1
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

// waitForTest is a stand-in for the sandbox's `wait` while it has none: it moves the clock and
// prints each step.
func waitForTest(s *Session) Command {
	return func(_ string, words []string) bool {
		d, err := time.ParseDuration(words[len(words)-1])
		if err != nil {
			return false
		}
		entries, _ := s.cluster.Wait(d, 0)
		for _, e := range entries {
			s.printEntry(e)
		}
		return false
	}
}

// A failing readiness probe takes the pod out of Ready and a passing one brings it back, as the
// sandbox shows it, in both languages.
func TestProbeFaultTranscript(t *testing.T) {
	script := []string{
		"kubectl apply -f web.yaml",
		"kubectl get pods",
		"fault probe web fail",
		"wait 20s",
		"kubectl get pods",
		"kubectl get events --field-selector reason=Unhealthy",
		"fault probe web fail",
		"fault probe pod/web nginx pass",
		"wait 5s",
		"kubectl get pods",
		"fault probe web pass",
		"fault probe nosuch fail",
		"fault probe web other fail",
		"fault probe web sometimes",
		"fault",
		"fault disk full",
	}
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			l, err := locales.New(lang)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			cfg := Config{Seed: 7, Auto: true, L: l, Style: view.NewStyler(false),
				Files: fstest.MapFS{"web.yaml": &fstest.MapFile{Data: []byte(readyWebYAML)}}}
			s, err := New(cfg, &out)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := s.commands["wait"]; !ok {
				s.commands["wait"] = waitForTest(s)
			}
			for _, line := range script {
				out.WriteString("$ " + line + "\n")
				s.Exec(line)
			}
			golden := filepath.Join("testdata", "fault_probe_"+lang+".txt")
			if *update {
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if out.String() != string(want) {
				t.Errorf("transcript differs from %s (run with -update to accept); got:\n%s", golden, out.String())
			}
		})
	}
}

func TestParseProbeFault(t *testing.T) {
	tests := []struct {
		args []string
		want probeFaultArgs
		err  bool
	}{
		{[]string{"web", "fail"}, probeFaultArgs{namespace: "default", pod: "web", fail: true}, false},
		{[]string{"pod/web", "nginx", "pass"}, probeFaultArgs{namespace: "default", pod: "web", container: "nginx"}, false},
		{[]string{"-n", "shop", "web", "fail"}, probeFaultArgs{namespace: "shop", pod: "web", fail: true}, false},
		{[]string{"web", "fail", "--namespace=shop"}, probeFaultArgs{namespace: "shop", pod: "web", fail: true}, false},
		{[]string{"web", "-nshop", "pass"}, probeFaultArgs{namespace: "shop", pod: "web"}, false},
		{[]string{"web"}, probeFaultArgs{}, true},
		{[]string{"web", "broken"}, probeFaultArgs{}, true},
		{[]string{"web", "a", "b", "fail"}, probeFaultArgs{}, true},
		{[]string{"web", "fail", "-n"}, probeFaultArgs{}, true},
		{[]string{"web", "fail", "--force"}, probeFaultArgs{}, true},
		{[]string{"deploy/web", "fail"}, probeFaultArgs{}, true},
		{[]string{"pod/", "fail"}, probeFaultArgs{}, true},
	}
	for _, tt := range tests {
		got, err := parseProbeFault(tt.args)
		if (err != nil) != tt.err {
			t.Errorf("parseProbeFault(%q) error %v, want error %v", tt.args, err, tt.err)
			continue
		}
		if err == nil && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseProbeFault(%q) = %+v, want %+v", tt.args, got, tt.want)
		}
	}
}

// FuzzFaultProbe types any `fault` line into a session: it never panics, and the session goes on.
func FuzzFaultProbe(f *testing.F) {
	for _, s := range []string{"probe web fail", "probe -n x web c pass", "probe pod/ fail", "probe --namespace= web fail", "disk", ""} {
		f.Add(s)
	}
	l, err := locales.New("en")
	if err != nil {
		f.Fatal(err)
	}
	var out bytes.Buffer
	s, err := New(Config{Seed: 1, Auto: true, L: l, Style: view.NewStyler(false)}, &out)
	if err != nil {
		f.Fatal(err)
	}
	s.Exec("run web --image=nginx")
	f.Fuzz(func(t *testing.T, line string) {
		out.Reset()
		s.Exec("fault " + line)
		if strings.Contains(out.String(), "internal error") || strings.Contains(out.String(), "panic") {
			t.Errorf("fault %q: %s", line, out.String())
		}
	})
}
