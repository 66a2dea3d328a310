package registry

import (
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
)

// ipAddresses: pkg/registry/networking/ipaddress. Since v1.33 the API server's ClusterIP
// allocator records every Service IP it hands out as an IPAddress named after the address, with
// the Service as its parentRef; kubectl get ipaddresses lists them.
func ipAddresses() *Resource {
	return &Resource{
		Name: "ipaddresses", Singular: "ipaddress", ShortNames: []string{"ip"}, Kind: "IPAddress",
		Group: "networking.k8s.io", Version: "v1", etcdDir: "ipaddresses",
		newObj:      func() runtime.Object { return &networkingv1.IPAddress{} },
		newList:     func() runtime.Object { return &networkingv1.IPAddressList{} },
		addToScheme: networkingv1.AddToScheme,
		Strategy:    metaOnlyStrategy(false),
		Table:       printers.IPAddressTable(),
		Describe:    printers.DescribeIPAddress,
	}
}
