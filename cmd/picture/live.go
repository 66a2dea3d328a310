package picture

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/locales"
)

// The paths a live page uses besides "/".
const (
	pathPrefix = "/k8slearn/picture/"
	eventsPath = pathPrefix + "events"
)

// minFrameGap is the least time between two frames: a run of many steps sends one frame per gap
// (the last always), a step taken by hand shows at once.
const minFrameGap = 100 * time.Millisecond

// pingEvery keeps an idle event stream open through proxies and tells a closed one.
const pingEvery = 20 * time.Second

// tokenCookie carries the token after the page was opened with ?token=.
const tokenCookie = "k8slearn-token"

// LiveConfig says what a live page shows and what it may do.
type LiveConfig struct {
	L       *locales.Localizer
	Options Options // the title's context and the seed
	// Token, when not empty, is required with every request: ?token= in the address printed
	// (the page then keeps it in a cookie), or an Authorization: Bearer header. Beyond loopback
	// it is serve's rule; on loopback there is none, and the Host must be a loopback name.
	Token string
	// Control, when set, shows the step and run buttons and is called with "step" or "run".
	// It must not block for long (it hands the action to whoever steps the cluster).
	Control func(action string) error
	// Note is a line for the page: how this run moves.
	Note string
}

// Live serves the picture of a running cluster and pushes a new frame to every open page as
// components act. The goroutine that steps the cluster calls Update (cheap, never blocks);
// capturing and drawing happen on Live's own goroutine, which only reads the cluster.
type Live struct {
	cfg     LiveConfig
	control string // the value the page must send back with step and run

	mu      sync.Mutex
	cluster *cluster.Cluster
	page    *template.Template // parsed at the first page or frame
	frame   []byte
	version int
	changed chan struct{} // closed when a new frame is ready
	closed  bool

	kick chan struct{}
	done chan struct{}
	wg   sync.WaitGroup
}

// NewLive starts a live picture; Close stops it.
func NewLive(cfg LiveConfig) (*Live, error) {
	lv := &Live{cfg: cfg, changed: make(chan struct{}), kick: make(chan struct{}, 1), done: make(chan struct{})}
	if cfg.Control != nil {
		raw := make([]byte, 16)
		if _, err := rand.Read(raw); err != nil {
			return nil, err
		}
		lv.control = hex.EncodeToString(raw)
	}
	lv.wg.Add(1)
	go lv.draw()
	return lv, nil
}

// Update tells the page the cluster changed (and which cluster: a sandbox's reset makes a new
// one). It never blocks.
func (lv *Live) Update(c *cluster.Cluster) {
	lv.mu.Lock()
	lv.cluster = c
	lv.mu.Unlock()
	select {
	case lv.kick <- struct{}{}:
	default:
	}
}

// Close ends the event streams (their pages say the session ended) and stops drawing.
func (lv *Live) Close() {
	lv.mu.Lock()
	if lv.closed {
		lv.mu.Unlock()
		return
	}
	lv.closed = true
	close(lv.done)
	lv.mu.Unlock()
	lv.wg.Wait()
}

// draw makes a frame after each Update, at most one per minFrameGap.
func (lv *Live) draw() {
	defer lv.wg.Done()
	for {
		select {
		case <-lv.kick:
		case <-lv.done:
			return
		}
		if f, err := lv.render(); err == nil {
			lv.mu.Lock()
			lv.frame = f
			lv.version++
			close(lv.changed)
			lv.changed = make(chan struct{})
			lv.mu.Unlock()
		}
		select {
		case <-time.After(minFrameGap):
		case <-lv.done:
			return
		}
	}
}

func (lv *Live) capture() (Picture, bool) {
	lv.mu.Lock()
	c := lv.cluster
	lv.mu.Unlock()
	if c == nil {
		return Picture{}, false
	}
	return Capture(c, lv.cfg.L, lv.cfg.Options), true
}

func (lv *Live) template() (*template.Template, error) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	if lv.page == nil {
		t, err := parsePage()
		if err != nil {
			return nil, err
		}
		lv.page = t
	}
	return lv.page, nil
}

func (lv *Live) render() ([]byte, error) {
	p, ok := lv.capture()
	if !ok {
		return nil, fmt.Errorf("no cluster yet")
	}
	t, err := lv.template()
	if err != nil {
		return nil, err
	}
	return p.frameJSON(t)
}

