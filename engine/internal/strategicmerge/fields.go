package strategicmerge

import (
	"errors"
	"fmt"
	"reflect"

	// The library's own lookup of a JSON field in a Go struct (encoding/json's rules: embedded
	// structs, case-insensitive fallback) and of its patch tags; it needs nothing but the
	// standard library.
	forkedjson "k8s.io/apimachinery/third_party/forked/golang/json"
)

// field is what the struct tags say about one field of an object.
type field struct {
	// typ is the Go type the field's value is merged as: the field's own type for an object,
	// the item type for a list.
	typ reflect.Type
	// strategy is "merge", "replace" or "" (retainKeys only matters in the patch, as the
	// $retainKeys directive, so it is dropped here).
	strategy string
	// mergeKey identifies the items of a merged list of objects.
	mergeKey string
}

// objectField looks up the JSON field name of struct type t whose value is an object.
func objectField(t reflect.Type, name string) (field, error) {
	typ, strategies, mergeKey, err := forkedjson.LookupPatchMetadataForStruct(t, name)
	if err != nil {
		return field{}, err
	}
	strategy, err := mergeStrategy(strategies)
	if err != nil {
		return field{}, err
	}
	return field{typ: typ, strategy: strategy, mergeKey: mergeKey}, nil
}

// listField looks up the JSON field name of struct type t whose value is a list.
func listField(t reflect.Type, name string) (field, error) {
	typ, strategies, mergeKey, err := forkedjson.LookupPatchMetadataForStruct(t, name)
	if err != nil {
		return field{}, err
	}
	item, err := itemType(t, typ)
	if err != nil {
		return field{}, err
	}
	strategy, err := mergeStrategy(strategies)
	if err != nil {
		return field{}, err
	}
	return field{typ: item, strategy: strategy, mergeKey: mergeKey}, nil
}

// itemType is the item type of a list field of type t in struct type parent.
func itemType(parent, t reflect.Type) (reflect.Type, error) {
	switch t.Kind() {
	case reflect.Array, reflect.Slice:
		item := t.Elem()
		if item.Kind() == reflect.Array || item.Kind() == reflect.Slice {
			return nil, errors.New("unexpected slice of slice")
		}
		return item, nil
	case reflect.Pointer:
		t = t.Elem()
		if t.Kind() == reflect.Array || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		return t, nil
	}
	// The library names the parent's kind here, not the field's.
	return nil, fmt.Errorf("expected slice or array type, but got: %s", parent.Kind())
}

// mergeStrategy reads a patchStrategy tag, split at commas: one strategy, optionally paired
// with retainKeys.
func mergeStrategy(strategies []string) (string, error) {
	switch {
	case len(strategies) == 0:
		return "", nil
	case len(strategies) == 1 && strategies[0] == "retainKeys":
		return "", nil
	case len(strategies) == 1:
		return strategies[0], nil
	case len(strategies) == 2 && strategies[0] == "retainKeys":
		return strategies[1], nil
	case len(strategies) == 2 && strategies[1] == "retainKeys":
		return strategies[0], nil
	}
	return "", fmt.Errorf("unexpected patch strategy: %v", strategies)
}
