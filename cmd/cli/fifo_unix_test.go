//go:build unix

package cli

import "syscall"

// mkfifo makes a named pipe: opening one to read blocks until a writer comes.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }
