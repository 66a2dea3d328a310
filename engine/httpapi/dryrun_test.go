package httpapi

import (
	"net/http"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestDryRunChangesNothing sends every write with kubectl's --dry-run=server (dryRun=All in the
// query, or in the DeleteOptions body as kubectl delete sends it) and checks the server answers
// as for the real write while the store keeps its revision and every object.
func TestDryRunChangesNothing(t *testing.T) {
	deploys := "/apis/apps/v1/namespaces/default/deployments"
	pods := "/api/v1/namespaces/default/pods"
	tests := []struct {
		name         string
		method, path string
		body         string
		contentType  string
		code         int
		check        func(t *testing.T, r response)
	}{
		{name: "create", method: "POST", path: deploys + "?dryRun=All", body: deploymentJSON("new", 1), code: http.StatusCreated,
			check: func(t *testing.T, r response) {
				var out struct{ Metadata metav1.ObjectMeta }
				r.decode(t, &out)
				if out.Metadata.Name != "new" || out.Metadata.UID == "" || out.Metadata.ResourceVersion != "" {
					t.Errorf("dry-run create answered %+v, want the object defaulted, with a uid and no resourceVersion", out.Metadata)
				}
			}},
		{name: "create with a name in use", method: "POST", path: deploys + "?dryRun=All", body: deploymentJSON("web", 1), code: http.StatusConflict},
		{name: "create invalid", method: "POST", path: deploys + "?dryRun=All", body: deploymentJSON("Bad", 1), code: http.StatusUnprocessableEntity},
		{name: "update", method: "PUT", path: deploys + "/web?dryRun=All", code: http.StatusOK},
		{name: "merge patch", method: "PATCH", path: deploys + "/web?dryRun=All", body: `{"spec":{"replicas":5}}`,
			contentType: "application/merge-patch+json", code: http.StatusOK,
			check: func(t *testing.T, r response) {
				var out struct{ Spec struct{ Replicas int } }
				r.decode(t, &out)
				if out.Spec.Replicas != 5 {
					t.Errorf("dry-run patch answered replicas %d, want 5", out.Spec.Replicas)
				}
			}},
		{name: "scale", method: "PATCH", path: deploys + "/web/scale?dryRun=All", body: `{"spec":{"replicas":7}}`,
			contentType: "application/merge-patch+json", code: http.StatusOK},
		{name: "delete, dryRun in the body as kubectl sends it", method: "DELETE", path: deploys + "/web",
			body: `{"kind":"DeleteOptions","apiVersion":"v1","dryRun":["All"]}`, code: http.StatusOK},
		{name: "delete, dryRun in the query", method: "DELETE", path: pods + "/p?dryRun=All", code: http.StatusOK},
		{name: "delete collection", method: "DELETE", path: pods + "?dryRun=All", code: http.StatusOK},
		{name: "binding", method: "POST", path: pods + "/p/binding?dryRun=All",
			body: `{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"kind":"Node","name":"node-1"}}`, code: http.StatusCreated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, b := serveBare(t, Config{})
			client := b.api.Client("test")
			if _, err := client.Create("deployments", "default", mustDecode(t, deploymentJSON("web", 1))); err != nil {
				t.Fatal(err)
			}
			if _, err := client.Create("pods", "default", mustDecode(t, podJSON("p"))); err != nil {
				t.Fatal(err)
			}
			before := b.store.Revision()
			body := tt.body
			if tt.method == "PUT" {
				web := do(t, srv, "GET", deploys+"/web", nil)
				body = string(web.body)
			}
			var headers []string
			if tt.contentType != "" {
				headers = []string{"Content-Type", tt.contentType}
			}
			var raw []byte
			if body != "" {
				raw = []byte(body)
			}
			r := do(t, srv, tt.method, tt.path, raw, headers...)
			if r.code != tt.code {
				t.Fatalf("got %d, want %d\n%s", r.code, tt.code, r.body)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
			if after := b.store.Revision(); after != before {
				t.Errorf("a dry run moved the store from revision %d to %d", before, after)
			}
			for _, o := range []struct{ res, name string }{{"deployments", "web"}, {"pods", "p"}} {
				obj, err := client.Get(o.res, "default", o.name)
				if err != nil {
					t.Errorf("after the dry run: %v", err)
					continue
				}
				if m := obj.(metav1.Object); m.GetDeletionTimestamp() != nil {
					t.Errorf("after the dry run %s %s is being deleted", o.res, o.name)
				}
			}
			if _, err := client.Get("deployments", "default", "new"); !apierrors.IsNotFound(err) {
				t.Errorf("the dry-run create stored the object: %v", err)
			}
		})
	}
}
