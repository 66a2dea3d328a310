package sandbox

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/locales"
)

// The container faults, as the sandbox shows them in both languages: an image that goes away
// (the deployment's next pod cannot pull it), a crash, an OOM kill, and the errors for what does
// not exist.
func TestContainerFaultTranscript(t *testing.T) {
	script := []string{
		"kubectl create deployment web --image=nginx:1.27 --replicas=1",
		"kubectl run app --image=busybox -- sh -c 'echo up; sleep infinity'",
		"fault image nginx:1.27 unavailable",
		"fault image nginx:1.27 unavailable",
		"kubectl get pods",
		"kubectl scale deployment web --replicas=2",
		"kubectl get pods",
		"fault image nginx:1.27 available",
		"wait 15s",
		"kubectl get pods",
		"fault container app crash 3",
		"kubectl get pods",
		"kubectl describe pod app",
		"fault container app oom",
		"kubectl get pods app",
		"kubectl logs app --previous",
		"fault container nosuch crash",
		"fault container app other crash",
		"fault container app crash 300",
		"fault container app crash a b",
		"fault image NGINX unavailable",
		"fault image nginx:9.9 available",
	}
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			l, err := locales.New(lang)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			s, err := New(Config{Seed: 7, Auto: true, L: l, Style: view.NewStyler(false)}, &out)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range script {
				out.WriteString("$ " + line + "\n")
				s.Exec(line)
			}
			golden := filepath.Join("testdata", "fault_containers_"+lang+".txt")
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

// FuzzFaultContainer types any container or image fault into a session: it never panics, and the
// session goes on.
func FuzzFaultContainer(f *testing.F) {
	for _, s := range []string{"container app crash", "container app crash 7", "container app oom app", "container default/app crash",
		"image nginx unavailable", "image nginx available", "image @@ unavailable", "container pod/ crash", "container app crash -1"} {
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
	s.Exec("run app --image=nginx")
	f.Fuzz(func(t *testing.T, line string) {
		out.Reset()
		s.Exec("fault " + line)
		if strings.Contains(out.String(), "internal error") || strings.Contains(out.String(), "panic") {
			t.Errorf("fault %q: %s", line, out.String())
		}
	})
}
