package httpapi

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/patch"
)

// DefaultMaxBodyBytes is kube-apiserver's limit on a request body, 3 MiB (k8s.io/apiserver
// v0.37.2 pkg/server/config.go, MaxRequestBodyBytes).
const DefaultMaxBodyBytes = 3 << 20

// The default bounds on the requests served at once. kube-apiserver's are 400 reads and 200
// writes (k8s.io/apiserver v0.37.2 pkg/server/config.go, MaxRequestsInFlight and
// MaxMutatingRequestsInFlight), for a server with many cores; the miniature API server stores
// one write at a time, and 200 writes of 3 MiB in flight took 1.5 GB. A client over the bound
// gets 429 with Retry-After, which client-go (and so kubectl) waits for and retries.
const (
	DefaultMaxRequestsInFlight         = 20
	DefaultMaxMutatingRequestsInFlight = 10
)

// Config says what to serve and how.
type Config struct {
	// API is the miniature API server to serve.
	API *apiserver.Server
	// Now is the cluster's clock: the ages in Table output are computed against it.
	Now func() time.Time
	// Token, when not empty, is the bearer token every request must carry.
	Token string
	// MaxBodyBytes bounds a request body (0: DefaultMaxBodyBytes). A bigger body gets 413.
	MaxBodyBytes int64
	// MaxRequestsInFlight bounds the read-only requests (get, list) served at once, and
	// MaxMutatingRequestsInFlight the others, as kube-apiserver's --max-requests-inflight and
	// --max-mutating-requests-inflight do; watches are not counted. A request over the bound
	// gets 429. 0: DefaultMaxRequestsInFlight, DefaultMaxMutatingRequestsInFlight.
	MaxRequestsInFlight, MaxMutatingRequestsInFlight int
	// ServerAddress is the host:port clients reach the server at, for /api's
	// serverAddressByClientCIDRs.
	ServerAddress string
	// Changed, when set, is called after every request that wrote to the API server. It must
	// return quickly.
	Changed func()
	// Control, when set, serves the paths under /k8slearn/ (k8slearn's own endpoints). The same
	// token check applies.
	Control http.Handler
	// Log, when set, receives a line for every request that failed with a server error, panics
	// included.
	Log func(string)
}

// Handler serves the API. It is safe for concurrent use.
type Handler struct {
	cfg     Config
	codec   codec
	openapi openAPIDocs
	events  eventCache

	// readSlots and writeSlots hold one token per request in flight.
	readSlots, writeSlots chan struct{}

	done        chan struct{} // closed by Close: open watches end
	watchMu     sync.Mutex
	closing     bool
	openWatches int
	watches     sync.WaitGroup
}

// New returns a handler serving cfg.API.
func New(cfg Config) *Handler {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Time{} }
	}
	if cfg.MaxRequestsInFlight <= 0 {
		cfg.MaxRequestsInFlight = DefaultMaxRequestsInFlight
	}
	if cfg.MaxMutatingRequestsInFlight <= 0 {
		cfg.MaxMutatingRequestsInFlight = DefaultMaxMutatingRequestsInFlight
	}
	patch.LimitJSONPatchCopies()
	return &Handler{cfg: cfg, codec: newCodec(), done: make(chan struct{}),
		readSlots: make(chan struct{}, cfg.MaxRequestsInFlight), writeSlots: make(chan struct{}, cfg.MaxMutatingRequestsInFlight)}
}

// Close ends every open watch (their clients see the stream end, as when kube-apiserver stops)
// and waits for their handlers to return. Later watch requests get 503; other requests are
// still served.
func (h *Handler) Close() {
	h.watchMu.Lock()
	if !h.closing {
		h.closing = true
		close(h.done)
	}
	h.watchMu.Unlock()
	h.watches.Wait()
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w := &trackingWriter{ResponseWriter: rw}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			// One line in the serve terminal: the value and where it was raised.
			h.logf("panic serving %s %s: %s (%s)", r.Method, r.URL.Path, oneLine(fmt.Sprint(p)), panicSite())
			if !w.wroteHeader {
				h.writeStatus(w, statusFor(fmt.Errorf("the server could not handle the request: %v", p)))
			}
		}
	}()
	if !h.authorized(r) {
		h.writeError(w, r, errUnauthorized())
		return
	}
	release, ok := h.takeSlot(r)
	if !ok {
		h.drainBody(r)
		tooManyRequests(w)
		return
	}
	defer release()
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes)
	}
	if strings.HasPrefix(r.URL.Path, "/k8slearn/") && h.cfg.Control != nil {
		h.cfg.Control.ServeHTTP(w, r)
		return
	}
	h.route(w, r)
}

