package openapiv2pb

import (
	"fmt"
	"strconv"
	"strings"
)

// gnostic keeps a value it has no message for (a vendor extension, a default, an enum item) as an
// Any holding YAML text: the value's node from its YAML reader, every style cleared, through
// yaml.v3's Marshal (gnostic's compiler.Marshal). This file writes that text. It follows
// yaml.v3's emitter (emitterc.go) for what such a node can need: block mappings and sequences
// indented by 4, "{}" and "[]" for empty ones, and scalars plain, single-quoted, double-quoted or
// literal, chosen as the emitter chooses. A key that yaml.v3 would write as a complex "? " key
// (longer than 128 bytes, or with a line break) is an error here.

// yamlIndent is yaml.v3's default indentation.
const yamlIndent = 4

// yamlText is the YAML gnostic stores in an Any for v.
func yamlText(v *value) (string, error) {
	e := &yamlEmitter{indent: -1, whitespace: true, indention: true}
	if err := e.node(v, inDocument, false); err != nil {
		return "", err
	}
	e.writeIndent() // the document's end
	return string(e.out), nil
}

// yamlParent is what a node is in, which decides the indentation of its content.
type yamlParent uint8

const (
	inDocument yamlParent = iota
	inSequence
	inMapping
)

// yamlStyle is a scalar style.
type yamlStyle uint8

const (
	stylePlain yamlStyle = iota
	styleSingleQuoted
	styleDoubleQuoted
	styleLiteral
)

// yamlEmitter holds the part of yaml.v3's emitter state the output depends on. Columns count
// characters, not bytes.
type yamlEmitter struct {
	out        []byte
	column     int
	indent     int
	whitespace bool // the last character written was whitespace
	indention  bool // only indentation has been written on this line
}

func (e *yamlEmitter) node(v *value, parent yamlParent, simpleKey bool) error {
	switch v.kind {
	case kindObject:
		if len(v.members) == 0 {
			e.emptyCollection("{", "}")
			return nil
		}
		saved := e.indent
		e.increaseIndent(false, parent)
		for i := range v.members {
			m := &v.members[i]
			e.writeIndent()
			if len(m.key) > 128 || analyzeScalar(m.key).multiline {
				return fmt.Errorf("the YAML of key %q would be a complex key, which is not supported", m.key)
			}
			e.scalar(m.key, true, inMapping, true)
			e.indicator(":", false, false, false)
			if err := e.node(&m.value, inMapping, false); err != nil {
				return err
			}
		}
		e.indent = saved
	case kindArray:
		if len(v.items) == 0 {
			e.emptyCollection("[", "]")
			return nil
		}
		saved := e.indent
		e.increaseIndent(false, parent)
		for i := range v.items {
			e.writeIndent()
			e.indicator("-", true, false, true)
			if err := e.node(&v.items[i], inSequence, false); err != nil {
				return err
			}
		}
		e.indent = saved
	default:
		e.scalar(v.text, v.kind == kindString, parent, simpleKey)
	}
	return nil
}

// emptyCollection writes an empty mapping or sequence in flow style, as yaml.v3 always does.
func (e *yamlEmitter) emptyCollection(open, close string) {
	e.indicator(open, true, true, false)
	e.indicator(close, false, false, false)
}

// increaseIndent is yaml_emitter_increase_indent: the content of a sequence item is indented past
// its "- ", everything else to the next multiple of yamlIndent.
func (e *yamlEmitter) increaseIndent(flow bool, parent yamlParent) {
	switch {
	case e.indent < 0 && flow:
		e.indent = yamlIndent
	case e.indent < 0:
		e.indent = 0
	case parent == inSequence:
		e.indent += 2
	default:
		e.indent = yamlIndent * ((e.indent + yamlIndent) / yamlIndent)
	}
}

// scalar writes a scalar. A string (a JSON string, so tagged !!str) that would read back as
// another type is double-quoted, one with a newline is a literal block if it can be; then the
// emitter's own rules may still quote it (yaml.v3's encoder.node and select_scalar_style).
func (e *yamlEmitter) scalar(text string, isString bool, parent yamlParent, simpleKey bool) {
	a := analyzeScalar(text)
	style := stylePlain
	if isString {
		if strings.Contains(text, "\n") {
			style = styleLiteral
		} else if resolveTag(text) != tagStr {
			style = styleDoubleQuoted
		}
	}
	if simpleKey && a.multiline {
		style = styleDoubleQuoted
	}
	if style == stylePlain && (!a.blockPlainAllowed || text == "" && simpleKey) {
		style = styleSingleQuoted
	}
	if style == styleSingleQuoted && !a.singleQuotedAllowed {
		style = styleDoubleQuoted
	}
	if style == styleLiteral && (!a.blockAllowed || simpleKey) {
		style = styleDoubleQuoted
	}
	saved := e.indent
	e.increaseIndent(true, parent)
	b := []byte(text)
	switch style {
	case stylePlain:
		e.writePlain(b)
	case styleSingleQuoted:
		e.writeSingleQuoted(b)
	case styleDoubleQuoted:
		e.writeDoubleQuoted(b)
	case styleLiteral:
		e.writeLiteral(b)
	}
	e.indent = saved
}

// scalarAnalysis is what yaml_emitter_analyze_scalar finds out about a scalar (block context).
type scalarAnalysis struct {
	multiline           bool
	blockPlainAllowed   bool
	singleQuotedAllowed bool
	blockAllowed        bool
}

func analyzeScalar(text string) scalarAnalysis {
	if text == "" {
		return scalarAnalysis{blockPlainAllowed: true, singleQuotedAllowed: true}
	}
	value := []byte(text)
	var blockIndicators, lineBreaks, specialCharacters, tabCharacters bool
	var leadingSpace, leadingBreak, trailingSpace, trailingBreak, breakSpace, spaceBreak bool
	var previousSpace, previousBreak bool
	if strings.HasPrefix(text, "---") || strings.HasPrefix(text, "...") {
		blockIndicators = true
	}
	precededByWhitespace := true
	for i, w := 0, 0; i < len(value); i += w {
		w = charWidth(value[i])
		followedByWhitespace := i+w >= len(value) || isBlank(value, i+w)
		if i == 0 {
			switch value[i] {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				blockIndicators = true
			case '?', ':', '-':
				if followedByWhitespace {
					blockIndicators = true
				}
			}
		} else {
			switch value[i] {
			case ':':
				if followedByWhitespace {
					blockIndicators = true
				}
			case '#':
				if precededByWhitespace {
					blockIndicators = true
				}
			}
		}
		if value[i] == '\t' {
			tabCharacters = true
		} else if !isPrintable(value, i) {
			specialCharacters = true
		}
		switch {
		case value[i] == ' ':
			if i == 0 {
				leadingSpace = true
			}
			if i+w == len(value) {
				trailingSpace = true
			}
			if previousBreak {
				breakSpace = true
			}
			previousSpace, previousBreak = true, false
		case isBreak(value, i):
			lineBreaks = true
			if i == 0 {
				leadingBreak = true
			}
			if i+w == len(value) {
				trailingBreak = true
			}
			if previousSpace {
				spaceBreak = true
			}
			previousSpace, previousBreak = false, true
		default:
			previousSpace, previousBreak = false, false
		}
		precededByWhitespace = isBlankOrBreak(value, i)
	}
	a := scalarAnalysis{multiline: lineBreaks, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true}
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak || lineBreaks || blockIndicators {
		a.blockPlainAllowed = false
	}
	if trailingSpace {
		a.blockAllowed = false
	}
	if breakSpace || spaceBreak || tabCharacters || specialCharacters {
		a.blockPlainAllowed = false
		a.singleQuotedAllowed = false
	}
	if spaceBreak || specialCharacters {
		a.blockAllowed = false
	}
	return a
}

// The writing primitives of emitterc.go: put, put_break, write, write_break, write_indent and
// write_indicator.

func (e *yamlEmitter) put(c byte) {
	e.out = append(e.out, c)
	e.column++
}

func (e *yamlEmitter) putBreak() {
	e.out = append(e.out, '\n')
	e.column = 0
	e.indention = true
}

// write copies the character at value[*i].
func (e *yamlEmitter) write(value []byte, i *int) {
	w := charWidth(value[*i])
	e.out = append(e.out, value[*i:*i+w]...)
	e.column++
	*i += w
}

func (e *yamlEmitter) writeBreak(value []byte, i *int) {
	if value[*i] == '\n' {
		e.putBreak()
		*i++
		return
	}
	e.write(value, i)
	e.column = 0
	e.indention = true
}

func (e *yamlEmitter) writeIndent() {
	indent := max(e.indent, 0)
	if !e.indention || e.column > indent || e.column == indent && !e.whitespace {
		e.putBreak()
	}
	for e.column < indent {
		e.put(' ')
	}
	e.whitespace = true
}

func (e *yamlEmitter) indicator(indicator string, needWhitespace, isWhitespace, isIndention bool) {
	if needWhitespace && !e.whitespace {
		e.put(' ')
	}
	e.out = append(e.out, indicator...)
	e.column += len(indicator)
	e.whitespace = isWhitespace
	e.indention = e.indention && isIndention
}

// The scalar writers. Lines are never folded: yaml.v3's default width is unlimited.

// writePlain writes a plain scalar, which has no line break: analyzeScalar rules plain out then.
func (e *yamlEmitter) writePlain(value []byte) {
	if len(value) > 0 && !e.whitespace {
		e.put(' ')
	}
	for i := 0; i < len(value); {
		e.write(value, &i)
	}
	if len(value) > 0 {
		e.whitespace = false
	}
	e.indention = false
}

func (e *yamlEmitter) writeSingleQuoted(value []byte) {
	e.indicator("'", true, false, false)
	breaks := false
	for i := 0; i < len(value); {
		switch {
		case value[i] == ' ':
			e.write(value, &i)
		case isBreak(value, i):
			if !breaks && value[i] == '\n' {
				e.putBreak()
			}
			e.writeBreak(value, &i)
			breaks = true
		default:
			if breaks {
				e.writeIndent()
			}
			if value[i] == '\'' {
				e.put('\'')
			}
			e.write(value, &i)
			e.indention = false
			breaks = false
		}
	}
	e.indicator("'", false, false, false)
	e.whitespace = false
	e.indention = false
}

