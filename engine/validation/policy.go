package validation

import (
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/validation/path"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ValidatePodDisruptionBudget is ValidatePodDisruptionBudget (k8s.io/kubernetes v1.37.2
// pkg/apis/policy/validation/validation.go) followed, when the spec is valid, by the generic
// metadata check kube-apiserver's rest.BeforeCreate runs after the strategy's (a budget's name
// need only be a valid path segment).
func ValidatePodDisruptionBudget(pdb *policyv1.PodDisruptionBudget) field.ErrorList {
	if errs := validatePodDisruptionBudgetSpec(&pdb.Spec, field.NewPath("spec")); len(errs) > 0 {
		return errs
	}
	return validateObjectMeta(&pdb.ObjectMeta, true, path.ValidatePathSegmentName, field.NewPath("metadata"))
}

// ValidatePodDisruptionBudgetUpdate validates an update of a budget's spec and metadata.
func ValidatePodDisruptionBudgetUpdate(pdb, old *policyv1.PodDisruptionBudget) field.ErrorList {
	if errs := validatePodDisruptionBudgetSpec(&pdb.Spec, field.NewPath("spec")); len(errs) > 0 {
		return errs
	}
	return validateObjectMetaUpdate(&pdb.ObjectMeta, &old.ObjectMeta, field.NewPath("metadata"))
}

// ValidatePodDisruptionBudgetStatus is ValidatePodDisruptionBudgetStatusUpdate for policy/v1: no
// count may be negative.
func ValidatePodDisruptionBudgetStatus(st *policyv1.PodDisruptionBudgetStatus) field.ErrorList {
	p := field.NewPath("status")
	allErrs := validateNonnegative(int64(st.DisruptionsAllowed), p.Child("disruptionsAllowed"))
	allErrs = append(allErrs, validateNonnegative(int64(st.CurrentHealthy), p.Child("currentHealthy"))...)
	allErrs = append(allErrs, validateNonnegative(int64(st.DesiredHealthy), p.Child("desiredHealthy"))...)
	return append(allErrs, validateNonnegative(int64(st.ExpectedPods), p.Child("expectedPods"))...)
}

func validatePodDisruptionBudgetSpec(spec *policyv1.PodDisruptionBudgetSpec, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	if spec.MinAvailable != nil && spec.MaxUnavailable != nil {
		allErrs = append(allErrs, field.Invalid(fldPath, spec, "minAvailable and maxUnavailable cannot be both set"))
	}
	for _, v := range []struct {
		value *intstr.IntOrString
		name  string
	}{{spec.MinAvailable, "minAvailable"}, {spec.MaxUnavailable, "maxUnavailable"}} {
		if v.value == nil {
			continue
		}
		allErrs = append(allErrs, validatePositiveIntOrPercent(*v.value, fldPath.Child(v.name))...)
		// appsvalidation.IsNotMoreThan100Percent
		if value, isPercent := percentValue(*v.value); isPercent && value > 100 {
			allErrs = append(allErrs, field.Invalid(fldPath.Child(v.name), *v.value, "must not be greater than 100%"))
		}
	}
	if spec.Selector != nil {
		allErrs = append(allErrs, validateLabelSelector(spec.Selector, fldPath.Child("selector"))...)
	}
	if p := spec.UnhealthyPodEvictionPolicy; p != nil && *p != policyv1.IfHealthyBudget && *p != policyv1.AlwaysAllow {
		allErrs = append(allErrs, field.NotSupported(fldPath.Child("unhealthyPodEvictionPolicy"), *p,
			[]string{string(policyv1.AlwaysAllow), string(policyv1.IfHealthyBudget)}))
	}
	return allErrs
}
