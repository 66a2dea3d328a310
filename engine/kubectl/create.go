package kubectl

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

func (k *Kubectl) newRun(s Streams) *cobra.Command {
	var ns namespaceFlags
	var image, labelsFlag, restart, dryRunFlag string
	var port int32
	var envs []string
	c := &cobra.Command{
		Use:   "run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...]",
		Short: "Run a particular image on the cluster",
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New("NAME is required for run")
			}
			dry, err := k.dryRunStrategy(cmd, dryRunFlag, s)
			if err != nil {
				return err
			}
			name := args[0]
			labels := map[string]string{"run": name}
			if labelsFlag != "" {
				var err error
				if labels, err = parseLabels(labelsFlag); err != nil {
					return err
				}
			}
			ctr := corev1.Container{Name: name, Image: image}
			if port > 0 {
				ctr.Ports = []corev1.ContainerPort{{ContainerPort: port}}
			}
			for _, e := range envs {
				k, v, _ := strings.Cut(e, "=")
				ctr.Env = append(ctr.Env, corev1.EnvVar{Name: k, Value: v})
			}
			if dash := cmd.ArgsLenAtDash(); dash >= 0 && len(args) > dash {
				ctr.Args = args[dash:]
			}
			pod := &corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{ctr}, RestartPolicy: corev1.RestartPolicy(restart)},
			}
			return k.createGenerated(s, "pods", ns.namespace, pod, dry, func(err error) error { return err })
		},
	}
	ns.add(c, false)
	c.Flags().StringVar(&image, "image", "", "The image for the container to run.")
	c.Flags().StringVarP(&labelsFlag, "labels", "l", "", "Comma separated labels to apply to the pod. Will override previous values.")
	c.Flags().StringVar(&restart, "restart", "Always", "The restart policy for this Pod.  Legal values [Always, OnFailure, Never].")
	c.Flags().Int32Var(&port, "port", -1, "The port that this container exposes.")
	c.Flags().StringArrayVar(&envs, "env", nil, "Environment variables to set in the container.")
	addDryRunFlag(c, &dryRunFlag)
	_ = c.MarkFlagRequired("image")
	return c
}

func (k *Kubectl) newCreate(s Streams) *cobra.Command {
	var ns namespaceFlags
	var files []string
	var recursive bool
	c := &cobra.Command{
		Use:   "create -f FILENAME",
		Short: "Create a resource from a file or from stdin",
		RunE: func(_ *cobra.Command, args []string) error {
			if len(files) == 0 {
				return errors.New("must specify one of -f and -k")
			}
			return k.applyFiles(files, recursive, ns.namespace, false, s)
		},
	}
	ns.add(c, false)
	c.Flags().StringSliceVarP(&files, "filename", "f", nil, "Filename, directory, or URL to files to use to create the resource")
	addRecursive(c, &recursive)
	c.AddCommand(k.newCreateDeployment(s))
	c.AddCommand(k.createMoreCommands(s)...)
	return c
}

func (k *Kubectl) newCreateDeployment(s Streams) *cobra.Command {
	var ns namespaceFlags
	var images []string
	var replicas, port int32
	var dryRunFlag string
	c := &cobra.Command{
		Use:     "deployment NAME --image=image -- [COMMAND] [args...]",
		Aliases: []string{"deploy"},
		Short:   "Create a deployment with the specified name",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New("NAME is required")
			}
			dry, err := k.dryRunStrategy(cmd, dryRunFlag, s)
			if err != nil {
				return err
			}
			name := args[0]
			labels := map[string]string{"app": name}
			var ctrs []corev1.Container
			for _, img := range images {
				ctr := corev1.Container{Name: containerNameFromImage(img), Image: img}
				if port >= 0 {
					ctr.Ports = []corev1.ContainerPort{{ContainerPort: port}}
				}
				ctrs = append(ctrs, ctr)
			}
			if dash := cmd.ArgsLenAtDash(); dash >= 0 && len(args) > dash && len(ctrs) == 1 {
				ctrs[0].Command = args[dash:]
			}
			r := replicas
			d := &appsv1.Deployment{
				ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
				Spec: appsv1.DeploymentSpec{
					Replicas: &r,
					Selector: &metav1.LabelSelector{MatchLabels: labels},
					Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: corev1.PodSpec{Containers: ctrs}},
				},
			}
			return k.createGenerated(s, "deployments", ns.namespace, d, dry, func(err error) error {
				return fmt.Errorf("failed to create deployment: %v", err) // %v: kubectl prints it as a plain error
			})
		},
	}
	ns.add(c, false)
	c.Flags().StringSliceVar(&images, "image", nil, "Image names to run. A deployment can have multiple images set for multi-container pod.")
	c.Flags().Int32VarP(&replicas, "replicas", "r", 1, "Number of replicas to create. Default is 1.")
	c.Flags().Int32Var(&port, "port", -1, "The containerPort that this deployment exposes.")
	addDryRunFlag(c, &dryRunFlag)
	_ = c.MarkFlagRequired("image")
	return c
}

