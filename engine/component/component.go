// Package component is the contract between the cluster and the components it steps: controllers,
// the scheduler, kubelets and container runtimes.
package component

import (
	"github.com/k8slearn/k8slearn/engine/informer"
	"github.com/k8slearn/k8slearn/engine/work"
)

// Note is something a component did that is not an API write (the runtime pulled an image, the
// scheduler chose a node), as a message ID in locales/ with its template arguments. The engine never
// renders text itself.
type Note struct {
	ID   string
	Args map[string]any
}

// Result is what one work item led to, beyond the API writes the server recorded.
type Result struct {
	Notes []Note
}

// Component is one actor of the control plane or of a node.
type Component interface {
	// Name is the component's name as the trace and the map show it: "deployment-controller",
	// "kubelet/node-1", "containerd/node-1".
	Name() string
	// Informers are the caches the component keeps; the cluster syncs them before each step.
	Informers() []*informer.Informer
	// Queue holds the component's pending work.
	Queue() *work.Queue
	// Process handles one work item taken from the component's queue.
	Process(it work.Item) Result
}
