package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/k8slearn/k8slearn/cmd/progress"
	"github.com/k8slearn/k8slearn/cmd/serve"
	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/locales"
)

// kubeconfigFile is the name of the kubeconfig serve writes in k8slearn's directory.
const kubeconfigFile = "kubeconfig"

func newServe(io IO, l *locales.Localizer, g *globalFlags) *cobra.Command {
	var addr, kubeconfig string
	var nodes int
	var auto, step bool
	c := &cobra.Command{
		Use:   "serve",
		Short: "cli.serve.short",
		Long:  "cli.serve.long",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if nodes < 1 || nodes > maxNodes {
				return usageError{fmt.Errorf("%s", l.T("cli.sandbox.nodes_range", map[string]any{"Max": maxNodes}))}
			}
			if kubeconfig == "" {
				path, err := defaultKubeconfig(io)
				if err != nil {
					return err
				}
				kubeconfig = path
			}
			ctx, stop := signal.NotifyContext(commandContext(cmd), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serve.Run(ctx, serve.Options{
				Addr: addr, Kubeconfig: kubeconfig, Auto: !step, Nodes: nodes, Seed: g.seed,
				L: l, Style: view.NewStyler(colorOn(io, g.noColor)), Out: io.Out, In: io.In, Now: time.Now,
			})
		},
	}
	f := c.Flags()
	f.StringVar(&addr, "addr", serve.DefaultAddr, "cli.serve.flag.addr")
	f.StringVar(&kubeconfig, "kubeconfig", "", "cli.serve.flag.kubeconfig")
	f.BoolVar(&auto, "auto", true, "cli.serve.flag.auto")
	f.BoolVar(&step, "step", false, "cli.serve.flag.step")
	f.IntVar(&nodes, "nodes", 2, "cli.sandbox.flag.nodes")
	c.MarkFlagsMutuallyExclusive("auto", "step")
	return c
}

func newStep(io IO, l *locales.Localizer, _ *globalFlags) *cobra.Command {
	var kubeconfig string
	c := &cobra.Command{
		Use:   "step",
		Short: "cli.step.short",
		Long:  "cli.step.long",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if kubeconfig == "" {
				kubeconfig = firstPath(io.Getenv("KUBECONFIG"))
			}
			if kubeconfig == "" {
				path, err := defaultKubeconfig(io)
				if err != nil {
					return err
				}
				kubeconfig = path
			}
			if err := serve.Step(commandContext(cmd), kubeconfig, io.Out); err != nil {
				return fmt.Errorf("%s", l.T("cli.step.failed", map[string]any{"Path": kubeconfig, "Err": err.Error()}))
			}
			return nil
		},
	}
	c.Flags().StringVar(&kubeconfig, "kubeconfig", "", "cli.step.flag.kubeconfig")
	return c
}

// defaultKubeconfig is where serve writes its kubeconfig unless told: k8slearn's own directory,
// never ~/.kube/config, which belongs to the learner's real clusters.
func defaultKubeconfig(io IO) (string, error) {
	dir, err := progress.Dir(io.Getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, kubeconfigFile), nil
}

// firstPath is the first file of a KUBECONFIG list.
func firstPath(list string) string {
	for _, p := range filepath.SplitList(list) {
		if p = strings.TrimSpace(p); p != "" {
			return p
		}
	}
	return ""
}

func commandContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}
