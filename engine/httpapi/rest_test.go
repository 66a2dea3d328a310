package httpapi

import (
	"net/http"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

const deploysPath = "/apis/apps/v1/namespaces/default/deployments"

// TestPatches applies each patch format as kubectl sends it.
func TestPatches(t *testing.T) {
	srv, _ := serveBare(t, Config{})
	if r := do(t, srv, http.MethodPost, deploysPath, []byte(deploymentJSON("web", 1))); r.code != http.StatusCreated {
		t.Fatalf("create: %d %s", r.code, r.body)
	}
	tests := []struct {
		name, contentType, body string
		check                   func(d *appsv1.Deployment) bool
	}{
		{"merge patch (kubectl scale, label)", "application/merge-patch+json", `{"spec":{"replicas":3},"metadata":{"labels":{"tier":"web"}}}`,
			func(d *appsv1.Deployment) bool {
				return *d.Spec.Replicas == 3 && d.Labels["tier"] == "web" && d.Labels["app"] == "web"
			}},
		{"strategic merge patch (kubectl set image)", "application/strategic-merge-patch+json",
			`{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}`,
			func(d *appsv1.Deployment) bool {
				c := d.Spec.Template.Spec.Containers
				return len(c) == 1 && c[0].Image == "nginx:1.27" && c[0].Name == "nginx"
			}},
		{"strategic merge patch adds a container by name", "application/strategic-merge-patch+json",
			`{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}`,
			func(d *appsv1.Deployment) bool { return len(d.Spec.Template.Spec.Containers) == 2 }},
		{"JSON patch", "application/json-patch+json", `[{"op":"replace","path":"/spec/replicas","value":5},{"op":"remove","path":"/spec/template/spec/containers/1"}]`,
			func(d *appsv1.Deployment) bool {
				return *d.Spec.Replicas == 5 && len(d.Spec.Template.Spec.Containers) == 1
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv, http.MethodPatch, deploysPath+"/web", []byte(tt.body), "Content-Type", tt.contentType)
			if r.code != http.StatusOK {
				t.Fatalf("%d %s", r.code, r.body)
			}
			var d appsv1.Deployment
			r.decode(t, &d)
			if !tt.check(&d) {
				t.Errorf("patched deployment is not as expected: %s", r.body)
			}
			if d.Generation < 2 {
				t.Errorf("generation %d: a spec change must bump it", d.Generation)
			}
		})
	}
	t.Run("unknown field warns by default", func(t *testing.T) {
		r := do(t, srv, http.MethodPatch, deploysPath+"/web", []byte(`{"spec":{"bogus":1}}`), "Content-Type", "application/merge-patch+json")
		if r.code != http.StatusOK || r.header.Get("Warning") != `299 - "unknown field \"spec.bogus\""` {
			t.Errorf("%d Warning %q", r.code, r.header.Get("Warning"))
		}
	})
	t.Run("unknown field refused with Strict", func(t *testing.T) {
		r := do(t, srv, http.MethodPatch, deploysPath+"/web?fieldValidation=Strict", []byte(`{"spec":{"bogus":1}}`), "Content-Type", "application/strategic-merge-patch+json")
		st := r.status(t)
		// kubectl shows it as: The request is invalid: patch: Invalid value: "map[spec:map[bogus:1]]": …
		if r.code != 422 || st.Message != ` "" is invalid: patch: Invalid value: "map[spec:map[bogus:1]]": strict decoding error: unknown field "spec.bogus"` {
			t.Errorf("%d %q", r.code, st.Message)
		}
	})
	t.Run("patch of a missing object", func(t *testing.T) {
		r := do(t, srv, http.MethodPatch, deploysPath+"/nosuch", []byte(`{}`), "Content-Type", "application/merge-patch+json")
		if r.code != 404 || r.status(t).Message != `deployments.apps "nosuch" not found` {
			t.Errorf("%d %s", r.code, r.body)
		}
	})
	t.Run("patch pinned to an old resourceVersion conflicts", func(t *testing.T) {
		r := do(t, srv, http.MethodPatch, deploysPath+"/web", []byte(`{"metadata":{"resourceVersion":"2"},"spec":{"replicas":7}}`), "Content-Type", "application/merge-patch+json")
		if r.code != 409 {
			t.Errorf("%d %s", r.code, r.body)
		}
	})
}

