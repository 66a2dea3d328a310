package tainteviction

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

func TestMinTolerationTime(t *testing.T) {
	secs := func(n int64) *int64 { return &n }
	tests := []struct {
		name string
		in   []corev1.Toleration
		want time.Duration
	}{
		{"none", nil, 0},
		{"for ever", []corev1.Toleration{{Key: "a"}}, -1},
		{"the shortest", []corev1.Toleration{{TolerationSeconds: secs(300)}, {TolerationSeconds: secs(60)}, {}}, time.Minute},
		{"zero", []corev1.Toleration{{TolerationSeconds: secs(300)}, {TolerationSeconds: secs(0)}}, 0},
		{"negative", []corev1.Toleration{{TolerationSeconds: secs(-5)}}, 0},
	}
	for _, tt := range tests {
		if got := minTolerationTime(tt.in); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
