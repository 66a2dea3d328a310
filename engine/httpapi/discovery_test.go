package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
	"k8s.io/apimachinery/pkg/version"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/openapi3"
	"k8s.io/client-go/rest"

	"github.com/k8slearn/k8slearn/engine/httpapi/internal/openapiproto"
)

func TestVersion(t *testing.T) {
	srv, _ := serveBare(t, Config{})
	r := do(t, srv, http.MethodGet, "/version", nil)
	var info version.Info
	r.decode(t, &info)
	// A real v1.37.2 kube-apiserver answers minCompatibility 1.36: one minor back.
	if r.code != http.StatusOK || info.GitVersion != "v1.37.2" || info.Major != "1" || info.Minor != "37" ||
		info.EmulationMinor != "37" || info.MinCompatibilityMajor != "1" || info.MinCompatibilityMinor != "36" {
		t.Errorf("/version = %d %+v", r.code, info)
	}
	ours, theirs := reflect.TypeFor[versionInfo](), reflect.TypeFor[version.Info]()
	if ours.NumField() != theirs.NumField() {
		t.Fatalf("versionInfo has %d fields, version.Info %d", ours.NumField(), theirs.NumField())
	}
	for i := range ours.NumField() {
		a, b := ours.Field(i), theirs.Field(i)
		if a.Name != b.Name || a.Tag != b.Tag || a.Type != b.Type {
			t.Errorf("field %d: versionInfo has %s %s %q, version.Info %s %s %q", i, a.Name, a.Type, a.Tag, b.Name, b.Type, b.Tag)
		}
	}
}

