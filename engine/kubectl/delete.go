package kubectl

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

func (k *Kubectl) newDelete(s Streams) *cobra.Command {
	var ns namespaceFlags
	var grace int
	var force, all, wait bool
	var cascade, selector, dryRunFlag string
	c := &cobra.Command{
		Use:   "delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)])",
		Short: "Delete resources by file names, stdin, resources and names, or by resources and label selector",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
			}
			dry, err := k.dryRunStrategy(cmd, dryRunFlag, s)
			if err != nil {
				return err
			}
			policy, err := cascadePolicy(cascade)
			if err != nil {
				return err
			}
			refs, err := k.parseResourceArgs(args)
			if err != nil {
				return err
			}
			opts := apiserver.DeleteOptions{PropagationPolicy: policy}
			if force && grace < 0 {
				grace = 0
			}
			if grace >= 0 {
				g := int64(grace)
				if g == 0 && !force {
					g = 1 // kubectl turns --grace-period=0 without --force into 1
				}
				opts.GracePeriodSeconds = &g
			}
			if force && grace == 0 {
				fmt.Fprintln(s.ErrOut, "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.")
			}
			var targets []resourceRef
			for _, ref := range refs {
				if ref.name != "" {
					targets = append(targets, ref)
					continue
				}
				if !all && selector == "" {
					return errors.New("resource(s) were provided, but no name was specified")
				}
				var sel labels.Selector = labels.Everything()
				if selector != "" {
					if sel, err = labels.Parse(selector); err != nil {
						return err
					}
				}
				objs, _, err := k.client.List(ref.res.Name, ns.ns(ref.res), apiserver.ListOptions{LabelSelector: sel, FieldSelector: fields.Everything()})
				if err != nil {
					return err
				}
				for _, o := range objs {
					targets = append(targets, resourceRef{res: ref.res, name: objName(o)})
				}
			}
			if len(targets) == 0 {
				fmt.Fprintln(s.ErrOut, "No resources found")
				return nil
			}
			var failed []error
			for _, t := range targets {
				if err := k.deleteUnlessDryRun(dry, t, ns.ns(t.res), opts); err != nil {
					failed = append(failed, err)
					continue
				}
				verb := "deleted"
				if force && grace == 0 {
					verb = "force deleted"
				}
				if t.res.Namespaced {
					fmt.Fprintf(s.Out, "%s %q %s from %s namespace%s\n", t.res.KindName(), t.name, verb, ns.namespace, dry.suffix())
				} else {
					fmt.Fprintf(s.Out, "%s %q %s%s\n", t.res.KindName(), t.name, verb, dry.suffix())
				}
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
	ns.add(c, false)
	c.Flags().IntVar(&grace, "grace-period", -1, "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative.")
	c.Flags().BoolVar(&force, "force", false, "If true, immediately remove resources from API and bypass graceful deletion.")
	c.Flags().BoolVar(&all, "all", false, "Delete all resources, in the namespace of the specified resource types.")
	c.Flags().BoolVar(&wait, "wait", true, "If true, wait for resources to be gone before returning. This waits for finalizers.")
	c.Flags().StringVarP(&selector, "selector", "l", "", "Selector (label query) to filter on.")
	c.Flags().StringVar(&cascade, "cascade", "background", "Must be \"background\", \"orphan\", or \"foreground\".")
	addDryRunFlag(c, &dryRunFlag)
	return c
}

func cascadePolicy(s string) (metav1.DeletionPropagation, error) {
	switch s {
	case "background", "true":
		return metav1.DeletePropagationBackground, nil
	case "orphan", "false":
		return metav1.DeletePropagationOrphan, nil
	case "foreground":
		return metav1.DeletePropagationForeground, nil
	}
	return "", fmt.Errorf("invalid cascade value (%v). Must be \"background\", \"foreground\", or \"orphan\"", s)
}

func (k *Kubectl) newRollout(s Streams) *cobra.Command {
	c := &cobra.Command{Use: "rollout SUBCOMMAND", Short: "Manage the rollout of a resource",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		}}
	var ns namespaceFlags
	st := &cobra.Command{
		Use:   "status (TYPE NAME | TYPE/NAME) [flags]",
		Short: "Show the status of the rollout",
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New("required resource not specified")
			}
			refs, err := k.parseResourceArgs(args)
			if err != nil {
				return err
			}
			if len(refs) != 1 || refs[0].name == "" {
				return errors.New("rollout status is only supported on individual resources and resource collections are not supported yet")
			}
			if refs[0].res.Name != "deployments" {
				return fmt.Errorf("no status viewer has been implemented for %s", refs[0].res.Kind)
			}
			return k.rolloutStatus(ns.namespace, refs[0].name, s)
		},
	}
	ns.add(st, false)
	c.AddCommand(st)
	k.addRolloutVerbs(c, s)
	return c
}

