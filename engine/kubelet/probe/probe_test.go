package probe

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

var t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

const podIP = "10.244.1.2"

func httpProbe(port intstr.IntOrString, path string) *corev1.Probe {
	return &corev1.Probe{TimeoutSeconds: 1, ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: path, Port: port, Scheme: corev1.URISchemeHTTP}}}
}

func execProbe(argv ...string) *corev1.Probe {
	return &corev1.Probe{TimeoutSeconds: 1, ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: argv}}}
}

func TestRun(t *testing.T) {
	nginx := &corev1.Container{Name: "nginx", Image: "nginx:1.27", Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 80}}}
	busybox := &corev1.Container{Name: "app", Image: "busybox", Command: []string{"sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"}}
	tcp := func(port int) *corev1.Probe {
		return &corev1.Probe{TimeoutSeconds: 1, ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt(port)}}}
	}
	tests := []struct {
		name    string
		c       *corev1.Container
		p       *corev1.Probe
		at      time.Duration
		want    Result
		output  string
		wantErr string
	}{
		{"nginx root", nginx, httpProbe(intstr.FromInt(80), "/"), 0, Success, "", ""},
		{"nginx named port", nginx, httpProbe(intstr.FromString("http"), "/index.html"), 0, Success, "", ""},
		{"nginx 404", nginx, httpProbe(intstr.FromInt(80), "/healthz"), 0, Failure, "HTTP probe failed with statuscode: 404", ""},
		{"nothing on 8080", nginx, httpProbe(intstr.FromInt(8080), "/healthz"), 0, Failure,
			`Get "http://10.244.1.2:8080/healthz": dial tcp 10.244.1.2:8080: connect: connection refused`, ""},
		{"unknown port name", nginx, httpProbe(intstr.FromString("web"), "/"), 0, Unknown, "", `port "web" not found`},
		{"tcp open", nginx, tcp(80), 0, Success, "", ""},
		{"tcp refused", nginx, tcp(81), 0, Failure, "dial tcp 10.244.1.2:81: connect: connection refused", ""},
		{"exec cat present", busybox, execProbe("cat", "/tmp/healthy"), 10 * time.Second, Success, "", ""},
		{"exec cat gone", busybox, execProbe("cat", "/tmp/healthy"), 31 * time.Second, Failure, "cat: can't open '/tmp/healthy': No such file or directory\n", ""},
		{"exec gnu cat", nginx, execProbe("cat", "/tmp/healthy"), 0, Failure, "cat: /tmp/healthy: No such file or directory\n", ""},
		{"exec test -f", busybox, execProbe("test", "-f", "/tmp/healthy"), 0, Success, "", ""},
		{"exec sh -c", nginx, execProbe("sh", "-c", "test -f /etc/nginx/nginx.conf && echo ok"), 0, Success, "ok\n", ""},
		{"exec false", nginx, execProbe("false"), 0, Failure, "", ""},
		{"exec not found", nginx, execProbe("pg_isready"), 0, Failure,
			"OCI runtime exec failed: exec failed: unable to start container process: exec: \"pg_isready\": executable file not found in $PATH: unknown\r\n", ""},
		{"exec sh not found", nginx, execProbe("sh", "-c", "pg_isready"), 0, Failure, "sh: 1: pg_isready: not found\n", ""},
		{"exec timeout", nginx, execProbe("sleep", "5"), 0, Failure, `command timed out: "sleep 5" timed out after 1s`, ""},
		{"grpc", nginx, &corev1.Probe{TimeoutSeconds: 1, ProbeHandler: corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 80}}}, 0, Failure,
			`timeout: failed to connect service "10.244.1.2:80" within 1s: context deadline exceeded`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := NewContainer(tt.c, t0)
			got := Run(tt.p, tt.c, podIP, ct, t0.Add(tt.at))
			if got.Result != tt.want || got.Output != tt.output {
				t.Errorf("Run = %q %q, want %q %q", got.Result, got.Output, tt.want, tt.output)
			}
			if (got.Err == nil) != (tt.wantErr == "") || (got.Err != nil && got.Err.Error() != tt.wantErr) {
				t.Errorf("err = %v, want %q", got.Err, tt.wantErr)
			}
		})
	}
}

func TestBreakAndRepair(t *testing.T) {
	c := &corev1.Container{Name: "nginx", Image: "nginx", Command: []string{"sh", "-c", "touch /tmp/healthy; exec nginx"}}
	ct := NewContainer(c, t0)
	live := execProbe("cat", "/tmp/healthy")
	ready := httpProbe(intstr.FromInt(80), "/")
	if r := Run(live, c, podIP, ct, t0); r.Result != Success {
		t.Fatalf("before the fault: %v", r)
	}
	ch := ct.Break([]*corev1.Probe{live, ready}, t0)
	if len(ch.Removed) != 1 || ch.Removed[0] != "/tmp/healthy" {
		t.Errorf("removed %v", ch.Removed)
	}
	if r := Run(live, c, podIP, ct, t0); r.Result != Failure {
		t.Errorf("exec after the fault: %v", r)
	}
	// The start script ran `exec nginx`, which is not nginx's own binary: nothing listens.
	if r := Run(ready, c, podIP, ct, t0); r.Result != Failure || r.Output != `Get "http://10.244.1.2:80/": dial tcp 10.244.1.2:80: connect: connection refused` {
		t.Errorf("http: %v", r)
	}
	ct.Repair(t0)
	if r := Run(live, c, podIP, ct, t0); r.Result != Success {
		t.Errorf("after repair: %v", r)
	}

	plain := &corev1.Container{Name: "nginx", Image: "nginx"}
	ng := NewContainer(plain, t0)
	ng.Break([]*corev1.Probe{ready}, t0)
	if r := Run(ready, plain, podIP, ng, t0); r.Output != "HTTP probe failed with statuscode: 500" {
		t.Errorf("broken nginx: %v", r)
	}
}

func TestScriptWritesDocroot(t *testing.T) {
	c := &corev1.Container{Name: "nginx", Image: "nginx", Args: []string{"nginx", "-g", "daemon off;"}}
	ct := NewContainer(c, t0)
	out, code, _ := ct.Exec([]string{"sh", "-c", "echo ok > /usr/share/nginx/html/healthz"}, time.Second, t0)
	if code != 0 {
		t.Fatalf("exec: %d %q", code, out)
	}
	if r := Run(httpProbe(intstr.FromInt(80), "/healthz"), c, podIP, ct, t0); r.Result != Success {
		t.Errorf("after writing the file: %v", r)
	}
}
