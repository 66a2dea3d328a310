// Package sandbox is `k8slearn sandbox`: a miniature cluster the learner drives with kubectl
// commands, and steps one component at a time to watch the control plane act.
package sandbox

import (
	"fmt"
	"io"
	"maps"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/kballard/go-shellquote"
	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl"
	"github.com/k8slearn/k8slearn/locales"
)

// Config is how a session starts.
type Config struct {
	Seed  uint64
	Nodes int
	Auto  bool // run the control plane to idle after every command
	// MaxSteps is the most steps one command takes (zero: defaultMaxSteps).
	MaxSteps int
	L        *locales.Localizer
	Style    view.Styler
	Files    kubectl.Files // where -f finds files (nil: the real filesystem)
	// Commands add to or replace the session's own commands, by name: how tests inject a
	// command that fails.
	Commands map[string]Command
	// Debug, when set, receives the stack of a command that panicked (K8SLEARN_DEBUG).
	Debug io.Writer
	// Changed, when set, is called after every action of the cluster and when the session starts
	// or resets (with the new cluster): how a live picture follows the session. It runs on the
	// session's goroutine and must return at once.
	Changed func(*cluster.Cluster)
	// Context names the session in an exported picture's title (empty: "sandbox").
	Context string
	// WriteFile writes an exported picture (nil: picture.WriteFile, to the filesystem).
	WriteFile func(name string, data []byte) error
	// Cluster, when set, is the cluster the session drives from the start, rather than one of
	// its own (`k8slearn serve` runs the sandbox's commands against the cluster it serves).
	Cluster *cluster.Cluster
}

// Command is one of the session's commands. It gets the line as typed and its words (the
// command's name first), and reports whether the learner asked to leave.
type Command func(line string, words []string) (quit bool)

// Session is one sandbox: a cluster, a kubectl for it, and what the learner has seen.
type Session struct {
	cfg       Config
	out       io.Writer
	cluster   *cluster.Cluster
	kubectl   *kubectl.Kubectl
	lastActor string
	commands  map[string]Command
	legend    bool // the map's legend was shown: after that only the map command shows it
}

// defaultMaxSteps bounds `run` and `step COMPONENT`, so a control plane that never settles cannot
// hang the sandbox.
const defaultMaxSteps = 100_000

// New starts a session writing to out.
func New(cfg Config, out io.Writer) (*Session, error) {
	s := &Session{cfg: cfg, out: out}
	if err := s.reset(); err != nil {
		return nil, err
	}
	s.commands = s.builtins()
	maps.Copy(s.commands, s.trafficCommands())
	maps.Copy(s.commands, cfg.Commands)
	return s, nil
}

func (s *Session) reset() error {
	c := s.cfg.Cluster
	if c == nil || s.cluster != nil {
		cc := cluster.DefaultConfig(s.cfg.Seed)
		if s.cfg.Nodes > 0 {
			cc.Nodes = s.cfg.Nodes
		}
		var err error
		if c, err = cluster.New(cc); err != nil {
			return err
		}
	}
	s.cluster, s.kubectl, s.lastActor = c, kubectl.NewFS(c, s.cfg.Files), ""
	s.kubectl.SetTranslator(s.cfg.L.T)
	s.changed()
	return nil
}

// changed tells a live picture that the cluster moved.
func (s *Session) changed() {
	if s.cfg.Changed != nil {
		s.cfg.Changed(s.cluster)
	}
}

// Cluster is the session's cluster.
func (s *Session) Cluster() *cluster.Cluster { return s.cluster }

func (s *Session) T(id string, data ...map[string]any) string { return s.cfg.L.T(id, data...) }

func (s *Session) println(a ...any) { fmt.Fprintln(s.out, a...) }

// Banner is the greeting.
func (s *Session) Banner() {
	s.println(s.T("sandbox.welcome", map[string]any{"Seed": s.cfg.Seed, "Nodes": s.cluster.Config().Nodes}))
	if s.cfg.Auto {
		s.println(s.T("sandbox.welcome_auto"))
	} else {
		s.println(s.T("sandbox.welcome_step"))
	}
}

// Prompt names the component that acts next, so the learner always knows there is work waiting.
func (s *Session) Prompt() string {
	next := s.cluster.Next()
	if next == "" {
		return s.idlePrompt() + " $ "
	}
	return s.T("sandbox.prompt_next", map[string]any{"Component": next}) + " $ "
}

// Exec runs one input line; a line whose first word is no command of the session's is a kubectl
// command. It reports whether the learner asked to leave. A command that panics (a bug) is
// reported as an internal error and the session goes on.
func (s *Session) Exec(line string) (quit bool) {
	words := strings.Fields(line)
	if len(words) == 0 {
		return false
	}
	defer s.Survive(line)
	if cmd, ok := s.commands[words[0]]; ok {
		return cmd(line, words)
	}
	s.kubectlCmd(line, words)
	return false
}

