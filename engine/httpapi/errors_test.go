package httpapi

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/patch"
)

// TestBadRequests sends what a broken or hostile client might, and checks each gets the Status
// kube-apiserver would send, and that the server keeps serving afterwards.
func TestBadRequests(t *testing.T) {
	srv, b := serveBare(t, Config{})
	if _, err := b.api.Client("test").Create("deployments", "default", mustDecode(t, deploymentJSON("web", 1))); err != nil {
		t.Fatal(err)
	}
	pods := "/api/v1/namespaces/default/pods"
	deploys := "/apis/apps/v1/namespaces/default/deployments"
	tests := []struct {
		name         string
		method, path string
		body         []byte
		headers      []string
		code         int
		reason       metav1.StatusReason
		message      string // exact, or a prefix when it ends with "…"
	}{
		{name: "path outside the API", method: "GET", path: "/foo/bar", code: 404, reason: metav1.StatusReasonNotFound,
			message: "the server could not find the requested resource"},
		{name: "unknown resource", method: "GET", path: "/api/v1/foos", code: 404, reason: metav1.StatusReasonNotFound,
			message: "the server could not find the requested resource"},
		{name: "unknown group version", method: "GET", path: "/apis/apps/v2/deployments", code: 404, reason: metav1.StatusReasonNotFound,
			message: "the server could not find the requested resource"},
		{name: "resource in the wrong group", method: "GET", path: "/api/v1/deployments", code: 404, reason: metav1.StatusReasonNotFound,
			message: "the server could not find the requested resource"},
		{name: "10 MiB body", method: "POST", path: pods, body: bytes.Repeat([]byte(" "), 10<<20), code: 413,
			reason: metav1.StatusReasonRequestEntityTooLarge, message: "Request entity too large: limit is 3145728"},
		{name: "invalid JSON", method: "POST", path: pods, body: []byte(`{"kind":`), code: 400, reason: metav1.StatusReasonBadRequest,
			message: `the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: unexpected end of JSON input ({"kind":)`},
		{name: "invalid YAML", method: "POST", path: pods, body: []byte("kind: Pod\n  bad: [\n"), headers: []string{"Content-Type", "application/yaml"},
			code: 400, reason: metav1.StatusReasonBadRequest, message: "…"},
		{name: "unknown kind", method: "POST", path: pods, body: []byte(`{"apiVersion":"v1","kind":"Foo","metadata":{"name":"x"}}`),
			code: 400, reason: metav1.StatusReasonBadRequest,
			message: `Foo in version "v1" cannot be handled as a Pod: no kind "Foo" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"`},
		{name: "another kind", method: "POST", path: pods, body: []byte(`{"apiVersion":"v1","kind":"Service","metadata":{"name":"x"}}`),
			code: 400, reason: metav1.StatusReasonBadRequest,
			message: `Service in version "v1" cannot be handled as a Pod: converting (v1.Service) to (core.Pod): unknown conversion`},
		{name: "another group", method: "POST", path: pods, body: []byte(deploymentJSON("x", 1)), code: 400, reason: metav1.StatusReasonBadRequest,
			message: "the API version in the data (apps/v1) does not match the expected API version (v1)"},
		{name: "wrong type for a field", method: "POST", path: deploys, body: []byte(`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"replicas":"three"}}`),
			code: 400, reason: metav1.StatusReasonBadRequest, message: `Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`},
		{name: "unknown field, strict", method: "POST", path: deploys + "?fieldValidation=Strict", body: []byte(strings.Replace(deploymentJSON("x", 1), `"replicas"`, `"foo":1,"replicas"`, 1)),
			code: 400, reason: metav1.StatusReasonBadRequest, message: `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"`},
		{name: "body in a format not served", method: "POST", path: pods, body: []byte("x"), headers: []string{"Content-Type", "text/plain"},
			code: 415, reason: metav1.StatusReasonUnsupportedMediaType,
			message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf"},
		{name: "server-side apply", method: "PATCH", path: deploys + "/web", body: []byte("{}"), headers: []string{"Content-Type", "application/apply-patch+yaml"},
			code: 415, reason: metav1.StatusReasonUnsupportedMediaType,
			message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json"},
		{name: "only protobuf accepted", method: "GET", path: pods, headers: []string{"Accept", "application/vnd.kubernetes.protobuf"},
			code: 406, reason: metav1.StatusReasonNotAcceptable, message: "…"},
		{name: "PUT on a collection", method: "PUT", path: pods, body: []byte("{}"), code: 405, reason: metav1.StatusReasonMethodNotAllowed,
			message: "the server does not allow this method on the requested resource"},
		{name: "a verb the resource does not serve", method: "DELETE", path: "/api/v1/namespaces", code: 405,
			reason: metav1.StatusReasonMethodNotAllowed, message: "the server does not allow this method on the requested resource"},
		{name: "missing object", method: "GET", path: pods + "/nosuch", code: 404, reason: metav1.StatusReasonNotFound, message: `pods "nosuch" not found`},
		{name: "invalid name", method: "POST", path: deploys, body: []byte(deploymentJSON("Web", 1)), code: 422, reason: metav1.StatusReasonInvalid,
			message: `Deployment.apps "Web" is invalid: metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain…`},
		{name: "already exists", method: "POST", path: deploys, body: []byte(deploymentJSON("web", 1)), code: 409, reason: metav1.StatusReasonAlreadyExists,
			message: `deployments.apps "web" already exists`},
		{name: "namespace missing", method: "POST", path: "/api/v1/namespaces/nosuch/pods", body: []byte(podJSON("p")), code: 404,
			reason: metav1.StatusReasonNotFound, message: `namespaces "nosuch" not found`},
		{name: "name mismatch on update", method: "PUT", path: deploys + "/web", body: []byte(deploymentJSON("other", 1)), code: 400,
			reason: metav1.StatusReasonBadRequest, message: "the name of the object (other) does not match the name on the URL (web)"},
		{name: "update without resourceVersion", method: "PUT", path: deploys + "/web", body: []byte(deploymentJSON("web", 2)), code: 422,
			reason: metav1.StatusReasonInvalid, message: `Deployment.apps "web" is invalid: metadata.resourceVersion: Invalid value: "0x0": must be specified for an update`},
		{name: "stale resourceVersion", method: "PUT", path: deploys + "/web",
			body: []byte(strings.Replace(deploymentJSON("web", 2), `"name":"web"`, `"name":"web","resourceVersion":"1"`, 1)), code: 409,
			reason: metav1.StatusReasonConflict, message: `Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again`},
		{name: "unsupported field selector", method: "GET", path: pods + "?fieldSelector=foo%3Dbar", code: 400, reason: metav1.StatusReasonBadRequest,
			message: "field label not supported: foo"},
		{name: "bad label selector", method: "GET", path: pods + "?labelSelector=a%20b", code: 400, reason: metav1.StatusReasonBadRequest,
			message: "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"},
		{name: "invalid JSON patch", method: "PATCH", path: deploys + "/web", body: []byte(`[{"op":"replace","path":"/spec/nosuch/x","value":1}]`),
			headers: []string{"Content-Type", "application/json-patch+json"}, code: 422, reason: metav1.StatusReasonInvalid,
			message: "the server rejected our request due to an error in our request"},
		{name: "merge patch that is not JSON", method: "PATCH", path: deploys + "/web", body: []byte(`{`),
			headers: []string{"Content-Type", "application/merge-patch+json"}, code: 400, reason: metav1.StatusReasonBadRequest, message: "…"},
		{name: "strategic merge patch with a malformed directive", method: "PATCH", path: deploys + "/web",
			body:    []byte(`{"spec":{"template":{"spec":{"$setElementOrder/containers":"x"}}}}`),
			headers: []string{"Content-Type", "application/strategic-merge-patch+json"}, code: 400, reason: metav1.StatusReasonBadRequest, message: "expected a []interface {}, but received a string"},
		{name: "strategic merge patch the library panics on", method: "PATCH", path: deploys + "/web",
			body:    []byte(`{"spec":{"$retainKeys":[{}],"paused":null}}`),
			headers: []string{"Content-Type", "application/strategic-merge-patch+json"}, code: 500, reason: metav1.StatusReasonInternalError, message: patch.PanicMessage},
		{name: "merge patch that turns the scale into a Deployment", method: "PATCH", path: deploys + "/web/scale",
			body: []byte(`{"apiVersion":"apps/v1","kind":"Deployment"}`), headers: []string{"Content-Type", "application/merge-patch+json"},
			code: 422, reason: metav1.StatusReasonInvalid, message: ` "" is invalid: patch: Invalid value: "…`},
		{name: "negative scale", method: "PATCH", path: deploys + "/web/scale", body: []byte(`{"spec":{"replicas":-1}}`),
			headers: []string{"Content-Type", "application/merge-patch+json"}, code: 422, reason: metav1.StatusReasonInvalid,
			message: `Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`},
		{name: "dry run value not supported", method: "POST", path: deploys + "?dryRun=Some", body: []byte(deploymentJSON("dry", 1)), code: 422,
			reason: metav1.StatusReasonInvalid, message: `CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Some"]: supported values: "All"`},
		{name: "dry run value not supported in a delete body", method: "DELETE", path: deploys + "/web", body: []byte(`{"dryRun":["Some"]}`), code: 422,
			reason: metav1.StatusReasonInvalid, message: `DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Some"]: supported values: "All"`},
		{name: "bad propagation policy", method: "DELETE", path: deploys + "/web?propagationPolicy=Sometimes", code: 422,
			reason: metav1.StatusReasonInvalid, message: "…"},
		{name: "binding for another pod", method: "POST", path: pods + "/a/binding",
			body: []byte(`{"apiVersion":"v1","kind":"Binding","metadata":{"name":"b"},"target":{"kind":"Node","name":"node-1"}}`), code: 400,
			reason: metav1.StatusReasonBadRequest, message: "name in URL does not match name in Binding object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, tt.method, tt.path, tt.body, tt.headers...)
			st := r.status(t)
			if r.code != tt.code || int(st.Code) != tt.code || st.Reason != tt.reason || st.Kind != "Status" || st.Status != metav1.StatusFailure {
				t.Errorf("got %d %s/%s %q, want %d %s", r.code, st.Kind, st.Reason, st.Message, tt.code, tt.reason)
			}
			if prefix, ok := strings.CutSuffix(tt.message, "…"); ok {
				if !strings.HasPrefix(st.Message, prefix) {
					t.Errorf("message %q, want it to start with %q", st.Message, prefix)
				}
			} else if st.Message != tt.message {
				t.Errorf("message\n got  %q\n want %q", st.Message, tt.message)
			}
		})
	}
	if r := do(t, srv, http.MethodGet, "/version", nil); r.code != http.StatusOK {
		t.Errorf("after the bad requests, /version = %d", r.code)
	}
}

// TestPanicBecomes500 makes a handler panic: the client gets a 500 Status and the server goes on.
func TestPanicBecomes500(t *testing.T) {
	var logged []string
	srv, _ := serveBare(t, Config{
		Control: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }),
		Log:     func(s string) { logged = append(logged, s) },
	})
	r := do(t, srv, http.MethodPost, "/k8slearn/step", nil)
	st := r.status(t)
	if r.code != 500 || st.Reason != metav1.StatusReasonInternalError || !strings.Contains(st.Message, "boom") {
		t.Errorf("got %d %+v", r.code, st)
	}
	// One line, with where the panic was raised, not a stack trace.
	if len(logged) != 1 || !strings.HasPrefix(logged[0], "panic serving POST /k8slearn/step: boom (httpapi/errors_test.go:") ||
		strings.Contains(logged[0], "\n") {
		t.Errorf("logged %q", logged)
	}
	if r := do(t, srv, http.MethodGet, "/api/v1/namespaces", nil); r.code != http.StatusOK {
		t.Errorf("after the panic: %d", r.code)
	}
}

