package kubectl

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
)

func (k *Kubectl) newScale(s Streams) *cobra.Command {
	var ns namespaceFlags
	var replicas int32
	c := &cobra.Command{
		Use:   "scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME)",
		Short: "Set a new size for a deployment, replica set, replication controller, or stateful set",
		RunE: func(_ *cobra.Command, args []string) error {
			if replicas < 0 {
				return errors.New("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
			}
			if len(args) == 0 {
				return errors.New("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
			}
			refs, err := k.parseResourceArgs(args)
			if err != nil {
				return err
			}
			for _, ref := range refs {
				if ref.res.Scale == nil {
					return fmt.Errorf("cannot use scale on %s", ref.res.Name)
				}
				if ref.name == "" {
					return errors.New("resource(s) were provided, but no name was specified")
				}
				if _, err := k.client.Scale(ref.res.Name, ns.namespace, ref.name, replicas); err != nil {
					return err
				}
				fmt.Fprintf(s.Out, "%s/%s scaled\n", ref.res.KindName(), ref.name)
			}
			return nil
		},
	}
	ns.add(c, false)
	c.Flags().Int32Var(&replicas, "replicas", -1, "The new desired number of replicas. Required.")
	_ = c.MarkFlagRequired("replicas")
	return c
}

func (k *Kubectl) newTaint(s Streams) *cobra.Command {
	var overwrite bool
	c := &cobra.Command{
		Use:   "taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N",
		Short: "Update the taints on one or more nodes",
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 && (args[0] == "nodes" || args[0] == "node" || args[0] == "no") {
				args = args[1:]
			} else if len(args) > 0 && strings.HasPrefix(args[0], "node/") || len(args) > 0 && strings.HasPrefix(args[0], "nodes/") {
				_, n, _ := strings.Cut(args[0], "/")
				args = append([]string{n}, args[1:]...)
			} else if len(args) > 0 {
				if _, err := k.resolve(args[0]); err == nil {
					return fmt.Errorf("invalid resource type %s, only node types are supported", args[0])
				}
			}
			if len(args) < 2 {
				if len(args) == 0 {
					return errors.New("at least one taint update is required")
				}
				return errors.New("at least one taint update is required")
			}
			node := args[0]
			add, remove, err := parseTaints(args[1:])
			if err != nil {
				return err
			}
			changed := ""
			_, err = k.client.Mutate("nodes", "", node, func(o runtime.Object) error {
				n := o.(*corev1.Node)
				taints, verb, err := applyTaints(n, add, remove, overwrite)
				if err != nil {
					return err
				}
				n.Spec.Taints = taints
				changed = verb
				return nil
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(s.Out, "node/%s %s\n", node, changed)
			return nil
		},
	}
	c.Flags().BoolVar(&overwrite, "overwrite", false, "If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.")
	return c
}

// parseTaints reads "key=value:Effect" (add) and "key:Effect-" / "key-" (remove).
func parseTaints(specs []string) (add, remove []corev1.Taint, err error) {
	for _, spec := range specs {
		if strings.HasSuffix(spec, "-") {
			spec = strings.TrimSuffix(spec, "-")
			key, effect, _ := strings.Cut(spec, ":")
			key, _, _ = strings.Cut(key, "=")
			remove = append(remove, corev1.Taint{Key: key, Effect: corev1.TaintEffect(effect)})
			continue
		}
		kv, effect, ok := strings.Cut(spec, ":")
		if !ok || effect == "" {
			return nil, nil, fmt.Errorf("invalid taint spec: %v", spec)
		}
		switch corev1.TaintEffect(effect) {
		case corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute:
		default:
			return nil, nil, fmt.Errorf("invalid taint effect: %v, unsupported taint effect", effect)
		}
		key, value, _ := strings.Cut(kv, "=")
		if key == "" {
			return nil, nil, fmt.Errorf("invalid taint spec: %v", spec)
		}
		add = append(add, corev1.Taint{Key: key, Value: value, Effect: corev1.TaintEffect(effect)})
	}
	return add, remove, nil
}

func applyTaints(n *corev1.Node, add, remove []corev1.Taint, overwrite bool) ([]corev1.Taint, string, error) {
	taints := append([]corev1.Taint(nil), n.Spec.Taints...)
	for _, r := range remove {
		kept := taints[:0]
		found := false
		for _, t := range taints {
			if t.Key == r.Key && (r.Effect == "" || t.Effect == r.Effect) {
				found = true
				continue
			}
			kept = append(kept, t)
		}
		if !found {
			return nil, "", fmt.Errorf("taint %q not found", taintString(r))
		}
		taints = kept
	}
	for _, a := range add {
		replaced := false
		for i, t := range taints {
			if t.Key == a.Key && t.Effect == a.Effect {
				if !overwrite {
					return nil, "", fmt.Errorf("node %s already has %s taint(s) with same effect(s) and --overwrite is false", n.Name, a.Key)
				}
				taints[i] = a
				replaced = true
			}
		}
		if !replaced {
			taints = append(taints, a)
		}
	}
	verb := "tainted"
	if len(add) == 0 {
		verb = "untainted"
	} else if overwrite {
		verb = "modified"
	}
	return taints, verb, nil
}

func taintString(t corev1.Taint) string {
	s := t.Key
	if t.Value != "" {
		s += "=" + t.Value
	}
	if t.Effect != "" {
		s += ":" + string(t.Effect)
	}
	return s
}

func (k *Kubectl) newLabel(s Streams) *cobra.Command {
	var ns namespaceFlags
	var overwrite bool
	c := &cobra.Command{
		Use:   "label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N",
		Short: "Update the labels on a resource",
		RunE: func(_ *cobra.Command, args []string) error {
			var resArgs []string
			set := map[string]string{}
			var del []string
			for i, a := range args {
				switch {
				case i > 0 && strings.Contains(a, "="):
					k, v, _ := strings.Cut(a, "=")
					set[k] = v
				case i > 0 && strings.HasSuffix(a, "-") && !strings.Contains(a, "/"):
					del = append(del, strings.TrimSuffix(a, "-"))
				default:
					resArgs = append(resArgs, a)
				}
			}
			if len(set) == 0 && len(del) == 0 {
				return errors.New("at least one label update is required")
			}
			if len(resArgs) == 0 {
				return errors.New("one or more resources must be specified as <resource> <name> or <resource>/<name>")
			}
			refs, err := k.parseResourceArgs(resArgs)
			if err != nil {
				return err
			}
			for _, ref := range refs {
				if ref.name == "" {
					return errors.New("resource(s) were provided, but no name was specified")
				}
				verb := "labeled"
				if len(set) == 0 {
					verb = "unlabeled"
				}
				before := ""
				updated, err := k.client.Mutate(ref.res.Name, ns.ns(ref.res), ref.name, func(o runtime.Object) error {
					m, _ := meta.Accessor(o)
					before = m.GetResourceVersion()
					labels := m.GetLabels()
					if labels == nil {
						labels = map[string]string{}
					}
					keys := make([]string, 0, len(set))
					for k := range set {
						keys = append(keys, k)
					}
					sort.Strings(keys)
					for _, key := range keys {
						if cur, ok := labels[key]; ok && !overwrite && cur != set[key] {
							return fmt.Errorf("'%s' already has a value (%s), and --overwrite is false", key, cur)
						}
						labels[key] = set[key]
					}
					for _, key := range del {
						delete(labels, key)
					}
					m.SetLabels(labels)
					return nil
				})
				if err != nil {
					return err
				}
				if objResourceVersion(updated) == before {
					verb = "not labeled"
				}
				fmt.Fprintf(s.Out, "%s/%s %s\n", ref.res.KindName(), ref.name, verb)
			}
			return nil
		},
	}
	ns.add(c, false)
	c.Flags().BoolVar(&overwrite, "overwrite", false, "If true, allow labels to be overwritten, otherwise reject label updates that overwrite existing labels.")
	return c
}