// builtins are the session's own commands.
func (s *Session) builtins() map[string]Command {
	// act makes a command that never ends the session from one that takes the arguments.
	act := func(f func(args []string)) Command {
		return func(_ string, words []string) bool {
			f(words[1:])
			return false
		}
	}
	quit := func(string, []string) bool {
		s.println(s.T("sandbox.bye"))
		return true
	}
	help := act(func(args []string) {
		if len(args) > 0 && args[0] == "fault" {
			s.faultHelp()
			return
		}
		s.println(s.T("sandbox.help"))
	})
	return map[string]Command{
		"exit": quit, "quit": quit, "help": help, "?": help,
		"step": act(s.step),
		"run": func(line string, words []string) bool {
			// Bare "run" drives the control plane; "run NAME --image=…" is kubectl's run.
			if len(words) > 1 {
				s.kubectlCmd(line, words)
			} else {
				s.runToIdle()
			}
			return false
		},
		"pending": act(func([]string) { s.pending() }),
		"wait":    act(s.wait),
		"fault":   act(s.fault),
		"trace":   act(func([]string) { s.trace() }),
		"etcd":    act(s.etcd),
		"map":     act(func([]string) { s.drawMap(true) }),
		"why":     act(s.why),
		"export":  act(s.export),
		"reset": act(func([]string) {
			if err := s.reset(); err != nil {
				s.println(s.cfg.L.Error(err))
				return
			}
			s.println(s.T("sandbox.reset_done", map[string]any{"Seed": s.cfg.Seed}))
		}),
		"kubectl": func(line string, words []string) bool {
			s.kubectlCmd(line, words[1:])
			return false
		},
	}
}

// Survive, deferred around a command, turns a panic inside it into one line that names the
// command, so that a bug never costs the learner the session. The stack goes to Config.Debug
// only.
func (s *Session) Survive(command string) {
	if r := recover(); r != nil {
		s.Internal(command, r)
	}
}

// Internal reports a panic recovered while running command as an internal error, the stack to
// Config.Debug only.
func (s *Session) Internal(command string, r any) {
	s.println(s.T("sandbox.internal_error", map[string]any{"Command": shorten(command, 80), "Panic": shorten(fmt.Sprint(r), 200)}))
	if s.cfg.Debug != nil {
		fmt.Fprintf(s.cfg.Debug, "panic in %q: %v\n%s", command, r, debug.Stack())
	}
}

// shorten keeps the first line of text and at most limit runes of it.
func shorten(text string, limit int) string {
	text, _, _ = strings.Cut(strings.TrimSpace(text), "\n")
	if r := []rune(text); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return text
}

// kubectlCmd runs a kubectl command line, shows the requests it sent, and (with --auto) lets the
// control plane run.
func (s *Session) kubectlCmd(line string, args []string) {
	if len(args) == 0 {
		s.println(s.T("sandbox.usage.kubectl"))
		return
	}
	// Re-split with quotes honoured: kubectl flags may hold spaces (label selectors, commands).
	if parsed, err := shellquote.Split(line); err == nil {
		if len(parsed) > 0 && parsed[0] == "kubectl" {
			parsed = parsed[1:]
		}
		args = parsed
	}
	code := s.kubectl.Run(args, kubectl.Streams{Out: s.out, ErrOut: s.out})
	if code != 0 {
		s.println(s.cfg.Style.Dim(s.T("sandbox.exit_status", map[string]any{"Code": code})))
		if _, known := s.cluster.API().Registry().Lookup(args[0]); !known && !kubectl.IsKubectlCommand(args[0]) {
			s.println(s.cfg.Style.Dim(s.T("sandbox.hint_help")))
		}
	}
	for _, e := range s.cluster.Flush() {
		s.printEntry(e)
	}
	s.changed() // a command that waits (get -w, rollout status) lets the control plane act too
	if s.cfg.Auto {
		s.runToIdle()
	}
}

func (s *Session) printEntry(e cluster.TraceEntry) {
	for _, l := range view.Trace(s.cfg.L, s.cfg.Style, e) {
		s.println(l)
	}
	s.lastActor = e.Component
	s.changed()
}

