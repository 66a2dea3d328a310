package printers

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
)

// kubectl get's tabwriter settings (cli-runtime printers.GetNewTabWriter).
// kubectl's fork of text/tabwriter only adds "remember widths" across
// flushes, which does not change a table printed in one flush.
const (
	getMinWidth = 6
	getTabWidth = 4
	getPadding  = 3
	getPadChar  = ' '
)

// column is one column definition as the API server's table printer declares it.
type column struct {
	name     string // as declared ("Nominated Node"); printed upper-cased
	priority int    // 0 always shown, 1 only with -o wide
	isName   bool   // the column kubectl prefixes with "kind/" when several types are printed
	// What the server's column definition says beyond the name and priority.
	typ         string // "string" or "integer"
	description string
	number      bool // the cell is an int64 in the server's rows
}

// Table says how one resource type becomes a table, both the one `kubectl get` prints and the
// meta.k8s.io Table the API server sends: its columns and its row function. Each resource's
// printer file offers one (PodTable, DeploymentTable…); the resource registry (engine/registry)
// attaches it to the resource's description and fills in Kind and Namespaced.
type Table struct {
	Kind       string // what kubectl writes before a name: "pod", "deployment.apps"
	Namespaced bool   // -A adds a NAMESPACE column
	columns    []column
	// cells returns one cell per column (wide columns included) for obj.
	cells func(obj runtime.Object, opts Options) ([]string, error)
	// conditions, when set, marks rows the way the server's printer does (finished pods).
	conditions func(obj runtime.Object) []metav1.TableRowCondition
}

// PrintTable writes one table for objects of a single resource type (all objects
// the same type), as `kubectl get <resource>` does. With no objects it writes
// nothing: the caller prints NoResourcesMessage to stderr instead.
func PrintTable(w io.Writer, spec Table, objs []runtime.Object, opts Options) error {
	if spec.cells == nil {
		return fmt.Errorf("no table printer for %s", spec.Kind)
	}
	if len(objs) == 0 {
		return nil // kubectl prints no header for an empty table
	}

	tw := tabwriter.NewWriter(w, getMinWidth, getTabWidth, getPadding, getPadChar, 0)
	if err := WriteTableLines(tw, spec, objs, opts); err != nil {
		return err
	}
	return tw.Flush()
}

// WriteTableLines writes what PrintTable prints as tab-separated lines, unaligned, for a caller
// that aligns them itself (kubectl get --watch aligns every event's row with the rows before).
func WriteTableLines(tw io.Writer, spec Table, objs []runtime.Object, opts Options) error {
	if spec.cells == nil {
		return fmt.Errorf("no table printer for %s", spec.Kind)
	}
	withNamespace := opts.AllNamespaces && spec.Namespaced

	if !opts.NoHeaders {
		var header []string
		if withNamespace {
			header = append(header, "NAMESPACE")
		}
		for _, c := range spec.columns {
			if c.priority == 0 || opts.Wide {
				header = append(header, strings.ToUpper(c.name))
			}
		}
		header = append(header, labelHeaders(opts.LabelColumns)...)
		if opts.ShowLabels {
			header = append(header, "LABELS")
		}
		fmt.Fprintln(tw, strings.Join(header, "\t"))
	}

	for _, obj := range objs {
		if isNilObject(obj) {
			return fmt.Errorf("cannot print a nil %s object", spec.Kind)
		}
		cells, err := spec.cells(obj, opts)
		if err != nil {
			return err
		}
		accessor, accErr := meta.Accessor(obj)
		var line []string
		if withNamespace {
			ns := ""
			if accErr == nil {
				ns = accessor.GetNamespace()
			}
			line = append(line, ns)
		}
		for i, c := range spec.columns {
			if c.priority != 0 && !opts.Wide {
				continue
			}
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			if c.isName && opts.WithKind {
				cell = spec.Kind + "/" + cell
			}
			line = append(line, sanitizeCell(cell))
		}
		var objLabels map[string]string
		if accErr == nil {
			objLabels = accessor.GetLabels()
		}
		for _, key := range opts.LabelColumns {
			line = append(line, sanitizeCell(objLabels[key]))
		}
		if opts.ShowLabels {
			line = append(line, sanitizeCell(labels.FormatLabels(objLabels)))
		}
		fmt.Fprintln(tw, strings.Join(line, "\t"))
	}
	return nil
}

// labelHeaders are the headers of -L columns: the label key's last path segment, upper-cased
// (cli-runtime v0.37.2 pkg/printers/tableprinter.go formatLabelHeaders).
func labelHeaders(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		parts := strings.Split(k, "/")
		out[i] = strings.ToUpper(parts[len(parts)-1])
	}
	return out
}

// Group is the objects of one resource type, for PrintGroups.
type Group struct {
	Table   Table
	Objects []runtime.Object
}

// PrintGroups prints one table per resource type, as `kubectl get all` or
// `kubectl get pods,services` do: names get a kind prefix when more than one
// type was requested, each table is aligned on its own, and a blank line
// separates tables that printed something. It reports whether anything was
// written; when nothing was, the caller prints NoResourcesMessage to stderr.
func PrintGroups(w io.Writer, groups []Group, opts Options) (bool, error) {
	if len(groups) > 1 {
		opts.WithKind = true
	}
	counter := &countingWriter{w: w}
	for _, g := range groups {
		if len(g.Objects) == 0 {
			continue
		}
		if counter.n > 0 && !opts.NoHeaders {
			if _, err := io.WriteString(counter, "\n"); err != nil {
				return true, err
			}
		}
		if err := PrintTable(counter, g.Table, g.Objects, opts); err != nil {
			return counter.n > 0, err
		}
	}
	return counter.n > 0, nil
}

// NoResourcesMessage is what kubectl get prints to stderr (not stdout) when
// it printed nothing. Pass namespace "" for cluster-scoped resources (nodes,
// namespaces), or use NoResourcesMessageFor.
func NoResourcesMessage(namespace string, allNamespaces bool) string {
	if allNamespaces || namespace == "" {
		return "No resources found"
	}
	return fmt.Sprintf("No resources found in %s namespace.", namespace)
}

// NoResourcesMessageFor is NoResourcesMessage for the resource types that were
// requested: kubectl names the namespace only when every type is namespaced.
func NoResourcesMessageFor(tables []Table, namespace string, allNamespaces bool) string {
	for _, t := range tables {
		if !t.Namespaced {
			return NoResourcesMessage("", allNamespaces)
		}
	}
	return NoResourcesMessage(namespace, allNamespaces)
}

// sanitizeCell does what cli-runtime does to a cell: cut it at the first line
// break (adding "...") and defuse terminal escape characters.
func sanitizeCell(s string) string {
	if i := strings.IndexAny(s, "\f\n\r"); i >= 0 {
		return escapeTerminal(s[:i]) + "..."
	}
	return escapeTerminal(s)
}

// escapeTerminal replaces the characters kubectl refuses to send to a terminal.
func escapeTerminal(s string) string {
	s = strings.ReplaceAll(s, "\x1b", "^[")
	return strings.ReplaceAll(s, "\r", `\r`)
}

// countingWriter remembers how many bytes went through it.
type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}
