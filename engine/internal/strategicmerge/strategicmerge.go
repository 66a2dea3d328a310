// Package strategicmerge applies Kubernetes strategic merge patches to the map form of an object,
// with the patch strategies read from the struct tags of the object's Go type. It gives what
// k8s.io/apimachinery/pkg/util/strategicpatch.StrategicMergeMapPatch gives, result and error,
// without linking that package: its OpenAPI support pulls in kube-openapi, gnostic-models and
// protobuf, whose package initialisation costs milliseconds at every start of the binary.
//
// The behaviour, quirks included, is the library's (apimachinery v0.34): the apiserver's answers
// are what kubectl expects. Two deliberate differences: keys of a patch map are handled in sorted
// order where the library takes Go's random map order (only contrived patches can tell), and
// inputs on which the library panics (null as the first item of a merged list, objects or lists
// compared as list items or merge keys) give an error or a plain result here.
package strategicmerge

import (
	"maps"
	"reflect"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// The directives a patch may carry besides plain fields.
const (
	patchDirective      = "$patch" // in a map: replace, delete (merge is refused)
	directiveReplace    = "replace"
	directiveDelete     = "delete"
	directiveMerge      = "merge"
	retainKeysDirective = "$retainKeys"
	// deleteFromListPrefix + "/" + field lists the primitives to remove from field.
	deleteFromListPrefix = "$deleteFromPrimitiveList"
	// setOrderPrefix + "/" + field gives the order of field's items after the patch.
	setOrderPrefix = "$setElementOrder"
)

// Apply applies a strategic merge patch, already decoded to map form, to original, the map form
// of an object as runtime.DefaultUnstructuredConverter.ToUnstructured gives it, and returns the
// patched map. The patch strategies come from the patchStrategy and patchMergeKey struct tags of
// schema's Go type, a struct or a pointer to one such as &appsv1.Deployment{}. Errors have the
// library's texts; where the library's are (for errors.Is) one of the sentinels of
// k8s.io/apimachinery/pkg/util/mergepatch, Apply's are this package's sentinel of the same name.
//
// Like strategicpatch, Apply builds the result out of both maps and changes them on the way:
// neither may be used afterwards.
func Apply(original, patch map[string]any, schema any) (map[string]any, error) {
	t, err := structType(schema)
	if err != nil {
		return nil, err
	}
	// Custom resources have no struct tags to read strategies from.
	if _, ok := schema.(*unstructured.Unstructured); ok {
		return nil, ErrUnsupportedStrategicMergePatchFormat
	}
	return mergeMap(original, patch, t)
}

// structType is the struct type behind schema.
func structType(schema any) (reflect.Type, error) {
	if schema == nil {
		return nil, errBadArgKind(struct{}{}, nil)
	}
	t := reflect.TypeOf(schema)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, errBadArgKind(struct{}{}, schema)
	}
	return t, nil
}

// mergeMap merges patch into original, an object of Go type t, and returns the merged map,
// which is original itself unless a $patch directive says otherwise.
func mergeMap(original, patch map[string]any, t reflect.Type) (map[string]any, error) {
	if directive, ok := patch[patchDirective]; ok {
		return applyMapDirective(directive, patch)
	}
	if original == nil {
		original = map[string]any{}
	}
	if err := retainKeys(original, patch); err != nil {
		return nil, err
	}
	// Lists named by $setElementOrder are merged and ordered first; this removes them from patch.
	if err := mergeOrderedLists(original, patch, t); err != nil {
		return nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(patch)) {
		if err := mergeField(original, k, patch[k], t); err != nil {
			return nil, err
		}
	}
	return original, nil
}

// mergeField merges one entry of a patch map into original.
func mergeField(original map[string]any, key string, value any, t reflect.Type) error {
	deleting := false
	if strings.HasPrefix(key, deleteFromListPrefix) {
		name, err := directiveTarget(key, deleteFromListPrefix)
		if err != nil {
			return err
		}
		deleting = true
		// The library keeps the whole key when nothing follows the slash.
		if name != "" {
			key = name
		}
	}
	if value == nil {
		delete(original, key)
		return nil
	}
	current, found := original[key]
	if !found || reflect.TypeOf(current) != reflect.TypeOf(value) {
		// A deletion list has nothing to remove from a missing or different value.
		if !deleting {
			dropNulls(value)
			setFromPatch(original, key, value)
		}
		return nil
	}
	var merged any
	var err error
	switch reflect.TypeOf(current).Kind() {
	case reflect.Map:
		merged, err = mergeMapField(t, key, current, value)
	case reflect.Slice:
		merged, err = mergeListField(t, key, current, value, deleting)
	default:
		setFromPatch(original, key, value)
		return nil
	}
	if err != nil {
		return err
	}
	original[key] = merged
	return nil
}

