package httpapi

import (
	"net/http"
	"runtime"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// allocatedDuring is how many bytes the process allocated while f ran (server and client: the
// test sends one request at a time, so nothing else allocates much meanwhile).
func allocatedDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// copyBomb is a small JSON patch whose every copy doubles an array: 1 KiB grows to
// 2^doublings KiB.
func copyBomb(doublings int) []byte {
	ops := []string{`{"op":"add","path":"/bomb","value":["` + strings.Repeat("x", 1024) + `"]}`}
	for range doublings {
		ops = append(ops, `{"op":"copy","from":"/bomb","path":"/bomb/-"}`)
	}
	return []byte("[" + strings.Join(ops, ",") + "]")
}

// TestJSONPatchCopyBomb sends a JSON patch whose copies would grow the object to 64 MiB: the
// server refuses it as kube-apiserver does (its copy limit is 3 MiB), having allocated little.
func TestJSONPatchCopyBomb(t *testing.T) {
	srv, b := serveBare(t, Config{})
	if _, err := b.api.Client("test").Create("deployments", "default", mustDecode(t, deploymentJSON("web", 1))); err != nil {
		t.Fatal(err)
	}
	bomb := copyBomb(16)
	var r response
	allocated := allocatedDuring(func() {
		r = do(t, srv, http.MethodPatch, deploysPath+"/web", bomb, "Content-Type", "application/json-patch+json")
	})
	if r.code != http.StatusUnprocessableEntity {
		t.Fatalf("%d-byte copy bomb: got %d, want 422", len(bomb), r.code)
	}
	st := r.status(t)
	// The apiserver's jsonPatcher answers any failure to apply with this generic 422
	// (k8s.io/apiserver v0.37.2 pkg/endpoints/handlers/patch.go, applyJSPatch).
	if st.Reason != metav1.StatusReasonInvalid ||
		st.Message != "the server rejected our request due to an error in our request" {
		t.Errorf("%d-byte copy bomb: got %s %q, want Invalid", len(bomb), st.Reason, st.Message)
	}
	t.Logf("a %d-byte copy bomb: %d KiB allocated", len(bomb), allocated>>10)
	const limit = 48 << 20
	if allocated > limit {
		t.Errorf("the server allocated %d MiB for a %d-byte patch, want at most %d MiB", allocated>>20, len(bomb), limit>>20)
	}
}

// TestPatchIntoAnotherKind patches an object into another kind (FuzzWrites found the first: a
// Deployment sent to the scale subresource). kube-apiserver decodes the patched object and
// cannot convert it to the endpoint's type: 422, never 500.
func TestPatchIntoAnotherKind(t *testing.T) {
	srv, b := serveBare(t, Config{})
	if _, err := b.api.Client("test").Create("deployments", "default", mustDecode(t, deploymentJSON("web", 1))); err != nil {
		t.Fatal(err)
	}
	const merge, jsonPatch = "application/merge-patch+json", "application/json-patch+json"
	for _, tt := range []struct {
		name, path, contentType, body string
		detail                        string // what follows the patched object in the message
	}{
		{"a Deployment sent to scale", deploysPath + "/web/scale", merge, deploymentJSON("web", 3),
			"converting (v1.Deployment) to (autoscaling.Scale): unknown conversion"},
		{"a Deployment sent to scale by JSON patch", deploysPath + "/web/scale", jsonPatch,
			`[{"op":"replace","path":"/apiVersion","value":"apps/v1"},{"op":"replace","path":"/kind","value":"Deployment"}]`,
			"converting (v1.Deployment) to (autoscaling.Scale): unknown conversion"},
		{"a Deployment patched into a ReplicaSet", deploysPath + "/web", merge, `{"kind":"ReplicaSet"}`,
			"converting (v1.ReplicaSet) to (apps.Deployment): unknown conversion"},
		{"a Deployment patched into a Pod", deploysPath + "/web", jsonPatch,
			`[{"op":"replace","path":"/apiVersion","value":"v1"},{"op":"replace","path":"/kind","value":"Pod"}]`,
			"converting (v1.Pod) to (apps.Deployment): unknown conversion"},
		{"a version not served", deploysPath + "/web", merge, `{"apiVersion":"apps/v2"}`,
			`no kind "Deployment" is registered for version "apps/v2" in scheme "pkg/api/legacyscheme/scheme.go:30"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, http.MethodPatch, tt.path, []byte(tt.body), "Content-Type", tt.contentType)
			if r.code != http.StatusUnprocessableEntity {
				t.Fatalf("got %d %s, want 422", r.code, r.body)
			}
			// k8s.io/apiserver v0.37.2 pkg/endpoints/handlers/patch.go, jsonPatcher.applyPatchToCurrentObject
			st := r.status(t)
			if prefix := ` "" is invalid: patch: Invalid value: "{`; st.Reason != metav1.StatusReasonInvalid ||
				!strings.HasPrefix(st.Message, prefix) || !strings.HasSuffix(st.Message, `}": `+tt.detail) {
				t.Errorf("got %s %q, want Invalid %q…%q", st.Reason, st.Message, prefix, tt.detail)
			}
		})
	}
	if r := do(t, srv, http.MethodGet, deploysPath+"/web", nil); r.code != http.StatusOK {
		t.Errorf("after the patches: %d", r.code)
	}
}

