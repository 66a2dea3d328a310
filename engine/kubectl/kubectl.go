// Package kubectl is the subset of kubectl that the sandbox and the lessons run against the
// miniature cluster: parsed with cobra/pflag as kubectl parses, printing what kubectl v1.37 prints
// (tables, success lines, error texts), exit status 1 on error as kubectl's.
package kubectl

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/registry"
)

// Streams are where a command reads and writes.
type Streams struct {
	// In is what "-f -" reads (nil: nothing, as from /dev/null).
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// API is where kubectl sends its requests: the miniature API server (*apiserver.Client), or a
// real cluster (engine/realcluster). Objects returned are the caller's own.
type API interface {
	Create(resource, ns string, obj runtime.Object) (runtime.Object, error)
	Get(resource, ns, name string) (runtime.Object, error)
	List(resource, ns string, opts apiserver.ListOptions) ([]runtime.Object, int64, error)
	Update(resource, ns string, obj runtime.Object) (runtime.Object, error)
	// Mutate reads the object, applies f and writes it back, retrying on conflicts.
	Mutate(resource, ns, name string, f func(obj runtime.Object) error) (runtime.Object, error)
	Delete(resource, ns, name string, opts apiserver.DeleteOptions) (runtime.Object, error)
	Scale(resource, ns, name string, replicas int32) (runtime.Object, error)
	Evict(ns string, ev *policyv1.Eviction) error
}

// podLogger reads a container's log (kubectl logs): the miniature's simulated containers, or a
// real cluster's through pods/log.
type podLogger interface {
	PodLogs(ns, name string, opts apiserver.PodLogOptions) (apiserver.PodLog, error)
}

// podLogFollower streams a real container's log as it grows (kubectl logs -f on a real cluster:
// GET pods/NAME/log?follow=true). Closing the stream stops the request.
type podLogFollower interface {
	FollowPodLogs(ns, name string, opts apiserver.PodLogOptions) (io.ReadCloser, error)
}

// remoteWatcher watches a real cluster's objects (kubectl get --watch on a real cluster) from a
// list's resourceVersion; an Error event carries the server's metav1.Status.
type remoteWatcher interface {
	Watch(resource, ns string, opts apiserver.ListOptions) (watch.Interface, error)
}

// Remote is a cluster kubectl reaches only through its API: nothing to step, a real clock.
type Remote struct {
	API API
	// DryRun is the same API with every write a server-side dry run (?dryRun=All).
	DryRun    API
	Registry  *registry.Registry
	Now       func() time.Time
	Namespace string // the namespace commands use without -n
	// After is the real clock's timer, for what waits on a real cluster (rollout status polls
	// the Deployment); nil: those commands say to use one's own kubectl.
	After func(time.Duration) <-chan time.Time
	// Patience bounds such a wait (0: 5 minutes).
	Patience time.Duration
	// Quiet is how long logs -f and get --watch wait for something new before k8slearn stops
	// them, which a real kubectl does only at Ctrl-C (0: 3 s).
	Quiet time.Duration
	// Settled, when set, says whether the cluster is done with what it was given: until it is, a
	// quiet spell does not stop logs -f or get --watch (only Patience does).
	Settled func() bool
}

// Kubectl runs kubectl commands against one cluster.
type Kubectl struct {
	// cluster is the miniature cluster, for what only it can do (step while a watch waits, let
	// time pass); nil for a Remote one.
	cluster *cluster.Cluster
	client  API
	dry     API
	reg     *registry.Registry
	now     func() time.Time
	// namespace is -n's default.
	namespace string
	// after and patience are a Remote's real clock and how long a wait may take.
	after    func(time.Duration) <-chan time.Time
	patience time.Duration
	quiet    time.Duration
	settled  func() bool
	files    Files
	// pid is the process id kubectl's klog lines show; fixed so transcripts are reproducible.
	pid int
	// translate renders the sandbox's own messages (missing.go); nil prints message IDs.
	translate Translator
}

// New returns a kubectl for c whose -f files are read by readFile (nil: the real filesystem).
func New(c *cluster.Cluster, readFile ReadFileFunc) *Kubectl {
	if readFile == nil {
		return NewFS(c, OSFiles())
	}
	return NewFS(c, readFile)
}

// NewFS returns a kubectl for c that finds -f files, and walks -f directories, in files (nil:
// the real filesystem).
func NewFS(c *cluster.Cluster, files Files) *Kubectl {
	if files == nil {
		files = OSFiles()
	}
	client := c.API().Client("kubectl")
	return &Kubectl{cluster: c, client: client, dry: client.DryRun(), reg: c.API().Registry(), now: c.Clock().Now,
		namespace: "default", files: files, pid: 4242}
}

// NewRemote returns a kubectl for a cluster reached through its API only (a real one).
func NewRemote(r Remote, files Files) *Kubectl {
	if files == nil {
		files = OSFiles()
	}
	ns := r.Namespace
	if ns == "" {
		ns = "default"
	}
	patience := r.Patience
	if patience <= 0 {
		patience = 5 * time.Minute
	}
	quiet := r.Quiet
	if quiet <= 0 {
		quiet = 3 * time.Second
	}
	return &Kubectl{client: r.API, dry: r.DryRun, reg: r.Registry, now: r.Now, namespace: ns, files: files, pid: 4242,
		after: r.After, patience: patience, quiet: quiet, settled: r.Settled}
}

// errNeedsMiniature is what a command that steps the miniature cluster (rollout status without a
// clock, drain) says on a real one, which moves by itself.
func (k *Kubectl) errNeedsMiniature(what string) error {
	return errors.New(k.t("kubectl.needs_miniature", map[string]any{"What": what}))
}

// ExitError carries a non-zero exit status.
type ExitError struct{ Code int }

func (e ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// Run runs one kubectl command line (without the leading "kubectl") and returns its exit status.
func (k *Kubectl) Run(args []string, s Streams) int {
	root := k.newRoot(s)
	root.SetArgs(args)
	root.SetOut(s.Out)
	root.SetErr(s.ErrOut)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var exit ExitError
	if errors.As(err, &exit) {
		return exit.Code
	}
	// kubectl v1.37 runs cobra through component-base's cli.RunNoErrOutput and prints whatever it
	// returns with cmdutil.CheckErr (k8s.io/kubernetes v1.37.2 cmd/kubectl/kubectl.go): flag and
	// usage errors too are "error: …", lower case.
	var flagErr flagError
	switch {
	case errors.As(err, &flagErr):
		// cobra's flag parsing errors, with the hint kubectl's flag error function adds
		// (k8s.io/kubectl v0.37.2 pkg/util/templates/templater.go).
		fmt.Fprintf(s.ErrOut, "error: %s\nSee '%s --help' for usage.\n", flagErr.err, flagErr.cmd)
	case errors.As(err, new(klogExit)):
		var ke klogExit
		errors.As(err, &ke)
		fmt.Fprintf(s.ErrOut, "F%s   %d %s] %s\n",
			k.now().Format("0102 15:04:05.000000"), k.pid, ke.at, ke.msg)
	case errors.As(err, new(missingOutputError)):
		var mo missingOutputError
		errors.As(err, &mo)
		fmt.Fprintln(s.ErrOut, k.t("kubectl.missing_output", map[string]any{"Format": mo.format}))
	case strings.HasPrefix(err.Error(), "unknown command"):
		// Suggestions included, as cobra words them.
		fmt.Fprint(s.ErrOut, "error: "+strings.TrimSuffix(err.Error(), "\n")+"\n")
	default:
		// cmdutil's fatal adds a newline only when the message has none.
		msg := StandardErrorMessage(err)
		if !strings.HasSuffix(msg, "\n") {
			msg += "\n"
		}
		fmt.Fprint(s.ErrOut, msg)
	}
	return 1
}

// flagError marks cobra's flag parsing errors.
type flagError struct {
	err error
	cmd string
}

func (e flagError) Error() string { return e.err.Error() }

// StandardErrorMessage formats an error as kubectl's cmdutil.CheckErr does: API errors as
// "Error from server (Reason): …", an invalid object as "The Kind "name" is invalid: …", anything
// else behind "error: ".
func StandardErrorMessage(err error) string {
	var status apierrors.APIStatus
	if errors.As(err, &status) && errors.As(err, new(*apierrors.StatusError)) {
		st := status.Status()
		if apierrors.IsInvalid(err) {
			return invalidMessage(st)
		}
		if st.Reason != "" {
			return fmt.Sprintf("Error from server (%s): %s", st.Reason, err.Error())
		}
		return "Error from server: " + err.Error()
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "error: ") {
		msg = "error: " + msg
	}
	return msg
}

// invalidMessage words an Invalid status as cmdutil's checkErr does (k8s.io/kubectl v0.37.2
// pkg/cmd/util/helpers.go): "The Kind "name" is invalid: …", or "The request is invalid…" when
// no object is named (an invalid patch).
func invalidMessage(st metav1.Status) string {
	s := "The request is invalid"
	d := st.Details
	if d == nil {
		if st.Message != "" {
			s += ": " + st.Message
		}
		return s
	}
	if d.Kind != "" || d.Name != "" {
		s = fmt.Sprintf("The %s %q is invalid", d.Kind, d.Name)
	} else if st.Message != "" && len(d.Causes) == 0 {
		s += ": " + st.Message
	}
	var causes []string
	for _, c := range d.Causes {
		causes = append(causes, causeString(c.Field, c.Message))
	}
	switch len(causes) {
	case 0:
		return s
	case 1:
		return s + ": " + causes[0]
	}
	return s + ": \n* " + strings.Join(causes, "\n* ")
}

func causeString(field, message string) string {
	if field == "" {
		return message
	}
	return field + ": " + message
}

// newRoot builds the command tree afresh for one invocation, so no flag value survives between
// commands.
func (k *Kubectl) newRoot(s Streams) *cobra.Command {
	root := &cobra.Command{
		Use:           "kubectl",
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return flagError{err: err, cmd: c.CommandPath()}
	})
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(
		k.newGet(s), k.newDescribe(s), k.newRun(s), k.newCreate(s), k.newApply(s),
		k.newScale(s), k.newSet(s), k.newDelete(s), k.newRollout(s),
		k.newCordon(s, true), k.newCordon(s, false), k.newDrain(s), k.newTaint(s), k.newLabel(s),
	)
	root.AddCommand(k.writeVerbs(s)...)
	root.AddCommand(k.newLogs(s), k.newExec(s), k.newTop(s))
	k.addReadCommands(root, s)
	k.addMissingCommands(root, s) // last: every kubectl verb not added above
	if k.namespace != "default" {
		setNamespaceDefault(root, k.namespace)
	}
	return root
}

// setNamespaceDefault makes ns the default of every command's -n, as a kubeconfig context's
// namespace does for kubectl.
func setNamespaceDefault(c *cobra.Command, ns string) {
	if f := c.Flags().Lookup("namespace"); f != nil {
		f.DefValue = ns
		_ = f.Value.Set(ns) // a string flag takes any value
	}
	for _, sub := range c.Commands() {
		setNamespaceDefault(sub, ns)
	}
}

// reader adapts the API server to what describers need. With noEvents the describers find no
// events to list and print no Events section, as kubectl describe with ShowEvents false.
type reader struct {
	c        API
	noEvents bool
}

var errEventsNotShown = errors.New("events are not shown")

func (r reader) List(resource, ns string, sel labels.Selector) ([]runtime.Object, error) {
	if r.noEvents && resource == "events" {
		return nil, errEventsNotShown
	}
	objs, _, err := r.c.List(resource, ns, apiserver.ListOptions{LabelSelector: sel})
	return objs, err
}

func (r reader) Get(resource, ns, name string) (runtime.Object, error) {
	return r.c.Get(resource, ns, name)
}

// resolve finds a resource type as kubectl's RESTMapper would, or returns kubectl's error.
func (k *Kubectl) resolve(name string) (*apiserver.Resource, error) {
	res, ok := k.reg.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("the server doesn't have a resource type %q", name)
	}
	return res, nil
}