// step handles `step`, `step N` and `step COMPONENT`.
func (s *Session) step(args []string) {
	if len(args) > 1 {
		s.println(s.T("sandbox.usage.step"))
		return
	}
	if len(args) == 0 {
		s.stepN(1)
		return
	}
	if n, err := strconv.Atoi(args[0]); err == nil {
		if n < 1 || n > s.maxSteps() {
			s.println(s.T("sandbox.step_range", map[string]any{"Max": s.maxSteps()}))
			return
		}
		s.stepN(n)
		return
	}
	match := s.matchComponent(args[0])
	if match == nil {
		s.println(s.T("sandbox.unknown_component", map[string]any{"Name": args[0], "List": view.ComponentNames(s.cluster.ComponentNames())}))
		return
	}
	for range s.maxSteps() {
		e, ok := s.cluster.Step()
		if !ok {
			s.println(s.T("sandbox.component_did_not_act", map[string]any{"Name": args[0]}))
			return
		}
		s.printEntry(e)
		if match(e.Component) {
			return
		}
	}
	s.println(s.T("sandbox.component_not_yet", map[string]any{"Name": args[0], "Count": s.maxSteps(), "Next": s.cluster.Next()}))
}

func (s *Session) stepN(n int) {
	for range n {
		e, ok := s.cluster.Step()
		if !ok {
			s.println(s.T("sandbox.idle"))
			return
		}
		s.printEntry(e)
	}
}

// matchComponent accepts a component's full name or a familiar short form: "scheduler",
// "kubelet" (any node's), "node-1" (its kubelet or runtime), "rs", "deploy", "gc", "runtime".
func (s *Session) matchComponent(name string) func(string) bool {
	name = strings.ToLower(name)
	aliases := map[string]string{
		"scheduler": "default-scheduler", "kube-scheduler": "default-scheduler",
		"deployment": "deployment-controller", "deploy": "deployment-controller",
		"replicaset": "replicaset-controller", "rs": "replicaset-controller",
		"gc": "garbage-collector", "garbage-collector": "garbage-collector",
		"endpointslice": "endpointslice-controller", "endpoints": "endpoint-controller", "endpoint": "endpoint-controller",
	}
	if full, ok := aliases[name]; ok {
		name = full
	}
	var found bool
	for _, c := range s.cluster.ComponentNames() {
		if c == name || strings.HasPrefix(c, name+"/") || strings.HasSuffix(c, "/"+name) ||
			(name == "runtime" && strings.HasPrefix(c, "containerd/")) {
			found = true
		}
	}
	if !found {
		return nil
	}
	return func(c string) bool {
		return c == name || strings.HasPrefix(c, name+"/") || strings.HasSuffix(c, "/"+name) ||
			(name == "runtime" && strings.HasPrefix(c, "containerd/"))
	}
}

// shownPerRun is how many steps one run prints in full. A run of a 10,000-replica Deployment
// takes some 60,000 steps: printing them all cost more than taking them, and nobody reads them.
// The rest are counted in one line at the end; trace keeps the newest.
const shownPerRun = 1000

func (s *Session) runToIdle() {
	entries, shown := 0, 0
	var unshown, routine cluster.Earlier
	for range s.maxSteps() {
		e, ok := s.cluster.Step()
		if !ok {
			break
		}
		entries++
		switch {
		case view.Routine(e):
			// A heartbeat that fell due while the work went on: counted, not printed.
			routine.Add(e)
			s.lastActor = e.Component
			s.changed()
		case shown < shownPerRun:
			shown++
			s.printEntry(e)
		default:
			if unshown.Entries == 0 {
				s.println(s.cfg.Style.Dim(s.T("sandbox.run_quiet", map[string]any{"Max": shownPerRun})))
			}
			unshown.Add(e)
			s.lastActor = e.Component
			s.changed()
		}
	}
	if entries == 0 {
		s.println(s.T("sandbox.idle"))
		return
	}
	for _, l := range view.RoutineSummary(s.cfg.L, s.cfg.Style, routine) {
		s.println(l)
	}
	for _, l := range view.Unshown(s.cfg.L, s.cfg.Style, unshown, s.cluster.Config().TraceWindow) {
		s.println(l)
	}
	// Stopped at the limit: say so, and who still has work, rather than call the cluster idle.
	if next := s.cluster.Next(); next != "" {
		s.println(s.cfg.Style.Dim(s.cfg.L.N("sandbox.ran_stopped", entries, map[string]any{"Next": next})))
		return
	}
	s.println(s.cfg.Style.Dim(s.cfg.L.N("sandbox.ran", entries)))
}

// maxSteps is the most steps one command may take: Config.MaxSteps, or defaultMaxSteps.
func (s *Session) maxSteps() int {
	if s.cfg.MaxSteps > 0 {
		return s.cfg.MaxSteps
	}
	return defaultMaxSteps
}

