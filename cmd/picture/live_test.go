package picture

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/k8slearn/k8slearn/engine/cluster"
)

func newTestLive(t *testing.T, cfg LiveConfig) (*Live, *cluster.Cluster) {
	t.Helper()
	c := deployment(t)
	if cfg.L == nil {
		cfg.L = localizer(t, "en")
	}
	lv, err := NewLive(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lv.Close)
	lv.Update(c)
	return lv, c
}

func serveOnce(h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// On loopback the page needs no token, but only a Host naming this machine gets it: a web site
// cannot read it through DNS rebinding.
func TestLiveLoopbackRules(t *testing.T) {
	lv, _ := newTestLive(t, LiveConfig{})
	h := lv.Handler(nil)
	for host, code := range map[string]int{"127.0.0.1:8080": 200, "localhost:1": 200, "[::1]:80": 200, "LOCALHOST": 200,
		"evil.example:8080": 403, "127.0.0.1.evil.example": 403, "": 403} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != code {
			t.Errorf("Host %q: %d, want %d", host, w.Code, code)
		}
	}
	w := serveOnce(h, http.MethodGet, "http://127.0.0.1/", nil)
	csp := w.Header().Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "connect-src 'self'", "frame-ancestors 'none'", "script-src 'sha256-"} {
		if !strings.Contains(csp, want) {
			t.Errorf("the page's Content-Security-Policy lacks %s: %s", want, csp)
		}
	}
	if body := w.Body.String(); !strings.Contains(body, "replicasets/web-") || strings.Contains(body, `id="step"`) {
		t.Errorf("the page without controls: %d bytes, step button %v", len(body), strings.Contains(body, `id="step"`))
	}
	if w := serveOnce(h, http.MethodPost, "http://127.0.0.1/k8slearn/picture/step", nil); w.Code != http.StatusConflict {
		t.Errorf("a step where nothing can be stepped: %d", w.Code)
	}
}

// Beyond loopback (serve's rule) every request needs the token: from the address printed, then
// from the cookie the page sets, or as a bearer token.
func TestLiveTokenRules(t *testing.T) {
	lv, _ := newTestLive(t, LiveConfig{Token: "s3cret"})
	h := lv.Handler(nil)
	if w := serveOnce(h, http.MethodGet, "https://10.0.0.5/", nil); w.Code != http.StatusUnauthorized {
		t.Errorf("no token: %d", w.Code)
	}
	if w := serveOnce(h, http.MethodGet, "https://10.0.0.5/?token=wrong", nil); w.Code != http.StatusUnauthorized {
		t.Errorf("a wrong token: %d", w.Code)
	}
	w := serveOnce(h, http.MethodGet, "https://10.0.0.5/?token=s3cret", nil)
	if w.Code != 200 {
		t.Fatalf("the token in the address: %d", w.Code)
	}
	cookie := w.Result().Cookies()
	if len(cookie) != 1 || !cookie[0].HttpOnly || cookie[0].SameSite != http.SameSiteStrictMode {
		t.Fatalf("the page must keep the token in an HttpOnly, SameSite=Strict cookie: %v", cookie)
	}
	if w := serveOnce(h, http.MethodGet, "https://10.0.0.5/", map[string]string{"Cookie": cookie[0].String()}); w.Code != 200 {
		t.Errorf("the token in the cookie: %d", w.Code)
	}
	if w := serveOnce(h, http.MethodGet, "https://10.0.0.5/", map[string]string{"Authorization": "Bearer s3cret"}); w.Code != 200 {
		t.Errorf("the token as a bearer token: %d", w.Code)
	}
}

// In front of the API (serve), the live handler takes "/" from browsers and its own paths, and
// leaves everything else to the API.
func TestLiveInFrontOfAnAPI(t *testing.T) {
	lv, _ := newTestLive(t, LiveConfig{})
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(299) })
	h := lv.Handler(api)
	for _, tc := range []struct {
		path, accept string
		code         int
	}{
		{"/", "text/html,application/xhtml+xml", 200},
		{"/", "application/json", 299},
		{"/api/v1/pods", "text/html", 299},
		{"/k8slearn/step", "", 299},
		{"/k8slearn/picture/nothing", "", 404},
	} {
		if w := serveOnce(h, http.MethodGet, "http://127.0.0.1"+tc.path, map[string]string{"Accept": tc.accept}); w.Code != tc.code {
			t.Errorf("GET %s (Accept %s): %d, want %d", tc.path, tc.accept, w.Code, tc.code)
		}
	}
}

// The event stream sends the current frame at once, a new one after each change, and "end" when
// the session is over.
func TestLiveEventStream(t *testing.T) {
	actions := make(chan string, 1)
	lv, c := newTestLive(t, LiveConfig{Control: func(a string) error { actions <- a; return nil }})
	srv := httptest.NewServer(lv.Handler(nil))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/k8slearn/picture/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("Content-Type %s", ct)
	}
	events := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<22)
		for sc.Scan() {
			if line := sc.Text(); strings.HasPrefix(line, "data: ") || strings.HasPrefix(line, "event: ") {
				events <- line
			}
		}
		close(events)
	}()
	seq := regexp.MustCompile(`"seq":(\d+)`)
	next := func() string {
		select {
		case e := <-events:
			return e
		case <-time.After(10 * time.Second):
			t.Fatal("no event")
		}
		return ""
	}
	if m := seq.FindStringSubmatch(next()); m == nil || m[1] != "30" {
		t.Fatalf("the first frame is not the run's state (#30)")
	}
	// A step taken by hand, through the page's control.
	page := serveOnce(lv.Handler(nil), http.MethodGet, "http://127.0.0.1/", nil).Body.String()
	control := regexp.MustCompile(`data-control="([0-9a-f]+)"`).FindStringSubmatch(page)[1]
	if w := serveOnce(lv.Handler(nil), http.MethodGet, "http://127.0.0.1/k8slearn/picture/step", nil); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET step: %d", w.Code)
	}
	if w := serveOnce(lv.Handler(nil), http.MethodPost, "http://127.0.0.1/k8slearn/picture/run", map[string]string{"X-K8slearn-Control": control}); w.Code != http.StatusAccepted {
		t.Fatalf("POST run: %d", w.Code)
	}
	if a := <-actions; a != "run" {
		t.Fatalf("the control got %q", a)
	}
	kubectlRun(t, c, "scale deployment web --replicas=4")
	lv.Update(c)
	if m := seq.FindStringSubmatch(next()); m == nil || m[1] != "31" {
		t.Fatalf("after a change the frame is not #31")
	}
	lv.Close()
	if e := next(); e != "event: end" {
		t.Fatalf("at the end: %q", e)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
}