// mergeMapField merges the map value of field key of type t.
func mergeMapField(t reflect.Type, key string, current, value any) (any, error) {
	f, err := objectField(t, key)
	if err != nil {
		return nil, err
	}
	o, p, err := asMaps(current, value)
	if err != nil {
		return nil, err
	}
	if f.strategy == directiveReplace {
		return p, nil
	}
	return mergeMap(o, p, f.typ)
}

// mergeListField merges the list value of field key of type t.
func mergeListField(t reflect.Type, key string, current, value any, deleting bool) (any, error) {
	f, err := listField(t, key)
	if err != nil {
		return nil, err
	}
	return mergeListValues(current, value, f, deleting)
}

// mergeListValues merges two list values of a field: by the field's merge strategy, or by
// removal for a $deleteFromPrimitiveList; any other list replaces the current one.
func mergeListValues(current, value any, f field, deleting bool) ([]any, error) {
	o, p, err := asLists(current, value)
	if err != nil {
		return nil, err
	}
	if f.strategy == directiveMerge || deleting {
		return mergeList(o, p, f, deleting)
	}
	return p, nil
}

// setFromPatch stores a patch value that has nothing to merge with, without its directives.
func setFromPatch(original map[string]any, key string, value any) {
	if v, keep := removeDirectives(value); keep {
		original[key] = v
	} else {
		delete(original, key)
	}
}

// applyMapDirective handles a patch map carrying $patch.
func applyMapDirective(directive any, patch map[string]any) (map[string]any, error) {
	switch directive {
	case directiveReplace:
		delete(patch, patchDirective)
		return patch, nil
	case directiveDelete:
		return map[string]any{}, nil
	}
	return nil, errBadPatchType(directive, patch)
}

// retainKeys applies a $retainKeys directive: original keeps only the keys listed, and the patch
// may only set keys that are listed.
func retainKeys(original, patch map[string]any) error {
	value, found := patch[retainKeysDirective]
	if !found {
		return nil
	}
	delete(patch, retainKeysDirective)
	keep, ok := value.([]any)
	if !ok {
		return ErrBadPatchFormatForRetainKeys
	}
	for k, v := range patch {
		if v == nil || strings.HasPrefix(k, deleteFromListPrefix) || strings.HasPrefix(k, setOrderPrefix) {
			continue
		}
		if !containsValue(keep, k) {
			return ErrBadPatchFormatForRetainKeys
		}
	}
	for k := range original {
		if !containsValue(keep, k) {
			delete(original, k)
		}
	}
	return nil
}

// directiveTarget is the field a "prefix/field" directive key names.
func directiveTarget(key, prefix string) (string, error) {
	head, field, found := strings.Cut(key, "/")
	if !found || head != prefix {
		if prefix == deleteFromListPrefix {
			return "", ErrBadPatchFormatForPrimitiveList
		}
		return "", ErrBadPatchFormatForSetElementOrderList
	}
	return field, nil
}

// removeDirectives strips patch directives from a value the patch sets outright. It reports
// false when the value itself is a directive (a map with $patch) and must not be kept.
func removeDirectives(v any) (any, bool) {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v[patchDirective]; ok {
			return nil, false
		}
		for k, item := range v {
			if clean, keep := removeDirectives(item); keep {
				v[k] = clean
			} else {
				delete(v, k)
			}
		}
		return v, true
	case []any:
		if v == nil {
			return v, true
		}
		kept := []any{}
		for _, item := range v {
			if clean, keep := removeDirectives(item); keep {
				kept = append(kept, clean)
			}
		}
		return kept, true
	}
	return v, true
}

// dropNulls removes the null entries of maps anywhere in v: a null in a value set outright
// deletes nothing and is not stored.
func dropNulls(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, item := range v {
			if item == nil {
				delete(v, k)
			} else {
				dropNulls(item)
			}
		}
	case []any:
		for _, item := range v {
			dropNulls(item)
		}
	}
}

// asMaps asserts that both values are JSON objects.
func asMaps(current, value any) (map[string]any, map[string]any, error) {
	o, ok := current.(map[string]any)
	if !ok {
		return nil, nil, errBadArgType(o, current)
	}
	p, ok := value.(map[string]any)
	if !ok {
		return nil, nil, errBadArgType(p, value)
	}
	return o, p, nil
}

// asLists asserts that both values are JSON arrays.
func asLists(current, value any) ([]any, []any, error) {
	o, ok := current.([]any)
	if !ok {
		return nil, nil, errBadArgType(o, current)
	}
	p, ok := value.([]any)
	if !ok {
		return nil, nil, errBadArgType(p, value)
	}
	return o, p, nil
}

// sameValue is a == b for JSON values, except that maps and lists, which Go cannot compare (the
// library panics on them), are never the same.
func sameValue(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if reflect.TypeOf(a) != reflect.TypeOf(b) || !reflect.ValueOf(a).Comparable() {
		return false
	}
	return a == b
}

// containsValue reports whether list has an item that is sameValue as v.
func containsValue(list []any, v any) bool {
	return slices.ContainsFunc(list, func(item any) bool { return sameValue(item, v) })
}
