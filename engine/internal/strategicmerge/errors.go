package strategicmerge

import (
	"errors"
	"fmt"
	"reflect"
)

// The errors of k8s.io/apimachinery/pkg/util/mergepatch, with the same texts: where the library
// returns one of mergepatch's sentinels, Apply returns the one of the same name here. mergepatch
// itself is not linked: it imports go-spew (for a YAML helper), whose package initialisation
// costs time at every start of the binary.
var (
	ErrBadJSONDoc                           = errors.New("invalid JSON document")
	ErrNoListOfLists                        = errors.New("lists of lists are not supported")
	ErrBadPatchFormatForPrimitiveList       = errors.New("invalid patch format of primitive list")
	ErrBadPatchFormatForRetainKeys          = errors.New("invalid patch format of retainKeys")
	ErrBadPatchFormatForSetElementOrderList = errors.New("invalid patch format of setElementOrder list")
	ErrPatchContentNotMatchRetainKeys       = errors.New("patch content doesn't match retainKeys list")
	ErrUnsupportedStrategicMergePatchFormat = errors.New("strategic merge patch format is not supported")
)

// errNoMergeKey is mergepatch.ErrNoMergeKey: an item of a merged list lacks the merge key.
func errNoMergeKey(m map[string]any, key string) error {
	return fmt.Errorf("map: %v does not contain declared merge key: %s", m, key)
}

// errBadArgType is mergepatch.ErrBadArgType: a value is not of the Go type expected, which the
// message names by the types of both (%!s(<nil>) for nil, as the library's does).
func errBadArgType(expected, actual any) error {
	return fmt.Errorf("expected a %s, but received a %s", reflect.TypeOf(expected), reflect.TypeOf(actual))
}

// errBadArgKind is mergepatch.ErrBadArgKind: errBadArgType with kinds instead of types.
func errBadArgKind(expected, actual any) error {
	return fmt.Errorf("expected a %s, but received a %s", kindName(expected), kindName(actual))
}

func kindName(v any) string {
	if v == nil {
		return "nil"
	}
	return reflect.TypeOf(v).Kind().String()
}

// errBadPatchType is mergepatch.ErrBadPatchType: a $patch directive the map cannot take.
func errBadPatchType(directive any, m map[string]any) error {
	return fmt.Errorf("unknown patch type: %s in map: %v", directive, m)
}
