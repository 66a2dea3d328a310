package printers

import (
	"strings"

	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// IPAddressTable is printIPAddress (k8s.io/kubernetes v1.37.2
// pkg/printers/internalversion/printers.go): NAME, PARENTREF as group-resource/namespace/name.
// The server declares no AGE column for IPAddresses, so none is shown.
func IPAddressTable() Table {
	return Table{
		columns: []column{nameColumn(), str("ParentRef", networkingv1.IPAddressSpec{}.SwaggerDoc()["parentRef"])},
		cells: cellsOf(func(ip *networkingv1.IPAddress, _ Options) []string {
			parent := "<none>"
			if ref := ip.Spec.ParentRef; ref != nil {
				parent = strings.ToLower(schema.GroupResource{Group: ref.Group, Resource: ref.Resource}.String())
				if ref.Namespace != "" {
					parent += "/" + ref.Namespace
				}
				parent += "/" + ref.Name
			}
			return []string{ip.Name, parent}
		}),
	}
}
