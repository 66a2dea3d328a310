package kubectl

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"
)

// Files is the filesystem -f names files in: OSFiles, or an fstest.MapFS in tests.
type Files interface {
	fs.StatFS
	fs.ReadDirFS
}

// OSFiles is the real filesystem, with names as the learner types them: absolute, or relative to
// the working directory.
func OSFiles() Files { return osFiles{} }

type osFiles struct{}

func (osFiles) Open(name string) (fs.File, error)          { return os.Open(name) }
func (osFiles) Stat(name string) (fs.FileInfo, error)      { return os.Stat(name) }
func (osFiles) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }

// ReadFileFunc reads a file named with -f: how a test serves files from memory. Every name it
// reads is a regular file; there are no directories.
type ReadFileFunc func(name string) ([]byte, error)

// Stat implements Files.
func (f ReadFileFunc) Stat(name string) (fs.FileInfo, error) {
	file, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	return file.Stat()
}

// Open implements Files.
func (f ReadFileFunc) Open(name string) (fs.File, error) {
	data, err := f(name)
	if err != nil {
		return nil, err
	}
	return memFile{Reader: bytes.NewReader(data), name: path.Base(name)}, nil
}

// ReadDir implements Files: a ReadFileFunc has no directories.
func (f ReadFileFunc) ReadDir(name string) ([]fs.DirEntry, error) {
	return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
}

// memFile is a file read whole by a ReadFileFunc; it is its own FileInfo.
type memFile struct {
	*bytes.Reader
	name string
}

func (m memFile) Stat() (fs.FileInfo, error) { return m, nil }
func (m memFile) Close() error               { return nil }
func (m memFile) Name() string               { return m.name }
func (m memFile) Mode() fs.FileMode          { return 0o444 }
func (m memFile) ModTime() time.Time         { return time.Time{} }
func (m memFile) IsDir() bool                { return false }
func (m memFile) Sys() any                   { return nil }

// fileExtensions are what a directory given to -f is searched for, as kubectl's
// FileExtensions (k8s.io/cli-runtime v0.37.2, pkg/resource/builder.go).
var fileExtensions = []string{".json", ".yaml", ".yml"}

// stdinName is how kubectl names standard input in its messages (constSTDINstr in
// k8s.io/cli-runtime v0.37.2, pkg/resource/visitor.go).
const stdinName = "STDIN"

// source is one file that -f resolved to.
type source struct {
	name  string
	stdin bool
}

// sources resolves -f values as kubectl's resource builder does (Builder.FilenameParam and Path,
// ExpandPathsToFileVisitors in k8s.io/cli-runtime v0.37.2, pkg/resource): "-" is standard input, a
// file is taken whatever its name, a directory gives its .json, .yaml and .yml files in name order
// (its subdirectories' too with -R). Any error here stops the command before anything is sent, as
// in kubectl.
//
// One refusal is this sandbox's own: kubectl opens whatever it is given, so a FIFO waits for a
// writer and /dev/zero is read until memory runs out. Here only regular files are read.
func (k *Kubectl) sources(values []string, recursive bool) ([]source, []error) {
	var out []source
	var errs []error
	for _, v := range values {
		if v == "-" {
			out = append(out, source{name: stdinName, stdin: true})
			continue
		}
		info, err := k.files.Stat(v)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			errs = append(errs, fmt.Errorf("the path %q does not exist", v))
			continue
		case err != nil:
			errs = append(errs, fmt.Errorf("the path %q cannot be accessed: %v", v, err))
			continue
		case info.IsDir():
			found, err := k.walk(v, recursive)
			if err != nil {
				errs = append(errs, fmt.Errorf("error reading %q: %v", v, err))
			}
			for _, src := range found {
				// The walk saw links as links: what they point to is known only now.
				if fi, err := k.files.Stat(src.name); err == nil && !fi.Mode().IsRegular() {
					errs = append(errs, notRegular(src.name))
					continue
				}
				out = append(out, src)
			}
		case !info.Mode().IsRegular():
			errs = append(errs, notRegular(v))
			continue
		default:
			out = append(out, source{name: v})
		}
		if len(out) == 0 && len(errs) == 0 {
			errs = append(errs, fmt.Errorf("error reading [%s]: recognized file extensions are [%s]", v, strings.Join(fileExtensions, " ")))
		}
	}
	return out, errs
}

func notRegular(name string) error { return fmt.Errorf("the path %q is not a regular file", name) }

// walk lists a directory's manifests as filepath.Walk visits them: in lexical order, entering
// subdirectories only when recursive.
func (k *Kubectl) walk(dir string, recursive bool) ([]source, error) {
	var out []source
	err := fs.WalkDir(k.files, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && !recursive {
				return fs.SkipDir
			}
			return nil
		}
		for _, ext := range fileExtensions {
			if path.Ext(p) == ext {
				out = append(out, source{name: p})
			}
		}
		return nil
	})
	return out, err
}

// errTooLarge is a file over maxManifestSize.
var errTooLarge = fmt.Errorf("file is larger than %d bytes", maxManifestSize)

// read returns a source's bytes, reading at most one byte more than maxManifestSize so that a
// larger file is told apart without being read whole. Standard input is in (nil: empty).
func (k *Kubectl) read(src source, in io.Reader) ([]byte, error) {
	if src.stdin {
		if in == nil {
			return nil, nil
		}
		return readLimited(in)
	}
	// Stat again: a file found in a directory was not looked at yet.
	info, err := k.files.Stat(src.name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, notRegular(src.name)
	}
	if info.Size() > maxManifestSize {
		return nil, errTooLarge
	}
	f, err := k.files.Open(src.name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f)
}

func readLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxManifestSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxManifestSize {
		return nil, errTooLarge
	}
	return data, nil
}

// pathErrors prints the errors sources found as kubectl's CheckErr prints an aggregate: one error
// behind "error: ", several one to a line (MultipleErrors in k8s.io/kubectl v0.37.2,
// pkg/cmd/util/helpers.go).
func pathErrors(w io.Writer, errs []error) {
	if len(errs) == 1 {
		fmt.Fprintln(w, StandardErrorMessage(errs[0]))
		return
	}
	for _, err := range errs {
		fmt.Fprintln(w, err)
	}
}
