// Package progress keeps what a learner has done in each lesson, in one JSON file the learner
// owns (progress.json in the k8slearn directory). Three rules keep that file safe:
//
//   - Nothing read from it is trusted. Every field is checked against the lessons that exist
//     (Rules). What fails is kept aside, under a name that never overwrites an earlier copy, and
//     reported as a *CorruptError; the learner goes on with what was sound.
//   - Every change is a read-modify-write under an exclusive lock (flock on progress.json.lock,
//     which the OS releases when a process dies, so kill -9 leaves no stale lock). Lessons played
//     at once in several processes each change only their own record, and all of them are kept.
//   - Every write is atomic: a temporary file, fsync, rename, fsync of the directory. A process
//     killed in the middle leaves the old file whole and at worst a progress.json.tmp-* file,
//     which the next Load removes.
//
// A *CorruptError returned by any method is a warning, not a failure: the method did its work on
// what could be trusted.
package progress

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gofrs/flock"

	"github.com/k8slearn/k8slearn/cmd/internal/atomicfile"
)

// FileName is the progress file's name inside the k8slearn directory.
const FileName = "progress.json"

// formatVersion is the file format; a newer one is not read (it is kept aside).
const formatVersion = 1

// Limits on what a file k8slearn wrote can hold. Anything beyond them was not written by
// k8slearn, and reading it would only cost time (a 28 MB file of made-up lessons took 11 s to
// load and rewrite at every answer).
const (
	maxFileSize  = 1 << 20 // bytes; a real file is a few KiB
	maxLessons   = 1000    // records, known or not
	maxSteps     = 10000   // steps of a lesson this k8slearn does not know
	maxQuestions = 1000    // questions of such a lesson
	maxNameLen   = 100     // bytes of a lesson name or question ID
	maxLangLen   = 35      // bytes of a language tag (BCP 47 allows 35)
)

// lockWait bounds the wait for another k8slearn's save: a save holds the lock for milliseconds,
// so only a process stopped in the middle of one (Ctrl-Z) can make it run out.
const lockWait = 30 * time.Second

