package cli

import (
	"fmt"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/k8slearn/k8slearn/cmd/sandbox"
	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/locales"
)

// maxNodes bounds --nodes: enough for any lesson, small enough to start at once.
const maxNodes = 100

func newSandbox(io IO, l *locales.Localizer, g *globalFlags) *cobra.Command {
	var nodes int
	var auto bool
	c := &cobra.Command{
		Use:   "sandbox",
		Short: "cli.sandbox.short",
		Long:  "cli.sandbox.long",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if nodes < 1 || nodes > maxNodes {
				return usageError{fmt.Errorf("%s", l.T("cli.sandbox.nodes_range", map[string]any{"Max": maxNodes}))}
			}
			terminal := io.Terminal && !g.plain
			cfg := sandbox.Config{Seed: g.seed, Nodes: nodes, Auto: auto, L: l,
				Style: view.NewStyler(colorOn(io, g.noColor) && terminal), Files: io.Files, Debug: debugOut(io)}
			guard := startGuard(io, l, "sandbox.bye")
			defer guard.release()
			if !terminal {
				s, err := sandbox.New(cfg, io.Out)
				if err != nil {
					return err
				}
				sandbox.Loop(s, guardedReader{sandbox.NewPlainReader(io.In), guard}, true)
				return nil
			}
			state, err := term.MakeRaw(io.Fd)
			if err != nil {
				return err
			}
			defer term.Restore(io.Fd, state)
			tr := sandbox.NewTermReader(readWriter{io.In, io.Out})
			s, err := sandbox.New(cfg, tr.Writer())
			if err != nil {
				return err
			}
			sandbox.Loop(s, guardedReader{tr, guard}, false)
			return nil
		},
	}
	c.Flags().IntVar(&nodes, "nodes", 2, "cli.sandbox.flag.nodes")
	c.Flags().BoolVar(&auto, "auto", false, "cli.sandbox.flag.auto")
	return c
}
