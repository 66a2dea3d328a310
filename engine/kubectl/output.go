package kubectl

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/util/jsonpath"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// allowedOutputFormats is what kubectl get's -o accepts, sorted as its NoCompatiblePrinterError
// prints them (k8s.io/kubectl v0.37.2 pkg/cmd/get/get_flags.go, cli-runtime print_flags.go).
const allowedOutputFormats = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml"

// templatePrinter prints objects through a template: jsonpath or custom columns. It is what
// kubectl get uses for -o jsonpath=…, -o jsonpath-as-json=…, -o jsonpath-file=…,
// -o custom-columns=… and -o custom-columns-file=….
type templatePrinter interface {
	print(w io.Writer, doc any) error
}

// outputPrinter parses -o. It returns nil for the formats get prints itself (table, wide, yaml,
// json, name), a templatePrinter for the template formats, or kubectl's error.
func (k *Kubectl) outputPrinter(output string, noHeaders bool) (templatePrinter, error) {
	format, value, hasValue := strings.Cut(output, "=")
	switch format {
	case "", "wide", "yaml", "json", "name":
		if !hasValue {
			return nil, nil
		}
	case "jsonpath", "jsonpath-as-json", "jsonpath-file":
		if value == "" {
			return nil, errors.New("template format specified but no template given")
		}
		if format == "jsonpath-file" {
			data, err := fs.ReadFile(k.files, value)
			if err != nil {
				return nil, fmt.Errorf("error reading --template %s, %v", value, err)
			}
			value = string(data)
		}
		return newJSONPathPrinter(value, format == "jsonpath-as-json")
	case "custom-columns", "custom-columns-file":
		if value == "" {
			return nil, errors.New("custom-columns format specified but no custom columns given")
		}
		if format == "custom-columns-file" {
			data, err := fs.ReadFile(k.files, value)
			if err != nil {
				return nil, fmt.Errorf("error reading template %s, %v\n", value, err)
			}
			return customColumnsFromTemplate(data)
		}
		return customColumnsFromSpec(value, noHeaders)
	case "go-template", "go-template-file", "template", "templatefile", "kyaml":
		return nil, missingOutputError{format: format}
	}
	return nil, fmt.Errorf("unable to match a printer suitable for the output format %q, allowed formats are: %s", output, allowedOutputFormats)
}

// missingOutputError is a real kubectl output format the sandbox does not print.
type missingOutputError struct{ format string }

func (e missingOutputError) Error() string {
	return "output format " + e.format + " is not in the sandbox"
}

// jsonPathPrinter is cli-runtime v0.37.2 pkg/printers/jsonpath.go with kubectl get's defaults
// (missing keys allowed).
type jsonPathPrinter struct {
	raw string
	jp  *jsonpath.JSONPath
}

func newJSONPathPrinter(tmpl string, asJSON bool) (*jsonPathPrinter, error) {
	jp := jsonpath.New("out").AllowMissingKeys(true)
	if err := jp.Parse(tmpl); err != nil {
		return nil, fmt.Errorf("error parsing jsonpath %s, %v", tmpl, err)
	}
	jp.EnableJSONOutput(asJSON)
	return &jsonPathPrinter{raw: tmpl, jp: jp}, nil
}

func (p *jsonPathPrinter) print(w io.Writer, doc any) error {
	var out bytes.Buffer
	if err := p.jp.Execute(&out, doc); err != nil {
		var buf bytes.Buffer
		fmt.Fprintf(&buf, "Error executing template: %v. Printing more information for debugging the template:\n", err)
		fmt.Fprintf(&buf, "\ttemplate was:\n\t\t%v\n", p.raw)
		fmt.Fprintf(&buf, "\tobject given to jsonpath engine was:\n\t\t%#v\n\n", doc)
		return fmt.Errorf("error executing jsonpath %q: %v\n", p.raw, buf.String())
	}
	_, err := w.Write(out.Bytes())
	return err
}

// column is one custom column: its header and its jsonpath.
type customColumn struct{ header, fieldSpec string }

