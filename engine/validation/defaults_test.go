package validation

import (
	"reflect"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestDefaultedDeploymentGolden(t *testing.T) {
	checkGolden(t, "deployment-web.yaml", defaultedDeployment("web", "nginx"))
}

func TestCreatedPodGolden(t *testing.T) {
	checkGolden(t, "pod-nginx.yaml", createdPod("nginx", "nginx"))
}

func TestDefaultedReplicaSetGolden(t *testing.T) {
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Name: "web-5d8b7c6f94", Namespace: "default"},
		Spec: appsv1.ReplicaSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: kubectlDeployment("web", "nginx:1.27").Spec.Template,
		},
	}
	DefaultReplicaSet(rs)
	checkGolden(t, "replicaset-web.yaml", rs)
}

func TestDefaultPullPolicy(t *testing.T) {
	tests := []struct {
		image string
		want  corev1.PullPolicy
	}{
		{"nginx", corev1.PullAlways},
		{"nginx:latest", corev1.PullAlways},
		{"nginx:1.27", corev1.PullIfNotPresent},
		{"docker.io/library/nginx:1.27-alpine", corev1.PullIfNotPresent},
		{"registry.k8s.io/pause:3.10", corev1.PullIfNotPresent},
		{"localhost:5000/app", corev1.PullAlways},
		{"localhost:5000/app:v1", corev1.PullIfNotPresent},
		{"nginx@sha256:" + sha256Hex, corev1.PullIfNotPresent},
		{"nginx:latest@sha256:" + sha256Hex, corev1.PullAlways},
		{"nginx@sha256:abc", corev1.PullIfNotPresent}, // bad digest: no tag known
		{"NGINX", corev1.PullIfNotPresent},            // does not parse
		{"", corev1.PullIfNotPresent},
		{"ghcr.io/Org/app", corev1.PullIfNotPresent}, // upper case repository
		{"Registry.Example.com/app", corev1.PullAlways},
	}
	for _, tt := range tests {
		if got := defaultPullPolicy(tt.image); got != tt.want {
			t.Errorf("defaultPullPolicy(%q) = %s, want %s", tt.image, got, tt.want)
		}
	}
}

const sha256Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestDefaultDeploymentKeepsUserValues(t *testing.T) {
	d := kubectlDeployment("web", "nginx")
	d.Spec.Replicas = ptrTo(int32(3))
	d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
	d.Spec.RevisionHistoryLimit = ptrTo(int32(0))
	DefaultDeployment(d)
	if *d.Spec.Replicas != 3 || *d.Spec.RevisionHistoryLimit != 0 {
		t.Errorf("user values overwritten: replicas %d, revisionHistoryLimit %d", *d.Spec.Replicas, *d.Spec.RevisionHistoryLimit)
	}
	if d.Spec.Strategy.RollingUpdate != nil {
		t.Errorf("Recreate got a rollingUpdate: %+v", d.Spec.Strategy.RollingUpdate)
	}

	d = kubectlDeployment("web", "nginx")
	surge := intstr.FromInt32(1)
	d.Spec.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{MaxSurge: &surge}
	DefaultDeployment(d)
	ru := d.Spec.Strategy.RollingUpdate
	if ru.MaxSurge.String() != "1" || ru.MaxUnavailable.String() != "25%" {
		t.Errorf("rollingUpdate = %s/%s, want maxSurge 1, maxUnavailable 25%%", ru.MaxSurge, ru.MaxUnavailable)
	}
}

func TestDefaultPodOnlyDefaults(t *testing.T) {
	limits := corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m"), corev1.ResourceMemory: resource.MustParse("128Mi")}
	p := kubectlPod("p", "nginx")
	p.Spec.Containers[0].Resources.Limits = limits
	DefaultPod(p)
	if !reflect.DeepEqual(p.Spec.Containers[0].Resources.Requests, limits) {
		t.Errorf("pod requests = %v, want the limits %v", p.Spec.Containers[0].Resources.Requests, limits)
	}
	if p.Spec.EnableServiceLinks == nil || !*p.Spec.EnableServiceLinks {
		t.Errorf("enableServiceLinks not defaulted to true")
	}

	// Templates get neither.
	tmpl := corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "nginx", Resources: corev1.ResourceRequirements{Limits: limits}}}}}
	DefaultPodTemplateSpec(&tmpl)
	if tmpl.Spec.Containers[0].Resources.Requests != nil || tmpl.Spec.EnableServiceLinks != nil {
		t.Errorf("template got pod-only defaults: %+v", tmpl.Spec)
	}
}

