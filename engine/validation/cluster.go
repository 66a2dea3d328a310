package validation

import (
	"net/netip"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metavalidation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	utilvalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ValidateNamespace validates a Namespace on create: its name is a DNS-1123
// label and it has no namespace itself.
func ValidateNamespace(ns *corev1.Namespace) field.ErrorList {
	if ns == nil {
		return nil
	}
	allErrs := validateObjectMeta(&ns.ObjectMeta, false, apimachineryvalidation.ValidateNamespaceName, field.NewPath("metadata"))
	for _, f := range ns.Spec.Finalizers {
		// The real code reports these without an index.
		allErrs = append(allErrs, validateFinalizerName(string(f), field.NewPath("spec", "finalizers"))...)
	}
	return allErrs
}

// ValidateNamespaceUpdate validates a Namespace update: only the metadata
// update rules apply (spec and status change through other paths).
func ValidateNamespaceUpdate(newNS, oldNS *corev1.Namespace) field.ErrorList {
	if newNS == nil || oldNS == nil {
		return nil
	}
	return validateObjectMetaUpdate(&newNS.ObjectMeta, &oldNS.ObjectMeta, field.NewPath("metadata"))
}

// ValidateNodeUpdate validates a Node update: metadata update rules, status
// quantities, unique addresses, podCIDRs and providerID fixed once set, and
// valid taints.
func ValidateNodeUpdate(newN, oldN *corev1.Node) field.ErrorList {
	if newN == nil || oldN == nil {
		return nil
	}
	metaPath := field.NewPath("metadata")
	allErrs := validateObjectMetaUpdate(&newN.ObjectMeta, &oldN.ObjectMeta, metaPath)
	allErrs = append(allErrs, validateNodeResources(newN)...)
	seen := map[corev1.NodeAddress]bool{}
	for i, addr := range newN.Status.Addresses {
		if seen[addr] {
			allErrs = append(allErrs, field.Duplicate(field.NewPath("status", "addresses").Index(i), internalNodeAddress(addr)))
		}
		seen[addr] = true
	}
	if len(oldN.Spec.PodCIDRs) > 0 {
		const msg = "node updates may not change podCIDR except from \"\" to valid"
		if len(oldN.Spec.PodCIDRs) != len(newN.Spec.PodCIDRs) {
			allErrs = append(allErrs, field.Forbidden(field.NewPath("spec", "podCIDRs"), msg))
		} else {
			for i, cidr := range oldN.Spec.PodCIDRs {
				if cidr != newN.Spec.PodCIDRs[i] {
					allErrs = append(allErrs, field.Forbidden(field.NewPath("spec", "podCIDRs"), msg))
				}
			}
		}
	}
	if oldN.Spec.ProviderID != "" && oldN.Spec.ProviderID != newN.Spec.ProviderID {
		allErrs = append(allErrs, field.Forbidden(field.NewPath("spec", "providerID"), "node updates may not change providerID except from \"\" to valid"))
	}
	if len(newN.Spec.Taints) > 0 {
		allErrs = append(allErrs, validateNodeTaints(newN.Spec.Taints, metaPath.Child("taints"))...)
	}
	if newN.Spec.DoNotUseExternalID != oldN.Spec.DoNotUseExternalID {
		allErrs = append(allErrs, field.Forbidden(field.NewPath("spec", "externalID"), "may not be updated"))
	}
	return allErrs
}

// internalNodeAddress has the shape of the internal type a duplicate
// address error prints.
type internalNodeAddress struct {
	Type    corev1.NodeAddressType
	Address string
}

// ValidateNode validates a Node on create: metadata, taints, status
// quantities and pod CIDRs.
func ValidateNode(n *corev1.Node) field.ErrorList {
	if n == nil {
		return nil
	}
	metaPath := field.NewPath("metadata")
	allErrs := validateObjectMeta(&n.ObjectMeta, false, apimachineryvalidation.NameIsDNSSubdomain, metaPath)
	if len(n.Spec.Taints) > 0 {
		// The real code reports taints under "metadata.taints".
		allErrs = append(allErrs, validateNodeTaints(n.Spec.Taints, metaPath.Child("taints"))...)
	}
	allErrs = append(allErrs, validateNodeResources(n)...)
	if len(n.Spec.PodCIDRs) > 0 {
		cidrPath := field.NewPath("spec", "podCIDRs")
		for i, cidr := range n.Spec.PodCIDRs {
			allErrs = append(allErrs, utilvalidation.IsValidCIDR(cidrPath.Index(i), cidr)...)
		}
		if len(n.Spec.PodCIDRs) > 1 {
			if !isDualStackCIDRs(n.Spec.PodCIDRs) || len(n.Spec.PodCIDRs) > 2 {
				allErrs = append(allErrs, field.Invalid(cidrPath, n.Spec.PodCIDRs, "may specify no more than one CIDR for each IP family"))
			}
			seen := map[string]bool{}
			for i, cidr := range n.Spec.PodCIDRs {
				if seen[cidr] {
					allErrs = append(allErrs, field.Duplicate(cidrPath.Index(i), cidr))
				}
				seen[cidr] = true
			}
		}
	}
	return allErrs
}

// internalTaint has the shape of the internal type a duplicate-taint error
// prints.
type internalTaint struct {
	Key       string
	Value     string
	Effect    corev1.TaintEffect
	TimeAdded *metav1.Time
}

func validateNodeTaints(taints []corev1.Taint, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	seen := map[corev1.TaintEffect]map[string]bool{}
	for i, t := range taints {
		idxPath := fldPath.Index(i)
		allErrs = append(allErrs, metavalidation.ValidateLabelName(t.Key, idxPath.Child("key"))...)
		if errs := utilvalidation.IsValidLabelValue(t.Value); len(errs) != 0 {
			allErrs = append(allErrs, field.Invalid(idxPath.Child("value"), t.Value, strings.Join(errs, ";")))
		}
		allErrs = append(allErrs, validateTaintEffect(t.Effect, false, idxPath.Child("effect"))...)
		if seen[t.Effect][t.Key] {
			dup := field.Duplicate(idxPath, internalTaint(t))
			dup.Detail = "taints must be unique by key and effect pair"
			allErrs = append(allErrs, dup)
			continue
		}
		if seen[t.Effect] == nil {
			seen[t.Effect] = map[string]bool{}
		}
		seen[t.Effect][t.Key] = true
	}
	return allErrs
}

// validateNodeResources checks capacity and allocatable quantities, in
// sorted order.
func validateNodeResources(n *corev1.Node) field.ErrorList {
	var allErrs field.ErrorList
	for _, name := range sortedKeys(n.Status.Capacity) {
		allErrs = append(allErrs, validateResourceQuantityValue(name, n.Status.Capacity[name], field.NewPath("status", "capacity", string(name)))...)
	}
	for _, name := range sortedKeys(n.Status.Allocatable) {
		allErrs = append(allErrs, validateResourceQuantityValue(name, n.Status.Allocatable[name], field.NewPath("status", "allocatable", string(name)))...)
	}
	return allErrs
}

// isDualStackCIDRs: at least one IPv4 and one IPv6 CIDR.
func isDualStackCIDRs(cidrs []string) bool {
	v4, v6 := false, false
	for _, c := range cidrs {
		p, err := netip.ParsePrefix(c)
		if err != nil {
			return false
		}
		if p.Addr().Is4() {
			v4 = true
		} else {
			v6 = true
		}
	}
	return v4 && v6
}
