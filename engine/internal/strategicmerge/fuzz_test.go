package strategicmerge

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// FuzzApply decodes an object and a patch from the fuzz input and holds Apply to the library
// on them, with one of the test schemas: same result or same error, and never a panic. Inputs
// the library itself panics on are skipped.
func FuzzApply(f *testing.F) {
	types := schemas()
	for _, c := range applyCases() {
		f.Add(uint8(schemaIndex(types, c.schema)), []byte(c.original), []byte(c.patch))
	}
	f.Fuzz(func(t *testing.T, schema uint8, originalDoc, patchDoc []byte) {
		original, err := decodeObject(originalDoc)
		if err != nil {
			return
		}
		patch, err := decodeObject(patchDoc)
		if err != nil {
			return
		}
		if _, diff, _ := compare(original, patch, types[int(schema)%len(types)]); diff != "" {
			t.Errorf("original %s\npatch %s\nschema %T\n%s", originalDoc, patchDoc, types[int(schema)%len(types)], diff)
		}
	})
}

// schemaIndex is the position in types of a value of the same type as schema.
func schemaIndex(types []any, schema any) int {
	for i, s := range types {
		if reflect.TypeOf(s) == reflect.TypeOf(schema) {
			return i
		}
	}
	panic("unknown schema type")
}

// FuzzApplyGenerated is FuzzApply for the inputs byte mutations of JSON rarely reach: the fuzz
// bytes choose an object shaped by the schema's Go type (with some junk), then a patch for it
// (its fields, its list items by merge key, directives naming its lists), so most inputs merge
// deep into the object and combine merge keys, directives and orders in some new way.
func FuzzApplyGenerated(f *testing.F) {
	types := schemas()
	f.Add([]byte{0, 5, 2, 1, 7, 3, 6, 9, 5, 2, 5, 1, 8, 6, 2, 4, 1, 7})
	f.Add([]byte("deployment strategy retainKeys and setElementOrder of containers"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &generator{data: data, wanted: map[reflect.Type]bool{}}
		schema := types[g.next()%len(types)]
		st := reflect.TypeOf(schema).Elem()
		original, _ := g.forType(st, "", 0).(map[string]any)
		patch, _ := g.patchFor(original, st, "", 0).(map[string]any)
		if original == nil || patch == nil {
			return
		}
		if _, diff, _ := compare(original, patch, schema); diff != "" {
			t.Errorf("original %v\npatch %v\nschema %T\n%s", original, patch, schema, diff)
		}
	})
}

// generator builds JSON values from fuzz bytes, one choice per byte (zero when they run out).
type generator struct {
	data []byte
	// wanted caches which struct types lead to a field with a patch strategy.
	wanted map[reflect.Type]bool
}

var generatedWords = []string{"a", "b", "c", "d", "delete", "replace", "merge", "name"}

func (g *generator) next() int {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return int(b)
}

func (g *generator) word() string { return generatedWords[g.next()%len(generatedWords)] }

// jsonField is a field of a struct as JSON names it.
type jsonField struct {
	name     string
	typ      reflect.Type
	mergeKey string
	tagged   bool // has a patchStrategy
}

// fieldsOf lists the JSON fields of struct type t, embedded structs included.
func fieldsOf(t reflect.Type) []jsonField {
	var fields []jsonField
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" || !sf.IsExported() {
			continue
		}
		if sf.Anonymous && name == "" && deref(sf.Type).Kind() == reflect.Struct {
			fields = append(fields, fieldsOf(deref(sf.Type))...)
			continue
		}
		if name == "" {
			name = sf.Name
		}
		_, tagged := sf.Tag.Lookup("patchStrategy")
		fields = append(fields, jsonField{name, sf.Type, sf.Tag.Get("patchMergeKey"), tagged})
	}
	return fields
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// leadsToStrategy reports whether a value of type t can hold a field with a patch strategy.
func (g *generator) leadsToStrategy(t reflect.Type) bool {
	t = deref(t)
	if t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = deref(t.Elem())
	}
	if t.Kind() != reflect.Struct {
		return false
	}
	if wanted, ok := g.wanted[t]; ok {
		return wanted
	}
	g.wanted[t] = false // until shown otherwise; types refer to themselves
	for _, f := range fieldsOf(t) {
		if f.tagged || g.leadsToStrategy(f.typ) {
			g.wanted[t] = true
			break
		}
	}
	return g.wanted[t]
}

// pickField picks a field of struct type t, mostly one that leads to a patch strategy.
func (g *generator) pickField(t reflect.Type) (jsonField, bool) {
	fields := fieldsOf(t)
	if len(fields) == 0 {
		return jsonField{}, false
	}
	if g.next()%4 != 0 {
		var wanted []jsonField
		for _, f := range fields {
			if f.tagged || g.leadsToStrategy(f.typ) {
				wanted = append(wanted, f)
			}
		}
		if len(wanted) > 0 {
			fields = wanted
		}
	}
	return fields[g.next()%len(fields)], true
}

