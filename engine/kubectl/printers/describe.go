package printers

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// DescribeSeparator is what kubectl describe writes between two objects.
const DescribeSeparator = "\n\n"

// Indentation levels of kubectl's PrefixWriter: two spaces each.
const (
	level0 = iota
	level1
	level2
	level3
)

// maxAnnotationLen is where kubectl describe wraps and cuts annotations.
const maxAnnotationLen = 140

// lastAppliedAnnotation is the one annotation describe never shows.
const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// DescribeFunc writes what `kubectl describe <resource> <name>` prints for obj, fetching the
// related objects (events, pods, replicasets) through r. Each resource's describer file offers
// one (DescribePod, DescribeDeployment…), which the resource registry attaches to the resource.
type DescribeFunc func(w io.Writer, r Reader, obj runtime.Object, now time.Time) error

// DescribePod describes a pod.
func DescribePod(w io.Writer, r Reader, obj runtime.Object, now time.Time) error {
	return describeAs(w, r, obj, now, (*describer).pod)
}

// DescribeDeployment describes a deployment.
func DescribeDeployment(w io.Writer, r Reader, obj runtime.Object, now time.Time) error {
	return describeAs(w, r, obj, now, (*describer).deployment)
}

// DescribeReplicaSet describes a replica set.
func DescribeReplicaSet(w io.Writer, r Reader, obj runtime.Object, now time.Time) error {
	return describeAs(w, r, obj, now, (*describer).replicaSet)
}

// DescribeNode describes a node.
func DescribeNode(w io.Writer, r Reader, obj runtime.Object, now time.Time) error {
	return describeAs(w, r, obj, now, (*describer).node)
}

// DescribeService describes a service.
func DescribeService(w io.Writer, r Reader, obj runtime.Object, now time.Time) error {
	return describeAs(w, r, obj, now, (*describer).service)
}

// DescribeNamespace describes a namespace.
func DescribeNamespace(w io.Writer, r Reader, obj runtime.Object, now time.Time) error {
	return describeAs(w, r, obj, now, (*describer).namespace)
}

// describeAs runs one type's describer on obj, which must be of that type and not nil.
func describeAs[T runtime.Object](w io.Writer, r Reader, obj runtime.Object, now time.Time, describe func(*describer, T)) error {
	o, ok := obj.(T)
	if !ok {
		return fmt.Errorf("object of type %T is not a %T", obj, o)
	}
	if isNilObject(obj) {
		return fmt.Errorf("cannot describe a nil %T object", o)
	}
	d := newDescriber(r, now)
	describe(d, o)
	return d.writeTo(w)
}

// describer accumulates kubectl describe output: lines with tab-separated
// cells, aligned at the end by one tabwriter (minwidth 0, tab 8, padding 2)
// exactly as kubectl's tabbedString does.
type describer struct {
	r   Reader
	now time.Time
	buf bytes.Buffer
}

func newDescriber(r Reader, now time.Time) *describer {
	return &describer{r: r, now: now}
}

// write is PrefixWriter.Write: indent two spaces per level, then the formatted text.
func (d *describer) write(level int, format string, args ...any) {
	d.buf.WriteString(escapeTerminal(strings.Repeat("  ", level) + fmt.Sprintf(format, args...)))
}

// writeLine is PrefixWriter.WriteLine: the values and a newline, no indentation.
func (d *describer) writeLine(args ...any) {
	d.buf.WriteString(escapeTerminal(fmt.Sprintln(args...)))
}

func (d *describer) writeTo(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	if _, err := tw.Write(d.buf.Bytes()); err != nil {
		return err
	}
	return tw.Flush()
}

// labelsMultiline prints "Title:\tk=v" then one "\tk=v" line per further label, sorted.
func (d *describer) labelsMultiline(title string, m map[string]string) {
	d.write(level0, "%s:\t", title)
	if len(m) == 0 {
		d.writeLine("<none>")
		return
	}
	for i, key := range sortedKeys(m) {
		if i != 0 {
			d.write(level0, "\t")
		}
		d.write(level0, "%s=%s\n", key, m[key])
	}
}

// annotationsMultiline prints annotations as "key: value", wrapping long or
// multi-line values and leaving out kubectl's last-applied-configuration.
func (d *describer) annotationsMultiline(title string, m map[string]string) {
	d.write(level0, "%s:\t", title)
	var keys []string
	for _, k := range sortedKeys(m) {
		if k != lastAppliedAnnotation {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		d.writeLine("<none>")
		return
	}
	for i, key := range keys {
		if i != 0 {
			d.write(level0, "\t")
		}
		value := strings.TrimSuffix(m[key], "\n")
		if len(value)+len(key)+2 > maxAnnotationLen || strings.Contains(value, "\n") {
			d.write(level0, "%s:\n", key)
			for _, s := range strings.Split(value, "\n") {
				d.write(level0, "\t  %s\n", shorten(s, maxAnnotationLen-2))
			}
		} else {
			d.write(level0, "%s: %s\n", key, value)
		}
	}
}

func shorten(s string, max int) string {
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}

// tolerationsMultiline prints tolerations sorted by key, e.g.
// "node.kubernetes.io/not-ready:NoExecute op=Exists for 300s".
func (d *describer) tolerationsMultiline(title string, tolerations []corev1.Toleration) {
	d.write(level0, "%s:\t", title)
	if len(tolerations) == 0 {
		d.writeLine("<none>")
		return
	}
	sorted := append([]corev1.Toleration(nil), tolerations...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Key < sorted[j].Key })
	for i, t := range sorted {
		if i != 0 {
			d.write(level0, "\t")
		}
		d.write(level0, "%s", t.Key)
		if t.Value != "" {
			d.write(level0, "=%s", t.Value)
		}
		if t.Effect != "" {
			d.write(level0, ":%s", t.Effect)
		}
		// An "Exists" toleration without key and effect tolerates everything.
		if t.Operator == corev1.TolerationOpExists && t.Value == "" {
			if t.Key != "" || t.Effect != "" {
				d.write(level0, " op=Exists")
			} else {
				d.write(level0, "op=Exists")
			}
		}
		if t.TolerationSeconds != nil {
			d.write(level0, " for %ds", *t.TolerationSeconds)
		}
		d.write(level0, "\n")
	}
}

// taintsMultiline prints taints sorted by effect then key.
func (d *describer) taintsMultiline(title string, taints []corev1.Taint) {
	d.write(level0, "%s:\t", title)
	if len(taints) == 0 {
		d.writeLine("<none>")
		return
	}
	sorted := append([]corev1.Taint(nil), taints...)
	sort.SliceStable(sorted, func(i, j int) bool {
		return string(sorted[i].Effect)+","+sorted[i].Key < string(sorted[j].Effect)+","+sorted[j].Key
	})
	for i := range sorted {
		if i != 0 {
			d.write(level0, "\t")
		}
		d.write(level0, "%s\n", sorted[i].ToString())
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func stringOrNone(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}

func boolTitle(b bool) string {
	if b {
		return "True"
	}
	return "False"
}
