package httpapi

import (
	"crypto/sha512"
	_ "embed"
	"encoding/hex"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

//go:generate go run ./gen

// OpenAPIV2ProtobufFile is the file holding the protobuf form of the v2 document: ./gen writes it
// (gnostic's parser and proto.Marshal, as kube-openapi's handler does) and the server serves it.
const OpenAPIV2ProtobufFile = "openapi-v2.pb"

//go:embed openapi-v2.pb
var openAPIV2Protobuf []byte

// openAPIV2Proto is the media type client-go asks /openapi/v2 for; the server answers with the
// same type spelled without the "@", which is not valid in a Content-Type (as kube-openapi does).
const (
	openAPIV2Proto         = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
	openAPIV2ProtoResponse = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
)

// openAPIDocs are the OpenAPI documents, built once on first use: the types do not change while
// the server runs.
type openAPIDocs struct {
	once    sync.Once
	err     error
	v2JSON  []byte
	v2Proto []byte
	v3      map[string][]byte // "api/v1", "apis/apps/v1" → document
	v3Hash  map[string]string
}

func (h *Handler) docs() (*openAPIDocs, error) {
	d := &h.openapi
	d.once.Do(func() { d.err = d.build(h.cfg.API.Registry().All()) })
	return d, d.err
}

func (d *openAPIDocs) build(resources []*apiserver.Resource) error {
	d.v3, d.v3Hash = map[string][]byte{}, map[string]string{}
	byGV := map[string][]*apiserver.Resource{}
	for _, res := range resources {
		byGV[gvPath(res)] = append(byGV[gvPath(res)], res)
	}
	for path, list := range byGV {
		doc, err := jsonMarshal(openAPIDocument(list, true))
		if err != nil {
			return fmt.Errorf("building the OpenAPI v3 document of %s: %w", path, err)
		}
		sum := sha512.Sum512(doc)
		d.v3[path] = doc
		d.v3Hash[path] = strings.ToUpper(hex.EncodeToString(sum[:]))
	}
	v2, err := OpenAPIV2JSON(resources)
	if err != nil {
		return err
	}
	d.v2JSON, d.v2Proto = v2, openAPIV2Protobuf
	return nil
}

// OpenAPIV2JSON is the OpenAPI v2 document of the resources, as /openapi/v2 serves it in JSON.
func OpenAPIV2JSON(resources []*apiserver.Resource) ([]byte, error) {
	v2, err := jsonMarshal(openAPIDocument(resources, false))
	if err != nil {
		return nil, fmt.Errorf("building the OpenAPI v2 document: %w", err)
	}
	return v2, nil
}

// gvPath is a group version as OpenAPI v3 discovery names it: "api/v1", "apis/apps/v1".
func gvPath(res *apiserver.Resource) string {
	if res.Group == "" {
		return "api/" + res.Version
	}
	return "apis/" + res.Group + "/" + res.Version
}

// serveOpenAPIV2 answers /openapi/v2 in protobuf, as client-go asks, or JSON.
func (h *Handler) serveOpenAPIV2(w http.ResponseWriter, r *http.Request) {
	d, err := h.docs()
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if accept := r.Header.Get("Accept"); strings.Contains(accept, openAPIV2Proto) || strings.Contains(accept, openAPIV2ProtoResponse) {
		w.Header().Set("Content-Type", openAPIV2ProtoResponse)
		_, _ = w.Write(d.v2Proto)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(d.v2JSON)
}

// serveOpenAPIV3 answers /openapi/v3 (the list of group versions) and /openapi/v3/<gv>.
func (h *Handler) serveOpenAPIV3(w http.ResponseWriter, r *http.Request, gv string) {
	d, err := h.docs()
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if gv == "" {
		type entry struct {
			ServerRelativeURL string `json:"serverRelativeURL"`
		}
		paths := map[string]entry{}
		for p, hash := range d.v3Hash {
			paths[p] = entry{ServerRelativeURL: "/openapi/v3/" + p + "?hash=" + hash}
		}
		h.writeJSON(w, http.StatusOK, map[string]any{"paths": paths})
		return
	}
	doc, ok := d.v3[gv]
	if !ok {
		h.writeError(w, r, errNotFoundPath())
		return
	}
	if r.URL.Query().Get("hash") == d.v3Hash[gv] {
		w.Header().Set("Cache-Control", "public, immutable")
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(doc)
}

// openAPIDocument is the OpenAPI document (v3 for one group version, or v2 for everything) of
// the resources: their paths and operations, and the schemas of every type they use.
func openAPIDocument(resources []*apiserver.Resource, v3 bool) map[string]any {
	b := newSchemaBuilder(v3)
	paths := map[string]any{}
	for _, res := range resources {
		for p, item := range resourcePaths(b, res) {
			paths[p] = item
		}
	}
	for _, t := range []reflect.Type{reflect.TypeFor[metav1.Status](), reflect.TypeFor[metav1.DeleteOptions](), reflect.TypeFor[metav1.WatchEvent]()} {
		b.define(t)
	}
	markKinds(b, resources)
	info := map[string]any{"title": "Kubernetes", "version": kubeGitVersion}
	if v3 {
		return map[string]any{
			"openapi": "3.0.0", "info": info, "paths": paths,
			"components": map[string]any{
				"schemas": b.defs,
				"securitySchemes": map[string]any{"BearerToken": map[string]any{
					"type": "apiKey", "description": "Bearer Token authentication", "name": "authorization", "in": "header"}},
			},
			"security": []any{map[string]any{"BearerToken": []any{}}},
		}
	}
	return map[string]any{
		"swagger": "2.0", "info": info, "paths": paths, "definitions": b.defs,
		"securityDefinitions": map[string]any{"BearerToken": map[string]any{
			"type": "apiKey", "description": "Bearer Token authentication", "name": "authorization", "in": "header"}},
		"security": []any{map[string]any{"BearerToken": []any{}}},
	}
}

// markKinds adds x-kubernetes-group-version-kind to the definitions of the served kinds, their
// lists and the subresource kinds: clients find a kind's schema by it.
func markKinds(b *schemaBuilder, resources []*apiserver.Resource) {
	mark := func(t reflect.Type, group, version, kind string) {
		name := definitionName(t)
		if def, ok := b.defs[name]; ok {
			def["x-kubernetes-group-version-kind"] = []any{map[string]any{"group": group, "version": version, "kind": kind}}
		}
	}
	for _, res := range resources {
		t := reflect.TypeOf(res.New()).Elem()
		mark(t, res.Group, res.Version, res.Kind)
		mark(reflect.TypeOf(res.NewList()).Elem(), res.Group, res.Version, res.Kind+"List")
	}
	mark(reflect.TypeFor[autoscalingv1.Scale](), "autoscaling", "v1", "Scale")
	mark(reflect.TypeFor[corev1.Binding](), "", "v1", "Binding")
	mark(reflect.TypeFor[policyv1.Eviction](), "policy", "v1", "Eviction")
}

// operation describes one API operation for the path builder.
type operation struct {
	method, action, id, description string
	params                          []map[string]any
	body                            reflect.Type // request body type, nil for none
	bodyTypes                       []string     // media types the body may have
	response                        reflect.Type
	gvk                             map[string]any
}

// resourcePaths builds the paths of one resource: the collection in a namespace, the object, its
// subresources, and the list across namespaces.
func resourcePaths(b *schemaBuilder, res *apiserver.Resource) map[string]any {
	prefix := "/" + gvPath(res)
	kindType := reflect.TypeOf(res.New()).Elem()
	listType := reflect.TypeOf(res.NewList()).Elem()
	gvk := map[string]any{"group": res.Group, "version": res.Version, "kind": res.Kind}
	opName := groupCamel(res.Group) + strings.ToUpper(res.Version[:1]) + res.Version[1:]
	scoped := ""
	collection := prefix + "/" + res.Name
	if res.Namespaced {
		scoped = "Namespaced"
		collection = prefix + "/namespaces/{namespace}/" + res.Name
	}
	verbs := map[string]bool{}
	for _, v := range verbsOf(res) {
		verbs[v] = true
	}
	objectBody := []string{"application/json", "application/yaml"}
	patchBody := []string{"application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"}
	statusType := reflect.TypeFor[metav1.Status]()
	out := map[string]any{}

	var collOps []operation
	if verbs["list"] {
		collOps = append(collOps, operation{method: "get", action: "list", id: "list" + opName + scoped + res.Kind,
			description: "list or watch objects of kind " + res.Kind, params: queryParams(listOptionParams()), response: listType, gvk: gvk})
	}
	if verbs["create"] {
		collOps = append(collOps, operation{method: "post", action: "post", id: "create" + opName + scoped + res.Kind,
			description: "create " + article(res.Kind) + " " + res.Kind, params: queryParams(writeOptionParams(false)),
			body: kindType, bodyTypes: objectBody, response: kindType, gvk: gvk})
	}
	if verbs["deletecollection"] {
		collOps = append(collOps, operation{method: "delete", action: "deletecollection", id: "delete" + opName + "Collection" + scoped + res.Kind,
			description: "delete collection of " + res.Kind, params: queryParams(append(deleteOptionParams(), listOptionParams()...)),
			body: reflect.TypeFor[metav1.DeleteOptions](), bodyTypes: []string{"application/json"}, response: statusType, gvk: gvk})
	}
	out[collection] = b.pathItem(collOps, pathParams(res, false))

	var objOps []operation
	objOps = append(objOps, operation{method: "get", action: "get", id: "read" + opName + scoped + res.Kind,
		description: "read the specified " + res.Kind, response: kindType, gvk: gvk})
	if verbs["update"] {
		objOps = append(objOps, operation{method: "put", action: "put", id: "replace" + opName + scoped + res.Kind,
			description: "replace the specified " + res.Kind, params: queryParams(writeOptionParams(false)),
			body: kindType, bodyTypes: objectBody, response: kindType, gvk: gvk})
	}
	if verbs["patch"] {
		objOps = append(objOps, operation{method: "patch", action: "patch", id: "patch" + opName + scoped + res.Kind,
			description: "partially update the specified " + res.Kind, params: queryParams(writeOptionParams(true)),
			body: reflect.TypeFor[metav1.Patch](), bodyTypes: patchBody, response: kindType, gvk: gvk})
	}
	if verbs["delete"] {
		objOps = append(objOps, operation{method: "delete", action: "delete", id: "delete" + opName + scoped + res.Kind,
			description: "delete " + article(res.Kind) + " " + res.Kind, params: queryParams(deleteOptionParams()),
			body: reflect.TypeFor[metav1.DeleteOptions](), bodyTypes: []string{"application/json"}, response: statusType, gvk: gvk})
	}
	out[collection+"/{name}"] = b.pathItem(objOps, pathParams(res, true))

	for _, sub := range subresourcesOf(res) {
		subType := kindType
		subGVK := gvk
		switch sub.name {
		case "scale":
			subType = reflect.TypeFor[autoscalingv1.Scale]()
			subGVK = map[string]any{"group": "autoscaling", "version": "v1", "kind": "Scale"}
		case "binding":
			subType = reflect.TypeFor[corev1.Binding]()
			subGVK = map[string]any{"group": "", "version": "v1", "kind": "Binding"}
		case "eviction":
			subType = reflect.TypeFor[policyv1.Eviction]()
			subGVK = map[string]any{"group": "policy", "version": "v1", "kind": "Eviction"}
		}
		suffix := strings.ToUpper(sub.name[:1]) + sub.name[1:]
		var ops []operation
		for _, v := range sub.verbs {
			switch v {
			case "get":
				ops = append(ops, operation{method: "get", action: "get", id: "read" + opName + scoped + res.Kind + suffix,
					description: "read " + sub.name + " of the specified " + res.Kind, response: subType, gvk: subGVK})
			case "update":
				ops = append(ops, operation{method: "put", action: "put", id: "replace" + opName + scoped + res.Kind + suffix,
					description: "replace " + sub.name + " of the specified " + res.Kind, params: queryParams(writeOptionParams(false)),
					body: subType, bodyTypes: objectBody, response: subType, gvk: subGVK})
			case "patch":
				ops = append(ops, operation{method: "patch", action: "patch", id: "patch" + opName + scoped + res.Kind + suffix,
					description: "partially update " + sub.name + " of the specified " + res.Kind, params: queryParams(writeOptionParams(true)),
					body: reflect.TypeFor[metav1.Patch](), bodyTypes: patchBody, response: subType, gvk: subGVK})
			case "create":
				ops = append(ops, operation{method: "post", action: "post", id: "create" + opName + scoped + res.Kind + suffix,
					description: "create " + sub.name + " of " + article(res.Kind) + " " + res.Kind, params: queryParams(writeOptionParams(false)),
					body: subType, bodyTypes: objectBody, response: subType, gvk: subGVK})
			}
		}
		out[collection+"/{name}/"+sub.name] = b.pathItem(ops, pathParams(res, true))
	}
	if res.Namespaced && verbs["list"] {
		out[prefix+"/"+res.Name] = b.pathItem([]operation{{method: "get", action: "list", id: "list" + opName + res.Kind + "ForAllNamespaces",
			description: "list or watch objects of kind " + res.Kind, response: listType, gvk: gvk}}, queryParams(listOptionParams()))
	}
	return out
}

// pathItem renders the operations of one path in the document's OpenAPI version.
func (b *schemaBuilder) pathItem(ops []operation, params []map[string]any) map[string]any {
	item := map[string]any{"parameters": b.params(params)}
	for _, op := range ops {
		o := map[string]any{
			"description": op.description, "operationId": op.id, "tags": []any{tagOf(op.gvk)},
			"x-kubernetes-action": op.action, "x-kubernetes-group-version-kind": op.gvk,
		}
		params := b.params(op.params)
		ref := map[string]any{"$ref": b.refPrefix() + b.define(op.response)}
		if b.v3 {
			content := map[string]any{}
			for _, mt := range []string{"application/json", "application/yaml"} {
				content[mt] = map[string]any{"schema": ref}
			}
			o["responses"] = map[string]any{"200": map[string]any{"description": "OK", "content": content}}
			if op.body != nil {
				body := map[string]any{}
				for _, mt := range op.bodyTypes {
					body[mt] = map[string]any{"schema": map[string]any{"$ref": b.refPrefix() + b.define(op.body)}}
				}
				o["requestBody"] = map[string]any{"content": body, "required": true}
			}
		} else {
			o["responses"] = map[string]any{"200": map[string]any{"description": "OK", "schema": ref}}
			o["produces"] = []any{"application/json", "application/yaml"}
			o["schemes"] = []any{"https"}
			if op.body != nil {
				params = append(params, map[string]any{"name": "body", "in": "body", "required": true,
					"schema": map[string]any{"$ref": b.refPrefix() + b.define(op.body)}})
				var consumes []any
				for _, mt := range op.bodyTypes {
					consumes = append(consumes, mt)
				}
				o["consumes"] = consumes
			} else {
				o["consumes"] = []any{"*/*"}
			}
		}
		if len(params) > 0 {
			o["parameters"] = params
		}
		item[op.method] = o
	}
	return item
}

// params renders parameters: v3 puts the type in a schema, v2 beside the name.
func (b *schemaBuilder) params(in []map[string]any) []any {
	out := make([]any, 0, len(in))
	for _, p := range in {
		q := map[string]any{}
		for k, v := range p {
			q[k] = v
		}
		if b.v3 {
			q["schema"] = map[string]any{"type": q["type"], "uniqueItems": true}
			delete(q, "type")
		} else {
			q["uniqueItems"] = true
		}
		out = append(out, q)
	}
	return out
}

func tagOf(gvk map[string]any) string {
	group, _ := gvk["group"].(string)
	version, _ := gvk["version"].(string)
	if group == "" {
		group = "core"
	}
	return strings.ReplaceAll(group, ".", "_") + "_" + version
}

// pathParams are the parameters every operation of a path takes.
func pathParams(res *apiserver.Resource, named bool) []map[string]any {
	var out []map[string]any
	if named {
		out = append(out, map[string]any{"name": "name", "in": "path", "required": true, "type": "string", "description": "name of the " + res.Kind})
	}
	if res.Namespaced {
		out = append(out, map[string]any{"name": "namespace", "in": "path", "required": true, "type": "string",
			"description": "object name and auth scope, such as for teams and projects"})
	}
	return append(out, map[string]any{"name": "pretty", "in": "query", "type": "string",
		"description": "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget)."})
}

// queryParam is one query parameter with its description from the options type's docs.
type queryParam struct{ name, typ, doc string }

func queryParams(in []queryParam) []map[string]any {
	out := make([]map[string]any, 0, len(in))
	for _, p := range in {
		out = append(out, map[string]any{"name": p.name, "in": "query", "type": p.typ, "description": p.doc})
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["name"].(string) < out[j]["name"].(string) })
	return out
}

func listOptionParams() []queryParam {
	doc := metav1.ListOptions{}.SwaggerDoc()
	return []queryParam{
		{"allowWatchBookmarks", "boolean", doc["allowWatchBookmarks"]}, {"continue", "string", doc["continue"]},
		{"fieldSelector", "string", doc["fieldSelector"]}, {"labelSelector", "string", doc["labelSelector"]},
		{"limit", "integer", doc["limit"]}, {"resourceVersion", "string", doc["resourceVersion"]},
		{"resourceVersionMatch", "string", doc["resourceVersionMatch"]}, {"sendInitialEvents", "boolean", doc["sendInitialEvents"]},
		{"timeoutSeconds", "integer", doc["timeoutSeconds"]}, {"watch", "boolean", doc["watch"]},
	}
}

// writeOptionParams are the parameters of create, update and patch. The fieldValidation
// parameter on PATCH is what tells kubectl the server validates fields itself.
func writeOptionParams(patch bool) []queryParam {
	doc := metav1.PatchOptions{}.SwaggerDoc()
	out := []queryParam{{"dryRun", "string", doc["dryRun"]}, {"fieldManager", "string", doc["fieldManager"]},
		{"fieldValidation", "string", doc["fieldValidation"]}}
	if patch {
		out = append(out, queryParam{"force", "boolean", doc["force"]})
	}
	return out
}

func deleteOptionParams() []queryParam {
	doc := metav1.DeleteOptions{}.SwaggerDoc()
	return []queryParam{{"dryRun", "string", doc["dryRun"]}, {"gracePeriodSeconds", "integer", doc["gracePeriodSeconds"]},
		{"orphanDependents", "boolean", doc["orphanDependents"]}, {"propagationPolicy", "string", doc["propagationPolicy"]}}
}

// groupCamel is a group as operation IDs spell it: "Core", "Apps".
func groupCamel(group string) string {
	if group == "" {
		return "Core"
	}
	var b strings.Builder
	for _, part := range strings.FieldsFunc(group, func(r rune) bool { return r == '.' || r == '-' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// article is "a" or "an" before a kind, as the operation descriptions read.
func article(kind string) string {
	if strings.ContainsAny(kind[:1], "AEIOU") {
		return "an"
	}
	return "a"
}
