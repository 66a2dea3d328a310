package kubectl

import (
	"errors"
	"fmt"
	"io"

	"github.com/liggitt/tabwriter"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
)

// maxWatchSteps bounds how long a watch drives the control plane, so a cluster that never
// settles cannot hang the sandbox.
const maxWatchSteps = 1_000_000

// watch is kubectl get --watch / --watch-only (k8s.io/kubectl v0.37.2 pkg/cmd/get/get.go, watch):
// the current objects (unless --watch-only), then every change. A real kubectl waits for changes
// until Ctrl-C; in the sandbox nothing changes unless the control plane is stepped, so the watch
// steps it, printing each change as it happens, until the cluster is idle.
func (k *Kubectl) watch(o *getOptions, tmpl templatePrinter, refs []resourceRef, sel labels.Selector, fsel fields.Selector, s Streams) error {
	if k.cluster == nil {
		return k.errNeedsMiniature("get --watch")
	}
	res := refs[0].res
	for _, r := range refs[1:] {
		if r.res != res {
			return errors.New("you may only specify a single resource type")
		}
	}
	if len(refs) > 1 {
		return fmt.Errorf("watch is only supported on individual resources and resource collections - %d resources were found", len(refs))
	}
	warnDeprecated(refs, s)
	ns := o.ns(res)
	var initial []runtime.Object
	name := refs[0].name
	if name != "" {
		obj, err := k.client.Get(res.Name, ns, name)
		if err != nil {
			return err
		}
		initial = []runtime.Object{obj}
		fsel = fields.OneTermEqualSelector("metadata.name", name)
	} else {
		objs, _, err := k.client.List(res.Name, ns, apiserver.ListOptions{LabelSelector: sel, FieldSelector: fsel})
		if err != nil {
			return err
		}
		initial = objs
	}
	w, err := k.cluster.API().Watch(res.Name, ns, apiserver.ListOptions{LabelSelector: sel, FieldSelector: fsel})
	if err != nil {
		return err
	}
	defer w.Stop()

	p := &watchPrinter{k: k, o: o, res: res, tmpl: tmpl,
		tw: tabwriter.NewWriter(s.Out, 6, 4, 3, ' ', tabwriter.RememberWidths)}
	if !o.watchOnly {
		for _, obj := range initial {
			if err := p.print(obj); err != nil {
				return fmt.Errorf("unable to output the provided object: %v", err)
			}
		}
	}
	for range maxWatchSteps {
		if _, ok := k.cluster.Step(); !ok {
			break
		}
		for _, ev := range w.Drain() {
			if err := p.print(ev.Object); err != nil {
				return err
			}
		}
	}
	fmt.Fprintln(s.ErrOut, k.t("kubectl.watch_idle", nil))
	return nil
}

// watchPrinter prints one object at a time as kubectl's watch does: a table row aligned with
// the rows before it (the header once), or the object through -o yaml/json/name/jsonpath/
// custom-columns.
type watchPrinter struct {
	k       *Kubectl
	o       *getOptions
	res     *apiserver.Resource
	tmpl    templatePrinter
	tw      *tabwriter.Writer
	printed int
}

func (p *watchPrinter) print(obj runtime.Object) error {
	p.res.SetTypeMeta(obj)
	defer func() { p.printed++ }()
	var w io.Writer = p.tw
	defer p.tw.Flush()
	switch {
	case p.o.output == "" || p.o.output == "wide":
		opts := printers.Options{Wide: p.o.output == "wide", AllNamespaces: p.o.allNamespaces,
			ShowLabels: p.o.showLabels, LabelColumns: p.o.labelColumns,
			NoHeaders: p.o.noHeaders || p.printed > 0, Now: p.k.now()}
		return printers.WriteTableLines(w, p.res.Table, []runtime.Object{obj}, opts)
	case p.tmpl != nil:
		doc, err := unstructuredDoc(obj)
		if err != nil {
			return err
		}
		if cc, ok := p.tmpl.(*customColumnsPrinter); ok {
			return cc.lines(w, doc, !cc.noHeaders && p.printed == 0)
		}
		return p.tmpl.print(w, doc)
	case p.o.output == "yaml":
		if p.printed > 0 {
			io.WriteString(w, "---\n")
		}
		return printers.PrintYAML(w, []runtime.Object{obj})
	case p.o.output == "json":
		return printers.PrintJSON(w, []runtime.Object{obj})
	default: // name
		return printers.PrintNames(w, p.res.Table.Kind, []runtime.Object{obj})
	}
}
