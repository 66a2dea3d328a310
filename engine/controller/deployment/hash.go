package deployment

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/controller/deployment/internal/hashtext"
)

// ComputeHash is the pod-template-hash of a (defaulted) pod template: FNV-32a over apimachinery's
// dump.ForHash text of the template (written by hashtext, without linking go-spew), then the
// collision count if set, the sum written in decimal and each digit mapped through safeEncode
// (apimachinery's rand.SafeEncodeString). The collision count goes in as an 8-byte buffer holding
// the little-endian uint32, exactly as kube-controller-manager's controller.ComputeHash writes it.
func ComputeHash(template *corev1.PodTemplateSpec, collisionCount *int32) string {
	h := fnv.New32a()
	h.Write(hashtext.Append(nil, *template))
	if collisionCount != nil {
		buf := make([]byte, 8)
		binary.LittleEndian.PutUint32(buf, uint32(*collisionCount))
		h.Write(buf)
	}
	return safeEncode(fmt.Sprint(h.Sum32()))
}

func secondsDuration(s int32) time.Duration { return time.Duration(s) * time.Second }

// safeEncode maps each character of s into apiserver.SafeAlphabet, as apimachinery's
// rand.SafeEncodeString does. Importing that package would seed a math/rand source in its init at
// every start of the program, for a five-line function.
func safeEncode(s string) string {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		out = append(out, apiserver.SafeAlphabet[int(r)%len(apiserver.SafeAlphabet)])
	}
	return string(out)
}
