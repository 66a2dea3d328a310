package registry

import (
	coordinationv1 "k8s.io/api/coordination/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
)

// leases: pkg/registry/coordination/lease (node heartbeats, leader election).
func leases() *Resource {
	return &Resource{
		Name: "leases", Singular: "lease", Kind: "Lease", Group: "coordination.k8s.io", Version: "v1", Namespaced: true,
		etcdDir:     "leases",
		newObj:      func() runtime.Object { return &coordinationv1.Lease{} },
		newList:     func() runtime.Object { return &coordinationv1.LeaseList{} },
		addToScheme: coordinationv1.AddToScheme,
		Strategy:    metaOnlyStrategy(true),
		Table:       printers.LeaseTable(),
		Describe:    printers.DescribeGeneric("coordination.k8s.io/v1", "Lease"),
	}
}
