package cli

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/k8slearn/k8slearn/engine/release"
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
	if !mayShowCompletionCmd(args) {
		// cobra builds its completion command (five commands with their flags) at every run;
		// skipping it where no argument could name or list it is a visible part of start-up.
		root.CompletionOptions.DisableDefaultCmd = true
	}
	if args == nil {
		args = []string{} // cobra reads os.Args when given nil: Main runs what it is given
	}
	root.SetArgs(args)
	err = root.Execute()
	if err == nil {
		return 0
	}
	if errors.As(err, new(interruptedError)) {
		return exitInterrupted
	}
	fmt.Fprintln(io.Err, l.Error(localizeCobraError(l, err)))
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		return 2
	}
	return 1
}

// mayShowCompletionCmd reports whether a run with args could run the completion command or show
// it: in help, in completions, or as the command itself.
func mayShowCompletionCmd(args []string) bool {
	for _, a := range args {
		switch a {
		case "completion", "help", "-h", "--help", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
			return true
		}
	}
	return false
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

// localizeCobraError translates the usage errors cobra and pflag write in English.
func localizeCobraError(l *locales.Localizer, err error) error {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "unknown flag: "); ok {
		return errors.New(l.T("cli.error.unknown_flag", map[string]any{"Flag": rest}))
	}
	if rest, ok := strings.CutPrefix(msg, "unknown shorthand flag: "); ok {
		return errors.New(l.T("cli.error.unknown_flag", map[string]any{"Flag": rest}))
	}
	if rest, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return errors.New(l.T("cli.error.flag_needs_argument", map[string]any{"Flag": rest}))
	}
	if strings.HasPrefix(msg, "invalid argument ") {
		return errors.New(l.T("cli.error.invalid_argument", map[string]any{"Detail": strings.TrimPrefix(msg, "invalid argument ")}))
	}
	// cobra's own wording is `unknown command "x" for "k8slearn lesson"`; ours (unknownCommand)
	// is already in the learner's language and carries its suggestions.
	if rest, ok := strings.CutPrefix(msg, "unknown command "); ok && strings.Contains(rest, `" for "`) {
		name, _, _ := strings.Cut(strings.TrimPrefix(rest, "\""), "\"")
		return errors.New(l.T("cli.error.unknown_command", map[string]any{"Name": name}))
	}
	if strings.HasPrefix(msg, "accepts ") || strings.HasPrefix(msg, "requires ") {
		return errors.New(l.T("cli.error.args", map[string]any{"Detail": msg}))
	}
	return err
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
//
// The commands are built with message IDs in place of their help texts (Short, Long and flag
// usages); localizeHelp renders them in the learner's language the first time help or shell
// completions are shown. Most runs show neither, and rendering some forty messages at every start
// was a measurable part of the start-up time.
func NewRoot(io IO, l *locales.Localizer) *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:           "k8slearn",
		Short:         "cli.root.short",
		Long:          "cli.root.long",
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       Version,
		// cobra applies this default only on its own path to suggestions, not in SuggestionsFor,
		// which unknownCommand calls.
		SuggestionsMinimumDistance: 2,
	}
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetIn(io.In)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.Uint64Var(&g.seed, "seed", 1, "cli.flag.seed")
	pf.BoolVar(&g.plain, "plain", false, "cli.flag.plain")
	pf.BoolVar(&g.noColor, "no-color", false, "cli.flag.no_color")
	pf.StringVar(&g.lang, "lang", "", "cli.flag.lang")
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usageError{errors.New(unknownCommand(l, args[0], cmd))}
		}
		e, err := newLessonEnv(io, l, g)
		if err != nil {
			return err
		}
		return e.guarded(func() error { return e.menu(cmd) })
	}
	root.Args = cobra.ArbitraryArgs
	root.AddCommand(newLessonCmd(io, l, g), newProgressCmd(io, l, g), newResetCmd(io, l, g),
		newSandbox(io, l, g), newVersion(io, l), newServe(io, l, g), newStep(io, l, g))
	root.SetHelpCommand(newHelpCmd(l))

	localize := sync.OnceFunc(func() { localizeHelp(root, l) })
	showHelp := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		localize()
		showHelp(c, args)
	})
	// Completions describe the commands and flags with their help texts.
	root.PersistentPreRun = func(c *cobra.Command, _ []string) {
		if c.Name() == cobra.ShellCompRequestCmd || c.Name() == cobra.ShellCompNoDescRequestCmd {
			localize()
		}
	}
	return root
}