func TestBearerToken(t *testing.T) {
	srv, _ := serveBare(t, Config{Token: "s3cret"})
	for _, tt := range []struct {
		header string
		code   int
	}{{"", 401}, {"Bearer nope", 401}, {"Basic s3cret", 401}, {"Bearer s3cret", 200}} {
		var headers []string
		if tt.header != "" {
			headers = []string{"Authorization", tt.header}
		}
		r := do(t, srv, http.MethodGet, "/api/v1/namespaces", nil, headers...)
		if r.code != tt.code {
			t.Errorf("Authorization %q: %d, want %d", tt.header, r.code, tt.code)
		}
		if tt.code == 401 && r.status(t).Message != "Unauthorized" {
			t.Errorf("401 body %s", r.body)
		}
	}
}

// TestOddBodiesNeverFail500 throws odd bodies at every write: each must get a client error or
// succeed, never a server error.
func TestOddBodiesNeverFail500(t *testing.T) {
	srv, b := serveBare(t, Config{})
	if _, err := b.api.Client("test").Create("deployments", "default", mustDecode(t, deploymentJSON("web", 1))); err != nil {
		t.Fatal(err)
	}
	bodies := []string{"", "null", "[]", "{}", `"x"`, "123", "true", `{"metadata":null}`, `{"spec":null}`, `{"spec":{"template":null}}`,
		`{"metadata":{"name":123}}`, `{"apiVersion":5}`, `{"kind":"Deployment","apiVersion":"apps/v1","spec":{"replicas":1e99}}`,
		strings.Repeat("[", 100000), "\xff\xfe", `{"a":` + strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5001),
		`[{"op":"move","from":"/spec","path":"/spec/x"}]`, `[{"op":"test","path":"/nope","value":1}]`, `{"$patch":"delete"}`,
		`{"spec":{"template":{"spec":{"containers":[{"$patch":"replace"}]}}}}`, `{"spec":{"template":{"spec":{"containers":{"x":1}}}}}`}
	targets := []struct{ method, path, contentType string }{
		{http.MethodPost, deploysPath, "application/json"},
		{http.MethodPost, deploysPath, "application/yaml"},
		{http.MethodPut, deploysPath + "/web", "application/json"},
		{http.MethodPut, deploysPath + "/web/scale", "application/json"},
		{http.MethodPatch, deploysPath + "/web", "application/merge-patch+json"},
		{http.MethodPatch, deploysPath + "/web", "application/strategic-merge-patch+json"},
		{http.MethodPatch, deploysPath + "/web", "application/json-patch+json"},
		{http.MethodPatch, deploysPath + "/web/status", "application/strategic-merge-patch+json"},
		{http.MethodPatch, deploysPath + "/web/scale", "application/merge-patch+json"},
		{http.MethodPost, "/api/v1/namespaces/default/pods/p/binding", "application/json"},
		{http.MethodPost, "/api/v1/namespaces/default/pods", "application/vnd.kubernetes.protobuf"},
		{http.MethodDelete, deploysPath + "/nosuch", "application/json"},
	}
	for _, target := range targets {
		for _, body := range bodies {
			r := do(t, srv, target.method, target.path, []byte(body), "Content-Type", target.contentType)
			if r.code >= 500 {
				t.Errorf("%s %s (%s) %.40q: %d %s", target.method, target.path, target.contentType, body, r.code, r.body)
			}
		}
	}
}

