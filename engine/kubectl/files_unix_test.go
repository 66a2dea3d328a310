//go:build unix

package kubectl

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/k8slearn/k8slearn/engine/cluster"
)

// endless is standard input that never ends, and counts what was read of it.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	clear(p)
	e.read += int64(len(p))
	return len(p), nil
}

// TestFilesOnDisk: what -f names on the real filesystem is read through a limit. A device, a
// FIFO and a file larger than the limit are refused without being read (kubectl itself would read
// /dev/zero until memory runs out and wait for a FIFO's writer); a directory gives its manifests.
func TestFilesOnDisk(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("manifests/a.yaml", podYAML("a"))
	write("manifests/readme.md", "# not a manifest")
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	huge := write("huge.yaml", "")
	if err := os.Truncate(huge, 1<<34); err != nil { // sparse: 16 GiB that take no room
		t.Fatal(err)
	}
	linked := filepath.Join(dir, "linked")
	write("linked/b.yaml", podYAML("b"))
	if err := os.Symlink("/dev/zero", filepath.Join(linked, "zero.yaml")); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		args       []string
		out, err   string
		code       int
		stdinBound bool
	}{
		{args: []string{"apply", "-f", "/dev/zero"}, err: "error: the path \"/dev/zero\" is not a regular file\n", code: 1},
		{args: []string{"apply", "-f", fifo}, err: "error: the path \"" + fifo + "\" is not a regular file\n", code: 1},
		{args: []string{"create", "-f", huge}, err: "error: error parsing " + huge + ": file is larger than 3145728 bytes\n", code: 1},
		{args: []string{"apply", "-f", linked}, err: "error: the path \"" + filepath.Join(linked, "zero.yaml") + "\" is not a regular file\n", code: 1},
		{args: []string{"apply", "-f", filepath.Join(dir, "manifests")}, out: "pod/a created\n"},
		{args: []string{"apply", "-f", "-"}, err: "error: error parsing STDIN: file is larger than 3145728 bytes\n", code: 1, stdinBound: true},
	} {
		t.Run(filepath.Base(tc.args[len(tc.args)-1]), func(t *testing.T) {
			c, err := cluster.New(cluster.DefaultConfig(1))
			if err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			in := &endless{}
			code := New(c, nil).Run(tc.args, Streams{In: in, Out: &out, ErrOut: &errOut})
			if code != tc.code || out.String() != tc.out || errOut.String() != tc.err {
				t.Errorf("kubectl %v: exit %d, stdout %q, stderr %q; want %d, %q, %q", tc.args, code, out.String(), errOut.String(), tc.code, tc.out, tc.err)
			}
			if tc.stdinBound && in.read != maxManifestSize+1 {
				t.Errorf("read %d bytes of standard input, want %d", in.read, maxManifestSize+1)
			}
		})
	}
}