func (e *yamlEmitter) writeDoubleQuoted(value []byte) {
	e.indicator(`"`, true, false, false)
	for i := 0; i < len(value); {
		// isBOM looks at the start of the value, not at i: yaml.v3 escapes every character
		// of a value that starts with a byte order mark.
		if !isPrintable(value, i) || isBOM(value) || isBreak(value, i) || value[i] == '"' || value[i] == '\\' {
			w := charWidth(value[i])
			r := decodeChar(value[i : i+w])
			i += w
			e.put('\\')
			switch r {
			case 0x00:
				e.put('0')
			case 0x07:
				e.put('a')
			case 0x08:
				e.put('b')
			case 0x09:
				e.put('t')
			case 0x0A:
				e.put('n')
			case 0x0B:
				e.put('v')
			case 0x0C:
				e.put('f')
			case 0x0D:
				e.put('r')
			case 0x1B:
				e.put('e')
			case 0x22:
				e.put('"')
			case 0x5C:
				e.put('\\')
			case 0x85:
				e.put('N')
			case 0xA0:
				e.put('_')
			case 0x2028:
				e.put('L')
			case 0x2029:
				e.put('P')
			default:
				digits := 8
				switch {
				case r <= 0xFF:
					e.put('x')
					digits = 2
				case r <= 0xFFFF:
					e.put('u')
					digits = 4
				default:
					e.put('U')
				}
				for k := (digits - 1) * 4; k >= 0; k -= 4 {
					e.put("0123456789ABCDEF"[(r>>uint(k))&0x0F])
				}
			}
			continue
		}
		e.write(value, &i)
	}
	e.indicator(`"`, false, false, false)
	e.whitespace = false
	e.indention = false
}

func (e *yamlEmitter) writeLiteral(value []byte) {
	e.indicator("|", true, false, false)
	e.blockScalarHints(value)
	e.putBreak()
	e.whitespace = true
	breaks := true
	for i := 0; i < len(value); {
		if isBreak(value, i) {
			e.writeBreak(value, &i)
			breaks = true
			continue
		}
		if breaks {
			e.writeIndent()
		}
		e.write(value, &i)
		e.indention = false
		breaks = false
	}
}

// blockScalarHints writes the indentation hint (when the value starts with a space or break) and
// the chomping indicator: "-" without a final break, "+" with more than one.
func (e *yamlEmitter) blockScalarHints(value []byte) {
	if value[0] == ' ' || isBreak(value, 0) {
		e.indicator(strconv.Itoa(yamlIndent), false, false, false)
	}
	i := len(value) - 1
	for value[i]&0xC0 == 0x80 {
		i--
	}
	chomp := ""
	switch {
	case !isBreak(value, i):
		chomp = "-"
	case i == 0:
		chomp = "+"
	default:
		i--
		for value[i]&0xC0 == 0x80 {
			i--
		}
		if isBreak(value, i) {
			chomp = "+"
		}
	}
	if chomp != "" {
		e.indicator(chomp, false, false, false)
	}
}

// The character classes of yamlprivateh.go, on UTF-8 bytes.

func charWidth(b byte) int {
	switch {
	case b&0x80 == 0x00:
		return 1
	case b&0xE0 == 0xC0:
		return 2
	case b&0xF0 == 0xE0:
		return 3
	default:
		return 4
	}
}

func decodeChar(b []byte) rune {
	if len(b) == 1 {
		return rune(b[0])
	}
	r := rune(b[0]) & (0xFF >> (len(b) + 1))
	for _, c := range b[1:] {
		r = r<<6 | rune(c)&0x3F
	}
	return r
}

// isPrintable is yaml.v3's is_printable, which also counts every 4-byte character (U+10000 and
// up) as not printable.
func isPrintable(b []byte, i int) bool {
	c := b[i]
	return c == 0x0A ||
		c >= 0x20 && c <= 0x7E ||
		c == 0xC2 && b[i+1] >= 0xA0 ||
		c > 0xC2 && c < 0xED ||
		c == 0xED && b[i+1] < 0xA0 ||
		c == 0xEE ||
		c == 0xEF && !(b[i+1] == 0xBB && b[i+2] == 0xBF) && !(b[i+1] == 0xBF && (b[i+2] == 0xBE || b[i+2] == 0xBF))
}

func isBOM(b []byte) bool {
	return len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF
}

func isBlank(b []byte, i int) bool {
	return b[i] == ' ' || b[i] == '\t'
}

// isBreak: CR, LF, NEL, LS and PS.
func isBreak(b []byte, i int) bool {
	c := b[i]
	return c == '\r' || c == '\n' ||
		c == 0xC2 && b[i+1] == 0x85 ||
		c == 0xE2 && b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9)
}

// isBlankOrBreak is is_blankz: blank, break or NUL.
func isBlankOrBreak(b []byte, i int) bool {
	return isBlank(b, i) || isBreak(b, i) || b[i] == 0
}
