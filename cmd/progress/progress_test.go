package progress

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func fixedNow() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }

func TestSaveAndLoadRoundTrip(t *testing.T) {
	s := NewStore(filepath.Join(t.TempDir(), "nested", "k8slearn"), fixedNow)
	f, err := s.Load()
	if err != nil || len(f.Lessons) != 0 {
		t.Fatalf("a missing file is an empty one: %v %v", f, err)
	}
	r := &Record{Seed: 3, Lang: "zh", Step: 4, Steps: 20, Questions: 3, Answers: map[string]Answer{
		"a": {Correct: true}, "b": {Revealed: true}, "c": {Correct: true, Revealed: true}}}
	s.Touch(r)
	f.Lessons["deployment"] = r
	if err := s.Save(f); err != nil {
		t.Fatal(err)
	}
	g, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	got := g.Lessons["deployment"]
	if got.Seed != 3 || got.Lang != "zh" || got.Step != 4 || !got.Updated.Equal(fixedNow()) {
		t.Fatalf("round trip lost data: %+v", got)
	}
	if n, of := got.Score(); n != 1 || of != 3 {
		t.Errorf("score %d/%d, want 1/3 (a revealed answer is not solved)", n, of)
	}
	entries, _ := os.ReadDir(filepath.Dir(s.Path()))
	if len(entries) != 1 {
		t.Errorf("only the progress file should remain, found %d entries (a temp file leaked?)", len(entries))
	}
}

func TestCorruptFileIsMovedAside(t *testing.T) {
	dir := t.TempDir()
	s := NewStore(dir, fixedNow)
	for _, content := range []string{"{not json", `{"version": 99, "lessons": {}}`, ""} {
		if err := os.WriteFile(s.Path(), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := s.Load()
		corrupt, ok := err.(*CorruptError)
		if !ok {
			t.Fatalf("%q: want a *CorruptError, got %v", content, err)
		}
		if f == nil || len(f.Lessons) != 0 {
			t.Errorf("%q: want a fresh empty file", content)
		}
		kept, rerr := os.ReadFile(corrupt.MovedTo)
		if rerr != nil || string(kept) != content {
			t.Errorf("%q: the old file must be kept at %s: %v", content, corrupt.MovedTo, rerr)
		}
		if !strings.HasPrefix(filepath.Base(corrupt.MovedTo), FileName+".corrupt-") {
			t.Errorf("unexpected name %s", corrupt.MovedTo)
		}
		if _, err := os.Stat(s.Path()); !os.IsNotExist(err) {
			t.Errorf("%q: the corrupt file must be moved away", content)
		}
		os.Remove(corrupt.MovedTo)
	}
}

func TestDirHonoursK8SLEARN_HOME(t *testing.T) {
	d, err := Dir(func(k string) string {
		if k == "K8SLEARN_HOME" {
			return "/tmp/x"
		}
		return ""
	})
	if err != nil || d != "/tmp/x" {
		t.Fatalf("Dir = %q, %v", d, err)
	}
}
