package realcluster

import (
	"strings"
	"testing"
	"time"

	"github.com/k8slearn/k8slearn/engine/kubectl"
)

var _ kubectl.API = API{}

// The sandbox's kubectl, sent through a real cluster's API: the lesson's namespace is where its
// commands go without -n, what it prints is what it prints against the miniature, and a
// server-side dry run stores nothing.
func TestKubectlThroughAPI(t *testing.T) {
	s := serve(t, nil)
	var log RequestLog
	c := open(t, s.kubeconfig, &log)
	if err := c.CreateNamespace("deployment"); err != nil {
		t.Fatal(err)
	}
	k := kubectl.NewRemote(kubectl.Remote{API: c.API(), DryRun: c.DryRun().API(), Registry: c.Registry(),
		Now: time.Now, Namespace: c.Namespace()}, nil)
	run := func(line string) (string, int) {
		var out strings.Builder
		code := k.Run(strings.Fields(line), kubectl.Streams{Out: &out, ErrOut: &out})
		return out.String(), code
	}
	for _, tt := range []struct{ line, want string }{
		{"create deployment web --image=nginx --replicas=2", "deployment.apps/web created\n"},
		{"create deployment db --image=redis --dry-run=server", "deployment.apps/db created (server dry run)\n"},
		{"get deployments -o name", "deployment.apps/web\n"},
		{"scale deployment web --replicas=3", "deployment.apps/web scaled\n"},
		{"get deployment web -o jsonpath={.spec.replicas}", "3"},
		{"get pods -n kube-system", "k8slearn refused to send GET /api/v1/namespaces/kube-system/pods"},
	} {
		got, _ := run(tt.line)
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s:\n%s\nwant %q", tt.line, got, tt.want)
		}
	}
	s.cluster.Run(0)
	if got, code := run("get pods -o wide"); code != 0 || strings.Count(got, "Running") != 3 {
		t.Errorf("get pods -o wide (exit %d):\n%s", code, got)
	}
	if got, _ := run("get deployment web -o yaml"); strings.Contains(got, "managedFields") || !strings.Contains(got, "namespace: "+c.Namespace()) {
		t.Errorf("-o yaml:\n%s", got)
	}
}
