package printers

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
)

// Node role labels (the printer's labelNodeRolePrefix and nodeLabelRole).
const (
	nodeRoleLabelPrefix = "node-role.kubernetes.io/"
	nodeRoleLabel       = "kubernetes.io/role"
)

// NodeTable is how `kubectl get nodes` prints nodes (the server's printNode).
func NodeTable() Table { return Table{columns: nodeColumns(), cells: nodeCells} }

func nodeColumns() []column {
	nodeInfo, nodeStatus := corev1.NodeSystemInfo{}.SwaggerDoc(), corev1.NodeStatus{}.SwaggerDoc()
	return []column{
		nameColumn(),
		str("Status", "The status of the node"),
		str("Roles", "The roles of the node"),
		ageColumn(),
		str("Version", nodeInfo["kubeletVersion"]),
		wide(str("Internal-IP", nodeStatus["addresses"])),
		wide(str("External-IP", nodeStatus["addresses"])),
		wide(str("OS-Image", nodeInfo["osImage"])),
		wide(str("Kernel-Version", nodeInfo["kernelVersion"])),
		wide(str("Container-Runtime", nodeInfo["containerRuntimeVersion"])),
	}
}

func nodeCells(obj runtime.Object, opts Options) ([]string, error) {
	node, ok := obj.(*corev1.Node)
	if !ok {
		return nil, fmt.Errorf("expected *v1.Node, got %T", obj)
	}
	roles := strings.Join(nodeRoles(node), ",")
	info := node.Status.NodeInfo
	return []string{
		node.Name,
		nodeStatus(node),
		orNone(roles),
		age(opts.Now, node.CreationTimestamp),
		info.KubeletVersion,
		nodeAddress(node, corev1.NodeInternalIP),
		nodeAddress(node, corev1.NodeExternalIP),
		orUnknown(info.OSImage),
		orUnknown(info.KernelVersion),
		orUnknown(info.ContainerRuntimeVersion),
	}, nil
}

// nodeStatus is Ready / NotReady / Unknown, plus ",SchedulingDisabled" for a cordoned node.
func nodeStatus(node *corev1.Node) string {
	var status []string
	for _, c := range node.Status.Conditions {
		if c.Type != corev1.NodeReady {
			continue
		}
		if c.Status == corev1.ConditionTrue {
			status = []string{string(c.Type)}
		} else {
			status = []string{"Not" + string(c.Type)}
		}
	}
	if len(status) == 0 {
		status = append(status, "Unknown")
	}
	if node.Spec.Unschedulable {
		status = append(status, "SchedulingDisabled")
	}
	return strings.Join(status, ",")
}

// nodeRoles reads node-role.kubernetes.io/<role> and kubernetes.io/role=<role> labels, sorted.
func nodeRoles(node *corev1.Node) []string {
	set := map[string]bool{}
	for k, v := range node.Labels {
		switch {
		case strings.HasPrefix(k, nodeRoleLabelPrefix):
			if role := strings.TrimPrefix(k, nodeRoleLabelPrefix); role != "" {
				set[role] = true
			}
		case k == nodeRoleLabel && v != "":
			set[v] = true
		}
	}
	roles := make([]string, 0, len(set))
	for r := range set {
		roles = append(roles, r)
	}
	sort.Strings(roles)
	return roles
}

func nodeAddress(node *corev1.Node, t corev1.NodeAddressType) string {
	for _, a := range node.Status.Addresses {
		if a.Type == t {
			return a.Address
		}
	}
	return "<none>"
}

func orUnknown(s string) string {
	if s == "" {
		return "<unknown>"
	}
	return s
}

// EventTable is how `kubectl get events` prints events (the server's printEvent).
func EventTable() Table { return Table{columns: eventColumns(), cells: eventCells} }

func eventColumns() []column {
	event, ref := corev1.Event{}.SwaggerDoc(), corev1.ObjectReference{}.SwaggerDoc()
	return []column{
		str("Last Seen", event["lastTimestamp"]),
		str("Type", event["type"]),
		str("Reason", event["reason"]),
		str("Object", event["involvedObject"]),
		wide(str("Subobject", ref["fieldPath"])),
		wide(str("Source", event["source"])),
		str("Message", event["message"]),
		wide(str("First Seen", event["firstTimestamp"])),
		wide(column{name: "Count", typ: "string", description: event["count"], number: true}),
		wide(nameColumn()),
	}
}

// eventCells follows the server's printEvent. `kubectl get events` does not
// sort: rows come in the order the API server lists them (by key, that is
// by event name), a long-standing surprise (kubernetes/kubernetes#29838).
func eventCells(obj runtime.Object, opts Options) ([]string, error) {
	e, ok := obj.(*corev1.Event)
	if !ok {
		return nil, fmt.Errorf("expected *v1.Event, got %T", obj)
	}
	firstSeen := age(opts.Now, e.FirstTimestamp)
	if e.FirstTimestamp.IsZero() {
		firstSeen = microAge(opts.Now, e.EventTime)
	}
	lastSeen := age(opts.Now, e.LastTimestamp)
	if e.LastTimestamp.IsZero() {
		lastSeen = firstSeen
	}
	count := e.Count
	if e.Series != nil {
		lastSeen = microAge(opts.Now, e.Series.LastObservedTime)
		count = e.Series.Count
	} else if count == 0 {
		count = 1 // singleton events of the new API carry no count
	}
	target := strings.ToLower(e.InvolvedObject.Kind)
	if e.InvolvedObject.Name != "" {
		target += "/" + e.InvolvedObject.Name
	}
	return []string{
		lastSeen,
		e.Type,
		e.Reason,
		target,
		e.InvolvedObject.FieldPath,
		eventSource(e),
		strings.TrimSpace(e.Message),
		firstSeen,
		strconv.Itoa(int(count)),
		e.Name,
	}, nil
}

