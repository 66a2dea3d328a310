package validation

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestValidatePod(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *corev1.Pod)
		want   string
	}{
		{
			name:   "valid kubectl run pod",
			mutate: func(p *corev1.Pod) {},
		},
		{
			name:   "name missing",
			mutate: func(p *corev1.Pod) { p.Name = "" },
			want:   `Pod "" is invalid: metadata.name: Required value: name or generateName is required`,
		},
		{
			name:   "namespace missing",
			mutate: func(p *corev1.Pod) { p.Namespace = "" },
			want:   `Pod "nginx" is invalid: metadata.namespace: Required value`,
		},
		{
			name:   "no containers",
			mutate: func(p *corev1.Pod) { p.Spec.Containers = nil },
			want:   `Pod "nginx" is invalid: spec.containers: Required value`,
		},
		{
			name:   "image missing",
			mutate: func(p *corev1.Pod) { p.Spec.Containers[0].Image = "" },
			want:   `Pod "nginx" is invalid: spec.containers[0].image: Required value`,
		},
		{
			name:   "image with whitespace",
			mutate: func(p *corev1.Pod) { p.Spec.Containers[0].Image = "nginx " },
			want:   `Pod "nginx" is invalid: spec.containers[0].image: Invalid value: "nginx ": must not have leading or trailing whitespace`,
		},
		{
			name:   "container name missing",
			mutate: func(p *corev1.Pod) { p.Spec.Containers[0].Name = "" },
			want:   `Pod "nginx" is invalid: spec.containers[0].name: Required value`,
		},
		{
			name: "ports",
			mutate: func(p *corev1.Pod) {
				p.Spec.Containers[0].Ports = []corev1.ContainerPort{
					{ContainerPort: 0, Protocol: corev1.ProtocolTCP},
					{ContainerPort: 70000, Protocol: "HTTP"},
					{Name: "web", ContainerPort: 80, Protocol: corev1.ProtocolTCP},
					{Name: "web", ContainerPort: 81, Protocol: corev1.ProtocolTCP},
				}
			},
			want: `Pod "nginx" is invalid: [spec.containers[0].ports[0].containerPort: Required value, ` +
				`spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive, ` +
				`spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP", ` +
				`spec.containers[0].ports[3].name: Duplicate value: "web"]`,
		},
		{
			name: "host port clash",
			mutate: func(p *corev1.Pod) {
				c := p.Spec.Containers[0]
				c.Ports = []corev1.ContainerPort{{ContainerPort: 80, HostPort: 8080, Protocol: corev1.ProtocolTCP}}
				other := *c.DeepCopy()
				other.Name = "sidecar"
				p.Spec.Containers = []corev1.Container{c, other}
			},
			want: `Pod "nginx" is invalid: spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"`,
		},
		{
			name:   "restartPolicy",
			mutate: func(p *corev1.Pod) { p.Spec.RestartPolicy = "Sometimes" },
			want:   `Pod "nginx" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`,
		},
		{
			name:   "dnsPolicy",
			mutate: func(p *corev1.Pod) { p.Spec.DNSPolicy = "Custom" },
			want:   `Pod "nginx" is invalid: spec.dnsPolicy: Unsupported value: "Custom": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"`,
		},
		{
			name:   "dnsPolicy None without config",
			mutate: func(p *corev1.Pod) { p.Spec.DNSPolicy = corev1.DNSNone },
			want:   "Pod \"nginx\" is invalid: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None",
		},
		{
			name:   "imagePullPolicy",
			mutate: func(p *corev1.Pod) { p.Spec.Containers[0].ImagePullPolicy = "Sometimes" },
			want:   `Pod "nginx" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"`,
		},
		{
			name:   "nodeSelector",
			mutate: func(p *corev1.Pod) { p.Spec.NodeSelector = map[string]string{"disk type": "ssd", "zone": "eu west"} },
			want: `Pod "nginx" is invalid: [spec.nodeSelector: Invalid value: "disk type": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), ` +
				`spec.nodeSelector: Invalid value: "eu west": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')]`,
		},
		{
			name: "tolerations",
			mutate: func(p *corev1.Pod) {
				p.Spec.Tolerations = append(p.Spec.Tolerations,
					corev1.Toleration{Key: "gpu", Operator: "Maybe", Effect: "NoRun"},
					corev1.Toleration{Operator: corev1.TolerationOpEqual, Value: "x"},
					corev1.Toleration{Key: "k", Operator: corev1.TolerationOpExists, Value: "v", Effect: corev1.TaintEffectNoSchedule, TolerationSeconds: ptrTo(int64(5))},
				)
			},
			want: `Pod "nginx" is invalid: [spec.tolerations[2].operator: Unsupported value: "Maybe": supported values: "Equal", "Exists", ` +
				`spec.tolerations[2].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute", ` +
				"spec.tolerations[3].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\", " +
				"spec.tolerations[4].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set, " +
				"spec.tolerations[4].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists']",
		},
		{
			name: "resources",
			mutate: func(p *corev1.Pod) {
				p.Spec.Containers[0].Resources = corev1.ResourceRequirements{
					Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1"), "example.com/gpu": resource.MustParse("1")},
					Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1500m"), "example.com/gpu": resource.MustParse("2"), "disk": resource.MustParse("1")},
				}
			},
			// Resource names are walked in sorted order.
			want: `Pod "nginx" is invalid: [spec.containers[0].resources.requests: Invalid value: "1500m": must be less than or equal to cpu limit of 1, ` +
				`spec.containers[0].resources.requests[disk]: Invalid value: "disk": must be a standard resource type or fully qualified, ` +
				`spec.containers[0].resources.requests[disk]: Invalid value: "disk": must be a standard resource for containers, ` +
				`spec.containers[0].resources.requests: Invalid value: "2": must be equal to example.com/gpu limit of 1]`,
		},
		{
			name:   "negative terminationGracePeriodSeconds is accepted",
			mutate: func(p *corev1.Pod) { p.Spec.TerminationGracePeriodSeconds = ptrTo(int64(-5)) },
		},
		{
			name:   "terminationGracePeriodSeconds missing",
			mutate: func(p *corev1.Pod) { p.Spec.TerminationGracePeriodSeconds = nil },
			want:   `Pod "nginx" is invalid: spec.terminationGracePeriodSeconds: Required value`,
		},
		{
			name: "probe",
			mutate: func(p *corev1.Pod) {
				p.Spec.Containers[0].LivenessProbe = &corev1.Probe{
					ProbeHandler:     corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/", Port: intstr.FromInt32(0), Scheme: corev1.URISchemeHTTP}},
					PeriodSeconds:    -1,
					SuccessThreshold: 2,
				}
			},
			want: `Pod "nginx" is invalid: [spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive, ` +
				`spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0, ` +
				`spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1]`,
		},
		{
			name: "volume mount of an unknown volume",
			mutate: func(p *corev1.Pod) {
				p.Spec.Containers[0].VolumeMounts = append(p.Spec.Containers[0].VolumeMounts, corev1.VolumeMount{Name: "data", MountPath: "/data"})
			},
			want: `Pod "nginx" is invalid: spec.containers[0].volumeMounts[1].name: Not found: "data"`,
		},
		{
			name: "volume with two sources",
			mutate: func(p *corev1.Pod) {
				p.Spec.Volumes = append(p.Spec.Volumes, corev1.Volume{Name: "Data", VolumeSource: corev1.VolumeSource{
					EmptyDir: &corev1.EmptyDirVolumeSource{}, DownwardAPI: &corev1.DownwardAPIVolumeSource{},
				}})
			},
			want: `Pod "nginx" is invalid: [spec.volumes[1].downwarAPI: Forbidden: may not specify more than 1 volume type, ` +
				`spec.volumes[1].name: Invalid value: "Data": ` + labelMsg + `]`,
		},
		{
			name: "env",
			mutate: func(p *corev1.Pod) {
				p.Spec.Containers[0].Env = []corev1.EnvVar{
					{Name: "A=B", Value: "x"},
					{Name: "NODE", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "spec.nodeNam"}}},
					{Name: "C", Value: "x", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "s"}, Key: "k"}}},
				}
			},
			want: `Pod "nginx" is invalid: [spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '=', ` +
				`spec.containers[0].env[1].valueFrom.fieldRef.fieldPath: Invalid value: "spec.nodeNam": error converting fieldPath: field label not supported: spec.nodeNam, ` +
				"spec.containers[0].env[2].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty]",
		},
		{
			name:   "ephemeral containers on create",
			mutate: func(p *corev1.Pod) { p.Spec.EphemeralContainers = []corev1.EphemeralContainer{ephemeral("debug")} },
			want:   `Pod "nginx" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create`,
		},
		{
			name:   "deletion cost",
			mutate: func(p *corev1.Pod) { p.Annotations = map[string]string{podDeletionCostAnnotation: "+10"} },
			want:   `Pod "nginx" is invalid: metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "+10": must be a 32bit integer`,
		},
		{
			name:   "activeDeadlineSeconds",
			mutate: func(p *corev1.Pod) { p.Spec.ActiveDeadlineSeconds = ptrTo(int64(0)) },
			want:   `Pod "nginx" is invalid: spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive`,
		},
		{
			name: "securityContext ids",
			mutate: func(p *corev1.Pod) {
				p.Spec.SecurityContext.RunAsUser = ptrTo(int64(-1))
				p.Spec.Containers[0].SecurityContext = &corev1.SecurityContext{RunAsGroup: ptrTo(int64(-2))}
			},
			want: `Pod "nginx" is invalid: [spec.containers[0].securityContext.runAsGroup: Invalid value: -2: must be between 0 and 2147483647, inclusive, ` +
				`spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive]`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := createdPod("nginx", "nginx")
			tt.mutate(p)
			if got := invalidError(podKind, p.Name, ValidatePod(p)); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func ephemeral(name string) corev1.EphemeralContainer {
	return corev1.EphemeralContainer{EphemeralContainerCommon: corev1.EphemeralContainerCommon{
		Name: name, Image: "busybox", ImagePullPolicy: corev1.PullAlways,
		TerminationMessagePolicy: corev1.TerminationMessageReadFile,
	}}
}

func TestValidatePodTemplateAllowsWhatPodsDoNot(t *testing.T) {
	d := defaultedDeployment("web", "nginx")
	d.Spec.Template.Spec.Containers[0].Image = " nginx"
	d.Spec.Template.Spec.HostNetwork = true
	d.Spec.Template.Spec.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 80, Protocol: corev1.ProtocolTCP}}
	if errs := ValidateDeployment(d); len(errs) != 0 {
		t.Errorf("template rejected: %v", errs)
	}
}

