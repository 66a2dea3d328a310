package quiz

import (
	"strconv"
	"strings"
)

// ValueKind says which field of a Value holds it.
type ValueKind string

// The kinds of value a probe returns.
const (
	TextValue   ValueKind = "text"   // Value.Text
	NumberValue ValueKind = "number" // Value.Number
	ListValue   ValueKind = "list"   // Value.List
)

// Value is a probe's result.
type Value struct {
	Text   string   // text, a single choice key, a component name
	Number int      // a count, a revision
	List   []string // multi keys, order sequence, or a list for ChoicesFrom
	Kind   ValueKind
}

func textValue(s string) Value   { return Value{Text: s, Kind: TextValue} }
func numberValue(n int) Value    { return Value{Number: n, Kind: NumberValue} }
func listValue(l []string) Value { return Value{List: append([]string{}, l...), Kind: ListValue} }

// yesNoValue is the key of the yes/no choice that b picks.
func yesNoValue(b bool) Value {
	if b {
		return textValue(keyYes)
	}
	return textValue(keyNo)
}

// String writes the value plainly: the text, the number, or the list joined with ", ".
func (v Value) String() string {
	switch v.Kind {
	case NumberValue:
		return strconv.Itoa(v.Number)
	case ListValue:
		return strings.Join(v.List, ", ")
	}
	return v.Text
}

// templateValue is the value as template data for a question's text: numbers stay numbers so that
// plural forms can use them.
func (v Value) templateValue() any {
	if v.Kind == NumberValue {
		return v.Number
	}
	return v.String()
}
