package quiz

// Probes for the lesson on Services. They read what the API server holds (Services and the
// EndpointSlices the endpointslice-controller writes), what cluster DNS answers, and which pod
// answered the latest curl (a fact of the simulated network the cluster remembers).
//
//	probe                                     value   what
//	service-cluster-ip service=S              text    spec.clusterIP: "10.96.123.45" (CLUSTER-IP of kubectl get svc)
//	service-selector service=S                text    spec.selector as kubectl's SELECTOR column writes it: "app=web"
//	service-node-port service=S               number  the node port of S's first port (fails for a Service without one)
//	node-address node=N                       text    the node's InternalIP (status.addresses), where its node ports listen
//	endpointslice-name service=S              text    the name of S's EndpointSlice (label kubernetes.io/service-name=S);
//	                                                  fails unless there is exactly one
//	endpoint-count service=S                  number  endpoints in S's EndpointSlices whose condition is true (ready by
//	               [condition=C]                      default; serving, terminating; all counts every endpoint)
//	dns-address name=N                        text    the first address cluster DNS answers for N, looked up as a pod in
//	                                                  the namespace would (search path); fails on NXDOMAIN
//	curl-pod                                  text    the pod that answered the latest curl (its name); fails when that
//	                                                  curl got no answer

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/k8slearn/k8slearn/engine/dns"
)

// endpointConditions are the values of endpoint-count's condition argument.
var endpointConditions = []string{"ready", "serving", "terminating", "all"}

// serviceProbeSpecs are the probes of this file, added to probeSpecs.
func serviceProbeSpecs() map[string]probeSpec {
	svc := []string{"service"}
	return map[string]probeSpec{
		"service-cluster-ip": {run: probeServiceClusterIP, yields: TextValue, required: svc},
		"service-selector":   {run: probeServiceSelector, yields: TextValue, required: svc},
		"service-node-port":  {run: probeServiceNodePort, yields: NumberValue, required: svc},
		"node-address":       {run: probeNodeAddress, yields: TextValue, required: []string{"node"}},
		"endpointslice-name": {run: probeEndpointSliceName, yields: TextValue, required: svc},
		"endpoint-count":     {run: probeEndpointCount, yields: NumberValue, required: svc, optional: []string{"condition"}},
		"dns-address":        {run: probeDNSAddress, yields: TextValue, required: []string{"name"}},
		"curl-pod":           {run: probeCurlPod, yields: TextValue},
	}
}

// checkServiceArgValue checks the values of this file's arguments whose form is known without a
// cluster; known is false for an argument it does not know.
func checkServiceArgValue(name, value string) (known bool, err error) {
	if name == "condition" {
		if !contains(endpointConditions, value) {
			return true, fmt.Errorf("condition=%s: want one of %s", value, strings.Join(endpointConditions, ", "))
		}
		return true, nil
	}
	return false, nil
}

func (e Env) service(name string) (*corev1.Service, error) {
	obj, err := e.get("services", name)
	if err != nil {
		return nil, err
	}
	return obj.(*corev1.Service), nil
}

// slices are the EndpointSlices of the Service named svc, by name.
func (e Env) slices(svc string) ([]*discoveryv1.EndpointSlice, error) {
	if _, err := e.service(svc); err != nil {
		return nil, err
	}
	objs, err := e.list("endpointslices", discoveryv1.LabelServiceName+"="+svc)
	if err != nil {
		return nil, err
	}
	out := make([]*discoveryv1.EndpointSlice, 0, len(objs))
	for _, o := range objs {
		out = append(out, o.(*discoveryv1.EndpointSlice))
	}
	return out, nil
}

func probeServiceClusterIP(env Env, args map[string]string) (Value, error) {
	s, err := env.service(args["service"])
	if err != nil {
		return Value{}, err
	}
	if s.Spec.ClusterIP == "" {
		return Value{}, fmt.Errorf("service %s has no cluster IP", s.Name)
	}
	return textValue(s.Spec.ClusterIP), nil
}

func probeServiceSelector(env Env, args map[string]string) (Value, error) {
	s, err := env.service(args["service"])
	if err != nil {
		return Value{}, err
	}
	if len(s.Spec.Selector) == 0 {
		return Value{}, fmt.Errorf("service %s has no selector", s.Name)
	}
	return textValue(labels.SelectorFromSet(s.Spec.Selector).String()), nil
}