// TestSubresources uses scale, status and binding as kubectl, controllers and the scheduler do.
func TestSubresources(t *testing.T) {
	srv, b := serveBare(t, Config{})
	do(t, srv, http.MethodPost, deploysPath, []byte(deploymentJSON("web", 2)))

	var s autoscalingv1.Scale
	r := do(t, srv, http.MethodGet, deploysPath+"/web/scale", nil)
	r.decode(t, &s)
	if s.Kind != "Scale" || s.APIVersion != "autoscaling/v1" || s.Spec.Replicas != 2 || s.Status.Selector != "app=web" || s.ResourceVersion == "" {
		t.Errorf("scale: %s", r.body)
	}
	s.Spec.Replicas = 4
	if r := do(t, srv, http.MethodPut, deploysPath+"/web/scale", mustJSON(t, &s)); r.code != 200 {
		t.Errorf("PUT scale: %d %s", r.code, r.body)
	}
	s.Spec.Replicas = 9 // s still has the old resourceVersion
	if r := do(t, srv, http.MethodPut, deploysPath+"/web/scale", mustJSON(t, &s)); r.code != 409 {
		t.Errorf("PUT scale with a stale resourceVersion: %d %s", r.code, r.body)
	}
	r = do(t, srv, http.MethodPatch, deploysPath+"/web/scale", []byte(`{"spec":{"replicas":5}}`), "Content-Type", "application/merge-patch+json")
	r.decode(t, &s)
	if r.code != 200 || s.Spec.Replicas != 5 {
		t.Errorf("PATCH scale: %d %s", r.code, r.body)
	}
	d, _ := b.api.Client("test").Get("deployments", "default", "web")
	if *d.(*appsv1.Deployment).Spec.Replicas != 5 {
		t.Errorf("deployment replicas %d after scaling", *d.(*appsv1.Deployment).Spec.Replicas)
	}

	// A status update changes the status and nothing else.
	r = do(t, srv, http.MethodPatch, deploysPath+"/web/status", []byte(`{"status":{"replicas":5,"readyReplicas":1},"spec":{"replicas":1}}`),
		"Content-Type", "application/merge-patch+json")
	var dep appsv1.Deployment
	r.decode(t, &dep)
	if r.code != 200 || dep.Status.ReadyReplicas != 1 || *dep.Spec.Replicas != 5 {
		t.Errorf("status patch: %d %s", r.code, r.body)
	}

	// The scheduler's binding.
	do(t, srv, http.MethodPost, "/api/v1/namespaces/default/pods", []byte(podJSON("p")))
	r = do(t, srv, http.MethodPost, "/api/v1/namespaces/default/pods/p/binding",
		[]byte(`{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"kind":"Node","name":"node-1"}}`))
	if st := r.status(t); r.code != 201 || st.Status != metav1.StatusSuccess {
		t.Errorf("binding: %d %s", r.code, r.body)
	}
	p, _ := b.api.Client("test").Get("pods", "default", "p")
	if p.(*corev1.Pod).Spec.NodeName != "node-1" {
		t.Error("the binding did not set spec.nodeName")
	}
	r = do(t, srv, http.MethodPost, "/api/v1/namespaces/default/pods/p/binding",
		[]byte(`{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"kind":"Node","name":"node-1"}}`))
	if st := r.status(t); r.code != 409 || st.Message != `Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "node-1"` {
		t.Errorf("second binding: %d %s", r.code, r.body)
	}
}

func TestDelete(t *testing.T) {
	srv, b := serveBare(t, Config{})
	do(t, srv, http.MethodPost, deploysPath, []byte(deploymentJSON("gone", 1)))
	do(t, srv, http.MethodPost, deploysPath, []byte(deploymentJSON("orphaner", 1)))

	r := do(t, srv, http.MethodDelete, deploysPath+"/gone", []byte(`{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background"}`))
	st := r.status(t)
	if r.code != 200 || st.Status != metav1.StatusSuccess || st.Details == nil || st.Details.Name != "gone" || st.Details.Kind != "deployments" || st.Details.Group != "apps" {
		t.Errorf("delete: %d %s", r.code, r.body)
	}
	if r := do(t, srv, http.MethodGet, deploysPath+"/gone", nil); r.code != 404 {
		t.Errorf("after delete: %d", r.code)
	}

	// Orphan: the object stays with the orphan finalizer until the garbage collector is done.
	r = do(t, srv, http.MethodDelete, deploysPath+"/orphaner?propagationPolicy=Orphan", nil)
	var d appsv1.Deployment
	r.decode(t, &d)
	if r.code != 200 || d.DeletionTimestamp == nil || strings.Join(d.Finalizers, ",") != metav1.FinalizerOrphanDependents {
		t.Errorf("orphan delete: %d %s", r.code, r.body)
	}

	// A pod on a node is deleted gracefully, with the grace period asked for.
	do(t, srv, http.MethodPost, "/api/v1/namespaces/default/pods", []byte(podJSON("p")))
	b.api.Client("scheduler").Bind("default", &corev1.Binding{ObjectMeta: metav1.ObjectMeta{Name: "p"}, Target: corev1.ObjectReference{Kind: "Node", Name: "node-1"}})
	r = do(t, srv, http.MethodDelete, "/api/v1/namespaces/default/pods/p?gracePeriodSeconds=5", nil)
	var p corev1.Pod
	r.decode(t, &p)
	if r.code != 200 || p.DeletionGracePeriodSeconds == nil || *p.DeletionGracePeriodSeconds != 5 {
		t.Errorf("graceful pod delete: %d %s", r.code, r.body)
	}

	// deletecollection with a label selector.
	for _, n := range []string{"a", "b"} {
		do(t, srv, http.MethodPost, "/api/v1/namespaces/default/events",
			[]byte(`{"apiVersion":"v1","kind":"Event","metadata":{"name":"`+n+`","labels":{"x":"y"}},"involvedObject":{"kind":"Pod","name":"p"}}`))
	}
	r = do(t, srv, http.MethodDelete, "/api/v1/namespaces/default/events?labelSelector=x%3Dy", nil)
	var list corev1.EventList
	r.decode(t, &list)
	if r.code != 200 || len(list.Items) != 2 {
		t.Errorf("deletecollection: %d %s", r.code, r.body)
	}
	objs, _, _ := b.api.Client("test").List("events", "default", apiserver.ListOptions{})
	if len(objs) != 0 {
		t.Errorf("%d events left", len(objs))
	}
}

