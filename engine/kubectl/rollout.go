package kubectl

// rollout history, undo, restart, pause and resume, as k8s.io/kubectl v0.37.2 pkg/cmd/rollout and
// pkg/polymorphichelpers (history.go, rollback.go, objectpauser.go, objectresumer.go,
// objectrestarter.go) do them for Deployments, the one rollout kind the engine has.

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
)

// Annotations the rollout verbs read and write (k8s.io/kubectl pkg/util/deployment and
// polymorphichelpers).
const (
	revisionAnnotation        = "deployment.kubernetes.io/revision"
	revisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
	desiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
	maxReplicasAnnotation     = "deployment.kubernetes.io/max-replicas"
	changeCauseAnnotation     = "kubernetes.io/change-cause"
	restartedAtAnnotation     = "kubectl.kubernetes.io/restartedAt"
	podTemplateHashLabel      = "pod-template-hash"
	deprecatedRollbackTo      = "deprecated.deployment.rollback.to"
)

// rollbackAnnotationsToSkip stay as the Deployment has them when a rollback copies the ReplicaSet's
// annotations back (polymorphichelpers/rollback.go annotationsToSkip).
var rollbackAnnotationsToSkip = map[string]bool{
	lastApplied: true, revisionAnnotation: true, revisionHistoryAnnotation: true,
	desiredReplicasAnnotation: true, maxReplicasAnnotation: true, deprecatedRollbackTo: true,
}

// addRolloutVerbs adds history, undo, restart, pause and resume to "kubectl rollout".
func (k *Kubectl) addRolloutVerbs(c *cobra.Command, s Streams) {
	c.AddCommand(k.newRolloutHistory(s), k.newRolloutUndo(s),
		k.newRolloutPatcher(s, "restart", "Restart a resource", k.restartDeployment),
		k.newRolloutPatcher(s, "pause", "Mark the provided resource as paused", pauseDeployment(true)),
		k.newRolloutPatcher(s, "resume", "Resume a paused resource", pauseDeployment(false)))
}

// rolloutTargets resolves a rollout verb's arguments to named objects; a type without a name is
// every object of that type in the namespace, as kubectl's builder lists them.
func (k *Kubectl) rolloutTargets(args []string, namespace string) ([]resourceRef, error) {
	if len(args) == 0 {
		return nil, errors.New("required resource not specified")
	}
	refs, err := k.parseResourceArgs(args)
	if err != nil {
		return nil, err
	}
	var out []resourceRef
	for _, r := range refs {
		if r.name != "" {
			out = append(out, r)
			continue
		}
		ns := namespace
		if !r.res.Namespaced {
			ns = ""
		}
		objs, _, err := k.client.List(r.res.Name, ns, apiserver.ListOptions{})
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			out = append(out, resourceRef{res: r.res, name: objName(o)})
		}
	}
	return out, nil
}

func (k *Kubectl) newRolloutHistory(s Streams) *cobra.Command {
	var ns namespaceFlags
	var revision int64
	c := &cobra.Command{
		Use:   "history (TYPE NAME | TYPE/NAME) [flags]",
		Short: "View rollout history",
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New("required resource not specified")
			}
			if revision < 0 {
				return fmt.Errorf("revision must be a positive integer: %v", revision)
			}
			refs, err := k.rolloutTargets(args, ns.namespace)
			if err != nil {
				return err
			}
			for _, ref := range refs {
				if _, err := k.client.Get(ref.res.Name, ns.namespace, ref.name); err != nil {
					return err
				}
				if ref.res.Name != "deployments" {
					return fmt.Errorf("no history viewer has been implemented for %q", ref.res.GroupKind().String())
				}
				text, err := k.deploymentHistory(ns.namespace, ref.name, revision)
				if err != nil {
					return err
				}
				with := ""
				if revision > 0 {
					with = fmt.Sprintf("with revision #%d", revision)
				}
				fmt.Fprintf(s.Out, "%s/%s %s\n%s\n", ref.res.KindName(), ref.name, with, text)
			}
			return nil
		},
	}
	ns.add(c, false)
	c.Flags().Int64Var(&revision, "revision", 0, "See the details, including podTemplate of the revision specified")
	return c
}

