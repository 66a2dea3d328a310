package printers

import (
	"io"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// DescribePodTemplate writes a pod template as kubectl's polymorphichelpers printTemplate does for
// `rollout history --revision=N` (k8s.io/kubectl v0.37.2 pkg/polymorphichelpers/history.go):
// DescribePodTemplate through a bare PrefixWriter, so the tabs are not aligned.
func DescribePodTemplate(w io.Writer, t *corev1.PodTemplateSpec) error {
	d := newDescriber(nil, time.Time{})
	d.podTemplate(t)
	_, err := w.Write(d.buf.Bytes())
	return err
}
