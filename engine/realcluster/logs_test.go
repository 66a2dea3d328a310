package realcluster

import (
	"io"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// kubectl logs on a real cluster: pods/log with its options, through the guard, in the lesson's
// namespace; the previous instance of a crash-looping container, the last lines, whether the
// container still writes, and the API server's own error for a previous instance there is not.
func TestPodLogs(t *testing.T) {
	s := serve(t, nil)
	var log RequestLog
	c := open(t, s.kubeconfig, &log)
	if err := c.CreateNamespace("troubleshooting"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ name, image, script string }{
		{"crash", "busybox", "echo the app starts; echo and fails; exit 1"},
		{"web", "nginx", ""},
	} {
		pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: p.name},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: p.image}}}}
		if p.script != "" {
			pod.Spec.Containers[0].Command = []string{"sh", "-c", p.script}
		}
		if _, err := c.Create("pods", c.Namespace(), pod); err != nil {
			t.Fatal(err)
		}
	}
	s.cluster.Run(0)
	s.cluster.Wait(15*time.Second, 0) // the crash's back-off of 10 s passes: it ran twice
	tail := int64(1)
	for _, tt := range []struct {
		pod      string
		opts     apiserver.PodLogOptions
		text     string
		running  bool
		errorMsg string
	}{
		{pod: "crash", opts: apiserver.PodLogOptions{Container: "app", Previous: true}, text: "the app starts\nand fails\n"},
		{pod: "crash", opts: apiserver.PodLogOptions{Container: "app", Previous: true, TailLines: &tail}, text: "and fails\n"},
		{pod: "crash", opts: apiserver.PodLogOptions{Container: "app"}, text: "the app starts\nand fails\n"},
		{pod: "web", opts: apiserver.PodLogOptions{Container: "app", TailLines: &tail}, text: "2026/", running: true},
		{pod: "web", opts: apiserver.PodLogOptions{Container: "app", Previous: true},
			errorMsg: `previous terminated container "app" in pod "web" not found`},
		{pod: "web", opts: apiserver.PodLogOptions{Container: "nope"}, errorMsg: `container nope is not valid for pod web`},
	} {
		got, err := c.API().PodLogs(c.Namespace(), tt.pod, tt.opts)
		if tt.errorMsg != "" {
			if !apierrors.IsBadRequest(err) || err.Error() != tt.errorMsg {
				t.Errorf("%s %+v: err %v, want BadRequest %q", tt.pod, tt.opts, err, tt.errorMsg)
			}
			continue
		}
		if err != nil || !strings.HasPrefix(string(got.Text), tt.text) || got.Running != tt.running || got.Container != "app" || got.Node == "" {
			t.Errorf("%s %+v: %q running %v container %q node %q, err %v; want %q running %v", tt.pod, tt.opts,
				got.Text, got.Running, got.Container, got.Node, err, tt.text, tt.running)
		}
		if tt.opts.TailLines != nil && strings.Count(string(got.Text), "\n") != 1 {
			t.Errorf("%s --tail=1: %q", tt.pod, got.Text)
		}
	}
	// -f of a container that has ended: the stream gives its log and ends.
	stream, err := c.API().FollowPodLogs(c.Namespace(), "crash", apiserver.PodLogOptions{Container: "app", Previous: true})
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(stream)
	stream.Close()
	if err != nil || string(text) != "the app starts\nand fails\n" {
		t.Errorf("follow the previous instance: %q, %v", text, err)
	}
	logs := 0
	for _, r := range log.Requests() {
		if strings.HasSuffix(r.Path, "/log") {
			logs++
		}
		if r.Refused || !(Scope{Namespace: c.Namespace()}).Allows(r.Method, r.Path) {
			t.Errorf("request outside the lesson's scope: %s", r)
		}
	}
	if logs != 7 {
		t.Errorf("%d log requests, want 7", logs)
	}
}
