package deployment

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/dump"
	"k8s.io/apimachinery/pkg/util/rand"
)

// ComputeHash is the pod-template-hash of a (defaulted) pod template, as kube-controller-manager
// computes it (ComputeHash in pkg/controller/controller_utils.go, kubernetes v1.37.2): FNV-32a over
// dump.ForHash of the template (go-spew's %#v with sorted keys; v1.37 calls the k8s.io/utils copy
// of the same function, configured the same), then the collision count if set, as an 8-byte
// buffer holding the little-endian uint32, and the sum written in decimal through
// rand.SafeEncodeString.
func ComputeHash(template *corev1.PodTemplateSpec, collisionCount *int32) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%v", dump.ForHash(*template))
	if collisionCount != nil {
		buf := make([]byte, 8)
		binary.LittleEndian.PutUint32(buf, uint32(*collisionCount))
		h.Write(buf)
	}
	return rand.SafeEncodeString(fmt.Sprint(h.Sum32()))
}

func secondsDuration(s int32) time.Duration { return time.Duration(s) * time.Second }
