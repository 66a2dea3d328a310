package kubectl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/strategicpatch"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// Client-side apply, as kubectl apply does it (pkg/cmd/apply/apply.go and patcher.go,
// pkg/util/apply.go in k8s.io/kubectl v0.37.2): the file's object, the configuration applied last
// time (kept in the object's last-applied-configuration annotation) and the live object give a
// three-way strategic merge patch. A field the file no longer sets is removed, because the last
// applied configuration had it; a field someone else set (kubectl scale) stays, because neither
// configuration mentions it.

// lastApplied is the annotation kubectl apply keeps the applied configuration in.
const lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

// warningNoLastApplied is kubectl's warning for applying over an object that was not applied
// (apply.go).
const warningNoLastApplied = "Warning: resource %[1]s is missing the %[2]s annotation which is required by %[3]s apply. %[3]s apply should only be used on resources created declaratively by either %[3]s create --save-config or %[3]s apply. The missing annotation will be patched automatically.\n"

// appliedConfiguration is the file's object as kubectl apply encodes it (GetModifiedConfiguration):
// the document with the namespace it is applied in, without a last-applied annotation of its own,
// encoded as JSON with sorted keys and a final newline. kubectl sets the annotations map even
// when it is empty, so the encoding holds "annotations":{}. With annotate, the encoding of the
// object carrying that first encoding as its annotation (what a patch sends); without, the first
// encoding itself (the annotation's value).
func appliedConfiguration(d manifest, res *apiserver.Resource, namespace string, annotate bool) ([]byte, error) {
	var obj map[string]any
	dec := json.NewDecoder(bytes.NewReader(d.raw))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil {
		return nil, err
	}
	md, _ := obj["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
		obj["metadata"] = md
	}
	if ns, _ := md["namespace"].(string); res.Namespaced && ns == "" {
		md["namespace"] = namespace
	}
	annotations := map[string]any{}
	if a, ok := md["annotations"].(map[string]any); ok {
		annotations = a
	}
	delete(annotations, lastApplied)
	md["annotations"] = annotations
	modified, err := encodeJSON(obj)
	if err != nil || !annotate {
		return modified, err
	}
	annotations[lastApplied] = string(modified)
	return encodeJSON(obj)
}

// encodeJSON encodes as kubectl's unstructured JSON encoder does: sorted keys, HTML characters
// escaped, a final newline.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// setLastApplied gives the object to create its last-applied-configuration annotation
// (CreateApplyAnnotation).
func setLastApplied(d manifest, res *apiserver.Resource, namespace string) error {
	value, err := appliedConfiguration(d, res, namespace, false)
	if err != nil {
		return err
	}
	m, err := meta.Accessor(d.obj)
	if err != nil {
		return err
	}
	annotations := m.GetAnnotations()
	if annotations == nil {
		annotations = map[string]string{}
	}
	annotations[lastApplied] = string(value)
	m.SetAnnotations(annotations)
	return nil
}

// applyPatch applies the file's object over the live one. It reports whether the object changed
// ("configured") or the patch was empty ("unchanged").
func (k *Kubectl) applyPatch(d manifest, res *apiserver.Resource, namespace, file string, live runtime.Object, errOut io.Writer) (bool, error) {
	m, err := meta.Accessor(live)
	if err != nil {
		return false, err
	}
	original := []byte(nil)
	if v, ok := m.GetAnnotations()[lastApplied]; ok {
		original = []byte(v)
	} else {
		fmt.Fprintf(errOut, warningNoLastApplied, res.Name+"/"+m.GetName(), lastApplied, "kubectl")
	}
	modified, err := appliedConfiguration(d, res, namespace, true)
	if err != nil {
		return false, err
	}
	current, err := liveJSON(live, res)
	if err != nil {
		return false, err
	}
	patch, err := threeWayPatch(original, modified, current, res.New())
	if err != nil {
		where := fmt.Sprintf("Resource: %q, GroupVersionKind: %q\nName: %q, Namespace: %q",
			res.GroupResource().WithVersion(res.Version).String(), res.GroupVersionKind().String(), m.GetName(), m.GetNamespace())
		return false, fmt.Errorf("error when applying patch:\n\nto:\n%s\nfor: %q: error when patching %q: creating patch with:\noriginal:\n%s\nmodified:\n%s\ncurrent:\n%s\nfor: %v",
			where, file, file, original, modified, current, err)
	}
	if string(patch) == "{}" {
		return false, nil
	}
	// What the API server does with the patch (its strategic merge patcher), then an update of
	// the live object, whose resourceVersion the patched object keeps.
	patched, err := recovered(func() ([]byte, error) { return strategicpatch.StrategicMergePatch(current, patch, res.New()) })
	if err != nil {
		return false, err
	}
	obj := res.New()
	if err := json.Unmarshal(patched, obj); err != nil {
		return false, err
	}
	if _, err := k.client.Update(res.Name, m.GetNamespace(), obj); err != nil {
		return false, err
	}
	return true, nil
}

// liveJSON is the live object as kubectl holds it: its JSON, with apiVersion and kind.
func liveJSON(live runtime.Object, res *apiserver.Resource) ([]byte, error) {
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(live)
	if err != nil {
		return nil, err
	}
	u["apiVersion"], u["kind"] = res.APIVersion(), res.Kind
	return encodeJSON(u)
}

// threeWayPatch is kubectl's patch (buildStrategicMergeFromBuiltins, with --overwrite's default of
// true): the patch metadata comes from the Go type's struct tags.
func threeWayPatch(original, modified, current []byte, dataStruct runtime.Object) ([]byte, error) {
	lookup, err := strategicpatch.NewPatchMetaFromStruct(dataStruct)
	if err != nil {
		return nil, err
	}
	return recovered(func() ([]byte, error) {
		return strategicpatch.CreateThreeWayMergePatch(original, modified, current, lookup, true)
	})
}

// recovered runs a strategic merge patch function. The last-applied annotation is the user's to
// edit, and some shapes (an object where a merge key's string belongs) make the library panic:
// that is an error here, not a crash.
func recovered(f func() ([]byte, error)) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("%v", p)
		}
	}()
	return f()
}
