package kubectl

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
)

type getOptions struct {
	namespaceFlags
	output        string
	selector      string
	fieldSelector string
	showLabels    bool
	noHeaders     bool
	labelColumns  []string
	sortBy        string
	watch         bool
	watchOnly     bool
}

func (k *Kubectl) newGet(s Streams) *cobra.Command {
	o := &getOptions{}
	c := &cobra.Command{
		Use:   "get [(-o|--output=)json|yaml|name|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags]",
		Short: "Display one or many resources",
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				fmt.Fprint(s.ErrOut, "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\n")
				return fmt.Errorf("Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples")
			}
			return k.get(o, args, s)
		},
	}
	o.add(c, true)
	c.Flags().StringVarP(&o.output, "output", "o", "", "Output format. One of: (json, yaml, name, wide).")
	c.Flags().StringVarP(&o.selector, "selector", "l", "", "Selector (label query) to filter on.")
	c.Flags().StringVar(&o.fieldSelector, "field-selector", "", "Selector (field query) to filter on.")
	c.Flags().BoolVar(&o.showLabels, "show-labels", false, "When printing, show all labels as the last column.")
	c.Flags().BoolVar(&o.noHeaders, "no-headers", false, "When using the default or custom-column output format, don't print headers.")
	o.addReadFlags(c)
	return c
}

func (k *Kubectl) get(o *getOptions, args []string, s Streams) error {
	if err := o.validateRead(s); err != nil {
		return err
	}
	tmpl, err := k.outputPrinter(o.output, o.noHeaders)
	if err != nil {
		return err
	}
	refs, err := k.parseResourceArgs(args)
	if err != nil {
		return err
	}
	warnDeprecated(refs, s)
	var sel labels.Selector
	if o.selector != "" {
		if sel, err = labels.Parse(o.selector); err != nil {
			return fmt.Errorf("unable to parse requirement: %w", err)
		}
	}
	var fsel fields.Selector
	if o.fieldSelector != "" {
		if fsel, err = fields.ParseSelector(o.fieldSelector); err != nil {
			return err
		}
	}
	if o.watch || o.watchOnly {
		return k.watch(o, tmpl, refs, sel, fsel, s)
	}
	// Collect objects per type, in argument order; errors for missing names are printed after
	// what was found, as kubectl does.
	var groups []printers.Group
	var all []runtime.Object
	var tables []printers.Table
	var notFound []error
	index := map[*apiserver.Resource]int{}
	for _, ref := range refs {
		i, seen := index[ref.res]
		if !seen {
			i = len(groups)
			index[ref.res] = i
			groups = append(groups, printers.Group{Table: ref.res.Table})
			tables = append(tables, ref.res.Table)
		}
		if ref.name != "" {
			obj, err := k.client.Get(ref.res.Name, o.ns(ref.res), ref.name)
			if err != nil {
				notFound = append(notFound, err)
				continue
			}
			ref.res.SetTypeMeta(obj) // -o yaml and -o json print apiVersion and kind
			groups[i].Objects = append(groups[i].Objects, obj)
			all = append(all, obj)
			continue
		}
		objs, _, err := k.client.List(ref.res.Name, o.ns(ref.res), apiserver.ListOptions{LabelSelector: sel, FieldSelector: fsel})
		if err != nil {
			return err
		}
		for _, obj := range objs {
			ref.res.SetTypeMeta(obj)
		}
		groups[i].Objects = append(groups[i].Objects, objs...)
		all = append(all, objs...)
	}
	human := o.output == "" || o.output == "wide"
	if o.sortBy != "" {
		if human {
			for _, g := range groups { // kubectl sorts each type's table on its own
				if err := sortObjects(g.Objects, o.sortBy, true); err != nil {
					return err
				}
			}
		} else if err := sortObjects(all, o.sortBy, false); err != nil {
			return err
		}
	}
	opts := printers.Options{Wide: o.output == "wide", AllNamespaces: o.allNamespaces, ShowLabels: o.showLabels,
		LabelColumns: o.labelColumns, NoHeaders: o.noHeaders, Now: k.now()}
	// Only a request for exactly one named object prints that object; anything else prints a
	// List, even of one item, as kubectl's singleItemImplied decides.
	single := len(refs) == 1 && refs[0].name != ""
	var out bytes.Buffer
	switch {
	case tmpl != nil:
		err = printTemplate(&out, tmpl, all, single && len(all) == 1, len(notFound) > 0)
	case o.output == "yaml":
		if single && len(all) == 1 {
			err = printers.PrintYAML(&out, all)
		} else if len(all) > 0 || len(notFound) == 0 {
			err = printers.PrintYAMLList(&out, all)
		}
	case o.output == "json":
		if single && len(all) == 1 {
			err = printers.PrintJSON(&out, all)
		} else if len(all) > 0 || len(notFound) == 0 {
			err = printers.PrintJSONList(&out, all)
		}
	case o.output == "name":
		for _, g := range groups {
			if err = printers.PrintNames(&out, g.Table.Kind, g.Objects); err != nil {
				break
			}
		}
	default:
		_, err = printers.PrintGroups(&out, groups, opts)
	}
	if err != nil {
		return err
	}
	s.Out.Write(out.Bytes())
	if len(all) == 0 && len(notFound) == 0 && (o.output == "" || o.output == "wide" || o.output == "name") {
		fmt.Fprintln(s.ErrOut, printers.NoResourcesMessageFor(tables, o.namespace, o.allNamespaces))
	}
	for _, e := range notFound {
		fmt.Fprintln(s.ErrOut, StandardErrorMessage(e))
	}
	if len(notFound) > 0 {
		return ExitError{Code: 1}
	}
	return nil
}