// TestListAndTable checks lists, selectors and the server-side Table kubectl get asks for.
func TestListAndTable(t *testing.T) {
	srv, _ := serveBare(t, Config{})
	do(t, srv, http.MethodPost, deploysPath, []byte(deploymentJSON("web", 3)))
	do(t, srv, http.MethodPost, deploysPath, []byte(deploymentJSON("api", 1)))

	var list appsv1.DeploymentList
	r := do(t, srv, http.MethodGet, deploysPath+"?labelSelector=app%3Dapi", nil)
	r.decode(t, &list)
	if list.Kind != "DeploymentList" || list.APIVersion != "apps/v1" || list.ResourceVersion == "" || len(list.Items) != 1 || list.Items[0].Name != "api" {
		t.Errorf("list: %s", r.body)
	}
	if strings.Contains(string(r.body), `"items":[{"kind"`) {
		t.Error("list items carry their own kind; kube-apiserver leaves it out")
	}
	r = do(t, srv, http.MethodGet, "/apis/apps/v1/deployments?fieldSelector=metadata.name%3Dweb", nil)
	r.decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].Name != "web" {
		t.Errorf("list across namespaces by name: %s", r.body)
	}

	accept := "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
	var table metav1.Table
	r = do(t, srv, http.MethodGet, deploysPath, nil, "Accept", accept)
	r.decode(t, &table)
	var cols []string
	for _, c := range table.ColumnDefinitions {
		cols = append(cols, c.Name)
	}
	if table.Kind != "Table" || table.APIVersion != "meta.k8s.io/v1" || strings.Join(cols, ",") != "Name,Ready,Up-to-date,Available,Age,Containers,Images,Selector" {
		t.Errorf("table columns %v: %s", cols, r.body)
	}
	if len(table.Rows) != 2 || table.Rows[0].Cells[0] != "api" || table.Rows[1].Cells[1] != "0/3" {
		t.Errorf("table rows: %s", r.body)
	}
	if !strings.Contains(string(table.Rows[0].Object.Raw), `"kind":"PartialObjectMetadata"`) {
		t.Errorf("rows should carry PartialObjectMetadata by default: %s", table.Rows[0].Object.Raw)
	}
	r = do(t, srv, http.MethodGet, deploysPath+"/web?includeObject=Object", nil, "Accept", accept)
	r.decode(t, &table)
	if len(table.Rows) != 1 || !strings.Contains(string(table.Rows[0].Object.Raw), `"kind":"Deployment"`) {
		t.Errorf("single object as a table with the object: %s", r.body)
	}
	r = do(t, srv, http.MethodGet, deploysPath+"?includeObject=None", nil, "Accept", accept)
	table = metav1.Table{}
	r.decode(t, &table)
	if len(table.Rows) != 2 || table.Rows[0].Object.Raw != nil {
		t.Errorf("includeObject=None: %s", r.body)
	}
	r = do(t, srv, http.MethodGet, deploysPath, nil, "Accept", "application/yaml")
	if r.header.Get("Content-Type") != "application/yaml" || !strings.HasPrefix(string(r.body), "apiVersion: apps/v1\nitems:") {
		t.Errorf("yaml: %s", r.body)
	}
	r = do(t, srv, http.MethodGet, deploysPath, nil, "Accept", "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io")
	if !strings.Contains(string(r.body), `"kind":"PartialObjectMetadataList"`) {
		t.Errorf("partial list: %s", r.body)
	}
}
