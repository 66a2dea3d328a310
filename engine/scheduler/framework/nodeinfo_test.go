package framework

import (
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var terminatingSince = metav1.Unix(1700000000, 0)

func container(cpu, memory string) corev1.Container {
	rl := corev1.ResourceList{}
	if cpu != "" {
		rl[corev1.ResourceCPU] = resource.MustParse(cpu)
	}
	if memory != "" {
		rl[corev1.ResourceMemory] = resource.MustParse(memory)
	}
	return corev1.Container{Name: "c", Image: "busybox", Resources: corev1.ResourceRequirements{Requests: rl}}
}

func sidecar(cpu, memory string) corev1.Container {
	c := container(cpu, memory)
	always := corev1.ContainerRestartPolicyAlways
	c.RestartPolicy = &always
	return c
}

func TestPodRequests(t *testing.T) {
	const mi = 1024 * 1024
	tests := []struct {
		name         string
		spec         corev1.PodSpec
		want, wantNZ Resource
	}{
		{
			name:   "no requests: zero, and 100m/200Mi for scoring",
			spec:   corev1.PodSpec{Containers: []corev1.Container{container("", "")}},
			want:   Resource{Pods: 1},
			wantNZ: Resource{MilliCPU: 100, Memory: 200 * mi, Pods: 1},
		},
		{
			name:   "defaults apply per container and per missing resource",
			spec:   corev1.PodSpec{Containers: []corev1.Container{container("250m", ""), container("", "64Mi")}},
			want:   Resource{MilliCPU: 250, Memory: 64 * mi, Pods: 1},
			wantNZ: Resource{MilliCPU: 350, Memory: 264 * mi, Pods: 1},
		},
		{
			name:   "an explicit zero stays zero",
			spec:   corev1.PodSpec{Containers: []corev1.Container{container("0", "0")}},
			want:   Resource{Pods: 1},
			wantNZ: Resource{Pods: 1},
		},
		{
			name: "a large init container sets the floor",
			spec: corev1.PodSpec{
				InitContainers: []corev1.Container{container("2", "1Gi")},
				Containers:     []corev1.Container{container("500m", "128Mi"), container("500m", "128Mi")},
			},
			want:   Resource{MilliCPU: 2000, Memory: 1024 * mi, Pods: 1},
			wantNZ: Resource{MilliCPU: 2000, Memory: 1024 * mi, Pods: 1},
		},
		{
			name: "sidecars add up and run beside later init containers",
			spec: corev1.PodSpec{
				InitContainers: []corev1.Container{sidecar("200m", "100Mi"), container("1", "50Mi")},
				Containers:     []corev1.Container{container("300m", "100Mi")},
			},
			// regular sum 500m/200Mi; init phase needs 1000m+200m and 150Mi.
			want:   Resource{MilliCPU: 1200, Memory: 200 * mi, Pods: 1},
			wantNZ: Resource{MilliCPU: 1200, Memory: 200 * mi, Pods: 1},
		},
		{
			name: "overhead is added",
			spec: corev1.PodSpec{
				Containers: []corev1.Container{container("100m", "100Mi")},
				Overhead:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("250m"), corev1.ResourceMemory: resource.MustParse("120Mi")},
			},
			want:   Resource{MilliCPU: 350, Memory: 220 * mi, Pods: 1},
			wantNZ: Resource{MilliCPU: 350, Memory: 220 * mi, Pods: 1},
		},
		{
			name: "pod-level requests replace the container sum",
			spec: corev1.PodSpec{
				Resources:  &corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1")}},
				Containers: []corev1.Container{container("100m", ""), container("", "")},
			},
			want:   Resource{MilliCPU: 1000, Pods: 1},
			wantNZ: Resource{MilliCPU: 1000, Memory: 400 * mi, Pods: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, gotNZ := PodRequests(&corev1.Pod{Spec: tt.spec})
			if got != tt.want || gotNZ != tt.wantNZ {
				t.Errorf("got %+v / %+v\nwant %+v / %+v", got, gotNZ, tt.want, tt.wantNZ)
			}
		})
	}
}

func TestNodeInfoAggregates(t *testing.T) {
	web := pod("web", requests("500m", "256Mi"), hostPort(8080, "", ""))
	idle := pod("idle")
	ni := NewNodeInfo(standardNode("node-1", image(70*mb, "docker.io/library/nginx:1.27", "nginx:1.27")), web, idle)

	if ni.Allocatable != (Resource{MilliCPU: 4000, Memory: 8 << 30, Pods: 110}) {
		t.Errorf("allocatable = %+v", ni.Allocatable)
	}
	if ni.Requested != (Resource{MilliCPU: 500, Memory: 256 << 20, Pods: 2}) {
		t.Errorf("requested = %+v", ni.Requested)
	}
	if ni.NonZeroRequested != (Resource{MilliCPU: 600, Memory: 456 << 20, Pods: 2}) {
		t.Errorf("non-zero requested = %+v", ni.NonZeroRequested)
	}
	if !slices.Equal(ni.UsedPorts, []HostPort{{IP: "0.0.0.0", Protocol: corev1.ProtocolTCP, Port: 8080}}) {
		t.Errorf("ports = %+v", ni.UsedPorts)
	}
	if ni.ImageStates["nginx:1.27"] != 70*mb || ni.ImageStates["docker.io/library/nginx:1.27"] != 70*mb {
		t.Errorf("images = %v", ni.ImageStates)
	}

	// Removal matches by UID, not by pointer.
	webCopy := web.DeepCopy()
	if !ni.RemovePod(webCopy) {
		t.Fatal("web not removed")
	}
	if ni.RemovePod(webCopy) {
		t.Error("web removed twice")
	}
	if ni.Requested != (Resource{Pods: 1}) || ni.NonZeroRequested != (Resource{MilliCPU: 100, Memory: 200 << 20, Pods: 1}) ||
		len(ni.UsedPorts) != 0 || len(ni.Pods) != 1 {
		t.Errorf("after remove: %+v %+v %v %d", ni.Requested, ni.NonZeroRequested, ni.UsedPorts, len(ni.Pods))
	}

	bigger := idle.DeepCopy()
	bigger.Spec.Containers[0].Resources.Requests = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1")}
	ni.UpdatePod(idle, bigger)
	if ni.Requested.MilliCPU != 1000 || ni.Pods[0] != bigger {
		t.Errorf("after update: %+v", ni.Requested)
	}
}
