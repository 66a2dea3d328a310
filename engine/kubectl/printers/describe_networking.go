package printers

import (
	"io"
	"time"

	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// DescribeIPAddress is IPAddressDescriber.describeIPAddressV1 (k8s.io/kubectl v0.37.2
// pkg/describe/describe.go).
func DescribeIPAddress(w io.Writer, r Reader, obj runtime.Object, now time.Time) error {
	return describeAs(w, r, obj, now, func(d *describer, ip *networkingv1.IPAddress) {
		d.write(level0, "Name:\t%s\n", ip.Name)
		d.labelsMultiline("Labels", ip.Labels)
		d.annotationsMultiline("Annotations", ip.Annotations)
		if ref := ip.Spec.ParentRef; ref != nil {
			d.write(level0, "Parent Reference:\n")
			d.write(level1, "Group:\t%s\n", ref.Group)
			d.write(level1, "Resource:\t%s\n", ref.Resource)
			d.write(level1, "Namespace:\t%s\n", ref.Namespace)
			d.write(level1, "Name:\t%s\n", ref.Name)
		}
		d.events(d.searchEvents(eventRef{name: ip.Name, kind: "IPAddress", uids: []types.UID{ip.UID}}))
	})
}
