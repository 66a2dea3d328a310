package printers

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestDescribeProbe(t *testing.T) {
	svc := "health"
	base := corev1.Probe{TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3}
	with := func(h corev1.ProbeHandler, delay int32) *corev1.Probe {
		p := base
		p.ProbeHandler, p.InitialDelaySeconds = h, delay
		return &p
	}
	tests := []struct {
		p    *corev1.Probe
		want string
	}{
		{with(corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromInt(80), Scheme: corev1.URISchemeHTTP}}, 0),
			"http-get http://:80/ delay=0s timeout=1s period=10s successThreshold=1 failureThreshold=3"},
		{with(corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Host: "example.com", Port: intstr.FromString("http"), Scheme: corev1.URISchemeHTTPS}}, 5),
			"http-get https://example.com:http/healthz delay=5s timeout=1s period=10s successThreshold=1 failureThreshold=3"},
		{with(corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt(6379)}}, 0),
			"tcp-socket :6379 delay=0s timeout=1s period=10s successThreshold=1 failureThreshold=3"},
		{with(corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"cat", "/tmp/healthy"}}}, 5),
			"exec [cat /tmp/healthy] delay=5s timeout=1s period=10s successThreshold=1 failureThreshold=3"},
		{with(corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 9000, Service: &svc}}, 0),
			"grpc <pod>:9000 health delay=0s timeout=1s period=10s successThreshold=1 failureThreshold=3"},
		{with(corev1.ProbeHandler{}, 0), "unknown delay=0s timeout=1s period=10s successThreshold=1 failureThreshold=3"},
	}
	for _, tt := range tests {
		if got := describeProbe(tt.p); got != tt.want {
			t.Errorf("describeProbe = %q, want %q", got, tt.want)
		}
	}
}
