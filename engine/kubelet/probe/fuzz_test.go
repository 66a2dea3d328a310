package probe

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// FuzzExec runs any command line and start script through the simulated shell: it never
// panics, and a script never sleeps past the probe's timeout.
func FuzzExec(f *testing.F) {
	for _, s := range []string{"cat /tmp/healthy", "test -f /tmp/x && echo ok || exit 3", "touch /tmp/a; sleep 30; rm -f /tmp/a",
		"while true; do sleep 1; done", "echo $(id) > /tmp/x", "[ -d /tmp ]", "sleep infinity", "rm -rf /", "ls / >> /tmp/l", "'unterminated"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script string) {
		c := &corev1.Container{Name: "c", Image: "busybox", Command: []string{"sh", "-c", script}}
		ct := NewContainer(c, t0)
		_, _, _ = ct.Exec([]string{"sh", "-c", script}, time.Second, t0.Add(time.Hour))
		sh := &shell{land: gnu, fs: newFS(baseDirs, nil), limit: time.Second}
		r := sh.execDirect([]string{"sh", "-c", script})
		if sh.elapsed > time.Second {
			t.Errorf("slept %v past the timeout", sh.elapsed)
		}
		_ = r
	})
}