// customColumnsPrinter is kubectl v0.37.2 pkg/cmd/get/customcolumn.go.
type customColumnsPrinter struct {
	columns   []customColumn
	noHeaders bool
}

// jsonRegexp and relaxedJSONPath are kubectl's RelaxedJSONPathExpression: "a.b", ".a.b",
// "{a.b}" and "{.a.b}" all mean "{.a.b}".
var jsonRegexp = regexp.MustCompile(`^\{\.?([^{}]+)\}$|^\.?([^{}]+)$`)

func relaxedJSONPath(expr string) (string, error) {
	if expr == "" {
		return expr, nil
	}
	m := jsonRegexp.FindStringSubmatch(expr)
	if m == nil {
		return "", errors.New("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'")
	}
	if m[1] != "" {
		return "{." + m[1] + "}", nil
	}
	return "{." + m[2] + "}", nil
}

func customColumnsFromSpec(spec string, noHeaders bool) (*customColumnsPrinter, error) {
	parts := strings.Split(spec, ",")
	p := &customColumnsPrinter{noHeaders: noHeaders}
	for _, part := range parts {
		header, expr, ok := strings.Cut(part, ":")
		if !ok {
			return nil, fmt.Errorf("unexpected custom-columns spec: %s, expected <header>:<json-path-expr>", part)
		}
		field, err := relaxedJSONPath(expr)
		if err != nil {
			return nil, err
		}
		p.columns = append(p.columns, customColumn{header: header, fieldSpec: field})
	}
	return p, nil
}

func customColumnsFromTemplate(data []byte) (*customColumnsPrinter, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	if !sc.Scan() {
		return nil, errors.New("invalid template, missing header line. Expected format is one line of space separated headers, one line of space separated column specs.")
	}
	headers := strings.Fields(sc.Text())
	if !sc.Scan() {
		return nil, errors.New("invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs.")
	}
	specs := strings.Fields(sc.Text())
	if len(headers) != len(specs) {
		return nil, fmt.Errorf("number of headers (%d) and field specifications (%d) don't match", len(headers), len(specs))
	}
	p := &customColumnsPrinter{}
	for i := range headers {
		field, err := relaxedJSONPath(specs[i])
		if err != nil {
			return nil, err
		}
		p.columns = append(p.columns, customColumn{header: headers[i], fieldSpec: field})
	}
	return p, nil
}

func (p *customColumnsPrinter) print(w io.Writer, doc any) error {
	var out bytes.Buffer
	tw := tabwriter.NewWriter(&out, 6, 4, 3, ' ', 0)
	if err := p.lines(tw, doc, !p.noHeaders); err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(out.Bytes())
	return err
}

// lines writes the header (if asked) and one row per object of doc (a List's items, or doc
// itself) as tab-separated lines, for the caller's tabwriter to align.
func (p *customColumnsPrinter) lines(w io.Writer, doc any, header bool) error {
	parsers := make([]*jsonpath.JSONPath, len(p.columns))
	for i, c := range p.columns {
		parsers[i] = jsonpath.New(fmt.Sprintf("column%d", i)).AllowMissingKeys(true)
		if err := parsers[i].Parse(c.fieldSpec); err != nil {
			return err
		}
	}
	if header {
		headers := make([]string, len(p.columns))
		for i, c := range p.columns {
			headers[i] = c.header
		}
		fmt.Fprintln(w, strings.Join(headers, "\t"))
	}
	items := []any{doc}
	if m, ok := doc.(map[string]any); ok && m["kind"] == "List" {
		items, _ = m["items"].([]any)
	}
	for _, item := range items {
		cells := make([]string, len(parsers))
		for i, parser := range parsers {
			values, err := parser.FindResults(item)
			if err != nil {
				return err
			}
			var strs []string
			if len(values) == 0 || len(values[0]) == 0 {
				strs = append(strs, "<none>")
			}
			for _, vs := range values {
				for _, v := range vs {
					strs = append(strs, escapeTerminal(fmt.Sprint(v.Interface())))
				}
			}
			cells[i] = strings.Join(strs, ",")
		}
		fmt.Fprintln(w, strings.Join(cells, "\t"))
	}
	return nil
}

