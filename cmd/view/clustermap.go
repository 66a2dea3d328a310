package view

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/locales"
)

// MapWidth is the width the map fits in.
const MapWidth = 80

// maxPodsPerNode is how many pods a node box lists before "+N more".
const maxPodsPerNode = 6

// MapInput is what the map shows.
type MapInput struct {
	Nodes     []*corev1.Node
	Pods      []*corev1.Pod
	Revision  int64
	LastActor string // the component that acted last ("" for none)
	Pending   []string
}

// Map draws the control plane and the nodes with their pods. The component that acted last is
// highlighted (reverse video, or [brackets] without colour); components with queued work carry
// a dot.
func Map(l *locales.Localizer, st Styler, in MapInput) []string {
	mark := func(name, label string) string {
		pending := ""
		for _, p := range in.Pending {
			if p == name {
				pending = "•"
			}
		}
		if name == in.LastActor {
			if st.Color() {
				return st.Highlight(label) + pending
			}
			return "[" + label + "]" + pending
		}
		return label + pending
	}
	// Arrows carry the step numbers of the ten-step visual map (source 002): 1 kubectl to the API
	// server, 2-3 the deployment controller, 4-5 the ReplicaSet controller, 6-7 the scheduler,
	// 8-10 the kubelet and the container runtime. The arrow of the component that acted last is
	// drawn heavy (and highlighted with colour).
	arrow := func(name, light, heavy string) string {
		if name != in.LastActor {
			return st.Dim(light)
		}
		return st.Highlight(heavy)
	}
	cp := []string{
		mark("kubectl", "kubectl") + " " + arrow("kubectl", "─1─▶", "━1━▶") + " " + mark("kube-apiserver", "kube-apiserver") +
			" ◀─▶ etcd " + st.Dim(fmt.Sprintf("(rev %d)", in.Revision)),
		"kube-controller-manager: " + mark("deployment-controller", "deployment") + " " + arrow("deployment-controller", "◀2·3▶", "◀━2·3━▶") +
			"  " + mark("replicaset-controller", "replicaset") + " " + arrow("replicaset-controller", "◀4·5▶", "◀━4·5━▶"),
		"                         " + mark("garbage-collector", "garbage-collector") + "  " +
			mark("endpointslice-controller", "endpointslice") + "  " + mark("endpoint-controller", "endpoints"),
		"kube-scheduler: " + mark("default-scheduler", "default-scheduler") + " " + arrow("default-scheduler", "◀6·7▶", "◀━6·7━▶"),
	}
	lines := box(l.T("map.control_plane"), cp, MapWidth)

	byNode := map[string][]*corev1.Pod{}
	var unscheduled []*corev1.Pod
	for _, p := range in.Pods {
		if p.Spec.NodeName == "" {
			unscheduled = append(unscheduled, p)
			continue
		}
		byNode[p.Spec.NodeName] = append(byNode[p.Spec.NodeName], p)
	}
	// Two nodes side by side when every pod line fits in half the width, else one per row.
	half := (MapWidth - 1) / 2
	boxWidth := half
	for _, p := range in.Pods {
		if p.Spec.NodeName != "" && displayWidth(p.Name)+displayWidth(PodStatus(p))+3 > half-4 {
			boxWidth = MapWidth
		}
	}
	var boxes [][]string
	for _, n := range in.Nodes {
		title := n.Name
		if n.Spec.Unschedulable {
			title += " " + l.T("map.cordoned")
		}
		content := []string{mark("kubelet/"+n.Name, "kubelet") + " " + arrow("kubelet/"+n.Name, "◀8·9▶", "◀━8·9━▶") + " " +
			mark("containerd/"+n.Name, "containerd") + " " + arrow("containerd/"+n.Name, "─10▶", "━10━▶"),
			mark("kube-proxy/"+n.Name, "kube-proxy")}
		pods := byNode[n.Name]
		sort.Slice(pods, func(i, j int) bool { return pods[i].Name < pods[j].Name })
		for i, p := range pods {
			if i == maxPodsPerNode && len(pods) > maxPodsPerNode+1 {
				content = append(content, st.Dim(l.T("map.more_pods", map[string]any{"Count": len(pods) - i})))
				break
			}
			content = append(content, podLine(st, p, boxWidth-4))
		}
		if len(pods) == 0 {
			content = append(content, st.Dim(l.T("map.no_pods")))
		}
		boxes = append(boxes, box(title, content, boxWidth))
	}
	switch {
	case boxWidth == MapWidth:
		for _, b := range boxes {
			lines = append(lines, b...)
		}
	default:
		for i := 0; i < len(boxes); i += 2 {
			if i+1 == len(boxes) {
				lines = append(lines, boxes[i]...)
				break
			}
			lines = append(lines, sideBySide(boxes[i], boxes[i+1], half)...)
		}
	}
	if len(unscheduled) > 0 {
		lines = append(lines, l.T("map.unscheduled"))
		for _, p := range unscheduled {
			lines = append(lines, "  "+podLine(st, p, MapWidth-4))
		}
	}
	return lines
}