func (k *Kubectl) newDescribe(s Streams) *cobra.Command {
	o := &namespaceFlags{}
	var selector string
	var showEvents bool
	c := &cobra.Command{
		Use:   "describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)",
		Short: "Show details of a specific resource or group of resources",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return fmt.Errorf("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n")
			}
			refs, err := k.parseResourceArgs(args)
			if err != nil {
				return err
			}
			warnDeprecated(refs, s)
			var sel labels.Selector
			if selector != "" {
				if sel, err = labels.Parse(selector); err != nil {
					return err
				}
			}
			// What kubectl's builder finds (k8s.io/kubectl v0.37.2 pkg/cmd/describe/describe.go
			// Run): the named objects and the listed ones; a name not found is an error, and
			// with exactly TYPE NAME it becomes a prefix (DescribeMatchingResources).
			type found struct {
				res *apiserver.Resource
				obj runtime.Object
			}
			var objs []found
			var failed []error
			for _, ref := range refs {
				if ref.name == "" {
					all, _, err := k.client.List(ref.res.Name, o.ns(ref.res), apiserver.ListOptions{LabelSelector: sel})
					if err != nil {
						return err
					}
					for _, obj := range all {
						objs = append(objs, found{ref.res, obj})
					}
					continue
				}
				obj, err := k.client.Get(ref.res.Name, o.ns(ref.res), ref.name)
				if err != nil {
					failed = append(failed, err)
					continue
				}
				objs = append(objs, found{ref.res, obj})
			}
			// Events only for a single object found as named, unless --show-events says.
			if (len(failed) > 0 || len(objs) > 1) && !cmd.Flags().Changed("show-events") {
				showEvents = false
			}
			r := reader{c: k.client, noEvents: !showEvents}
			now := k.now()
			if len(failed) > 0 && len(args) == 2 && len(refs) == 1 && apierrors.IsNotFound(failed[0]) {
				ref := refs[0]
				all, _, err := k.client.List(ref.res.Name, o.ns(ref.res), apiserver.ListOptions{})
				if err != nil {
					return err
				}
				matched := false
				for _, obj := range all {
					if hasPrefix(obj, ref.name) {
						matched = true
						if err := describeOne(s.Out, ref.res, r, obj, now); err != nil {
							return err
						}
						fmt.Fprintln(s.Out)
					}
				}
				if !matched {
					return failed[0]
				}
				return nil
			}
			for i, f := range objs {
				if i > 0 {
					fmt.Fprint(s.Out, printers.DescribeSeparator)
				}
				if err := describeOne(s.Out, f.res, r, f.obj, now); err != nil {
					return err
				}
			}
			if len(objs) == 0 && len(failed) == 0 {
				fmt.Fprintln(s.ErrOut, printers.NoResourcesMessageFor([]printers.Table{refs[0].res.Table}, o.namespace, false))
			}
			for _, e := range failed {
				fmt.Fprintln(s.ErrOut, StandardErrorMessage(e))
			}
			if len(failed) > 0 {
				return ExitError{Code: 1}
			}
			return nil
		},
	}
	o.add(c, true)
	c.Flags().StringVarP(&selector, "selector", "l", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.")
	c.Flags().BoolVar(&showEvents, "show-events", true, "If true, display events related to the described object. Defaults to true for a single object, false for multiple objects and prefix matching.")
	return c
}

func describeOne(w io.Writer, res *apiserver.Resource, r reader, obj runtime.Object, now time.Time) error {
	if res.Describe == nil {
		// kubectl's DescriberFn error for a kind without a describer.
		return fmt.Errorf("no description has been implemented for %s", res.KindName())
	}
	return res.Describe(w, r, obj, now)
}

func hasPrefix(obj runtime.Object, prefix string) bool {
	name := objName(obj)
	return len(name) >= len(prefix) && name[:len(prefix)] == prefix
}
