package kubectl

// kubectl set image, env and resources: each changes the pod template of the objects named and
// prints "<kind>/<name> <what> updated" (k8s.io/kubectl v0.37.2 pkg/cmd/set/set_image.go,
// set_env.go, set_resources.go).

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apiresource "k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation"
)

func (k *Kubectl) newSet(s Streams) *cobra.Command {
	c := &cobra.Command{Use: "set SUBCOMMAND", Short: "Set specific features on objects",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		}}
	c.AddCommand(k.newSetImage(s), k.newSetEnv(s), k.newSetResources(s))
	return c
}

// errNoResource is set's error when no object is named.
var errNoResource = errors.New("one or more resources must be specified as <resource> <name> or <resource>/<name>")

// setPodSpecs changes the pod template of every object resArgs names and prints
// "<kind>/<name> <updated>". change edits the template in place; what it returns is reported
// after the change is written (set image writes the containers it found, then names the one it
// did not).
//
// failed is how kubectl words a write the API server refused ("failed to patch env update to pod
// template: %v"), each set command its own way.
func (k *Kubectl) setPodSpecs(s Streams, ns string, resArgs []string, updated, failed string, change func(ref resourceRef, spec *corev1.PodSpec) error) error {
	if len(resArgs) == 0 {
		return errNoResource
	}
	refs, err := k.parseResourceArgs(resArgs)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		if ref.name == "" {
			return errNoResource
		}
		var after error
		_, err := k.client.Mutate(ref.res.Name, ns, ref.name, func(o runtime.Object) error {
			if ref.res.PodSpec == nil {
				return fmt.Errorf("%s/%s does not have a pod template", ref.res.KindName(), ref.name)
			}
			spec := ref.res.PodSpec(o)
			before := spec.DeepCopy()
			after = change(ref, spec)
			if equality.Semantic.DeepEqual(before, spec) {
				return errNoChange
			}
			return nil
		})
		if after != nil {
			return after
		}
		if errors.Is(err, errNoChange) {
			continue // kubectl sends no empty patch and prints nothing
		}
		if apierrors.IsNotFound(err) {
			return err
		}
		if err != nil {
			return fmt.Errorf(failed, err)
		}
		fmt.Fprintf(s.Out, "%s/%s %s\n", ref.res.KindName(), ref.name, updated)
	}
	return nil
}

func (k *Kubectl) newSetImage(s Streams) *cobra.Command {
	var ns namespaceFlags
	img := &cobra.Command{
		Use:   "image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N",
		Short: "Update the image of a pod template",
		RunE: func(_ *cobra.Command, args []string) error {
			var resArgs []string
			images := map[string]string{}
			var order []string
			for _, a := range args {
				if name, image, ok := strings.Cut(a, "="); ok && !strings.Contains(name, "/") {
					images[name] = image
					order = append(order, name)
					continue
				}
				resArgs = append(resArgs, a)
			}
			if len(resArgs) == 0 {
				return errNoResource
			}
			if len(images) == 0 {
				return errors.New("at least one image update is required")
			}
			return k.setPodSpecs(s, ns.namespace, resArgs, "image updated", "failed to patch image update to pod template: %v", func(_ resourceRef, spec *corev1.PodSpec) error {
				var missing string
				for _, name := range order {
					found := false
					for i := range spec.Containers {
						if spec.Containers[i].Name == name || name == "*" {
							spec.Containers[i].Image = images[name]
							found = true
						}
					}
					if !found {
						missing = name
					}
				}
				if missing != "" {
					return fmt.Errorf("unable to find container named %q", missing)
				}
				return nil
			})
		},
	}
	ns.add(img, false)
	return img
}

// newSetEnv is kubectl set env with KEY=VALUE and KEY- arguments (no --from, --list or stdin).
func (k *Kubectl) newSetEnv(s Streams) *cobra.Command {
	var ns namespaceFlags
	var containers string
	c := &cobra.Command{
		Use:   "env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N",
		Short: "Update environment variables on a pod template",
		RunE: func(_ *cobra.Command, args []string) error {
			resArgs, envArgs, ok := splitEnvArgs(args)
			if !ok {
				return fmt.Errorf("all resources must be specified before environment changes: %s", strings.Join(args, " "))
			}
			env, remove, err := parseEnvArgs(envArgs)
			if err != nil {
				return err
			}
			return k.setPodSpecs(s, ns.namespace, resArgs, "env updated", "failed to patch env update to pod template: %v", func(ref resourceRef, spec *corev1.PodSpec) error {
				selected := selectContainers(spec, containers)
				if len(selected) == 0 {
					fmt.Fprintf(s.ErrOut, "Warning: %s/%s does not have any containers matching %q\n", ref.res.Kind, ref.name, containers)
				}
				for _, ctr := range selected {
					ctr.Env = updateEnv(ctr.Env, env, remove)
				}
				return nil
			})
		},
	}
	ns.add(c, false)
	c.Flags().StringVarP(&containers, "containers", "c", "*", "The names of containers in the selected pod templates to change - may use wildcards")
	return c
}

// splitEnvArgs separates resources from environment arguments (KEY=VALUE or KEY-), which come
// last (pkg/cmd/set/env/env_parse.go, SplitEnvironmentFromResources).
func splitEnvArgs(args []string) (resources, env []string, ok bool) {
	for _, a := range args {
		name, _, isSet := strings.Cut(a, "=")
		isEnv := (isSet && name != "") || strings.HasSuffix(a, "-")
		switch {
		case isEnv:
			env = append(env, a)
		case len(env) > 0:
			return nil, nil, false
		default:
			resources = append(resources, a)
		}
	}
	return resources, env, true
}