// eventSource is "component" or "component, host", falling back to the
// reporting controller and instance of the new events API.
func eventSource(e *corev1.Event) string {
	component := firstNonEmpty(e.Source.Component, e.ReportingController)
	host := firstNonEmpty(e.Source.Host, e.ReportingInstance)
	if host == "" {
		return component
	}
	return component + ", " + host
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// NamespaceTable is how `kubectl get namespaces` prints namespaces (the server's printNamespace).
func NamespaceTable() Table { return Table{columns: namespaceColumns(), cells: namespaceCells} }

func namespaceColumns() []column {
	return []column{nameColumn(), str("Status", "The status of the namespace"), ageColumn()}
}

func namespaceCells(obj runtime.Object, opts Options) ([]string, error) {
	ns, ok := obj.(*corev1.Namespace)
	if !ok {
		return nil, fmt.Errorf("expected *v1.Namespace, got %T", obj)
	}
	return []string{ns.Name, string(ns.Status.Phase), age(opts.Now, ns.CreationTimestamp)}, nil
}

// ServiceTable is how `kubectl get services` prints services (the server's printService).
func ServiceTable() Table { return Table{columns: serviceColumns(), cells: serviceCells} }

func serviceColumns() []column {
	svc := corev1.ServiceSpec{}.SwaggerDoc()
	return []column{
		nameColumn(),
		str("Type", svc["type"]),
		str("Cluster-IP", svc["clusterIP"]),
		str("External-IP", svc["externalIPs"]),
		str("Port(s)", svc["ports"]),
		ageColumn(),
		wide(str("Selector", svc["selector"])),
	}
}

func serviceCells(obj runtime.Object, opts Options) ([]string, error) {
	svc, ok := obj.(*corev1.Service)
	if !ok {
		return nil, fmt.Errorf("expected *v1.Service, got %T", obj)
	}
	clusterIP := "<none>"
	switch {
	case len(svc.Spec.ClusterIPs) > 0:
		clusterIP = svc.Spec.ClusterIPs[0]
	case svc.Spec.ClusterIP != "":
		clusterIP = svc.Spec.ClusterIP // the API server mirrors clusterIP into clusterIPs
	}
	return []string{
		svc.Name,
		string(svc.Spec.Type),
		clusterIP,
		serviceExternalIP(svc, opts.Wide),
		orNone(servicePorts(svc.Spec.Ports)),
		age(opts.Now, svc.CreationTimestamp),
		labels.FormatLabels(svc.Spec.Selector),
	}, nil
}

// serviceExternalIP follows the server's getServiceExternalIP.
func serviceExternalIP(svc *corev1.Service, wide bool) string {
	switch svc.Spec.Type {
	case corev1.ServiceTypeClusterIP, corev1.ServiceTypeNodePort:
		if len(svc.Spec.ExternalIPs) > 0 {
			return strings.Join(svc.Spec.ExternalIPs, ",")
		}
		return "<none>"
	case corev1.ServiceTypeLoadBalancer:
		lb := loadBalancerIPs(svc.Status.LoadBalancer, wide)
		if len(svc.Spec.ExternalIPs) > 0 {
			var all []string
			if lb != "" {
				all = append(all, strings.Split(lb, ",")...)
			}
			return strings.Join(append(all, svc.Spec.ExternalIPs...), ",")
		}
		if lb != "" {
			return lb
		}
		return "<pending>"
	case corev1.ServiceTypeExternalName:
		return svc.Spec.ExternalName
	}
	return "<unknown>"
}

// loadBalancerIPs lists the load balancer's IPs or hostnames, sorted and
// de-duplicated, cut to 16 characters unless -o wide.
func loadBalancerIPs(s corev1.LoadBalancerStatus, wide bool) string {
	const width = 16
	set := map[string]bool{}
	for _, in := range s.Ingress {
		switch {
		case in.IP != "":
			set[in.IP] = true
		case in.Hostname != "":
			set[in.Hostname] = true
		}
	}
	list := make([]string, 0, len(set))
	for v := range set {
		list = append(list, v)
	}
	sort.Strings(list)
	r := strings.Join(list, ",")
	if !wide && len(r) > width {
		r = r[:width-3] + "..."
	}
	return r
}

// servicePorts is the PORT(S) cell: "443/TCP", or "80:30080/TCP" with a node port.
func servicePorts(ports []corev1.ServicePort) string {
	pieces := make([]string, 0, len(ports))
	for _, p := range ports {
		if p.NodePort > 0 {
			pieces = append(pieces, fmt.Sprintf("%d:%d/%s", p.Port, p.NodePort, p.Protocol))
		} else {
			pieces = append(pieces, fmt.Sprintf("%d/%s", p.Port, p.Protocol))
		}
	}
	return strings.Join(pieces, ",")
}