// deploymentReplicaSets are the ReplicaSets a Deployment controls.
func (k *Kubectl) deploymentReplicaSets(d *appsv1.Deployment) ([]*appsv1.ReplicaSet, error) {
	objs, _, err := k.client.List("replicasets", d.Namespace, apiserver.ListOptions{})
	if err != nil {
		return nil, err
	}
	var out []*appsv1.ReplicaSet
	for _, o := range objs {
		rs := o.(*appsv1.ReplicaSet)
		if ref := metav1.GetControllerOf(rs); ref != nil && ref.UID == d.UID {
			out = append(out, rs)
		}
	}
	return out, nil
}

// rsRevision is deploymentutil.Revision: the ReplicaSet's revision annotation as a number.
func rsRevision(rs *appsv1.ReplicaSet) (int64, error) {
	return strconv.ParseInt(rs.Annotations[revisionAnnotation], 10, 64)
}

// deploymentHistory is DeploymentHistoryViewer.ViewHistory.
func (k *Kubectl) deploymentHistory(ns, name string, revision int64) (string, error) {
	obj, err := k.client.Get("deployments", ns, name)
	if err != nil {
		return "", err
	}
	rsList, err := k.deploymentReplicaSets(obj.(*appsv1.Deployment))
	if err != nil {
		return "", err
	}
	history := map[int64]*corev1.PodTemplateSpec{}
	for _, rs := range rsList {
		v, err := rsRevision(rs)
		if err != nil {
			continue // kubectl logs a warning and skips it
		}
		t := rs.Spec.Template.DeepCopy()
		if t.Annotations == nil {
			t.Annotations = map[string]string{}
		}
		if cause := rs.Annotations[changeCauseAnnotation]; cause != "" {
			t.Annotations[changeCauseAnnotation] = cause
		}
		history[v] = t
	}
	if len(history) == 0 {
		return "No rollout history found.", nil
	}
	if revision > 0 {
		t, ok := history[revision]
		if !ok {
			return "", errors.New("unable to find the specified revision")
		}
		var b bytes.Buffer
		if err := printers.DescribePodTemplate(&b, t); err != nil {
			return "", err
		}
		return b.String(), nil
	}
	revisions := make([]int64, 0, len(history))
	for r := range history {
		revisions = append(revisions, r)
	}
	sort.Slice(revisions, func(i, j int) bool { return revisions[i] < revisions[j] })
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
	fmt.Fprintf(tw, "REVISION\tCHANGE-CAUSE\n")
	for _, r := range revisions {
		cause := history[r].Annotations[changeCauseAnnotation]
		if cause == "" {
			cause = "<none>"
		}
		fmt.Fprintf(tw, "%d\t%s\n", r, cause)
	}
	if err := tw.Flush(); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (k *Kubectl) newRolloutUndo(s Streams) *cobra.Command {
	var ns namespaceFlags
	var toRevision int64
	c := &cobra.Command{
		Use:   "undo (TYPE NAME | TYPE/NAME) [flags]",
		Short: "Undo a previous rollout",
		RunE: func(_ *cobra.Command, args []string) error {
			refs, err := k.rolloutTargets(args, ns.namespace)
			if err != nil {
				return err
			}
			for _, ref := range refs {
				obj, err := k.client.Get(ref.res.Name, ns.namespace, ref.name)
				if err != nil {
					return err
				}
				if ref.res.Name != "deployments" {
					return fmt.Errorf("no rollbacker has been implemented for %q", ref.res.GroupKind())
				}
				if _, ok := objAnnotations(obj)[lastApplied]; ok {
					// rollout_undo.go warningRollbackApplyManagedResource, with Info.ObjectName.
					fmt.Fprintf(s.ErrOut, "Warning: resource %[1]s was previously managed with '%[3]s apply'. "+
						"Rolling back will not update the %[2]s annotation, which may cause unexpected behavior on future '%[3]s apply' operations. "+
						"Consider using '%[3]s apply' with your previous configuration file instead.\n",
						ref.res.Name+"/"+ref.name, lastApplied, "kubectl")
				}
				result, err := k.rollbackDeployment(obj.(*appsv1.Deployment), toRevision)
				if err != nil {
					return err
				}
				fmt.Fprintf(s.Out, "%s/%s %s\n", ref.res.KindName(), ref.name, result)
			}
			return nil
		},
	}
	ns.add(c, false)
	c.Flags().Int64Var(&toRevision, "to-revision", 0, "The revision to rollback to. Default to 0 (last revision).")
	return c
}

func objAnnotations(obj runtime.Object) map[string]string {
	if m, err := meta.Accessor(obj); err == nil {
		return m.GetAnnotations()
	}
	return nil
}

// rollbackDeployment is DeploymentRollbacker.Rollback: kubectl copies the chosen ReplicaSet's
// template (and its annotations) back into the Deployment; the deployment controller then rolls
// out that template as for any other change.
func (k *Kubectl) rollbackDeployment(d *appsv1.Deployment, toRevision int64) (string, error) {
	if toRevision < 0 {
		return "", revisionNotFound(toRevision)
	}
	rsList, err := k.deploymentReplicaSets(d)
	if err != nil {
		return "", fmt.Errorf("failed to retrieve replica sets from deployment %s: %v", d.Name, err)
	}
	var target *appsv1.ReplicaSet
	if toRevision > 0 {
		for _, rs := range rsList {
			if v, err := rsRevision(rs); err == nil && v == toRevision {
				target = rs
				break
			}
		}
		if target == nil {
			return "", revisionNotFound(toRevision)
		}
	} else {
		// The second-newest revision.
		latest, previous := int64(-1), int64(-1)
		var latestRS *appsv1.ReplicaSet
		for _, rs := range rsList {
			v, err := rsRevision(rs)
			if err != nil {
				continue
			}
			if latest < v {
				previous, target = latest, latestRS
				latest, latestRS = v, rs
			} else if previous < v {
				previous, target = v, rs
			}
		}
		if target == nil {
			return "", fmt.Errorf("no rollout history found for deployment %q", d.Name)
		}
	}
	if d.Spec.Paused {
		return "", errors.New("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again")
	}
	if templatesEqualIgnoringHash(&target.Spec.Template, &d.Spec.Template) {
		return fmt.Sprintf("skipped rollback (current template already matches revision %d)", toRevision), nil
	}
	template := target.Spec.Template.DeepCopy()
	delete(template.Labels, podTemplateHashLabel)
	annotations := map[string]string{}
	for key := range rollbackAnnotationsToSkip {
		if v, ok := d.Annotations[key]; ok {
			annotations[key] = v
		}
	}
	for key, v := range target.Annotations {
		if !rollbackAnnotationsToSkip[key] {
			annotations[key] = v
		}
	}
	_, err = k.client.Mutate("deployments", d.Namespace, d.Name, func(o runtime.Object) error {
		cur := o.(*appsv1.Deployment)
		cur.Spec.Template = *template
		cur.Annotations = annotations
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("failed restoring revision %d: %v", toRevision, err)
	}
	return "rolled back", nil
}

func revisionNotFound(r int64) error {
	return fmt.Errorf("unable to find specified revision %v in history", r)
}

func templatesEqualIgnoringHash(a, b *corev1.PodTemplateSpec) bool {
	a, b = a.DeepCopy(), b.DeepCopy()
	delete(a.Labels, podTemplateHashLabel)
	delete(b.Labels, podTemplateHashLabel)
	return apiequality.Semantic.DeepEqual(a, b)
}

// deploymentChange changes a Deployment for restart, pause or resume. It returns the success word,
// or "" and no error for "nothing to change" (the empty patch).
type deploymentChange func(d *appsv1.Deployment, now time.Time) (changed bool, err error)

// pauseDeployment is ObjectPauserFn (pause) or ObjectResumerFn (resume).
func pauseDeployment(pause bool) deploymentChange {
	return func(d *appsv1.Deployment, _ time.Time) (bool, error) {
		if pause && d.Spec.Paused {
			return false, errors.New("is already paused")
		}
		if !pause && !d.Spec.Paused {
			return false, errors.New("is not paused")
		}
		d.Spec.Paused = pause
		return true, nil
	}
}

// restartDeployment is ObjectRestarterFn: a new annotation on the template makes a new rollout.
// Its value is the time to the second, so two restarts within one second make the same object,
// an empty patch, which kubectl refuses.
func (k *Kubectl) restartDeployment(d *appsv1.Deployment, now time.Time) (bool, error) {
	if d.Spec.Paused {
		return false, errors.New("can't restart paused deployment (run rollout resume first)")
	}
	stamp := now.Format(time.RFC3339)
	if d.Spec.Template.Annotations[restartedAtAnnotation] == stamp {
		return false, nil
	}
	if d.Spec.Template.Annotations == nil {
		d.Spec.Template.Annotations = map[string]string{}
	}
	d.Spec.Template.Annotations[restartedAtAnnotation] = stamp
	return true, nil
}

// newRolloutPatcher builds restart, pause and resume: compute the change on the live object,
// then write it; errors are collected per object as kubectl's aggregate.
func (k *Kubectl) newRolloutPatcher(s Streams, verb, short string, change deploymentChange) *cobra.Command {
	var ns namespaceFlags
	done := map[string]string{"restart": "restarted", "pause": "paused", "resume": "resumed"}[verb]
	unchanged := map[string]string{"pause": "already paused", "resume": "already resumed"}[verb]
	unsupported := map[string]string{"restart": "restarting", "pause": "pausing", "resume": "resuming"}[verb]
	c := &cobra.Command{
		Use:   verb + " RESOURCE",
		Short: short,
		RunE: func(_ *cobra.Command, args []string) error {
			refs, err := k.rolloutTargets(args, ns.namespace)
			if err != nil {
				return err
			}
			if len(refs) == 0 {
				fmt.Fprintf(s.ErrOut, "No resources found in %s namespace.\n", ns.namespace)
				return nil
			}
			var errs []error
			for _, ref := range refs {
				if _, err := k.client.Get(ref.res.Name, ns.namespace, ref.name); err != nil {
					return err
				}
				if ref.res.Name != "deployments" {
					errs = append(errs, fmt.Errorf("error: %s %q %s is not supported", ref.res.GroupResource(), ref.name, unsupported))
					continue
				}
				changed := false
				_, err := k.client.Mutate("deployments", ns.namespace, ref.name, func(o runtime.Object) error {
					var err error
					changed, err = change(o.(*appsv1.Deployment), k.now().UTC())
					if err != nil {
						return fmt.Errorf("error: %s %q %v", ref.res.GroupResource(), ref.name, err)
					}
					if !changed {
						return errNoChange
					}
					return nil
				})
				switch {
				case errors.Is(err, errNoChange) && unchanged != "":
					fmt.Fprintf(s.Out, "%s/%s %s\n", ref.res.KindName(), ref.name, unchanged)
				case errors.Is(err, errNoChange):
					errs = append(errs, fmt.Errorf("failed to create patch for %v: if restart has already been triggered within the past second, please wait before attempting to trigger another", ref.name))
				case err != nil && isStatusError(err):
					errs = append(errs, fmt.Errorf("failed to patch: %v", err))
				case err != nil:
					errs = append(errs, err)
				default:
					fmt.Fprintf(s.Out, "%s/%s %s\n", ref.res.KindName(), ref.name, done)
				}
			}
			return utilerrors.NewAggregate(errs)
		},
	}
	ns.add(c, false)
	return c
}

// errNoChange stops a Mutate that would write the object unchanged.
var errNoChange = errors.New("no change")

func isStatusError(err error) bool {
	var st apierrors.APIStatus
	return errors.As(err, &st)
}
