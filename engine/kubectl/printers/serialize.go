package printers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"
)

// PrintYAML prints -o yaml: one object prints as that object (`kubectl get pod
// NAME -o yaml`); zero or several print as a v1 List.
func PrintYAML(w io.Writer, objs []runtime.Object) error {
	doc, err := document(objs, len(objs) != 1)
	if err != nil {
		return err
	}
	return writeYAML(w, doc)
}

// PrintYAMLList prints -o yaml as a v1 List whatever the count, as
// `kubectl get pods -o yaml` does even for a single pod.
func PrintYAMLList(w io.Writer, objs []runtime.Object) error {
	doc, err := document(objs, true)
	if err != nil {
		return err
	}
	return writeYAML(w, doc)
}

// PrintJSON prints -o json (4-space indent): one object as itself, zero or
// several as a v1 List.
func PrintJSON(w io.Writer, objs []runtime.Object) error {
	doc, err := document(objs, len(objs) != 1)
	if err != nil {
		return err
	}
	return writeJSON(w, doc)
}

// PrintJSONList prints -o json as a v1 List whatever the count.
func PrintJSONList(w io.Writer, objs []runtime.Object) error {
	doc, err := document(objs, true)
	if err != nil {
		return err
	}
	return writeJSON(w, doc)
}

// PrintNames prints -o name: "pod/web-5d8b7c6f94-x2k9q", "deployment.apps/web".
// kind is what kubectl writes before the name ("pod", "deployment.apps"): Table.Kind.
func PrintNames(w io.Writer, kind string, objs []runtime.Object) error {
	for _, obj := range objs {
		if isNilObject(obj) {
			return fmt.Errorf("cannot print a nil object")
		}
		accessor, err := meta.Accessor(obj)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "%s/%s\n", kind, accessor.GetName()); err != nil {
			return err
		}
	}
	return nil
}

// document builds what kubectl prints: the object (or a List of them) as
// generic JSON data, with apiVersion and kind filled in and managedFields
// left out (kubectl's default --show-managed-fields=false). Going through
// generic maps is what sorts the keys, as kubectl's unstructured objects do.
func document(objs []runtime.Object, asList bool) (map[string]any, error) {
	items := make([]any, 0, len(objs))
	for _, obj := range objs {
		item, err := toMap(obj)
		if err != nil {
			return nil, err
		}
		items = append(items, item)
	}
	if !asList && len(items) == 1 {
		return items[0].(map[string]any), nil
	}
	return map[string]any{
		"apiVersion": "v1",
		"kind":       "List",
		"items":      items,
		"metadata":   map[string]any{"resourceVersion": ""},
	}, nil
}

// toMap turns a typed object into generic JSON data.
func toMap(obj runtime.Object) (map[string]any, error) {
	if isNilObject(obj) {
		return nil, fmt.Errorf("cannot print a nil object")
	}
	raw, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep integers exactly as the object has them
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		m = map[string]any{}
	}
	if md, ok := m["metadata"].(map[string]any); ok {
		delete(md, "managedFields")
	}
	return m, nil
}

func writeYAML(w io.Writer, doc map[string]any) error {
	out, err := yaml.Marshal(doc)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

func writeJSON(w io.Writer, doc map[string]any) error {
	out, err := json.MarshalIndent(doc, "", "    ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(out, '\n'))
	return err
}