// namespaceFlags are -n and -A.
type namespaceFlags struct {
	namespace     string
	allNamespaces bool
}

func (n *namespaceFlags) add(c *cobra.Command, withAll bool) {
	c.Flags().StringVarP(&n.namespace, "namespace", "n", "default", "If present, the namespace scope for this CLI request")
	if withAll {
		c.Flags().BoolVarP(&n.allNamespaces, "all-namespaces", "A", false, "If present, list the requested object(s) across all namespaces.")
	}
}

// ns is the namespace a request uses: "" for all namespaces or a cluster-scoped resource.
func (n *namespaceFlags) ns(res *apiserver.Resource) string {
	if !res.Namespaced || n.allNamespaces {
		return ""
	}
	return n.namespace
}

// typeAndNames splits kubectl's resource arguments: "TYPE NAME…", "TYPE/NAME…", "TYPE1,TYPE2".
type resourceRef struct {
	res  *apiserver.Resource
	name string // "" for every object of the type
}

func (k *Kubectl) parseResourceArgs(args []string) ([]resourceRef, error) {
	if len(args) == 0 {
		return nil, errors.New("you must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.")
	}
	var refs []resourceRef
	if strings.Contains(args[0], "/") {
		for _, a := range args {
			t, name, ok := strings.Cut(a, "/")
			if !ok || name == "" {
				return nil, fmt.Errorf("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'")
			}
			res, err := k.resolve(t)
			if err != nil {
				return nil, err
			}
			refs = append(refs, resourceRef{res: res, name: name})
		}
		return refs, nil
	}
	var types []*apiserver.Resource
	// An empty type ("get pods," or "get ,") is looked up like any other and is not found, as
	// kubectl reports it.
	for _, t := range strings.Split(args[0], ",") {
		if t == "all" {
			types = append(types, k.reg.Category("all")...)
			continue
		}
		res, err := k.resolve(t)
		if err != nil {
			return nil, err
		}
		types = append(types, res)
	}
	if len(args) == 1 {
		for _, t := range types {
			refs = append(refs, resourceRef{res: t})
		}
		return refs, nil
	}
	if len(types) > 1 {
		return nil, errors.New("you may only specify a single resource type")
	}
	for _, name := range args[1:] {
		if strings.Contains(name, "/") {
			return nil, fmt.Errorf("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'")
		}
		refs = append(refs, resourceRef{res: types[0], name: name})
	}
	return refs, nil
}