// forType is a value for Go type t; mergeKey, for list items, is set on objects.
func (g *generator) forType(t reflect.Type, mergeKey string, depth int) any {
	t = deref(t)
	if g.next()%24 == 0 || depth > 10 {
		return g.junk()
	}
	switch t.Kind() {
	case reflect.Struct:
		m := map[string]any{}
		for n := g.next()%3 + 1; n > 0; n-- {
			if f, ok := g.pickField(t); ok {
				m[f.name] = g.forField(f, depth+1)
			}
		}
		if len(fieldsOf(t)) == 0 {
			return g.word() // Time, Quantity, IntOrString and the like are strings in JSON
		}
		if mergeKey != "" {
			m[mergeKey] = g.word()
		}
		return m
	case reflect.Map:
		m := map[string]any{}
		for n := g.next() % 3; n > 0; n-- {
			m[g.word()] = g.forType(t.Elem(), "", depth+1)
		}
		return m
	case reflect.Slice, reflect.Array:
		list := []any{}
		for n := g.next() % 5; n > 0; n-- {
			list = append(list, g.forType(t.Elem(), mergeKey, depth+1))
		}
		return list
	case reflect.String:
		return g.word()
	case reflect.Bool:
		return g.next()%2 == 0
	case reflect.Float32, reflect.Float64:
		return float64(g.next()%3) + 0.5
	}
	return int64(g.next() % 4)
}

func (g *generator) forField(f jsonField, depth int) any {
	return g.forType(f.typ, f.mergeKey, depth)
}

// junk is a value of any shape.
func (g *generator) junk() any {
	switch g.next() % 6 {
	case 0:
		return nil
	case 1:
		return int64(g.next() % 3)
	case 2:
		return map[string]any{g.word(): g.word()}
	case 3:
		return []any{g.word(), g.word()}
	}
	return g.word()
}

// patchFor is a patch for the value v of Go type t: mostly changes to what v has.
func (g *generator) patchFor(v any, t reflect.Type, mergeKey string, depth int) any {
	t = deref(t)
	if g.next()%16 == 0 || depth > 10 {
		return g.junk()
	}
	switch v := v.(type) {
	case map[string]any:
		if t.Kind() == reflect.Struct {
			return g.objectPatch(v, t, depth)
		}
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			return g.listPatch(v, t.Elem(), mergeKey, depth)
		}
	}
	return g.forType(t, mergeKey, depth)
}

func (g *generator) objectPatch(m map[string]any, t reflect.Type, depth int) map[string]any {
	byName := map[string]jsonField{}
	for _, f := range fieldsOf(t) {
		byName[f.name] = f
	}
	keys := slices.Sorted(maps.Keys(m))
	patch := map[string]any{}
	for n := g.next() % 4; n > 0; n-- {
		var f jsonField
		if len(keys) > 0 && g.next()%3 != 0 {
			f = byName[keys[g.next()%len(keys)]]
		} else if picked, ok := g.pickField(t); ok {
			f = picked
		}
		if f.name == "" {
			continue
		}
		switch g.next() % 8 {
		case 0:
			patch[f.name] = nil
		case 1:
			patch[f.name] = g.forField(f, depth+1)
		default:
			patch[f.name] = g.patchFor(m[f.name], f.typ, f.mergeKey, depth+1)
		}
	}
	for _, key := range keys {
		list, ok := m[key].([]any)
		if !ok {
			continue
		}
		switch g.next() % 4 {
		case 0:
			patch["$setElementOrder/"+key] = g.order(list, patch[key], byName[key].mergeKey)
		case 1:
			patch["$deleteFromPrimitiveList/"+key] = g.subset(list)
		}
	}
	switch g.next() % 12 {
	case 0:
		retain := []any{}
		for _, k := range slices.Concat(keys, slices.Sorted(maps.Keys(patch))) {
			if g.next()%4 != 0 {
				retain = append(retain, k)
			}
		}
		patch["$retainKeys"] = retain
	case 1:
		patch["$patch"] = g.word()
	}
	return patch
}

func (g *generator) listPatch(list []any, item reflect.Type, mergeKey string, depth int) []any {
	patch := []any{}
	for n := g.next() % 5; n > 0; n-- {
		var current any
		if len(list) > 0 {
			current = list[g.next()%len(list)]
		}
		switch g.next() % 12 {
		case 0, 1:
			patch = append(patch, map[string]any{"$patch": "delete", mergeKey: g.keyOf(current, mergeKey)})
		case 2:
			patch = append(patch, map[string]any{"$patch": g.word()})
		case 3, 4:
			patch = append(patch, g.forType(item, mergeKey, depth+1))
		default:
			p := g.patchFor(current, item, "", depth+1)
			if m, ok := p.(map[string]any); ok && mergeKey != "" {
				m[mergeKey] = g.keyOf(current, mergeKey)
			}
			patch = append(patch, p)
		}
	}
	return patch
}

// order is a $setElementOrder list for a list and its patch: their items or merge keys, a few
// left out, shuffled a little.
func (g *generator) order(list []any, patch any, mergeKey string) []any {
	all := slices.Clone(list)
	if p, ok := patch.([]any); ok {
		all = append(all, p...)
	}
	order := []any{}
	for _, item := range all {
		if g.next()%5 == 0 {
			continue
		}
		if m, ok := item.(map[string]any); ok {
			if _, directive := m["$patch"]; directive {
				continue
			}
			item = map[string]any{mergeKey: m[mergeKey]}
		}
		order = append(order, item)
	}
	for i := range order {
		if g.next()%3 == 0 {
			j := g.next() % len(order)
			order[i], order[j] = order[j], order[i]
		}
	}
	return order
}

func (g *generator) subset(list []any) []any {
	out := []any{}
	for _, item := range list {
		if g.next()%2 == 0 {
			out = append(out, item)
		}
	}
	return out
}

// keyOf is the merge key of item, or a generated one.
func (g *generator) keyOf(item any, mergeKey string) any {
	if m, ok := item.(map[string]any); ok {
		if key, ok := m[mergeKey]; ok && g.next()%8 != 0 {
			return key
		}
	}
	return g.word()
}
