package openapiv2pb

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// kind is the JSON type of a value.
type kind uint8

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

// value is a parsed JSON value that keeps what gnostic's YAML reader keeps and encoding/json
// loses: the order of object keys, repeated keys, and the literal text of numbers (the YAML
// written into an Any repeats it, 1.50 stays 1.50).
type value struct {
	kind    kind
	text    string   // a string's value; the literal of a number, bool or null
	items   []value  // an array's items
	members []member // an object's members in document order
}

type member struct {
	key   string
	value value
}

// lookup is the value of the first member named key: gnostic reads a fixed field from the first.
func (v *value) lookup(key string) (*value, bool) {
	for i := range v.members {
		if v.members[i].key == key {
			return &v.members[i].value, true
		}
	}
	return nil, false
}

// maxDepth bounds the nesting of arrays and objects, as YAML readers bound theirs.
const maxDepth = 1000

// parseJSON parses one JSON value (RFC 8259), whitespace around it allowed, nothing else after.
func parseJSON(data []byte) (value, error) {
	p := &jsonParser{data: data}
	p.skipSpace()
	v, err := p.value(0)
	if err != nil {
		return value{}, err
	}
	p.skipSpace()
	if p.pos != len(p.data) {
		return value{}, p.errorf("unexpected %q after the document", p.data[p.pos])
	}
	return v, nil
}

type jsonParser struct {
	data []byte
	pos  int
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return fmt.Errorf("invalid JSON at offset %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (value, error) {
	if p.pos == len(p.data) {
		return value{}, p.errorf("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		s, err := p.string()
		return value{kind: kindString, text: s}, err
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	default:
		for _, lit := range [...]struct {
			text string
			kind kind
		}{{"true", kindBool}, {"false", kindBool}, {"null", kindNull}} {
			if len(p.data)-p.pos >= len(lit.text) && string(p.data[p.pos:p.pos+len(lit.text)]) == lit.text {
				p.pos += len(lit.text)
				return value{kind: lit.kind, text: lit.text}, nil
			}
		}
		return value{}, p.errorf("unexpected %q", c)
	}
}

func (p *jsonParser) object(depth int) (value, error) {
	if depth > maxDepth {
		return value{}, p.errorf("nested deeper than %d", maxDepth)
	}
	p.pos++ // {
	v := value{kind: kindObject}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return v, nil
	}
	for {
		p.skipSpace()
		if p.pos == len(p.data) || p.data[p.pos] != '"' {
			return value{}, p.errorf("expected a key")
		}
		key, err := p.string()
		if err != nil {
			return value{}, err
		}
		p.skipSpace()
		if p.pos == len(p.data) || p.data[p.pos] != ':' {
			return value{}, p.errorf("expected ':' after a key")
		}
		p.pos++
		p.skipSpace()
		item, err := p.value(depth)
		if err != nil {
			return value{}, err
		}
		v.members = append(v.members, member{key: key, value: item})
		p.skipSpace()
		if p.pos == len(p.data) {
			return value{}, p.errorf("unexpected end of input in an object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return v, nil
		default:
			return value{}, p.errorf("expected ',' or '}'")
		}
	}
}

func (p *jsonParser) array(depth int) (value, error) {
	if depth > maxDepth {
		return value{}, p.errorf("nested deeper than %d", maxDepth)
	}
	p.pos++ // [
	v := value{kind: kindArray}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return v, nil
	}
	for {
		p.skipSpace()
		item, err := p.value(depth)
		if err != nil {
			return value{}, err
		}
		v.items = append(v.items, item)
		p.skipSpace()
		if p.pos == len(p.data) {
			return value{}, p.errorf("unexpected end of input in an array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return v, nil
		default:
			return value{}, p.errorf("expected ',' or ']'")
		}
	}
}

// number takes a number's literal as it is written, checked against JSON's grammar.
func (p *jsonParser) number() (value, error) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.data) && p.data[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return value{}, p.errorf("expected a digit")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return value{}, p.errorf("expected a digit after '.'")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return value{}, p.errorf("expected a digit in the exponent")
		}
	}
	return value{kind: kindNumber, text: string(p.data[start:p.pos])}, nil
}

// string reads a string literal. Invalid UTF-8, control characters and lone surrogates are
// errors: gnostic's YAML reader refuses them too.
func (p *jsonParser) string() (string, error) {
	p.pos++ // "
	start := p.pos
	for p.pos < len(p.data) { // the common case: no escapes
		c := p.data[p.pos]
		if c == '"' {
			s := p.data[start:p.pos]
			if !utf8.Valid(s) {
				return "", p.errorf("invalid UTF-8 in a string")
			}
			p.pos++
			return string(s), nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	buf := append([]byte(nil), p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			if !utf8.Valid(buf) {
				return "", p.errorf("invalid UTF-8 in a string")
			}
			p.pos++
			return string(buf), nil
		case c < 0x20:
			return "", p.errorf("control character %#x in a string", c)
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		if p.pos+1 == len(p.data) {
			break
		}
		p.pos++
		switch esc := p.data[p.pos]; esc {
		case '"', '\\', '/':
			buf = append(buf, esc)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, err := p.hex4()
			if err != nil {
				return "", err
			}
			if utf16.IsSurrogate(r) {
				if r >= 0xDC00 || p.pos+2 >= len(p.data) || p.data[p.pos+1] != '\\' || p.data[p.pos+2] != 'u' {
					return "", p.errorf("a \\u escape of a lone surrogate")
				}
				p.pos += 2
				low, err := p.hex4()
				if err != nil {
					return "", err
				}
				if r = utf16.DecodeRune(r, low); r == utf8.RuneError {
					return "", p.errorf("a \\u escape of a lone surrogate")
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", p.errorf("unknown escape \\%c", esc)
		}
		p.pos++
	}
	return "", p.errorf("unterminated string")
}

// hex4 reads the four hex digits after \u, leaving pos on the last.
func (p *jsonParser) hex4() (rune, error) {
	if p.pos+4 >= len(p.data) {
		return 0, p.errorf("short \\u escape")
	}
	n, err := strconv.ParseUint(string(p.data[p.pos+1:p.pos+5]), 16, 16)
	if err != nil {
		return 0, p.errorf("bad \\u escape")
	}
	p.pos += 4
	return rune(n), nil
}