// TestInvalidPatchQuotesTheStartOfTheObject sends a 1.5 MiB patch whose result cannot be decoded.
// kube-apiserver would quote the whole patched object in its 422, twice (message and cause),
// escaped twice; k8slearn quotes the first 64 KiB, so the answer stays small.
func TestInvalidPatchQuotesTheStartOfTheObject(t *testing.T) {
	srv, b := serveBare(t, Config{})
	if _, err := b.api.Client("test").Create("deployments", "default", mustDecode(t, deploymentJSON("web", 1))); err != nil {
		t.Fatal(err)
	}
	const detail = "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
	for _, tt := range []struct {
		name, contentType, body string
		cut                     bool
	}{
		{"small object, JSON patch", "application/json-patch+json", `[{"op":"replace","path":"/spec/replicas","value":"x"}]`, false},
		{"small object, merge patch", "application/merge-patch+json", `{"spec":{"replicas":"x"}}`, false},
		{"big object, JSON patch", "application/json-patch+json",
			`[{"op":"add","path":"/metadata/annotations","value":{"big":"` + strings.Repeat(`"<`, 512<<10) + `"}},{"op":"replace","path":"/spec/replicas","value":"x"}]`, true},
		{"big object, merge patch", "application/merge-patch+json",
			`{"metadata":{"annotations":{"big":"` + strings.Repeat(`"<`, 512<<10) + `"}},"spec":{"replicas":"x"}}`, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.body = strings.ReplaceAll(tt.body, `"<`, `\"<`) // quotes and <, escaped at every quoting
			r := do(t, srv, http.MethodPatch, deploysPath+"/web", []byte(tt.body), "Content-Type", tt.contentType)
			if r.code != http.StatusUnprocessableEntity {
				t.Fatalf("got %d, want 422", r.code)
			}
			st := r.status(t)
			prefix, end := ` "" is invalid: patch: Invalid value: "{\"apiVersion\":\"apps/v1\",`, `}": `+detail
			if tt.cut {
				end = ` ...": ` + detail
			}
			if !strings.HasPrefix(st.Message, prefix) || !strings.HasSuffix(st.Message, end) {
				t.Errorf("message %.100q…%q, want %q…%q", st.Message, st.Message[max(0, len(st.Message)-200):], prefix, end)
			}
			if st.Details == nil || len(st.Details.Causes) != 1 || "patch: "+st.Details.Causes[0].Message != strings.TrimPrefix(st.Message, ` "" is invalid: `) {
				t.Errorf("the cause does not repeat the message: %+v", st.Details)
			}
			t.Logf("a %d KiB patch: a %d KiB answer", len(tt.body)>>10, len(r.body)>>10)
			if tt.cut && len(r.body) > 1<<20 {
				t.Errorf("a %d KiB patch got a %d KiB answer, want at most 1 MiB", len(tt.body)>>10, len(r.body)>>10)
			}
		})
	}
}
