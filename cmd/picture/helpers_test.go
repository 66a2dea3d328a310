package picture

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl"
	"github.com/k8slearn/k8slearn/locales"
)

var update = flag.Bool("update", false, "rewrite golden files")

// deployment is the acceptance run: seed 7, a Deployment of three nginx replicas, run
// until the control plane is idle.
func deployment(t testing.TB) *cluster.Cluster {
	t.Helper()
	c, err := cluster.New(cluster.DefaultConfig(7))
	if err != nil {
		t.Fatal(err)
	}
	kubectlRun(t, c, "create deployment web --image=nginx --replicas=3")
	c.Run(0)
	return c
}

func kubectlRun(t testing.TB, c *cluster.Cluster, line string) {
	t.Helper()
	k := kubectl.NewFS(c, nil)
	if code := k.Run(strings.Fields(line), kubectl.Streams{Out: io.Discard, ErrOut: io.Discard}); code != 0 {
		t.Fatalf("kubectl %s: exit %d", line, code)
	}
	c.Flush()
}

func localizer(t testing.TB, lang string) *locales.Localizer {
	t.Helper()
	l, err := locales.New(lang)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func capture(t testing.TB, c *cluster.Cluster, lang string) Picture {
	t.Helper()
	l := localizer(t, lang)
	return Capture(c, l, Options{Context: l.T("picture.context.sandbox"), Seed: 7})
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
		t.Fatalf("%v (go test ./cmd/picture -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from its golden file (go test ./cmd/picture -update, then read the diff)", name)
	}
}
