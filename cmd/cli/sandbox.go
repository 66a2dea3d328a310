package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/k8slearn/k8slearn/cmd/picture"
	"github.com/k8slearn/k8slearn/cmd/sandbox"
	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/locales"
)

// maxNodes bounds --nodes: enough for any lesson, small enough to start at once.
const maxNodes = 100

func newSandbox(io IO, l *locales.Localizer, g *globalFlags) *cobra.Command {
	var nodes int
	var auto bool
	var web webFlags
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
			// With --web, a live map follows the session; its step and run buttons reach the
			// session through the reader, as if typed.
			actions := make(chan string, 1)
			reader := func(r sandbox.LineReader) sandbox.LineReader {
				if !web.on {
					return r
				}
				return sandbox.NewActionReader(r, actions)
			}
			if web.on {
				liveCfg := picture.LiveConfig{Options: picture.Options{Context: l.T("picture.context.sandbox"), Seed: g.seed}}
				if !auto {
					liveCfg.Control = func(action string) error {
						select {
						case actions <- action:
							return nil
						default:
							return errors.New(l.T("picture.live.busy"))
						}
					}
				}
				page, err := startWeb(io, l, web.addr, liveCfg)
				if err != nil {
					return err
				}
				defer page.stop()
				cfg.Changed = page.live.Update
			}
			guard := startGuard(io, l, "sandbox.bye")
			defer guard.release()
			if !terminal {
				s, err := sandbox.New(cfg, io.Out)
				if err != nil {
					return err
				}
				sandbox.Loop(s, guardedReader{reader(sandbox.NewPlainReader(io.In)), guard}, true)
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
			sandbox.Loop(s, guardedReader{reader(tr), guard}, false)
			return nil
		},
	}
	c.Flags().IntVar(&nodes, "nodes", 2, "cli.sandbox.flag.nodes")
	c.Flags().BoolVar(&auto, "auto", false, "cli.sandbox.flag.auto")
	web.add(c.Flags())
	return c
}
