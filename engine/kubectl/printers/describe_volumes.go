package printers

import (
	"math"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/kubectl/pkg/util/fieldpath"
)

// volumes prints the pod's volumes for the sources a learner meets; any
// other source prints "<unknown>" as kubectl does for sources it cannot name.
func (d *describer) volumes(volumes []corev1.Volume, space string) {
	if len(volumes) == 0 {
		d.write(level0, "%sVolumes:\t<none>\n", space)
		return
	}
	d.write(level0, "%sVolumes:\n", space)
	nameIndent := ""
	if space != "" {
		nameIndent = " "
	}
	for _, v := range volumes {
		d.write(level1, "%s%v:\n", nameIndent, v.Name)
		src := v.VolumeSource
		switch {
		case src.HostPath != nil:
			hostPathType := "<none>"
			if src.HostPath.Type != nil {
				hostPathType = string(*src.HostPath.Type)
			}
			d.write(level2, "Type:\tHostPath (bare host directory volume)\n"+
				"    Path:\t%v\n"+
				"    HostPathType:\t%v\n", src.HostPath.Path, hostPathType)
		case src.EmptyDir != nil:
			sizeLimit := "<unset>"
			if l := src.EmptyDir.SizeLimit; l != nil && l.Cmp(resource.Quantity{}) > 0 {
				sizeLimit = l.String()
			}
			d.write(level2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"+
				"    Medium:\t%v\n"+
				"    SizeLimit:\t%v\n", src.EmptyDir.Medium, sizeLimit)
		case src.Secret != nil:
			optional := src.Secret.Optional != nil && *src.Secret.Optional
			d.write(level2, "Type:\tSecret (a volume populated by a Secret)\n"+
				"    SecretName:\t%v\n"+
				"    Optional:\t%v\n", src.Secret.SecretName, optional)
		case src.ConfigMap != nil:
			optional := src.ConfigMap.Optional != nil && *src.ConfigMap.Optional
			d.write(level2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n"+
				"    Name:\t%v\n"+
				"    Optional:\t%v\n", src.ConfigMap.Name, optional)
		case src.PersistentVolumeClaim != nil:
			d.write(level2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"+
				"    ClaimName:\t%v\n"+
				"    ReadOnly:\t%v\n", src.PersistentVolumeClaim.ClaimName, src.PersistentVolumeClaim.ReadOnly)
		case src.DownwardAPI != nil:
			d.write(level2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
			for _, item := range src.DownwardAPI.Items {
				if item.FieldRef != nil {
					d.write(level3, "%v -> %v\n", item.FieldRef.FieldPath, item.Path)
				}
				if item.ResourceFieldRef != nil {
					d.write(level3, "%v -> %v\n", item.ResourceFieldRef.Resource, item.Path)
				}
			}
		case src.Projected != nil:
			d.projectedVolume(src.Projected)
		default:
			d.write(level1, "<unknown>\n")
		}
	}
}

// projectedVolume prints a projected volume, such as the kube-api-access-*
// volume the ServiceAccount admission plugin adds to every pod.
func (d *describer) projectedVolume(p *corev1.ProjectedVolumeSource) {
	d.write(level2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
	for _, s := range p.Sources {
		switch {
		case s.Secret != nil:
			optional := s.Secret.Optional != nil && *s.Secret.Optional
			d.write(level2, "SecretName:\t%v\n    Optional:\t%v\n", s.Secret.Name, optional)
		case s.DownwardAPI != nil:
			d.write(level2, "DownwardAPI:\ttrue\n")
		case s.ConfigMap != nil:
			optional := s.ConfigMap.Optional != nil && *s.ConfigMap.Optional
			d.write(level2, "ConfigMapName:\t%v\n    Optional:\t%v\n", s.ConfigMap.Name, optional)
		case s.ServiceAccountToken != nil:
			var seconds int64
			if s.ServiceAccountToken.ExpirationSeconds != nil {
				seconds = *s.ServiceAccountToken.ExpirationSeconds
			}
			d.write(level2, "TokenExpirationSeconds:\t%d\n", seconds)
		}
	}
}

// fieldResolver returns the value of a downward-API field path, for env vars.
type fieldResolver func(fieldPath string) string

// podFieldResolver resolves a downward-API field path as kubectl describe does
// (k8s.io/kubectl v0.37.2 pkg/describe/describe.go EnvValueRetriever): through
// fieldpath.ExtractFieldPathAsString, which knows only the metadata fields. A spec or status
// field (spec.nodeName, status.podIP…) shows no value, only its path: the kubelet resolves those
// when it starts the container, describe does not.
func podFieldResolver(pod *corev1.Pod) fieldResolver {
	return func(path string) string {
		v, err := fieldpath.ExtractFieldPathAsString(pod, path)
		if err != nil {
			return ""
		}
		return v
	}
}

// containerResourceValue is the value a resourceFieldRef env var gets, as
// the kubelet computes it: the quantity divided by the divisor, rounded up.
func containerResourceValue(ref *corev1.ResourceFieldSelector, c corev1.Container) string {
	divisor := resource.MustParse("1")
	if !ref.Divisor.IsZero() {
		divisor = ref.Divisor
	}
	var q resource.Quantity
	switch ref.Resource {
	case "limits.cpu":
		q = c.Resources.Limits[corev1.ResourceCPU]
	case "limits.memory":
		q = c.Resources.Limits[corev1.ResourceMemory]
	case "limits.ephemeral-storage":
		q = c.Resources.Limits[corev1.ResourceEphemeralStorage]
	case "requests.cpu":
		q = c.Resources.Requests[corev1.ResourceCPU]
	case "requests.memory":
		q = c.Resources.Requests[corev1.ResourceMemory]
	case "requests.ephemeral-storage":
		q = c.Resources.Requests[corev1.ResourceEphemeralStorage]
	default:
		return ""
	}
	if strings.HasSuffix(ref.Resource, ".cpu") {
		if divisor.MilliValue() == 0 {
			return ""
		}
		return strconv.FormatInt(int64(math.Ceil(float64(q.MilliValue())/float64(divisor.MilliValue()))), 10)
	}
	if divisor.Value() == 0 {
		return ""
	}
	return strconv.FormatInt(int64(math.Ceil(float64(q.Value())/float64(divisor.Value()))), 10)
}

// podQOS is the pod's QoS class: the one in its status, or computed as the
// kubelet does from the containers' cpu and memory requests and limits.
func podQOS(pod *corev1.Pod) corev1.PodQOSClass {
	if pod.Status.QOSClass != "" {
		return pod.Status.QOSClass
	}
	requests := corev1.ResourceList{}
	limits := corev1.ResourceList{}
	guaranteed := true
	all := append(append([]corev1.Container(nil), pod.Spec.Containers...), pod.Spec.InitContainers...)
	for _, c := range all {
		for name, q := range c.Resources.Requests {
			if isQOSResource(name) && q.Sign() > 0 {
				addQuantity(requests, name, q)
			}
		}
		limitsFound := 0
		for name, q := range c.Resources.Limits {
			if isQOSResource(name) && q.Sign() > 0 {
				addQuantity(limits, name, q)
				limitsFound++
			}
		}
		if limitsFound != 2 {
			guaranteed = false
		}
	}
	if len(requests) == 0 && len(limits) == 0 {
		return corev1.PodQOSBestEffort
	}
	if guaranteed {
		for name, req := range requests {
			if lim, ok := limits[name]; !ok || lim.Cmp(req) != 0 {
				guaranteed = false
				break
			}
		}
	}
	if guaranteed && len(requests) == len(limits) {
		return corev1.PodQOSGuaranteed
	}
	return corev1.PodQOSBurstable
}

func isQOSResource(name corev1.ResourceName) bool {
	return name == corev1.ResourceCPU || name == corev1.ResourceMemory
}

func addQuantity(list corev1.ResourceList, name corev1.ResourceName, q resource.Quantity) {
	sum, ok := list[name]
	if !ok {
		list[name] = q.DeepCopy()
		return
	}
	sum.Add(q)
	list[name] = sum
}
