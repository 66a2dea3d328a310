package kubectl

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"strings"
	"text/template"

	wordwrap "github.com/mitchellh/go-wordwrap"
	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/k8slearn/k8slearn/engine/httpapi"
)

// explainPlaintext is kubectl's own template for explain's output, copied unchanged from
// k8s.io/kubectl v0.37.2 pkg/explain/v2/templates/plaintext.tmpl.
//
//go:embed templates/explain_plaintext.tmpl
var explainPlaintext string

// newExplain is k8s.io/kubectl v0.37.2 pkg/cmd/explain: the OpenAPI v3 schema the API server
// serves (engine/httpapi builds it from the Go types), rendered through kubectl's template.
func (k *Kubectl) newExplain(s Streams) *cobra.Command {
	var recursive bool
	var maxDepth int
	var apiVersion, output string
	c := &cobra.Command{
		Use:   "explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2]",
		Short: "Get documentation for a resource",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New("You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n")
			}
			if len(args) > 1 {
				return errors.New("We accept only this format: explain RESOURCE\n")
			}
			if maxDepth > 0 && !recursive {
				return errors.New("--max-depth requires --recursive")
			}
			if maxDepth < 0 {
				return errors.New("--max-depth must be non-negative")
			}
			if output == "plaintext-openapiv2" {
				return missingOutputError{format: output}
			}
			gvr, fields, err := k.explainTarget(args[0])
			if err != nil {
				return err
			}
			if apiVersion != "" {
				gv, err := schema.ParseGroupVersion(apiVersion)
				if err != nil {
					return err
				}
				gvr.Group, gvr.Version = gv.Group, gv.Version
			}
			doc, ok, err := httpapi.OpenAPIV3(k.reg.All(), gvr.Group, gvr.Version)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("couldn't find resource for \"%v\"", gvr)
			}
			if output != "plaintext" {
				return fmt.Errorf("unrecognized format: %s", output)
			}
			// Written as it renders, as kubectl does: an unknown field is found after KIND and
			// VERSION are printed.
			if err := renderExplain(s.Out, doc, gvr, fields, recursive, maxDepth); err != nil {
				var ee explainError
				if errors.As(err, &ee) {
					return ee
				}
				return err
			}
			return nil
		},
	}
	c.Flags().BoolVar(&recursive, "recursive", false, "When true, print the name of all the fields recursively. Otherwise, print the available fields with their description.")
	c.Flags().IntVar(&maxDepth, "max-depth", 0, "Limit the depth of recursive printing. Only valid with --recursive. 0 means no limit.")
	c.Flags().StringVar(&apiVersion, "api-version", "", "Use given api-version (group/version) of the resource.")
	c.Flags().StringVarP(&output, "output", "o", "plaintext", "Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2).")
	return c
}

// explainTarget splits "deployments.apps.spec.replicas" or "deploy.spec" into the resource and
// the field path, as kubectl's SplitAndParseResourceRequestWithMatchingPrefix does: a
// "resource.group" prefix is the resource, else the first segment is.
func (k *Kubectl) explainTarget(arg string) (schema.GroupVersionResource, []string, error) {
	parts := strings.Split(arg, ".")
	if parts[0] == "" {
		return schema.GroupVersionResource{}, nil, errors.New("invalid jsonpath syntax, first node must be field node")
	}
	res, err := k.resolve(parts[0])
	if err != nil {
		return schema.GroupVersionResource{}, nil, err
	}
	gvr := schema.GroupVersionResource{Group: res.Group, Version: res.Version, Resource: res.Name}
	rest := parts[1:]
	if gr := res.GroupResource().String(); strings.HasPrefix(arg, gr) {
		rest = strings.Split(strings.TrimPrefix(strings.TrimPrefix(arg, gr), "."), ".")
		if len(rest) == 1 && rest[0] == "" {
			rest = nil
		}
	}
	for _, f := range rest {
		if f == "" {
			return schema.GroupVersionResource{}, nil, errors.New("invalid jsonpath syntax, all nodes must be field nodes")
		}
	}
	return gvr, rest, nil
}

// explainContext is kubectl's v2 TemplateContext.
type explainContext struct {
	GVR       schema.GroupVersionResource
	Document  map[string]any
	Recursive bool
	MaxDepth  int
	FieldPath []string
}

// explainError is an error the template throws; kubectl prints its text as it is.
type explainError string

func (e explainError) Error() string { return string(e) }

func renderExplain(out io.Writer, doc map[string]any, gvr schema.GroupVersionResource, fields []string, recursive bool, maxDepth int) error {
	tmpl := template.New("plaintext")
	tmpl = tmpl.Funcs(explainFuncs(tmpl))
	if _, err := tmpl.Parse(explainPlaintext); err != nil {
		return fmt.Errorf("error parsing builtin templates. Please file a bug on GitHub: %w", err)
	}
	return tmpl.Execute(out, explainContext{GVR: gvr, Document: doc, Recursive: recursive, MaxDepth: maxDepth, FieldPath: fields})
}