// escapeTerminal is cli-runtime's printers.EscapeTerminal.
func escapeTerminal(s string) string {
	return strings.NewReplacer("\x1b", "^[", "\r", `\r`).Replace(s)
}

// unstructuredDoc is an object as kubectl's unstructured builder holds it: generic JSON data with
// integers as int64, which is what jsonpath, custom columns and --sort-by see.
func unstructuredDoc(obj runtime.Object) (map[string]any, error) {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// listDoc is the List kubectl get prints objects in when more than one was asked for.
func listDoc(objs []runtime.Object) (map[string]any, error) {
	items := make([]any, 0, len(objs))
	for _, obj := range objs {
		m, err := unstructuredDoc(obj)
		if err != nil {
			return nil, err
		}
		items = append(items, m)
	}
	return map[string]any{"apiVersion": "v1", "kind": "List", "items": items,
		"metadata": map[string]any{"resourceVersion": ""}}, nil
}

// sortObjects sorts objs by a --sort-by jsonpath as kubectl v0.37.2 pkg/cmd/get/sorter.go does:
// objects without the field first, integers and quantities by value, other strings (timestamps)
// as text. asTable selects the human-readable path's errors (TableSorter) over the generic
// printer's (SortObjects). The sort is sort.Sort, as kubectl's, so ties come out as kubectl's.
func sortObjects(objs []runtime.Object, sortBy string, asTable bool) error {
	field, err := relaxedJSONPath(sortBy)
	if err != nil {
		if !asTable {
			return err
		}
		field = sortBy
	}
	parser := jsonpath.New("sorting").AllowMissingKeys(true)
	if err := parser.Parse(field); err != nil {
		if asTable {
			return fmt.Errorf("sorting error: %v", err)
		}
		return err
	}
	if len(objs) == 0 || (!asTable && len(objs) == 1) {
		return nil
	}
	values := make([]reflect.Value, len(objs))
	found := make([]bool, len(objs))
	foundOnce := false
	for i, obj := range objs {
		doc, err := unstructuredDoc(obj)
		if err != nil {
			return err
		}
		res, err := parser.FindResults(doc)
		if err != nil {
			return err
		}
		if len(res) > 0 && len(res[0]) > 0 {
			values[i], found[i], foundOnce = res[0][0], true, true
		}
	}
	if !foundOnce {
		return fmt.Errorf("couldn't find any field with path %q in the list of objects", field)
	}
	s := &objectSort{objs: objs, values: values, found: found}
	sort.Sort(s)
	if s.err != nil {
		// kubectl exits through klog.Exitf, naming the sorter's rows' Go type.
		typ, line := "[][][]reflect.Value", 375
		if !asTable {
			typ, line = "*unstructured.Unstructured", 329
		}
		return klogExit{at: fmt.Sprintf("sorter.go:%d", line),
			msg: fmt.Sprintf("Field %s in %s is an unsortable type: %s, err: %v", field, typ, s.errKind, s.err)}
	}
	return nil
}

// klogExit is an error kubectl reports through klog.Exitf: a klog line, exit status 1.
type klogExit struct{ at, msg string }

func (e klogExit) Error() string { return e.msg }

type objectSort struct {
	objs    []runtime.Object
	values  []reflect.Value
	found   []bool
	err     error
	errKind string
}

func (s *objectSort) Len() int { return len(s.objs) }
func (s *objectSort) Swap(i, j int) {
	s.objs[i], s.objs[j] = s.objs[j], s.objs[i]
	s.values[i], s.values[j] = s.values[j], s.values[i]
	s.found[i], s.found[j] = s.found[j], s.found[i]
}
func (s *objectSort) Less(i, j int) bool {
	if !s.found[i] {
		return true
	}
	if !s.found[j] {
		return false
	}
	less, err := isLess(s.values[i], s.values[j])
	if err != nil && s.err == nil {
		s.err, s.errKind = err, s.values[i].Kind().String()
	}
	return less
}

// isLess is sorter.go's isLess for the values generic JSON data holds.
func isLess(i, j reflect.Value) (bool, error) {
	if i.Kind() == reflect.Interface && j.Kind() == reflect.Interface {
		switch {
		case i.IsNil() && j.IsNil():
			return false, nil
		case i.IsNil():
			return true, nil
		case j.IsNil():
			return false, nil
		}
	}
	switch a := i.Interface().(type) {
	case int64:
		if b, ok := j.Interface().(int64); ok {
			return a < b, nil
		}
	case float64:
		if b, ok := j.Interface().(float64); ok {
			return a < b, nil
		}
	case bool:
		// kubectl has no case for bool: it is an unsortable type.
		return false, fmt.Errorf("unsortable type: %T", a)
	case string:
		if b, ok := j.Interface().(string); ok {
			qa, errA := resource.ParseQuantity(a)
			qb, errB := resource.ParseQuantity(b)
			if errA != nil || errB != nil {
				return a < b, nil
			}
			return qa.Cmp(qb) < 0, nil
		}
	default:
		return false, fmt.Errorf("unsortable type: %T", a)
	}
	return false, fmt.Errorf("unsortable interface: %v", i.Kind())
}

// warnDeprecated prints the API server's deprecation warning for each type of refs, once each, as
// kubectl's warning handler prints them (deduplicated, "Warning: " on stderr).
func warnDeprecated(refs []resourceRef, s Streams) {
	seen := map[*apiserver.Resource]bool{}
	for _, r := range refs {
		if seen[r.res] {
			continue
		}
		seen[r.res] = true
		if msg := r.res.DeprecationWarning(); msg != "" {
			fmt.Fprintf(s.ErrOut, "Warning: %s\n", msg)
		}
	}
}

// addReadFlags adds get's flags for sorting, label columns and watching.
func (o *getOptions) addReadFlags(c *cobra.Command) {
	c.Flags().StringSliceVarP(&o.labelColumns, "label-columns", "L", nil, "Accepts a comma separated list of labels that are going to be presented as columns. Names are case-sensitive. You can also use multiple flag options like -L label1 -L label2...")
	c.Flags().StringVar(&o.sortBy, "sort-by", "", "If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string.")
	c.Flags().BoolVarP(&o.watch, "watch", "w", false, "After listing/getting the requested object, watch for changes.")
	c.Flags().BoolVar(&o.watchOnly, "watch-only", false, "Watch for changes to the requested object(s), without listing/getting first.")
}

// validateRead is the part of kubectl get's Complete and Validate that concerns these flags
// (k8s.io/kubectl v0.37.2 pkg/cmd/get/get.go).
func (o *getOptions) validateRead(s Streams) error {
	switch {
	case o.watch && o.sortBy != "":
		fmt.Fprintf(s.ErrOut, "warning: --watch requested, --sort-by will be ignored for watch events received\n")
	case o.watchOnly && o.sortBy != "":
		fmt.Fprintf(s.ErrOut, "warning: --watch-only requested, --sort-by will be ignored\n")
	}
	if o.showLabels && o.output != "" && o.output != "wide" {
		return fmt.Errorf("--show-labels option cannot be used with %s printer", o.output)
	}
	if len(o.labelColumns) > 0 && strings.HasPrefix(o.output, "custom-columns") {
		return fmt.Errorf("--label-columns option cannot be used with %s printer", o.output)
	}
	return nil
}

// printTemplate prints objects through -o jsonpath or custom-columns: the object itself when
// exactly one was named, else a List of them (kubectl get's printGeneric).
func printTemplate(w io.Writer, p templatePrinter, objs []runtime.Object, single, hadErrors bool) error {
	var doc map[string]any
	var err error
	switch {
	case single:
		doc, err = unstructuredDoc(objs[0])
	case len(objs) > 0 || !hadErrors:
		doc, err = listDoc(objs)
	default:
		return nil
	}
	if err != nil {
		return err
	}
	return p.print(w, doc)
}
