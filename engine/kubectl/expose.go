package kubectl

// kubectl expose, as k8s.io/kubectl v0.37.2 pkg/cmd/expose/expose.go builds the Service, with the
// selector, ports and protocols of pkg/polymorphichelpers (canbeexposed.go,
// mapbasedselectorforobject.go, portsforobject.go, protocolsforobject.go).

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// exposeOptions are expose's flags.
type exposeOptions struct {
	port, targetPort, protocol, name, typ, selector, labels, clusterIP, dryRun string
}

func (k *Kubectl) newExpose(s Streams) *cobra.Command {
	var ns namespaceFlags
	var o exposeOptions
	c := &cobra.Command{
		Use:   "expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type]",
		Short: "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service",
		RunE: func(cmd *cobra.Command, args []string) error {
			dry, err := k.dryRunStrategy(cmd, o.dryRun, s)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				return errors.New("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
			}
			refs, err := k.parseResourceArgs(args)
			if err != nil {
				return err
			}
			for _, ref := range refs {
				if ref.name == "" {
					return errors.New("resource(s) were provided, but no name was specified")
				}
			}
			for _, ref := range refs {
				obj, err := k.client.Get(ref.res.Name, ns.namespace, ref.name)
				if err != nil {
					return err
				}
				svc, err := o.service(ref.res.GroupKind().String(), ref.name, obj)
				if err != nil {
					return err
				}
				if dry != dryRunClient {
					created, err := k.writer(dry).Create("services", ns.namespace, svc)
					if err != nil {
						return err
					}
					svc = created.(*corev1.Service)
				}
				fmt.Fprintf(s.Out, "service/%s exposed%s\n", svc.Name, dry.suffix())
			}
			return nil
		},
	}
	ns.add(c, false)
	f := c.Flags()
	f.StringVar(&o.protocol, "protocol", "", "The network protocol for the service to be created. Default is 'TCP'.")
	f.StringVar(&o.port, "port", "", "The port that the service should serve on. Copied from the resource being exposed, if unspecified")
	f.StringVar(&o.typ, "type", "", "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'.")
	f.StringVar(&o.selector, "selector", "", "A label selector to use for this service. Only equality-based selector requirements are supported. If empty (the default) infer the selector from the resource being exposed.")
	f.StringVarP(&o.labels, "labels", "l", "", "Labels to apply to the service created by this call.")
	f.StringVar(&o.targetPort, "target-port", "", "Name or number for the port on the container that the service should direct traffic to. Optional.")
	f.StringVar(&o.name, "name", "", "The name for the newly created object.")
	f.StringVar(&o.clusterIP, "cluster-ip", "", "ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service.")
	addDryRunFlag(c, &o.dryRun)
	return c
}

// service builds the Service exposing obj (RunExpose and createService).
func (o exposeOptions) service(kind, name string, obj runtime.Object) (*corev1.Service, error) {
	switch kind {
	case "Pod", "Service", "ReplicationController", "Deployment.apps", "ReplicaSet.apps":
	default:
		return nil, fmt.Errorf("cannot expose a %s", kind)
	}
	if len(name) > 63 {
		name = name[:63]
	}
	if o.name != "" {
		name = o.name
	}
	var selector map[string]string
	var err error
	if o.selector != "" {
		if selector, err = parseExposeLabels(o.selector); err != nil {
			return nil, err
		}
	} else if selector, err = selectorOf(obj); err != nil {
		return nil, fmt.Errorf("couldn't retrieve selectors via --selector flag or introspection: %v", err)
	}
	ports, protocols := portsOf(obj)
	portList := []string{o.port}
	if o.port == "" {
		switch {
		case len(ports) == 0 && o.clusterIP != corev1.ClusterIPNone:
			return nil, errors.New("couldn't find port via --port flag or introspection")
		case len(ports) == 0:
			portList = nil
		default:
			portList = ports
		}
	}
	var labels map[string]string
	if o.labels != "" {
		if labels, err = parseExposeLabels(o.labels); err != nil {
			return nil, err
		}
	} else if m, err := meta.Accessor(obj); err == nil && len(m.GetLabels()) > 0 {
		labels = m.GetLabels()
	}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec:       corev1.ServiceSpec{Selector: selector, Ports: []corev1.ServicePort{}, Type: corev1.ServiceType(o.typ)},
	}
	for i, p := range portList {
		port, err := strconv.Atoi(p)
		if err != nil {
			return nil, err
		}
		portName := ""
		if len(portList) > 1 {
			portName = fmt.Sprintf("port-%d", i+1)
		}
		protocol := o.protocol
		if protocol == "" {
			protocol = "TCP"
			if ps := protocols[p]; len(ps) == 1 {
				protocol = ps[0]
			} else if len(ps) > 1 {
				for _, pr := range ps {
					svc.Spec.Ports = append(svc.Spec.Ports, corev1.ServicePort{Name: fmt.Sprintf("port-%d-%s", i+1, strings.ToLower(pr)),
						Port: int32(port), Protocol: corev1.Protocol(pr)})
				}
				continue
			}
		}
		svc.Spec.Ports = append(svc.Spec.Ports, corev1.ServicePort{Name: portName, Port: int32(port), Protocol: corev1.Protocol(protocol)})
	}
	for i := range svc.Spec.Ports {
		if o.targetPort != "" {
			svc.Spec.Ports[i].TargetPort = intstr.Parse(o.targetPort)
		} else {
			svc.Spec.Ports[i].TargetPort = intstr.FromInt32(svc.Spec.Ports[i].Port)
		}
	}
	if o.clusterIP != "" {
		svc.Spec.ClusterIP = o.clusterIP
	}
	return svc, nil
}

// selectorOf is mapBasedSelectorForObject.
func selectorOf(obj runtime.Object) (map[string]string, error) {
	switch t := obj.(type) {
	case *corev1.Pod:
		if len(t.Labels) == 0 {
			return nil, errors.New("the pod has no labels and cannot be exposed")
		}
		return t.Labels, nil
	case *corev1.Service:
		if t.Spec.Selector == nil {
			return nil, errors.New("the service has no pod selector set")
		}
		return t.Spec.Selector, nil
	case *corev1.ReplicationController:
		return t.Spec.Selector, nil
	case *appsv1.Deployment:
		if t.Spec.Selector == nil || len(t.Spec.Selector.MatchLabels) == 0 {
			return nil, errors.New("invalid deployment: no selectors, therefore cannot be exposed")
		}
		if len(t.Spec.Selector.MatchExpressions) > 0 {
			return nil, fmt.Errorf("couldn't convert expressions - \"%+v\" to map-based selector format", t.Spec.Selector.MatchExpressions)
		}
		return t.Spec.Selector.MatchLabels, nil
	case *appsv1.ReplicaSet:
		if t.Spec.Selector == nil || len(t.Spec.Selector.MatchLabels) == 0 {
			return nil, errors.New("the replica set has no labels or selectors and cannot be exposed")
		}
		if len(t.Spec.Selector.MatchExpressions) > 0 {
			return nil, fmt.Errorf("couldn't convert expressions - \"%+v\" to map-based selector format", t.Spec.Selector.MatchExpressions)
		}
		return t.Spec.Selector.MatchLabels, nil
	}
	return nil, fmt.Errorf("cannot extract pod selector from %T", obj)
}

// portsOf is portsForObject and the protocols of each port (multiProtocolsForObject): the
// containers' ports, or a Service's, in order, without duplicates.
func portsOf(obj runtime.Object) ([]string, map[string][]string) {
	var ports []string
	protocols := map[string][]string{}
	add := func(port int32, protocol corev1.Protocol) {
		key := strconv.Itoa(int(port))
		if _, ok := protocols[key]; !ok {
			ports = append(ports, key)
		}
		if protocol == "" {
			protocol = corev1.ProtocolTCP
		}
		for _, p := range protocols[key] {
			if p == string(protocol) {
				return
			}
		}
		protocols[key] = append(protocols[key], string(protocol))
	}
	var spec *corev1.PodSpec
	switch t := obj.(type) {
	case *corev1.Pod:
		spec = &t.Spec
	case *corev1.ReplicationController:
		if t.Spec.Template != nil {
			spec = &t.Spec.Template.Spec
		}
	case *appsv1.Deployment:
		spec = &t.Spec.Template.Spec
	case *appsv1.ReplicaSet:
		spec = &t.Spec.Template.Spec
	case *corev1.Service:
		for _, p := range t.Spec.Ports {
			add(p.Port, p.Protocol)
		}
	}
	if spec != nil {
		for _, c := range spec.Containers {
			for _, p := range c.Ports {
				add(p.ContainerPort, p.Protocol)
			}
		}
	}
	for _, ps := range protocols {
		sort.Strings(ps)
	}
	return ports, protocols
}

// parseExposeLabels is expose.go's parseLabels: "k=v,k2=v2".
func parseExposeLabels(spec string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range strings.Split(spec, ",") {
		parts := strings.Split(kv, "=")
		if len(parts) != 2 {
			return nil, fmt.Errorf("unexpected label spec: %s", kv)
		}
		if parts[0] == "" {
			return nil, errors.New("unexpected empty label key")
		}
		out[parts[0]] = parts[1]
	}
	return out, nil
}
