package httpapi

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
)

// schemaBuilder turns Go types from k8s.io/api and k8s.io/apimachinery into OpenAPI schemas, the
// way kube-openapi's generator does from the same types: one definition per struct, named after
// its package ("io.k8s.api.apps.v1.Deployment"), descriptions from the SwaggerDoc() methods
// generated from the types' comments, patch strategies from the struct tags, and the special
// types (Time, Quantity, IntOrString) described by their OpenAPISchemaType methods.
//
// A field is required when its json tag has no omitempty, which is the generator's rule for
// fields not marked +optional; the few +optional fields without omitempty come out required.
type schemaBuilder struct {
	v3   bool
	defs map[string]map[string]any
}

func newSchemaBuilder(v3 bool) *schemaBuilder {
	return &schemaBuilder{v3: v3, defs: map[string]map[string]any{}}
}

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	byteSliceType     = reflect.TypeFor[[]byte]()
)

// openAPITyped is what kube-openapi looks for on types that marshal themselves.
type openAPITyped interface {
	OpenAPISchemaType() []string
	OpenAPISchemaFormat() string
}

type openAPIV3OneOf interface {
	OpenAPIV3OneOfTypes() []string
}

// definitionName is kube-openapi's name for a Go type: the package path with its domain reversed.
func definitionName(t reflect.Type) string {
	parts := strings.Split(t.PkgPath(), "/")
	domain := strings.Split(parts[0], ".")
	for i, j := 0, len(domain)-1; i < j; i, j = i+1, j-1 {
		domain[i], domain[j] = domain[j], domain[i]
	}
	return strings.Join(append(append(domain, parts[1:]...), t.Name()), ".")
}

func (b *schemaBuilder) refPrefix() string {
	if b.v3 {
		return "#/components/schemas/"
	}
	return "#/definitions/"
}

// define makes sure t has a definition and returns its name.
func (b *schemaBuilder) define(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	name := definitionName(t)
	if _, ok := b.defs[name]; ok {
		return name
	}
	def := map[string]any{}
	b.defs[name] = def // registered before its fields, so a type that contains itself ends
	if doc := swaggerDoc(t)[""]; doc != "" {
		def["description"] = doc
	}
	if special := b.specialType(t); special != nil {
		for k, v := range special {
			def[k] = v
		}
		return name
	}
	def["type"] = "object"
	props := map[string]any{}
	var required []string
	b.addFields(t, props, &required)
	if len(props) > 0 {
		def["properties"] = props
	}
	if len(required) > 0 {
		sort.Strings(required)
		def["required"] = required
	}
	return name
}

// specialType describes a type that marshals itself: its declared OpenAPI type, or an object.
func (b *schemaBuilder) specialType(t reflect.Type) map[string]any {
	zero := reflect.New(t).Elem().Interface()
	if b.v3 {
		if one, ok := zero.(openAPIV3OneOf); ok {
			var alts []any
			for _, typ := range one.OpenAPIV3OneOfTypes() {
				alts = append(alts, map[string]any{"type": typ})
			}
			out := map[string]any{"oneOf": alts}
			if typed, ok := zero.(openAPITyped); ok && typed.OpenAPISchemaFormat() != "" {
				out["format"] = typed.OpenAPISchemaFormat()
			}
			return out
		}
	}
	if typed, ok := zero.(openAPITyped); ok {
		out := map[string]any{"type": typed.OpenAPISchemaType()[0]}
		if f := typed.OpenAPISchemaFormat(); f != "" {
			out["format"] = f
		}
		return out
	}
	if t.Kind() == reflect.Struct && (t.Implements(jsonMarshalerType) || reflect.PointerTo(t).Implements(jsonMarshalerType)) {
		return map[string]any{"type": "object"}
	}
	return nil
}

// addFields adds the json fields of struct t (inline structs flattened) to props.
func (b *schemaBuilder) addFields(t reflect.Type, props map[string]any, required *[]string) {
	docs := swaggerDoc(t)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				b.addFields(ft, props, required)
				continue
			}
		}
		if name == "" {
			name = f.Name
		}
		props[name] = b.property(f, docs[name])
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			*required = append(*required, name)
		}
	}
}

// property is the schema of one field, with its description and patch strategy.
func (b *schemaBuilder) property(f reflect.StructField, description string) map[string]any {
	s := b.use(f.Type)
	if ref, ok := s["$ref"]; ok && description != "" {
		if b.v3 {
			// kube-openapi v3 wraps a described reference in allOf, and gives non-pointer
			// structs a default of {}.
			s = map[string]any{"allOf": []any{map[string]any{"$ref": ref}}}
			if f.Type.Kind() == reflect.Struct && b.isObjectDef(ref.(string)) {
				s["default"] = map[string]any{}
			}
		} else {
			s = map[string]any{"$ref": ref}
		}
	}
	if description != "" {
		s["description"] = description
	}
	if strategy := f.Tag.Get("patchStrategy"); strategy != "" {
		s["x-kubernetes-patch-strategy"] = strategy
	}
	if key := f.Tag.Get("patchMergeKey"); key != "" {
		s["x-kubernetes-patch-merge-key"] = key
	}
	return s
}

func (b *schemaBuilder) isObjectDef(ref string) bool {
	def := b.defs[strings.TrimPrefix(ref, b.refPrefix())]
	return def["type"] == "object"
}

// use is the schema for a place where a value of type t appears.
func (b *schemaBuilder) use(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == byteSliceType {
		return map[string]any{"type": "string", "format": "byte"}
	}
	if t.Kind() == reflect.Struct && t.PkgPath() != "" {
		return map[string]any{"$ref": b.refPrefix() + b.define(t)}
	}
	if t.PkgPath() != "" && b.specialType(t) != nil { // a named non-struct with its own schema
		return map[string]any{"$ref": b.refPrefix() + b.define(t)}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int32, reflect.Int16, reflect.Int8, reflect.Uint16, reflect.Uint8:
		return map[string]any{"type": "integer", "format": "int32"}
	case reflect.Int, reflect.Int64, reflect.Uint, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Float32:
		return map[string]any{"type": "number", "format": "float"}
	case reflect.Float64:
		return map[string]any{"type": "number", "format": "double"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": b.use(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": b.use(t.Elem())}
	}
	return map[string]any{"type": "object"}
}

// swaggerDoc calls the type's generated SwaggerDoc method: "" is the type's own description,
// the other keys are json field names.
func swaggerDoc(t reflect.Type) map[string]string {
	m := reflect.New(t).Elem().MethodByName("SwaggerDoc")
	if !m.IsValid() || m.Type().NumIn() != 0 || m.Type().NumOut() != 1 {
		return nil
	}
	doc, _ := m.Call(nil)[0].Interface().(map[string]string)
	return doc
}
