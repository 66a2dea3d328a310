package validation

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestValidateProbes(t *testing.T) {
	http := func() corev1.ProbeHandler {
		return corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromInt32(80), Scheme: corev1.URISchemeHTTP}}
	}
	probe := func(h corev1.ProbeHandler) *corev1.Probe {
		return &corev1.Probe{ProbeHandler: h, TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3}
	}
	h2 := corev1.HTTPProtocolHTTP2
	h3 := corev1.HTTPProtocol("HTTP3")
	tls := corev1.GRPCProbeMode("mTLS")
	grace := int64(5)
	tests := []struct {
		name   string
		mutate func(c *corev1.Container)
		want   string
	}{
		{"valid", func(c *corev1.Container) {
			c.LivenessProbe, c.ReadinessProbe = probe(http()), probe(corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromString("http")}})
			c.StartupProbe = probe(corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/healthy"}}})
		}, ""},
		{"liveness success threshold", func(c *corev1.Container) {
			c.LivenessProbe = probe(http())
			c.LivenessProbe.SuccessThreshold = 2
		}, `Pod "nginx" is invalid: spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1`},
		{"startup success threshold", func(c *corev1.Container) {
			c.StartupProbe = probe(http())
			c.StartupProbe.SuccessThreshold = 3
		}, `Pod "nginx" is invalid: spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1`},
		{"readiness grace period", func(c *corev1.Container) {
			c.ReadinessProbe = probe(http())
			c.ReadinessProbe.TerminationGracePeriodSeconds = &grace
		}, `Pod "nginx" is invalid: spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes`},
		{"no handler", func(c *corev1.Container) { c.ReadinessProbe = probe(corev1.ProbeHandler{}) },
			`Pod "nginx" is invalid: spec.containers[0].readinessProbe: Required value: must specify a handler type`},
		{"two handlers", func(c *corev1.Container) {
			h := http()
			h.Exec = &corev1.ExecAction{Command: []string{"true"}}
			c.LivenessProbe = probe(h)
		}, `Pod "nginx" is invalid: spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type`},
		{"negative numbers", func(c *corev1.Container) {
			c.ReadinessProbe = probe(http())
			c.ReadinessProbe.PeriodSeconds, c.ReadinessProbe.InitialDelaySeconds = -1, -5
		}, `Pod "nginx" is invalid: [spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -5: must be greater than or equal to 0, ` +
			`spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0]`},
		{"exec without command", func(c *corev1.Container) { c.LivenessProbe = probe(corev1.ProbeHandler{Exec: &corev1.ExecAction{}}) },
			`Pod "nginx" is invalid: spec.containers[0].livenessProbe.exec.command: Required value`},
		{"http2 over https", func(c *corev1.Container) {
			h := http()
			h.HTTPGet.Scheme, h.HTTPGet.Protocol = corev1.URISchemeHTTPS, &h2
			c.ReadinessProbe = probe(h)
		}, `Pod "nginx" is invalid: spec.containers[0].readinessProbe.httpGet.protocol: Invalid value: "HTTP2": is only supported with HTTP (H2C)`},
		{"unknown protocol", func(c *corev1.Container) {
			h := http()
			h.HTTPGet.Protocol = &h3
			c.ReadinessProbe = probe(h)
		}, `Pod "nginx" is invalid: spec.containers[0].readinessProbe.httpGet.protocol: Unsupported value: "HTTP3": supported values: "HTTP1", "HTTP2"`},
		{"grpc mode", func(c *corev1.Container) {
			c.LivenessProbe = probe(corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 9000, Mode: &tls}})
		}, `Pod "nginx" is invalid: spec.containers[0].livenessProbe.grpc.mode: Unsupported value: "mTLS": supported values: "Plaintext", "TLS"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := createdPod("nginx", "nginx")
			tt.mutate(&p.Spec.Containers[0])
			if got := invalidError(podKind, p.Name, ValidatePod(p)); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// The alpha fields are dropped from a new pod, and kept on an update of one that has them.
func TestDropDisabledProbeFields(t *testing.T) {
	h2 := corev1.HTTPProtocolHTTP2
	tls := corev1.GRPCProbeModeTLS
	spec := func() *corev1.PodSpec {
		return &corev1.PodSpec{Containers: []corev1.Container{{Name: "c",
			ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Protocol: &h2}}},
			LivenessProbe:  &corev1.Probe{ProbeHandler: corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 1, Mode: &tls}}},
		}}}
	}
	s := spec()
	DropDisabledProbeFields(s, nil)
	if s.Containers[0].ReadinessProbe.HTTPGet.Protocol != nil || s.Containers[0].LivenessProbe.GRPC.Mode != nil {
		t.Errorf("create kept the gated fields: %+v", s.Containers[0])
	}
	s = spec()
	DropDisabledProbeFields(s, spec())
	if s.Containers[0].ReadinessProbe.HTTPGet.Protocol == nil || s.Containers[0].LivenessProbe.GRPC.Mode == nil {
		t.Errorf("update of a pod using them dropped them: %+v", s.Containers[0])
	}
	DropDisabledProbeFields(nil, nil)
}
