package registry

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
	"github.com/k8slearn/k8slearn/engine/validation"
)

// serviceAccounts: pkg/registry/core/serviceaccount.
func serviceAccounts() *Resource {
	return &Resource{
		Name: "serviceaccounts", Singular: "serviceaccount", ShortNames: []string{"sa"}, Kind: "ServiceAccount", Version: "v1",
		Namespaced: true, etcdDir: "serviceaccounts",
		newObj:      func() runtime.Object { return &corev1.ServiceAccount{} },
		newList:     func() runtime.Object { return &corev1.ServiceAccountList{} },
		addToScheme: corev1.AddToScheme,
		Strategy:    metaOnlyStrategy(true),
		Table:       printers.ServiceAccountTable(),
		Describe:    printers.DescribeServiceAccount,
	}
}

// metaOnlyStrategy validates the metadata only (a DNS subdomain name), for resources whose spec
// the miniature cluster does not check.
func metaOnlyStrategy(namespaced bool) Strategy {
	return Strategy{
		Validate: func(o runtime.Object) field.ErrorList {
			return validation.ValidateObjectMeta(objectMeta(o), namespaced)
		},
		ValidateUpdate: func(o, old runtime.Object) field.ErrorList {
			return validation.ValidateObjectMetaUpdate(objectMeta(o), objectMeta(old))
		},
	}
}
