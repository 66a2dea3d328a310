package printers

import (
	"io"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// DescribeEndpoints is kubectl's EndpointsDescriber (k8s.io/kubectl v0.37.2 pkg/describe/describe.go,
// describeEndpoints).
func DescribeEndpoints(w io.Writer, r Reader, obj runtime.Object, now time.Time) error {
	return describeAs(w, r, obj, now, func(d *describer, ep *corev1.Endpoints) {
		d.write(level0, "Name:\t%s\n", ep.Name)
		d.write(level0, "Namespace:\t%s\n", ep.Namespace)
		d.labelsMultiline("Labels", ep.Labels)
		d.annotationsMultiline("Annotations", ep.Annotations)
		d.write(level0, "Subsets:\n")
		for _, subset := range ep.Subsets {
			ips := func(addrs []corev1.EndpointAddress) string {
				out := make([]string, 0, len(addrs))
				for _, a := range addrs {
					out = append(out, a.IP)
				}
				if len(out) == 0 {
					return "<none>"
				}
				return strings.Join(out, ",")
			}
			d.write(level1, "Addresses:\t%s\n", ips(subset.Addresses))
			d.write(level1, "NotReadyAddresses:\t%s\n", ips(subset.NotReadyAddresses))
			if len(subset.Ports) > 0 {
				d.write(level1, "Ports:\n")
				d.write(level2, "Name\tPort\tProtocol\n")
				d.write(level2, "----\t----\t--------\n")
				for _, port := range subset.Ports {
					name := port.Name
					if name == "" {
						name = "<unset>"
					}
					d.write(level2, "%s\t%d\t%s\n", name, port.Port, port.Protocol)
				}
			}
			d.write(level0, "\n")
		}
		d.events(d.searchEvents(eventRef{namespace: ep.Namespace, name: ep.Name, kind: "Endpoints", uids: []types.UID{ep.UID}}))
	})
}

// DescribeEndpointSlice is kubectl's EndpointSliceDescriber (describeEndpointSliceV1).
func DescribeEndpointSlice(w io.Writer, r Reader, obj runtime.Object, now time.Time) error {
	return describeAs(w, r, obj, now, func(d *describer, eps *discoveryv1.EndpointSlice) {
		d.write(level0, "Name:\t%s\n", eps.Name)
		d.write(level0, "Namespace:\t%s\n", eps.Namespace)
		d.labelsMultiline("Labels", eps.Labels)
		d.annotationsMultiline("Annotations", eps.Annotations)
		d.write(level0, "AddressType:\t%s\n", string(eps.AddressType))
		if len(eps.Ports) == 0 {
			d.write(level0, "Ports: <unset>\n")
		} else {
			d.write(level0, "Ports:\n")
			d.write(level1, "Name\tPort\tProtocol\n")
			d.write(level1, "----\t----\t--------\n")
			for _, port := range eps.Ports {
				name, num, proto := "<unset>", "<unset>", ""
				if port.Name != nil && *port.Name != "" {
					name = *port.Name
				}
				if port.Port != nil {
					num = strconv.Itoa(int(*port.Port))
				}
				if port.Protocol != nil { // kubectl dereferences it; the API server always defaults it
					proto = string(*port.Protocol)
				}
				d.write(level1, "%s\t%s\t%s\n", name, num, proto)
			}
		}
		if len(eps.Endpoints) == 0 {
			d.write(level0, "Endpoints: <none>\n")
		} else {
			d.write(level0, "Endpoints:\n")
			for _, ep := range eps.Endpoints {
				addrs := strings.Join(ep.Addresses, ", ")
				if addrs == "" {
					addrs = "<none>"
				}
				d.write(level1, "- Addresses:\t%s\n", addrs)
				d.write(level2, "Conditions:\n")
				d.write(level3, "Ready:\t%s\n", boolPtrOrUnset(ep.Conditions.Ready))
				d.write(level2, "Hostname:\t%s\n", strPtrOrUnset(ep.Hostname))
				if ep.TargetRef != nil {
					d.write(level2, "TargetRef:\t%s/%s\n", ep.TargetRef.Kind, ep.TargetRef.Name)
				}
				d.write(level2, "NodeName:\t%s\n", strPtrOrUnset(ep.NodeName))
				d.write(level2, "Zone:\t%s\n", strPtrOrUnset(ep.Zone))
			}
		}
		d.events(d.searchEvents(eventRef{namespace: eps.Namespace, name: eps.Name, kind: "EndpointSlice", uids: []types.UID{eps.UID}}))
	})
}

func boolPtrOrUnset(b *bool) string {
	if b == nil {
		return "<unset>"
	}
	return strconv.FormatBool(*b)
}

func strPtrOrUnset(s *string) string {
	if s == nil {
		return "<unset>"
	}
	return *s
}
