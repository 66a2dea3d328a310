package httpapi

import (
	"net/http"
	"strings"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// request is what a resource path means, as the apiserver's RequestInfoFactory reads it.
type request struct {
	verb      string // get, list, watch, create, update, patch, delete, deletecollection
	res       *apiserver.Resource
	namespace string
	name      string
	sub       string // "", "status", "scale", "binding"
}

// namespaceSubresources are the subresources of a namespace itself: /api/v1/namespaces/x/status
// is the namespace's status, not a resource called "status" in namespace x.
var namespaceSubresources = map[string]bool{"status": true, "finalize": true}

// route serves every path: discovery, OpenAPI, version, health, and the resources.
func (h *Handler) route(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimSuffix(r.URL.Path, "/")
	if readOnlyPath(path) && r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.writeError(w, r, errMethodNotAllowed())
		return
	}
	switch {
	case path == "/version":
		h.serveVersion(w, r)
		return
	case path == accessReviewPath:
		h.serveAccessReview(w, r)
		return
	case path == "/healthz" || path == "/livez" || path == "/readyz":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, _ = w.Write([]byte("ok"))
		return
	case path == "/openapi/v2":
		h.serveOpenAPIV2(w, r)
		return
	case path == "/openapi/v3" || strings.HasPrefix(path, "/openapi/v3/"):
		h.serveOpenAPIV3(w, r, strings.TrimPrefix(strings.TrimPrefix(path, "/openapi/v3"), "/"))
		return
	case path == "/api":
		h.serveLegacyRoot(w, r)
		return
	case path == "/apis":
		h.serveGroups(w, r)
		return
	}
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	group, version, rest, ok := splitGroupVersion(parts)
	if !ok || !h.servesGroupVersion(group, version) {
		if len(parts) == 2 && parts[0] == "apis" && h.servesGroup(parts[1]) && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			h.serveGroup(w, r, parts[1])
			return
		}
		h.writeError(w, r, errNotFoundPath())
		return
	}
	if len(rest) == 0 {
		h.serveResourceList(w, r, group, version)
		return
	}
	req, ok := h.parseResourcePath(group, rest, r)
	if !ok {
		h.writeError(w, r, errNotFoundPath())
		return
	}
	if req.name != "" && streamSubresource(req.res, req.sub) {
		h.serveStream(w, r, req) // pods/log, pods/exec (podlog.go, exec.go)
		return
	}
	if !allowed(req) { // also a method that means nothing on the path (verb "")
		h.writeError(w, r, errMethodNotAllowed())
		return
	}
	// Every request for a deprecated API carries the warning (k8s.io/apiserver v0.37.2
	// pkg/endpoints/deprecation); kubectl prints it as "Warning: …".
	if msg := req.res.DeprecationWarning(); msg != "" {
		w.Header().Add("Warning", warningHeader(msg))
	}
	h.serveResource(w, r, req)
}

// readOnlyPath tells the paths that only answer GET: version, health, OpenAPI and discovery.
func readOnlyPath(path string) bool {
	switch path {
	case "/version", "/healthz", "/livez", "/readyz", "/api", "/apis", "/openapi/v2", "/openapi/v3":
		return true
	}
	return strings.HasPrefix(path, "/openapi/")
}

// splitGroupVersion reads /api/v1/... and /apis/<group>/<version>/...
func splitGroupVersion(parts []string) (group, version string, rest []string, ok bool) {
	switch {
	case len(parts) >= 2 && parts[0] == "api":
		return "", parts[1], parts[2:], true
	case len(parts) >= 3 && parts[0] == "apis":
		return parts[1], parts[2], parts[3:], true
	}
	return "", "", nil, false
}

// parseResourcePath reads the part after the group version: [watch/][namespaces/<ns>/]<resource>
// [/<name>[/<subresource>]].
func (h *Handler) parseResourcePath(group string, parts []string, r *http.Request) (request, bool) {
	var req request
	watchPath := false
	if parts[0] == "watch" { // the deprecated /watch/ prefix
		watchPath = true
		parts = parts[1:]
		if len(parts) == 0 {
			return req, false
		}
	}
	if parts[0] == "namespaces" && len(parts) > 2 && !namespaceSubresources[parts[2]] {
		req.namespace = parts[1]
		parts = parts[2:]
	}
	if len(parts) > 3 {
		return req, false
	}
	res, ok := h.cfg.API.Registry().Lookup(parts[0])
	if !ok || res.Name != parts[0] || res.Group != group {
		return req, false
	}
	req.res = res
	if len(parts) > 1 {
		req.name = parts[1]
	}
	if len(parts) > 2 {
		req.sub = parts[2]
		if !hasSubresource(res, req.sub) && !streamSubresource(res, req.sub) {
			return req, false
		}
	}
	// A cluster-scoped resource has no namespace; a namespaced object is addressed in its own.
	if (!res.Namespaced && req.namespace != "") || (res.Namespaced && req.namespace == "" && req.name != "") {
		return req, false
	}
	req.verb = verbFor(r, req, watchPath)
	return req, true
}

// hasSubresource tells whether a resource serves a subresource.
func hasSubresource(res *apiserver.Resource, sub string) bool {
	for _, s := range subresourcesOf(res) {
		if s.name == sub {
			return true
		}
	}
	return false
}

// verbFor is the API verb of a request, "" when the method makes no sense on the path.
func verbFor(r *http.Request, req request, watchPath bool) string {
	watch := watchPath || watchQuery(r)
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		switch {
		case watch:
			return "watch"
		case req.name == "":
			return "list"
		}
		return "get"
	case http.MethodPost:
		if req.name == "" {
			return "create"
		}
		if req.sub == "binding" || req.sub == "eviction" {
			return "create"
		}
	case http.MethodPut:
		if req.name != "" && req.sub != "binding" && req.sub != "eviction" {
			return "update"
		}
	case http.MethodPatch:
		if req.name != "" && req.sub != "binding" && req.sub != "eviction" {
			return "patch"
		}
	case http.MethodDelete:
		if req.sub != "" {
			return ""
		}
		if req.name == "" {
			return "deletecollection"
		}
		return "delete"
	}
	return ""
}

// watchQuery reports whether the query asks for a watch (?watch=true).
func watchQuery(r *http.Request) bool {
	w := r.URL.Query().Get("watch")
	return w == "true" || w == "1"
}

// isWatch reports whether a request is a watch, before routing: ?watch=true, or the deprecated
// /watch/ prefix after the group version.
func isWatch(r *http.Request) bool {
	if watchQuery(r) {
		return true
	}
	_, _, rest, ok := splitGroupVersion(strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/"))
	return ok && len(rest) > 0 && rest[0] == "watch"
}

// verbsOf lists the verbs a resource serves, as discovery shows them.
func verbsOf(res *apiserver.Resource) []string { return res.ServedVerbs() }

// allowed reports whether the resource (or subresource) serves the request's verb: the verbs
// discovery announces are the ones served.
func allowed(req request) bool {
	verbs := verbsOf(req.res)
	if req.sub != "" {
		verbs = nil
		for _, sub := range subresourcesOf(req.res) {
			if sub.name == req.sub {
				verbs = sub.verbs
			}
		}
	}
	for _, v := range verbs {
		if v == req.verb {
			return true
		}
	}
	return false
}
