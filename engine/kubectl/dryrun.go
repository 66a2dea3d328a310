package kubectl

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"
)

// dryRun is kubectl's DryRunStrategy.
type dryRun int

const (
	dryRunNone dryRun = iota
	dryRunClient
	dryRunServer
)

// suffix is what the success line says after the verb (cmdutil.PrintFlagsWithDryRunStrategy and
// delete.go's PrintObj in k8s.io/kubectl v0.37.2).
func (d dryRun) suffix() string {
	switch d {
	case dryRunClient:
		return " (dry run)"
	case dryRunServer:
		return " (server dry run)"
	}
	return ""
}

// writer is the client a write goes through: with --dry-run=server kubectl sends dryRun=All, and
// the API server defaults, admits and validates the object, answers with what it would have
// stored, and stores nothing (k8s.io/apiserver pkg/registry/generic/registry/dryrun.go).
func (k *Kubectl) writer(d dryRun) API {
	if d == dryRunServer {
		return k.dry
	}
	return k.client
}

// addDryRunFlag is cmdutil.AddDryRunFlag.
func addDryRunFlag(c *cobra.Command, v *string) {
	c.Flags().StringVar(v, "dry-run", "none", `Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.`)
	c.Flags().Lookup("dry-run").NoOptDefVal = "unchanged"
}

// dryRunStrategy is cmdutil.GetDryRunStrategy (pkg/cmd/util/helpers.go), its deprecation
// warnings logged as klog logs them.
func (k *Kubectl) dryRunStrategy(c *cobra.Command, value string, s Streams) (dryRun, error) {
	b, err := strconv.ParseBool(value)
	if err != nil {
		switch value {
		case c.Flag("dry-run").NoOptDefVal:
			k.klogWarning(s, "helpers.go:714", "--dry-run is deprecated and can be replaced with --dry-run=client.")
			return dryRunClient, nil
		case "client":
			return dryRunClient, nil
		case "server":
			return dryRunServer, nil
		case "none":
			return dryRunNone, nil
		}
		return dryRunNone, fmt.Errorf(`Invalid dry-run value (%v). Must be "none", "server", or "client".`, value)
	}
	if b {
		k.klogWarning(s, "helpers.go:728", fmt.Sprintf("--dry-run=%v is deprecated (boolean value) and can be replaced with --dry-run=%s.", value, "client"))
		return dryRunClient, nil
	}
	k.klogWarning(s, "helpers.go:731", fmt.Sprintf("--dry-run=%v is deprecated (boolean value) and can be replaced with --dry-run=%s.", value, "none"))
	return dryRunNone, nil
}

// klogWarning writes a klog warning line as kubectl's stderr shows it.
func (k *Kubectl) klogWarning(s Streams, where, msg string) {
	fmt.Fprintf(s.ErrOut, "W%s   %d %s] %s\n", k.now().Format("0102 15:04:05.000000"), k.pid, where, msg)
}