// MapLegend says what the map's marks mean, wrapped to its width: the component that acted last
// (marked as Map marks it), the dot of queued work, the pods' states, and the numbered arrows.
func MapLegend(l *locales.Localizer, st Styler) []string {
	acted := "[x]"
	if st.Color() {
		acted = st.Highlight("x")
	}
	return Wrap(l.T("map.legend", map[string]any{"Acted": acted, "Running": st.Good("●"), "Waiting": st.Warn("○"),
		"Terminating": st.Bad("✕")}), MapWidth)
}

// Tone is how a pod's status is coloured: good (Running), bad (Terminating) or waiting (the rest).
type Tone string

const (
	Good Tone = "good"
	Wait Tone = "wait"
	Bad  Tone = "bad"
)

// PodTone is the tone of a STATUS (PodStatus), the same in the terminal map and in pictures.
func PodTone(status string) Tone {
	switch status {
	case "Running":
		return Good
	case "Terminating":
		return Bad
	}
	return Wait
}

// podLine is "● name STATUS", coloured by state and cut to width.
func podLine(st Styler, p *corev1.Pod, width int) string {
	status := PodStatus(p)
	symbol := "●"
	colour := st.Good
	switch PodTone(status) {
	case Good:
	case Bad:
		symbol, colour = "✕", st.Bad
	default:
		symbol, colour = "○", st.Warn
	}
	name := p.Name
	room := width - displayWidth(status) - 3
	if displayWidth(name) > room && room > 1 {
		name = truncate(name, room, "…")
	}
	return colour(symbol) + " " + name + " " + colour(status)
}

// PodStatus is the STATUS column of `kubectl get pods` for the states the engine produces.
func PodStatus(p *corev1.Pod) string {
	if p.DeletionTimestamp != nil {
		return "Terminating"
	}
	for _, cs := range p.Status.ContainerStatuses {
		if cs.State.Waiting != nil && cs.State.Waiting.Reason != "" {
			return cs.State.Waiting.Reason
		}
	}
	if p.Status.Phase == "" {
		return string(corev1.PodPending)
	}
	return string(p.Status.Phase)
}

// box draws content in a frame of the given width with the title in the top border.
func box(title string, content []string, width int) []string {
	inner := width - 4
	top := "┌─ " + title + " "
	top += strings.Repeat("─", max(0, width-1-displayWidth(top))) + "┐"
	out := []string{top}
	for _, c := range content {
		out = append(out, "│ "+padRight(c, inner)+" │")
	}
	out = append(out, "└"+strings.Repeat("─", width-2)+"┘")
	return out
}

func sideBySide(a, b []string, width int) []string {
	n := max(len(a), len(b))
	out := make([]string, 0, n)
	for i := range n {
		left, right := strings.Repeat(" ", width), ""
		if i < len(a) {
			left = a[i]
		}
		if i < len(b) {
			right = b[i]
		}
		out = append(out, left+" "+right)
	}
	return out
}

// padRight pads s with spaces to width display columns (wide CJK characters count two, colour
// codes none), cutting it if it is longer.
func padRight(s string, width int) string {
	if displayWidth(s) > width {
		s = truncate(stripANSI(s), width, "…")
	}
	return s + strings.Repeat(" ", width-displayWidth(s))
}

func displayWidth(s string) int { return stringWidth(stripANSI(s)) }

// stripANSI removes colour escape sequences.
func stripANSI(s string) string {
	if !strings.Contains(s, "\x1b[") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < '@' || s[j] > '~') {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
