package validation

import (
	"fmt"
	"math"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	utilvalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// updatablePodSpecFields are listed in the "pod updates may not change
// fields" error.
var updatablePodSpecFields = []string{
	"`spec.containers[*].image`",
	"`spec.initContainers[*].image`",
	"`spec.activeDeadlineSeconds`",
	"`spec.tolerations` (only additions to existing tolerations)",
	"`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
}

// ValidatePodUpdate validates an update of a Pod by a user: the new pod must
// be valid, and its spec may only change container images,
// activeDeadlineSeconds (downwards), added tolerations and removed
// scheduling gates.
//
// The "Forbidden: pod updates may not change fields other than ..." error of
// a real apiserver ends with a go-cmp diff of the internal specs, which cmp
// deliberately randomizes; here the diff is a stable look-alike (see
// podSpecDiff).
func ValidatePodUpdate(newP, oldP *corev1.Pod) field.ErrorList {
	if newP == nil || oldP == nil {
		return nil
	}
	metaPath := field.NewPath("metadata")
	specPath := field.NewPath("spec")
	allErrs := validateObjectMetaUpdate(&newP.ObjectMeta, &oldP.ObjectMeta, metaPath)
	allErrs = append(allErrs, validatePodMetadataAndSpec(newP, podOptions{resourceIsPod: true})...)
	allErrs = append(allErrs, validatePodSpecificAnnotationUpdates(newP, oldP, metaPath.Child("annotations"))...)

	containerErrs, stop := validateContainerUpdates(newP.Spec.Containers, oldP.Spec.Containers, specPath.Child("containers"))
	allErrs = append(allErrs, containerErrs...)
	if stop {
		return allErrs
	}
	containerErrs, stop = validateContainerUpdates(newP.Spec.InitContainers, oldP.Spec.InitContainers, specPath.Child("initContainers"))
	allErrs = append(allErrs, containerErrs...)
	if stop {
		return allErrs
	}

	// activeDeadlineSeconds may be set, or lowered, but not raised or removed.
	deadlinePath := specPath.Child("activeDeadlineSeconds")
	if newP.Spec.ActiveDeadlineSeconds != nil {
		v := *newP.Spec.ActiveDeadlineSeconds
		if v < 0 || v > math.MaxInt32 {
			return append(allErrs, field.Invalid(deadlinePath, v, utilvalidation.InclusiveRangeError(0, math.MaxInt32)))
		}
		if oldP.Spec.ActiveDeadlineSeconds != nil && *oldP.Spec.ActiveDeadlineSeconds < v {
			return append(allErrs, field.Invalid(deadlinePath, v, "must be less than or equal to previous value"))
		}
	} else if oldP.Spec.ActiveDeadlineSeconds != nil {
		allErrs = append(allErrs, field.Invalid(deadlinePath, newP.Spec.ActiveDeadlineSeconds, "must not update from a positive integer to nil value"))
	}

	allErrs = append(allErrs, validateOnlyAddedTolerations(newP.Spec.Tolerations, oldP.Spec.Tolerations, specPath.Child("tolerations"))...)
	allErrs = append(allErrs, validateOnlyDeletedSchedulingGates(newP.Spec.SchedulingGates, oldP.Spec.SchedulingGates, specPath.Child("schedulingGates"))...)

	if apiequality.Semantic.DeepEqual(newP.Spec, oldP.Spec) {
		return allErrs
	}
	// Put the updatable fields back to their old values; whatever still
	// differs was not allowed to change.
	munged := newP.Spec.DeepCopy()
	for i := range munged.Containers {
		munged.Containers[i].Image = oldP.Spec.Containers[i].Image
	}
	for i := range munged.InitContainers {
		munged.InitContainers[i].Image = oldP.Spec.InitContainers[i].Image
	}
	munged.ActiveDeadlineSeconds = nil
	if oldP.Spec.ActiveDeadlineSeconds != nil {
		munged.ActiveDeadlineSeconds = ptrTo(*oldP.Spec.ActiveDeadlineSeconds)
	}
	munged.SchedulingGates = oldP.Spec.SchedulingGates
	munged.Tolerations = oldP.Spec.Tolerations
	oldGrace := oldP.Spec.TerminationGracePeriodSeconds
	if oldGrace != nil && *oldGrace < 0 && munged.TerminationGracePeriodSeconds != nil && *munged.TerminationGracePeriodSeconds == 1 {
		munged.TerminationGracePeriodSeconds = oldGrace
	}
	// A gated pod may also gain nodeSelector entries.
	if len(oldP.Spec.SchedulingGates) > 0 && !apiequality.Semantic.DeepEqual(munged.NodeSelector, oldP.Spec.NodeSelector) {
		allErrs = append(allErrs, validateNodeSelectorMutation(specPath.Child("nodeSelector"), munged.NodeSelector, oldP.Spec.NodeSelector)...)
		munged.NodeSelector = oldP.Spec.NodeSelector
	}
	if !apiequality.Semantic.DeepEqual(*munged, oldP.Spec) {
		detail := fmt.Sprintf("pod updates may not change fields other than %s\n%v", strings.Join(updatablePodSpecFields, ","), podSpecDiff(oldP.Spec, *munged))
		allErrs = append(allErrs, field.Forbidden(specPath, detail))
	}
	return allErrs
}

// validateContainerUpdates: the container list keeps its length, and images
// stay set and trimmed.
func validateContainerUpdates(newContainers, oldContainers []corev1.Container, fldPath *field.Path) (field.ErrorList, bool) {
	if len(newContainers) != len(oldContainers) {
		return field.ErrorList{field.Forbidden(fldPath, "pod updates may not add or remove containers")}, true
	}
	var allErrs field.ErrorList
	for i, c := range newContainers {
		if c.Image == "" {
			allErrs = append(allErrs, field.Required(fldPath.Index(i).Child("image"), ""))
		}
		if len(strings.TrimSpace(c.Image)) != len(c.Image) {
			allErrs = append(allErrs, field.Invalid(fldPath.Index(i).Child("image"), c.Image, "must not have leading or trailing whitespace"))
		}
	}
	return allErrs, false
}

// validatePodSpecificAnnotationUpdates: the mirror pod annotation can be
// neither added, changed nor removed.
func validatePodSpecificAnnotationUpdates(newP, oldP *corev1.Pod, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	oldVal, hadMirror := oldP.Annotations[mirrorPodAnnotation]
	newVal, hasMirror := newP.Annotations[mirrorPodAnnotation]
	if hadMirror && (!hasMirror || newVal != oldVal) {
		allErrs = append(allErrs, field.Forbidden(fldPath.Key(mirrorPodAnnotation), "may not remove or update mirror pod annotation"))
	}
	if hasMirror && !hadMirror {
		allErrs = append(allErrs, field.Forbidden(fldPath.Key(mirrorPodAnnotation), "may not add mirror pod annotation"))
	}
	return append(allErrs, validatePodSpecificAnnotations(newP.Annotations, &newP.Spec, fldPath)...)
}

// validateOnlyDeletedSchedulingGates: scheduling gates can only be removed.
func validateOnlyDeletedSchedulingGates(newGates, oldGates []corev1.PodSchedulingGate, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	old := map[string]bool{}
	for _, g := range oldGates {
		old[g.Name] = true
	}
	for i, g := range newGates {
		if !old[g.Name] {
			allErrs = append(allErrs, field.Forbidden(fldPath.Index(i).Child("name"), fmt.Sprintf("only deletion is allowed, but found new scheduling gate '%s'", g.Name)))
		}
	}
	return allErrs
}

// validateNodeSelectorMutation: a gated pod may add nodeSelector entries
// but not change or remove them.
func validateNodeSelectorMutation(fldPath *field.Path, newSelector, oldSelector map[string]string) field.ErrorList {
	var allErrs field.ErrorList
	for _, k := range sortedKeys(oldSelector) {
		v1 := oldSelector[k]
		if v2, ok := newSelector[k]; !ok || v1 != v2 {
			allErrs = append(allErrs, field.Invalid(fldPath, newSelector, "only additions to spec.nodeSelector are allowed (no mutations or deletions)"))
			return allErrs
		}
	}
	return allErrs
}
