package openapiv2pb

import (
	"encoding/binary"
	"math"
)

// The protobuf wire types this package writes.
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
)

// writer appends protobuf wire format. Fields are written in field-number order and proto3
// zero values are left out, as proto.Marshal does, so the bytes can match its bytes.
type writer struct {
	buf []byte
}

func (w *writer) tag(num, wireType int) {
	w.varint(uint64(num)<<3 | uint64(wireType))
}

func (w *writer) varint(v uint64) {
	w.buf = binary.AppendUvarint(w.buf, v)
}

// string writes a string field; "" is proto3's default and is left out.
func (w *writer) string(num int, s string) {
	if s != "" {
		w.bytes(num, s)
	}
}

// bytes writes a length-delimited field even when empty, as an item of a repeated field is.
func (w *writer) bytes(num int, s string) {
	w.tag(num, wireBytes)
	w.varint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}

func (w *writer) bool(num int, b bool) {
	if b {
		w.tag(num, wireVarint)
		w.varint(1)
	}
}

// presentBool writes a bool that has presence, a oneof member: false is written too.
func (w *writer) presentBool(num int, b bool) {
	w.tag(num, wireVarint)
	if b {
		w.varint(1)
	} else {
		w.varint(0)
	}
}

// int64 writes a varint of the two's complement, ten bytes for a negative number.
func (w *writer) int64(num int, n int64) {
	if n != 0 {
		w.tag(num, wireVarint)
		w.varint(uint64(n))
	}
}

// double writes a fixed64; -0 is not the default and is written, as proto.Marshal does.
func (w *writer) double(num int, f float64) {
	if bits := math.Float64bits(f); bits != 0 {
		w.tag(num, wireFixed64)
		w.buf = binary.LittleEndian.AppendUint64(w.buf, bits)
	}
}

// message writes a message field, even an empty one (a set message field is present), with
// body writing its fields. The length goes before the body once the body is written.
func (w *writer) message(num int, body func() error) error {
	w.tag(num, wireBytes)
	start := len(w.buf)
	if err := body(); err != nil {
		return err
	}
	n := len(w.buf) - start
	var prefix [binary.MaxVarintLen64]byte
	size := binary.PutUvarint(prefix[:], uint64(n))
	w.buf = append(w.buf, prefix[:size]...) // room for the prefix
	copy(w.buf[start+size:], w.buf[start:start+n])
	copy(w.buf[start:], prefix[:size])
	return nil
}
