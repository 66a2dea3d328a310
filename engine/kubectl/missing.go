package kubectl

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"
)

// Translator renders a learner-facing message of locales/ (the sandbox passes its Localizer's T).
// The engine never renders sentences itself; without a translator the message ID and its
// arguments are printed as they are.
type Translator func(id string, data ...map[string]any) string

// SetTranslator sets how the messages that are not kubectl's own (a verb the sandbox lacks) are
// rendered.
func (k *Kubectl) SetTranslator(t Translator) { k.translate = t }

func (k *Kubectl) t(id string, data map[string]any) string {
	if k.translate != nil {
		return k.translate(id, data)
	}
	keys := make([]string, 0, len(data))
	for key := range data {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(id)
	for _, key := range keys {
		fmt.Fprintf(&b, " %s=%v", key, data[key])
	}
	return b.String()
}

// kubectlCommand is a top-level command of the real kubectl and its one-line help.
type kubectlCommand struct{ name, short string }

// kubectlCommands are the top-level commands of kubectl v1.37 with their Short texts (k8s.io/kubectl
// v0.37.2 pkg/cmd/cmd.go, NewKubectlCommand: the command groups, then alpha, config, plugin,
// version, api-versions, api-resources, options, kuberc; each Short from the command's file).
func kubectlCommands() []kubectlCommand {
	return []kubectlCommand{
		{"create", "Create a resource from a file or from stdin"},
		{"expose", "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service"},
		{"run", "Run a particular image on the cluster"},
		{"set", "Set specific features on objects"},
		{"explain", "Get documentation for a resource"},
		{"get", "Display one or many resources"},
		{"edit", "Edit a resource on the server"},
		{"delete", "Delete resources by file names, stdin, resources and names, or by resources and label selector"},
		{"rollout", "Manage the rollout of a resource"},
		{"scale", "Set a new size for a deployment, replica set, or replication controller"},
		{"autoscale", "Auto-scale a deployment, replica set, stateful set, or replication controller"},
		{"certificate", "Modify certificate resources"},
		{"cluster-info", "Display cluster information"},
		{"top", "Display resource (CPU/memory) usage"},
		{"cordon", "Mark node as unschedulable"},
		{"uncordon", "Mark node as schedulable"},
		{"drain", "Drain node in preparation for maintenance"},
		{"taint", "Update the taints on one or more nodes"},
		{"describe", "Show details of a specific resource or group of resources"},
		{"logs", "Print the logs for a container in a pod"},
		{"attach", "Attach to a running container"},
		{"exec", "Execute a command in a container"},
		{"port-forward", "Forward one or more local ports to a pod"},
		{"proxy", "Run a proxy to the Kubernetes API server"},
		{"cp", "Copy files and directories to and from containers"},
		{"auth", "Inspect authorization"},
		{"debug", "Create debugging sessions for troubleshooting workloads and nodes"},
		{"events", "List events"},
		{"diff", "Diff the live version against a would-be applied version"},
		{"apply", "Apply a configuration to a resource by file name or stdin"},
		{"patch", "Update fields of a resource"},
		{"replace", "Replace a resource by file name or stdin"},
		{"wait", "Wait for a specific condition on one or many resources"},
		{"kustomize", "Build a kustomization target from a directory or URL"},
		{"label", "Update the labels on a resource"},
		{"annotate", "Update the annotations on a resource"},
		{"completion", "Output shell completion code for the specified shell (bash, zsh, fish, or powershell)"},
		{"alpha", "Commands for features in alpha"},
		{"config", "Modify kubeconfig files"},
		{"plugin", "Provides utilities for interacting with plugins"},
		{"version", "Print the client and server version information"},
		{"api-versions", "Print the supported API versions on the server, in the form of \"group/version\""},
		{"api-resources", "Print the supported API resources on the server"},
		{"options", "Print the list of flags inherited by all commands"},
		{"kuberc", "Manage kuberc configuration files"},
	}
}

// addMissingCommands gives every real kubectl command the sandbox does not implement a command
// of its own that says so, instead of cobra's "unknown command". It runs after the real
// commands are added, so a verb that gets implemented drops out of this list by itself.
func (k *Kubectl) addMissingCommands(root *cobra.Command, s Streams) {
	have := map[string]*cobra.Command{}
	existing := root.Commands()
	for _, c := range existing {
		have[c.Name()] = c
	}
	// The root's commands go in kubectl's order (its command groups, then the rest, as
	// NewKubectlCommand adds them): cobra's "Did you mean this?" lists suggestions in that
	// order ("set" before "get" for "gett").
	root.RemoveCommand(existing...)
	for _, kc := range kubectlCommands() {
		if c, ok := have[kc.name]; ok {
			root.AddCommand(c)
			delete(have, kc.name)
			continue
		}
		name := kc.name
		root.AddCommand(&cobra.Command{
			Use:   name,
			Short: kc.short,
			// Not hidden: cobra's "Did you mean this?" suggests them as kubectl does.
			DisableFlagParsing: true,
			RunE: func(*cobra.Command, []string) error {
				fmt.Fprintln(s.ErrOut, k.t("kubectl.missing_verb", map[string]any{"Verb": name}))
				return ExitError{Code: 1}
			},
		})
	}
	for _, c := range existing { // none today: every sandbox verb is a kubectl verb
		if have[c.Name()] != nil {
			root.AddCommand(c)
		}
	}
}

// IsKubectlCommand reports whether name is a top-level command of the real kubectl, whether or not
// the sandbox implements it.
func IsKubectlCommand(name string) bool {
	for _, c := range kubectlCommands() {
		if c.name == name {
			return true
		}
	}
	return false
}
