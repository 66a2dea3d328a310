package apiserver

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Evict is POST pods/<name>/eviction: it deletes the pod unless that would take a
// PodDisruptionBudget below what it allows, as k8s.io/kubernetes v1.37.2
// pkg/registry/core/pod/storage/eviction.go does. A pod that is not running (Pending, finished,
// already terminating) is deleted without asking its budget; otherwise its one budget must allow a
// disruption, which the eviction spends (status.disruptionsAllowed - 1, the pod noted in
// status.disruptedPods) before the pod gets the DisruptionTarget condition and is deleted. The
// refusals are the server's: 429 TooManyRequests when the budget allows none (kubectl drain
// retries); when two budgets select the pod, a Failure Status of code 500 that the server answers
// as the eviction's result (an EvictionResult).
func (c *Client) Evict(ns string, ev *policyv1.Eviction) error {
	pods := c.s.reg.MustLookup("pods")
	if ev.Namespace != "" && ev.Namespace != ns {
		return apierrors.NewBadRequest("the namespace of the provided object does not match the namespace sent on the request")
	}
	by := c.caller
	opts := DeleteOptions{}
	if d := ev.DeleteOptions; d != nil {
		if d.IgnoreStoreReadErrorWithClusterBreakingPotential != nil && *d.IgnoreStoreReadErrorWithClusterBreakingPotential {
			return apierrors.NewInvalid(schema.GroupKind{Group: "policy", Kind: "Eviction"}, ev.Name, field.ErrorList{field.Invalid(
				field.NewPath("deleteOptions", "ignoreStoreReadErrorWithClusterBreakingPotential"), true, "can not be set for pod eviction, try after removing the option")})
		}
		opts.GracePeriodSeconds = d.GracePeriodSeconds
		if p := d.Preconditions; p != nil {
			if p.UID != nil {
				opts.UID = string(*p.UID)
			}
			if p.ResourceVersion != nil {
				opts.ResourceVersion = *p.ResourceVersion
			}
		}
		if len(d.DryRun) > 0 {
			by.dryRun = true
		}
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	obj, _, err := s.get(pods, ns, ev.Name)
	if err != nil {
		return err
	}
	pod := obj.(*corev1.Pod)
	if canIgnorePDB(pod) {
		if opts.ResourceVersion == "" && shouldEnforceResourceVersion(pod) {
			opts.ResourceVersion = pod.ResourceVersion
		}
		return s.evictLocked(by, pod, opts)
	}
	pdbs, err := s.budgetsFor(pod)
	if err != nil {
		return err
	}
	if len(pdbs) > 1 {
		return &EvictionResult{StatusError: &apierrors.StatusError{ErrStatus: metav1.Status{Status: metav1.StatusFailure,
			Code: http.StatusInternalServerError, Message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."}}}
	}
	if len(pdbs) == 1 {
		pdb := pdbs[0]
		unhealthyMayGo := false
		if !podReady(pod) {
			// An unready pod may go when the budget is met without it, or always (AlwaysAllow);
			// then only the pod's resourceVersion is checked.
			p := pdb.Spec.UnhealthyPodEvictionPolicy
			unhealthyMayGo = (p != nil && *p == policyv1.AlwaysAllow) ||
				(pdb.Status.CurrentHealthy >= pdb.Status.DesiredHealthy && pdb.Status.DesiredHealthy > 0)
		}
		if unhealthyMayGo {
			if opts.ResourceVersion == "" {
				opts.ResourceVersion = pod.ResourceVersion
			}
		} else if err := s.spendDisruption(by, pdb, pod.Name); err != nil {
			return err
		}
	}
	return s.evictLocked(by, pod, opts)
}

// EvictionResult is a refusal the eviction storage returns as its result, not as an error
// (rtStatus in k8s.io/kubernetes v1.37.2 pkg/registry/core/pod/storage/eviction.go): kube-apiserver
// answers HTTP 201 with this Failure Status in the body, and client-go makes it an error of the
// Status's code. In the engine it is an error like any API error.
type EvictionResult struct{ *apierrors.StatusError }

// canIgnorePDB: a pod that runs nothing, or is already going, is no disruption.
func canIgnorePDB(pod *corev1.Pod) bool {
	return pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed ||
		pod.Status.Phase == corev1.PodPending || pod.DeletionTimestamp != nil
}

func shouldEnforceResourceVersion(pod *corev1.Pod) bool {
	return pod.Status.Phase != corev1.PodSucceeded && pod.Status.Phase != corev1.PodFailed && pod.DeletionTimestamp == nil
}

func podReady(pod *corev1.Pod) bool {
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// budgetsFor lists the PodDisruptionBudgets of the pod's namespace whose selector matches it.
func (s *Server) budgetsFor(pod *corev1.Pod) ([]*policyv1.PodDisruptionBudget, error) {
	res := s.reg.MustLookup("poddisruptionbudgets")
	kvs, _ := s.store.List(res.KeyPrefix(pod.Namespace))
	var out []*policyv1.PodDisruptionBudget
	for _, kv := range kvs {
		pdb := kv.Value.(*policyv1.PodDisruptionBudget)
		sel, err := metav1.LabelSelectorAsSelector(pdb.Spec.Selector)
		if err != nil || !sel.Matches(labels.Set(pod.Labels)) {
			continue
		}
		out = append(out, pdb)
	}
	return out, nil
}

// tooManyRequests is the 429 an eviction gets while its budget allows no disruption.
func tooManyRequests(retryAfter int, cause string) error {
	err := apierrors.NewTooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", retryAfter)
	err.ErrStatus.Details.Causes = append(err.ErrStatus.Details.Causes, metav1.StatusCause{Type: policyv1.DisruptionBudgetCause, Message: cause})
	return err
}

// MaxDisruptedPodSize is how many evictions a budget may have noted in status.disruptedPods that
// the disruption controller has not seen go yet, before the eviction API refuses more (eviction.go).
const MaxDisruptedPodSize = 2000

// spendDisruption is checkAndDecrement: refuse when the budget allows no disruption, else take one
// and note the pod as disrupted, in the budget's status.
func (s *Server) spendDisruption(by caller, stored *policyv1.PodDisruptionBudget, podName string) error {
	pdb := stored.DeepCopy()
	if pdb.Status.ObservedGeneration < pdb.Generation {
		return tooManyRequests(10, fmt.Sprintf("The disruption budget %s is still being processed by the server.", pdb.Name))
	}
	if pdb.Status.DisruptionsAllowed < 0 {
		err := apierrors.NewForbidden(schema.GroupResource{Group: "policy", Resource: "poddisruptionbudget"}, pdb.Name, errors.New("pdb disruptions allowed is negative"))
		err.ErrStatus.Details.Causes = append(err.ErrStatus.Details.Causes, metav1.StatusCause{Type: policyv1.DisruptionBudgetCause,
			Message: fmt.Sprintf("The disruption budget %s does not allow evicting pods currently: pdb disruptions allowed is negative", pdb.Name)})
		return err
	}
	if len(pdb.Status.DisruptedPods) > MaxDisruptedPodSize {
		err := apierrors.NewForbidden(schema.GroupResource{Group: "policy", Resource: "poddisruptionbudget"}, pdb.Name,
			errors.New("DisruptedPods map too big - too many evictions not confirmed by PDB controller"))
		err.ErrStatus.Details.Causes = append(err.ErrStatus.Details.Causes, metav1.StatusCause{Type: policyv1.DisruptionBudgetCause,
			Message: fmt.Sprintf("The disruption budget %s does not allow evicting pods currently: too many pending evictions not confirmed by PDB controller", pdb.Name)})
		return err
	}
	if pdb.Status.DisruptionsAllowed == 0 {
		cond := apimeta.FindStatusCondition(pdb.Status.Conditions, policyv1.DisruptionAllowedCondition)
		var msg string
		switch {
		case cond != nil && cond.Status == metav1.ConditionFalse && cond.Message != "" && cond.Reason == policyv1.SyncFailedReason:
			msg = fmt.Sprintf("The disruption budget %s does not allow evicting pods currently because it failed sync: %s", pdb.Name, cond.Message)
		case pdb.Status.CurrentHealthy <= pdb.Status.DesiredHealthy:
			msg = fmt.Sprintf("The disruption budget %s needs %d healthy pods and has %d currently", pdb.Name, pdb.Status.DesiredHealthy, pdb.Status.CurrentHealthy)
		case cond != nil && cond.Status == metav1.ConditionFalse && cond.Message != "":
			msg = fmt.Sprintf("The disruption budget %s does not allow evicting pods currently (%s): %s", pdb.Name, cond.Reason, cond.Message)
		default:
			msg = fmt.Sprintf("The disruption budget %s does not allow evicting pods currently", pdb.Name)
		}
		return tooManyRequests(0, msg)
	}
	pdb.Status.DisruptionsAllowed--
	if pdb.Status.DisruptionsAllowed == 0 {
		UpdateDisruptionAllowedCondition(pdb, s.clock.Now())
	}
	if by.dryRun {
		return nil
	}
	if pdb.Status.DisruptedPods == nil {
		pdb.Status.DisruptedPods = map[string]metav1.Time{}
	}
	pdb.Status.DisruptedPods[podName] = metav1.NewTime(s.clock.Now().Truncate(time.Second))
	_, err := s.updateLocked(by, s.reg.MustLookup("poddisruptionbudgets"), pdb.Namespace, pdb, "status", "update")
	return err
}

// UpdateDisruptionAllowedCondition sets a budget's DisruptionAllowed condition from its
// disruptionsAllowed (k8s.io/component-helpers v0.37.2 apps/poddisruptionbudget/helpers.go), a
// change of status dated now (the cluster's clock, not the wall clock SetStatusCondition reads).
func UpdateDisruptionAllowedCondition(pdb *policyv1.PodDisruptionBudget, now time.Time) {
	cond := metav1.Condition{Type: policyv1.DisruptionAllowedCondition, Status: metav1.ConditionFalse,
		Reason: policyv1.InsufficientPodsReason, ObservedGeneration: pdb.Status.ObservedGeneration,
		LastTransitionTime: metav1.NewTime(now.Truncate(time.Second))}
	if pdb.Status.DisruptionsAllowed > 0 {
		cond.Status, cond.Reason = metav1.ConditionTrue, policyv1.SufficientPodsReason
	}
	if pdb.Status.Conditions == nil {
		pdb.Status.Conditions = []metav1.Condition{}
	}
	apimeta.SetStatusCondition(&pdb.Status.Conditions, cond)
}

// evictLocked is addConditionAndDeletePod: the pod gets the DisruptionTarget condition (through
// the status, as the eviction storage writes it), then is deleted with the eviction's options.
func (s *Server) evictLocked(by caller, pod *corev1.Pod, opts DeleteOptions) error {
	pods := s.reg.MustLookup("pods")
	if opts.UID != "" && string(pod.UID) != opts.UID {
		return apierrors.NewConflict(schema.GroupResource{Resource: "Pod"}, pod.Name, fmt.Errorf(
			"the UID in the precondition (%s) does not match the UID in record (%s). The object might have been deleted and then recreated", opts.UID, pod.UID))
	}
	if opts.ResourceVersion != "" && pod.ResourceVersion != opts.ResourceVersion {
		return apierrors.NewConflict(schema.GroupResource{Resource: "Pod"}, pod.Name, fmt.Errorf(
			"the ResourceVersion in the precondition (%s) does not match the ResourceVersion in record (%s). The object might have been modified", opts.ResourceVersion, pod.ResourceVersion))
	}
	if !by.dryRun {
		p := pod.DeepCopy()
		if setPodConditionChanged(&p.Status, corev1.PodCondition{Type: corev1.DisruptionTarget, Status: corev1.ConditionTrue,
			Reason: "EvictionByEvictionAPI", Message: "Eviction API: evicting"}, s.clock.Now()) {
			out, err := s.updateLocked(by, pods, pod.Namespace, p, "status", "update")
			if err != nil {
				return err
			}
			if opts.ResourceVersion != "" {
				opts.ResourceVersion = accessor(out).GetResourceVersion()
			}
		}
	}
	_, err := s.deleteLocked(by, pods, pod.Namespace, pod.Name, opts)
	return err
}

// setPodConditionChanged is UpdatePodCondition (k8s.io/kubernetes v1.37.2 pkg/api/pod/util.go):
// add or replace the condition, keeping its transition time when the status stays, and report
// whether anything changed.
func setPodConditionChanged(st *corev1.PodStatus, cond corev1.PodCondition, now time.Time) bool {
	cond.LastTransitionTime = metav1.NewTime(now.Truncate(time.Second))
	for i, old := range st.Conditions {
		if old.Type != cond.Type {
			continue
		}
		if old.Status == cond.Status {
			cond.LastTransitionTime = old.LastTransitionTime
		}
		same := old.Status == cond.Status && old.Reason == cond.Reason && old.Message == cond.Message &&
			old.LastProbeTime.Equal(&cond.LastProbeTime) && old.LastTransitionTime.Equal(&cond.LastTransitionTime)
		st.Conditions[i] = cond
		return !same
	}
	st.Conditions = append(st.Conditions, cond)
	return true
}