// containerNameFromImage is how kubectl create deployment names a container after its image:
// the last path element, without tag or digest.
func containerNameFromImage(image string) string {
	name := image
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.IndexAny(name, ":@"); i >= 0 {
		name = name[:i]
	}
	return name
}

func (k *Kubectl) newApply(s Streams) *cobra.Command {
	var ns namespaceFlags
	var files []string
	var recursive bool
	c := &cobra.Command{
		Use:   "apply (-f FILENAME | -k DIRECTORY)",
		Short: "Apply a configuration to a resource by file name or stdin",
		RunE: func(_ *cobra.Command, args []string) error {
			if len(files) == 0 {
				return errors.New("must specify one of -f and -k")
			}
			return k.applyFiles(files, recursive, ns.namespace, true, s)
		},
	}
	ns.add(c, false)
	c.Flags().StringSliceVarP(&files, "filename", "f", nil, "The files that contain the configurations to apply.")
	addRecursive(c, &recursive)
	return c
}

// addRecursive is kubectl's -R (AddJsonFilenameFlag in k8s.io/kubectl v0.37.2,
// pkg/cmd/util/helpers.go).
func addRecursive(c *cobra.Command, recursive *bool) {
	c.Flags().BoolVarP(recursive, "recursive", "R", false, "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.")
}

// applyFiles creates (or, with apply, creates or updates) every object in the files. Each object's
// result is printed as it is done; errors are reported after, and make the exit status 1.
func (k *Kubectl) applyFiles(files []string, recursive bool, namespace string, apply bool, s Streams) error {
	sources, errs := k.sources(files, recursive)
	if len(errs) > 0 {
		pathErrors(s.ErrOut, errs)
		return ExitError{Code: 1}
	}
	var failures []string
	objects := 0
	for _, src := range sources {
		f := src.name
		data, err := k.read(src, s.In)
		if errors.Is(err, errTooLarge) {
			failures = append(failures, fmt.Sprintf("error: error parsing %s: %v", f, err))
			continue
		}
		if err != nil {
			failures = append(failures, StandardErrorMessage(err))
			continue
		}
		docs, err := decodeManifests(data, k.reg)
		if err != nil {
			failures = append(failures, fmt.Sprintf("error: error parsing %s: %v", f, err))
			continue
		}
		objects += len(docs)
		for _, d := range docs {
			if d.err != nil {
				// apply creates what does not exist yet, so the server rejects a new object's
				// create, not a patch.
				patching := apply && k.exists(d, namespace)
				failures = append(failures, manifestError(d, f, patching))
				continue
			}
			line, err := k.applyOne(d, namespace, f, apply, s.ErrOut)
			if err != nil {
				failures = append(failures, requestError(err, f, apply))
				continue
			}
			fmt.Fprintln(s.Out, line)
		}
	}
	for _, msg := range failures {
		fmt.Fprintln(s.ErrOut, msg)
	}
	if len(failures) > 0 {
		return ExitError{Code: 1}
	}
	if objects == 0 {
		// apply.go and create.go in k8s.io/kubectl v0.37.2, pkg/cmd.
		if apply {
			return errors.New("no objects passed to apply")
		}
		return errors.New("no objects passed to create")
	}
	return nil
}

