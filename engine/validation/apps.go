package validation

import (
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metavalidation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	utilvalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// strictSelectorOptions: workload selectors are always validated strictly.
var strictSelectorOptions = metavalidation.LabelSelectorValidationOptions{AllowInvalidLabelValueInSelector: false}

// ValidateDeployment validates a Deployment on create.
func ValidateDeployment(d *appsv1.Deployment) field.ErrorList {
	if d == nil {
		return nil
	}
	allErrs := validateObjectMeta(&d.ObjectMeta, true, apimachineryvalidation.NameIsDNSSubdomain, field.NewPath("metadata"))
	return append(allErrs, validateDeploymentSpec(&d.Spec, field.NewPath("spec"))...)
}

// ValidateDeploymentUpdate validates a Deployment update through apps/v1:
// the metadata update rules, the new spec, and an immutable selector.
func ValidateDeploymentUpdate(newD, oldD *appsv1.Deployment) field.ErrorList {
	if newD == nil || oldD == nil {
		return nil
	}
	allErrs := validateObjectMetaUpdate(&newD.ObjectMeta, &oldD.ObjectMeta, field.NewPath("metadata"))
	allErrs = append(allErrs, validateDeploymentSpec(&newD.Spec, field.NewPath("spec"))...)
	return append(allErrs, apimachineryvalidation.ValidateImmutableField(newD.Spec.Selector, oldD.Spec.Selector, field.NewPath("spec", "selector"))...)
}

// ValidateReplicaSet validates a ReplicaSet on create.
func ValidateReplicaSet(rs *appsv1.ReplicaSet) field.ErrorList {
	if rs == nil {
		return nil
	}
	allErrs := validateObjectMeta(&rs.ObjectMeta, true, apimachineryvalidation.NameIsDNSSubdomain, field.NewPath("metadata"))
	return append(allErrs, validateReplicaSetSpec(&rs.Spec, field.NewPath("spec"))...)
}

// ValidateReplicaSetUpdate validates a ReplicaSet update. Like the real
// strategy it runs the create validation and the update validation, so a
// spec error appears twice in the list (the apiserver's error message
// de-duplicates them).
func ValidateReplicaSetUpdate(newRS, oldRS *appsv1.ReplicaSet) field.ErrorList {
	if newRS == nil || oldRS == nil {
		return nil
	}
	allErrs := ValidateReplicaSet(newRS)
	allErrs = append(allErrs, validateObjectMetaUpdate(&newRS.ObjectMeta, &oldRS.ObjectMeta, field.NewPath("metadata"))...)
	allErrs = append(allErrs, validateReplicaSetSpec(&newRS.Spec, field.NewPath("spec"))...)
	return append(allErrs, apimachineryvalidation.ValidateImmutableField(newRS.Spec.Selector, oldRS.Spec.Selector, field.NewPath("spec", "selector"))...)
}

// ValidateScale validates the replicas of a scale subresource request. The
// apiserver reports these errors on GroupKind{Group: "autoscaling", Kind:
// "Scale"}: `Scale.autoscaling "web" is invalid: spec.replicas: ...`.
func ValidateScale(replicas int32) field.ErrorList {
	if replicas < 0 {
		return field.ErrorList{field.Invalid(field.NewPath("spec", "replicas"), replicas, "must be greater than or equal to 0")}
	}
	return nil
}

func validateDeploymentSpec(spec *appsv1.DeploymentSpec, fldPath *field.Path) field.ErrorList {
	replicas := int32Value(spec.Replicas)
	allErrs := validateNonnegative(int64(replicas), fldPath.Child("replicas"))
	allErrs = append(allErrs, validateWorkloadSelector(spec.Selector, fldPath.Child("selector"))...)
	allErrs = append(allErrs, validateTemplateAgainstSelector(spec.Selector, &spec.Template, fldPath)...)
	allErrs = append(allErrs, validateDeploymentStrategy(&spec.Strategy, fldPath.Child("strategy"))...)
	allErrs = append(allErrs, validateNonnegative(int64(spec.MinReadySeconds), fldPath.Child("minReadySeconds"))...)
	if spec.RevisionHistoryLimit != nil {
		// zero is a valid revisionHistoryLimit
		allErrs = append(allErrs, validateNonnegative(int64(*spec.RevisionHistoryLimit), fldPath.Child("revisionHistoryLimit"))...)
	}
	if spec.ProgressDeadlineSeconds != nil {
		allErrs = append(allErrs, validateNonnegative(int64(*spec.ProgressDeadlineSeconds), fldPath.Child("progressDeadlineSeconds"))...)
		if *spec.ProgressDeadlineSeconds <= spec.MinReadySeconds {
			allErrs = append(allErrs, field.Invalid(fldPath.Child("progressDeadlineSeconds"), spec.ProgressDeadlineSeconds, "must be greater than minReadySeconds"))
		}
	}
	return allErrs
}

func validateReplicaSetSpec(spec *appsv1.ReplicaSetSpec, fldPath *field.Path) field.ErrorList {
	allErrs := validateNonnegative(int64(int32Value(spec.Replicas)), fldPath.Child("replicas"))
	allErrs = append(allErrs, validateNonnegative(int64(spec.MinReadySeconds), fldPath.Child("minReadySeconds"))...)
	allErrs = append(allErrs, validateWorkloadSelector(spec.Selector, fldPath.Child("selector"))...)
	return append(allErrs, validateTemplateAgainstSelector(spec.Selector, &spec.Template, fldPath)...)
}

// validateWorkloadSelector: the selector is required and must not be empty.
// ReplicaSets share the Deployment's message, as in the real code.
func validateWorkloadSelector(selector *metav1.LabelSelector, fldPath *field.Path) field.ErrorList {
	if selector == nil {
		return field.ErrorList{field.Required(fldPath, "")}
	}
	allErrs := validateLabelSelector(selector, fldPath)
	if len(selector.MatchLabels)+len(selector.MatchExpressions) == 0 {
		allErrs = append(allErrs, field.Invalid(fldPath, selector, "empty selector is invalid for deployment"))
	}
	return allErrs
}

// validateLabelSelector is metavalidation.ValidateLabelSelector (strict)
// with matchLabels checked in sorted order.
func validateLabelSelector(selector *metav1.LabelSelector, fldPath *field.Path) field.ErrorList {
	allErrs := validateLabels(selector.MatchLabels, fldPath.Child("matchLabels"))
	for i, expr := range selector.MatchExpressions {
		allErrs = append(allErrs, metavalidation.ValidateLabelSelectorRequirement(expr, strictSelectorOptions, fldPath.Child("matchExpressions").Index(i))...)
	}
	return allErrs
}

func validateTemplateAgainstSelector(labelSelector *metav1.LabelSelector, template *corev1.PodTemplateSpec, specPath *field.Path) field.ErrorList {
	selector, err := metav1.LabelSelectorAsSelector(labelSelector)
	if err != nil {
		return field.ErrorList{field.Invalid(specPath.Child("selector"), labelSelector, "invalid label selector")}
	}
	return validatePodTemplateSpecForReplicaSet(template, selector, specPath.Child("template"))
}

// validatePodTemplateSpecForReplicaSet is shared by Deployments and
// ReplicaSets (hence "in ReplicaSet" in a Deployment's error).
func validatePodTemplateSpecForReplicaSet(template *corev1.PodTemplateSpec, selector labels.Selector, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	if !selector.Empty() && !selector.Matches(labels.Set(template.Labels)) {
		allErrs = append(allErrs, field.Invalid(fldPath.Child("metadata", "labels"), template.Labels, "`selector` does not match template `labels`"))
	}
	allErrs = append(allErrs, validatePodTemplateSpec(template, fldPath)...)
	if template.Spec.RestartPolicy != corev1.RestartPolicyAlways {
		allErrs = append(allErrs, field.NotSupported(fldPath.Child("spec", "restartPolicy"), template.Spec.RestartPolicy, []string{string(corev1.RestartPolicyAlways)}))
	}
	if template.Spec.ActiveDeadlineSeconds != nil {
		allErrs = append(allErrs, field.Forbidden(fldPath.Child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in ReplicaSet is not Supported"))
	}
	return allErrs
}

// internalDeploymentStrategy has the shape of the apiserver's internal type,
// which is what an "Unsupported value" error prints (as JSON, field names
// untagged).
type internalDeploymentStrategy struct {
	Type          appsv1.DeploymentStrategyType
	RollingUpdate *internalRollingUpdate
}

type internalRollingUpdate struct {
	MaxUnavailable intstr.IntOrString
	MaxSurge       intstr.IntOrString
}

func validateDeploymentStrategy(strategy *appsv1.DeploymentStrategy, fldPath *field.Path) field.ErrorList {
	switch strategy.Type {
	case appsv1.RecreateDeploymentStrategyType:
		if strategy.RollingUpdate != nil {
			return field.ErrorList{field.Forbidden(fldPath.Child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'")}
		}
	case appsv1.RollingUpdateDeploymentStrategyType:
		if strategy.RollingUpdate == nil {
			return field.ErrorList{field.Required(fldPath.Child("rollingUpdate"), "this should be defaulted and never be nil")}
		}
		return validateRollingUpdateDeployment(strategy.RollingUpdate, fldPath.Child("rollingUpdate"))
	default:
		shown := internalDeploymentStrategy{Type: strategy.Type}
		if ru := strategy.RollingUpdate; ru != nil {
			shown.RollingUpdate = &internalRollingUpdate{MaxUnavailable: intOrStringValue(ru.MaxUnavailable), MaxSurge: intOrStringValue(ru.MaxSurge)}
		}
		valid := []string{string(appsv1.RecreateDeploymentStrategyType), string(appsv1.RollingUpdateDeploymentStrategyType)}
		return field.ErrorList{field.NotSupported(fldPath, shown, valid)}
	}
	return nil
}

func validateRollingUpdateDeployment(ru *appsv1.RollingUpdateDeployment, fldPath *field.Path) field.ErrorList {
	maxUnavailable := intOrStringValue(ru.MaxUnavailable)
	maxSurge := intOrStringValue(ru.MaxSurge)
	allErrs := validatePositiveIntOrPercent(maxUnavailable, fldPath.Child("maxUnavailable"))
	allErrs = append(allErrs, validatePositiveIntOrPercent(maxSurge, fldPath.Child("maxSurge"))...)
	if intOrPercentValue(maxUnavailable) == 0 && intOrPercentValue(maxSurge) == 0 {
		allErrs = append(allErrs, field.Invalid(fldPath.Child("maxUnavailable"), maxUnavailable, "may not be 0 when `maxSurge` is 0"))
	}
	if value, isPercent := percentValue(maxUnavailable); isPercent && value > 100 {
		allErrs = append(allErrs, field.Invalid(fldPath.Child("maxUnavailable"), maxUnavailable, "must not be greater than 100%"))
	}
	return allErrs
}

// intOrStringValue: a nil pointer converts to the internal zero value, 0.
func intOrStringValue(v *intstr.IntOrString) intstr.IntOrString {
	if v == nil {
		return intstr.IntOrString{}
	}
	return *v
}

func validatePositiveIntOrPercent(v intstr.IntOrString, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	switch v.Type {
	case intstr.String:
		for _, msg := range utilvalidation.IsValidPercent(v.StrVal) {
			allErrs = append(allErrs, field.Invalid(fldPath, v, msg))
		}
	case intstr.Int:
		allErrs = append(allErrs, validateNonnegative(int64(v.IntValue()), fldPath)...)
	default:
		allErrs = append(allErrs, field.Invalid(fldPath, v, "must be an integer or percentage (e.g '5%%')"))
	}
	return allErrs
}

func percentValue(v intstr.IntOrString) (int, bool) {
	if v.Type != intstr.String || len(utilvalidation.IsValidPercent(v.StrVal)) != 0 {
		return 0, false
	}
	value, _ := strconv.Atoi(v.StrVal[:len(v.StrVal)-1])
	return value, true
}

func intOrPercentValue(v intstr.IntOrString) int {
	if value, isPercent := percentValue(v); isPercent {
		return value
	}
	return v.IntValue()
}