func TestDefaultContainerDetails(t *testing.T) {
	p := kubectlPod("p", "nginx:1.27")
	c := &p.Spec.Containers[0]
	c.Ports = []corev1.ContainerPort{{ContainerPort: 80}}
	c.Resources.Requests = corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("0.0001")}
	c.LivenessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Port: intstr.FromInt32(80)}}}
	c.Env = []corev1.EnvVar{{Name: "POD", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}}}}
	p.Spec.Volumes = []corev1.Volume{{Name: "scratch"}, {Name: "cfg", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{}}}}
	DefaultPod(p)

	if c.Ports[0].Protocol != corev1.ProtocolTCP {
		t.Errorf("port protocol = %q, want TCP", c.Ports[0].Protocol)
	}
	if got := c.Resources.Requests.Cpu().String(); got != "1m" {
		t.Errorf("cpu request rounded to %s, want 1m", got)
	}
	probe := c.LivenessProbe
	if probe.TimeoutSeconds != 1 || probe.PeriodSeconds != 10 || probe.SuccessThreshold != 1 || probe.FailureThreshold != 3 {
		t.Errorf("probe defaults = %+v", probe)
	}
	if probe.HTTPGet.Path != "/" || probe.HTTPGet.Scheme != corev1.URISchemeHTTP {
		t.Errorf("httpGet defaults = %+v", probe.HTTPGet)
	}
	if c.Env[0].ValueFrom.FieldRef.APIVersion != "v1" {
		t.Errorf("fieldRef apiVersion = %q, want v1", c.Env[0].ValueFrom.FieldRef.APIVersion)
	}
	if p.Spec.Volumes[0].EmptyDir == nil {
		t.Errorf("volume without source did not become an emptyDir")
	}
	if mode := p.Spec.Volumes[1].ConfigMap.DefaultMode; mode == nil || *mode != 0o644 {
		t.Errorf("configMap defaultMode = %v, want 420", mode)
	}
}

func TestDefaultNamespace(t *testing.T) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "team-a"}}
	DefaultNamespace(ns)
	checkGolden(t, "namespace-team-a.yaml", ns)

	DefaultNamespace(ns) // idempotent
	if len(ns.Spec.Finalizers) != 1 {
		t.Errorf("finalizers = %v, want one", ns.Spec.Finalizers)
	}
}

func TestDefaultNode(t *testing.T) {
	n := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "node-1"},
		Status: corev1.NodeStatus{Capacity: corev1.ResourceList{
			corev1.ResourceCPU: resource.MustParse("2"), corev1.ResourcePods: resource.MustParse("110"),
		}},
	}
	DefaultNode(n)
	if !reflect.DeepEqual(n.Status.Allocatable, n.Status.Capacity) {
		t.Errorf("allocatable = %v, want capacity %v", n.Status.Allocatable, n.Status.Capacity)
	}
}

func TestDefaultService(t *testing.T) {
	s := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: corev1.ServiceSpec{
			Selector: map[string]string{"app": "web"},
			Ports:    []corev1.ServicePort{{Port: 80}},
		},
	}
	DefaultService(s)
	checkGolden(t, "service-web.yaml", s)

	lb := &corev1.Service{Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer, Ports: []corev1.ServicePort{{Port: 443, TargetPort: intstr.FromString("https")}}}}
	DefaultService(lb)
	if lb.Spec.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyCluster || lb.Spec.AllocateLoadBalancerNodePorts == nil || !*lb.Spec.AllocateLoadBalancerNodePorts {
		t.Errorf("LoadBalancer defaults = %+v", lb.Spec)
	}
	if lb.Spec.Ports[0].TargetPort.String() != "https" {
		t.Errorf("named targetPort replaced: %s", lb.Spec.Ports[0].TargetPort.String())
	}
}

func TestDefaultersAcceptNil(t *testing.T) {
	DefaultDeployment(nil)
	DefaultReplicaSet(nil)
	DefaultPod(nil)
	DefaultPodTemplateSpec(nil)
	DefaultNamespace(nil)
	DefaultNode(nil)
	DefaultService(nil)
	AdmitPod(nil, nil)
	PreparePodForCreate(nil)
}
