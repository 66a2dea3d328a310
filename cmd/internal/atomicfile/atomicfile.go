// Package atomicfile writes a learner's file so that a crash, a full disk or a killed process
// never leaves half of it: the data goes to a temporary file beside it, is synced, and is renamed
// over the old file; the directory is synced so that the rename itself survives a crash.
package atomicfile

import (
	"os"
	"path/filepath"
	"runtime"
)

// Write replaces name with data, with permissions perm. pattern names the temporary file as
// os.CreateTemp does ("" for ".NAME.*.tmp"), so a caller can find what a crash left behind.
func Write(name string, data []byte, perm os.FileMode, pattern string) error {
	dir := filepath.Dir(name)
	if pattern == "" {
		pattern = "." + filepath.Base(name) + ".*.tmp"
	}
	tmp, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after the rename; cleans up after a failure
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
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
	if err := os.Rename(tmp.Name(), name); err != nil {
		return err
	}
	return SyncDir(dir)
}

// SyncDir makes a rename in dir durable. Windows cannot open a directory to sync it.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
