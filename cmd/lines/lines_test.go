package lines

import (
	"errors"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestReadLine(t *testing.T) {
	const max = 8
	for _, tc := range []struct {
		name, in string
		want     []string // "<N>" for a line of N bytes refused as too long
	}{
		{"ends", "a\nb\r\nc", []string{"a", "b", "c"}},
		{"empty lines", "\n\r\n\n", []string{"", "", ""}},
		{"at the limit", "12345678\n12345678\r\n12345678", []string{"12345678", "12345678", "12345678"}},
		{"over the limit", "123456789\nok\n123456789\r\nok\n123456789", []string{"<9>", "ok", "<9>", "ok", "<9>"}},
		{"a lone carriage return stays", "a\rb\n\r", []string{"a\rb", "\r"}},
		{"nothing", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tc.in), max)
			var got []string
			for {
				line, err := r.ReadLine()
				var tooLong *TooLongError
				if errors.As(err, &tooLong) {
					got = append(got, "<"+strconv.FormatInt(tooLong.Size, 10)+">")
					continue
				}
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, line)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// longLine is a line of n bytes, then "\r\n" and the rest, made as it is read: no memory holds it.
type longLine struct {
	n    int64
	rest string
}

var xs = strings.Repeat("x", 64<<10)

func (l *longLine) Read(p []byte) (int, error) {
	if l.n > 0 {
		k := copy(p[:min(int64(len(p)), l.n)], xs)
		l.n -= int64(k)
		return k, nil
	}
	if l.rest == "" {
		return 0, io.EOF
	}
	k := copy(p, l.rest)
	l.rest = l.rest[k:]
	return k, nil
}

// TestLongLineInBoundedMemory reads a 512 MiB line: it is refused with its length, the next line
// is read, and what was allocated stays far below the line's size.
func TestLongLineInBoundedMemory(t *testing.T) {
	const size = 512 << 20
	in := &longLine{n: size, rest: "\r\nnext\n"}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := NewReader(in, 1<<20)
	_, err := r.ReadLine()
	runtime.ReadMemStats(&after)
	var tooLong *TooLongError
	if !errors.As(err, &tooLong) || tooLong.Size != size || tooLong.Max != 1<<20 {
		t.Fatalf("got %v, want a line of %d bytes refused", err, size)
	}
	if line, err := r.ReadLine(); line != "next" || err != nil {
		t.Fatalf("after the long line: %q, %v", line, err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("reading a %d-byte line allocated %d bytes", size, alloc)
	}
}
