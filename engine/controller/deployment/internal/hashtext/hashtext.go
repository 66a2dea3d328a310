// Package hashtext writes a value as k8s.io/apimachinery/pkg/util/dump.ForHash does: go-spew's
// "%#v" with SortKeys, SpewKeys and DisableMethods. kube-controller-manager hashes that text into
// the pod-template-hash, so it must come out byte for byte the same; go-spew itself is not linked
// because its package initialisation costs time at every start of the binary.
//
// The format, in short: every value is preceded by its type in parentheses, "(v1.PodSpec)",
// except where spew leaves the type out (slice and array items, map keys and values, the value a
// pointer points to, whose type the pointer already gave). Structs are {Name:value ...}, slices
// [a b], maps map[k:v] in sorted key order, strings bare and unquoted, nil slices, maps and
// pointers <nil>; String and Error methods are never called, so a resource.Quantity or a
// metav1.Time prints as the struct it is, unexported fields included. spew's quirks are kept:
// after a nil pointer inside a slice or map, the type of the next value is left out, and a
// pointer already followed at a smaller depth (a cycle, or just a shared pointer) shows <shown>.
package hashtext

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Append appends the dump.ForHash text of v to dst and returns the extended slice.
//
// Map keys must be of a kind spew orders by value: booleans, numbers, strings, or arrays of
// those (k8s.io/api types only have string keys). spew would order other keys by their own
// formatting with methods enabled; Append panics on them instead of guessing.
func Append(dst []byte, v any) []byte {
	if v == nil {
		return append(dst, "(interface {})<nil>"...)
	}
	p := printer{buf: dst}
	p.value(reflect.ValueOf(v))
	return p.buf
}

// printer holds the state of one Append.
type printer struct {
	buf   []byte
	depth int // how many structs, slices, arrays and maps enclose the current value
	// omitType leaves the type out of the next value (spew's ignoreNextType). As in spew, only
	// printing a non-pointer value or meeting an interface clears it, so a nil pointer met with
	// the flag set passes it on to whatever is printed next.
	omitType bool
	// followed are the pointers followed so far with the depth each was met at, in order of
	// depth, which is all spew's cycle detection needs; see pointer.
	followed []followedPointer
}

type followedPointer struct {
	addr  uintptr
	depth int
}

