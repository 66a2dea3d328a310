package prompt

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/cmd/lines"
)

// xs is an endless stream of 'x', made as it is read.
type xs struct{}

var block = strings.Repeat("x", 64<<10)

func (xs) Read(p []byte) (int, error) { return copy(p, block), nil }

// TestPlainRefusesALongAnswerInBoundedMemory: a 300 MB answer line is read through and dropped
// without holding it, reported as too long, and the next line is the next answer.
func TestPlainRefusesALongAnswerInBoundedMemory(t *testing.T) {
	const size = 300 << 20
	var out bytes.Buffer
	p := NewPlain(io.MultiReader(io.LimitReader(xs{}, size), strings.NewReader("\n2\n")), &out)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := p.Ask("")
	runtime.ReadMemStats(&after)
	var tooLong *lines.TooLongError
	if !errors.As(err, &tooLong) || tooLong.Size != size || tooLong.Max != MaxAnswer {
		t.Fatalf("got %v, want a line of %d bytes refused", err, size)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("reading a %d-byte line allocated %d bytes", size, alloc)
	}
	if line, err := p.Ask(""); line != "2" || err != nil {
		t.Errorf("the answer after: %q, %v", line, err)
	}
	if out.String() != "> 2\n" {
		t.Errorf("echoed %d bytes, want only \"> 2\"; a refused line is not echoed", out.Len())
	}
}

func TestPlainSelectSkipsALongLine(t *testing.T) {
	var out bytes.Buffer
	p := NewPlain(strings.NewReader(strings.Repeat("y", MaxAnswer+1)+"\n2\n"), &out)
	i, err := p.Select("Which?", []Option{{Value: "a"}, {Value: "b"}}, 1)
	if i != 1 || err != nil {
		t.Fatalf("Select: %d, %v\n%s", i, err, out.String())
	}
}
