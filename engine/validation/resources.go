package validation

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	utilvalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

const (
	hugePagesPrefix      = "hugepages-"
	requestsPrefix       = "requests."
	isNegativeErrorMsg   = "must be greater than or equal to 0"
	isNotIntegerErrorMsg = "must be an integer"
)

var (
	// standardResourceNames are the names that may appear without a domain.
	standardResourceNames = map[string]bool{
		"cpu": true, "memory": true, "ephemeral-storage": true,
		"requests.cpu": true, "requests.memory": true, "requests.ephemeral-storage": true,
		"limits.cpu": true, "limits.memory": true, "limits.ephemeral-storage": true,
		"pods": true, "services": true, "replicationcontrollers": true, "resourcequotas": true,
		"secrets": true, "configmaps": true, "persistentvolumeclaims": true, "storage": true,
		"requests.storage": true, "services.nodeports": true, "services.loadbalancers": true,
	}
	standardContainerResourceNames = map[string]bool{"cpu": true, "memory": true, "ephemeral-storage": true}
	// integerResourceNames must hold whole numbers.
	integerResourceNames = map[string]bool{
		"pods": true, "services": true, "replicationcontrollers": true, "resourcequotas": true,
		"secrets": true, "configmaps": true, "persistentvolumeclaims": true,
		"services.nodeports": true, "services.loadbalancers": true,
	}
	supportedPodLevelResources = []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory}
)

func isHugePageResourceName(name corev1.ResourceName) bool {
	return strings.HasPrefix(string(name), hugePagesPrefix)
}

// isNativeResource: no domain, or a kubernetes.io domain.
func isNativeResource(name corev1.ResourceName) bool {
	return !strings.Contains(string(name), "/") || strings.Contains(string(name), "kubernetes.io/")
}

func isExtendedResourceName(name corev1.ResourceName) bool {
	if isNativeResource(name) || strings.HasPrefix(string(name), requestsPrefix) {
		return false
	}
	return len(utilvalidation.IsQualifiedName(requestsPrefix+string(name))) == 0
}

// isOvercommitAllowed: requests may be below limits for native resources
// other than huge pages.
func isOvercommitAllowed(name corev1.ResourceName) bool {
	return isNativeResource(name) && !isHugePageResourceName(name)
}

func isStandardResourceName(name corev1.ResourceName) bool {
	s := string(name)
	return standardResourceNames[s] || isHugePageResourceName(name) || strings.HasPrefix(s, requestsPrefix+hugePagesPrefix)
}

func isIntegerResourceName(name corev1.ResourceName) bool {
	return integerResourceNames[string(name)] || isExtendedResourceName(name)
}

func validateResourceName(name corev1.ResourceName, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	for _, msg := range utilvalidation.IsQualifiedName(string(name)) {
		allErrs = append(allErrs, field.Invalid(fldPath, name, msg))
	}
	if len(allErrs) != 0 {
		return allErrs
	}
	if !strings.Contains(string(name), "/") && !isStandardResourceName(name) {
		return field.ErrorList{field.Invalid(fldPath, name, "must be a standard resource type or fully qualified")}
	}
	return nil
}

func validateContainerResourceName(name corev1.ResourceName, fldPath *field.Path) field.ErrorList {
	allErrs := validateResourceName(name, fldPath)
	if !strings.Contains(string(name), "/") {
		if !standardContainerResourceNames[string(name)] && !isHugePageResourceName(name) {
			return append(allErrs, field.Invalid(fldPath, name, "must be a standard resource for containers"))
		}
	} else if !isNativeResource(name) && !isExtendedResourceName(name) {
		return append(allErrs, field.Invalid(fldPath, name, "doesn't follow extended resource name standard"))
	}
	return allErrs
}

func validatePodResourceName(name corev1.ResourceName, fldPath *field.Path) field.ErrorList {
	allErrs := validateResourceName(name, fldPath)
	if len(allErrs) != 0 {
		return allErrs
	}
	if !containsValue(supportedPodLevelResources, name) && !isHugePageResourceName(name) {
		return field.ErrorList{field.NotSupported(fldPath, name, supportedPodLevelResources)}
	}
	return nil
}

// validateResourceQuantityValue: quantities are non-negative, and whole
// numbers for countable resources.
func validateResourceQuantityValue(name corev1.ResourceName, value resource.Quantity, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	if value.Cmp(resource.Quantity{}) < 0 {
		allErrs = append(allErrs, field.Invalid(fldPath, value.String(), isNegativeErrorMsg))
	}
	if isIntegerResourceName(name) && value.MilliValue()%1000 != 0 {
		allErrs = append(allErrs, field.Invalid(fldPath, value, isNotIntegerErrorMsg))
	}
	return allErrs
}

func validateContainerResourceRequirements(r *corev1.ResourceRequirements, claimNames map[string]bool, fldPath *field.Path) field.ErrorList {
	return validateResourceRequirements(r, validateContainerResourceName, claimNames, fldPath)
}

