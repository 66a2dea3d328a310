package strategicmerge

import (
	"errors"
	"testing"

	"k8s.io/apimachinery/pkg/util/mergepatch"
)

func TestSentinelsHaveTheLibraryTexts(t *testing.T) {
	pairs := sentinels()
	for i, s := range pairs {
		if s.ours.Error() != s.library.Error() {
			t.Errorf("%q, the library's is %q", s.ours, s.library)
		}
		if errors.Is(s.ours, s.library) {
			t.Errorf("%q is the library's own sentinel", s.ours)
		}
		for _, other := range pairs[i+1:] {
			if errors.Is(s.ours, other.ours) {
				t.Errorf("%q is %q", s.ours, other.ours)
			}
		}
	}
}

func TestErrorConstructorsHaveTheLibraryTexts(t *testing.T) {
	maps := []map[string]any{nil, {}, {"name": "web", "image": "x"}, {"$patch": "delete", "n": 1.5, "l": []any{"a"}}}
	values := []any{nil, struct{}{}, "a string", 1, int64(2), 1.5, true, []any{"x"}, map[string]any{"k": nil},
		[]string{}, new(int), &struct{ A int }{}}
	for _, m := range maps {
		for _, key := range []string{"", "name", "ünï"} {
			check(t, errNoMergeKey(m, key), mergepatch.ErrNoMergeKey(m, key))
		}
		for _, v := range values {
			check(t, errBadPatchType(v, m), mergepatch.ErrBadPatchType(v, m))
		}
	}
	for _, a := range values {
		for _, b := range values {
			check(t, errBadArgType(a, b), mergepatch.ErrBadArgType(a, b))
			check(t, errBadArgKind(a, b), mergepatch.ErrBadArgKind(a, b))
		}
	}
}

func check(t *testing.T, ours, library error) {
	t.Helper()
	if ours.Error() != library.Error() {
		t.Errorf("%q, the library's is %q", ours, library)
	}
}
