// Package lines reads input a line at a time in bounded memory. A line longer than the limit is
// read through in pieces, dropped, and reported with its length: a 3 GB line costs what a short
// one does. The sandbox's commands and a lesson's answers are read through it.
package lines

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Reader reads lines of at most a given number of bytes.
type Reader struct {
	r   *bufio.Reader
	max int
}

// NewReader reads lines of at most max bytes (without their end) from r.
func NewReader(r io.Reader, max int) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 64<<10), max: max}
}

// TooLongError is a line longer than the limit. It was read to its end and dropped.
type TooLongError struct {
	Size int64 // the line's length in bytes, without its end
	Max  int
}

func (e *TooLongError) Error() string {
	return fmt.Sprintf("line of %d bytes, over the limit of %d", e.Size, e.Max)
}

// ReadLine returns the next line without its "\n" or "\r\n". The last line of the input may lack
// its "\n"; after it comes the input's error (io.EOF at its end).
func (r *Reader) ReadLine() (string, error) {
	var b strings.Builder
	var size int64   // bytes read of this line, its end included
	var tail [2]byte // the line's last two bytes so far
	for {
		piece, err := r.r.ReadSlice('\n')
		if size+int64(len(piece)) <= int64(r.max)+2 { // room for the line and its "\r\n"
			b.Write(piece)
		}
		size += int64(len(piece))
		switch n := len(piece); {
		case n >= 2:
			tail = [2]byte{piece[n-2], piece[n-1]}
		case n == 1:
			tail = [2]byte{tail[1], piece[0]}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && size == 0 {
			return "", err
		}
		length := size
		if err == nil { // the line ends with "\n"
			length--
			if length > 0 && tail[0] == '\r' {
				length--
			}
		}
		if length > int64(r.max) {
			return "", &TooLongError{Size: length, Max: r.max}
		}
		return b.String()[:length], nil
	}
}