// validatePodResources checks pod-level resources (PodLevelResources: beta,
// on by default since v1.34, still beta in v1.37). The check that containers fit inside them is not
// reproduced.
func validatePodResources(r *corev1.ResourceRequirements, claimNames map[string]bool, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	if r.Claims != nil {
		allErrs = append(allErrs, field.Forbidden(fldPath.Child("claims"), "claims cannot be set for Resources at pod-level"))
	}
	return append(allErrs, validateResourceRequirements(r, validatePodResourceName, claimNames, fldPath)...)
}

// validateResourceRequirements checks names and quantities and that each
// request fits its limit. Maps are walked in sorted order for stable output.
func validateResourceRequirements(r *corev1.ResourceRequirements, nameFn func(corev1.ResourceName, *field.Path) field.ErrorList, claimNames map[string]bool, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	limPath := fldPath.Child("limits")
	reqPath := fldPath.Child("requests")
	limHasCPUOrMemory, reqHasCPUOrMemory := false, false
	limHasHugePages, reqHasHugePages := false, false
	for _, name := range sortedKeys(r.Limits) {
		q := r.Limits[name]
		path := limPath.Key(string(name))
		allErrs = append(allErrs, nameFn(name, path)...)
		allErrs = append(allErrs, validateResourceQuantityValue(name, q, path)...)
		if isHugePageResourceName(name) {
			limHasHugePages = true
			allErrs = append(allErrs, validateHugePageValue(name, q, path)...)
		}
		if name == corev1.ResourceCPU || name == corev1.ResourceMemory {
			limHasCPUOrMemory = true
		}
	}
	for _, name := range sortedKeys(r.Requests) {
		q := r.Requests[name]
		path := reqPath.Key(string(name))
		allErrs = append(allErrs, nameFn(name, path)...)
		allErrs = append(allErrs, validateResourceQuantityValue(name, q, path)...)
		if limit, ok := r.Limits[name]; ok {
			if q.Cmp(limit) != 0 && !isOvercommitAllowed(name) {
				allErrs = append(allErrs, field.Invalid(reqPath, q.String(), fmt.Sprintf("must be equal to %s limit of %s", name, limit.String())))
			} else if q.Cmp(limit) > 0 {
				allErrs = append(allErrs, field.Invalid(reqPath, q.String(), fmt.Sprintf("must be less than or equal to %s limit of %s", name, limit.String())))
			}
		} else if !isOvercommitAllowed(name) {
			allErrs = append(allErrs, field.Required(limPath, "Limit must be set for non overcommitable resources"))
		}
		if isHugePageResourceName(name) {
			reqHasHugePages = true
			allErrs = append(allErrs, validateHugePageValue(name, q, path)...)
		}
		if name == corev1.ResourceCPU || name == corev1.ResourceMemory {
			reqHasCPUOrMemory = true
		}
	}
	if !limHasCPUOrMemory && !reqHasCPUOrMemory && (reqHasHugePages || limHasHugePages) {
		allErrs = append(allErrs, field.Forbidden(fldPath, "HugePages require cpu or memory"))
	}
	return append(allErrs, validateResourceClaimNames(r.Claims, claimNames, fldPath.Child("claims"))...)
}

// validateHugePageValue: a huge page quantity must be a whole number of pages.
func validateHugePageValue(name corev1.ResourceName, q resource.Quantity, fldPath *field.Path) field.ErrorList {
	pageSize, err := resource.ParseQuantity(strings.TrimPrefix(string(name), hugePagesPrefix))
	divisible := err == nil && pageSize.Sign() > 0 && pageSize.MilliValue()%1000 == 0 && q.Value()%pageSize.Value() == 0
	if divisible {
		return nil
	}
	return field.ErrorList{field.Invalid(fldPath, q.String(), fmt.Sprintf("%s is not positive integer multiple of %s", q.String(), name))}
}

// validateResourceClaimNames checks that container claims name entries of
// spec.resourceClaims.
func validateResourceClaimNames(claims []corev1.ResourceClaim, podClaimNames map[string]bool, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	names := map[string]bool{}
	for i, claim := range claims {
		name := claim.Name
		if name == "" {
			allErrs = append(allErrs, field.Required(fldPath.Index(i), ""))
			continue
		}
		if names[name] {
			allErrs = append(allErrs, field.Duplicate(fldPath.Index(i), name))
		} else {
			key := name
			if claim.Request != "" {
				allErrs = append(allErrs, validateDNS1123Label(claim.Request, fldPath.Index(i).Child("request"))...)
				key += "/" + claim.Request
			}
			if names[key] {
				allErrs = append(allErrs, field.Duplicate(fldPath.Index(i), key))
			} else if claim.Request == "" {
				for _, other := range sortedKeys(names) {
					if before, _, found := strings.Cut(other, "/"); found && before == name {
						allErrs = append(allErrs, field.Duplicate(fldPath.Index(i), name))
					}
				}
			}
			names[key] = true
		}
		if !podClaimNames[name] {
			notFound := field.NotFound(fldPath.Index(i), name)
			notFound.Detail = "must be one of the names in pod.spec.resourceClaims"
			if len(podClaimNames) == 0 {
				notFound.Detail += " which is empty"
			} else {
				notFound.Detail += ": " + strings.Join(sortedKeys(podClaimNames), ", ")
			}
			allErrs = append(allErrs, notFound)
		}
	}
	return allErrs
}