// Answer is how a question ended. A wrong answer gets a second try: SecondTry marks a right answer
// given at it (files written before second tries existed have none: their right answers were
// first tries).
type Answer struct {
	Correct   bool `json:"correct"`
	SecondTry bool `json:"second_try,omitempty"`
	Revealed  bool `json:"revealed,omitempty"`
	Skipped   bool `json:"skipped,omitempty"`
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

// Score is the number of questions answered right (without revealing), at the first try or the
// second, and the number of questions.
func (r *Record) Score() (int, int) {
	n := 0
	for _, a := range r.Answers {
		if a.Correct && !a.Revealed {
			n++
		}
	}
	return n, r.Questions
}

// SecondTries is how many of the right answers came at the second try.
func (r *Record) SecondTries() int {
	n := 0
	for _, a := range r.Answers {
		if a.Correct && !a.Revealed && a.SecondTry {
			n++
		}
	}
	return n
}

// Outdated reports whether the record was made for another version of the lesson (shape): its
// steps or questions differ, so it cannot be resumed. A finished one still tells its score.
func (r *Record) Outdated(shape Shape) bool {
	if r.Steps != shape.Steps || r.Questions != len(shape.Questions) {
		return true
	}
	for id := range r.Answers {
		if !slices.Contains(shape.Questions, id) {
			return true
		}
	}
	return false
}

func (r *Record) clone() *Record {
	c := *r
	c.Answers = make(map[string]Answer, len(r.Answers))
	for k, v := range r.Answers {
		c.Answers[k] = v
	}
	return &c
}

// File is everything saved. Loaded files hold only records that passed the Rules, none nil.
type File struct {
	Version int                `json:"version"`
	Lessons map[string]*Record `json:"lessons"`
}

// Shape is what a record must agree with about a lesson that exists.
type Shape struct {
	Steps     int
	Questions []string // the IDs of the lesson's questions
}

// Rules are the lessons that exist, by name. A record of another lesson (written by a newer
// k8slearn, or for a lesson since removed), or of another version of a lesson (its steps or
// questions differ: Outdated), is kept as long as it is sane, because dropping it would lose
// progress when the learner switches versions; callers start an outdated record afresh before
// they resume it. No caller indexes steps with a record that does not match its lesson.
type Rules struct {
	Lessons map[string]Shape
}

// check says what is wrong with r as the record of the lesson name, or nil. current requires a
// record of the lesson as it is now (what a save writes), not of another version.
func (rules Rules) check(name string, r *Record, current bool) error {
	if r == nil {
		return errors.New("null record")
	}
	if !sane(r.Lang, maxLangLen, isLangByte) {
		return fmt.Errorf("language %q", r.Lang)
	}
	shape, known := rules.Lessons[name]
	switch {
	case known && current && r.Outdated(shape):
		return fmt.Errorf("%d steps and %d questions, the lesson has %d and %d, or an answer to a question it does not ask",
			r.Steps, r.Questions, shape.Steps, len(shape.Questions))
	case !known || r.Outdated(shape):
		if r.Steps < 0 || r.Steps > maxSteps || r.Questions < 0 || r.Questions > maxQuestions {
			return fmt.Errorf("%d steps and %d questions", r.Steps, r.Questions)
		}
		for id := range r.Answers {
			if !sane(id, maxNameLen, isNameByte) {
				return fmt.Errorf("an answer to %q", id)
			}
		}
	}
	if r.Step < 0 || r.Step > r.Steps {
		return fmt.Errorf("step %d outside 0..%d", r.Step, r.Steps)
	}
	if r.Done && r.Step != r.Steps {
		return fmt.Errorf("done at step %d of %d", r.Step, r.Steps)
	}
	if len(r.Answers) > r.Questions {
		return fmt.Errorf("%d answers to %d questions", len(r.Answers), r.Questions)
	}
	// Every uint64 is a seed the --seed flag accepts; Updated is only informative.
	return nil
}

// sane reports whether s is 1..max bytes, each allowed by ok: such a string can be printed on a
// terminal as it is.
func sane(s string, max int, ok func(byte) bool) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isLangByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

func isNameByte(c byte) bool { return isLangByte(c) || c == '_' || c == '.' }

// Store reads and writes the progress file in a directory.
type Store struct {
	dir   string
	now   func() time.Time
	rules Rules
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

// NewStore keeps progress in dir; now stamps updates and names the copies of bad files; rules
// say what a sound record is.
func NewStore(dir string, now func() time.Time, rules Rules) *Store {
	return &Store{dir: dir, now: now, rules: rules}
}

// Path is the progress file's path.
func (s *Store) Path() string { return filepath.Join(s.dir, FileName) }

func (s *Store) lockPath() string { return s.Path() + ".lock" }

const tempPattern = FileName + ".tmp-*"

// CorruptError says the file, or some of its records, could not be trusted. The file as it was
// is kept at MovedTo. Lessons names the lessons whose records were left out; when it is empty
// the whole file was unusable and a fresh one was started.
type CorruptError struct {
	MovedTo string
	Lessons []string
	Err     error
}

func (e *CorruptError) Error() string { return fmt.Sprintf("%v (kept at %s)", e.Err, e.MovedTo) }

// LessonList names the dropped lessons for a message: at most n, then an ellipsis. A name that
// is not plain (it was read from the file) is quoted, so it cannot play tricks on a terminal.
func (e *CorruptError) LessonList(n int) string {
	var names []string
	for i, name := range e.Lessons {
		if i == n {
			names = append(names, "…")
			break
		}
		if !sane(name, maxNameLen, isNameByte) {
			name = strconv.QuoteToASCII(name)
		}
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}

// Load reads the file. A missing file is an empty one. What cannot be trusted is kept aside and
// reported by a *CorruptError, together with the file of what could be (never nil then).
//
// Reading needs no lock (writes are atomic renames); only repairing a file, or removing a
// temporary file a killed process left behind, takes it.
func (s *Store) Load() (*File, error) {
	p, err := s.read()
	if err != nil {
		return nil, err
	}
	if p.sound() && !s.hasTemps() {
		return p.file, nil
	}
	var f *File
	var corrupt *CorruptError
	lerr := s.locked(func() (err error) {
		f, corrupt, err = s.loadLocked()
		return err
	})
	if lerr != nil {
		return nil, lerr
	}
	if corrupt != nil {
		return f, corrupt
	}
	return f, nil
}

// Update re-reads the file under the lock, lets change edit it, and writes it back: what other
// processes saved meanwhile is kept. A *CorruptError says the file on disk had to be set aside
// first; the change was saved all the same.
func (s *Store) Update(change func(*File)) error {
	var corrupt *CorruptError
	err := s.locked(func() error {
		f, c, err := s.loadLocked()
		if err != nil {
			return err
		}
		corrupt = c
		change(f)
		return s.write(f)
	})
	if err != nil {
		return err
	}
	if corrupt != nil {
		return corrupt
	}
	return nil
}

// SaveLesson stamps r as updated now and stores a copy of it as the lesson's record, leaving the
// other lessons' records as they are on disk.
func (s *Store) SaveLesson(name string, r *Record) error {
	r.Updated = s.now().UTC().Truncate(time.Second)
	if err := s.rules.check(name, r, true); err != nil {
		return fmt.Errorf("progress of %s not saved: %w", name, err) // a bug: it could not be read back
	}
	rec := r.clone()
	return s.Update(func(f *File) { f.Lessons[name] = rec })
}

// Forget removes the lessons' records.
func (s *Store) Forget(names ...string) error {
	return s.Update(func(f *File) {
		for _, n := range names {
			delete(f.Lessons, n)
		}
	})
}

// ForgetAll removes every record.
func (s *Store) ForgetAll() error {
	return s.Update(func(f *File) { f.Lessons = map[string]*Record{} })
}

// locked runs fn holding the exclusive lock.
func (s *Store) locked(fn func() error) error {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return err
	}
	l := flock.New(s.lockPath())
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	ok, err := l.TryLockContext(ctx, 5*time.Millisecond)
	if err != nil || !ok {
		return fmt.Errorf("locking %s: %w", l.Path(), err)
	}
	defer l.Unlock()
	return fn()
}

// loadLocked reads the file holding the lock, removes stale temporary files (every writer holds
// the lock while its temporary file exists, so any found now is a dead process's) and sets aside
// what cannot be trusted.
func (s *Store) loadLocked() (*File, *CorruptError, error) {
	for _, t := range s.temps() {
		_ = os.Remove(t) // garbage; one that cannot be removed harms nobody
	}
	p, err := s.read()
	if err != nil {
		return nil, nil, err
	}
	if p.whole != nil {
		// Rename, not copy: it keeps the exact bytes, and works for a directory or a FIFO too.
		moved, err := s.setAside(func(name string) error {
			if _, err := os.Lstat(name); !errors.Is(err, fs.ErrNotExist) {
				return fs.ErrExist // we hold the lock: no other k8slearn names a copy now
			}
			return os.Rename(s.Path(), name)
		})
		if err != nil {
			return nil, nil, fmt.Errorf("%v; and keeping it aside failed: %w", p.whole, err)
		}
		return p.file, &CorruptError{MovedTo: moved, Err: p.whole}, nil
	}
	if len(p.dropped) == 0 {
		return p.file, nil, nil
	}
	// Copy, then replace the file with what was sound: the file never disappears, so a reader
	// that does not lock never mistakes it for a fresh start.
	moved, err := s.setAside(func(name string) error { return writeNew(name, p.raw) })
	if err == nil {
		err = s.write(p.file)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("keeping the bad records of %s aside: %w", s.Path(), err)
	}
	names := make([]string, 0, len(p.dropped))
	errs := make([]error, 0, len(p.dropped))
	for name := range p.dropped {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		errs = append(errs, fmt.Errorf("lesson %q: %w", name, p.dropped[name]))
	}
	return p.file, &CorruptError{MovedTo: moved, Lessons: names, Err: errors.Join(errs...)}, nil
}

// setAside keeps a bad file under progress.json.corrupt-TIME, or -TIME-2, -TIME-3 … when that
// name is taken (two corruptions in the same second): place must fail with fs.ErrExist then.
func (s *Store) setAside(place func(name string) error) (string, error) {
	base := s.Path() + ".corrupt-" + s.now().UTC().Format("20060102T150405")
	for i := 1; i <= 10000; i++ {
		name := base
		if i > 1 {
			name += "-" + strconv.Itoa(i)
		}
		err := place(name)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return name, err
	}
	return "", fmt.Errorf("%s-*: %w", base, fs.ErrExist)
}

// writeNew writes data to a file that must not exist yet.
func writeNew(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (s *Store) temps() []string {
	m, _ := filepath.Glob(filepath.Join(s.dir, tempPattern))
	return m
}

func (s *Store) hasTemps() bool { return len(s.temps()) > 0 }

// parsed is what was read from disk.
type parsed struct {
	file    *File            // what can be trusted, never nil
	raw     []byte           // the bytes read
	whole   error            // why the file as a whole cannot be used, or nil
	dropped map[string]error // records left out, and why
}

func (p parsed) sound() bool { return p.whole == nil && len(p.dropped) == 0 }

// read reads and checks the file without changing anything.
//
// What is "corrupt" as a whole and what costs one record: the file is unusable when it is not a
// regular file, too big, not JSON of the expected shape (version, lessons object) or of another
// version. A record that fails its checks — null, wrong types, a step outside the lesson — costs
// only that lesson's progress: a learner should not lose every lesson because one record is bad,
// and each record is independent of the others. Either way the bytes are kept aside.
func (s *Store) read() (parsed, error) {
	empty := &File{Version: formatVersion, Lessons: map[string]*Record{}}
	data, refused, err := readRegular(s.Path())
	if err != nil {
		return parsed{}, err
	}
	if refused != nil {
		return parsed{file: empty, whole: refused}, nil
	}
	if data == nil {
		return parsed{file: empty}, nil
	}
	var disk struct {
		Version int                        `json:"version"`
		Lessons map[string]json.RawMessage `json:"lessons"`
	}
	if err := json.Unmarshal(data, &disk); err != nil {
		return parsed{file: empty, raw: data, whole: err}, nil
	}
	if disk.Version != formatVersion {
		return parsed{file: empty, raw: data, whole: fmt.Errorf("unknown progress file version %d", disk.Version)}, nil
	}
	if len(disk.Lessons) > maxLessons {
		return parsed{file: empty, raw: data, whole: fmt.Errorf("%d lessons, more than k8slearn writes", len(disk.Lessons))}, nil
	}
	p := parsed{file: empty, raw: data, dropped: map[string]error{}}
	for name, raw := range disk.Lessons {
		var r *Record
		err := json.Unmarshal(raw, &r)
		if err == nil {
			err = s.rules.check(name, r, false)
		}
		if err != nil {
			p.dropped[name] = err
			continue
		}
		if r.Answers == nil {
			r.Answers = map[string]Answer{}
		}
		p.file.Lessons[name] = r
	}
	return p, nil
}

// readRegular reads path if it is a regular file of at most maxFileSize bytes. A missing file is
// (nil, nil, nil); a file it will not read is refused with the reason. It never blocks: a FIFO is
// refused before it is opened, and opened without blocking should it become one meanwhile.
func readRegular(path string) (data []byte, refused, err error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", info.Mode().Type()), nil
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", info.Mode().Type()), nil
	}
	data, err = io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("larger than %d bytes", maxFileSize), nil
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil, nil
}

// write writes f atomically: a temporary file in the same directory, synced, renamed over the
// old one, and the directory synced so the rename itself survives a crash. The caller holds the
// lock.
func (s *Store) write(f *File) error {
	f.Version = formatVersion
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(s.Path(), append(data, '\n'), 0o600, tempPattern)
}