func probeServiceNodePort(env Env, args map[string]string) (Value, error) {
	s, err := env.service(args["service"])
	if err != nil {
		return Value{}, err
	}
	if len(s.Spec.Ports) == 0 || s.Spec.Ports[0].NodePort == 0 {
		return Value{}, fmt.Errorf("service %s has no node port", s.Name)
	}
	return numberValue(int(s.Spec.Ports[0].NodePort)), nil
}

// probeNodeAddress: the node's InternalIP, as kubectl get nodes -o wide shows it.
func probeNodeAddress(env Env, args map[string]string) (Value, error) {
	n, err := env.node(args["node"])
	if err != nil {
		return Value{}, err
	}
	for _, a := range n.Status.Addresses {
		if a.Type == corev1.NodeInternalIP {
			return textValue(a.Address), nil
		}
	}
	return Value{}, fmt.Errorf("node %s has no InternalIP", n.Name)
}

func probeEndpointSliceName(env Env, args map[string]string) (Value, error) {
	slices, err := env.slices(args["service"])
	if err != nil {
		return Value{}, err
	}
	if len(slices) != 1 {
		return Value{}, fmt.Errorf("service %s has %d EndpointSlices, not one", args["service"], len(slices))
	}
	return textValue(slices[0].Name), nil
}

func probeEndpointCount(env Env, args map[string]string) (Value, error) {
	slices, err := env.slices(args["service"])
	if err != nil {
		return Value{}, err
	}
	cond := args["condition"]
	if cond == "" {
		cond = "ready"
	}
	n := 0
	for _, s := range slices {
		for _, e := range s.Endpoints {
			c := e.Conditions
			var v *bool
			switch cond {
			case "all":
				n++
				continue
			case "ready":
				v = c.Ready
			case "serving":
				v = c.Serving
			case "terminating":
				v = c.Terminating
			}
			if v != nil && *v {
				n++
			}
		}
	}
	return numberValue(n), nil
}

func probeDNSAddress(env Env, args map[string]string) (Value, error) {
	if env.Real != nil {
		return realDNSAddress(env, args["name"])
	}
	c, err := env.client()
	if err != nil {
		return Value{}, err
	}
	a, ok := dns.New(c).Lookup(env.ns(), args["name"])
	if !ok {
		return Value{}, fmt.Errorf("cluster DNS has no name %s", args["name"])
	}
	if len(a.IPs) == 0 {
		return Value{}, fmt.Errorf("cluster DNS knows %s but has no address for it", a.Name)
	}
	ips := append([]string(nil), a.IPs...)
	sort.Strings(ips)
	return textValue(ips[0]), nil
}

// realDNSAddress is what cluster DNS answers for a Service of the lesson's namespace on a real
// cluster, read from the Service itself (the Kubernetes DNS specification): its ClusterIP, or for
// a headless one its ready endpoints' addresses. Names in other namespaces are not the lesson's to
// read.
func realDNSAddress(env Env, name string) (Value, error) {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	for _, suffix := range []string{"." + dns.Domain, ".svc", "." + env.ns()} {
		name = strings.TrimSuffix(name, suffix)
	}
	if strings.Contains(name, ".") {
		return Value{}, fmt.Errorf("%s is not a Service of the lesson's namespace", name)
	}
	s, err := env.service(name)
	if err != nil {
		return Value{}, fmt.Errorf("cluster DNS has no name %s", name)
	}
	if s.Spec.ClusterIP != "" && s.Spec.ClusterIP != corev1.ClusterIPNone {
		return textValue(s.Spec.ClusterIP), nil
	}
	slices, err := env.slices(name)
	if err != nil {
		return Value{}, err
	}
	var ips []string
	for _, sl := range slices {
		for _, e := range sl.Endpoints {
			if e.Conditions.Ready == nil || *e.Conditions.Ready {
				ips = append(ips, e.Addresses...)
			}
		}
	}
	if len(ips) == 0 {
		return Value{}, fmt.Errorf("cluster DNS knows %s but has no address for it", name)
	}
	sort.Strings(ips)
	return textValue(ips[0]), nil
}

func probeCurlPod(env Env, _ map[string]string) (Value, error) {
	if env.Real != nil {
		return Value{}, fmt.Errorf("curl does not say which pod answered, and a real cluster does not record it")
	}
	if env.Cluster == nil {
		return Value{}, fmt.Errorf("no cluster to read")
	}
	last := env.Cluster.LastCurl()
	if len(last) == 0 || last[len(last)-1].Hop.Pod == "" {
		return Value{}, fmt.Errorf("the latest curl got no answer from a pod")
	}
	_, name, _ := strings.Cut(last[len(last)-1].Hop.Pod, "/")
	return textValue(name), nil
}