// newHelpCmd is cobra's help command, with an unknown topic reported as a usage error in the
// learner's language.
func newHelpCmd(l *locales.Localizer) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "cli.help.short",
		Long:  "cli.help.long",
		ValidArgsFunction: func(c *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			var out []string
			for _, sub := range c.Root().Commands() {
				if sub.IsAvailableCommand() {
					out = append(out, sub.Name())
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			// The root takes any arguments (they are reported as unknown commands), so Find
			// returns it, with the words left over, for a topic that is no command.
			if target == nil || err != nil || len(rest) > 0 {
				return usageError{errors.New(unknownCommand(l, strings.Join(args, " "), c.Root()))}
			}
			return target.Help()
		},
	}
}

// localizeHelp renders the help texts NewRoot left as message IDs, and puts cobra's own words
// (usage template, help flag, completion command, version flag) into the learner's language.
func localizeHelp(root *cobra.Command, l *locales.Localizer) {
	root.SetUsageTemplate(l.T("cli.usage_template"))
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Short, c.Long = "cli.completion.short", "cli.completion.long"
			for _, sub := range c.Commands() {
				sub.Short = l.T("cli.completion.shell_short", map[string]any{"Shell": sub.Name()})
				sub.Long = sub.Short
				if f := sub.Flags().Lookup("no-descriptions"); f != nil {
					f.Usage = "cli.completion.flag.no_descriptions"
				}
			}
		}
	}
	root.InitDefaultVersionFlag()
	if f := root.Flags().Lookup("version"); f != nil {
		f.Usage = "cli.flag.version"
	}
	render := func(id string) string {
		if !locales.IsMessageID(id) {
			return id // already rendered (the completion scripts' texts)
		}
		return l.T(id)
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Short, c.Long = render(c.Short), render(c.Long)
		c.InitDefaultHelpFlag()
		if f := c.Flags().Lookup("help"); f != nil {
			f.Usage = l.T("cli.flag.help", map[string]any{"Command": c.Name()})
		}
		localizeFlag := func(f *pflag.Flag) {
			f.Usage = render(f.Usage)
			localizeDefault(f, l)
		}
		c.LocalNonPersistentFlags().VisitAll(localizeFlag)
		c.PersistentFlags().VisitAll(localizeFlag)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// localizeDefault moves a flag's default into its (localized) usage: pflag prints "(default X)"
// in English only, and only when DefValue is not the type's zero value, so DefValue is set to that
// zero value once the text carries the default. Nothing parses DefValue after definition.
func localizeDefault(f *pflag.Flag, l *locales.Localizer) {
	zero := map[string]string{"bool": "false", "string": "", "stringSlice": "[]", "stringArray": "[]", "duration": "0s"}
	z, ok := zero[f.Value.Type()]
	if !ok {
		z = "0"
	}
	if f.DefValue == z || f.DefValue == "" {
		return
	}
	f.Usage += l.T("cli.flag.default", map[string]any{"Value": f.DefValue})
	f.DefValue = z
}

// unknownCommand is cobra's "unknown command" error in the learner's language, with cobra's
// suggestions.
func unknownCommand(l *locales.Localizer, name string, root *cobra.Command) string {
	msg := l.T("cli.error.unknown_command", map[string]any{"Name": name})
	if s := root.SuggestionsFor(name); len(s) > 0 {
		msg += "\n" + l.T("cli.did_you_mean", map[string]any{"Suggestion": strings.Join(s, ", ")})
	}
	return msg
}

func newVersion(io IO, l *locales.Localizer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "cli.version.short",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintln(io.Out, l.T("cli.version.line", map[string]any{"Version": Version, "Kubernetes": release.Short}))
			return nil
		},
	}
}
