package printers

import (
	"io"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/fatih/camelcase"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// DescribeGeneric is kubectl's GenericDescriber (k8s.io/kubectl v0.37.2 pkg/describe/describe.go
// genericDescriber), which describes a kind kubectl has no describer for (an Event, a Lease):
// name, namespace, labels and annotations, then every field of the object as the API server
// returns it in JSON, sorted, with "smart" labels ("involvedObject" → "Involved Object"), and
// the object's events.
func DescribeGeneric(apiVersion, kind string) DescribeFunc {
	return func(w io.Writer, r Reader, obj runtime.Object, now time.Time) error {
		m, err := meta.Accessor(obj)
		if err != nil {
			return err
		}
		content, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
		if err != nil {
			return err
		}
		content["apiVersion"], content["kind"] = apiVersion, kind
		d := newDescriber(r, now)
		d.write(level0, "Name:\t%s\n", m.GetName())
		d.write(level0, "Namespace:\t%s\n", m.GetNamespace())
		d.labelsMultiline("Labels", m.GetLabels())
		d.annotationsMultiline("Annotations", m.GetAnnotations())
		d.unstructuredContent(level0, content, "", ".metadata.managedFields", ".metadata.name",
			".metadata.namespace", ".metadata.labels", ".metadata.annotations")
		d.events(d.searchEvents(eventRef{namespace: m.GetNamespace(), name: m.GetName(), kind: kind, uids: []types.UID{m.GetUID()}}))
		return d.writeTo(w)
	}
}

// unstructuredContent is describe.go's printUnstructuredContent.
func (d *describer) unstructuredContent(level int, content map[string]any, skipPrefix string, skip ...string) {
	fields := make([]string, 0, len(content))
	for field := range content {
		fields = append(fields, field)
	}
	sort.Strings(fields)
	for _, field := range fields {
		skipExpr := skipPrefix + "." + field
		if slices.Contains(skip, skipExpr) {
			continue
		}
		switch value := content[field].(type) {
		case map[string]any:
			d.write(level, "%s:\n", smartLabelFor(field))
			d.unstructuredContent(level+1, value, skipExpr, skip...)
		case []any:
			d.write(level, "%s:\n", smartLabelFor(field))
			for _, child := range value {
				if c, ok := child.(map[string]any); ok {
					d.unstructuredContent(level+1, c, skipExpr, skip...)
				} else {
					d.write(level+1, "%v\n", child)
				}
			}
		default:
			d.write(level, "%s:\t%v\n", smartLabelFor(field), value)
		}
	}
}

// smartLabelFor is describe.go's: a camelCase field name as words, acronyms in capitals
// ("resourceVersion" → "Resource Version", "uid" → "UID").
func smartLabelFor(field string) string {
	if strings.IndexFunc(field, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) != -1 {
		return field
	}
	commonAcronyms := []string{"API", "URL", "UID", "GUID"}
	parts := camelcase.Split(field)
	merged := make([]string, 0, len(parts))
	for i := 0; i < len(parts); i++ {
		part := parts[i]
		if i < len(parts)-1 {
			next := parts[i+1]
			allUpper := true
			for _, r := range part {
				if unicode.IsLetter(r) && !unicode.IsUpper(r) {
					allUpper = false
					break
				}
			}
			// Two or more capitals followed by a capitalised part are joined, as describe.go
			// joins them.
			if len(part) >= 2 && allUpper && next != "" && unicode.IsUpper(rune(next[0])) {
				merged = append(merged, part+next)
				i++
				continue
			}
		}
		merged = append(merged, part)
	}
	result := make([]string, 0, len(merged))
	for _, part := range merged {
		if part == "_" {
			continue
		}
		if slices.Contains(commonAcronyms, strings.ToUpper(part)) {
			part = strings.ToUpper(part)
		} else if strings.ToLower(part) == part {
			part = cases.Title(language.English).String(part)
		}
		result = append(result, part)
	}
	return strings.Join(result, " ")
}
