package realcluster

import (
	"bytes"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// kubectl exec on a real cluster: pods/exec over WebSocket, through the guard, in the lesson's
// namespace; a command's exit code comes back as the exit code, not as an error.
func TestPodExec(t *testing.T) {
	s := serve(t, nil)
	var log RequestLog
	c := open(t, s.kubeconfig, &log)
	if err := c.CreateNamespace("pod"); err != nil {
		t.Fatal(err)
	}
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "nginx", Image: "nginx"}}}}
	if _, err := c.Create("pods", c.Namespace(), pod); err != nil {
		t.Fatal(err)
	}
	s.cluster.Run(0)
	for _, tt := range []struct {
		argv        []string
		code        int
		out, errOut string
	}{
		{[]string{"echo", "hello"}, 0, "hello\n", ""},
		{[]string{"false"}, 1, "", ""},
		{[]string{"cat", "/nosuch"}, 1, "", "cat: /nosuch: No such file or directory\n"},
	} {
		var out, errOut bytes.Buffer
		code, err := c.API().PodExec(c.Namespace(), "web", "", tt.argv, &out, &errOut)
		if err != nil || code != tt.code || out.String() != tt.out || errOut.String() != tt.errOut {
			t.Errorf("%v: code %d, err %v, out %q, stderr %q; want %d, %q, %q", tt.argv, code, err, out.String(), errOut.String(),
				tt.code, tt.out, tt.errOut)
		}
	}
	if _, err := c.API().PodExec(c.Namespace(), "nosuch", "", []string{"true"}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Error("exec in a pod that does not exist: no error")
	}
	execs := 0
	for _, r := range log.Requests() {
		if strings.HasSuffix(r.Path, "/exec") {
			execs++
			if r.Path != "/api/v1/namespaces/"+c.Namespace()+"/pods/web/exec" && !strings.HasSuffix(r.Path, "/nosuch/exec") || r.Refused {
				t.Errorf("exec request %s", r)
			}
		}
	}
	if execs != 4 {
		t.Errorf("%d exec requests logged, want 4", execs)
	}
}
