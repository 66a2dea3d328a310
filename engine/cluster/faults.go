package cluster

import (
	"fmt"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// Faults are changes to the simulated world, never to the control plane's logic: the control
// plane finds out the way a real one does (DESIGN.md, "time and faults"). Lessons script them
// through these methods; the sandbox's `fault` command calls them.

// FaultClient is who the API server records a fault's requests as: someone other than the
// learner's kubectl and the controllers.
const FaultClient = "fault-injector"

// NodeNotFoundError says which node a fault named that the cluster does not have.
type NodeNotFoundError struct{ Node string }

func (e NodeNotFoundError) Error() string { return fmt.Sprintf("node %q not found", e.Node) }

// SetNodeDown stops node's kubelet (down) or starts it again: down, it stops renewing its Lease,
// posting node status and acting on its pods (whose containers run on); up, it does all three at
// once and resyncs its pods. It reports whether anything changed.
func (c *Cluster) SetNodeDown(node string, down bool) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.recordExternal()
	c.syncInformers()
	for _, k := range c.kubelets {
		if k.Node() == node {
			changed := k.Down() != down
			k.SetDown(down)
			return changed, nil
		}
	}
	return false, NodeNotFoundError{Node: node}
}

// NodeDown reports whether node's kubelet is down.
func (c *Cluster) NodeDown(node string) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range c.kubelets {
		if k.Node() == node {
			return k.Down(), nil
		}
	}
	return false, NodeNotFoundError{Node: node}
}

// DeletePod deletes a pod behind its controller's back, as another client would: gracefully, so a
// pod on a node goes Terminating until its kubelet has stopped it.
func (c *Cluster) DeletePod(namespace, name string) error {
	_, err := c.api.Client(FaultClient).Delete("pods", namespace, name, apiserver.DeleteOptions{})
	return err
}
