package kubectl

import (
	"errors"

	"github.com/spf13/cobra"
)

// newTop is kubectl top: the cluster runs no metrics-server, so pod and node answer as a real
// kubectl does when the metrics.k8s.io API is not served (k8s.io/kubectl v0.37.2
// pkg/cmd/top/top_pod.go and top_node.go).
func (k *Kubectl) newTop(s Streams) *cobra.Command {
	top := &cobra.Command{
		Use:   "top",
		Short: "Display resource (CPU/memory) usage",
		RunE: func(c *cobra.Command, _ []string) error {
			c.SetOut(s.Out)
			return c.Help()
		},
	}
	notAvailable := func(*cobra.Command, []string) error { return errors.New("Metrics API not available") }
	for _, sub := range []struct {
		use, short string
		aliases    []string
	}{
		{"pod [NAME | -l label]", "Display resource (CPU/memory) usage of pods", []string{"pods", "po"}},
		{"node [NAME | -l label]", "Display resource (CPU/memory) usage of nodes", []string{"nodes", "no"}},
	} {
		var ns namespaceFlags
		var selector string
		c := &cobra.Command{Use: sub.use, Short: sub.short, Aliases: sub.aliases, DisableFlagsInUseLine: true, RunE: notAvailable}
		ns.add(c, true)
		c.Flags().StringVarP(&selector, "selector", "l", "", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.")
		top.AddCommand(c)
	}
	return top
}
