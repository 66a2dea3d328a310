package validation

import (
	"encoding/json"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// FuzzValidatePod checks that defaulting, admission and validation never
// panic, whatever pod a client sends.
func FuzzValidatePod(f *testing.F) {
	seeds := []string{
		`{}`,
		`{"metadata":{"name":"nginx","namespace":"default"},"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}`,
		`{"metadata":{"name":"Web","generateName":"-","labels":{"":"x"},"annotations":{"controller.kubernetes.io/pod-deletion-cost":"08"}},"spec":{}}`,
		`{"spec":{"containers":[{"name":"a","image":" a ","ports":[{"containerPort":-1,"hostPort":70000,"protocol":"X"},{"containerPort":80,"hostPort":70000}],"resources":{"limits":{"hugepages-0":"1","cpu":"-1"},"requests":{"hugepages-2Mi":"3Mi","x/y":"1.5","a b":"1"}}}]}}`,
		`{"spec":{"hostNetwork":true,"dnsPolicy":"None","dnsConfig":{"nameservers":["x","1.1.1.1","2.2.2.2","3.3.3.3"],"searches":["."]},"containers":[{"name":"a","image":"a","ports":[{"containerPort":80}]}]}}`,
		`{"spec":{"volumes":[{"name":"v"},{"name":"v","projected":{"sources":[{"serviceAccountToken":{"path":"../t"},"secret":{}},{"downwardAPI":{"items":[{"path":"..x","fieldRef":{"fieldPath":"metadata.labels['a']"}}]}}]}},{"name":"e","ephemeral":{}}],"containers":[{"name":"a","image":"a","volumeMounts":[{"name":"v","mountPath":"/a","subPath":"/abs","mountPropagation":"Bidirectional","recursiveReadOnly":"Enabled"}],"volumeDevices":[{"name":"v","devicePath":"/a"}]}]}}`,
		`{"spec":{"initContainers":[{"name":"i","image":"i","restartPolicy":"Never","startupProbe":{}}],"ephemeralContainers":[{"name":"i","image":"e","targetContainerName":"zz","ports":[{"containerPort":1}]}],"containers":[{"name":"c","image":"c","restartPolicy":"Always","lifecycle":{"preStop":{"sleep":{"seconds":-1},"exec":{}}},"livenessProbe":{"grpc":{"port":0},"tcpSocket":{"port":"x"}}}]}}`,
		`{"spec":{"tolerations":[{"operator":"Equal","value":"v","tolerationSeconds":1}],"securityContext":{"sysctls":[{"name":""},{"name":"a..b"}],"fsGroupChangePolicy":"x","seccompProfile":{"type":"Localhost"}},"os":{"name":"linux"},"containers":[{"name":"c","image":"c","securityContext":{"procMount":"Unmasked","allowPrivilegeEscalation":false,"privileged":true,"windowsOptions":{},"appArmorProfile":{"type":"Localhost","localhostProfile":" x"}}}]}}`,
		`{"spec":{"containers":[{"name":"c","image":"c","env":[{"name":""},{"name":"x","valueFrom":{"fieldRef":{"apiVersion":"v2","fieldPath":"a"},"resourceFieldRef":{"resource":"limits.cpu","divisor":"3"}}}],"envFrom":[{},{"prefix":"=","configMapRef":{},"secretRef":{"name":"S"}}]}],"resourceClaims":[{"name":""},{"name":"a"},{"name":"a","resourceClaimName":"x","resourceClaimTemplateName":"y"}],"resources":{"claims":[{"name":"z"}],"limits":{"pods":"1"}}}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var original corev1.Pod
		if err := json.Unmarshal(data, &original); err != nil {
			return
		}
		p := original.DeepCopy()
		DefaultPod(p)
		AdmitPod(p, func(n int) string { return "abcde"[:min(n, 5)] })
		PreparePodForCreate(p)
		renderAll(ValidatePod(p))
		renderAll(ValidatePodUpdate(p, original.DeepCopy()))
		renderAll(ValidatePodUpdate(original.DeepCopy(), p))

		// The same spec inside a Deployment template.
		d := &appsv1.Deployment{
			ObjectMeta: original.ObjectMeta,
			Spec: appsv1.DeploymentSpec{
				Selector: &metav1.LabelSelector{MatchLabels: original.Labels},
				Template: corev1.PodTemplateSpec{ObjectMeta: original.ObjectMeta, Spec: original.Spec},
			},
		}
		DefaultDeployment(d)
		renderAll(ValidateDeployment(d))
	})
}

// renderAll formats every error, as the apiserver does when it answers.
func renderAll(errs field.ErrorList) {
	if agg := errs.ToAggregate(); agg != nil {
		_ = agg.Error()
	}
}
