package validation

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Probe fields behind alpha feature gates that kube-apiserver v1.37 leaves off: an httpGet's
// protocol (H2CContainerProbe) and a gRPC probe's mode (GRPCContainerProbeTLS). As the pod
// strategy's dropDisabledFields does (k8s.io/kubernetes v1.37.2 pkg/api/pod/util.go
// dropHTTPProbeProtocol, dropDisabledGRPCContainerProbeTLS), a new object loses them silently,
// unless the object it replaces already used them.

var (
	supportedHTTPProtocols  = []corev1.HTTPProtocol{corev1.HTTPProtocolHTTP1, corev1.HTTPProtocolHTTP2}
	supportedGRPCProbeModes = []corev1.GRPCProbeMode{corev1.GRPCProbeModePlaintext, corev1.GRPCProbeModeTLS}
)

// DropDisabledProbeFields clears the gated probe fields of spec unless old (nil on create) uses
// them.
func DropDisabledProbeFields(spec, old *corev1.PodSpec) {
	if spec == nil {
		return
	}
	dropProtocol := !usesProbeField(old, func(h *corev1.HTTPGetAction, _ *corev1.GRPCAction) bool { return h != nil && h.Protocol != nil })
	dropMode := !usesProbeField(old, func(_ *corev1.HTTPGetAction, g *corev1.GRPCAction) bool { return g != nil && g.Mode != nil })
	visitProbeHandlers(spec, func(h *corev1.HTTPGetAction, g *corev1.GRPCAction) bool {
		if h != nil && dropProtocol {
			h.Protocol = nil
		}
		if g != nil && dropMode {
			g.Mode = nil
		}
		return false
	})
}

func usesProbeField(spec *corev1.PodSpec, uses func(*corev1.HTTPGetAction, *corev1.GRPCAction) bool) bool {
	return spec != nil && visitProbeHandlers(spec, uses)
}

// visitProbeHandlers calls f with the httpGet and grpc actions of every probe and lifecycle hook
// of every container, until f returns true.
func visitProbeHandlers(spec *corev1.PodSpec, f func(*corev1.HTTPGetAction, *corev1.GRPCAction) bool) bool {
	visit := func(c *corev1.Container) bool {
		for _, p := range []*corev1.Probe{c.LivenessProbe, c.ReadinessProbe, c.StartupProbe} {
			if p != nil && f(p.HTTPGet, p.GRPC) {
				return true
			}
		}
		if c.Lifecycle != nil {
			for _, h := range []*corev1.LifecycleHandler{c.Lifecycle.PostStart, c.Lifecycle.PreStop} {
				if h != nil && f(h.HTTPGet, nil) {
					return true
				}
			}
		}
		return false
	}
	for i := range spec.InitContainers {
		if visit(&spec.InitContainers[i]) {
			return true
		}
	}
	for i := range spec.Containers {
		if visit(&spec.Containers[i]) {
			return true
		}
	}
	return false
}

// validateHTTPGetProtocol checks an httpGet's protocol, as validateHTTPGetAction does
// (pkg/apis/core/validation/validation.go).
func validateHTTPGetProtocol(h *corev1.HTTPGetAction, fldPath *field.Path) field.ErrorList {
	if h.Protocol == nil {
		return nil
	}
	switch {
	case !containsValue(supportedHTTPProtocols, *h.Protocol):
		return field.ErrorList{field.NotSupported(fldPath.Child("protocol"), *h.Protocol, supportedHTTPProtocols)}
	case *h.Protocol == corev1.HTTPProtocolHTTP2 && h.Scheme != corev1.URISchemeHTTP:
		return field.ErrorList{field.Invalid(fldPath.Child("protocol"), *h.Protocol, "is only supported with HTTP (H2C)")}
	case *h.Protocol == corev1.HTTPProtocolHTTP2 && len(h.Host) > 0:
		return field.ErrorList{field.Invalid(fldPath.Child("host"), h.Host, "must be empty when `protocol` is \"HTTP2\"")}
	}
	return nil
}

// validateGRPCMode checks a gRPC probe's mode, as validateGRPCAction does.
func validateGRPCMode(g *corev1.GRPCAction, fldPath *field.Path) field.ErrorList {
	if g.Mode != nil && !containsValue(supportedGRPCProbeModes, *g.Mode) {
		return field.ErrorList{field.NotSupported(fldPath.Child("mode"), *g.Mode, supportedGRPCProbeModes)}
	}
	return nil
}