// Handler serves the live page at "/" (to a browser: a request that accepts text/html), its
// event stream and its controls under /k8slearn/picture/, and hands every other request to next
// (nil: 404). serve puts it in front of the Kubernetes API.
func (lv *Live) Handler(next http.Handler) http.Handler {
	alone := next == nil
	if alone {
		next = http.NotFoundHandler()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := r.URL.Path == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
			(alone || strings.Contains(r.Header.Get("Accept"), "text/html"))
		ours := page || strings.HasPrefix(r.URL.Path, pathPrefix)
		if !ours {
			next.ServeHTTP(w, r)
			return
		}
		if !lv.allowed(w, r) {
			return
		}
		switch r.URL.Path {
		case "/":
			lv.servePage(w, r)
		case eventsPath:
			lv.serveEvents(w, r)
		case pathPrefix + "step", pathPrefix + "run":
			lv.serveControl(w, r, strings.TrimPrefix(r.URL.Path, pathPrefix))
		default:
			http.NotFound(w, r)
		}
	})
}

// allowed applies serve's rules: beyond loopback the token; on loopback a Host that names this
// machine, so a web site cannot reach the page through DNS rebinding.
func (lv *Live) allowed(w http.ResponseWriter, r *http.Request) bool {
	if lv.cfg.Token == "" {
		if !loopbackHost(r.Host) {
			http.Error(w, lv.cfg.L.T("picture.live.bad_host"), http.StatusForbidden)
			return false
		}
		return true
	}
	if got := r.URL.Query().Get("token"); got != "" && sameToken(got, lv.cfg.Token) {
		http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: lv.cfg.Token, Path: "/", HttpOnly: true,
			Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
		return true
	}
	if c, err := r.Cookie(tokenCookie); err == nil && sameToken(c.Value, lv.cfg.Token) {
		return true
	}
	if got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && sameToken(strings.TrimSpace(got), lv.cfg.Token) {
		return true
	}
	http.Error(w, lv.cfg.L.T("picture.live.token"), http.StatusUnauthorized)
	return false
}

func sameToken(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// loopbackHost reports whether a Host header names this machine: localhost or a loopback address.
func loopbackHost(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
}

func (lv *Live) servePage(w http.ResponseWriter, r *http.Request) {
	p, ok := lv.capture()
	if !ok {
		http.Error(w, lv.cfg.L.T("picture.live.not_ready"), http.StatusServiceUnavailable)
		return
	}
	t, err := lv.template()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	d := p.pageData(PageOptions{Live: true, Control: lv.control, Note: lv.cfg.Note})
	pageHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", d.CSP+"; frame-ancestors 'none'")
	if r.Method == http.MethodHead {
		return
	}
	_ = t.Execute(w, d)
}

// serveEvents streams frames: the newest at once, then each new one; a page that falls behind
// skips to the newest. When Live closes, an "end" event tells the page the session is over.
func (lv *Live) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	pageHeaders(w)
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	flusher.Flush()
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	sent := 0
	for {
		lv.mu.Lock()
		f, version, changed := lv.frame, lv.version, lv.changed
		lv.mu.Unlock()
		if version != sent && f != nil {
			if _, err := fmt.Fprintf(w, "data: %s\n\n", f); err != nil {
				return
			}
			flusher.Flush()
			sent = version
		}
		select {
		case <-changed:
		case <-ping.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
			flusher.Flush()
		case <-lv.done:
			fmt.Fprint(w, "event: end\ndata: {}\n\n")
			flusher.Flush()
			return
		case <-r.Context().Done():
			return
		}
	}
}

// serveControl hands "step" or "run" to whoever steps the cluster. Only a POST carrying the
// page's control value is accepted: a page of another site cannot send that header without a
// CORS preflight, which is never granted.
func (lv *Live) serveControl(w http.ResponseWriter, r *http.Request, action string) {
	pageHeaders(w)
	if lv.cfg.Control == nil {
		http.Error(w, lv.cfg.L.T("picture.live.no_control"), http.StatusConflict)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if !sameToken(r.Header.Get("X-K8slearn-Control"), lv.control) {
		http.Error(w, lv.cfg.L.T("picture.live.bad_control"), http.StatusForbidden)
		return
	}
	if err := lv.cfg.Control(action); err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}
