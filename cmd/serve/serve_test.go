package serve

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/locales"
)

// syncBuffer is a bytes.Buffer safe for the serve loop and the test to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// running is a serve started by a test.
type running struct {
	url, kubeconfig string
	out             *syncBuffer
	stop            func()
}

// start runs serve on a free loopback port until the test ends.
func start(t *testing.T, o Options) running {
	t.Helper()
	if o.L == nil {
		l, err := locales.New("en")
		if err != nil {
			t.Fatal(err)
		}
		o.L = l
	}
	out := &syncBuffer{}
	o.Out, o.Style = out, view.NewStyler(false)
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if o.Kubeconfig == "" {
		o.Kubeconfig = filepath.Join(t.TempDir(), "kubeconfig")
	}
	if o.Nodes == 0 {
		o.Nodes = 2
	}
	ready := make(chan string, 1)
	o.Ready = func(url, _ string) { ready <- url }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, o) }()
	var url string
	select {
	case url = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("serve ended: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("serve did not start")
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	}
	t.Cleanup(stop)
	return running{url: url, kubeconfig: o.Kubeconfig, out: out, stop: stop}
}

func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cond()
}

func post(t *testing.T, url, path, body string) *http.Response {
	t.Helper()
	resp, err := http.Post(url+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

const webDeployment = `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1,` +
	`"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}}`

// TestStepMode: nothing moves until Enter, or k8slearn step, asks for exactly one action.
func TestStepMode(t *testing.T) {
	in, feed := io.Pipe()
	defer feed.Close()
	s := start(t, Options{Auto: false, In: in})
	if !strings.Contains(s.out.String(), "press Enter here") {
		t.Errorf("banner: %s", s.out.String())
	}
	if resp := post(t, s.url, "/apis/apps/v1/namespaces/default/deployments", webDeployment); resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	if !waitFor(5*time.Second, func() bool { return strings.Contains(s.out.String(), "next: deployment-controller") }) {
		t.Fatalf("the request was not narrated:\n%s", s.out.String())
	}
	if strings.Contains(s.out.String(), "#2") {
		t.Fatalf("a component acted without a step:\n%s", s.out.String())
	}
	if _, err := feed.Write([]byte("\n")); err != nil {
		t.Fatal(err)
	}
	if !waitFor(5*time.Second, func() bool {
		return strings.Contains(s.out.String(), "#2 deployment-controller saw ADDED deployments/web")
	}) {
		t.Fatalf("Enter did not step:\n%s", s.out.String())
	}
	var remote bytes.Buffer
	if err := Step(context.Background(), s.kubeconfig, &remote); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(remote.String(), "#3 ") || !strings.Contains(s.out.String(), "#3 ") {
		t.Errorf("k8slearn step printed %q", remote.String())
	}
	if strings.Contains(s.out.String(), "#4 ") {
		t.Errorf("one step did more than one action:\n%s", s.out.String())
	}
}

func TestStepRefusedInAutoMode(t *testing.T) {
	s := start(t, Options{Auto: true})
	err := Step(context.Background(), s.kubeconfig, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--auto") {
		t.Errorf("Step in auto mode: %v", err)
	}
}

// TestAutoModeRunsToIdle: a Deployment's pods end Running without anyone stepping.
func TestAutoModeRunsToIdle(t *testing.T) {
	s := start(t, Options{Auto: true})
	post(t, s.url, "/apis/apps/v1/namespaces/default/deployments", webDeployment)
	if !waitFor(20*time.Second, func() bool {
		return strings.Contains(s.out.String(), "Container started") || strings.Contains(s.out.String(), "ContainerStarted")
	}) {
		t.Fatalf("the pod never started:\n%s", s.out.String())
	}
	s.stop()
	if !strings.Contains(s.out.String(), "k8slearn serve stopped") {
		t.Errorf("no goodbye:\n%s", s.out.String())
	}
}

// TestSecureServe: beyond loopback, TLS with the kubeconfig's CA and the bearer token are needed.
func TestSecureServe(t *testing.T) {
	s := start(t, Options{Auto: true, secureLoopback: true})
	if !strings.HasPrefix(s.url, "https://") {
		t.Fatalf("url %s", s.url)
	}
	ep, err := readKubeconfig(s.kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(s.kubeconfig)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("kubeconfig mode %v %v", info.Mode(), err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ep.caPEM) || len(ep.token) != 64 {
		t.Fatalf("kubeconfig CA/token: %q", ep.token)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	for token, want := range map[string]int{"": 401, "wrong": 401, ep.token: 200} {
		req, _ := http.NewRequest(http.MethodGet, s.url+"/api/v1/namespaces", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("token %q: %d, want %d", token, resp.StatusCode, want)
		}
	}
	if _, err := http.Get(s.url + "/version"); err == nil {
		t.Error("a client without the CA trusted the self-signed certificate")
	}
}

func TestNeedsSecurity(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:6443": false, "localhost:6443": false, "[::1]:6443": false, "127.0.0.2:1": false,
		"0.0.0.0:6443": true, "192.168.1.10:6443": true, "[::]:6443": true, "example.com:6443": true,
	} {
		got, err := needsSecurity(addr)
		if err != nil || got != want {
			t.Errorf("needsSecurity(%s) = %v, %v", addr, got, err)
		}
	}
	if _, err := needsSecurity("6443"); err == nil {
		t.Error("an address without a port should fail")
	}
}

func TestListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	l, _ := locales.New("en")
	err = Run(context.Background(), Options{Addr: ln.Addr().String(), Kubeconfig: filepath.Join(t.TempDir(), "k"), Nodes: 1, L: l, Out: io.Discard})
	if err == nil || !strings.Contains(err.Error(), "cannot listen on "+ln.Addr().String()) {
		t.Errorf("Run on a busy port: %v", err)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"/home/ada/.config/k8slearn/kubeconfig": "/home/ada/.config/k8slearn/kubeconfig",
		"/tmp/my dir/kubeconfig":                "'/tmp/my dir/kubeconfig'",
		"/tmp/it's":                             `'/tmp/it'\''s'`,
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestExec: serve runs the sandbox's world and time commands in step mode, refuses the others
// with the list it runs, and refuses all of them in --auto mode. A wait moves the clock the
// requests see on by what it let pass.
func TestExec(t *testing.T) {
	wall := time.Date(2001, 1, 1, 9, 0, 0, 0, time.UTC)
	s := start(t, Options{Auto: false, Now: func() time.Time { return wall }})
	var out bytes.Buffer
	if err := Exec(context.Background(), s.kubeconfig, "wait 1m", &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Waited 1m0s") || !strings.Contains(out.String(), "09:01:00") {
		t.Errorf("wait 1m answered:\n%s", out.String())
	}
	resp, err := http.Get(s.url + "/api/v1/namespaces/default")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	out.Reset()
	if err := Exec(context.Background(), s.kubeconfig, "fault node node-9 down", &out); err != nil || !strings.Contains(out.String(), "node-9") {
		t.Errorf("a fault on a missing node: %v\n%s", err, out.String())
	}
	for _, line := range []string{"reset", "kubectl get pods", ""} {
		err := Exec(context.Background(), s.kubeconfig, line, &out)
		if err == nil || !strings.Contains(err.Error(), "wait") {
			t.Errorf("Exec(%q): %v, want the list of commands serve runs", line, err)
		}
	}
	auto := start(t, Options{Auto: true})
	if err := Exec(context.Background(), auto.kubeconfig, "wait 1m", &out); err == nil || !strings.Contains(err.Error(), "--auto") {
		t.Errorf("Exec in auto mode: %v", err)
	}
}

func TestShiftedClockCatchesUp(t *testing.T) {
	wall := time.Date(2001, 1, 1, 9, 0, 0, 0, time.UTC)
	c := &shiftedClock{wall: func() time.Time { return wall }}
	c.catchUp(wall.Add(-time.Minute)) // behind: nothing to do
	if !c.Now().Equal(wall) {
		t.Fatalf("Now %v", c.Now())
	}
	c.catchUp(wall.Add(5 * time.Minute))
	wall = wall.Add(time.Second)
	if want := wall.Add(5 * time.Minute); !c.Now().Equal(want) {
		t.Fatalf("after a wait of 5m and a second: %v, want %v", c.Now(), want)
	}
}
