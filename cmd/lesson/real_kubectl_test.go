package lesson

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kballard/go-shellquote"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/engine/kubectl"
	"github.com/k8slearn/k8slearn/engine/realcluster"
	"github.com/k8slearn/k8slearn/locales"
)

// firstWrite is an output that tells when something was first written to it.
type firstWrite struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{}
	once    sync.Once
}

func (w *firstWrite) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.once.Do(func() { close(w.written) })
	return w.buf.Write(p)
}

func (w *firstWrite) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// The sandbox's kubectl on a real cluster (`k8slearn serve --auto`, moving in real time):
// kubectl logs, --previous and its error, logs -f that ends with its container or is stopped
// with a note, and get --watch printing the rows listed, then a row for each change made while
// it watches, then a note; every request within the namespace.
func TestRemoteLogsAndWatch(t *testing.T) {
	if testing.Short() {
		t.Skip("runs kubectl against a served cluster in real time")
	}
	kubeconfig := startServe(t)
	var log realcluster.RequestLog
	ns := "k8slearn-realio-tst"
	c, err := realcluster.Open(realcluster.Options{Kubeconfig: kubeconfig, Namespace: ns, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CreateNamespace("watch"); err != nil {
		t.Fatal(err)
	}
	defer c.DeleteNamespace()
	l, err := locales.New("en")
	if err != nil {
		t.Fatal(err)
	}
	remote := func(quiet time.Duration) *kubectl.Kubectl {
		k := kubectl.NewRemote(kubectl.Remote{API: c.API(), DryRun: c.DryRun().API(), Registry: c.Registry(), Now: time.Now,
			Namespace: ns, After: time.After, Patience: 20 * time.Second, Quiet: quiet}, nil)
		k.SetTranslator(l.T)
		return k
	}
	k := remote(time.Second)
	run := func(k *kubectl.Kubectl, line string) (string, string, int) {
		t.Helper()
		args, err := shellquote.Split(line)
		if err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		code := k.Run(args, kubectl.Streams{Out: &out, ErrOut: &errOut})
		return out.String(), errOut.String(), code
	}
	must := func(line string) {
		t.Helper()
		if out, errOut, code := run(k, line); code != 0 {
			t.Fatalf("%s: exit %d\n%s%s", line, code, out, errOut)
		}
	}
	// until waits for what a cluster moving in real time does by itself.
	until := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); !ok(); time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("30 s and still not %s", what)
			}
		}
	}
	pod := func(name string) *corev1.Pod {
		obj, err := c.Get("pods", ns, name)
		if err != nil {
			return &corev1.Pod{}
		}
		return obj.(*corev1.Pod)
	}
	must("run crash --image=busybox -- sh -c 'echo the app starts; echo and fails; exit 1'")
	must("run ticker --image=busybox -- sh -c 'echo one; echo two; sleep 3600'")
	until("crash restarted and ticker running", func() bool {
		cs, ts := pod("crash").Status.ContainerStatuses, pod("ticker").Status.ContainerStatuses
		return len(cs) == 1 && cs[0].RestartCount > 0 && len(ts) == 1 && ts[0].State.Running != nil
	})

	for _, tt := range []struct {
		line, out, errOut string
		code              int
	}{
		{"logs crash --previous", "the app starts\nand fails\n", "", 0},
		{"logs crash -p --tail=1", "and fails\n", "", 0},
		{"logs ticker", "one\ntwo\n", "", 0},
		{"logs ticker --previous", "",
			"Error from server (BadRequest): previous terminated container \"ticker\" in pod \"ticker\" not found\n", 1},
		{"logs ticker -f", "one\ntwo\n",
			"(no new line for 1 s: k8slearn stops following here. A real kubectl logs -f keeps following until you press Ctrl-C.)\n", 0},
	} {
		start := time.Now()
		out, errOut, code := run(k, tt.line)
		if out != tt.out || errOut != tt.errOut || code != tt.code {
			t.Errorf("%s: exit %d\n%q\n%q\nwant exit %d\n%q\n%q", tt.line, code, out, errOut, tt.code, tt.out, tt.errOut)
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("%s took %v", tt.line, took)
		}
	}

	// logs -f of a container that ends: the stream ends with it, no note.
	must("run once --image=busybox --restart=Never -- sh -c 'echo start; sleep 2; echo end'")
	until("once running", func() bool {
		cs := pod("once").Status.ContainerStatuses
		return len(cs) == 1 && cs[0].State.Running != nil
	})
	if out, errOut, code := run(remote(10*time.Second), "logs once -f"); out != "start\nend\n" || errOut != "" || code != 0 {
		t.Errorf("logs once -f: exit %d\n%q\n%q", code, out, errOut)
	}

	// get --watch: the list, then the changes another client makes while it watches.
	must("create deployment web --image=nginx")
	until("web available", func() bool {
		obj, err := c.Get("deployments", ns, "web")
		return err == nil && obj.(*appsv1.Deployment).Status.AvailableReplicas == 1
	})
	out := &firstWrite{written: make(chan struct{})}
	var errOut bytes.Buffer
	changed := make(chan string, 1)
	go func() {
		<-out.written // the list is printed: the watch goes on from its resourceVersion
		other := remote(time.Second)
		var b bytes.Buffer
		for _, line := range []string{"scale deployment web --replicas=3", "create deployment db --image=redis"} {
			if code := other.Run(strings.Fields(line), kubectl.Streams{Out: &b, ErrOut: &b}); code != 0 {
				break
			}
		}
		changed <- b.String()
	}()
	code := k.Run([]string{"get", "deployments", "-w"}, kubectl.Streams{Out: out, ErrOut: &errOut})
	if got := <-changed; got != "deployment.apps/web scaled\ndeployment.apps/db created\n" {
		t.Fatalf("the changes made while watching: %q", got)
	}
	rows := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if code != 0 || len(rows) < 4 || !strings.HasPrefix(rows[0], "NAME ") || !strings.HasPrefix(rows[1], "web ") ||
		strings.Count(out.String(), "NAME") != 1 || !strings.Contains(out.String(), "\ndb ") ||
		!strings.HasPrefix(rows[len(rows)-1], "db ") && !strings.HasPrefix(rows[len(rows)-1], "web ") {
		t.Errorf("get deployments -w: exit %d\n%s", code, out.String())
	}
	scaled := false
	for _, row := range rows[2:] {
		scaled = scaled || strings.HasPrefix(row, "web ") && strings.Contains(row, "/3 ")
	}
	if !scaled {
		t.Errorf("get deployments -w: no row of web scaled to 3\n%s", out.String())
	}
	if want := "(nothing changed for 1 s: k8slearn stops watching here. A real kubectl get --watch keeps waiting until you press Ctrl-C.)\n"; errOut.String() != want {
		t.Errorf("get deployments -w: stderr %q, want %q", errOut.String(), want)
	}
	for _, r := range log.Requests() {
		if r.Refused || !allowedRequest(ns, r) {
			t.Errorf("request outside the lesson's scope: %s", r)
		}
	}
}
