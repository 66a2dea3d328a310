package validation

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// The validation of ConfigMaps, Secrets and the objects whose spec the miniature cluster does
// not check further (ServiceAccounts, Leases, Endpoints, EndpointSlices, PriorityClasses), after
// k8s.io/kubernetes v1.37.2 pkg/apis/core/validation/validation.go (ValidateConfigMap,
// ValidateSecret, ValidateServiceAccount).

// maxConfigDataBytes is core.MaxSecretSize, the limit on a ConfigMap's or Secret's data.
const maxConfigDataBytes = 1 * 1024 * 1024

// ValidateConfigMap is ValidateConfigMap: a DNS subdomain name, valid keys, no key in both data
// and binaryData, and at most 1 MiB of data.
func ValidateConfigMap(cm *corev1.ConfigMap) field.ErrorList {
	allErrs := ValidateObjectMeta(&cm.ObjectMeta, true)
	total := 0
	for key, value := range cm.Data {
		for _, msg := range validation.IsConfigMapKey(key) {
			allErrs = append(allErrs, field.Invalid(field.NewPath("data").Key(key), key, msg))
		}
		if _, dup := cm.BinaryData[key]; dup {
			allErrs = append(allErrs, field.Invalid(field.NewPath("data").Key(key), key, "duplicate of key present in binaryData"))
		}
		total += len(value)
	}
	for key, value := range cm.BinaryData {
		for _, msg := range validation.IsConfigMapKey(key) {
			allErrs = append(allErrs, field.Invalid(field.NewPath("binaryData").Key(key), key, msg))
		}
		total += len(value)
	}
	if total > maxConfigDataBytes {
		allErrs = append(allErrs, field.TooLong(field.NewPath(""), "", maxConfigDataBytes))
	}
	return allErrs
}

// ValidateSecret is ValidateSecret: a DNS subdomain name, valid keys, at most 1 MiB of data,
// and the keys a typed secret needs.
func ValidateSecret(s *corev1.Secret) field.ErrorList {
	allErrs := ValidateObjectMeta(&s.ObjectMeta, true)
	dataPath := field.NewPath("data")
	total := 0
	for key, value := range s.Data {
		for _, msg := range validation.IsConfigMapKey(key) {
			allErrs = append(allErrs, field.Invalid(dataPath.Key(key), key, msg))
		}
		total += len(value)
	}
	if total > maxConfigDataBytes {
		allErrs = append(allErrs, field.TooLong(dataPath, "", maxConfigDataBytes))
	}
	switch s.Type {
	case corev1.SecretTypeServiceAccountToken:
		if s.Annotations[corev1.ServiceAccountNameKey] == "" {
			allErrs = append(allErrs, field.Required(field.NewPath("metadata", "annotations").Key(corev1.ServiceAccountNameKey), ""))
		}
	case corev1.SecretTypeDockerConfigJson:
		if _, ok := s.Data[corev1.DockerConfigJsonKey]; !ok {
			allErrs = append(allErrs, field.Required(dataPath.Key(corev1.DockerConfigJsonKey), ""))
		}
	case corev1.SecretTypeBasicAuth:
		_, user := s.Data[corev1.BasicAuthUsernameKey]
		_, pass := s.Data[corev1.BasicAuthPasswordKey]
		if !user && !pass {
			allErrs = append(allErrs, field.Required(dataPath.Key(corev1.BasicAuthUsernameKey), ""),
				field.Required(dataPath.Key(corev1.BasicAuthPasswordKey), ""))
		}
	case corev1.SecretTypeTLS:
		if _, ok := s.Data[corev1.TLSCertKey]; !ok {
			allErrs = append(allErrs, field.Required(dataPath.Key(corev1.TLSCertKey), ""))
		}
		if _, ok := s.Data[corev1.TLSPrivateKeyKey]; !ok {
			allErrs = append(allErrs, field.Required(dataPath.Key(corev1.TLSPrivateKeyKey), ""))
		}
	}
	return allErrs
}

// ValidateSecretUpdate is ValidateSecretUpdate: the type and an immutable secret's data stay.
func ValidateSecretUpdate(s, old *corev1.Secret) field.ErrorList {
	allErrs := validateObjectMetaUpdate(&s.ObjectMeta, &old.ObjectMeta, field.NewPath("metadata"))
	if s.Type != old.Type {
		allErrs = append(allErrs, field.Invalid(field.NewPath("type"), s.Type, "field is immutable"))
	}
	if old.Immutable != nil && *old.Immutable {
		if s.Immutable == nil || !*s.Immutable {
			allErrs = append(allErrs, field.Forbidden(field.NewPath("immutable"), "field is immutable when `immutable` is set"))
		}
		if fmt.Sprint(s.Data) != fmt.Sprint(old.Data) {
			allErrs = append(allErrs, field.Forbidden(field.NewPath("data"), "field is immutable when `immutable` is set"))
		}
	}
	return append(allErrs, ValidateSecret(s)...)
}

// ValidateConfigMapUpdate is ValidateConfigMapUpdate: an immutable config map's data stay.
func ValidateConfigMapUpdate(cm, old *corev1.ConfigMap) field.ErrorList {
	allErrs := validateObjectMetaUpdate(&cm.ObjectMeta, &old.ObjectMeta, field.NewPath("metadata"))
	if old.Immutable != nil && *old.Immutable {
		if cm.Immutable == nil || !*cm.Immutable {
			allErrs = append(allErrs, field.Forbidden(field.NewPath("immutable"), "field is immutable when `immutable` is set"))
		}
		if fmt.Sprint(cm.Data) != fmt.Sprint(old.Data) {
			allErrs = append(allErrs, field.Forbidden(field.NewPath("data"), "field is immutable when `immutable` is set"))
		}
		if fmt.Sprint(cm.BinaryData) != fmt.Sprint(old.BinaryData) {
			allErrs = append(allErrs, field.Forbidden(field.NewPath("binaryData"), "field is immutable when `immutable` is set"))
		}
	}
	return append(allErrs, ValidateConfigMap(cm)...)
}

// ValidateObjectMeta is the metadata check of every object whose name is a DNS subdomain
// (ConfigMaps, Secrets, ServiceAccounts, Leases, Endpoints, EndpointSlices, PriorityClasses).
func ValidateObjectMeta(meta *metav1.ObjectMeta, namespaced bool) field.ErrorList {
	return validateObjectMeta(meta, namespaced, apimachineryvalidation.NameIsDNSSubdomain, field.NewPath("metadata"))
}

// ValidateObjectMetaUpdate is the metadata check of an update.
func ValidateObjectMetaUpdate(meta, old *metav1.ObjectMeta) field.ErrorList {
	return validateObjectMetaUpdate(meta, old, field.NewPath("metadata"))
}