// explainFuncs are the template's functions, as k8s.io/kubectl v0.37.2 pkg/explain/v2/funcs.go
// defines them (WithBuiltinTemplateFuncs).
func explainFuncs(tmpl *template.Template) template.FuncMap {
	listItem := func(list any, last bool) (any, error) {
		if list == nil {
			return nil, errors.New("list is empty")
		}
		switch reflect.TypeOf(list).Kind() {
		case reflect.Slice, reflect.Array:
			v := reflect.ValueOf(list)
			if v.Len() == 0 {
				return nil, errors.New("list is empty")
			}
			if last {
				return v.Index(v.Len() - 1).Interface(), nil
			}
			return v.Index(0).Interface(), nil
		}
		if last {
			return nil, fmt.Errorf("last cannot be used on type: %T", list)
		}
		return nil, fmt.Errorf("first cannot be used on type: %T", list)
	}
	return template.FuncMap{
		"throw": func(e string, args ...any) (string, error) {
			return "", explainError(fmt.Sprintf(e, args...))
		},
		"toJson": func(obj any) (string, error) {
			res, err := json.Marshal(obj)
			return string(res), err
		},
		"toPrettyJson": func(obj any) (string, error) {
			res, err := json.MarshalIndent(obj, "", "    ")
			return string(res), err
		},
		"fail": func(message string) (string, error) { return "", errors.New(message) },
		// kubectl's term.NewWordWrapWriter: go-wordwrap's WrapString.
		"wrap":  func(l int, s string) (string, error) { return wordwrap.WrapString(s, uint(l)), nil },
		"split": strings.Split,
		"join":  func(sep string, strs ...string) string { return strings.Join(strs, sep) },
		"include": func(name string, data any) (string, error) {
			var buf bytes.Buffer
			if err := tmpl.ExecuteTemplate(&buf, name, data); err != nil {
				return "", err
			}
			return buf.String(), nil
		},
		"ternary": func(a, b any, condition bool) any {
			if condition {
				return a
			}
			return b
		},
		"first": func(list any) (any, error) { return listItem(list, false) },
		"last":  func(list any) (any, error) { return listItem(list, true) },
		"indent": func(amount int, str string) string {
			pad := strings.Repeat(" ", amount)
			return pad + strings.ReplaceAll(str, "\n", "\n"+pad)
		},
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, errors.New("expected even # of arguments")
			}
			res := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				key, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("key of type %T is not a string as expected", key)
				}
				res[key] = kv[i+1]
			}
			return res, nil
		},
		"contains": func(list any, value any) bool {
			if list == nil {
				return false
			}
			v := reflect.ValueOf(list)
			if v.Kind() != reflect.Slice {
				return false // kubectl's switch leaves arrays out too
			}
			for i := 0; i < v.Len(); i++ {
				if cur := v.Index(i); cur.CanInterface() && reflect.DeepEqual(cur.Interface(), value) {
					return true
				}
			}
			return false
		},
		"set": func(dict map[string]any, kv ...any) (any, error) {
			if len(kv)%2 != 0 {
				return nil, errors.New("expected even number of arguments")
			}
			out := make(map[string]any, len(dict))
			for k, v := range dict {
				out[k] = v
			}
			for i := 0; i < len(kv); i += 2 {
				key, ok := kv[i].(string)
				if !ok {
					return nil, errors.New("keys must be strings")
				}
				out[key] = kv[i+1]
			}
			return out, nil
		},
		"list": func(values ...any) ([]any, error) { return values, nil },
		"add":  func(value, operand int) int { return value + operand },
		"sub":  func(value, operand int) int { return value - operand },
		"mul":  func(value, operand int) int { return value * operand },
		"resolveRef": func(refAny any, document map[string]any) map[string]any {
			refString, ok := refAny.(string)
			if !ok {
				return nil
			}
			// kubectl parses it with go-openapi/jsonreference and follows only fragment-only
			// references ("#/components/schemas/…"); net/url does the same parse without
			// linking go-openapi's package inits into every start of the program.
			if !strings.HasPrefix(refString, "#") {
				return nil
			}
			u, err := url.Parse(refString)
			if err != nil {
				return nil
			}
			cur := document
			for _, key := range strings.Split(u.Fragment, "/") {
				if key == "" {
					continue
				}
				next, ok := cur[key].(map[string]any)
				if !ok {
					return nil
				}
				cur = next
			}
			return cur
		},
	}
}
