package kubectl

import (
	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// deleteUnlessDryRun deletes one object, or with a dry run leaves it stored. kubectl reads every
// object before it deletes it, so a client dry run of a missing object fails too; a server dry
// run sends the DELETE with dryRun=All, which checks what a delete checks and removes nothing.
func (k *Kubectl) deleteUnlessDryRun(dry dryRun, t resourceRef, namespace string, opts apiserver.DeleteOptions) error {
	if dry == dryRunClient {
		_, err := k.client.Get(t.res.Name, namespace, t.name)
		return err
	}
	_, err := k.writer(dry).Delete(t.res.Name, namespace, t.name, opts)
	return err
}
