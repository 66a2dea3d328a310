package kubelet_test

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl"
)

// A container that restarts gets the variables of the Services that exist then: the kubelet
// works them out once per namespace, and again after a Service changed.
func TestRestartedContainerSeesNewService(t *testing.T) {
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	k := kubectl.New(c, nil)
	run := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if code := k.Run(args, kubectl.Streams{Out: &out, ErrOut: io.Discard}); code != 0 {
			t.Fatalf("kubectl %s: exit %d", strings.Join(args, " "), code)
		}
		return out.String()
	}
	run("run", "p", "--image=busybox:1.37", "--", "sh", "-c", `echo "web=$WEB_SERVICE_HOST"; exit 1`)
	c.Run(0)
	if got := run("logs", "p"); got != "web=\n" {
		t.Fatalf("before the Service: %q", got)
	}
	run("create", "service", "clusterip", "web", "--tcp=80")
	c.Run(0)
	c.Wait(30*time.Second, 0)
	if got := run("logs", "p"); got == "web=\n" || !strings.HasPrefix(got, "web=10.") {
		t.Errorf("after the Service, the restarted container wrote %q", got)
	}
}