// FuzzWrites sends arbitrary bodies to the write endpoints: no input may crash the server or get
// a server error, but for kube-apiserver's own: a strategic merge patch that makes the library
// panic is a 500 there too (TestBadRequests pins one).
func FuzzWrites(f *testing.F) {
	srv, b := serveBare(f, Config{})
	if _, err := b.api.Client("test").Create("deployments", "default", mustDecode(f, deploymentJSON("web", 1))); err != nil {
		f.Fatal(err)
	}
	targets := []struct{ method, path, contentType string }{
		{http.MethodPost, deploysPath, "application/json"},
		{http.MethodPost, deploysPath, "application/yaml"},
		{http.MethodPut, deploysPath + "/web", "application/json"},
		{http.MethodPatch, deploysPath + "/web", "application/merge-patch+json"},
		{http.MethodPatch, deploysPath + "/web", "application/strategic-merge-patch+json"},
		{http.MethodPatch, deploysPath + "/web", "application/json-patch+json"},
		{http.MethodPatch, deploysPath + "/web/scale", "application/merge-patch+json"},
		{http.MethodPost, "/api/v1/namespaces/default/pods", "application/vnd.kubernetes.protobuf"},
		// Added later: the indexes above stay those of the seeds in testdata/fuzz.
		{http.MethodPatch, deploysPath + "/web/scale", "application/json-patch+json"},
		{http.MethodPatch, deploysPath + "/web/scale", "application/strategic-merge-patch+json"},
		{http.MethodPut, deploysPath + "/web/scale", "application/json"},
		{http.MethodPatch, deploysPath + "/web/status", "application/merge-patch+json"},
		{http.MethodPatch, deploysPath + "/web/status", "application/json-patch+json"},
		{http.MethodPost, "/api/v1/namespaces/default/pods/p/binding", "application/json"},
		{http.MethodDelete, deploysPath + "/nosuch", "application/json"},
	}
	for _, seed := range []string{deploymentJSON("x", 2), `{"spec":{"replicas":3}}`, `[{"op":"add","path":"/metadata/labels/a","value":"b"}]`, "null", "{",
		`{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"web"},"spec":{"replicas":2}}`,
		`[{"op":"copy","from":"/spec","path":"/metadata/x"}]`, `{"metadata":{"name":"web"},"status":{"replicas":1}}`} {
		for i := range targets {
			f.Add(uint8(i), []byte(seed))
		}
	}
	f.Fuzz(func(t *testing.T, target uint8, body []byte) {
		tg := targets[int(target)%len(targets)]
		r := do(t, srv, tg.method, tg.path, body, "Content-Type", tg.contentType)
		if r.code >= 500 && !(tg.contentType == "application/strategic-merge-patch+json" && r.status(t).Message == patch.PanicMessage) {
			t.Errorf("%s %s (%s): %d %s", tg.method, tg.path, tg.contentType, r.code, r.body)
		}
	})
}
