package kubectl

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kballard/go-shellquote"

	"github.com/k8slearn/k8slearn/engine/cluster"
)

// FuzzLogsExec runs any logs, exec or top command line (split as a shell splits it) against a
// cluster with a running nginx, a crash-looping busybox and a pod whose image does not pull:
// nothing panics, and the exit status is kubectl's (0, 1, 2) or a command's own (exec).
func FuzzLogsExec(f *testing.F) {
	for _, sc := range containerScenarios() {
		for _, line := range sc.script {
			if strings.HasPrefix(line, "kubectl logs") || strings.HasPrefix(line, "kubectl exec") || strings.HasPrefix(line, "kubectl top") {
				f.Add(strings.TrimPrefix(line, "kubectl "))
			}
		}
	}
	for _, s := range []string{"logs web -f --tail=1", "logs crash -p --timestamps --since=1s", "logs bad", "logs deploy/nosuch",
		"exec web -- sh -c 'for i in 1 2 3; do echo $i; done'", "exec crash -- ls", "exec web -c nope -- ls", "exec -- ls",
		"exec web -- sh -c 'while true; do :; done'", "exec web -- kill -9 1", "logs web --limit-bytes=1", "top pod -A"} {
		f.Add(s)
	}
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		f.Fatal(err)
	}
	k := New(c, nil)
	for _, line := range []string{"run web --image=nginx", "run crash --image=busybox -- sh -c 'exit 1'", "run bad --image=nginx:0.0.0"} {
		args, _ := shellquote.Split(line)
		k.Run(args, Streams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}})
	}
	c.Run(0)
	f.Fuzz(func(t *testing.T, line string) {
		args, err := shellquote.Split(line)
		if err != nil || len(line) > 1024 || len(args) == 0 || (args[0] != "logs" && args[0] != "exec" && args[0] != "top") {
			t.Skip()
		}
		var out, errOut bytes.Buffer
		code := k.Run(args, Streams{Out: &out, ErrOut: &errOut})
		if code < 0 || code > 255 {
			t.Errorf("%q: exit %d", line, code)
		}
	})
}
