// Package progress keeps what a learner has done in each lesson, in one JSON file the learner
// owns. It is written after every answer, atomically (temp file, fsync, rename), so an
// interrupted write never loses what was there; a file that cannot be read is moved aside with a
// warning and a fresh one started.
package progress

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// FileName is the progress file's name inside the k8slearn directory.
const FileName = "progress.json"

// formatVersion is the file format; a newer one is not overwritten.
const formatVersion = 1

// Answer is how a question ended.
type Answer struct {
	Correct  bool `json:"correct"`
	Revealed bool `json:"revealed,omitempty"`
	Skipped  bool `json:"skipped,omitempty"`
}

// Record is one lesson's progress.
type Record struct {
	Seed      uint64            `json:"seed"`
	Lang      string            `json:"lang"`
	Step      int               `json:"step"` // index of the next step to run
	Steps     int               `json:"steps"`
	Questions int               `json:"questions"`
	Answers   map[string]Answer `json:"answers"`
	Done      bool              `json:"done"`
	Updated   time.Time         `json:"updated"`
}

// Score is the number of questions answered right (without revealing) and the number of questions.
func (r *Record) Score() (int, int) {
	n := 0
	for _, a := range r.Answers {
		if a.Correct && !a.Revealed {
			n++
		}
	}
	return n, r.Questions
}

// File is everything saved.
type File struct {
	Version int                `json:"version"`
	Lessons map[string]*Record `json:"lessons"`
}

// Store reads and writes the progress file in a directory.
type Store struct {
	dir string
	now func() time.Time
}

// Dir is where k8slearn keeps the learner's files: $K8SLEARN_HOME, else the user config
// directory's k8slearn folder.
func Dir(getenv func(string) string) (string, error) {
	if d := getenv("K8SLEARN_HOME"); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "k8slearn"), nil
}

// NewStore keeps progress in dir; now stamps updates.
func NewStore(dir string, now func() time.Time) *Store { return &Store{dir: dir, now: now} }

// Path is the progress file's path.
func (s *Store) Path() string { return filepath.Join(s.dir, FileName) }

// CorruptError says the file could not be read and where it was moved.
type CorruptError struct {
	MovedTo string
	Err     error
}

func (e *CorruptError) Error() string { return fmt.Sprintf("%v (moved to %s)", e.Err, e.MovedTo) }

// Load reads the file. A missing file is an empty one. A corrupt file is moved aside and an empty
// one returned together with a *CorruptError, so the caller can warn and go on.
func (s *Store) Load() (*File, error) {
	empty := &File{Version: formatVersion, Lessons: map[string]*Record{}}
	data, err := os.ReadFile(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return empty, nil
	}
	if err != nil {
		return nil, err
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil || f.Version < 1 || f.Version > formatVersion {
		if err == nil {
			err = fmt.Errorf("unknown progress file version %d", f.Version)
		}
		moved := fmt.Sprintf("%s.corrupt-%s", s.Path(), s.now().UTC().Format("20060102T150405"))
		if rerr := os.Rename(s.Path(), moved); rerr != nil {
			return nil, fmt.Errorf("%v; and moving it aside failed: %w", err, rerr)
		}
		return empty, &CorruptError{MovedTo: moved, Err: err}
	}
	if f.Lessons == nil {
		f.Lessons = map[string]*Record{}
	}
	for _, r := range f.Lessons {
		if r.Answers == nil {
			r.Answers = map[string]Answer{}
		}
	}
	return &f, nil
}

// Save writes the file atomically: a temporary file in the same directory, synced, then renamed
// over the old one.
func (s *Store) Save(f *File) error {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return err
	}
	f.Version = formatVersion
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(s.dir, FileName+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after the rename; cleans up after a failure
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.Path())
}

// Touch stamps a record as updated now.
func (s *Store) Touch(r *Record) { r.Updated = s.now().UTC().Truncate(time.Second) }
