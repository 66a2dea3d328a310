package printers

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// namespace follows kubectl's describeNamespace. Quotas and limit ranges are
// read through the Reader ("resourcequotas", "limitranges"); a Reader that
// does not serve them counts as a cluster that has none.
func (d *describer) namespace(ns *corev1.Namespace) {
	d.write(level0, "Name:\t%s\n", ns.Name)
	d.labelsMultiline("Labels", ns.Labels)
	d.annotationsMultiline("Annotations", ns.Annotations)
	d.write(level0, "Status:\t%s\n", string(ns.Status.Phase))
	if len(ns.Status.Conditions) > 0 {
		d.write(level0, "Conditions:\n")
		d.write(level1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
		d.write(level1, "----\t------\t------------------\t------\t-------\n")
		for _, c := range ns.Status.Conditions {
			d.write(level1, "%v\t%v\t%s\t%v\t%v\n", c.Type, c.Status, rfc1123z(c.LastTransitionTime), c.Reason, c.Message)
		}
	}
	d.write(level0, "\n")
	d.resourceQuotas(d.listIn("resourcequotas", ns.Name))
	d.write(level0, "\n")
	d.limitRanges(d.listIn("limitranges", ns.Name))
}

// listIn lists a resource in a namespace, treating a failure as "none".
func (d *describer) listIn(resource, namespace string) []runtime.Object {
	if d.r == nil {
		return nil
	}
	objs, err := d.r.List(resource, namespace, nil)
	if err != nil {
		return nil
	}
	return objs
}

func (d *describer) resourceQuotas(objs []runtime.Object) {
	var quotas []*corev1.ResourceQuota
	for _, o := range objs {
		if q, ok := o.(*corev1.ResourceQuota); ok && q != nil {
			quotas = append(quotas, q)
		}
	}
	if len(quotas) == 0 {
		d.write(level0, "No resource quota.\n")
		return
	}
	sort.SliceStable(quotas, func(i, j int) bool { return quotas[i].Name < quotas[j].Name })
	d.write(level0, "Resource Quotas\n")
	for _, q := range quotas {
		d.write(level1, "Name:\t%s\n", q.Name)
		d.write(level1, "Resource\tUsed\tHard\n")
		d.write(level1, "--------\t---\t---\n")
		for _, name := range sortedResourceNames(q.Status.Hard) {
			hard, used := q.Status.Hard[name], q.Status.Used[name]
			d.write(level1, "%s\t%s\t%s\n", string(name), used.String(), hard.String())
		}
	}
}

func (d *describer) limitRanges(objs []runtime.Object) {
	var ranges []*corev1.LimitRange
	for _, o := range objs {
		if lr, ok := o.(*corev1.LimitRange); ok && lr != nil {
			ranges = append(ranges, lr)
		}
	}
	if len(ranges) == 0 {
		d.write(level0, "No LimitRange resource.\n")
		return
	}
	d.write(level0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
	d.write(level0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
	for _, lr := range ranges {
		for _, item := range lr.Spec.Limits {
			names := map[corev1.ResourceName]bool{}
			for _, list := range []corev1.ResourceList{item.Max, item.Min, item.Default, item.DefaultRequest, item.MaxLimitRequestRatio} {
				for name := range list {
					names[name] = true
				}
			}
			sorted := make([]corev1.ResourceName, 0, len(names))
			for name := range names {
				sorted = append(sorted, name)
			}
			sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
			for _, name := range sorted {
				d.write(level0, " %s\t%v\t%v\t%v\t%v\t%v\t%v\n", item.Type, name,
					quantityOrDash(item.Min, name), quantityOrDash(item.Max, name), quantityOrDash(item.DefaultRequest, name),
					quantityOrDash(item.Default, name), quantityOrDash(item.MaxLimitRequestRatio, name))
			}
		}
	}
}

func quantityOrDash(list corev1.ResourceList, name corev1.ResourceName) string {
	if q, ok := list[name]; ok {
		return q.String()
	}
	return "-"
}

// service follows kubectl's describeService. Endpoints come from the
// EndpointSlices the Reader lists ("endpointslices"); none means "<none>".
func (d *describer) service(svc *corev1.Service) {
	d.write(level0, "Name:\t%s\n", svc.Name)
	d.write(level0, "Namespace:\t%s\n", svc.Namespace)
	d.labelsMultiline("Labels", svc.Labels)
	d.annotationsMultiline("Annotations", svc.Annotations)
	d.write(level0, "Selector:\t%s\n", labels.FormatLabels(svc.Spec.Selector))
	d.write(level0, "Type:\t%s\n", svc.Spec.Type)
	if svc.Spec.IPFamilyPolicy != nil {
		d.write(level0, "IP Family Policy:\t%s\n", *svc.Spec.IPFamilyPolicy)
	}
	families := make([]string, 0, len(svc.Spec.IPFamilies))
	for _, f := range svc.Spec.IPFamilies {
		families = append(families, string(f))
	}
	d.write(level0, "IP Families:\t%s\n", stringOrNone(strings.Join(families, ",")))
	d.write(level0, "IP:\t%s\n", svc.Spec.ClusterIP)
	d.write(level0, "IPs:\t%s\n", stringOrNone(strings.Join(svc.Spec.ClusterIPs, ",")))
	if len(svc.Spec.ExternalIPs) > 0 {
		d.write(level0, "External IPs:\t%v\n", strings.Join(svc.Spec.ExternalIPs, ","))
	}
	if svc.Spec.LoadBalancerIP != "" {
		d.write(level0, "Desired LoadBalancer IP:\t%s\n", svc.Spec.LoadBalancerIP)
	}
	if svc.Spec.ExternalName != "" {
		d.write(level0, "External Name:\t%s\n", svc.Spec.ExternalName)
	}
	if ingress := svc.Status.LoadBalancer.Ingress; len(ingress) > 0 {
		parts := make([]string, 0, len(ingress))
		for _, in := range ingress {
			switch {
			case in.IP != "" && in.IPMode != nil:
				parts = append(parts, fmt.Sprintf("%s (%s)", in.IP, *in.IPMode))
			case in.IP != "":
				parts = append(parts, in.IP)
			default:
				parts = append(parts, in.Hostname)
			}
		}
		d.write(level0, "LoadBalancer Ingress:\t%s\n", strings.Join(parts, ", "))
	}
	slices := d.endpointSlices(svc)
	for _, p := range svc.Spec.Ports {
		name := p.Name
		if name == "" {
			name = "<unset>"
		}
		d.write(level0, "Port:\t%s\t%d/%s\n", name, p.Port, p.Protocol)
		if p.TargetPort.Type == intstr.Int {
			d.write(level0, "TargetPort:\t%d/%s\n", p.TargetPort.IntVal, p.Protocol)
		} else {
			d.write(level0, "TargetPort:\t%s/%s\n", p.TargetPort.StrVal, p.Protocol)
		}
		if p.AppProtocol != nil {
			d.write(level0, "AppProtocol:\t%s\n", *p.AppProtocol)
		}
		if p.NodePort != 0 {
			d.write(level0, "NodePort:\t%s\t%d/%s\n", name, p.NodePort, p.Protocol)
		}
		d.write(level0, "Endpoints:\t%s\n", formatEndpointSlices(slices, p.Name))
	}
	d.write(level0, "Session Affinity:\t%s\n", svc.Spec.SessionAffinity)
	if svc.Spec.ExternalTrafficPolicy != "" {
		d.write(level0, "External Traffic Policy:\t%s\n", svc.Spec.ExternalTrafficPolicy)
	}
	if svc.Spec.InternalTrafficPolicy != nil {
		d.write(level0, "Internal Traffic Policy:\t%s\n", *svc.Spec.InternalTrafficPolicy)
	}
	if svc.Spec.HealthCheckNodePort != 0 {
		d.write(level0, "HealthCheck NodePort:\t%d\n", svc.Spec.HealthCheckNodePort)
	}
	if len(svc.Spec.LoadBalancerSourceRanges) > 0 {
		d.write(level0, "LoadBalancer Source Ranges:\t%v\n", strings.Join(svc.Spec.LoadBalancerSourceRanges, ","))
	}
	if svc.Spec.TrafficDistribution != nil {
		d.write(level0, "Traffic Distribution:\t%s\n", *svc.Spec.TrafficDistribution)
	}
	d.events(d.searchEvents(eventRef{namespace: svc.Namespace, name: svc.Name, kind: "Service", uids: []types.UID{svc.UID}}))
}

// endpointSlices lists the service's EndpointSlices (label kubernetes.io/service-name).
func (d *describer) endpointSlices(svc *corev1.Service) []discoveryv1.EndpointSlice {
	if d.r == nil {
		return nil
	}
	selector := labels.SelectorFromSet(labels.Set{discoveryv1.LabelServiceName: svc.Name})
	objs, err := d.r.List("endpointslices", svc.Namespace, selector)
	if err != nil {
		return nil
	}
	var out []discoveryv1.EndpointSlice
	for _, obj := range objs {
		if s, ok := obj.(*discoveryv1.EndpointSlice); ok && s != nil && selector.Matches(labels.Set(s.Labels)) {
			out = append(out, *s)
		}
	}
	return out
}

// formatEndpointSlices is kubectl's list of ready "ip:port" endpoints for one service port, at
// most three then "+ N more..." (k8s.io/kubectl v0.37.2 pkg/describe/describe.go). As there, the
// list counts as full as soon as a fourth endpoint comes, ready or not: three ready endpoints and
// one that is not read "a,b,c + 0 more...".
func formatEndpointSlices(slices []discoveryv1.EndpointSlice, portName string) string {
	if len(slices) == 0 {
		return "<none>"
	}
	const max = 3
	var list []string
	more := false
	count := 0
	add := func(ep discoveryv1.Endpoint, port *int32) {
		if len(list) == max {
			more = true
		}
		if !endpointReady(ep) || len(ep.Addresses) == 0 {
			return
		}
		if !more {
			if port == nil {
				list = append(list, ep.Addresses[0])
			} else {
				list = append(list, net.JoinHostPort(ep.Addresses[0], strconv.Itoa(int(*port))))
			}
		}
		count++
	}
	for _, slice := range slices {
		if len(slice.Ports) == 0 {
			for _, ep := range slice.Endpoints {
				add(ep, nil)
			}
			continue
		}
		for _, port := range slice.Ports {
			if port.Name == nil || *port.Name != portName || port.Port == nil {
				continue
			}
			for _, ep := range slice.Endpoints {
				add(ep, port.Port)
			}
		}
	}
	ret := strings.Join(list, ",")
	if more {
		return fmt.Sprintf("%s + %d more...", ret, count-max)
	}
	return ret
}

// endpointReady treats an unknown readiness as ready, as kubectl does.
func endpointReady(ep discoveryv1.Endpoint) bool {
	return ep.Conditions.Ready == nil || *ep.Conditions.Ready
}
