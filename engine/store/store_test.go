package store

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
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

// bigPod is a pod of about size bytes, most of them one annotation.
func bigPod(size int) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "big", Namespace: "default",
		Annotations: map[string]string{"note": strings.Repeat("x", size)}}}
}

func TestRetentionBoundsTheLogByRevisions(t *testing.T) {
	s := New()
	s.SetRetention(Retention{Revisions: 100})
	s.Create("/k", cm("k"), nil)
	for range 1000 {
		s.Update("/k", 0, cm("k"), nil)
	}
	if kept := s.Revision() - s.CompactedRevision(); kept < 100 || kept > 200 {
		t.Fatalf("the log keeps %d revisions, want 100 to 200", kept)
	}
	if _, _, err := s.Since("/", s.Revision()-100, 0); err != nil {
		t.Fatalf("the newest 100 revisions must stay: %v", err)
	}
}

func TestRetentionBoundsTheLogByBytes(t *testing.T) {
	const size, budget = 100 << 10, 4 << 20
	s := New()
	s.SetRetention(Retention{Revisions: 20_000, Bytes: budget})
	s.Create("/registry/pods/default/big", bigPod(size), nil)
	for range 500 {
		if _, err := s.Update("/registry/pods/default/big", 0, bigPod(size), nil); err != nil {
			t.Fatal(err)
		}
		if s.LogBytes() > budget {
			t.Fatalf("the log holds %d bytes, over its budget of %d", s.LogBytes(), budget)
		}
	}
	if kept := s.Revision() - s.CompactedRevision(); kept < budget/2/size || kept > budget/size {
		t.Fatalf("the log keeps %d revisions of a %d-byte pod, want %d to %d", kept, size, budget/2/size, budget/size)
	}
	// A watch from a compacted revision is refused; from a kept one it replays.
	if _, _, err := s.Since("/registry/pods/", 2, 0); !errors.Is(err, ErrCompacted) {
		t.Fatalf("Since a compacted revision: %v, want ErrCompacted", err)
	}
	if evs, _, err := s.Since("/registry/pods/", s.Revision()-1, 0); err != nil || len(evs) != 1 {
		t.Fatalf("Since the previous revision: %d events, %v", len(evs), err)
	}
}

func TestRetentionKeepsTheNewestEventWhateverItsSize(t *testing.T) {
	s := New()
	s.SetRetention(Retention{Bytes: 1000})
	s.Create("/registry/pods/default/big", bigPod(10_000), nil)
	evs, _, err := s.Since("/registry/pods/", s.Revision()-1, 0)
	if err != nil || len(evs) != 1 {
		t.Fatalf("the newest event must stay for the watchers: %d events, %v", len(evs), err)
	}
}

