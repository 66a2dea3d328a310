package printers

import (
	"io"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// The describers of ConfigMaps, Secrets, ServiceAccounts, PriorityClasses and Leases, following
// k8s.io/kubectl v0.37.2 pkg/describe/describe.go (ConfigMapDescriber, describeSecret,
// describeServiceAccount, describePriorityClass; a Lease has no describer of its own there and
// gets the GenericDescriber, DescribeGeneric here).

// DescribeConfigMap describes a config map: its data in full, binary data by size.
func DescribeConfigMap(w io.Writer, r Reader, obj runtime.Object, now time.Time) error {
	return describeAs(w, r, obj, now, func(d *describer, cm *corev1.ConfigMap) {
		d.write(level0, "Name:\t%s\n", cm.Name)
		d.write(level0, "Namespace:\t%s\n", cm.Namespace)
		d.labelsMultiline("Labels", cm.Labels)
		d.annotationsMultiline("Annotations", cm.Annotations)
		d.write(level0, "\nData\n====\n")
		for _, k := range sortedKeys(cm.Data) {
			d.write(level0, "%s:\n----\n", k)
			d.write(level0, "%s\n", cm.Data[k])
			d.write(level0, "\n")
		}
		d.write(level0, "\nBinaryData\n====\n")
		for _, k := range sortedKeys(bytesKeys(cm.BinaryData)) {
			d.write(level0, "%s: %s bytes\n", k, strconv.Itoa(len(cm.BinaryData[k])))
		}
		d.write(level0, "\n")
		d.events(d.searchEvents(eventRef{namespace: cm.Namespace, name: cm.Name, kind: "ConfigMap", uids: []types.UID{cm.UID}}))
	})
}

// DescribeSecret describes a secret: the sizes of its values, never the values (but a service
// account token, which kubectl shows).
func DescribeSecret(w io.Writer, r Reader, obj runtime.Object, now time.Time) error {
	return describeAs(w, r, obj, now, func(d *describer, s *corev1.Secret) {
		d.write(level0, "Name:\t%s\n", s.Name)
		d.write(level0, "Namespace:\t%s\n", s.Namespace)
		d.labelsMultiline("Labels", s.Labels)
		d.annotationsMultiline("Annotations", s.Annotations)
		d.write(level0, "\nType:\t%s\n", s.Type)
		d.write(level0, "\nData\n====\n")
		for _, k := range sortedKeys(bytesKeys(s.Data)) {
			if k == corev1.ServiceAccountTokenKey && s.Type == corev1.SecretTypeServiceAccountToken {
				d.write(level0, "%s:\t%s\n", k, string(s.Data[k]))
			} else {
				d.write(level0, "%s:\t%d bytes\n", k, len(s.Data[k]))
			}
		}
	})
}

// DescribeServiceAccount describes a service account and its image pull secrets.
func DescribeServiceAccount(w io.Writer, r Reader, obj runtime.Object, now time.Time) error {
	return describeAs(w, r, obj, now, func(d *describer, sa *corev1.ServiceAccount) {
		d.write(level0, "Name:\t%s\n", sa.Name)
		d.write(level0, "Namespace:\t%s\n", sa.Namespace)
		d.labelsMultiline("Labels", sa.Labels)
		d.annotationsMultiline("Annotations", sa.Annotations)
		header := "Image pull secrets:"
		if len(sa.ImagePullSecrets) == 0 {
			d.write(level0, "%s\t<none>\n", header)
		}
		for _, s := range sa.ImagePullSecrets {
			d.write(level0, "%s\t%s\n", header, s.Name)
			header = "                   "
		}
		d.events(d.searchEvents(eventRef{namespace: sa.Namespace, name: sa.Name, kind: "ServiceAccount", uids: []types.UID{sa.UID}}))
	})
}

// DescribePriorityClass describes a priority class.
func DescribePriorityClass(w io.Writer, r Reader, obj runtime.Object, now time.Time) error {
	return describeAs(w, r, obj, now, func(d *describer, pc *schedulingv1.PriorityClass) {
		d.write(level0, "Name:\t%s\n", pc.Name)
		d.write(level0, "Value:\t%v\n", pc.Value)
		d.write(level0, "GlobalDefault:\t%v\n", pc.GlobalDefault)
		policy := ""
		if pc.PreemptionPolicy != nil {
			policy = string(*pc.PreemptionPolicy)
		}
		d.write(level0, "PreemptionPolicy:\t%s\n", policy)
		d.write(level0, "Description:\t%s\n", pc.Description)
		d.write(level0, "Annotations:\t%s\n", labels.FormatLabels(pc.Annotations))
		d.events(d.searchEvents(eventRef{name: pc.Name, kind: "PriorityClass", uids: []types.UID{pc.UID}}))
	})
}

// bytesKeys is the key set of a map of byte values, for sortedKeys.
func bytesKeys(m map[string][]byte) map[string]string {
	out := make(map[string]string, len(m))
	for k := range m {
		out[k] = ""
	}
	return out
}
