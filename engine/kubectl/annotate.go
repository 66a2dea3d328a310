package kubectl

// kubectl annotate, as k8s.io/kubectl v0.37.2 pkg/cmd/annotate/annotate.go, with the argument
// parsing of pkg/cmd/util/helpers.go (GetResourcesAndPairs, ParsePairs).

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// resourcesAndPairs splits "TYPE NAME k=v k2-" into resources and pairs; every resource comes
// first (GetResourcesAndPairs).
func resourcesAndPairs(args []string, pairType string) (resources, pairs []string, err error) {
	foundPair := false
	for _, s := range args {
		pair := (strings.Contains(s, "=") && s[0] != '=') || (strings.HasSuffix(s, "-") && s != "-")
		switch {
		case pair:
			foundPair = true
			pairs = append(pairs, s)
		case foundPair:
			return nil, nil, fmt.Errorf("all resources must be specified before %s changes: %s", pairType, s)
		default:
			resources = append(resources, s)
		}
	}
	return resources, pairs, nil
}

// parsePairs reads "KEY=VALUE" (set) and "KEY-" (remove) (ParsePairs).
func parsePairs(pairArgs []string, pairType string) (set map[string]string, remove []string, err error) {
	set = map[string]string{}
	var invalid []string
	for _, p := range pairArgs {
		switch {
		case strings.Contains(p, "=") && p[0] != '=':
			k, v, _ := strings.Cut(p, "=")
			set[k] = v
		case strings.HasSuffix(p, "-") && p != "-":
			remove = append(remove, p[:len(p)-1])
		default:
			invalid = append(invalid, p)
		}
	}
	if len(invalid) > 0 {
		return nil, nil, fmt.Errorf("invalid %s format: %s", pairType, strings.Join(invalid, ", "))
	}
	return set, remove, nil
}

func (k *Kubectl) newAnnotate(s Streams) *cobra.Command {
	var ns namespaceFlags
	var overwrite, all, list bool
	var selector, dryRun string
	c := &cobra.Command{
		Use:   "annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]",
		Short: "Update the annotations on a resource",
		RunE: func(cmd *cobra.Command, args []string) error {
			dry, err := k.dryRunStrategy(cmd, dryRun, s)
			if err != nil {
				return err
			}
			resArgs, pairArgs, err := resourcesAndPairs(args, "annotation")
			if err != nil {
				return err
			}
			set, remove, err := parsePairs(pairArgs, "annotation")
			if err != nil {
				return err
			}
			if all && selector != "" {
				return errors.New("cannot set --all and --selector at the same time")
			}
			if len(resArgs) < 1 {
				return errors.New("one or more resources must be specified as <resource> <name> or <resource>/<name>")
			}
			if len(set) < 1 && len(remove) < 1 && !list {
				return errors.New("at least one annotation update is required")
			}
			var both []string
			for _, r := range remove {
				if _, ok := set[r]; ok {
					both = append(both, r)
				}
			}
			if len(both) > 0 {
				return fmt.Errorf("can not both modify and remove the following annotation(s) in the same command: %s", strings.Join(both, ", "))
			}
			targets, err := k.namedTargets(resArgs, ns.namespace, all || selector != "", selector)
			if err != nil {
				return err
			}
			update := func(o runtime.Object) error {
				m, err := meta.Accessor(o)
				if err != nil {
					return err
				}
				if !overwrite {
					if err := noAnnotationOverwrites(m.GetAnnotations(), set); err != nil {
						return err
					}
				}
				a := m.GetAnnotations()
				if a == nil {
					a = map[string]string{}
				}
				for key, v := range set {
					a[key] = v
				}
				for _, key := range remove {
					delete(a, key)
				}
				m.SetAnnotations(a)
				return nil
			}
			for _, t := range targets {
				var out runtime.Object
				if dry == dryRunClient || list {
					obj, err := k.client.Get(t.res.Name, ns.ns(t.res), t.name)
					if err != nil {
						return err
					}
					if err := update(obj); err != nil {
						return err
					}
					out = obj
				} else if out, err = k.writer(dry).Mutate(t.res.Name, ns.ns(t.res), t.name, update); err != nil {
					return err
				}
				if list {
					m, _ := meta.Accessor(out)
					indent := ""
					if len(targets) > 1 {
						indent = " "
						fmt.Fprintf(s.Out, "Listing annotations for %s.%s/%s:\n", t.res.Kind, t.res.Group, t.name)
					}
					a := m.GetAnnotations()
					for _, key := range sortedMapKeys(a) {
						fmt.Fprintf(s.Out, "%s%s=%s\n", indent, key, a[key])
					}
					continue
				}
				fmt.Fprintf(s.Out, "%s/%s annotated%s\n", t.res.KindName(), t.name, dry.suffix())
			}
			return nil
		},
	}
	ns.add(c, false)
	c.Flags().BoolVar(&overwrite, "overwrite", false, "If true, allow annotations to be overwritten, otherwise reject annotation updates that overwrite existing annotations.")
	c.Flags().BoolVar(&all, "all", false, "Select all resources, in the namespace of the specified resource types.")
	c.Flags().BoolVar(&list, "list", false, "If true, display the annotations for a given resource.")
	c.Flags().StringVarP(&selector, "selector", "l", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.")
	addDryRunFlag(c, &dryRun)
	return c
}

// noAnnotationOverwrites is validateNoAnnotationOverwrites; the change-cause annotation may always
// be overwritten. Keys are sorted so the message does not depend on map order.
func noAnnotationOverwrites(current, set map[string]string) error {
	var found []string
	for _, key := range sortedMapKeys(set) {
		if key == changeCauseAnnotation {
			continue
		}
		if cur, ok := current[key]; ok && cur != set[key] {
			found = append(found, fmt.Sprintf("'%s' already has a value (%s)", key, cur))
		}
	}
	if len(found) > 0 {
		return fmt.Errorf("--overwrite is false but found the following declared annotation(s): %s", strings.Join(found, "; "))
	}
	return nil
}

func sortedMapKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}

// namedTargets resolves "TYPE NAME…" to objects; a type alone needs --all or a selector
// (listAll), and then means every object of the type that matches.
func (k *Kubectl) namedTargets(args []string, namespace string, listAll bool, selector string) ([]resourceRef, error) {
	refs, err := k.parseResourceArgs(args)
	if err != nil {
		return nil, err
	}
	var sel labels.Selector = labels.Everything()
	if selector != "" {
		if sel, err = labels.Parse(selector); err != nil {
			return nil, err
		}
	}
	var out []resourceRef
	for _, r := range refs {
		if r.name != "" {
			out = append(out, r)
			continue
		}
		if !listAll {
			return nil, errors.New("resource(s) were provided, but no name was specified")
		}
		ns := namespace
		if !r.res.Namespaced {
			ns = ""
		}
		objs, _, err := k.client.List(r.res.Name, ns, apiserver.ListOptions{LabelSelector: sel})
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			out = append(out, resourceRef{res: r.res, name: objName(o)})
		}
	}
	return out, nil
}

// writeVerbs are the commands of writeverbs' files (annotate, patch, expose), kept out of
// newRoot's list so parallel work on that list merges cleanly.
func (k *Kubectl) writeVerbs(s Streams) []*cobra.Command {
	return []*cobra.Command{k.newAnnotate(s), k.newExpose(s), k.newPatch(s)}
}
