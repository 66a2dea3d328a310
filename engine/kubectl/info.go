package kubectl

import "github.com/spf13/cobra"

// addReadCommands adds the read-only verbs that tell about the cluster rather than its objects:
// version, cluster-info, api-resources, api-versions, explain.
func (k *Kubectl) addReadCommands(root *cobra.Command, s Streams) {
}