func TestValidatePodUpdate(t *testing.T) {
	tests := []struct {
		name       string
		mutate     func(p *corev1.Pod)
		want       string
		wantPrefix bool
	}{
		{
			name:   "image and labels may change",
			mutate: func(p *corev1.Pod) { p.Spec.Containers[0].Image = "nginx:1.27"; p.Labels["tier"] = "web" },
		},
		{
			name:   "activeDeadlineSeconds may be set",
			mutate: func(p *corev1.Pod) { p.Spec.ActiveDeadlineSeconds = ptrTo(int64(30)) },
		},
		{
			name: "tolerations may be added",
			mutate: func(p *corev1.Pod) {
				p.Spec.Tolerations = append(p.Spec.Tolerations, corev1.Toleration{Key: "gpu", Operator: corev1.TolerationOpExists})
			},
		},
		{
			name:   "existing tolerations may not change",
			mutate: func(p *corev1.Pod) { p.Spec.Tolerations = p.Spec.Tolerations[:1] },
			want:   `Pod "nginx" is invalid: spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds`,
		},
		{
			name:   "containers may not be added",
			mutate: func(p *corev1.Pod) { p.Spec.Containers = append(p.Spec.Containers, *p.Spec.Containers[0].DeepCopy()) },
			want: `Pod "nginx" is invalid: [spec.containers[1].name: Duplicate value: "nginx", ` +
				`spec.containers: Forbidden: pod updates may not add or remove containers]`,
		},
		{
			name:   "image may not be removed",
			mutate: func(p *corev1.Pod) { p.Spec.Containers[0].Image = "" },
			// Reported twice (spec and update checks); the message shows it once.
			want: `Pod "nginx" is invalid: spec.containers[0].image: Required value`,
		},
		{
			name:       "other fields are immutable",
			mutate:     func(p *corev1.Pod) { p.Spec.RestartPolicy = corev1.RestartPolicyNever },
			want:       "Pod \"nginx\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n",
			wantPrefix: true,
		},
		{
			name:   "activeDeadlineSeconds may not grow",
			mutate: func(p *corev1.Pod) { p.Spec.ActiveDeadlineSeconds = ptrTo(int64(120)) },
			want:   `Pod "nginx" is invalid: spec.activeDeadlineSeconds: Invalid value: 120: must be less than or equal to previous value`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := createdPod("nginx", "nginx")
			old.ResourceVersion = "12"
			if tt.name == "activeDeadlineSeconds may not grow" {
				old.Spec.ActiveDeadlineSeconds = ptrTo(int64(60))
			}
			p := old.DeepCopy()
			tt.mutate(p)
			got := invalidError(podKind, p.Name, ValidatePodUpdate(p, old))
			if tt.wantPrefix && strings.HasPrefix(got, tt.want) {
				return
			}
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestPodUpdateDiff(t *testing.T) {
	old := createdPod("nginx", "nginx")
	old.ResourceVersion = "12"
	p := old.DeepCopy()
	p.Spec.RestartPolicy = corev1.RestartPolicyNever
	p.Spec.Containers[0].Ports = []corev1.ContainerPort{{ContainerPort: 80, Protocol: corev1.ProtocolTCP}}
	errs := ValidatePodUpdate(p, old)
	if len(errs) != 1 {
		t.Fatalf("errors = %v", errs)
	}
	_, diff, _ := strings.Cut(errs[0].Detail, "\n")
	want := "  core.PodSpec{\n" +
		"  \t... // 2 identical fields\n" +
		"  \tContainers: {\n" +
		"  \t\t{\n" +
		"  \t\t\t... // 5 identical fields\n" +
		"- \t\t\tPorts: null,\n" +
		"+ \t\t\tPorts: [{\"containerPort\":80,\"protocol\":\"TCP\"}],\n" +
		"  \t\t\t... // 19 identical fields\n" +
		"  \t\t},\n" +
		"  \t},\n" +
		"  \t... // 1 identical field\n" +
		"- \tRestartPolicy: \"Always\",\n" +
		"+ \tRestartPolicy: \"Never\",\n" +
		"  \t... // 38 identical fields\n" + // v1.37: SchedulingGroup, EvictionResponders
		"  }\n"
	if diff != want {
		t.Errorf("diff:\n%s\nwant:\n%s", diff, want)
	}
}
