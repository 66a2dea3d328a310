package realcluster

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// Request is one request sent to the real cluster, as the log keeps it.
type Request struct {
	Method string
	Path   string // the URL path, without the query
	Query  string
	Status int // the HTTP status of the answer; 0 when none came (refused here, or a network error)
	// Refused says the guard stopped the request before it left: it reached outside the lesson's
	// namespace.
	Refused bool
}

func (r Request) String() string {
	s := r.Method + " " + r.Path
	if r.Query != "" {
		s += "?" + r.Query
	}
	switch {
	case r.Refused:
		return s + " (refused)"
	case r.Status != 0:
		return fmt.Sprintf("%s → %d", s, r.Status)
	}
	return s
}

// RequestLog records every request a Cluster sends. Safe for concurrent use.
type RequestLog struct {
	mu   sync.Mutex
	reqs []Request
}

func (l *RequestLog) add(r Request) {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.reqs = append(l.reqs, r)
	l.mu.Unlock()
}

// Requests returns what was sent so far, in order.
func (l *RequestLog) Requests() []Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Request(nil), l.reqs...)
}

// Scope is what a lesson may touch on a real cluster: everything inside its own namespace, the
// namespace itself, discovery, nodes (read only) and the access reviews that ask what it may do.
// Nothing else, read or write, ever leaves this program.
type Scope struct {
	Namespace string
}

// Allows reports whether a request with this method and URL path stays within the scope.
func (s Scope) Allows(method, path string) bool {
	path = strings.TrimSuffix(path, "/")
	read := method == http.MethodGet || method == http.MethodHead
	switch {
	case path == "/version", path == "/api", path == "/apis":
		return read
	case strings.HasPrefix(path, "/openapi/"), path == "/openapi":
		return read
	case path == "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews":
		return method == http.MethodPost
	case path == "/api/v1/nodes" || strings.HasPrefix(path, "/api/v1/nodes/"):
		return read
	case path == "/api/v1/namespaces":
		return method == http.MethodPost // creating the lesson's namespace: the guard reads the name
	}
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	// Group discovery: /apis/GROUP and /apis/GROUP/VERSION.
	if parts[0] == "apis" && (len(parts) == 2 || len(parts) == 3) {
		return read
	}
	if len(parts) == 2 && parts[0] == "api" { // /api/v1
		return read
	}
	// /api/v1/namespaces/NS[/...] and /apis/GROUP/VERSION/namespaces/NS/...
	var rest []string
	switch {
	case parts[0] == "api" && len(parts) >= 4:
		rest = parts[2:]
	case parts[0] == "apis" && len(parts) >= 5:
		rest = parts[3:]
	default:
		return false
	}
	if rest[0] != "namespaces" || rest[1] != s.Namespace || s.Namespace == "" {
		return false
	}
	if len(rest) == 2 && parts[0] != "api" {
		return false // /apis/G/V/namespaces/NS is no resource
	}
	return true
}

// guard is the transport every request of a Cluster goes through: it logs the request, and refuses
// one that leaves the scope before anything is sent.
type guard struct {
	scope Scope
	log   *RequestLog
	next  http.RoundTripper
}

// OutOfScopeError is the error a request outside the lesson's scope gets, without being sent.
type OutOfScopeError struct {
	Method, Path, Namespace string
}

func (e *OutOfScopeError) Error() string {
	return fmt.Sprintf("k8slearn refused to send %s %s: it is outside the lesson's namespace %q", e.Method, e.Path, e.Namespace)
}

func (g *guard) RoundTrip(r *http.Request) (*http.Response, error) {
	entry := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery}
	if !g.scope.Allows(r.Method, r.URL.Path) {
		entry.Refused = true
		g.log.add(entry)
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, &OutOfScopeError{Method: r.Method, Path: r.URL.Path, Namespace: g.scope.Namespace}
	}
	if r.Method == http.MethodPost && strings.TrimSuffix(r.URL.Path, "/") == "/api/v1/namespaces" {
		if name, err := bodyName(r); err != nil || name != g.scope.Namespace {
			entry.Refused = true
			g.log.add(entry)
			return nil, &OutOfScopeError{Method: r.Method, Path: r.URL.Path + "/" + name, Namespace: g.scope.Namespace}
		}
	}
	resp, err := g.next.RoundTrip(r)
	if resp != nil {
		entry.Status = resp.StatusCode
	}
	g.log.add(entry)
	return resp, err
}

// bodyName reads metadata.name from a request's JSON body and puts the body back.
func bodyName(r *http.Request) (string, error) {
	if r.Body == nil {
		return "", fmt.Errorf("no body")
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body.Close()
	if err != nil {
		return "", err
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.ContentLength = int64(len(data))
	var obj struct {
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(data, &obj); err != nil {
		return "", err
	}
	return obj.Metadata.Name, nil
}