// parseEnvArgs reads KEY=VALUE and KEY- (env_parse.go, parseIntoEnvVar).
func parseEnvArgs(args []string) (env []corev1.EnvVar, remove []string, err error) {
	set := map[string]bool{}
	for _, a := range args {
		if name, value, ok := strings.Cut(a, "="); ok {
			if errs := validation.IsEnvVarName(name); len(errs) != 0 {
				return nil, nil, fmt.Errorf("%q is not a valid key name: %s", name, strings.Join(errs, ";"))
			}
			set[name] = true
			env = append(env, corev1.EnvVar{Name: name, Value: value})
			continue
		}
		remove = append(remove, strings.TrimSuffix(a, "-"))
	}
	for _, r := range remove {
		if set[r] {
			return nil, nil, errors.New("can not both modify and remove the same environment variable in the same command")
		}
	}
	return env, remove, nil
}

// updateEnv is pkg/cmd/set/helper.go's: existing variables keep their place (replaced when
// set again, dropped when removed), new ones follow in the order given.
func updateEnv(existing, env []corev1.EnvVar, remove []string) []corev1.EnvVar {
	out := []corev1.EnvVar{}
	covered := map[string]bool{}
	for _, r := range remove {
		covered[r] = true
	}
	find := func(name string) (corev1.EnvVar, bool) {
		for _, e := range env {
			if e.Name == name {
				return e, true
			}
		}
		return corev1.EnvVar{}, false
	}
	for _, e := range existing {
		if covered[e.Name] {
			continue
		}
		if newer, ok := find(e.Name); ok {
			covered[e.Name] = true
			out = append(out, newer)
			continue
		}
		out = append(out, e)
	}
	for _, e := range env {
		if !covered[e.Name] {
			covered[e.Name] = true
			out = append(out, e)
		}
	}
	return out
}

// newSetResources is kubectl set resources with --limits, --requests and -c.
func (k *Kubectl) newSetResources(s Streams) *cobra.Command {
	var ns namespaceFlags
	var containers, limits, requests string
	c := &cobra.Command{
		Use:   "resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & --requests=REQUESTS]",
		Short: "Update resource requests/limits on objects with pod templates",
		RunE: func(_ *cobra.Command, args []string) error {
			if limits == "" && requests == "" {
				return errors.New("you must specify an update to requests or limits (in the form of --requests/--limits)")
			}
			lim, err := parseResourceList(limits)
			if err != nil {
				return err
			}
			req, err := parseResourceList(requests)
			if err != nil {
				return err
			}
			return k.setPodSpecs(s, ns.namespace, args, "resource requirements updated", "failed to patch resources update to pod template %v", func(_ resourceRef, spec *corev1.PodSpec) error {
				selected := selectContainers(spec, containers)
				if len(selected) == 0 {
					return fmt.Errorf("error: unable to find container named %s", containers)
				}
				for _, ctr := range selected {
					r := &ctr.Resources
					if len(lim) != 0 && len(r.Limits) == 0 {
						r.Limits = corev1.ResourceList{}
					}
					for name, q := range lim {
						r.Limits[name] = q
					}
					if len(req) != 0 && len(r.Requests) == 0 {
						r.Requests = corev1.ResourceList{}
					}
					for name, q := range req {
						r.Requests[name] = q
					}
				}
				return nil
			})
		},
	}
	ns.add(c, false)
	c.Flags().StringVarP(&containers, "containers", "c", "*", "The names of containers in the selected pod templates to change, all containers are selected by default - may use wildcards")
	c.Flags().StringVar(&limits, "limits", "", "The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges.")
	c.Flags().StringVar(&requests, "requests", "", "The resource requirement requests for this container.  For example, 'cpu=100m,memory=256Mi'.  Note that server side components may assign requests depending on the server configuration, such as limit ranges.")
	return c
}

// parseResourceList reads "cpu=200m,memory=512Mi" (set_resources.go, parseResourceList).
func parseResourceList(spec string) (corev1.ResourceList, error) {
	if spec == "" {
		return nil, nil
	}
	out := corev1.ResourceList{}
	for _, st := range strings.Split(spec, ",") {
		parts := strings.Split(st, "=")
		if len(parts) != 2 {
			return nil, fmt.Errorf("invalid argument syntax %v, expected <resource>=<value>", st)
		}
		q, err := apiresource.ParseQuantity(parts[1])
		if err != nil {
			return nil, err
		}
		out[corev1.ResourceName(parts[0])] = q
	}
	return out, nil
}

// selectContainers picks the containers whose name matches spec, with "*" as a wildcard
// (pkg/cmd/set/helper.go, selectContainers; init containers are not followed here).
func selectContainers(spec *corev1.PodSpec, pattern string) []*corev1.Container {
	var out []*corev1.Container
	for i := range spec.Containers {
		if matchWildcard(spec.Containers[i].Name, pattern) {
			out = append(out, &spec.Containers[i])
		}
	}
	return out
}

// matchWildcard is helper.go's selectString: '*' matches any run of characters.
func matchWildcard(s, pattern string) bool {
	if pattern == "*" {
		return true
	}
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return s == pattern
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}
