// Package openapiv2pb converts an OpenAPI v2 document in JSON to the protobuf encoding of
// gnostic's openapi_v2.Document, which is what kube-apiserver serves at /openapi/v2 and what
// client-go and kubectl ask for. It gives the bytes openapi_v2.ParseDocument and proto.Marshal
// give, without linking gnostic-models, google.golang.org/protobuf or a YAML library, whose
// package initialisation costs milliseconds at every start of the binary.
//
// It covers the part of the OpenAPI v2 schema that k8slearn's document uses, and refuses the rest
// with an error rather than leave something out: a change to the document that reaches an
// unsupported part fails a test instead of serving a wrong spec. Within that part it is stricter
// than gnostic where gnostic silently drops or coerces (a string field given a number, a
// non-string item in a list of strings, a repeated key).
package openapiv2pb

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Encode converts an OpenAPI v2 (Swagger 2.0) document in JSON to the protobuf encoding of
// gnostic's openapi_v2.Document, the form kube-apiserver serves at /openapi/v2.
func Encode(doc []byte) ([]byte, error) {
	root, err := parseJSON(doc)
	if err != nil {
		return nil, fmt.Errorf("openapiv2pb: %w", err)
	}
	w := &writer{buf: make([]byte, 0, len(doc))}
	if err := encodeFields(w, documentMessage(), &root); err != nil {
		return nil, fmt.Errorf("openapiv2pb: %w", err)
	}
	return w.buf, nil
}

// message is how one gnostic message is read from a JSON object.
type message struct {
	name     string
	fields   []field // in field-number order
	required []string
}

// field is one field of a message: a fixed field read from one key, or a repeated field of
// Named* pairs taking every key that matches (vendor extensions, paths, definitions, ...).
type field struct {
	num    int
	key    string            // the key of a fixed field
	match  func(string) bool // the keys of a field of pairs
	encode encodeFunc        // nil: a part of OpenAPI v2 this package does not support
}

// encodeFunc writes v as field num of the message being written.
type encodeFunc func(w *writer, num int, v *value) error

// encodeFields writes the fields of m read from obj, an object, without a length prefix.
func encodeFields(w *writer, m *message, obj *value) error {
	if obj.kind != kindObject {
		return fmt.Errorf("%s must be an object", m.name)
	}
	// Check every key first: gnostic refuses unknown keys, and this package refuses the ones it
	// does not support and repeated ones (gnostic would keep the first).
	fixed := make([]*value, len(m.fields))
	for i := range obj.members {
		key := obj.members[i].key
		f := m.fieldFor(key)
		switch {
		case f < 0:
			return fmt.Errorf("%s has no field %q", m.name, key)
		case m.fields[f].encode == nil:
			return fmt.Errorf("%s: %q is not supported", m.name, key)
		case m.fields[f].key == "":
			continue
		case fixed[f] != nil:
			return fmt.Errorf("%s: %q is repeated", m.name, key)
		}
		fixed[f] = &obj.members[i].value
	}
	for _, key := range m.required {
		if _, ok := obj.lookup(key); !ok {
			return fmt.Errorf("%s is missing %q", m.name, key)
		}
	}
	for i, f := range m.fields {
		if f.key != "" {
			if fixed[i] != nil {
				if err := f.encode(w, f.num, fixed[i]); err != nil {
					return at(f.key, err)
				}
			}
			continue
		}
		for j := range obj.members {
			mem := &obj.members[j]
			if !f.match(mem.key) {
				continue
			}
			err := w.message(f.num, func() error {
				w.string(1, mem.key)
				return f.encode(w, 2, &mem.value)
			})
			if err != nil {
				return at(mem.key, err)
			}
		}
	}
	return nil
}

// fieldFor is the index of the field that reads key, or -1.
func (m *message) fieldFor(key string) int {
	for i := range m.fields {
		if f := &m.fields[i]; f.key == key || f.key == "" && f.match(key) {
			return i
		}
	}
	return -1
}

// at puts key in front of the path in err.
func at(key string, err error) error {
	return &pathError{path: key, err: err}
}

// pathError is an error in a part of the document, with the keys that lead to it.
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string {
	if inner, ok := e.err.(*pathError); ok {
		if strings.HasPrefix(inner.path, "[") {
			return e.path + inner.Error()
		}
		return e.path + "." + inner.Error()
	}
	return e.path + ": " + e.err.Error()
}

func (e *pathError) Unwrap() error { return e.err }

// The kinds of field, as gnostic reads them (compiler.StringForScalarNode and friends, stricter).

