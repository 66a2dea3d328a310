package validation

import (
	"math"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilvalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

const podDeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"

// podOptions are the few validation switches that differ between a Pod and
// a pod template. Feature-gated relaxations are fixed to their v1.37
// defaults (relaxed env var names and DNS searches, zero-second sleep: all GA).
type podOptions struct {
	// resourceIsPod: the spec belongs to a Pod, not a template.
	resourceIsPod bool
}

// ValidatePod validates a Pod on create.
func ValidatePod(p *corev1.Pod) field.ErrorList {
	if p == nil {
		return nil
	}
	opts := podOptions{resourceIsPod: true}
	allErrs := validatePodMetadataAndSpec(p, opts)
	specPath := field.NewPath("spec")
	if len(p.Spec.EphemeralContainers) > 0 {
		allErrs = append(allErrs, field.Forbidden(specPath.Child("ephemeralContainers"), "cannot be set on create"))
	}
	if p.Spec.NodeName != "" && len(p.Spec.SchedulingGates) != 0 {
		allErrs = append(allErrs, field.Forbidden(specPath.Child("nodeName"), "cannot be set until all schedulingGates have been cleared"))
	}
	return allErrs
}

// validatePodMetadataAndSpec is shared by create and update.
func validatePodMetadataAndSpec(p *corev1.Pod, opts podOptions) field.ErrorList {
	metaPath := field.NewPath("metadata")
	specPath := field.NewPath("spec")
	allErrs := validateObjectMeta(&p.ObjectMeta, true, apimachineryvalidation.NameIsDNSSubdomain, metaPath)
	allErrs = append(allErrs, validatePodSpecificAnnotations(p.Annotations, &p.Spec, metaPath.Child("annotations"))...)
	allErrs = append(allErrs, validatePodSpec(&p.Spec, &p.ObjectMeta, specPath, opts)...)

	// A token projection needs a service account to act as.
	if p.Spec.ServiceAccountName == "" {
		for vi, v := range p.Spec.Volumes {
			if v.Projected == nil {
				continue
			}
			path := specPath.Child("volumes").Index(vi).Child("projected")
			for si, source := range v.Projected.Sources {
				if source.ServiceAccountToken != nil {
					allErrs = append(allErrs, field.Forbidden(path.Child("sources").Index(si).Child("serviceAccountToken"), "must not be specified when serviceAccountName is not set"))
				}
			}
		}
	}
	allErrs = append(allErrs, validateContainersOnlyForPod(p.Spec.Containers, specPath.Child("containers"))...)
	return append(allErrs, validateContainersOnlyForPod(p.Spec.InitContainers, specPath.Child("initContainers"))...)
}

func validatePodSpecificAnnotations(annotations map[string]string, spec *corev1.PodSpec, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	if value, isMirror := annotations[mirrorPodAnnotation]; isMirror && spec.NodeName == "" {
		allErrs = append(allErrs, field.Invalid(fldPath.Key(mirrorPodAnnotation), value, "must set spec.nodeName if mirror pod annotation is set"))
	}
	if value, ok := annotations[podDeletionCostAnnotation]; ok && !validDeletionCost(value) {
		allErrs = append(allErrs, field.Invalid(fldPath.Key(podDeletionCostAnnotation), value, "must be a 32bit integer"))
	}
	return allErrs
}

// validDeletionCost: a 32-bit integer without a plus sign or leading zeros.
func validDeletionCost(value string) bool {
	if value == "" {
		return false
	}
	first := value[0]
	if !(first == '-' || value == "0" || (first >= '1' && first <= '9')) {
		return false
	}
	_, err := strconv.ParseInt(value, 10, 32)
	return err == nil
}

// validatePodTemplateSpec validates an embedded pod template. Note that the
// real code reports template labels under "<path>.labels", without
// "metadata".
func validatePodTemplateSpec(t *corev1.PodTemplateSpec, fldPath *field.Path) field.ErrorList {
	opts := podOptions{}
	allErrs := validateLabels(t.Labels, fldPath.Child("labels"))
	allErrs = append(allErrs, validateAnnotations(t.Annotations, fldPath.Child("annotations"))...)
	allErrs = append(allErrs, validatePodSpecificAnnotations(t.Annotations, &t.Spec, fldPath.Child("annotations"))...)
	allErrs = append(allErrs, validatePodSpec(&t.Spec, nil, fldPath.Child("spec"), opts)...)
	if len(t.Spec.EphemeralContainers) > 0 {
		allErrs = append(allErrs, field.Forbidden(fldPath.Child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"))
	}
	return allErrs
}

// validatePodSpec follows ValidatePodSpec check by check. podMeta is nil for
// templates.
func validatePodSpec(spec *corev1.PodSpec, podMeta *metav1.ObjectMeta, fldPath *field.Path, opts podOptions) field.ErrorList {
	var allErrs field.ErrorList
	if spec.TerminationGracePeriodSeconds == nil {
		allErrs = append(allErrs, field.Required(fldPath.Child("terminationGracePeriodSeconds"), ""))
	}
	gracePeriod := spec.TerminationGracePeriodSeconds
	hostUsers := spec.HostUsers == nil || *spec.HostUsers

	vols, volErrs := validateVolumes(spec.Volumes, podMeta, fldPath.Child("volumes"))
	allErrs = append(allErrs, volErrs...)
	claimNames := podClaimNames(spec.ResourceClaims)
	allErrs = append(allErrs, validatePodResourceClaims(spec.ResourceClaims, fldPath.Child("resourceClaims"))...)
	ctx := containerContext{volumes: vols, claimNames: claimNames, gracePeriod: gracePeriod, podRestartPolicy: spec.RestartPolicy, hostUsers: hostUsers}
	allErrs = append(allErrs, validateContainers(spec.Containers, ctx, fldPath.Child("containers"))...)
	allErrs = append(allErrs, validateInitContainers(spec.InitContainers, spec.Containers, ctx, fldPath.Child("initContainers"))...)
	allErrs = append(allErrs, validateEphemeralContainers(spec.EphemeralContainers, spec.Containers, spec.InitContainers, ctx, fldPath.Child("ephemeralContainers"))...)
	if spec.Resources != nil {
		allErrs = append(allErrs, validatePodResources(spec.Resources, claimNames, fldPath.Child("resources"))...)
	}
	allErrs = append(allErrs, validatePodHostNetworkDeps(spec, fldPath, opts)...)
	allErrs = append(allErrs, validateRestartPolicy(spec.RestartPolicy, fldPath.Child("restartPolicy"))...)
	allErrs = append(allErrs, validateDNSPolicy(spec.DNSPolicy, fldPath.Child("dnsPolicy"))...)
	allErrs = append(allErrs, validateLabels(spec.NodeSelector, fldPath.Child("nodeSelector"))...)
	allErrs = append(allErrs, validatePodSecurityContext(spec.SecurityContext, fldPath.Child("securityContext"))...)
	allErrs = append(allErrs, validatePodDNSConfig(spec.DNSConfig, spec.DNSPolicy, fldPath.Child("dnsConfig"))...)
	allErrs = append(allErrs, validateReadinessGates(spec.ReadinessGates, fldPath.Child("readinessGates"))...)
	allErrs = append(allErrs, validateSchedulingGates(spec.SchedulingGates, fldPath.Child("schedulingGates"))...)
	allErrs = append(allErrs, validateHostUsers(spec, fldPath)...)
	if spec.ServiceAccountName != "" {
		allErrs = append(allErrs, validateName(apimachineryvalidation.ValidateServiceAccountName, spec.ServiceAccountName, false, fldPath.Child("serviceAccountName"))...)
	}
	if spec.NodeName != "" {
		allErrs = append(allErrs, validateName(apimachineryvalidation.NameIsDNSSubdomain, spec.NodeName, false, fldPath.Child("nodeName"))...)
	}
	if spec.ActiveDeadlineSeconds != nil {
		if v := *spec.ActiveDeadlineSeconds; v < 1 || v > math.MaxInt32 {
			allErrs = append(allErrs, field.Invalid(fldPath.Child("activeDeadlineSeconds"), v, utilvalidation.InclusiveRangeError(1, math.MaxInt32)))
		}
	}
	if spec.Hostname != "" {
		allErrs = append(allErrs, validateDNS1123Label(spec.Hostname, fldPath.Child("hostname"))...)
	}
	if spec.Subdomain != "" {
		allErrs = append(allErrs, validateDNS1123Label(spec.Subdomain, fldPath.Child("subdomain"))...)
	}
	if len(spec.Tolerations) > 0 {
		allErrs = append(allErrs, validateTolerations(spec.Tolerations, fldPath.Child("tolerations"))...)
	}
	if len(spec.HostAliases) > 0 {
		allErrs = append(allErrs, validateHostAliases(spec.HostAliases, fldPath.Child("hostAliases"))...)
	}
	if spec.PriorityClassName != "" {
		allErrs = append(allErrs, validateName(apimachineryvalidation.NameIsDNSSubdomain, spec.PriorityClassName, false, fldPath.Child("priorityClassName"))...)
	}
	if spec.RuntimeClassName != nil {
		allErrs = append(allErrs, validateName(apimachineryvalidation.NameIsDNSSubdomain, *spec.RuntimeClassName, false, fldPath.Child("runtimeClassName"))...)
	}
	if spec.PreemptionPolicy != nil {
		allErrs = append(allErrs, validatePreemptionPolicy(*spec.PreemptionPolicy, fldPath.Child("preemptionPolicy"))...)
	}
	if spec.Overhead != nil {
		allErrs = append(allErrs, validateContainerResourceRequirements(&corev1.ResourceRequirements{Limits: spec.Overhead}, nil, fldPath.Child("overhead"))...)
	}
	if spec.OS != nil {
		osErrs := validateOS(spec.OS, fldPath.Child("os"))
		if len(osErrs) == 0 && spec.OS.Name == corev1.Linux {
			osErrs = validateLinux(spec, fldPath)
		}
		allErrs = append(allErrs, osErrs...)
	}
	return allErrs
}

// validatePodHostNetworkDeps: with hostNetwork a container's hostPort must
// equal its containerPort (a template may leave it 0, to be defaulted).
func validatePodHostNetworkDeps(spec *corev1.PodSpec, fldPath *field.Path, opts podOptions) field.ErrorList {
	if !spec.HostNetwork {
		return nil
	}
	var allErrs field.ErrorList
	containersPath := fldPath.Child("containers")
	for i, c := range spec.Containers {
		for j, port := range c.Ports {
			hp, cp := port.HostPort, port.ContainerPort
			if (opts.resourceIsPod || hp != 0) && hp != cp {
				allErrs = append(allErrs, field.Invalid(containersPath.Index(i).Child("ports").Index(j).Child("hostPort"), port.HostPort, "must match `containerPort` when `hostNetwork` is true"))
			}
		}
	}
	return allErrs
}

func validateRestartPolicy(policy corev1.RestartPolicy, fldPath *field.Path) field.ErrorList {
	switch policy {
	case corev1.RestartPolicyAlways, corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever:
		return nil
	case "":
		return field.ErrorList{field.Required(fldPath, "")}
	default:
		valid := []corev1.RestartPolicy{corev1.RestartPolicyAlways, corev1.RestartPolicyOnFailure, corev1.RestartPolicyNever}
		return field.ErrorList{field.NotSupported(fldPath, policy, valid)}
	}
}

func validateDNSPolicy(policy corev1.DNSPolicy, fldPath *field.Path) field.ErrorList {
	switch policy {
	case corev1.DNSClusterFirstWithHostNet, corev1.DNSClusterFirst, corev1.DNSDefault, corev1.DNSNone:
		return nil
	case "":
		return field.ErrorList{field.Required(fldPath, "")}
	default:
		valid := []corev1.DNSPolicy{corev1.DNSClusterFirstWithHostNet, corev1.DNSClusterFirst, corev1.DNSDefault, corev1.DNSNone}
		return field.ErrorList{field.NotSupported(fldPath, policy, valid)}
	}
}

func validatePreemptionPolicy(policy corev1.PreemptionPolicy, fldPath *field.Path) field.ErrorList {
	switch policy {
	case corev1.PreemptLowerPriority, corev1.PreemptNever:
		return nil
	case "":
		return field.ErrorList{field.Required(fldPath, "")}
	default:
		valid := []corev1.PreemptionPolicy{corev1.PreemptLowerPriority, corev1.PreemptNever}
		return field.ErrorList{field.NotSupported(fldPath, policy, valid)}
	}
}

func podClaimNames(claims []corev1.PodResourceClaim) map[string]bool {
	names := map[string]bool{}
	for _, c := range claims {
		if c.Name != "" {
			names[c.Name] = true
		}
	}
	return names
}

func validatePodResourceClaims(claims []corev1.PodResourceClaim, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	seen := map[string]bool{}
	for i, claim := range claims {
		idxPath := fldPath.Index(i)
		switch {
		case claim.Name == "":
			allErrs = append(allErrs, field.Required(idxPath.Child("name"), ""))
		case seen[claim.Name]:
			allErrs = append(allErrs, field.Duplicate(idxPath.Child("name"), claim.Name))
		default:
			allErrs = append(allErrs, validateDNS1123Label(claim.Name, idxPath.Child("name"))...)
			seen[claim.Name] = true
		}
		shown := internalPodResourceClaim(claim)
		if claim.ResourceClaimName != nil && claim.ResourceClaimTemplateName != nil {
			allErrs = append(allErrs, field.Invalid(idxPath, shown, "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified"))
		}
		if claim.ResourceClaimName == nil && claim.ResourceClaimTemplateName == nil {
			allErrs = append(allErrs, field.Invalid(idxPath, shown, "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`"))
		}
		if claim.ResourceClaimName != nil {
			allErrs = append(allErrs, validateName(apimachineryvalidation.NameIsDNSSubdomain, *claim.ResourceClaimName, false, idxPath.Child("resourceClaimName"))...)
		}
		if claim.ResourceClaimTemplateName != nil {
			allErrs = append(allErrs, validateName(apimachineryvalidation.NameIsDNSSubdomain, *claim.ResourceClaimTemplateName, false, idxPath.Child("resourceClaimTemplateName"))...)
		}
	}
	return allErrs
}

// internalPodResourceClaim has the shape (untagged JSON field names) of the
// internal type the real error prints.
type internalPodResourceClaim struct {
	Name                      string
	ResourceClaimName         *string
	ResourceClaimTemplateName *string
}
