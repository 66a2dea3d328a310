package validation

import (
	"strings"

	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metavalidation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	utilvalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// standardFinalizers are the finalizer names allowed without a domain prefix.
var standardFinalizers = map[string]bool{
	"kubernetes":                     true,
	metav1.FinalizerOrphanDependents: true,
	metav1.FinalizerDeleteDependents: true,
}

// validateObjectMeta is core's ValidateObjectMeta: apimachinery's checks plus
// the legacy finalizer name rule.
func validateObjectMeta(meta *metav1.ObjectMeta, requiresNamespace bool, nameFn apimachineryvalidation.ValidateNameFunc, fldPath *field.Path) field.ErrorList {
	stripped := withoutLabelsAndAnnotations(meta)
	allErrs := apimachineryvalidation.ValidateObjectMeta(stripped, requiresNamespace, nameFn, fldPath)
	allErrs = insertBefore(allErrs, labelAndAnnotationErrors(meta, fldPath), fldPath, "ownerReferences", "finalizers", "managedFields")
	for i := range meta.Finalizers {
		allErrs = append(allErrs, validateKubeFinalizerName(meta.Finalizers[i], fldPath.Child("finalizers").Index(i))...)
	}
	return allErrs
}

// validateObjectMetaUpdate is core's ValidateObjectMetaUpdate.
func validateObjectMetaUpdate(newMeta, oldMeta *metav1.ObjectMeta, fldPath *field.Path) field.ErrorList {
	allErrs := apimachineryvalidation.ValidateObjectMetaUpdate(withoutLabelsAndAnnotations(newMeta), oldMeta, fldPath)
	allErrs = insertBefore(allErrs, labelAndAnnotationErrors(newMeta, fldPath), fldPath, "ownerReferences", "managedFields")
	for i := range newMeta.Finalizers {
		allErrs = append(allErrs, validateKubeFinalizerName(newMeta.Finalizers[i], fldPath.Child("finalizers").Index(i))...)
	}
	return allErrs
}

// apimachinery walks the label and annotation maps in random order. To keep
// output stable, labels and annotations are checked here key by key in
// sorted order, with the same functions and messages, and the errors are put
// where apimachinery would have reported them.
func withoutLabelsAndAnnotations(meta *metav1.ObjectMeta) *metav1.ObjectMeta {
	stripped := *meta
	stripped.Labels = nil
	stripped.Annotations = nil
	return &stripped
}

func labelAndAnnotationErrors(meta *metav1.ObjectMeta, fldPath *field.Path) field.ErrorList {
	allErrs := validateLabels(meta.Labels, fldPath.Child("labels"))
	return append(allErrs, validateAnnotations(meta.Annotations, fldPath.Child("annotations"))...)
}

// insertBefore puts extra before the first error on one of the given child
// fields of fldPath, or at the end.
func insertBefore(errs, extra field.ErrorList, fldPath *field.Path, children ...string) field.ErrorList {
	at := len(errs)
	for i, e := range errs {
		for _, child := range children {
			prefix := fldPath.Child(child).String()
			if e.Field == prefix || strings.HasPrefix(e.Field, prefix+"[") || strings.HasPrefix(e.Field, prefix+".") {
				at = i
				break
			}
		}
		if at != len(errs) {
			break
		}
	}
	out := make(field.ErrorList, 0, len(errs)+len(extra))
	out = append(out, errs[:at]...)
	out = append(out, extra...)
	return append(out, errs[at:]...)
}

// validateLabels is metavalidation.ValidateLabels in sorted key order.
func validateLabels(labels map[string]string, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	for _, k := range sortedKeys(labels) {
		allErrs = append(allErrs, metavalidation.ValidateLabels(map[string]string{k: labels[k]}, fldPath)...)
	}
	return allErrs
}

// validateAnnotations is apimachinery's ValidateAnnotations in sorted key
// order.
func validateAnnotations(annotations map[string]string, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	for _, k := range sortedKeys(annotations) {
		allErrs = append(allErrs, apimachineryvalidation.ValidateAnnotations(map[string]string{k: ""}, fldPath)...)
	}
	if apimachineryvalidation.ValidateAnnotationsSize(annotations) != nil {
		allErrs = append(allErrs, field.TooLong(fldPath, "", apimachineryvalidation.TotalAnnotationSizeLimitB))
	}
	return allErrs
}

func validateKubeFinalizerName(name string, fldPath *field.Path) field.ErrorList {
	if !strings.Contains(name, "/") && !standardFinalizers[name] {
		return field.ErrorList{field.Invalid(fldPath, name, "name is neither a standard finalizer name nor is it fully qualified")}
	}
	return nil
}

// validateFinalizerName checks a namespace spec finalizer.
func validateFinalizerName(name string, fldPath *field.Path) field.ErrorList {
	allErrs := apimachineryvalidation.ValidateFinalizerName(name, fldPath)
	return append(allErrs, validateKubeFinalizerName(name, fldPath)...)
}

func validateDNS1123Label(value string, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	for _, msg := range utilvalidation.IsDNS1123Label(value) {
		allErrs = append(allErrs, field.Invalid(fldPath, value, msg))
	}
	return allErrs
}

func validateDNS1123Subdomain(value string, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	for _, msg := range utilvalidation.IsDNS1123Subdomain(value) {
		allErrs = append(allErrs, field.Invalid(fldPath, value, msg))
	}
	return allErrs
}

func validateQualifiedName(value string, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	for _, msg := range utilvalidation.IsQualifiedName(value) {
		allErrs = append(allErrs, field.Invalid(fldPath, value, msg))
	}
	return allErrs
}

// validateName reports every message of a name function as an Invalid error.
func validateName(nameFn apimachineryvalidation.ValidateNameFunc, name string, prefix bool, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	for _, msg := range nameFn(name, prefix) {
		allErrs = append(allErrs, field.Invalid(fldPath, name, msg))
	}
	return allErrs
}

func validateNonnegative(value int64, fldPath *field.Path) field.ErrorList {
	return apimachineryvalidation.ValidateNonnegativeField(value, fldPath)
}

func int32Value(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}
