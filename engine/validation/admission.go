package validation

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// Constants of the admission plugins a default v1.37 apiserver runs on pods.
const (
	DefaultServiceAccountName = "default"
	// ServiceAccountVolumePrefix names the projected token volume,
	// "kube-api-access-" followed by 5 generated characters.
	ServiceAccountVolumePrefix = "kube-api-access-"
	// ServiceAccountMountPath is where every container gets the token volume.
	ServiceAccountMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"
	// serviceAccountTokenSeconds is 1h plus 7s: the apiserver hands out
	// longer-lived tokens but warns when one is used after the first hour.
	serviceAccountTokenSeconds = int64(3607)
	rootCAConfigMapName        = "kube-root-ca.crt"
	volumeSuffixLength         = 5
	// fallbackVolumeSuffix is used when the caller gives no suffix generator.
	fallbackVolumeSuffix = "xxxxx"

	mirrorPodAnnotation = "kubernetes.io/config.mirror"

	defaultTolerationSeconds = int64(300)
	taintNodeNotReady        = "node.kubernetes.io/not-ready"
	taintNodeUnreachable     = "node.kubernetes.io/unreachable"
)

// systemPriorityClasses are the PriorityClasses every cluster has built in.
var systemPriorityClasses = map[string]int32{
	"system-node-critical":    2000001000,
	"system-cluster-critical": 2000000000,
}

// AdmitPod runs the mutating admission plugins of a default v1.37 apiserver
// that change a plain pod at create, in their real order (AllOrderedPlugins and
// DefaultOffAdmissionPlugins in k8s.io/kubernetes v1.37.2
// pkg/kubeapiserver/options/plugins.go; PodTopologyLabels acts on bindings to
// nodes with topology labels, which the miniature nodes have none of): ServiceAccount
// (serviceAccountName "default", the kube-api-access-xxxxx projected volume
// and its mounts), Priority (priority 0, preemptionPolicy
// PreemptLowerPriority) and DefaultTolerationSeconds (not-ready and
// unreachable NoExecute for 300s). randSuffix supplies the 5 random
// characters of the volume name. Call it after DefaultPod and before
// ValidatePod; it is for pods only, never for pod templates.
func AdmitPod(p *corev1.Pod, randSuffix func(n int) string) {
	if p == nil {
		return
	}
	admitServiceAccount(p, randSuffix)
	admitPriority(p)
	admitDefaultTolerations(p)
}

func admitServiceAccount(p *corev1.Pod, randSuffix func(n int) string) {
	// Mirror pods are left untouched (the kubelet would delete a changed one).
	if _, mirror := p.Annotations[mirrorPodAnnotation]; mirror {
		return
	}
	if p.Spec.ServiceAccountName == "" {
		p.Spec.ServiceAccountName = DefaultServiceAccountName
	}
	p.Spec.DeprecatedServiceAccount = p.Spec.ServiceAccountName
	if p.Spec.AutomountServiceAccountToken != nil && !*p.Spec.AutomountServiceAccountToken {
		return
	}

	volumeName := ""
	for _, v := range p.Spec.Volumes {
		if strings.HasPrefix(v.Name, ServiceAccountVolumePrefix) {
			volumeName = v.Name
			break
		}
	}
	hasVolume := volumeName != ""
	if !hasVolume {
		suffix := fallbackVolumeSuffix
		if randSuffix != nil {
			suffix = randSuffix(volumeSuffixLength)
		}
		volumeName = ServiceAccountVolumePrefix + suffix
	}

	mount := corev1.VolumeMount{Name: volumeName, ReadOnly: true, MountPath: ServiceAccountMountPath}
	needsVolume := false
	for _, containers := range [][]corev1.Container{p.Spec.InitContainers, p.Spec.Containers} {
		for i := range containers {
			if hasMountAt(containers[i].VolumeMounts, ServiceAccountMountPath) {
				continue
			}
			containers[i].VolumeMounts = append(containers[i].VolumeMounts, mount)
			needsVolume = true
		}
	}
	if needsVolume && !hasVolume {
		p.Spec.Volumes = append(p.Spec.Volumes, corev1.Volume{
			Name:         volumeName,
			VolumeSource: corev1.VolumeSource{Projected: tokenVolumeSource()},
		})
	}
}

func hasMountAt(mounts []corev1.VolumeMount, path string) bool {
	for _, m := range mounts {
		if m.MountPath == path {
			return true
		}
	}
	return false
}

// tokenVolumeSource is the projected volume with the service account token,
// the cluster CA bundle and the pod's namespace.
func tokenVolumeSource() *corev1.ProjectedVolumeSource {
	return &corev1.ProjectedVolumeSource{
		DefaultMode: ptrTo(corev1.ProjectedVolumeSourceDefaultMode),
		Sources: []corev1.VolumeProjection{
			{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{
				Path:              "token",
				ExpirationSeconds: ptrTo(serviceAccountTokenSeconds),
			}},
			{ConfigMap: &corev1.ConfigMapProjection{
				LocalObjectReference: corev1.LocalObjectReference{Name: rootCAConfigMapName},
				Items:                []corev1.KeyToPath{{Key: "ca.crt", Path: "ca.crt"}},
			}},
			{DownwardAPI: &corev1.DownwardAPIProjection{
				Items: []corev1.DownwardAPIVolumeFile{{
					Path:     "namespace",
					FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.namespace"},
				}},
			}},
		},
	}
}

// admitPriority resolves the pod's priority. Without a priorityClassName and
// without a default PriorityClass the priority is 0. Unknown class names are
// left alone: the real plugin rejects them, which this package cannot report.
func admitPriority(p *corev1.Pod) {
	priority := int32(0)
	if p.Spec.PriorityClassName != "" {
		value, known := systemPriorityClasses[p.Spec.PriorityClassName]
		if !known {
			return
		}
		priority = value
	}
	if p.Spec.Priority == nil {
		p.Spec.Priority = ptrTo(priority)
	}
	if p.Spec.PreemptionPolicy == nil {
		p.Spec.PreemptionPolicy = ptrTo(corev1.PreemptLowerPriority)
	}
}

// admitDefaultTolerations adds the not-ready and unreachable NoExecute
// tolerations unless the pod already tolerates those taints.
func admitDefaultTolerations(p *corev1.Pod) {
	toleratesNotReady, toleratesUnreachable := false, false
	for _, t := range p.Spec.Tolerations {
		noExecute := t.Effect == corev1.TaintEffectNoExecute || t.Effect == ""
		if noExecute && (t.Key == taintNodeNotReady || t.Key == "") {
			toleratesNotReady = true
		}
		if noExecute && (t.Key == taintNodeUnreachable || t.Key == "") {
			toleratesUnreachable = true
		}
	}
	if !toleratesNotReady {
		p.Spec.Tolerations = append(p.Spec.Tolerations, defaultToleration(taintNodeNotReady))
	}
	if !toleratesUnreachable {
		p.Spec.Tolerations = append(p.Spec.Tolerations, defaultToleration(taintNodeUnreachable))
	}
}

func defaultToleration(key string) corev1.Toleration {
	return corev1.Toleration{
		Key:               key,
		Operator:          corev1.TolerationOpExists,
		Effect:            corev1.TaintEffectNoExecute,
		TolerationSeconds: ptrTo(defaultTolerationSeconds),
	}
}
