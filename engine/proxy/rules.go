// Package proxy is kube-proxy in miniature: one per node, it watches Services and EndpointSlices
// and writes, in the node's kernel (here: in memory), the rules that send a connection to a
// Service's IP and port on to one of its endpoints. It never writes through the API server. The
// rules print as iptables-save or nft would show them (iptables.go, nftables.go), and Connect
// follows them as the kernel would (connect.go).
//
// Modelled on k8s.io/kubernetes v1.37.2 pkg/proxy: servicechangetracker.go and
// endpointslicecache.go (what a Service port and its endpoints are), topology.go
// CategorizeEndpoints (ready endpoints, else serving terminating ones), iptables/proxier.go and
// nftables/proxier.go (the rules). Left out: LoadBalancer and external IPs, topology hints,
// conntrack, dual-stack, the periodic full resync.
package proxy

import (
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
)

// ClusterCIDR is the pod network (kube-proxy's --cluster-cidr as kubeadm and kind set it): traffic
// to a Service from outside it is masqueraded.
const ClusterCIDR = "10.244.0.0/16"

// Rules is what one kube-proxy last wrote: every Service port it handles, sorted by name.
type Rules struct {
	Node   string
	NodeIP string
	Ports  []ServicePort
}

// ServicePort is one port of one Service, with the endpoints kube-proxy sends its traffic to.
type ServicePort struct {
	Namespace, Service, PortName string
	Protocol                     corev1.Protocol
	ClusterIP                    string
	Port                         int32
	NodePort                     int32
	// Affinity is the ClientIP session affinity timeout in seconds; 0 without affinity.
	Affinity int32
	// InternalLocal and ExternalLocal: the internal and external traffic policies are Local.
	InternalLocal, ExternalLocal bool
	// Endpoints are every endpoint of the port, sorted by "ip:port"; Internal and External are
	// those that traffic to the cluster IP and to the node port goes to (CategorizeEndpoints).
	Endpoints          []Endpoint
	Internal, External []Endpoint
}

// Endpoint is one endpoint of a Service port as kube-proxy sees it.
type Endpoint struct {
	IP                          string
	Port                        int32
	Node                        string
	Pod                         string // namespace/name of the target, if any
	Local                       bool   // on this kube-proxy's node
	Ready, Serving, Terminating bool
}

// String is "ip:port", the endpoint as kube-proxy names it.
func (e Endpoint) String() string { return e.IP + ":" + itoa(e.Port) }

// Name is the service port's name as kube-proxy writes it in comments: "default/web", or
// "default/kubernetes:https" for a named port (ServicePortName.String).
func (p ServicePort) Name() string {
	n := p.Namespace + "/" + p.Service
	if p.PortName != "" {
		n += ":" + p.PortName
	}
	return n
}

func (p ServicePort) proto() string { return strings.ToLower(string(p.Protocol)) }

// Build computes the rules of node from the Services and EndpointSlices kube-proxy's informers
// hold.
func Build(node, nodeIP string, services []*corev1.Service, slices []*discoveryv1.EndpointSlice) Rules {
	bySvc := map[string][]*discoveryv1.EndpointSlice{}
	for _, s := range slices {
		if s.AddressType != discoveryv1.AddressTypeIPv4 {
			continue
		}
		name := s.Labels[discoveryv1.LabelServiceName]
		if name == "" {
			continue
		}
		key := s.Namespace + "/" + name
		bySvc[key] = append(bySvc[key], s)
	}
	r := Rules{Node: node, NodeIP: nodeIP}
	for _, svc := range services {
		if !handled(svc) {
			continue
		}
		for _, sp := range svc.Spec.Ports {
			p := ServicePort{Namespace: svc.Namespace, Service: svc.Name, PortName: sp.Name, Protocol: sp.Protocol,
				ClusterIP: svc.Spec.ClusterIP, Port: sp.Port, NodePort: sp.NodePort,
				InternalLocal: svc.Spec.InternalTrafficPolicy != nil && *svc.Spec.InternalTrafficPolicy == corev1.ServiceInternalTrafficPolicyLocal,
				ExternalLocal: svc.Spec.ExternalTrafficPolicy == corev1.ServiceExternalTrafficPolicyLocal,
			}
			if svc.Spec.SessionAffinity == corev1.ServiceAffinityClientIP {
				p.Affinity = corev1.DefaultClientIPServiceAffinitySeconds
				if c := svc.Spec.SessionAffinityConfig; c != nil && c.ClientIP != nil && c.ClientIP.TimeoutSeconds != nil {
					p.Affinity = *c.ClientIP.TimeoutSeconds
				}
			}
			if p.Protocol == "" {
				p.Protocol = corev1.ProtocolTCP
			}
			p.Endpoints = endpointsFor(node, sp, bySvc[svc.Namespace+"/"+svc.Name])
			p.Internal = categorize(p.Endpoints, p.InternalLocal)
			if p.NodePort != 0 {
				p.External = categorize(p.Endpoints, p.ExternalLocal)
			}
			r.Ports = append(r.Ports, p)
		}
	}
	sort.Slice(r.Ports, func(i, j int) bool {
		a, b := r.Ports[i], r.Ports[j]
		if a.Name() != b.Name() {
			return a.Name() < b.Name()
		}
		return a.Protocol < b.Protocol
	})
	return r
}

