package kubelet

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// containerEnv is the environment the kubelet gives a container (makeEnvironmentVariables,
// k8s.io/kubernetes v1.37.2 pkg/kubelet/kubelet_pods.go): the container's own variables, then the
// variables of the Services of its namespace (enableServiceLinks, on by default) and of the
// kubernetes Service, for every name the container does not set itself. The kubelet builds them
// in a map, so their order is no order; here they are sorted by name.
func (k *Kubelet) containerEnv(pod *corev1.Pod, c *corev1.Container, podIP string) []string {
	links := pod.Spec.EnableServiceLinks == nil || *pod.Spec.EnableServiceLinks
	svcEnv := k.serviceEnv(pod.Namespace, links)
	set := make(map[string]string, len(c.Env)+len(svcEnv))
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			set[e.Name] = e.Value
		case e.ValueFrom.FieldRef != nil:
			set[e.Name] = podField(pod, e.ValueFrom.FieldRef.FieldPath, podIP)
		}
	}
	for name, v := range svcEnv {
		if _, ok := set[name]; !ok {
			set[name] = v
		}
	}
	out := make([]string, 0, len(set))
	for name, v := range set {
		out = append(out, name+"="+v)
	}
	sort.Strings(out)
	return out
}

// podField is a downward API field (pkg/kubelet/kubelet_pods.go podFieldSelectorRuntimeValue).
func podField(pod *corev1.Pod, path, podIP string) string {
	switch path {
	case "metadata.name":
		return pod.Name
	case "metadata.namespace":
		return pod.Namespace
	case "metadata.uid":
		return string(pod.UID)
	case "spec.nodeName":
		return pod.Spec.NodeName
	case "spec.serviceAccountName":
		return pod.Spec.ServiceAccountName
	case "status.podIP":
		return podIP
	case "status.hostIP":
		return pod.Status.HostIP
	}
	return ""
}

// serviceEnv is getServiceEnvVarMap with envvars.FromServices (pkg/kubelet/envvars/envvars.go):
// NAME_SERVICE_HOST, NAME_SERVICE_PORT (and _PORTNAME for named ports), and the Docker link
// variables NAME_PORT, NAME_PORT_80_TCP, _PROTO, _PORT, _ADDR.
//
// The map is shared: a crash-looping container restarts with the same variables, which are
// worked out again only after a Service changed.
func (k *Kubelet) serviceEnv(ns string, links bool) map[string]string {
	key := svcEnvKey{ns: ns, links: links}
	if m, ok := k.svcEnv[key]; ok {
		return m
	}
	m := k.buildServiceEnv(ns, links)
	if k.svcEnv == nil {
		k.svcEnv = map[svcEnvKey]map[string]string{}
	}
	k.svcEnv[key] = m
	return m
}

// svcEnvKey is what serviceEnv's answer depends on besides the Services.
type svcEnvKey struct {
	ns    string
	links bool
}

func (k *Kubelet) buildServiceEnv(ns string, links bool) map[string]string {
	m := map[string]string{}
	objs := k.svcInf.List()
	var chosen []*corev1.Service
	byName := map[string]bool{}
	for _, o := range objs {
		svc := o.(*corev1.Service)
		if svc.Spec.ClusterIP == "" || svc.Spec.ClusterIP == corev1.ClusterIPNone || len(svc.Spec.Ports) == 0 {
			continue
		}
		master := svc.Namespace == metav1.NamespaceDefault && svc.Name == "kubernetes"
		if master || (svc.Namespace == ns && links) {
			if !byName[svc.Name] || svc.Namespace == ns {
				chosen = append(chosen, svc)
				byName[svc.Name] = true
			}
		}
	}
	for _, svc := range chosen {
		prefix := strings.ToUpper(strings.ReplaceAll(svc.Name, "-", "_"))
		m[prefix+"_SERVICE_HOST"] = svc.Spec.ClusterIP
		m[prefix+"_SERVICE_PORT"] = strconv.Itoa(int(svc.Spec.Ports[0].Port))
		for i, p := range svc.Spec.Ports {
			if p.Name != "" {
				m[prefix+"_SERVICE_PORT_"+strings.ToUpper(strings.ReplaceAll(p.Name, "-", "_"))] = strconv.Itoa(int(p.Port))
			}
			proto := string(p.Protocol)
			if proto == "" {
				proto = string(corev1.ProtocolTCP)
			}
			hostPort := net.JoinHostPort(svc.Spec.ClusterIP, strconv.Itoa(int(p.Port)))
			url := fmt.Sprintf("%s://%s", strings.ToLower(proto), hostPort)
			if i == 0 {
				m[prefix+"_PORT"] = url
			}
			pp := fmt.Sprintf("%s_PORT_%d_%s", prefix, p.Port, strings.ToUpper(proto))
			m[pp] = url
			m[pp+"_PROTO"] = strings.ToLower(proto)
			m[pp+"_PORT"] = strconv.Itoa(int(p.Port))
			m[pp+"_ADDR"] = svc.Spec.ClusterIP
		}
	}
	return m
}
