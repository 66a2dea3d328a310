package validation

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
)

// podSpecDiff renders the difference between two pod specs in the layout of
// go-cmp's report ("  core.PodSpec{", "- " old lines, "+ " new lines, runs
// of equal fields collapsed). Values are shown as JSON. It is a stable
// stand-in for cmp.Diff, whose exact output cannot be reproduced.
func podSpecDiff(oldSpec, newSpec corev1.PodSpec) string {
	var b strings.Builder
	b.WriteString("  core.PodSpec{\n")
	diffStruct(&b, reflect.ValueOf(oldSpec), reflect.ValueOf(newSpec), 1)
	b.WriteString("  }\n")
	return b.String()
}

// diffStruct writes one line per changed field, descending into structs,
// non-nil pointers to structs and equally long slices.
func diffStruct(b *strings.Builder, oldV, newV reflect.Value, depth int) {
	indent := strings.Repeat("\t", depth)
	same := 0
	flushSame := func() {
		if same > 0 {
			fmt.Fprintf(b, "  %s... // %d identical %s\n", indent, same, plural(same, "field", "fields"))
			same = 0
		}
	}
	t := oldV.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		o, n := oldV.Field(i), newV.Field(i)
		if apiequality.Semantic.DeepEqual(o.Interface(), n.Interface()) {
			same++
			continue
		}
		flushSame()
		diffValue(b, f.Name+": ", o, n, depth)
	}
	flushSame()
}

func diffValue(b *strings.Builder, label string, o, n reflect.Value, depth int) {
	indent := strings.Repeat("\t", depth)
	switch {
	case o.Kind() == reflect.Struct && canDescend(o.Type()):
		fmt.Fprintf(b, "  %s%s{\n", indent, label)
		diffStruct(b, o, n, depth+1)
		fmt.Fprintf(b, "  %s},\n", indent)
	case o.Kind() == reflect.Pointer && !o.IsNil() && !n.IsNil() && o.Elem().Kind() == reflect.Struct && canDescend(o.Elem().Type()):
		fmt.Fprintf(b, "  %s%s&{\n", indent, label)
		diffStruct(b, o.Elem(), n.Elem(), depth+1)
		fmt.Fprintf(b, "  %s},\n", indent)
	case o.Kind() == reflect.Slice && o.Len() == n.Len() && o.Len() > 0 && o.Type().Elem().Kind() == reflect.Struct:
		fmt.Fprintf(b, "  %s%s{\n", indent, label)
		for i := 0; i < o.Len(); i++ {
			oi, ni := o.Index(i), n.Index(i)
			if apiequality.Semantic.DeepEqual(oi.Interface(), ni.Interface()) {
				fmt.Fprintf(b, "  %s\t{...},\n", indent)
				continue
			}
			diffValue(b, "", oi, ni, depth+1)
		}
		fmt.Fprintf(b, "  %s},\n", indent)
	default:
		fmt.Fprintf(b, "- %s%s%s,\n", indent, label, jsonValue(o))
		fmt.Fprintf(b, "+ %s%s%s,\n", indent, label, jsonValue(n))
	}
}

// canDescend: structs with custom JSON (quantities, times) are shown whole.
func canDescend(t reflect.Type) bool {
	_, custom := reflect.New(t).Interface().(json.Marshaler)
	return !custom && t.NumField() > 0
}

func jsonValue(v reflect.Value) string {
	out, err := json.Marshal(v.Interface())
	if err != nil {
		return fmt.Sprintf("%#v", v.Interface())
	}
	return string(out)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