// handled: kube-proxy has rules for Services with a cluster IP, not for headless or ExternalName
// ones (servicechangetracker.go serviceToServiceMap).
func handled(svc *corev1.Service) bool {
	if svc.Spec.Type == corev1.ServiceTypeExternalName {
		return false
	}
	ip := svc.Spec.ClusterIP
	return ip != "" && ip != corev1.ClusterIPNone
}

// endpointsFor collects a Service port's endpoints from its slices: the slice port of the same name
// and protocol gives the port; one endpoint per "ip:port", a running pod preferred over a
// terminating one with the same IP (endpointslicecache.go addEndpoints).
func endpointsFor(node string, sp corev1.ServicePort, slices []*discoveryv1.EndpointSlice) []Endpoint {
	set := map[string]Endpoint{}
	for _, s := range slices {
		for _, port := range s.Ports {
			if port.Name == nil || *port.Name != sp.Name || port.Port == nil || port.Protocol == nil || *port.Protocol != sp.Protocol {
				continue
			}
			for _, ep := range s.Endpoints {
				if len(ep.Addresses) == 0 {
					continue
				}
				e := Endpoint{IP: ep.Addresses[0], Port: *port.Port,
					Ready:       ep.Conditions.Ready == nil || *ep.Conditions.Ready,
					Serving:     ep.Conditions.Serving == nil || *ep.Conditions.Serving,
					Terminating: ep.Conditions.Terminating != nil && *ep.Conditions.Terminating}
				if ep.NodeName != nil {
					e.Node = *ep.NodeName
					e.Local = *ep.NodeName == node
				}
				if ep.TargetRef != nil {
					e.Pod = ep.TargetRef.Namespace + "/" + ep.TargetRef.Name
				}
				if _, exists := set[e.String()]; !exists || !e.Terminating {
					set[e.String()] = e
				}
			}
		}
	}
	out := make([]Endpoint, 0, len(set))
	for _, e := range set {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// categorize is topology.go CategorizeEndpoints for one traffic policy: the ready endpoints (the
// local ones for a Local policy), else the serving ones that are terminating.
func categorize(eps []Endpoint, local bool) []Endpoint {
	pick := func(f func(Endpoint) bool) []Endpoint {
		var out []Endpoint
		for _, e := range eps {
			if (!local || e.Local) && f(e) {
				out = append(out, e)
			}
		}
		return out
	}
	if ready := pick(func(e Endpoint) bool { return e.Ready }); len(ready) > 0 {
		return ready
	}
	return pick(func(e Endpoint) bool { return e.Serving && e.Terminating })
}

// Counts are the numbers the trace reports after a sync: service ports and the endpoints traffic
// can go to.
func (r Rules) Counts() (ports, endpoints int) {
	for _, p := range r.Ports {
		endpoints += len(p.Internal)
	}
	return len(r.Ports), endpoints
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }
