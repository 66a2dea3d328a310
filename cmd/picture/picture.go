// Package picture draws the map of a run: the control plane, the nodes with their pods, and the
// numbered chain of actions with this run's own names (the ReplicaSet's hash, the pods, the
// nodes), labelled in the learner's language. The same picture is written as SVG (drawn here,
// no external program), as one self-contained HTML page where choosing a step lights its arrow,
// as a Mermaid sequence diagram and as Graphviz DOT, and served live (Live) to a browser that
// follows the run as each component acts.
//
// Capture reads the cluster (its trace and the API's objects) and only reads: it can run beside
// the goroutine that steps the cluster without changing what the cluster does next. Everything
// after Capture is a pure function of the Picture, so the files are byte-identical for a seed.
package picture

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/locales"
)

// Group names of the components that are not on a node, as the terminal map groups them.
const (
	groupControllerManager = "kube-controller-manager"
	groupScheduler         = "kube-scheduler"
)

// The boxes every picture has besides the cluster's components.
const (
	apiServerName = "kube-apiserver"
	etcdName      = "etcd"
	runtimeKind   = "containerd"
)

// MaxSteps is how many of the newest steps a picture lists; older ones are counted in one line.
// A lesson's chain fits many times over; a run of thousands of steps stays readable and small.
const MaxSteps = 400

// MaxPodsPerNode is how many pods a node's box lists before "... and N more" (as the terminal map).
const MaxPodsPerNode = 6

// Picture is what a picture shows, with every label already in the learner's language. It is
// plain data: the renderers (SVG, HTML, Mermaid, DOT) are pure functions of it.
type Picture struct {
	Lang     string
	Title    string
	Subtitle string
	Labels   Labels
	// Components are the boxes that act: the client first, kube-apiserver second (its own writes,
	// such as a Service's ClusterIP), then the control plane's components and each node's, in the
	// cluster's order. Steps and nodes refer to them by index.
	Components []Component
	Revision   int64
	Nodes      []Node
	// Unscheduled are the pods no node has yet.
	Unscheduled []Pod
	Steps       []Step
	// Earlier is the line that stands for the steps not listed ("" when all are), and Routine
	// the one for the routine heartbeats (Lease renewals) left out, as the terminal leaves them.
	Earlier, Routine string
	// Lit is the index of the component that acted last, -1 for none.
	Lit int
}

// Labels are the picture's own words.
type Labels struct {
	ControlPlane string
	Steps        string
	NoSteps      string
	NoPods       string
	Unscheduled  string
	Cordoned     string
	Revision     string // "rev 70"
	Page         PageText
}

// Component is one box that acts, with the steps it took.
type Component struct {
	Name  string // as the trace names it: kubectl, deployment-controller, kubelet/node-1
	Label string // what its box says: kubectl, deployment-controller, kubelet
	Group string // kube-controller-manager, kube-scheduler, a node's name, or "" for the client
	Kind  string // client, controller, kubelet, runtime
	Steps []int  // the numbers of its steps, oldest first
	// Hidden leaves a controller that took no step out of the map (kube-controller-manager runs
	// many; the map shows the ones this run used, and always the three of a Deployment's chain).
	Hidden bool
}

// apiServerIndex is kube-apiserver's place among the components, after the client's.
const apiServerIndex = 1

// alwaysShown are the controllers the map always draws, as the terminal map does: the chain
// from a Deployment to its pods.
var alwaysShown = map[string]bool{"deployment-controller": true, "replicaset-controller": true, "garbage-collector": true}

// The kinds of component.
const (
	kindClient     = "client"
	kindAPIServer  = "apiserver"
	kindController = "controller"
	kindKubelet    = "kubelet"
	kindRuntime    = "runtime"
)

// Node is a worker node's box.
type Node struct {
	Name       string
	Cordoned   bool
	NotReady   bool  // its Ready condition is not True (kubectl get nodes: NotReady)
	Components []int // its kubelet, runtime and any other node component
	Pods       []Pod // the first MaxPodsPerNode, by name
	More       string
}

// Pod is one pod: its name, its STATUS and how that is coloured.
type Pod struct {
	Name   string
	Status string
	Tone   view.Tone
}

// Step is one numbered action.
type Step struct {
	Seq       int
	Component int    // index into Components
	Kind      string // client, watch, cri, pleg, timer (view.TriggerKind)
	Trigger   string // what set it off, in the learner's language ("" for a client)
	What      string // what it did
	Wrote     bool   // it wrote through the API server (and so to etcd)
	Stored    string // etcd's revision after it, as the picture labels it ("rev 26")
	Head      string // "#6 default-scheduler:"
	Line      string // the head, then what it did
}

// Options say what a capture is of.
type Options struct {
	// Context names the run in the title: "sandbox", a lesson's title…
	Context string
	Seed    uint64
}

// Capture reads the cluster's trace and objects and builds its picture in l's language. It only
// reads, so it may run on another goroutine than the one stepping the cluster.
func Capture(c *cluster.Cluster, l *locales.Localizer, o Options) Picture {
	earlier, entries := c.TraceWithEarlier()
	client := c.API().Client("k8slearn")
	nodeObjs, _, _ := client.ListShared("nodes", "", apiserver.ListOptions{})
	podObjs, rev, _ := client.ListShared("pods", "", apiserver.ListOptions{})
	var nodes []*corev1.Node
	for _, obj := range nodeObjs {
		nodes = append(nodes, obj.(*corev1.Node))
	}
	var pods []*corev1.Pod
	for _, obj := range podObjs {
		pods = append(pods, obj.(*corev1.Pod))
	}
	return build(l, o, c.ComponentNames(), nodes, pods, earlier, entries, max(rev, c.API().Store().Revision()))
}

// build is Capture without the cluster.
func build(l *locales.Localizer, o Options, names []string, nodes []*corev1.Node, pods []*corev1.Pod,
	earlier cluster.Earlier, entries []cluster.TraceEntry, rev int64) Picture {
	p := Picture{Lang: l.Lang(), Revision: rev, Lit: -1}
	p.Labels = Labels{
		ControlPlane: l.T("map.control_plane"),
		Steps:        l.T("picture.steps"),
		NoSteps:      l.T("picture.no_steps"),
		NoPods:       l.T("map.no_pods"),
		Unscheduled:  l.T("map.unscheduled"),
		Cordoned:     l.T("map.cordoned"),
		Revision:     l.T("picture.revision", map[string]any{"Rev": rev}),
		Page: PageText{
			Steps:        l.T("picture.steps"),
			Step:         l.T("picture.page.step"),
			StepTitle:    l.T("picture.page.step_title"),
			Run:          l.T("picture.page.run"),
			RunTitle:     l.T("picture.page.run_title"),
			Large:        l.T("picture.page.large"),
			Keys:         l.T("picture.page.keys"),
			KeysControl:  l.T("picture.page.keys_control"),
			Status:       l.T("picture.page.connecting"),
			Connected:    l.T("picture.page.connected"),
			Disconnected: l.T("picture.page.disconnected"),
			Ended:        l.T("picture.page.ended"),
		},
	}

	// The client's box is named after the clients that wrote (kubectl, almost always). The API
	// server's own writes (a Service's ClusterIP) are kube-apiserver's steps, drawn on its bar.
	var clients []string
	for _, e := range entries {
		if e.External && e.Component != apiServerName && !contains(clients, e.Component) {
			clients = append(clients, e.Component)
		}
	}
	clientLabel := "kubectl"
	if len(clients) > 0 {
		clientLabel = strings.Join(clients, ", ")
	}
	p.Components = append(p.Components, Component{Name: clientLabel, Label: clientLabel, Kind: kindClient},
		Component{Name: apiServerName, Label: apiServerName, Kind: kindAPIServer})
	index := map[string]int{apiServerName: apiServerIndex}
	for _, name := range names {
		kind, node, onNode := strings.Cut(name, "/")
		comp := Component{Name: name, Label: name, Kind: kindController, Group: groupControllerManager}
		switch {
		case onNode:
			comp.Label, comp.Group, comp.Kind = kind, node, kindController
			switch kind {
			case "kubelet":
				comp.Kind = kindKubelet
			case runtimeKind:
				comp.Kind = kindRuntime
			}
		case name == "default-scheduler":
			comp.Group = groupScheduler
		}
		index[name] = len(p.Components)
		p.Components = append(p.Components, comp)
	}

	// Steps, without the routine heartbeats (counted, as run and wait count them), the newest
	// MaxSteps; the others are counted in one line.
	var routine cluster.Earlier
	kept := entries[:0:0]
	for _, e := range entries {
		if view.Routine(e) {
			routine.Add(e)
			continue
		}
		kept = append(kept, e)
	}
	entries = kept
	if lines := view.RoutineSummary(l, view.NewStyler(false), routine); len(lines) > 0 {
		p.Routine = lines[0]
	}
	if len(entries) > MaxSteps {
		for _, e := range entries[:len(entries)-MaxSteps] {
			earlier.Add(e)
		}
		entries = entries[len(entries)-MaxSteps:]
	}
	plain := view.NewStyler(false)
	if lines := view.Earlier(l, plain, earlier, len(entries)); len(lines) > 0 {
		p.Earlier = lines[0]
	}
	for _, e := range entries {
		ci := 0
		if !e.External || e.Component == apiServerName {
			i, ok := index[e.Component]
			if !ok { // a component the cluster no longer lists: give it a box of its own
				i = len(p.Components)
				index[e.Component] = i
				p.Components = append(p.Components, Component{Name: e.Component, Label: e.Component, Kind: kindController, Group: groupControllerManager})
			}
			ci = i
		}
		step := Step{Seq: e.Seq, Component: ci, Kind: view.TriggerKind(e), What: view.TraceWhat(l, e),
			Wrote: len(e.Writes) > 0, Stored: l.T("picture.revision", map[string]any{"Rev": e.Revision})}
		if !e.External {
			step.Trigger = view.TriggerPhrase(l, e.Trigger)
		}
		step.Head = l.T("picture.step_head", map[string]any{"Seq": e.Seq, "Component": e.Component})
		step.Line = l.T("picture.step_line", map[string]any{"Head": step.Head, "What": step.What})
		p.Components[ci].Steps = append(p.Components[ci].Steps, e.Seq)
		p.Steps = append(p.Steps, step)
	}
	for i := range p.Components {
		c := &p.Components[i]
		c.Hidden = c.Group == groupControllerManager && len(c.Steps) == 0 && !alwaysShown[c.Name]
	}
	if n := len(p.Steps); n > 0 {
		p.Lit = p.Steps[n-1].Component
	} else if earlier.LastActor != "" {
		if i, ok := index[earlier.LastActor]; ok {
			p.Lit = i
		}
	}

	// Nodes and their pods, as the terminal map places them.
	byNode := map[string][]*corev1.Pod{}
	for _, pod := range pods {
		if pod.Spec.NodeName == "" {
			p.Unscheduled = append(p.Unscheduled, podOf(pod))
			continue
		}
		byNode[pod.Spec.NodeName] = append(byNode[pod.Spec.NodeName], pod)
	}
	sort.Slice(p.Unscheduled, func(i, j int) bool { return p.Unscheduled[i].Name < p.Unscheduled[j].Name })
	if len(p.Unscheduled) > MaxPodsPerNode {
		more := len(p.Unscheduled) - MaxPodsPerNode
		p.Unscheduled = append(p.Unscheduled[:MaxPodsPerNode], Pod{Name: l.T("map.more_pods", map[string]any{"Count": more})})
	}
	for _, n := range nodes {
		node := Node{Name: n.Name, Cordoned: n.Spec.Unschedulable, NotReady: !nodeReady(n)}
		for i, comp := range p.Components {
			if comp.Group == n.Name && i > 0 {
				node.Components = append(node.Components, i)
			}
		}
		onNode := byNode[n.Name]
		sort.Slice(onNode, func(i, j int) bool { return onNode[i].Name < onNode[j].Name })
		for i, pod := range onNode {
			if i == MaxPodsPerNode && len(onNode) > MaxPodsPerNode+1 {
				node.More = l.T("map.more_pods", map[string]any{"Count": len(onNode) - i})
				break
			}
			node.Pods = append(node.Pods, podOf(pod))
		}
		p.Nodes = append(p.Nodes, node)
	}

	p.Title = l.T("picture.title", map[string]any{"Context": o.Context})
	parts := []string{l.N("picture.subtitle", len(p.Steps)+earlier.Entries+routine.Entries, map[string]any{"Seed": o.Seed, "Nodes": len(nodes), "Rev": rev})}
	if p.Lit >= 0 {
		parts = append(parts, l.T("picture.lit", map[string]any{"Component": p.Components[p.Lit].Name}))
	}
	p.Subtitle = strings.Join(parts, " · ")
	return p
}

// title is what a node's box is headed with: its name, NotReady as kubectl prints it, and
// whether it is cordoned.
func (n Node) title(l Labels) string {
	t := n.Name
	if n.NotReady {
		t += " NotReady"
	}
	if n.Cordoned {
		t += " " + l.Cordoned
	}
	return t
}

// nodeReady reports whether a node's Ready condition is True, as kubectl get nodes reads it.
func nodeReady(n *corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func podOf(p *corev1.Pod) Pod {
	status := view.PodStatus(p)
	return Pod{Name: p.Name, Status: status, Tone: view.PodTone(status)}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// StepNumbers is the short list of step numbers an arrow carries: all of them up to six, else
// the first four, an ellipsis and the last ("2 3 9 18 … 30").
func StepNumbers(steps []int) string {
	var parts []string
	if len(steps) <= 6 {
		for _, s := range steps {
			parts = append(parts, fmt.Sprint(s))
		}
		return strings.Join(parts, " ")
	}
	for _, s := range steps[:4] {
		parts = append(parts, fmt.Sprint(s))
	}
	return strings.Join(parts, " ") + " … " + fmt.Sprint(steps[len(steps)-1])
}
