package store

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

func cm(name string) runtime.Object {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name}}
}

func TestRevisionsAndVersions(t *testing.T) {
	s := New()
	if s.Revision() != 1 {
		t.Fatalf("a fresh store is at revision %d, want 1", s.Revision())
	}
	var stamped int64
	kv, err := s.Create("/registry/a", cm("a"), func(rev int64) { stamped = rev })
	if err != nil {
		t.Fatal(err)
	}
	if kv.CreateRevision != 2 || kv.ModRevision != 2 || kv.Version != 1 || stamped != 2 || s.Revision() != 2 {
		t.Fatalf("create: %+v stamped %d store %d", kv, stamped, s.Revision())
	}
	if _, err := s.Create("/registry/b", cm("b"), nil); err != nil {
		t.Fatal(err)
	}
	kv, err = s.Update("/registry/a", 2, cm("a2"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if kv.CreateRevision != 2 || kv.ModRevision != 4 || kv.Version != 2 {
		t.Fatalf("update: %+v, want create 2, mod 4, version 2", kv)
	}
	kv, err = s.Update("/registry/a", 0, cm("a3"), nil) // 0 skips the check
	if err != nil || kv.Version != 3 || kv.ModRevision != 5 {
		t.Fatalf("unconditional update: %+v %v", kv, err)
	}
	got, err := s.Get("/registry/a")
	if err != nil || got.Value.(*corev1.ConfigMap).Name != "a3" {
		t.Fatalf("get: %+v %v", got, err)
	}
	old, err := s.Delete("/registry/a", 5)
	if err != nil || old.Value.(*corev1.ConfigMap).Name != "a3" || s.Revision() != 6 {
		t.Fatalf("delete: %+v %v revision %d", old, err, s.Revision())
	}
	if _, err := s.Get("/registry/a"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	// A re-created key starts over.
	kv, err = s.Create("/registry/a", cm("again"), nil)
	if err != nil || kv.CreateRevision != 7 || kv.Version != 1 {
		t.Fatalf("re-create: %+v %v", kv, err)
	}
}

func TestFailures(t *testing.T) {
	s := New()
	if _, err := s.Create("/k", cm("k"), nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		op   func() error
		want error
	}{
		{"create existing", func() error { _, err := s.Create("/k", cm("k"), nil); return err }, ErrExists},
		{"update stale", func() error { _, err := s.Update("/k", 1, cm("k"), nil); return err }, ErrConflict},
		{"update missing", func() error { _, err := s.Update("/nope", 0, cm("k"), nil); return err }, ErrNotFound},
		{"delete stale", func() error { _, err := s.Delete("/k", 99); return err }, ErrConflict},
		{"delete missing", func() error { _, err := s.Delete("/nope", 0); return err }, ErrNotFound},
		{"get missing", func() error { _, err := s.Get("/nope"); return err }, ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := s.Revision()
			if err := tt.op(); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
			if s.Revision() != before {
				t.Errorf("a failed operation moved the revision %d → %d", before, s.Revision())
			}
		})
	}
}

func TestListIsSortedAndScoped(t *testing.T) {
	s := New()
	for _, k := range []string{"/registry/pods/default/b", "/registry/pods/default/a", "/registry/pods/kube-system/c", "/registry/podsx/d"} {
		if _, err := s.Create(k, cm(k), nil); err != nil {
			t.Fatal(err)
		}
	}
	kvs, rev := s.List("/registry/pods/")
	if rev != 5 {
		t.Errorf("list revision %d, want 5", rev)
	}
	var keys []string
	for _, kv := range kvs {
		keys = append(keys, kv.Key)
	}
	want := []string{"/registry/pods/default/a", "/registry/pods/default/b", "/registry/pods/kube-system/c"}
	if len(keys) != len(want) {
		t.Fatalf("keys %v, want %v", keys, want)
	}
	for i := range want {
		if keys[i] != want[i] {
			t.Fatalf("keys %v, want %v", keys, want)
		}
	}
}

func TestSinceAndCompaction(t *testing.T) {
	s := New()
	s.Create("/a/1", cm("1"), nil)    // 2
	s.Create("/b/1", cm("b"), nil)    // 3
	s.Update("/a/1", 0, cm("1"), nil) // 4
	s.Delete("/a/1", 0)               // 5
	s.Create("/a/2", cm("2"), nil)    // 6

	evs, next, err := s.Since("/a/", 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		got = append(got, string(e.Type)+"@"+itoa(e.Revision))
	}
	want := "ADDED@2 MODIFIED@4 DELETED@5 ADDED@6"
	if join(got) != want || next != 6 {
		t.Fatalf("Since(/a/, 1) = %s next %d, want %s next 6", join(got), next, want)
	}
	if evs[2].Value.(*corev1.ConfigMap).Name != "1" || evs[1].Prev == nil || evs[0].Prev != nil {
		t.Errorf("event values: delete carries the last value, modify its previous one, add none")
	}

	evs, next, _ = s.Since("/a/", 2, 1)
	if len(evs) != 1 || evs[0].Revision != 4 || next != 4 {
		t.Fatalf("Since(/a/, 2, limit 1) = %+v next %d, want the MODIFIED at 4", evs, next)
	}
	evs, next, _ = s.Since("/a/", 6, 0)
	if len(evs) != 0 || next != 6 {
		t.Fatalf("Since the current revision: %d events, next %d", len(evs), next)
	}

	s.Compact(4)
	if s.CompactedRevision() != 4 {
		t.Fatalf("compacted %d, want 4", s.CompactedRevision())
	}
	if _, _, err := s.Since("/a/", 3, 0); !errors.Is(err, ErrCompacted) {
		t.Fatalf("Since a compacted revision: %v, want ErrCompacted", err)
	}
	evs, _, err = s.Since("/a/", 4, 0)
	if err != nil || len(evs) != 2 {
		t.Fatalf("Since the compaction point: %d events, %v", len(evs), err)
	}
	s.Compact(2) // older than the last compaction: no-op
	if s.CompactedRevision() != 4 {
		t.Errorf("compaction went backwards to %d", s.CompactedRevision())
	}
	s.Compact(100) // beyond the present: clamps
	if s.CompactedRevision() != 6 {
		t.Errorf("compaction beyond the current revision: %d, want 6", s.CompactedRevision())
	}
	if kv, err := s.Get("/a/2"); err != nil || kv.ModRevision != 6 {
		t.Errorf("compaction lost current data: %+v %v", kv, err)
	}
}

func TestChangedIsClosedByAWrite(t *testing.T) {
	s := New()
	ch := s.Changed()
	select {
	case <-ch:
		t.Fatal("closed before any write")
	default:
	}
	s.Create("/x", cm("x"), nil)
	select {
	case <-ch:
	default:
		t.Fatal("not closed by a write")
	}
	if s.Changed() == ch {
		t.Fatal("the next write needs a fresh channel")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func join(xs []string) string { return strings.Join(xs, " ") }