// value prints v, which is never an interface other than a nil one (see unpack).
func (p *printer) value(v reflect.Value) {
	kind := v.Kind()
	switch kind {
	case reflect.Invalid:
		p.buf = append(p.buf, "<invalid>"...)
		return
	case reflect.Pointer:
		p.pointer(v)
		return
	}
	if !p.omitType {
		p.typeName("", v.Type())
	}
	p.omitType = false

	switch kind {
	case reflect.Bool:
		p.buf = strconv.AppendBool(p.buf, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.buf = strconv.AppendInt(p.buf, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		p.buf = strconv.AppendUint(p.buf, v.Uint(), 10)
	case reflect.Float32:
		p.buf = strconv.AppendFloat(p.buf, v.Float(), 'g', -1, 32)
	case reflect.Float64:
		p.buf = strconv.AppendFloat(p.buf, v.Float(), 'g', -1, 64)
	case reflect.Complex64:
		p.complex(v.Complex(), 32)
	case reflect.Complex128:
		p.complex(v.Complex(), 64)
	case reflect.String:
		p.buf = append(p.buf, v.String()...)
	case reflect.Interface:
		// Only a nil interface gets here; spew prints nothing for any other.
		if v.IsNil() {
			p.buf = append(p.buf, "<nil>"...)
		}
	case reflect.Slice:
		if v.IsNil() {
			p.buf = append(p.buf, "<nil>"...)
			return
		}
		p.items(v)
	case reflect.Array:
		p.items(v)
	case reflect.Map:
		if v.IsNil() {
			p.buf = append(p.buf, "<nil>"...)
			return
		}
		p.mapEntries(v)
	case reflect.Struct:
		p.fields(v)
	case reflect.Uintptr:
		p.address(uintptr(v.Uint()))
	case reflect.UnsafePointer, reflect.Chan, reflect.Func:
		p.address(v.Pointer())
	default:
		panic(fmt.Sprintf("hashtext: values of kind %s are not supported", kind))
	}
}

// unpack is the value inside v if v is a non-nil interface. The type of what an interface holds
// is always printed, even as an item of a slice or map.
func (p *printer) unpack(v reflect.Value) reflect.Value {
	if v.Kind() != reflect.Interface {
		return v
	}
	p.omitType = false
	if v.IsNil() {
		return v
	}
	return v.Elem()
}

// typeName prints "(" + stars + t + ")".
func (p *printer) typeName(stars string, t reflect.Type) {
	p.buf = append(p.buf, '(')
	p.buf = append(p.buf, stars...)
	p.buf = append(p.buf, t.String()...)
	p.buf = append(p.buf, ')')
}

// pointer prints a pointer as its type, "(*v1.Probe)", or where types are left out as "<*>",
// followed by what it points to: through any further pointers and interfaces down to a value,
// <nil>, or <shown> when a pointer leads back to one being followed further up.
func (p *printer) pointer(v reflect.Value) {
	if v.IsNil() && p.omitType {
		p.buf = append(p.buf, "<nil>"...)
		return
	}
	// Pointers met at this depth or deeper belong to values already printed: forget them.
	// followed is in order of depth, as entries are only added at the current depth after this.
	for len(p.followed) > 0 && p.followed[len(p.followed)-1].depth >= p.depth {
		p.followed = p.followed[:len(p.followed)-1]
	}

	var nilFound, cycleFound bool
	indirections := 0
	target := v
	for target.Kind() == reflect.Pointer {
		if target.IsNil() {
			nilFound = true
			break
		}
		addr := target.Pointer()
		if p.followedAbove(addr) {
			cycleFound = true
			break
		}
		indirections++
		p.followed = append(p.followed, followedPointer{addr, p.depth})
		target = target.Elem()
		if target.Kind() == reflect.Interface {
			if target.IsNil() {
				nilFound = true
				break
			}
			target = target.Elem()
		}
	}

	// target is the value pointed to, or the nil or already followed pointer (or nil interface)
	// the walk stopped at, whose own stars then count too.
	if !p.omitType {
		p.typeName(strings.Repeat("*", indirections), target.Type())
	} else {
		if nilFound || cycleFound {
			indirections += strings.Count(target.Type().String(), "*")
		}
		p.buf = append(p.buf, '<')
		p.buf = append(p.buf, strings.Repeat("*", indirections)...)
		p.buf = append(p.buf, '>')
	}

	switch {
	case nilFound:
		p.buf = append(p.buf, "<nil>"...)
	case cycleFound:
		p.buf = append(p.buf, "<shown>"...)
	default:
		p.omitType = true
		p.value(target)
	}
}

// followedAbove reports whether addr was followed at a depth above the current one. Like spew,
// this catches cycles, but also a pointer shared with a value printed earlier at a smaller depth.
func (p *printer) followedAbove(addr uintptr) bool {
	for _, f := range p.followed {
		if f.addr == addr && f.depth < p.depth {
			return true
		}
	}
	return false
}

// items prints the items of a slice or array: [a b c].
func (p *printer) items(v reflect.Value) {
	p.buf = append(p.buf, '[')
	p.depth++
	for i := range v.Len() {
		if i > 0 {
			p.buf = append(p.buf, ' ')
		}
		p.omitType = true
		p.value(p.unpack(v.Index(i)))
	}
	p.depth--
	p.buf = append(p.buf, ']')
}

// mapEntries prints a map's entries in the order of their keys: map[a:1 b:2].
func (p *printer) mapEntries(v reflect.Value) {
	p.buf = append(p.buf, "map["...)
	p.depth++
	keys := v.MapKeys()
	if len(keys) > 0 {
		if !orderedByValue(keys[0].Kind()) {
			panic(fmt.Sprintf("hashtext: map keys of type %s are not supported", keys[0].Type()))
		}
		slices.SortFunc(keys, compareKeys)
	}
	for i, key := range keys {
		if i > 0 {
			p.buf = append(p.buf, ' ')
		}
		p.omitType = true
		p.value(p.unpack(key))
		p.buf = append(p.buf, ':')
		p.omitType = true
		p.value(p.unpack(v.MapIndex(key)))
	}
	p.depth--
	p.buf = append(p.buf, ']')
}

// fields prints a struct's fields, exported or not: {A:(int)1 b:(string)x}.
func (p *printer) fields(v reflect.Value) {
	p.buf = append(p.buf, '{')
	p.depth++
	t := v.Type()
	for i := range v.NumField() {
		if i > 0 {
			p.buf = append(p.buf, ' ')
		}
		p.buf = append(p.buf, t.Field(i).Name...)
		p.buf = append(p.buf, ':')
		p.value(p.unpack(v.Field(i)))
	}
	p.depth--
	p.buf = append(p.buf, '}')
}

// complex prints (re+imi), the plus sign left out when the imaginary part brings its own sign
// (or is NaN).
func (p *printer) complex(c complex128, bits int) {
	p.buf = append(p.buf, '(')
	p.buf = strconv.AppendFloat(p.buf, real(c), 'g', -1, bits)
	if imag(c) >= 0 {
		p.buf = append(p.buf, '+')
	}
	p.buf = strconv.AppendFloat(p.buf, imag(c), 'g', -1, bits)
	p.buf = append(p.buf, "i)"...)
}

// address prints a pointer-sized value as 0x-prefixed lower-case hex, or <nil> for zero.
func (p *printer) address(a uintptr) {
	if a == 0 {
		p.buf = append(p.buf, "<nil>"...)
		return
	}
	p.buf = append(p.buf, "0x"...)
	p.buf = strconv.AppendUint(p.buf, uint64(a), 16)
}

// orderedByValue reports whether spew sorts map keys of this kind by their values (its
// canSortSimply); it sorts any other keys by their formatting, which Append does not reproduce.
func orderedByValue(k reflect.Kind) bool {
	switch k {
	case reflect.Bool, reflect.String, reflect.Array, reflect.Uintptr,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// compareKeys orders map keys as spew's valueSortLess does.
func compareKeys(a, b reflect.Value) int {
	switch {
	case keyLess(a, b):
		return -1
	case keyLess(b, a):
		return 1
	}
	return 0
}

// keyLess is spew's valueSortLess.
func keyLess(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Bool:
		return !a.Bool() && b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() < b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() < b.Uint()
	case reflect.Float32, reflect.Float64:
		return a.Float() < b.Float()
	case reflect.String:
		return a.String() < b.String()
	case reflect.Array:
		// The first item that differs decides; arrays that do not differ fall through.
		for i := range a.Len() {
			ai, bi := a.Index(i), b.Index(i)
			if ai.Interface() == bi.Interface() {
				continue
			}
			return keyLess(ai, bi)
		}
	}
	// Of two values of any other kind, reflect gives the same "<T Value>" for both.
	return a.String() < b.String()
}