// rolloutStatus prints the rollout's state at every change of the Deployment, as kubectl's watch
// does, and lets the control plane run meanwhile: in the sandbox nothing moves unless stepped, and
// kubectl would otherwise wait for ever.
func (k *Kubectl) rolloutStatus(ns, name string, s Streams) error {
	if k.cluster == nil && k.after != nil {
		return k.rolloutStatusRemote(ns, name, s)
	}
	if k.cluster == nil {
		return k.errNeedsMiniature("rollout status")
	}
	obj, err := k.client.Get("deployments", ns, name)
	if err != nil {
		return err
	}
	rv := objResourceVersion(obj)
	w, err := k.cluster.API().Watch("deployments", ns, apiserver.ListOptions{FieldSelector: fields.OneTermEqualSelector("metadata.name", name)})
	if err != nil {
		return err
	}
	defer w.Stop()
	msg, done, err := deploymentStatus(obj.(*appsv1.Deployment))
	if err != nil {
		return err
	}
	fmt.Fprint(s.Out, msg)
	const maxSteps = 1_000_000
	for steps := 0; !done && steps < maxSteps; steps++ {
		if _, ok := k.cluster.Step(); !ok {
			return errors.New("timed out waiting for the condition")
		}
		for _, ev := range w.Drain() {
			if ev.Type == watch.Deleted {
				return fmt.Errorf("object has been deleted")
			}
			if objResourceVersion(ev.Object) == rv {
				continue
			}
			msg, done, err = deploymentStatus(ev.Object.(*appsv1.Deployment))
			if err != nil {
				return err
			}
			fmt.Fprint(s.Out, msg)
			if done {
				break
			}
		}
	}
	return nil
}

// rolloutStatusRemote is rollout status on a real cluster, which moves by itself: it reads the
// Deployment every 200 ms on the real clock and prints its state when it changed, until the
// rollout is done or patience ran out (kubectl's own watches; its --timeout error).
func (k *Kubectl) rolloutStatusRemote(ns, name string, s Streams) error {
	deadline := k.now().Add(k.patience)
	last := ""
	for {
		obj, err := k.client.Get("deployments", ns, name)
		if err != nil {
			return err
		}
		msg, done, err := deploymentStatus(obj.(*appsv1.Deployment))
		if err != nil {
			return err
		}
		if msg != last {
			fmt.Fprint(s.Out, msg)
			last = msg
		}
		if done {
			return nil
		}
		if !k.now().Before(deadline) {
			return errors.New("timed out waiting for the condition")
		}
		<-k.after(200 * time.Millisecond)
	}
}

// deploymentStatus is kubectl's DeploymentStatusViewer.
func deploymentStatus(d *appsv1.Deployment) (string, bool, error) {
	if d.Generation > d.Status.ObservedGeneration {
		return "Waiting for deployment spec update to be observed...\n", false, nil
	}
	for _, c := range d.Status.Conditions {
		if c.Type == appsv1.DeploymentProgressing && c.Reason == "ProgressDeadlineExceeded" {
			return "", false, fmt.Errorf("deployment %q exceeded its progress deadline", d.Name)
		}
	}
	want := int32(1)
	if d.Spec.Replicas != nil {
		want = *d.Spec.Replicas
	}
	st := d.Status
	switch {
	case st.UpdatedReplicas < want:
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d out of %d new replicas have been updated...\n", d.Name, st.UpdatedReplicas, want), false, nil
	case st.Replicas > st.UpdatedReplicas:
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d old replicas are pending termination...\n", d.Name, st.Replicas-st.UpdatedReplicas), false, nil
	case st.AvailableReplicas < st.UpdatedReplicas:
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d of %d updated replicas are available...\n", d.Name, st.AvailableReplicas, st.UpdatedReplicas), false, nil
	}
	return fmt.Sprintf("deployment %q successfully rolled out\n", d.Name), true, nil
}
