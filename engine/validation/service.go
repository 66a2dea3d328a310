package validation

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	utilvalidation "k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ValidateService is the part of validateService (k8s.io/kubernetes v1.37.2
// pkg/apis/core/validation/validation.go) a single-stack cluster without load balancers meets:
// ports, type, selector, session affinity, node ports. The cluster IP and node port values
// themselves are checked by the allocators in the API server.
func ValidateService(svc *corev1.Service) field.ErrorList {
	// ValidateServiceName: a Service's name is a DNS-1035 label (it becomes a DNS name).
	allErrs := validateObjectMeta(&svc.ObjectMeta, true, apimachineryvalidation.NameIsDNS1035Label, field.NewPath("metadata"))
	return append(allErrs, validateServiceSpec(svc)...)
}

func validateServiceSpec(svc *corev1.Service) field.ErrorList {
	var allErrs field.ErrorList
	spec := field.NewPath("spec")
	headless := svc.Spec.ClusterIP == corev1.ClusterIPNone
	if len(svc.Spec.Ports) == 0 && !headless && svc.Spec.Type != corev1.ServiceTypeExternalName {
		allErrs = append(allErrs, field.Required(spec.Child("ports"), ""))
	}
	if svc.Spec.Type == corev1.ServiceTypeNodePort && headless {
		allErrs = append(allErrs, field.Invalid(spec.Child("clusterIPs").Index(0), corev1.ClusterIPNone, "may not be set to 'None' for NodePort services"))
	}
	names := map[string]bool{}
	for i := range svc.Spec.Ports {
		allErrs = append(allErrs, validateServicePort(&svc.Spec.Ports[i], len(svc.Spec.Ports) > 1, names, spec.Child("ports").Index(i))...)
	}
	if svc.Spec.Selector != nil {
		allErrs = append(allErrs, validateLabels(svc.Spec.Selector, spec.Child("selector"))...)
	}
	switch svc.Spec.SessionAffinity {
	case "":
		allErrs = append(allErrs, field.Required(spec.Child("sessionAffinity"), ""))
	case corev1.ServiceAffinityNone, corev1.ServiceAffinityClientIP:
	default:
		allErrs = append(allErrs, field.NotSupported(spec.Child("sessionAffinity"), svc.Spec.SessionAffinity, []string{"ClientIP", "None"}))
	}
	switch svc.Spec.Type {
	case "":
		allErrs = append(allErrs, field.Required(spec.Child("type"), ""))
	case corev1.ServiceTypeClusterIP, corev1.ServiceTypeNodePort, corev1.ServiceTypeLoadBalancer, corev1.ServiceTypeExternalName:
	default:
		allErrs = append(allErrs, field.NotSupported(spec.Child("type"), svc.Spec.Type, []string{"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"}))
	}
	if svc.Spec.Type == corev1.ServiceTypeClusterIP {
		for i := range svc.Spec.Ports {
			if svc.Spec.Ports[i].NodePort != 0 {
				allErrs = append(allErrs, field.Forbidden(spec.Child("ports").Index(i).Child("nodePort"), "may not be used when `type` is 'ClusterIP'"))
			}
		}
	}
	nodePorts := map[string]bool{}
	for i, p := range svc.Spec.Ports {
		if p.NodePort == 0 {
			continue
		}
		key := fmt.Sprintf("%s/%d", p.Protocol, p.NodePort)
		if nodePorts[key] {
			allErrs = append(allErrs, field.Duplicate(spec.Child("ports").Index(i).Child("nodePort"), p.NodePort))
		}
		nodePorts[key] = true
	}
	ports := map[string]bool{}
	for i, p := range svc.Spec.Ports {
		key := fmt.Sprintf("%s/%d", p.Protocol, p.Port)
		if ports[key] {
			// field.Duplicate of a core.ServicePort holding only the protocol and port
			allErrs = append(allErrs, field.Duplicate(spec.Child("ports").Index(i), corev1.ServicePort{Protocol: p.Protocol, Port: p.Port}))
		}
		ports[key] = true
	}
	return allErrs
}

func validateServicePort(sp *corev1.ServicePort, requireName bool, names map[string]bool, fldPath *field.Path) field.ErrorList {
	var allErrs field.ErrorList
	if requireName && sp.Name == "" {
		allErrs = append(allErrs, field.Required(fldPath.Child("name"), ""))
	} else if sp.Name != "" {
		allErrs = append(allErrs, validateDNS1123Label(sp.Name, fldPath.Child("name"))...)
		if names[sp.Name] {
			allErrs = append(allErrs, field.Duplicate(fldPath.Child("name"), sp.Name))
		}
		names[sp.Name] = true
	}
	for _, msg := range utilvalidation.IsValidPortNum(int(sp.Port)) {
		allErrs = append(allErrs, field.Invalid(fldPath.Child("port"), sp.Port, msg))
	}
	switch sp.Protocol {
	case "":
		allErrs = append(allErrs, field.Required(fldPath.Child("protocol"), ""))
	case corev1.ProtocolTCP, corev1.ProtocolUDP, corev1.ProtocolSCTP:
	default:
		allErrs = append(allErrs, field.NotSupported(fldPath.Child("protocol"), sp.Protocol, []string{"SCTP", "TCP", "UDP"}))
	}
	return append(allErrs, validatePortNumOrName(sp.TargetPort, fldPath.Child("targetPort"))...)
}

// ValidateServiceUpdate adds what may not change: the cluster IP once set
// (ValidateServiceClusterIPsRelatedFields).
func ValidateServiceUpdate(svc, old *corev1.Service) field.ErrorList {
	allErrs := ValidateObjectMetaUpdate(&svc.ObjectMeta, &old.ObjectMeta)
	allErrs = append(allErrs, validateServiceSpec(svc)...)
	if len(old.Spec.ClusterIPs) > 0 && svc.Spec.Type != corev1.ServiceTypeExternalName && old.Spec.Type != corev1.ServiceTypeExternalName {
		if len(svc.Spec.ClusterIPs) == 0 || svc.Spec.ClusterIPs[0] != old.Spec.ClusterIPs[0] {
			allErrs = append(allErrs, field.Invalid(field.NewPath("spec", "clusterIPs").Index(0), svc.Spec.ClusterIPs, "may not change once set"))
		}
	}
	return allErrs
}