// takeSlot counts the request among those in flight, as kube-apiserver's max-in-flight filter
// does (k8s.io/apiserver v0.37.2 pkg/server/filters/maxinflight.go): watches, logs and exec run
// long and are not counted, get and list are read-only, every other verb mutates. It reports false when all
// the slots of the request's kind are taken.
func (h *Handler) takeSlot(r *http.Request) (release func(), ok bool) {
	read := r.Method == http.MethodGet || r.Method == http.MethodHead
	if read && isWatch(r) || isStreamRequest(r) {
		return func() {}, true
	}
	slots := h.writeSlots
	if read {
		slots = h.readSlots
	}
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, true
	default:
		return nil, false
	}
}

// drainBody reads and drops the body of a request refused before reading it, up to the body
// limit, through a small buffer. kube-apiserver does not, and net/http then closes the
// connection under a client still sending its body: the client sees a broken pipe, which
// client-go does not retry, instead of the 429 it would wait for and retry.
func (h *Handler) drainBody(r *http.Request) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, h.cfg.MaxBodyBytes+1))
	}
}

// tooManyRequests is kube-apiserver's answer to a request over the in-flight bound: plain text,
// not a Status (k8s.io/apiserver v0.37.2 pkg/server/filters/priority-and-fairness.go,
// tooManyRequests, with retryAfter "1" from maxinflight.go).
func tooManyRequests(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	http.Error(w, "Too many requests, please try again later.", http.StatusTooManyRequests)
}

// panicSite is where the panic being recovered was raised, as dir/file.go:line: the first
// caller of runtime.gopanic outside the runtime. Called from the deferred function.
func panicSite() string {
	pcs := make([]uintptr, 64)
	frames := goruntime.CallersFrames(pcs[:goruntime.Callers(2, pcs)])
	inPanic := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			inPanic = true
		case inPanic && !strings.HasPrefix(f.Function, "runtime."):
			return path.Join(path.Base(path.Dir(f.File)), path.Base(f.File)) + ":" + strconv.Itoa(f.Line)
		}
		if !more {
			return "unknown location"
		}
	}
}

// oneLine joins the lines of s with spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// authorized checks the bearer token when one is required.
func (h *Handler) authorized(r *http.Request) bool {
	if h.cfg.Token == "" {
		return true
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(h.cfg.Token)) == 1
}

func (h *Handler) logf(format string, args ...any) {
	if h.cfg.Log != nil {
		h.cfg.Log(fmt.Sprintf(format, args...))
	}
}

// changedUnless is changed, except after a dry run, which changed nothing.
func (h *Handler) changedUnless(dryRun bool) {
	if !dryRun {
		h.changed()
	}
}

func (h *Handler) changed() {
	if h.cfg.Changed != nil {
		h.cfg.Changed()
	}
}

// readBody reads the whole request body, turning an over-limit body into a 413.
func (h *Handler) readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, errTooLarge(h.cfg.MaxBodyBytes)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the request body: %w", err)
	}
	return b, nil
}

// jsonMarshal is json.Marshal with the newline kube-apiserver ends its responses with.
func jsonMarshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// writeJSON writes v as JSON with the given code.
func (h *Handler) writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := jsonMarshal(v)
	if err != nil {
		h.logf("encoding a %T: %v", v, err)
		code = http.StatusInternalServerError
		b = []byte(`{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"could not encode the response","reason":"InternalError","code":500}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(b)
}

// writeObject writes an API object in the representation the client asked for.
func (h *Handler) writeObject(w http.ResponseWriter, r *http.Request, code int, res *apiserver.Resource, obj runtime.Object) {
	out, err := negotiate(r.Header.Get("Accept"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeAs(w, r, code, out, res, obj)
}

// trackingWriter remembers whether the header went out, so a panic after it does not write a
// second one; it passes Flush through for watches.
type trackingWriter struct {
	http.ResponseWriter
	wroteHeader bool
}

func (t *trackingWriter) WriteHeader(code int) {
	t.wroteHeader = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(b []byte) (int, error) {
	t.wroteHeader = true
	return t.ResponseWriter.Write(b)
}

func (t *trackingWriter) Flush() {
	if f, ok := t.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }
