package kubectl

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/liggitt/tabwriter"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

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
	var rv int64 // where a real cluster's watch starts
	name := refs[0].name
	if name != "" {
		obj, err := k.client.Get(res.Name, ns, name)
		if err != nil {
			return err
		}
		initial = []runtime.Object{obj}
		rv, _ = strconv.ParseInt(objResourceVersion(obj), 10, 64)
		fsel = fields.OneTermEqualSelector("metadata.name", name)
	} else {
		objs, listRV, err := k.client.List(res.Name, ns, apiserver.ListOptions{LabelSelector: sel, FieldSelector: fsel})
		if err != nil {
			return err
		}
		initial, rv = objs, listRV
	}
	p := &watchPrinter{k: k, o: o, res: res, tmpl: tmpl,
		tw: tabwriter.NewWriter(s.Out, 6, 4, 3, ' ', tabwriter.RememberWidths)}
	if !o.watchOnly {
		for _, obj := range initial {
			if err := p.print(obj); err != nil {
				return fmt.Errorf("unable to output the provided object: %v", err)
			}
		}
	}
	if k.cluster == nil {
		return k.watchRemote(p, ns, apiserver.ListOptions{LabelSelector: sel, FieldSelector: fsel, ResourceVersion: rv}, initial, s)
	}
	// Nothing changes in the miniature until it is stepped: a watch opened now starts where the
	// list was read.
	w, err := k.cluster.API().Watch(res.Name, ns, apiserver.ListOptions{LabelSelector: sel, FieldSelector: fsel})
	if err != nil {
		return err
	}
	defer w.Stop()
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

// watchRemote is get --watch on a real cluster, which moves by itself, once the listed objects
// (initial) are printed: every change the server sends from the list's resourceVersion, as the
// miniature's watch prints them, until k8slearn stops (nothing changed for the Remote's quiet, or
// its patience passed) and says so where a real kubectl keeps waiting.
func (k *Kubectl) watchRemote(p *watchPrinter, ns string, opts apiserver.ListOptions, initial []runtime.Object, s Streams) error {
	watcher, ok := k.client.(remoteWatcher)
	if !ok {
		return k.errNeedsMiniature("get --watch")
	}
	f := &remoteWatch{k: k, watcher: watcher, resource: p.res.Name, ns: ns, opts: opts, seen: map[string]string{}}
	for _, obj := range initial {
		f.saw(obj)
	}
	done := make(chan struct{})
	changes := make(chan runtime.Object)
	var feedErr error
	go func() {
		defer close(changes)
		feedErr = f.feed(changes, done)
	}()
	end, err := followRemote(k, changes, p.print)
	close(done)
	for range changes { // the feeder stops its watch and ends
	}
	if err != nil {
		return err
	}
	if end == followEnded {
		return feedErr
	}
	k.sayFollowStopped(end, "kubectl.watch_quiet_real", "get --watch", s)
	return nil
}

// remoteWatch feeds a real cluster's changes to watchRemote. A watch the server closes after
// changes is opened again from the last one; one that says the version is gone (410, as after
// etcd's compaction) is listed again, and what changed meanwhile printed. The versions seen keep
// an object from being printed twice (a watch's first events, a list after a watch).
type remoteWatch struct {
	k        *Kubectl
	watcher  remoteWatcher
	resource string
	ns       string
	opts     apiserver.ListOptions
	seen     map[string]string // namespace/name: the resourceVersion last printed or listed
}

func (f *remoteWatch) saw(obj runtime.Object) (changed bool) {
	m, err := meta.Accessor(obj)
	if err != nil {
		return true
	}
	key := m.GetNamespace() + "/" + m.GetName()
	changed = f.seen[key] != m.GetResourceVersion()
	f.seen[key] = m.GetResourceVersion()
	return changed
}

// feed sends the changes until done closes, or the watch ends: the server closed it without a
// change (a real kubectl v0.37.2 ends silently then, pkg/cmd/get/get.go ignoring
// UntilWithoutRetry's ErrWatchClosed), or failed.
func (f *remoteWatch) feed(out chan<- runtime.Object, done <-chan struct{}) error {
	send := func(obj runtime.Object) bool {
		select {
		case out <- obj:
			return true
		case <-done:
			return false
		}
	}
	for {
		w, err := f.watcher.Watch(f.resource, f.ns, f.opts)
		if err != nil {
			return err
		}
		events, gone, err := f.drain(w, send, done)
		w.Stop()
		switch {
		case err != nil:
			return err
		case gone:
			objs, rv, err := f.k.client.List(f.resource, f.ns, apiserver.ListOptions{LabelSelector: f.opts.LabelSelector, FieldSelector: f.opts.FieldSelector})
			if err != nil {
				return err
			}
			for _, obj := range objs {
				if f.saw(obj) && !send(obj) {
					return nil
				}
			}
			f.opts.ResourceVersion = rv
		case events == 0:
			return nil
		}
	}
}

// drain sends one watch's changes until it closes (gone: with a 410 Expired or Gone), done
// closes, or the server sends another error.
func (f *remoteWatch) drain(w watch.Interface, send func(runtime.Object) bool, done <-chan struct{}) (events int, gone bool, err error) {
	for {
		var ev watch.Event
		var ok bool
		select {
		case ev, ok = <-w.ResultChan():
		case <-done:
			return events, false, nil
		}
		if !ok {
			return events, false, nil
		}
		if ev.Type == watch.Error {
			err := apierrors.FromObject(ev.Object)
			if apierrors.IsResourceExpired(err) || apierrors.IsGone(err) {
				return events, true, nil
			}
			return events, false, err
		}
		if rv, perr := strconv.ParseInt(objResourceVersion(ev.Object), 10, 64); perr == nil {
			f.opts.ResourceVersion = rv
		}
		events++
		if ev.Type == watch.Deleted {
			if m, merr := meta.Accessor(ev.Object); merr == nil {
				delete(f.seen, m.GetNamespace()+"/"+m.GetName())
			}
		} else if !f.saw(ev.Object) {
			continue // already printed: a watch's first events repeat what was listed
		}
		if !send(ev.Object) {
			return events, false, nil
		}
	}
}
