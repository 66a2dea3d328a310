package registry

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
	"github.com/k8slearn/k8slearn/engine/validation"
)

// secrets: pkg/registry/core/secret. The type defaults to Opaque (SetDefaults_Secret).
func secrets() *Resource {
	return &Resource{
		Name: "secrets", Singular: "secret", Kind: "Secret", Version: "v1", Namespaced: true,
		etcdDir:     "secrets",
		newObj:      func() runtime.Object { return &corev1.Secret{} },
		newList:     func() runtime.Object { return &corev1.SecretList{} },
		addToScheme: corev1.AddToScheme,
		Strategy: Strategy{
			Defaults: func(o runtime.Object) {
				s := o.(*corev1.Secret)
				if s.Type == "" {
					s.Type = corev1.SecretTypeOpaque
				}
				// stringData is write-only: the conversion to the internal type merges it into data
				// (Convert_v1_Secret_To_core_Secret).
				for k, v := range s.StringData {
					if s.Data == nil {
						s.Data = map[string][]byte{}
					}
					s.Data[k] = []byte(v)
				}
				s.StringData = nil
			},
			Validate: func(o runtime.Object) field.ErrorList { return validation.ValidateSecret(o.(*corev1.Secret)) },
			ValidateUpdate: func(o, old runtime.Object) field.ErrorList {
				return validation.ValidateSecretUpdate(o.(*corev1.Secret), old.(*corev1.Secret))
			},
		},
		fields:   func(o runtime.Object) fields.Set { return fields.Set{"type": string(o.(*corev1.Secret).Type)} },
		Table:    printers.SecretTable(),
		Describe: printers.DescribeSecret,
	}
}
