package kubectl

import (
	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// deleteUnlessDryRun deletes one object, or with a dry run leaves it stored. kubectl reads every
// object before it deletes it, so a dry run of a missing object fails either way; a server dry run
// of a delete asks no more of the API server than that the object exists (k8slearn's Client has
// no dry-run delete), and nothing is removed.
func (k *Kubectl) deleteUnlessDryRun(dry dryRun, t resourceRef, namespace string, opts apiserver.DeleteOptions) error {
	switch dry {
	case dryRunClient, dryRunServer:
		_, err := k.client.Get(t.res.Name, namespace, t.name)
		return err
	}
	_, err := k.client.Delete(t.res.Name, namespace, t.name, opts)
	return err
}
