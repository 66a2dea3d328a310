package printers

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// The tables of the configuration, identity, coordination, discovery and scheduling resources, as
// k8s.io/kubernetes v1.37.2 pkg/printers/internalversion/printers.go declares and prints them.

// ConfigMapTable is printConfigMap: NAME, DATA (keys in data and binaryData), AGE.
func ConfigMapTable() Table {
	return Table{
		columns: []column{nameColumn(), {name: "Data", typ: "string", description: corev1.ConfigMap{}.SwaggerDoc()["data"], number: true}, ageColumn()},
		cells: cellsOf(func(cm *corev1.ConfigMap, opts Options) []string {
			return []string{cm.Name, strconv.Itoa(len(cm.Data) + len(cm.BinaryData)), age(opts.Now, cm.CreationTimestamp)}
		}),
	}
}

// SecretTable is printSecret: NAME, TYPE, DATA, AGE.
func SecretTable() Table {
	doc := corev1.Secret{}.SwaggerDoc()
	return Table{
		columns: []column{nameColumn(), str("Type", doc["type"]), {name: "Data", typ: "string", description: doc["data"], number: true}, ageColumn()},
		cells: cellsOf(func(s *corev1.Secret, opts Options) []string {
			return []string{s.Name, string(s.Type), strconv.Itoa(len(s.Data)), age(opts.Now, s.CreationTimestamp)}
		}),
	}
}

// ServiceAccountTable is printServiceAccount: NAME, AGE.
func ServiceAccountTable() Table {
	return Table{
		columns: []column{nameColumn(), ageColumn()},
		cells: cellsOf(func(sa *corev1.ServiceAccount, opts Options) []string {
			return []string{sa.Name, age(opts.Now, sa.CreationTimestamp)}
		}),
	}
}

// LeaseTable is printLease: NAME, HOLDER, AGE.
func LeaseTable() Table {
	return Table{
		columns: []column{nameColumn(), str("Holder", coordinationv1.LeaseSpec{}.SwaggerDoc()["holderIdentity"]), ageColumn()},
		cells: cellsOf(func(l *coordinationv1.Lease, opts Options) []string {
			holder := ""
			if l.Spec.HolderIdentity != nil {
				holder = *l.Spec.HolderIdentity
			}
			return []string{l.Name, holder, age(opts.Now, l.CreationTimestamp)}
		}),
	}
}

// PriorityClassTable is printPriorityClass: NAME, VALUE, GLOBAL-DEFAULT, AGE, PREEMPTIONPOLICY.
// The last column is declared with priority 0, and the server fills it (it prints wide rows).
func PriorityClassTable() Table {
	doc := schedulingv1.PriorityClass{}.SwaggerDoc()
	return Table{
		columns: []column{
			nameColumn(),
			{name: "Value", typ: "integer", description: doc["value"], number: true},
			{name: "Global-Default", typ: "boolean", description: doc["globalDefault"]},
			ageColumn(),
			str("PreemptionPolicy", doc["preemptionPolicy"]),
		},
		cells: cellsOf(func(pc *schedulingv1.PriorityClass, opts Options) []string {
			policy := ""
			if pc.PreemptionPolicy != nil {
				policy = string(*pc.PreemptionPolicy)
			}
			return []string{pc.Name, strconv.Itoa(int(pc.Value)), strconv.FormatBool(pc.GlobalDefault), age(opts.Now, pc.CreationTimestamp), policy}
		}),
	}
}

// EndpointsTable is printEndpoints: NAME, ENDPOINTS, AGE.
func EndpointsTable() Table {
	return Table{
		columns: []column{nameColumn(), str("Endpoints", corev1.Endpoints{}.SwaggerDoc()["subsets"]), ageColumn()},
		cells: cellsOf(func(ep *corev1.Endpoints, opts Options) []string {
			return []string{ep.Name, formatEndpoints(ep), age(opts.Now, ep.CreationTimestamp)}
		}),
	}
}

// EndpointSliceTable is printEndpointSlice: NAME, ADDRESSTYPE, PORTS, ENDPOINTS, AGE.
func EndpointSliceTable() Table {
	doc := discoveryv1.EndpointSlice{}.SwaggerDoc()
	return Table{
		columns: []column{nameColumn(), str("AddressType", doc["addressType"]), str("Ports", doc["ports"]),
			str("Endpoints", doc["endpoints"]), ageColumn()},
		cells: cellsOf(func(s *discoveryv1.EndpointSlice, opts Options) []string {
			return []string{s.Name, string(s.AddressType), formatDiscoveryPorts(s.Ports), formatDiscoveryEndpoints(s.Endpoints),
				age(opts.Now, s.CreationTimestamp)}
		}),
	}
}

// cellsOf turns a typed row function into a Table's cells function.
func cellsOf[T runtime.Object](f func(T, Options) []string) func(runtime.Object, Options) ([]string, error) {
	return func(obj runtime.Object, opts Options) ([]string, error) {
		o, ok := obj.(T)
		if !ok {
			return nil, fmt.Errorf("expected %T, got %T", o, obj)
		}
		return f(o, opts), nil
	}
}

// formatEndpoints is the printer's formatEndpoints (all ports): up to three host:port pairs.
func formatEndpoints(endpoints *corev1.Endpoints) string {
	if len(endpoints.Subsets) == 0 {
		return "<none>"
	}
	const max = 3
	var list []string
	more, count := false, 0
	for _, ss := range endpoints.Subsets {
		if len(ss.Ports) == 0 { // headless services may have no ports
			count += len(ss.Addresses)
			for _, addr := range ss.Addresses {
				if len(list) == max {
					more = true
					break
				}
				list = append(list, addr.IP)
			}
			continue
		}
		for _, port := range ss.Ports {
			count += len(ss.Addresses)
			for _, addr := range ss.Addresses {
				if len(list) == max {
					more = true
					break
				}
				list = append(list, net.JoinHostPort(addr.IP, strconv.Itoa(int(port.Port))))
			}
		}
	}
	ret := strings.Join(list, ",")
	if more {
		return fmt.Sprintf("%s + %d more...", ret, count-max)
	}
	return ret
}

// formatDiscoveryPorts is the printer's formatDiscoveryPorts.
func formatDiscoveryPorts(ports []discoveryv1.EndpointPort) string {
	const max = 3
	var list []string
	more, count := false, 0
	for _, port := range ports {
		if len(list) < max {
			num := "*"
			if port.Port != nil {
				num = strconv.Itoa(int(*port.Port))
			} else if port.Name != nil {
				num = *port.Name
			}
			list = append(list, num)
		} else if len(list) == max {
			more = true
		}
		count++
	}
	return listWithMoreString(list, more, count, max)
}

// formatDiscoveryEndpoints is the printer's formatDiscoveryEndpoints.
func formatDiscoveryEndpoints(endpoints []discoveryv1.Endpoint) string {
	const max = 3
	var list []string
	more, count := false, 0
	for _, ep := range endpoints {
		for _, address := range ep.Addresses {
			if len(list) < max {
				list = append(list, address)
			} else if len(list) == max {
				more = true
			}
			count++
		}
	}
	return listWithMoreString(list, more, count, max)
}

func listWithMoreString(list []string, more bool, count, max int) string {
	ret := strings.Join(list, ",")
	if more {
		return fmt.Sprintf("%s + %d more...", ret, count-max)
	}
	if ret == "" {
		ret = "<unset>"
	}
	return ret
}