func (s *Session) trace() {
	earlier, entries := s.cluster.TraceWithEarlier()
	if len(entries) == 0 {
		s.println(s.T("sandbox.trace_empty"))
		return
	}
	for _, l := range view.Earlier(s.cfg.L, s.cfg.Style, earlier, len(entries)) {
		s.println(l)
	}
	for _, e := range entries {
		for _, l := range view.Trace(s.cfg.L, s.cfg.Style, e) {
			s.println(l)
		}
	}
}

func (s *Session) etcd(args []string) {
	if len(args) > 1 {
		s.println(s.T("sandbox.usage.etcd"))
		return
	}
	prefix := "/registry/"
	if len(args) == 1 {
		prefix = args[0]
		if !strings.HasPrefix(prefix, "/") {
			prefix = "/registry/" + prefix
		}
	}
	if view.Etcd(s.out, s.cluster.API().Store(), prefix) == 0 {
		s.println(s.T("sandbox.etcd_empty", map[string]any{"Prefix": prefix}))
	}
}

// drawMap prints the map, and its legend when asked (the map command) or when it was never shown.
func (s *Session) drawMap(legend bool) {
	client := s.cluster.API().Client("k8slearn")
	nodeObjs, _, _ := client.ListShared("nodes", "", apiserver.ListOptions{})
	podObjs, _, _ := client.ListShared("pods", "", apiserver.ListOptions{})
	in := view.MapInput{Revision: s.cluster.API().Store().Revision(), LastActor: s.lastActor}
	for _, o := range nodeObjs {
		in.Nodes = append(in.Nodes, o.(*corev1.Node))
	}
	for _, o := range podObjs {
		in.Pods = append(in.Pods, o.(*corev1.Pod))
	}
	for _, p := range s.cluster.Pending() {
		in.Pending = append(in.Pending, p.Component)
	}
	for _, l := range view.Map(s.cfg.L, s.cfg.Style, in) {
		s.println(l)
	}
	if legend || !s.legend {
		s.legend = true
		for _, l := range view.MapLegend(s.cfg.L, s.cfg.Style) {
			s.println(l)
		}
	}
}

func (s *Session) why(args []string) {
	if len(args) != 1 {
		s.println(s.T("sandbox.usage.why"))
		return
	}
	name := strings.TrimPrefix(strings.TrimPrefix(args[0], "pods/"), "pod/")
	key := "default/" + name
	d, ok := s.cluster.Scheduler().Decision(key)
	if !ok {
		if _, err := s.cluster.API().Client("k8slearn").Get("pods", "default", name); err != nil {
			s.println(kubectl.StandardErrorMessage(err))
			return
		}
		s.println(s.T("sandbox.why_not_yet", map[string]any{"Pod": name}))
		return
	}
	fitErr := ""
	if d.Node == "" {
		if obj, err := s.cluster.API().Client("k8slearn").Get("pods", "default", name); err == nil {
			for _, c := range obj.(*corev1.Pod).Status.Conditions {
				if c.Type == corev1.PodScheduled {
					fitErr = c.Message
				}
			}
		}
	}
	view.Why(s.out, s.cfg.L, s.cfg.Style, d, fitErr)
}

// SetOutput redirects what the session prints (a lesson replaying its steps on resume prints
// nothing).
func (s *Session) SetOutput(w io.Writer) { s.out = w }

// DrawMap prints the map with the last actor highlighted; the legend comes with the first one.
func (s *Session) DrawMap() { s.drawMap(false) }

// StepOnce lets one component act and prints what it did; false when the cluster is idle.
func (s *Session) StepOnce() bool {
	e, ok := s.cluster.Step()
	if ok {
		s.printEntry(e)
	}
	return ok
}

// ReadOnly reports whether a command line only looks at the cluster: what a learner may type while
// a question is open.
func ReadOnly(line string) bool {
	f := strings.Fields(line)
	if len(f) > 0 && (f[0] == "nslookup" || f[0] == "proxy") {
		return true // what cluster DNS answers and the rules a kube-proxy wrote; curl is not here: it draws from the network's random stream
	}
	if len(f) > 0 && f[0] == "kubectl" {
		f = f[1:]
	}
	if len(f) == 0 {
		return false
	}
	switch f[0] {
	case "get", "describe", "etcd", "map", "trace", "pending", "why", "top":
		return !hasFlag(f[1:], "-w", "--watch", "--watch-only")
	case "logs":
		return !hasFlag(f[1:], "-f", "--follow")
	}
	return false
}

// hasFlag reports whether args hold one of the flags (alone or as flag=value). get -w and logs -f
// wait for changes, which in the sandbox steps the cluster: a lesson could not replay that on
// resume.
func hasFlag(args []string, flags ...string) bool {
	for _, a := range args {
		name, _, _ := strings.Cut(a, "=")
		if slices.Contains(flags, name) {
			return true
		}
	}
	return false
}
