package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/k8slearn/k8slearn/locales"
)

// Version is k8slearn's version.
const Version = "0.1.0"

// globalFlags are the flags every command takes.
type globalFlags struct {
	seed    uint64
	plain   bool
	noColor bool
	lang    string
}

// usageError marks errors that exit with status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// Main runs k8slearn with args (without the program name) and returns the exit status.
func Main(args []string, io IO) int {
	lang, langErr := locales.ResolveLang(langFromArgs(args), io.Getenv)
	l, err := locales.New(lang)
	if err != nil {
		l, _ = locales.New("en")
	}
	if langErr != nil {
		fmt.Fprintln(io.Err, l.Error(langErr))
		return 2
	}
	root := NewRoot(io, l)
	root.SetArgs(args)
	err = root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintln(io.Err, l.Error(err))
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		return 2
	}
	return 1
}

// langFromArgs finds --lang before cobra parses anything, because the help texts themselves are
// built in the chosen language.
func langFromArgs(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		if v, ok := strings.CutPrefix(a, "--lang="); ok {
			return v
		}
		if a == "--lang" && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "invalid argument", "flag needs an argument", "accepts ", "requires "} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// NewRoot builds the command tree.
func NewRoot(io IO, l *locales.Localizer) *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:           "k8slearn",
		Short:         l.T("cli.root.short"),
		Long:          l.T("cli.root.long"),
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       Version,
	}
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetIn(io.In)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.Uint64Var(&g.seed, "seed", 1, l.T("cli.flag.seed"))
	pf.BoolVar(&g.plain, "plain", false, l.T("cli.flag.plain"))
	pf.BoolVar(&g.noColor, "no-color", false, l.T("cli.flag.no_color"))
	pf.StringVar(&g.lang, "lang", "", l.T("cli.flag.lang"))
	root.AddCommand(newVersion(io, l), newSandbox(io, l, g))
	return root
}

func newVersion(io IO, l *locales.Localizer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: l.T("cli.version.short"),
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintln(io.Out, l.T("cli.version.line", map[string]any{"Version": Version, "Kubernetes": "v1.34"}))
			return nil
		},
	}
}
