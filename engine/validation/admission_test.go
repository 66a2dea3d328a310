package validation

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/resource"
)

func TestAdmitPodServiceAccount(t *testing.T) {
	p := kubectlPod("nginx", "nginx")
	p.Spec.InitContainers = []corev1.Container{{Name: "init", Image: "busybox"}}
	DefaultPod(p)
	AdmitPod(p, fixedSuffix)

	if p.Spec.ServiceAccountName != "default" || p.Spec.DeprecatedServiceAccount != "default" {
		t.Errorf("service account = %q/%q, want default/default", p.Spec.ServiceAccountName, p.Spec.DeprecatedServiceAccount)
	}
	if len(p.Spec.Volumes) != 1 || p.Spec.Volumes[0].Name != "kube-api-access-x2k9q" {
		t.Fatalf("volumes = %+v, want one kube-api-access-x2k9q", p.Spec.Volumes)
	}
	for _, c := range append(p.Spec.InitContainers, p.Spec.Containers...) {
		want := corev1.VolumeMount{Name: "kube-api-access-x2k9q", ReadOnly: true, MountPath: ServiceAccountMountPath}
		if len(c.VolumeMounts) != 1 || !equality.Semantic.DeepEqual(c.VolumeMounts[0], want) {
			t.Errorf("container %s mounts = %+v, want %+v", c.Name, c.VolumeMounts, want)
		}
	}
	if errs := ValidatePod(p); len(errs) != 0 {
		t.Errorf("admitted pod is invalid: %v", errs)
	}
}

func TestAdmitPodRespectsExistingChoices(t *testing.T) {
	t.Run("no automount", func(t *testing.T) {
		p := kubectlPod("p", "nginx")
		p.Spec.AutomountServiceAccountToken = ptrTo(false)
		AdmitPod(p, fixedSuffix)
		if len(p.Spec.Volumes) != 0 || len(p.Spec.Containers[0].VolumeMounts) != 0 {
			t.Errorf("token mounted although automount is off: %+v", p.Spec)
		}
		if p.Spec.ServiceAccountName != "default" {
			t.Errorf("serviceAccountName = %q", p.Spec.ServiceAccountName)
		}
	})
	t.Run("mount path taken", func(t *testing.T) {
		p := kubectlPod("p", "nginx")
		p.Spec.Volumes = []corev1.Volume{{Name: "own", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}
		p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "own", MountPath: ServiceAccountMountPath}}
		AdmitPod(p, fixedSuffix)
		if len(p.Spec.Volumes) != 1 || len(p.Spec.Containers[0].VolumeMounts) != 1 {
			t.Errorf("token volume added although the path is taken: %+v", p.Spec)
		}
	})
	t.Run("own service account and tolerations", func(t *testing.T) {
		p := kubectlPod("p", "nginx")
		p.Spec.ServiceAccountName = "builder"
		p.Spec.Tolerations = []corev1.Toleration{{Operator: corev1.TolerationOpExists}}
		AdmitPod(p, nil)
		if p.Spec.ServiceAccountName != "builder" {
			t.Errorf("serviceAccountName = %q, want builder", p.Spec.ServiceAccountName)
		}
		if len(p.Spec.Tolerations) != 1 {
			t.Errorf("tolerations = %+v, want only the tolerate-everything one", p.Spec.Tolerations)
		}
		if p.Spec.Volumes[0].Name != "kube-api-access-xxxxx" {
			t.Errorf("volume name without generator = %q", p.Spec.Volumes[0].Name)
		}
	})
	t.Run("mirror pod", func(t *testing.T) {
		p := kubectlPod("p", "nginx")
		p.Annotations = map[string]string{mirrorPodAnnotation: "hash"}
		AdmitPod(p, fixedSuffix)
		if p.Spec.ServiceAccountName != "" || len(p.Spec.Volumes) != 0 {
			t.Errorf("mirror pod changed: %+v", p.Spec)
		}
	})
	t.Run("system priority class", func(t *testing.T) {
		p := kubectlPod("p", "nginx")
		p.Spec.PriorityClassName = "system-node-critical"
		AdmitPod(p, fixedSuffix)
		if p.Spec.Priority == nil || *p.Spec.Priority != 2000001000 {
			t.Errorf("priority = %v, want 2000001000", p.Spec.Priority)
		}
	})
}

func TestComputePodQOS(t *testing.T) {
	cpuMem := func(cpu, mem string) corev1.ResourceList {
		return corev1.ResourceList{corev1.ResourceCPU: resource.MustParse(cpu), corev1.ResourceMemory: resource.MustParse(mem)}
	}
	tests := []struct {
		name      string
		resources corev1.ResourceRequirements
		want      corev1.PodQOSClass
	}{
		{"nothing", corev1.ResourceRequirements{}, corev1.PodQOSBestEffort},
		{"requests only", corev1.ResourceRequirements{Requests: cpuMem("100m", "64Mi")}, corev1.PodQOSBurstable},
		{"limits equal requests", corev1.ResourceRequirements{Requests: cpuMem("1", "1Gi"), Limits: cpuMem("1", "1Gi")}, corev1.PodQOSGuaranteed},
		{"limits above requests", corev1.ResourceRequirements{Requests: cpuMem("500m", "1Gi"), Limits: cpuMem("1", "1Gi")}, corev1.PodQOSBurstable},
		{"only other resources", corev1.ResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceEphemeralStorage: resource.MustParse("1Gi")}}, corev1.PodQOSBestEffort},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := kubectlPod("p", "nginx")
			p.Spec.Containers[0].Resources = tt.resources
			DefaultPod(p) // limits become requests, as on a real pod
			if got := ComputePodQOS(p); got != tt.want {
				t.Errorf("QoS = %s, want %s", got, tt.want)
			}
		})
	}
}