func TestLeasesExpireKeys(t *testing.T) {
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	s := New()
	s.Create("/e/b", cm("b"), nil) // 2
	s.Create("/e/a", cm("a"), nil) // 3
	s.Create("/e/c", cm("c"), nil) // 4
	s.Create("/keep", cm("keep"), nil)
	for _, k := range []string{"/e/a", "/e/b"} {
		if err := s.SetLease(k, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	s.SetLease("/e/c", t0.Add(time.Hour))
	s.Update("/e/c", 0, cm("c2"), nil) // a write without a lease detaches the key
	if err := s.SetLease("/missing", t0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("lease on a missing key: %v", err)
	}
	if evs := s.ExpireLeases(t0.Add(time.Hour - time.Nanosecond)); len(evs) != 0 {
		t.Fatalf("expired %d keys before their time", len(evs))
	}
	rev := s.Revision()
	evs := s.ExpireLeases(t0.Add(time.Hour))
	var got []string
	for _, ev := range evs {
		got = append(got, string(ev.Type)+" "+ev.Key+"@"+itoa(ev.Revision))
	}
	want := "DELETED /e/a@" + itoa(rev+1) + " DELETED /e/b@" + itoa(rev+2)
	if join(got) != want {
		t.Fatalf("expired %q, want %q", join(got), want)
	}
	for _, k := range []string{"/e/a", "/e/b"} {
		if _, err := s.Get(k); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s still there after its lease ran out: %v", k, err)
		}
	}
	for _, k := range []string{"/e/c", "/keep"} {
		if _, err := s.Get(k); err != nil {
			t.Errorf("%s is gone: %v", k, err)
		}
	}
	if log, _, _ := s.Since("/e/", rev, 0); len(log) != 2 {
		t.Errorf("the deletes are not in the log for watchers: %d events", len(log))
	}
}

// A leased value is kept encoded, and every reader gets it back whole.
func TestLeasedValuesReadBackWhole(t *testing.T) {
	at := metav1.NewTime(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	ev := &corev1.Event{
		TypeMeta:       metav1.TypeMeta{Kind: "Event", APIVersion: "v1"},
		ObjectMeta:     metav1.ObjectMeta{Name: "web.1", Namespace: "default", ResourceVersion: "2", UID: "u-1"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "web", Namespace: "default", FieldPath: "spec.containers{nginx}"},
		Reason:         "Pulled", Message: "pulled", Type: "Normal", Count: 2,
		FirstTimestamp: at, LastTimestamp: at, Source: corev1.EventSource{Component: "kubelet", Host: "node-1"},
	}
	want := ev.DeepCopy()
	s := New()
	s.Create("/registry/events/default/web.1", ev, nil)
	if err := s.SetLease("/registry/events/default/web.1", at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if s.kvs["/registry/events/default/web.1"].Value != nil {
		t.Fatal("a leased value is still kept as an object")
	}
	check := func(how string, got runtime.Object) {
		t.Helper()
		if !apiequality.Semantic.DeepEqual(got, want) {
			t.Errorf("%s: read back %+v, want %+v", how, got, want)
		}
	}
	kv, err := s.Get("/registry/events/default/web.1")
	if err != nil {
		t.Fatal(err)
	}
	if kv.Value != ev || kv.Decoded {
		t.Error("a leased value whose write the log still holds is not read from the log")
	}
	// Once the log forgets the write, the value is decoded.
	s.Compact(s.Revision())
	kv, err = s.Get("/registry/events/default/web.1")
	if err != nil {
		t.Fatal(err)
	}
	if kv.Value == ev || !kv.Decoded {
		t.Error("a leased value the log forgot is not decoded")
	}
	check("Get", kv.Value)
	list, _ := s.List("/registry/events/")
	check("List", list[0].Value)
	s.Update("/registry/events/default/web.1", 0, cm("next"), nil)
	evs, _, _ := s.Since("/registry/events/", 2, 0)
	check("the previous value of an update", evs[0].Prev)
	s.Delete("/registry/events/default/web.1", 0)
}

// Replace writes over the value a caller read, and only if it is still the current one; what it
// read becomes the event's previous value. A value kept encoded, once the log has forgotten its
// write, is decoded afresh for each read, which says so (Decoded), and only then.
func TestReplaceOverWhatWasRead(t *testing.T) {
	s := New()
	s.Create("/registry/events/default/e", &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e"}, Count: 1}, nil)
	s.Create("/registry/configmaps/default/c", cm("c"), nil)
	if kv, _ := s.Get("/registry/configmaps/default/c"); kv.Decoded {
		t.Error("a value kept as an object reads as Decoded")
	}
	if err := s.SetLease("/registry/events/default/e", time.Unix(3600, 0)); err != nil {
		t.Fatal(err)
	}
	s.Compact(s.Revision())
	read, _ := s.Get("/registry/events/default/e")
	again, _ := s.Get("/registry/events/default/e")
	if !read.Decoded || read.Value == again.Value {
		t.Fatalf("two reads of an encoded value: Decoded %v, same object %v", read.Decoded, read.Value == again.Value)
	}
	next := &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e"}, Count: 2}
	before := s.Revision()
	if _, err := s.Replace(read, next, nil); err != nil {
		t.Fatal(err)
	}
	evs, _, _ := s.Since("/registry/events/", before, 0)
	if len(evs) != 1 || evs[0].Prev != read.Value || evs[0].Value != next {
		t.Fatalf("the event of a Replace: %+v", evs)
	}
	if _, err := s.Replace(again, cm("late"), nil); !errors.Is(err, ErrConflict) {
		t.Errorf("Replace over a stale read: %v, want ErrConflict", err)
	}
}

// A leased value written again (an Event counting repeats) stays an object, so that its next
// repeats neither decode nor encode it; a value written once is kept encoded.
func TestLeasedValueWrittenAgainStaysAnObject(t *testing.T) {
	s := New()
	key := "/registry/events/default/e"
	s.Create(key, &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e"}, Count: 1}, nil)
	if err := s.SetLease(key, time.Unix(3600, 0)); err != nil {
		t.Fatal(err)
	}
	if s.kvs[key].Value != nil {
		t.Fatal("a leased value written once is kept as an object")
	}
	next := &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e"}, Count: 2}
	s.Update(key, 0, next, nil)
	if err := s.SetLease(key, time.Unix(7200, 0)); err != nil {
		t.Fatal(err)
	}
	s.Compact(s.Revision())
	kv, _ := s.Get(key)
	if kv.Value != next || kv.Decoded {
		t.Errorf("a leased value written again reads as %+v (Decoded %v), want the object written", kv.Value, kv.Decoded)
	}
}

// At finds a write's event by its revision, the newest or an older one, while the log keeps it.
func TestAtFindsAWritesEvent(t *testing.T) {
	s := New()
	a, _ := s.Create("/registry/configmaps/default/a", cm("a"), nil)
	b, _ := s.Create("/registry/configmaps/default/b", cm("b"), nil)
	for _, kv := range []KeyValue{a, b} {
		if ev, ok := s.At(kv.ModRevision); !ok || ev.Key != kv.Key || ev.Type != watch.Added {
			t.Errorf("At(%d) = %+v, %v; want the create of %s", kv.ModRevision, ev, ok, kv.Key)
		}
	}
	s.Compact(a.ModRevision)
	if _, ok := s.At(a.ModRevision); ok {
		t.Error("At found a compacted revision")
	}
	if _, ok := s.At(b.ModRevision + 1); ok {
		t.Error("At found a revision not yet written")
	}
}

// A renewed lease runs to its new expiry, however many times it was renewed, and the heap keeps
// one entry per key for renewals that only push the expiry later; a lease set shorter comes up at
// the shorter time.
func TestRenewedLeases(t *testing.T) {
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	s := New()
	s.Create("/e/renewed", cm("r"), nil)
	s.Create("/e/shortened", cm("s"), nil)
	s.SetLease("/e/shortened", t0.Add(time.Hour))
	s.SetLease("/e/shortened", t0.Add(time.Minute))
	for i := range 100 {
		s.SetLease("/e/renewed", t0.Add(time.Hour+time.Duration(i)*time.Minute))
	}
	if len(s.leases) != 3 {
		t.Errorf("the heap holds %d entries for 2 keys and one shortening, want 3", len(s.leases))
	}
	if evs := s.ExpireLeases(t0.Add(time.Minute)); len(evs) != 1 || evs[0].Key != "/e/shortened" {
		t.Fatalf("at +1m expired %v, want /e/shortened", evs)
	}
	for _, at := range []time.Duration{time.Hour, 2*time.Hour + 38*time.Minute} {
		if evs := s.ExpireLeases(t0.Add(at)); len(evs) != 0 {
			t.Fatalf("at +%v expired %d keys, want none before +2h39m", at, len(evs))
		}
	}
	if evs := s.ExpireLeases(t0.Add(2*time.Hour + 39*time.Minute)); len(evs) != 1 || evs[0].Key != "/e/renewed" {
		t.Fatalf("at +2h39m expired %v, want /e/renewed", evs)
	}
	if len(s.leases) != 0 || len(s.queued) != 0 {
		t.Errorf("after every key expired: %d heap entries, %d queued", len(s.leases), len(s.queued))
	}
}