// exists reports whether the object a manifest names is already stored.
func (k *Kubectl) exists(d manifest, namespace string) bool {
	if d.res == nil || d.name == "" {
		return false
	}
	if d.namespace != "" {
		namespace = d.namespace
	}
	_, err := k.client.Get(d.res.Name, namespace, d.name)
	return err == nil
}

func verbing(apply bool) string {
	if apply {
		return "applying patch"
	}
	return "creating"
}

// requestError is how kubectl reports a failed create/apply of a file: invalid objects as
// "The Kind "name" is invalid", other API errors with the file named.
func requestError(err error, file string, apply bool) string {
	if apierrors.IsInvalid(err) {
		return StandardErrorMessage(err)
	}
	var st apierrors.APIStatus
	if errors.As(err, &st) {
		return fmt.Sprintf("Error from server (%s): error when %s %q: %s", st.Status().Reason, verbing(apply), file, err.Error())
	}
	return "error: " + err.Error()
}

func manifestError(d manifest, file string, apply bool) string {
	var strict strictError
	switch {
	case errors.As(d.err, &strict):
		return fmt.Sprintf("Error from server (BadRequest): error when %s %q: %s in version %q cannot be handled as a %s: strict decoding error: %s",
			verbing(apply), file, d.kind, versionOf(d.apiVersion), d.kind, strict.msg)
	case errors.Is(d.err, errNoKind):
		return fmt.Sprintf("error: error validating %q: error validating data: %s; if you choose to ignore these errors, turn validation off with --validate=false", file, d.err.Error())
	case errors.Is(d.err, errUnknownKind):
		return fmt.Sprintf("error: resource mapping not found for name: %q namespace: %q from %q: no matches for kind %q in version %q\nensure CRDs are installed first",
			d.name, d.namespace, file, d.kind, d.apiVersion)
	}
	return "error: " + d.err.Error()
}

func versionOf(apiVersion string) string {
	if i := strings.LastIndex(apiVersion, "/"); i >= 0 {
		return apiVersion[i+1:]
	}
	return apiVersion
}

func (k *Kubectl) applyOne(d manifest, namespace, file string, apply bool, errOut io.Writer) (string, error) {
	res := d.res
	m, _ := meta.Accessor(d.obj)
	ns := namespace
	if res.Namespaced && m.GetNamespace() != "" {
		ns = m.GetNamespace()
	}
	prefix := res.KindName() + "/" + m.GetName()
	if !apply {
		created, err := k.client.Create(res.Name, ns, d.obj)
		if err != nil {
			return "", err
		}
		return res.KindName() + "/" + objName(created) + " created", nil
	}
	if m.GetName() == "" {
		return "", errors.New("error when retrieving current configuration: resource name may not be empty")
	}
	current, err := k.client.Get(res.Name, ns, m.GetName())
	if apierrors.IsNotFound(err) {
		if err := setLastApplied(d, res, ns); err != nil {
			return "", err
		}
		if _, err := k.client.Create(res.Name, ns, d.obj); err != nil {
			return "", err
		}
		return prefix + " created", nil
	}
	if err != nil {
		return "", err
	}
	changed, err := k.applyPatch(d, res, ns, file, current, errOut)
	if err != nil {
		return "", err
	}
	if !changed {
		return prefix + " unchanged", nil
	}
	return prefix + " configured", nil
}

func objName(obj runtime.Object) string {
	m, err := meta.Accessor(obj)
	if err != nil {
		return ""
	}
	return m.GetName()
}

func objResourceVersion(obj runtime.Object) string {
	m, err := meta.Accessor(obj)
	if err != nil {
		return ""
	}
	return m.GetResourceVersion()
}

// parseLabels parses "k=v,k2=v2".
func parseLabels(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("invalid label spec: %v", kv)
		}
		out[k] = v
	}
	return out, nil
}
