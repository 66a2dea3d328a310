package kubelet

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/engine/kubelet/probe"
)

// Targets are the simulated processes of a pod's running containers, by container name, for
// clients other than the prober (curl to the pod, or through a Service): the same instances its
// probes reach, so a container whose probes were made to fail answers curl the same way.
func (k *Kubelet) Targets(namespace, name string) map[string]probe.Target {
	key := namespace + "/" + name
	st := k.pods[key]
	obj, ok := k.podInf.Get(key)
	// A pod being stopped got SIGTERM: nginx (and httpd) shut down at once on it.
	if st == nil || !ok || st.stage == stageStopping {
		return nil
	}
	out := map[string]probe.Target{}
	for name, cs := range st.containers {
		if !cs.running || cs.killing {
			continue
		}
		if c := containerSpec(obj.(*corev1.Pod), name); c != nil {
			out[name] = k.target(key, c, cs)
		}
	}
	return out
}
