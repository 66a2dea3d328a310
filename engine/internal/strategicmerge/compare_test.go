package strategicmerge

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/mergepatch"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
	kjson "sigs.k8s.io/json"
)

// The differential tests hold Apply to strategicpatch.StrategicMergeMapPatch, the reference.

// schemas are the Go types the tests patch; the fuzz target picks one by number.
func schemas() []any {
	return []any{&corev1.Pod{}, &appsv1.Deployment{}, &appsv1.ReplicaSet{}, &corev1.Node{},
		&corev1.Service{}, &autoscalingv1.Scale{}, &tagged{}}
}

// tagged has the tag combinations k8s.io/api does not use, to reach the library's other paths.
type tagged struct {
	Embedded `json:",inline"`
	unexported

	Scalar      int               `json:"scalar,omitempty"`
	Replaced    *item             `json:"replaced,omitempty" patchStrategy:"replace"`
	ReplacedMap map[string]string `json:"replacedMap,omitempty" patchStrategy:"replace"`
	Retained    *item             `json:"retained,omitempty" patchStrategy:"retainKeys"`
	ByName      map[string]item   `json:"byName,omitempty"`
	NoKey       []item            `json:"noKey,omitempty" patchStrategy:"merge"`
	Items       []item            `json:"items,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
	PtrItems    []*item           `json:"ptrItems,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
	PtrList     *[]item           `json:"ptrList,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
	Fixed       [2]item           `json:"fixed" patchStrategy:"merge" patchMergeKey:"name"`
	Grid        [][]string        `json:"grid,omitempty" patchStrategy:"merge"`
	Strings     []string          `json:"strings,omitempty" patchStrategy:"merge"`
	Replace     []string          `json:"replace,omitempty" patchStrategy:"replace"`
	TwoMerges   []item            `json:"twoMerges,omitempty" patchStrategy:"merge,replace" patchMergeKey:"name"`
	ThreeMerges []item            `json:"threeMerges,omitempty" patchStrategy:"merge,retainKeys,replace" patchMergeKey:"name"`
	Skipped     []item            `json:"-"`
	hidden      []item
}

type Embedded struct {
	Inline []item `json:"inline,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
}

// unexported is skipped by the library's field lookup, though encoding/json would use it.
type unexported struct {
	Hidden []item `json:"hiddenInline,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
}

type item struct {
	Name   string   `json:"name"`
	Value  string   `json:"value,omitempty"`
	Nested []item   `json:"nested,omitempty" patchStrategy:"merge" patchMergeKey:"name"`
	Tags   []string `json:"tags,omitempty" patchStrategy:"merge"`
}

var _ = tagged{}.hidden // only there to be ignored

// decode reads a JSON object the way the API handler reads a patch: integers stay int64.
func decode(t testing.TB, doc string) map[string]any {
	t.Helper()
	m, err := decodeObject([]byte(doc))
	if err != nil {
		t.Fatalf("decode %s: %v", doc, err)
	}
	return m
}

func decodeObject(doc []byte) (map[string]any, error) {
	var m map[string]any
	if err := kjson.UnmarshalCaseSensitivePreserveInts(doc, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not an object")
	}
	return m, nil
}

// clone deep-copies a decoded JSON value, keeping each list's spare capacity: both
// implementations append into it, so they must be handed the same shapes.
func clone(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if v == nil {
			return v
		}
		// Go walks a small map in insertion order from a random start, so the keys go in
		// shuffled: the library then meets them in any order over its reruns.
		keys := slices.Collect(maps.Keys(v))
		rand.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		c := make(map[string]any, len(v))
		for _, k := range keys {
			c[k] = clone(v[k])
		}
		return c
	case []any:
		if v == nil {
			return v
		}
		c := make([]any, len(v), cap(v))
		for i, item := range v {
			c[i] = clone(item)
		}
		return c
	}
	return v
}

func cloneMap(m map[string]any) map[string]any {
	c, _ := clone(m).(map[string]any)
	return c
}

// outcome is what one implementation made of an input.
type outcome struct {
	result map[string]any
	err    error
}

func (o outcome) String() string {
	if o.err != nil {
		return fmt.Sprintf("error %q (class %v)", o.err, errorClass(o.err))
	}
	return fmt.Sprintf("%v", o.result)
}

// same reports whether two outcomes agree: equal results, or errors of the same class and text.
func (o outcome) same(p outcome) bool {
	if o.err != nil || p.err != nil {
		return o.err != nil && p.err != nil && errorClass(o.err) == errorClass(p.err) && o.err.Error() == p.err.Error()
	}
	return reflect.DeepEqual(o.result, p.result)
}

// errorClass is the sentinel of this package err is, or whose counterpart in mergepatch (the
// library's) err is; nil for other errors.
func errorClass(err error) error {
	for _, s := range sentinels() {
		if errors.Is(err, s.ours) || errors.Is(err, s.library) {
			return s.ours
		}
	}
	return nil
}

// sentinels pairs this package's sentinel errors with mergepatch's.
func sentinels() []struct{ ours, library error } {
	return []struct{ ours, library error }{
		{ErrBadJSONDoc, mergepatch.ErrBadJSONDoc},
		{ErrNoListOfLists, mergepatch.ErrNoListOfLists},
		{ErrBadPatchFormatForPrimitiveList, mergepatch.ErrBadPatchFormatForPrimitiveList},
		{ErrBadPatchFormatForRetainKeys, mergepatch.ErrBadPatchFormatForRetainKeys},
		{ErrBadPatchFormatForSetElementOrderList, mergepatch.ErrBadPatchFormatForSetElementOrderList},
		{ErrPatchContentNotMatchRetainKeys, mergepatch.ErrPatchContentNotMatchRetainKeys},
		{ErrUnsupportedStrategicMergePatchFormat, mergepatch.ErrUnsupportedStrategicMergePatchFormat},
	}
}

func ours(original, patch map[string]any, schema any) outcome {
	r, err := Apply(cloneMap(original), cloneMap(patch), schema)
	return outcome{r, err}
}

// library runs the reference; panicked reports that it crashed on the input.
func library(original, patch map[string]any, schema any) (o outcome, panicked bool) {
	defer func() {
		if recover() != nil {
			panicked = true
		}
	}()
	r, err := strategicpatch.StrategicMergeMapPatch(cloneMap(original), cloneMap(patch), schema)
	return outcome{r, err}, false
}

// libraryTries bounds the reruns of the reference: it walks patch maps in Go's random order, and
// contrived patches give a different result in some orders; ours must be one of them.
const libraryTries = 64

// compare runs both implementations and reports a difference, or skipped when the library
// panics on the input (ours must not: a panic here fails the test).
func compare(original, patch map[string]any, schema any) (got outcome, diff string, skipped bool) {
	got = ours(original, patch, schema)
	var first outcome
	for i := range libraryTries {
		want, panicked := library(original, patch, schema)
		if panicked {
			return got, "", true
		}
		if got.same(want) {
			return got, "", false
		}
		if i == 0 {
			first = want
		}
	}
	return got, fmt.Sprintf("got  %v\nwant %v", got, first), false
}