// TestDiscoveryWithClientGo reads discovery with client-go, aggregated (as kubectl v1.30+ asks)
// and legacy (as older clients do): both must list the same resources with their verbs, short
// names, categories and subresources.
func TestDiscoveryWithClientGo(t *testing.T) {
	srv, _ := serveBare(t, Config{})
	dc := discovery.NewDiscoveryClientForConfigOrDie(&rest.Config{Host: srv.URL})
	for name, client := range map[string]discovery.DiscoveryInterface{"aggregated": dc, "legacy": dc.WithLegacy()} {
		t.Run(name, func(t *testing.T) {
			_, lists, err := client.ServerGroupsAndResources()
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, l := range lists {
				for _, r := range l.APIResources {
					verbs := append([]string(nil), r.Verbs...)
					sort.Strings(verbs)
					got[l.GroupVersion+" "+r.Name] = r.Kind + " " + strings.Join(verbs, ",") + " " + strings.Join(r.ShortNames, ",") + " " + strings.Join(r.Categories, ",")
				}
			}
			want := map[string]string{
				"v1 pods":                   "Pod create,delete,deletecollection,get,list,patch,update,watch po all",
				"v1 pods/binding":           "Binding create  ",
				"v1 pods/status":            "Pod get,patch,update  ",
				"v1 services":               "Service create,delete,deletecollection,get,list,patch,update,watch svc all",
				"v1 nodes":                  "Node create,delete,deletecollection,get,list,patch,update,watch no ",
				"v1 namespaces":             "Namespace create,delete,get,list,patch,update,watch ns ",
				"v1 events":                 "Event create,delete,deletecollection,get,list,patch,update,watch ev ",
				"apps/v1 deployments":       "Deployment create,delete,deletecollection,get,list,patch,update,watch deploy all",
				"apps/v1 deployments/scale": "Scale get,patch,update  ",
				"apps/v1 replicasets":       "ReplicaSet create,delete,deletecollection,get,list,patch,update,watch rs all",
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s: got %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestAggregatedDiscoveryVersions(t *testing.T) {
	srv, _ := serveBare(t, Config{})
	for _, v := range []string{"v2", "v2beta1"} {
		accept := "application/json;g=apidiscovery.k8s.io;v=" + v + ";as=APIGroupDiscoveryList,application/json"
		r := do(t, srv, http.MethodGet, "/apis", nil, "Accept", accept)
		if ct := r.header.Get("Content-Type"); ct != "application/json;g=apidiscovery.k8s.io;v="+v+";as=APIGroupDiscoveryList" {
			t.Errorf("%s: Content-Type %q", v, ct)
		}
		var doc struct {
			APIVersion string `json:"apiVersion"`
			Items      []struct {
				Metadata struct{ Name string } `json:"metadata"`
			} `json:"items"`
		}
		r.decode(t, &doc)
		if doc.APIVersion != "apidiscovery.k8s.io/"+v || len(doc.Items) != 6 || doc.Items[0].Metadata.Name != "apps" { // apps, coordination, discovery, networking, policy, scheduling
			t.Errorf("%s: %s", v, r.body)
		}
	}
	if r := do(t, srv, http.MethodGet, "/apis/apps", nil); r.code != http.StatusOK || !strings.Contains(string(r.body), `"preferredVersion":{"groupVersion":"apps/v1"`) {
		t.Errorf("/apis/apps: %d %s", r.code, r.body)
	}
}

// TestOpenAPIV3 checks what kubectl explain, apply and field validation read in the v3 documents.
func TestOpenAPIV3(t *testing.T) {
	srv, _ := serveBare(t, Config{})
	dc := discovery.NewDiscoveryClientForConfigOrDie(&rest.Config{Host: srv.URL})
	root := openapi3.NewRoot(dc.OpenAPIV3())
	gvs, err := root.GroupVersions()
	if err != nil || len(gvs) != 7 { // v1, apps/v1, coordination.k8s.io/v1, discovery.k8s.io/v1, networking.k8s.io/v1, policy/v1, scheduling.k8s.io/v1
		t.Fatalf("group versions %v, %v", gvs, err)
	}
	spec, err := root.GVSpec(appsv1.SchemeGroupVersion)
	if err != nil {
		t.Fatal(err)
	}
	deploySpec := spec.Components.Schemas["io.k8s.api.apps.v1.DeploymentSpec"]
	if deploySpec == nil {
		t.Fatal("no DeploymentSpec schema")
	}
	if got, want := deploySpec.Properties["replicas"].Description, (appsv1.DeploymentSpec{}).SwaggerDoc()["replicas"]; got != want || got == "" {
		t.Errorf("replicas description %q, want %q", got, want)
	}
	if strings.Join(deploySpec.Required, ",") != "selector,template" {
		t.Errorf("DeploymentSpec required %v", deploySpec.Required)
	}
	var gvk []map[string]string
	raw, _ := json.Marshal(spec.Components.Schemas["io.k8s.api.apps.v1.Deployment"].Extensions["x-kubernetes-group-version-kind"])
	if json.Unmarshal(raw, &gvk); len(gvk) != 1 || gvk[0]["kind"] != "Deployment" || gvk[0]["group"] != "apps" {
		t.Errorf("Deployment GVK %s", raw)
	}
	patch := spec.Paths.Paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"].Patch
	if patch == nil {
		t.Fatal("no PATCH on a deployment")
	}
	var params []string
	for _, p := range patch.Parameters {
		params = append(params, p.Name)
	}
	if !strings.Contains(strings.Join(params, ","), "fieldValidation") {
		t.Errorf("PATCH parameters %v lack fieldValidation (kubectl would validate client-side)", params)
	}
	if _, ok := patch.RequestBody.Content["application/strategic-merge-patch+json"]; !ok {
		t.Error("PATCH does not accept strategic merge patches")
	}
	// kubectl apply computes strategic merge patches from these schemas.
	var lookup strategicpatch.LookupPatchMeta = strategicpatch.PatchMetaFromOpenAPIV3{
		Schema: spec.Components.Schemas["io.k8s.api.apps.v1.Deployment"], SchemaList: spec.Components.Schemas}
	for _, key := range []string{"spec", "template", "spec"} {
		if lookup, _, err = lookup.LookupPatchMetadataForStruct(key); err != nil {
			t.Fatalf("looking up %s: %v", key, err)
		}
	}
	_, pm, err := lookup.LookupPatchMetadataForSlice("containers")
	if err != nil || pm.GetPatchMergeKey() != "name" || strings.Join(pm.GetPatchStrategies(), ",") != "merge" {
		t.Errorf("containers patch meta %+v %v", pm, err)
	}
}

func TestOpenAPIV2Protobuf(t *testing.T) {
	srv, _ := serveBare(t, Config{})
	dc := discovery.NewDiscoveryClientForConfigOrDie(&rest.Config{Host: srv.URL})
	doc, err := dc.OpenAPISchema()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, def := range doc.GetDefinitions().GetAdditionalProperties() {
		if def.GetName() == "io.k8s.api.core.v1.Pod" {
			found = true
		}
	}
	if !found {
		t.Error("the v2 document has no io.k8s.api.core.v1.Pod")
	}
	r := do(t, srv, http.MethodGet, "/openapi/v2", nil, "Accept", "application/json")
	if r.code != 200 || !json.Valid(r.body) {
		t.Fatalf("/openapi/v2 as JSON: %d", r.code)
	}
	// The protobuf form is generated ahead of time; it must be what gnostic writes for the JSON
	// the server answers with, byte for byte.
	want, err := openapiproto.FromJSON(r.body)
	if err != nil {
		t.Fatal(err)
	}
	pb := do(t, srv, http.MethodGet, "/openapi/v2", nil, "Accept", openAPIV2Proto)
	if pb.code != 200 || !bytes.Equal(pb.body, want) {
		t.Errorf("/openapi/v2 as protobuf: %d, %d bytes; gnostic writes %d bytes for the same document", pb.code, len(pb.body), len(want))
	}
}

// TestSchemaSpecialTypes checks the types that marshal themselves.
func TestSchemaSpecialTypes(t *testing.T) {
	b := newSchemaBuilder(true)
	b.define(reflect.TypeFor[appsv1.Deployment]())
	for name, want := range map[string]string{
		"io.k8s.apimachinery.pkg.apis.meta.v1.Time":       `{"format":"date-time","type":"string"}`,
		"io.k8s.apimachinery.pkg.util.intstr.IntOrString": `{"format":"int-or-string","oneOf":[{"type":"integer"},{"type":"string"}]}`,
		"io.k8s.apimachinery.pkg.api.resource.Quantity":   `{"oneOf":[{"type":"string"},{"type":"number"}]}`,
	} {
		got := b.defs[name]
		delete(got, "description")
		if raw, _ := json.Marshal(got); string(raw) != want {
			t.Errorf("%s = %s, want %s", name, raw, want)
		}
	}
}
