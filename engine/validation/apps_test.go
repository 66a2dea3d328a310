package validation

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Messages of apimachinery's validators, written out to pin the exact text.
const (
	subdomainMsg = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`
	labelMsg     = `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`
	selectorMsg  = "`selector` does not match template `labels`"
)

func TestValidateDeployment(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(d *appsv1.Deployment)
		want   string
	}{
		{
			name:   "valid kubectl deployment",
			mutate: func(d *appsv1.Deployment) {},
		},
		{
			name:   "upper-case name",
			mutate: func(d *appsv1.Deployment) { d.Name = "Web" },
			want:   `Deployment.apps "Web" is invalid: metadata.name: Invalid value: "Web": ` + subdomainMsg,
		},
		{
			name:   "name missing",
			mutate: func(d *appsv1.Deployment) { d.Name = "" },
			want:   `Deployment.apps "" is invalid: metadata.name: Required value: name or generateName is required`,
		},
		{
			name:   "bad generateName",
			mutate: func(d *appsv1.Deployment) { d.GenerateName = "Web-" },
			want:   `Deployment.apps "web" is invalid: metadata.generateName: Invalid value: "Web-": ` + subdomainMsg,
		},
		{
			name: "bad label value and annotation key",
			mutate: func(d *appsv1.Deployment) {
				d.Labels["tier"] = "front end"
				d.Annotations = map[string]string{"bad key": "x"}
			},
			want: `Deployment.apps "web" is invalid: [metadata.labels: Invalid value: "front end": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?'), ` +
				`metadata.annotations: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')]`,
		},
		{
			name:   "negative replicas",
			mutate: func(d *appsv1.Deployment) { d.Spec.Replicas = ptrTo(int32(-1)) },
			want:   `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`,
		},
		{
			name:   "selector does not match template",
			mutate: func(d *appsv1.Deployment) { d.Spec.Template.Labels = map[string]string{"app": "other"} },
			want:   `Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: {"app":"other"}: ` + selectorMsg,
		},
		{
			name:   "selector missing",
			mutate: func(d *appsv1.Deployment) { d.Spec.Selector = nil },
			want:   `Deployment.apps "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: {"app":"web"}: ` + selectorMsg + `]`,
		},
		{
			name:   "selector empty",
			mutate: func(d *appsv1.Deployment) { d.Spec.Selector = &metav1.LabelSelector{} },
			want:   `Deployment.apps "web" is invalid: spec.selector: Invalid value: {}: empty selector is invalid for deployment`,
		},
		{
			name: "selector with a bad operator",
			mutate: func(d *appsv1.Deployment) {
				d.Spec.Selector.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Is", Values: []string{"web"}}}
			},
			want: `Deployment.apps "web" is invalid: [spec.selector.matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator, ` +
				`spec.selector: Invalid value: {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"app","operator":"Is","values":["web"]}]}: invalid label selector]`,
		},
		{
			name:   "template restartPolicy Never",
			mutate: func(d *appsv1.Deployment) { d.Spec.Template.Spec.RestartPolicy = corev1.RestartPolicyNever },
			want:   `Deployment.apps "web" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"`,
		},
		{
			name:   "template activeDeadlineSeconds",
			mutate: func(d *appsv1.Deployment) { d.Spec.Template.Spec.ActiveDeadlineSeconds = ptrTo(int64(60)) },
			want:   `Deployment.apps "web" is invalid: spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported`,
		},
		{
			name:   "template label key invalid",
			mutate: func(d *appsv1.Deployment) { d.Spec.Template.Labels["-bad"] = "x" },
			want:   `Deployment.apps "web" is invalid: spec.template.labels: Invalid value: "-bad": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
		},
		{
			name: "both maxSurge and maxUnavailable 0",
			mutate: func(d *appsv1.Deployment) {
				d.Spec.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{MaxSurge: ptrTo(intstr.FromInt32(0)), MaxUnavailable: ptrTo(intstr.FromString("0%"))}
			},
			want: "Deployment.apps \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0",
		},
		{
			name: "maxUnavailable over 100%",
			mutate: func(d *appsv1.Deployment) {
				d.Spec.Strategy.RollingUpdate.MaxUnavailable = ptrTo(intstr.FromString("110%"))
			},
			want: `Deployment.apps "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "110%": must not be greater than 100%`,
		},
		{
			name: "maxSurge not a percentage, maxUnavailable negative",
			mutate: func(d *appsv1.Deployment) {
				d.Spec.Strategy.RollingUpdate.MaxSurge = ptrTo(intstr.FromString("half"))
				d.Spec.Strategy.RollingUpdate.MaxUnavailable = ptrTo(intstr.FromInt32(-1))
			},
			want: `Deployment.apps "web" is invalid: [spec.strategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0, ` +
				`spec.strategy.rollingUpdate.maxSurge: Invalid value: "half": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')]`,
		},
		{
			name:   "unknown strategy",
			mutate: func(d *appsv1.Deployment) { d.Spec.Strategy = appsv1.DeploymentStrategy{Type: "BlueGreen"} },
			want:   `Deployment.apps "web" is invalid: spec.strategy: Unsupported value: {"Type":"BlueGreen","RollingUpdate":null}: supported values: "Recreate", "RollingUpdate"`,
		},
		{
			name:   "Recreate with rollingUpdate",
			mutate: func(d *appsv1.Deployment) { d.Spec.Strategy.Type = appsv1.RecreateDeploymentStrategyType },
			want:   "Deployment.apps \"web\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
		},
		{
			name: "negative limits and short progress deadline",
			mutate: func(d *appsv1.Deployment) {
				d.Spec.RevisionHistoryLimit = ptrTo(int32(-2))
				d.Spec.MinReadySeconds = 30
				d.Spec.ProgressDeadlineSeconds = ptrTo(int32(30))
			},
			want: `Deployment.apps "web" is invalid: [spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0, ` +
				`spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds]`,
		},
		{
			name:   "no containers",
			mutate: func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers = nil },
			want:   `Deployment.apps "web" is invalid: spec.template.spec.containers: Required value`,
		},
		{
			name:   "image missing",
			mutate: func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = "" },
			want:   `Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value`,
		},
		{
			name: "container name invalid and duplicated",
			mutate: func(d *appsv1.Deployment) {
				c := d.Spec.Template.Spec.Containers[0]
				c.Name = "Nginx"
				d.Spec.Template.Spec.Containers = append(d.Spec.Template.Spec.Containers, c, c)
			},
			want: `Deployment.apps "web" is invalid: [spec.template.spec.containers[1].name: Invalid value: "Nginx": ` + labelMsg +
				`, spec.template.spec.containers[2].name: Invalid value: "Nginx": ` + labelMsg +
				`, spec.template.spec.containers[2].name: Duplicate value: "Nginx"]`,
		},
		{
			name: "container resources",
			mutate: func(d *appsv1.Deployment) {
				d.Spec.Template.Spec.Containers[0].Resources = corev1.ResourceRequirements{
					Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("2")},
					Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("1"), corev1.ResourceMemory: resource.MustParse("-1Gi")},
				}
			},
			want: `Deployment.apps "web" is invalid: [spec.template.spec.containers[0].resources.limits[memory]: Invalid value: "-1Gi": must be greater than or equal to 0, ` +
				`spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1]`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := defaultedDeployment("web", "nginx")
			tt.mutate(d)
			if got := invalidError(deploymentKind, d.Name, ValidateDeployment(d)); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestValidateDeploymentUpdate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(d *appsv1.Deployment)
		want   string
	}{
		{
			name: "scale and new image are fine",
			mutate: func(d *appsv1.Deployment) {
				d.Spec.Replicas = ptrTo(int32(5))
				d.Spec.Template.Spec.Containers[0].Image = "nginx:1.27"
			},
		},
		{
			name: "selector is immutable",
			mutate: func(d *appsv1.Deployment) {
				d.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web2"}}
				d.Spec.Template.Labels = map[string]string{"app": "web2"}
			},
			want: `Deployment.apps "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"web2"}}: field is immutable`,
		},
		{
			name:   "name is immutable",
			mutate: func(d *appsv1.Deployment) { d.Name = "web2" },
			want:   `Deployment.apps "web2" is invalid: metadata.name: Invalid value: "web2": field is immutable`,
		},
		{
			name:   "resourceVersion required",
			mutate: func(d *appsv1.Deployment) { d.ResourceVersion = "" },
			want:   `Deployment.apps "web" is invalid: metadata.resourceVersion: Invalid value: "": must be specified for an update`,
		},
		{
			name:   "spec still validated",
			mutate: func(d *appsv1.Deployment) { d.Spec.Replicas = ptrTo(int32(-1)) },
			want:   `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := defaultedDeployment("web", "nginx")
			old.ResourceVersion = "7"
			d := old.DeepCopy()
			tt.mutate(d)
			if got := invalidError(deploymentKind, d.Name, ValidateDeploymentUpdate(d, old)); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestValidateReplicaSet(t *testing.T) {
	rs := defaultedReplicaSet("web-5d8b7c6f94")
	if errs := ValidateReplicaSet(rs); len(errs) != 0 {
		t.Fatalf("valid ReplicaSet rejected: %v", errs)
	}
	bad := rs.DeepCopy()
	bad.Spec.Selector = &metav1.LabelSelector{}
	bad.Spec.Replicas = ptrTo(int32(-3))
	want := `ReplicaSet.apps "web-5d8b7c6f94" is invalid: [spec.replicas: Invalid value: -3: must be greater than or equal to 0, spec.selector: Invalid value: {}: empty selector is invalid for deployment]`
	if got := invalidError(replicaSetKind, bad.Name, ValidateReplicaSet(bad)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}

	rs.ResourceVersion = "3"
	moved := rs.DeepCopy()
	moved.Spec.Selector = &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web", "tier": "front"}}
	moved.Spec.Template.Labels["tier"] = "front"
	want = `ReplicaSet.apps "web-5d8b7c6f94" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"front"}}: field is immutable`
	if got := invalidError(replicaSetKind, moved.Name, ValidateReplicaSetUpdate(moved, rs)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}

	// The real strategy validates the spec twice; the message shows it once.
	twice := rs.DeepCopy()
	twice.Spec.Replicas = ptrTo(int32(-1))
	errs := ValidateReplicaSetUpdate(twice, rs)
	want = `ReplicaSet.apps "web-5d8b7c6f94" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`
	if len(errs) != 2 || invalidError(replicaSetKind, twice.Name, errs) != want {
		t.Errorf("got %d errors: %s", len(errs), invalidError(replicaSetKind, twice.Name, errs))
	}
}

func TestValidateScale(t *testing.T) {
	if errs := ValidateScale(3); len(errs) != 0 {
		t.Errorf("ValidateScale(3) = %v", errs)
	}
	// The scale subresource reports errors on the autoscaling Scale kind.
	want := `Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`
	if got := invalidError(scaleKind, "web", ValidateScale(-1)); got != want {
		t.Errorf("got %s", got)
	}
}

func TestValidatorsAcceptNil(t *testing.T) {
	for name, errs := range map[string]int{
		"deployment":        len(ValidateDeployment(nil)),
		"deployment update": len(ValidateDeploymentUpdate(nil, nil)),
		"replicaset":        len(ValidateReplicaSet(nil)),
		"replicaset update": len(ValidateReplicaSetUpdate(nil, nil)),
		"pod":               len(ValidatePod(nil)),
		"pod update":        len(ValidatePodUpdate(nil, nil)),
		"namespace":         len(ValidateNamespace(nil)),
		"node":              len(ValidateNode(nil)),
	} {
		if errs != 0 {
			t.Errorf("%s(nil) returned %d errors", name, errs)
		}
	}
}