// stringField reads a string, one of allowed if any are given.
func stringField(allowed ...string) encodeFunc {
	return func(w *writer, num int, v *value) error {
		if v.kind != kindString {
			return errors.New("expected a string")
		}
		if len(allowed) > 0 && !slices.Contains(allowed, v.text) {
			return fmt.Errorf("%q is not one of %s", v.text, strings.Join(allowed, ", "))
		}
		w.string(num, v.text)
		return nil
	}
}

// stringsField reads an array of strings, each one of allowed if any are given.
func stringsField(allowed ...string) encodeFunc {
	return func(w *writer, num int, v *value) error {
		if v.kind != kindArray {
			return errors.New("expected an array of strings")
		}
		for _, item := range v.items {
			if item.kind != kindString {
				return errors.New("expected an array of strings")
			}
			if len(allowed) > 0 && !slices.Contains(allowed, item.text) {
				return fmt.Errorf("%q is not one of %s", item.text, strings.Join(allowed, ", "))
			}
		}
		for _, item := range v.items {
			w.bytes(num, item.text)
		}
		return nil
	}
}

func boolField(w *writer, num int, v *value) error {
	if v.kind != kindBool {
		return errors.New("expected true or false")
	}
	w.bool(num, v.text == "true")
	return nil
}

// int64Field reads an integer: a number YAML resolves to !!int that fits an int64.
func int64Field(w *writer, num int, v *value) error {
	if v.kind != kindNumber || resolveTag(v.text) != tagInt {
		return errors.New("expected an integer")
	}
	n, err := strconv.ParseInt(v.text, 10, 64)
	if err != nil {
		return errors.New("expected an integer that fits 64 bits")
	}
	w.int64(num, n)
	return nil
}

// doubleField reads a number YAML resolves to !!int or !!float (not one too large for a float64,
// which YAML takes for a string).
func doubleField(w *writer, num int, v *value) error {
	if v.kind == kindNumber {
		if tag := resolveTag(v.text); tag == tagInt || tag == tagFloat {
			if f, err := strconv.ParseFloat(v.text, 64); err == nil {
				w.double(num, f)
				return nil
			}
		}
	}
	return errors.New("expected a number that fits a float64")
}

// messageField reads an object as a message; a message field that is set is written even empty.
func messageField(m *message) encodeFunc {
	return func(w *writer, num int, v *value) error {
		return w.message(num, func() error { return encodeFields(w, m, v) })
	}
}

// repeated reads an array, each item with encode.
func repeated(encode encodeFunc) encodeFunc {
	return func(w *writer, num int, v *value) error {
		if v.kind != kindArray {
			return errors.New("expected an array")
		}
		for i := range v.items {
			if err := encode(w, num, &v.items[i]); err != nil {
				return at("["+strconv.Itoa(i)+"]", err)
			}
		}
		return nil
	}
}

// anyField reads any value as gnostic's Any: its YAML text in field 2 (field 1, a
// google.protobuf.Any, is only set by extension handlers, which Kubernetes does not use).
func anyField(w *writer, num int, v *value) error {
	text, err := yamlText(v)
	if err != nil {
		return err
	}
	return w.message(num, func() error {
		w.string(2, text)
		return nil
	})
}

// oneof writes a wrapper message whose oneof holds one alternative, chosen from the value.
func oneof(choose func(v *value) (num int, encode encodeFunc, err error)) encodeFunc {
	return func(w *writer, num int, v *value) error {
		alt, encode, err := choose(v)
		if err != nil {
			return err
		}
		return w.message(num, func() error { return encode(w, alt, v) })
	}
}

// wrapped writes a message whose only field written is v as field inner: a TypeItem, an
// ItemsItem, a StringArray, a NonBodyParameter of one kind.
func wrapped(inner int, encode encodeFunc) encodeFunc {
	return func(w *writer, num int, v *value) error {
		return w.message(num, func() error { return encode(w, inner, v) })
	}
}

// Which keys a field of pairs takes.

func isExtension(key string) bool { return strings.HasPrefix(key, "x-") }
func isPath(key string) bool      { return strings.HasPrefix(key, "/") }
func anyKey(string) bool          { return true }

// isResponseCode is gnostic's ^([0-9]{3})$|^(default)$.
func isResponseCode(key string) bool {
	if key == "default" {
		return true
	}
	return len(key) == 3 && strings.Trim(key, "0123456789") == ""
}

// extensions is the field of vendor extensions ("x-..." keys) with number num.
func extensions(num int) field {
	return field{num: num, match: isExtension, encode: anyField}
}
