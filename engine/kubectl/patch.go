package kubectl

// kubectl patch, as k8s.io/kubectl v0.37.2 pkg/cmd/patch/patch.go: the patch (JSON or YAML) is
// sent to the API server, which applies it as kube-apiserver does (package patch, shared with
// httpapi) with kubectl's default field validation, Strict.

import (
	stdjson "encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/yaml"

	"github.com/k8slearn/k8slearn/engine/patch"
)

// patchTypeNamed reads --type (patch.go patchTypes).
func patchTypeNamed(name string) (types.PatchType, bool) {
	switch strings.ToLower(name) {
	case "json":
		return types.JSONPatchType, true
	case "merge":
		return types.MergePatchType, true
	case "strategic":
		return types.StrategicMergePatchType, true
	}
	return "", false
}

func (k *Kubectl) newPatch(s Streams) *cobra.Command {
	var ns namespaceFlags
	var body, file, typ, dryRunFlag string
	c := &cobra.Command{
		Use:   "patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE]",
		Short: "Update fields of a resource",
		RunE: func(cmd *cobra.Command, args []string) error {
			dry, err := k.dryRunStrategy(cmd, dryRunFlag, s)
			if err != nil {
				return err
			}
			if body != "" && file != "" {
				return errors.New("cannot specify --patch and --patch-file together")
			}
			if body == "" && file == "" {
				return errors.New("must specify --patch or --patch-file containing the contents of the patch")
			}
			pt, ok := patchTypeNamed(typ)
			if !ok {
				return fmt.Errorf("--type must be one of [json merge strategic], not %q", typ)
			}
			raw := []byte(body)
			if file != "" {
				if raw, err = k.readAll(file); err != nil {
					return fmt.Errorf("unable to read patch file: %v", err)
				}
			}
			js, err := yaml.YAMLToJSON(raw)
			if err != nil {
				return fmt.Errorf("unable to parse %q: %v", body, err)
			}
			if len(args) == 0 {
				return errors.New("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
			}
			refs, err := k.parseResourceArgs(args)
			if err != nil {
				return err
			}
			for _, ref := range refs {
				if ref.name == "" {
					return errors.New("resource(s) were provided, but no name was specified")
				}
			}
			for _, ref := range refs {
				changed, err := k.patchObject(ref, ns.ns(ref.res), pt, js, dry)
				if err != nil {
					return err
				}
				verb := "patched"
				if !changed {
					verb = "patched (no change)"
				}
				// No "(dry run)" here: patch's ToPrinter sets the operation after
				// PrintFlagsWithDryRunStrategy completed it, so kubectl v1.37 never prints the
				// suffix on patch (k8s.io/kubectl v0.37.2 pkg/cmd/patch/patch.go).
				fmt.Fprintf(s.Out, "%s/%s %s\n", ref.res.KindName(), ref.name, verb)
			}
			return nil
		},
	}
	ns.add(c, false)
	c.Flags().StringVarP(&body, "patch", "p", "", "The patch to be applied to the resource JSON file.")
	c.Flags().StringVar(&file, "patch-file", "", "A file containing a patch to be applied to the resource.")
	c.Flags().StringVar(&typ, "type", "strategic", "The type of patch being provided; one of [json merge strategic]")
	addDryRunFlag(c, &dryRunFlag)
	return c
}

// patchObject patches one stored object as the API server's PATCH does: read, apply, write,
// again if another writer came in between. It reports whether the object changed. A client dry
// run applies the patch without writing it (kubectl patches its copy locally); a server dry run
// has it validated and stores nothing.
func (k *Kubectl) patchObject(ref resourceRef, ns string, pt types.PatchType, body []byte, dry dryRun) (bool, error) {
	scheme := runtime.NewScheme()
	if err := k.reg.AddToScheme(scheme); err != nil {
		return false, err
	}
	decoder := json.NewSerializerWithOptions(json.DefaultMetaFactory, scheme, scheme, json.SerializerOptions{Strict: true})
	for attempt := 1; ; attempt++ {
		current, err := k.client.Get(ref.res.Name, ns, ref.name)
		if err != nil {
			return false, err
		}
		patched, _, err := patch.Apply(pt, current, body, ref.res.GroupVersionKind(), ref.res.New(), metav1.FieldValidationStrict, decoder)
		if err != nil {
			return false, err
		}
		pinned, err := patch.KeepResourceVersion(patched, current)
		if err != nil {
			return false, err
		}
		if name := objName(patched); name != ref.name {
			return false, apierrors.NewBadRequest(fmt.Sprintf("the name of the object (%s) does not match the name on the URL (%s)", name, ref.name))
		}
		if dry == dryRunClient {
			return !semanticEqualJSON(current, patched), nil
		}
		updated, err := k.writer(dry).Update(ref.res.Name, ns, patched)
		if apierrors.IsConflict(err) && !pinned && attempt < patch.MaxAttempts {
			continue
		}
		if err != nil {
			return false, err
		}
		if dry == dryRunServer {
			// Nothing was stored, so the resourceVersion says nothing: kubectl compares the
			// object it sent for with the one the server answered.
			return !semanticEqualJSON(current, updated), nil
		}
		return objResourceVersion(updated) != objResourceVersion(current), nil
	}
}

// semanticEqualJSON compares two objects by their JSON, as kubectl compares its local copy
// before and after a client-side patch.
func semanticEqualJSON(a, b runtime.Object) bool {
	ja, errA := stdjson.Marshal(a)
	jb, errB := stdjson.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}
