package picture

import (
	"encoding/xml"
	"fmt"
	"math"
	"strings"

	"github.com/k8slearn/k8slearn/cmd/view"
)

// The SVG is laid out like the terminal map, on a grid of monospace cells so that box widths
// can be computed from the text (view.Width counts a CJK character as two cells):
//
//	           ┌ control plane ─────────────────────────────────────────────┐
//	           │ ┌ kube-controller-manager ─────────┐ ┌ kube-scheduler ──┐   │
//	           │ │ [deployment-…] [replicaset-…] …  │ │ [default-sched…] │   │
//	           │ └──────│──────────────│───────────┘ └───────│──────────┘   │
//	[kubectl] ─1──▶ ═══════════════ kube-apiserver ══════════════════ ◀──▶ [etcd]
//	           └──────────│─────────────────────│──────────────────────────┘
//	             ┌ node-1 ┴──────────┐   ┌ node-2 ┴──────────┐
//	             │ [kubelet] ⇄ [containerd] │ …
//	             │ ● web-…-ng78c Running     │
//
// Each arrow carries the numbers of the steps its component took; the component that acted last
// and its arrow are lit. Node boxes wrap into rows of at most maxColumns; the arrows of lower rows
// climb through the gutters between the columns.
const (
	fontSize   = 13
	cellWidth  = 0.6 * fontSize // a monospace cell
	smallSize  = 11
	smallCell  = 0.6 * smallSize
	lineHeight = 18
	margin     = 20
	boxHeight  = 28
	boxPad     = 10 // text inside a box, each side
	gap        = 12 // between boxes in a row
	gutter     = 28 // between node columns: lower rows' arrows climb here
	rowGap     = 46 // between node rows
	barHeight  = 34
	maxColumns = 4
	maxPodName = 44 // cells of a pod's name before it is cut with …
)

// cells is the width of s in monospace cells.
func cells(s string) int { return view.Width(s) }

func textWidth(s string, cell float64) int { return int(math.Ceil(float64(cells(s)) * cell)) }

func boxWidth(label string) int { return textWidth(label, cellWidth) + 2*boxPad }

// rect is a box on the canvas.
type rect struct{ x, y, w, h int }

func (r rect) right() int   { return r.x + r.w }
func (r rect) bottom() int  { return r.y + r.h }
func (r rect) centerX() int { return r.x + r.w/2 }
func (r rect) centerY() int { return r.y + r.h/2 }

// layout is where everything goes.
type layout struct {
	width, height int
	titleY        int
	frame         rect // the control plane
	groups        []groupBox
	boxes         map[int]rect // component index → its box
	bar           rect         // kube-apiserver
	etcd          rect
	nodes         []nodeBox
	arrows        []arrow
	stepsY        int // where the list of steps starts (standalone SVG)
}

type groupBox struct {
	name string
	box  rect
}

type nodeBox struct {
	node        *Node // nil for the box of unscheduled pods
	title       string
	box         rect
	pods        []Pod
	more        string
	podsY       int // baseline of the first pod line
	titleX      int // where the title starts, from the box's left (0: boxPad)
	unscheduled bool
}

// arrow is a component's line to what it talks to, with its step numbers.
type arrow struct {
	comp   int
	points [][2]int
	both   bool // arrowheads at both ends (watch and write), else at the end only
	label  string
	labelX int
	labelY int
}

func (p Picture) layout(titled bool) layout {
	lay := layout{boxes: map[int]rect{}}
	lay.titleY = margin + 18
	top := margin + 64
	if !titled {
		top = margin
	}

	client := 0 // the client is always component 0
	clientW := boxWidth(p.Components[client].Label)
	clientLabel := StepNumbers(p.Components[client].Steps)
	clientGap := max(80, textWidth(clientLabel, smallCell)+30)
	frameX := margin + clientW + clientGap
	lay.frame = rect{x: frameX, y: top}

	// The control plane's groups, in the order their first component appears.
	var order []string
	members := map[string][]int{}
	for i, c := range p.Components {
		if c.Kind == kindClient || !isControlPlaneGroup(c.Group) || c.Hidden {
			continue
		}
		if _, ok := members[c.Group]; !ok {
			order = append(order, c.Group)
		}
		members[c.Group] = append(members[c.Group], i)
	}
	x := frameX + 16
	groupY := top + 30
	for _, g := range order {
		gx := x
		bx := gx + 12
		for _, ci := range members[g] {
			w := boxWidth(p.Components[ci].Label)
			lay.boxes[ci] = rect{bx, groupY + 22, w, boxHeight}
			bx += w + gap
		}
		gw := max(bx-gap+12-gx, textWidth(g, smallCell)+24)
		lay.groups = append(lay.groups, groupBox{name: g, box: rect{gx, groupY, gw, 22 + boxHeight + 12}})
		x = gx + gw + 16
	}
	groupsRight := x - 16
	barY := groupY + 22 + boxHeight + 12 + 58
	barX := frameX + 16

	// Node boxes: one width for all, so that columns line up and leave gutters.
	var boxes []nodeBox
	for i := range p.Nodes {
		n := &p.Nodes[i]
		title := n.title(p.Labels)
		boxes = append(boxes, nodeBox{node: n, title: title, pods: n.Pods, more: n.More})
	}
	if len(p.Unscheduled) > 0 {
		boxes = append(boxes, nodeBox{title: p.Labels.Unscheduled, pods: p.Unscheduled, unscheduled: true})
	}
	nodeW := 240
	for _, b := range boxes {
		nodeW = max(nodeW, textWidth(b.title, cellWidth)+2*boxPad+24)
		if b.node != nil {
			nodeW = max(nodeW, p.nodeComponentsWidth(b)+2*boxPad)
			// The title moves right of the kubelet's arrow when it would cross it.
			if len(b.node.Components) > 0 {
				first := boxWidth(p.Components[b.node.Components[0]].Label)
				nodeW = max(nodeW, boxPad+first/2+8+textWidth(b.title, cellWidth)+boxPad)
			}
		}
		for _, pod := range b.pods {
			nodeW = max(nodeW, podLineWidth(pod)+2*boxPad)
		}
		if b.more != "" {
			nodeW = max(nodeW, textWidth(b.more, cellWidth)+2*boxPad)
		}
	}
	columns := max(1, min(len(boxes), maxColumns))
	nodesX := barX + gutter
	nodesRight := nodesX + columns*(nodeW+gutter) - gutter
	if len(boxes) == 0 {
		nodesRight = nodesX
	}
	barRight := max(groupsRight, nodesRight, barX+textWidth(apiServerName, cellWidth)+80)
	lay.bar = rect{barX, barY, barRight - barX, barHeight}
	etcdW := max(boxWidth(etcdName), boxWidth(p.Labels.Revision))
	lay.etcd = rect{barRight + 70, barY - 6, etcdW, barHeight + 12}
	lay.frame.w = lay.etcd.right() + 16 - frameX
	lay.frame.h = barY + barHeight + 16 - top
	lay.boxes[client] = rect{margin, barY + (barHeight-boxHeight)/2, clientW, boxHeight}

	// The client's arrow, then the control plane's.
	cb := lay.boxes[client]
	lay.arrows = append(lay.arrows, arrow{comp: client, points: [][2]int{{cb.right(), cb.centerY()}, {barX, cb.centerY()}},
		label: clientLabel, labelX: cb.right() + 12, labelY: cb.centerY() - 7})
	for _, g := range order {
		for _, ci := range members[g] {
			b := lay.boxes[ci]
			lay.arrows = append(lay.arrows, arrow{comp: ci, both: true, points: [][2]int{{b.centerX(), b.bottom()}, {b.centerX(), barY}},
				label: StepNumbers(p.Components[ci].Steps), labelX: b.centerX() + 6, labelY: b.bottom() + 30})
		}
	}

	// Node rows.
	y := lay.frame.bottom() + 50
	rows := (len(boxes) + columns - 1) / columns
	climb := 6 // how far apart the climbing lines of successive rows are in a gutter
	if rows > 2 {
		climb = max(1, (gutter-10)/(rows-1))
	}
	for r := 0; r < rows; r++ {
		rowH := 0
		for c := 0; c < columns && r*columns+c < len(boxes); c++ {
			b := &boxes[r*columns+c]
			b.box = rect{nodesX + c*(nodeW+gutter), y, nodeW, 0}
			lines := max(1, len(b.pods)+btoi(b.more != ""))
			compRow := 0
			if b.node != nil {
				compRow = boxHeight + 12
			}
			b.podsY = y + 30 + compRow + 14
			b.box.h = 30 + compRow + lines*lineHeight + 10
			rowH = max(rowH, b.box.h)
		}
		for c := 0; c < columns && r*columns+c < len(boxes); c++ {
			b := &boxes[r*columns+c]
			b.box.h = rowH
			if b.node == nil {
				continue
			}
			p.placeNodeComponents(&lay, *b)
			for _, ci := range b.node.Components {
				comp := p.Components[ci]
				cbox := lay.boxes[ci]
				if comp.Kind == kindRuntime {
					continue // drawn beside its kubelet, below
				}
				ax := cbox.centerX()
				if b.box.x+boxPad+textWidth(b.title, cellWidth)+4 > ax-4 {
					boxes[r*columns+c].titleX = ax + 8 - b.box.x
				}
				label := StepNumbers(comp.Steps)
				if r == 0 {
					lay.arrows = append(lay.arrows, arrow{comp: ci, both: true, points: [][2]int{{ax, cbox.y}, {ax, barY + barHeight}},
						label: label, labelX: ax + 6, labelY: y - 8})
					continue
				}
				gx := b.box.x - 6 - (r-1)*climb
				turn := y - 20
				lay.arrows = append(lay.arrows, arrow{comp: ci, both: true,
					points: [][2]int{{ax, cbox.y}, {ax, turn}, {gx, turn}, {gx, barY + barHeight}},
					label:  label, labelX: ax + 6, labelY: y - 5})
			}
			// The runtime's arrow joins it to the kubelet.
			var kubelet = -1
			for _, ci := range b.node.Components {
				if p.Components[ci].Kind == kindKubelet {
					kubelet = ci
				}
			}
			for _, ci := range b.node.Components {
				if p.Components[ci].Kind != kindRuntime || kubelet < 0 {
					continue
				}
				kb, rb := lay.boxes[kubelet], lay.boxes[ci]
				lay.arrows = append(lay.arrows, arrow{comp: ci, both: true, points: [][2]int{{kb.right(), kb.centerY()}, {rb.x, rb.centerY()}},
					label: StepNumbers(p.Components[ci].Steps), labelX: kb.right() + 8, labelY: kb.centerY() - 6})
			}
		}
		y += rowH + rowGap
	}
	lay.nodes = boxes
	lay.width = lay.frame.right() + margin
	if len(boxes) > 0 {
		lay.width = max(lay.width, nodesRight+margin)
	}
	if titled {
		lay.width = max(lay.width, textWidth(p.Title, 0.6*18)+2*margin, textWidth(p.Subtitle, 0.6*12)+2*margin)
	}
	bottom := y - rowGap
	if len(boxes) == 0 {
		bottom = lay.frame.bottom()
	}
	lay.stepsY = bottom + 40
	lay.height = bottom
	return lay
}

func isControlPlaneGroup(g string) bool { return g == groupControllerManager || g == groupScheduler }

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// runtimeGap is the room between a kubelet and its runtime for their arrow and its numbers.
func (p Picture) runtimeGap(b nodeBox) int {
	gapW := 70
	for _, ci := range b.node.Components {
		if p.Components[ci].Kind == kindRuntime {
			gapW = max(gapW, textWidth(StepNumbers(p.Components[ci].Steps), smallCell)+20)
		}
	}
	return gapW
}

func (p Picture) nodeComponentsWidth(b nodeBox) int {
	w := 0
	for i, ci := range b.node.Components {
		comp := p.Components[ci]
		w += boxWidth(comp.Label)
		if i+1 < len(b.node.Components) {
			if p.Components[b.node.Components[i+1]].Kind == kindRuntime {
				w += p.runtimeGap(b)
			} else {
				w += gap
			}
		}
	}
	return w
}

func (p Picture) placeNodeComponents(lay *layout, b nodeBox) {
	x := b.box.x + boxPad
	y := b.box.y + 30
	for i, ci := range b.node.Components {
		comp := p.Components[ci]
		w := boxWidth(comp.Label)
		lay.boxes[ci] = rect{x, y, w, boxHeight}
		x += w
		if i+1 < len(b.node.Components) {
			if p.Components[b.node.Components[i+1]].Kind == kindRuntime {
				x += p.runtimeGap(b)
			} else {
				x += gap
			}
		}
	}
}

// podLineWidth is "● name status".
func podLineWidth(pod Pod) int {
	return 18 + textWidth(shortPodName(pod.Name), cellWidth) + textWidth(" "+pod.Status, cellWidth)
}

func shortPodName(name string) string {
	if cells(name) > maxPodName {
		return view.Truncate(name, maxPodName)
	}
	return name
}

// SVGOptions say what the SVG holds.
type SVGOptions struct {
	// Titled adds the title and subtitle above the map, and Steps the numbered list of steps
	// under it: the standalone file. A page shows both itself (its steps as buttons).
	Titled, Steps bool
}

// SVG draws the picture.
func (p Picture) SVG(o SVGOptions) string {
	lay := p.layout(o.Titled)
	var steps strings.Builder
	if o.Steps {
		lay.height = p.svgSteps(&steps, lay)
	}
	lay.height += margin

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="k8slearn-map" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="k8slearn-map-title" lang="%s">`+"\n",
		lay.width, lay.height, lay.width, lay.height, esc(p.Lang))
	fmt.Fprintf(&b, `<title id="k8slearn-map-title">%s</title>`+"\n", esc(p.Title+" — "+p.Subtitle))
	b.WriteString(svgStyle)
	b.WriteString(`<defs><marker id="k8slearn-head" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="head"/></marker>` +
		`<marker id="k8slearn-head-lit" viewBox="0 0 10 10" refX="7" refY="5" markerUnits="userSpaceOnUse" markerWidth="14" markerHeight="14" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="head-lit"/></marker></defs>` + "\n")
	fmt.Fprintf(&b, `<rect class="bg" x="0" y="0" width="%d" height="%d"/>`+"\n", lay.width, lay.height)
	if o.Titled {
		fmt.Fprintf(&b, `<text class="title" x="%d" y="%d">%s</text>`+"\n", margin, lay.titleY, esc(p.Title))
		fmt.Fprintf(&b, `<text class="subtitle" x="%d" y="%d">%s</text>`+"\n", margin, lay.titleY+22, esc(p.Subtitle))
	}

	// The control plane's frame, its groups and kube-apiserver with etcd.
	f := lay.frame
	fmt.Fprintf(&b, `<rect class="frame" x="%d" y="%d" width="%d" height="%d" rx="8"/>`+"\n", f.x, f.y, f.w, f.h)
	fmt.Fprintf(&b, `<text class="frame-title" x="%d" y="%d">%s</text>`+"\n", f.x+12, f.y+19, esc(p.Labels.ControlPlane))
	for _, g := range lay.groups {
		fmt.Fprintf(&b, `<rect class="group" x="%d" y="%d" width="%d" height="%d" rx="6"/>`+"\n", g.box.x, g.box.y, g.box.w, g.box.h)
		fmt.Fprintf(&b, `<text class="group-title" x="%d" y="%d">%s</text>`+"\n", g.box.x+10, g.box.y+15, esc(g.name))
	}
	// kube-apiserver is a component too: its own writes (a Service's ClusterIP) are its steps,
	// numbered at the bar's right end, and it is lit when it acted last.
	bar := lay.bar
	fmt.Fprintf(&b, `<g class="comp bar%s" data-c="%d"><title>%s</title><rect x="%d" y="%d" width="%d" height="%d" rx="4"/>`,
		litClass(p.Lit == apiServerIndex), apiServerIndex, esc(apiServerName), bar.x, bar.y, bar.w, bar.h)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, bar.centerX(), bar.centerY()+5, esc(apiServerName))
	if steps := StepNumbers(p.Components[apiServerIndex].Steps); steps != "" {
		fmt.Fprintf(&b, `<text class="steps-label" x="%d" y="%d" text-anchor="end">%s</text>`, bar.right()-8, bar.centerY()+4, esc(steps))
	}
	b.WriteString("</g>\n")
	e := lay.etcd
	fmt.Fprintf(&b, `<line class="etcd-link" x1="%d" y1="%d" x2="%d" y2="%d" marker-start="url(#k8slearn-head)" marker-end="url(#k8slearn-head)"/>`+"\n", bar.right()+2, bar.centerY(), e.x-2, bar.centerY())
	fmt.Fprintf(&b, `<rect class="etcd" x="%d" y="%d" width="%d" height="%d" rx="10"/>`+"\n", e.x, e.y, e.w, e.h)
	fmt.Fprintf(&b, `<text class="label" x="%d" y="%d" text-anchor="middle">%s</text>`+"\n", e.centerX(), e.y+19, esc(etcdName))
	fmt.Fprintf(&b, `<text class="small" x="%d" y="%d" text-anchor="middle">%s</text>`+"\n", e.centerX(), e.y+36, esc(p.Labels.Revision))

	// Nodes and their pods.
	for _, n := range lay.nodes {
		class := "node"
		if n.unscheduled {
			class = "node unscheduled"
		}
		fmt.Fprintf(&b, `<g class="%s"><rect x="%d" y="%d" width="%d" height="%d" rx="8"/>`, class, n.box.x, n.box.y, n.box.w, n.box.h)
		titleX := n.box.x + boxPad
		if n.titleX > 0 {
			titleX = n.box.x + n.titleX
		}
		fmt.Fprintf(&b, `<text class="node-title" x="%d" y="%d">%s</text>`, titleX, n.box.y+20, esc(n.title))
		y := n.podsY
		for _, pod := range n.pods {
			if pod.Status == "" { // the "... and N more" of the unscheduled
				fmt.Fprintf(&b, `<text class="more" x="%d" y="%d">%s</text>`, n.box.x+boxPad, y, esc(pod.Name))
				y += lineHeight
				continue
			}
			fmt.Fprintf(&b, `<g class="pod %s" data-pod="%s"><circle cx="%d" cy="%d" r="5"/><text x="%d" y="%d"><tspan class="pod-name">%s</tspan> <tspan class="status">%s</tspan></text></g>`,
				esc(string(pod.Tone)), esc(pod.Name), n.box.x+boxPad+5, y-4, n.box.x+boxPad+18, y, esc(shortPodName(pod.Name)), esc(pod.Status))
			y += lineHeight
		}
		if n.more != "" {
			fmt.Fprintf(&b, `<text class="more" x="%d" y="%d">%s</text>`, n.box.x+boxPad, y, esc(n.more))
		} else if len(n.pods) == 0 {
			fmt.Fprintf(&b, `<text class="more" x="%d" y="%d">%s</text>`, n.box.x+boxPad, y, esc(p.Labels.NoPods))
		}
		b.WriteString("</g>\n")
	}

	// Arrows, then the boxes over their ends.
	for _, a := range lay.arrows {
		class := "arrow"
		if a.both {
			class += " both"
		}
		fmt.Fprintf(&b, `<g class="%s%s" data-c="%d">`, class, litClass(p.Lit == a.comp), a.comp)
		var pts []string
		for _, pt := range a.points {
			pts = append(pts, fmt.Sprintf("%d,%d", pt[0], pt[1]))
		}
		start := ""
		if a.both {
			start = ` marker-start="url(#k8slearn-head)"`
		}
		fmt.Fprintf(&b, `<polyline points="%s"%s marker-end="url(#k8slearn-head)"/>`, strings.Join(pts, " "), start)
		if a.label != "" {
			fmt.Fprintf(&b, `<text class="steps-label" x="%d" y="%d">%s</text>`, a.labelX, a.labelY, esc(a.label))
		}
		b.WriteString("</g>\n")
	}
	for ci := range p.Components {
		box, ok := lay.boxes[ci]
		if !ok {
			continue
		}
		c := p.Components[ci]
		fmt.Fprintf(&b, `<g class="comp%s" data-c="%d"><title>%s</title><rect x="%d" y="%d" width="%d" height="%d" rx="5"/><text x="%d" y="%d" text-anchor="middle">%s</text></g>`+"\n",
			litClass(p.Lit == ci), ci, esc(c.Name), box.x, box.y, box.w, box.h, box.centerX(), box.centerY()+5, esc(c.Label))
	}
	b.WriteString(steps.String())
	b.WriteString("</svg>\n")
	return b.String()
}

func litClass(lit bool) string {
	if lit {
		return " lit"
	}
	return ""
}

// svgSteps writes the numbered list of steps below the map and returns where it ends.
func (p Picture) svgSteps(b *strings.Builder, lay layout) int {
	y := lay.stepsY
	fmt.Fprintf(b, `<text class="steps-title" x="%d" y="%d">%s</text>`+"\n", margin, y, esc(p.Labels.Steps))
	y += 8
	width := max(40, int(float64(lay.width-2*margin)/cellWidth))
	for _, note := range []string{p.Earlier, p.Routine} {
		for _, line := range view.Wrap(note, width) {
			if line == "" {
				continue
			}
			y += lineHeight
			fmt.Fprintf(b, `<text class="more" x="%d" y="%d">%s</text>`+"\n", margin, y, esc(line))
		}
	}
	if len(p.Steps) == 0 {
		y += lineHeight
		fmt.Fprintf(b, `<text class="more" x="%d" y="%d">%s</text>`+"\n", margin, y, esc(p.Labels.NoSteps))
	}
	for i, s := range p.Steps {
		head := s.Head
		lines := view.Wrap(s.Line, width)
		y += lineHeight + 2
		fmt.Fprintf(b, `<g class="step%s" data-c="%d" data-seq="%d">`, litClass(i == len(p.Steps)-1), s.Component, s.Seq)
		for j, line := range lines {
			if j > 0 {
				y += lineHeight
				fmt.Fprintf(b, `<text x="%d" y="%d">%s</text>`, margin+textWidth("#00 ", cellWidth), y, esc(line))
				continue
			}
			rest, ok := strings.CutPrefix(line, head)
			if !ok { // the head itself was wrapped: a very narrow picture
				fmt.Fprintf(b, `<text x="%d" y="%d">%s</text>`, margin, y, esc(line))
				continue
			}
			fmt.Fprintf(b, `<text x="%d" y="%d"><tspan class="step-head">%s</tspan>%s</text>`, margin, y, esc(head), esc(rest))
		}
		b.WriteString("</g>\n")
	}
	return y
}

// esc escapes text for XML (and so for HTML): &, <, >, quotes, and the characters XML cannot hold
// at all (control characters, invalid UTF-8), which become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// svgStyle is the SVG's own style sheet, so that the file looks the same alone and in a page.
const svgStyle = `<style>
.k8slearn-map { font-family: "DejaVu Sans Mono", "Noto Sans Mono", Menlo, Consolas, "Noto Sans Mono CJK SC", "Noto Sans CJK SC", "Microsoft YaHei", monospace; font-size: 13px; }
.k8slearn-map .bg { fill: #ffffff; }
.k8slearn-map text { fill: #1f2328; }
.k8slearn-map .title { font-size: 18px; font-weight: bold; }
.k8slearn-map .subtitle { font-size: 12px; fill: #57606a; }
.k8slearn-map .frame { fill: #f6f8fa; stroke: #8c959f; stroke-width: 1.5; }
.k8slearn-map .frame-title, .k8slearn-map .node-title { font-weight: bold; }
.k8slearn-map .group { fill: #ffffff; stroke: #afb8c1; stroke-dasharray: 4 3; }
.k8slearn-map .group-title, .k8slearn-map .small, .k8slearn-map .more { font-size: 11px; fill: #57606a; }
.k8slearn-map .more { font-size: 12px; }

.k8slearn-map .etcd { fill: #fff8c5; stroke: #9a6700; stroke-width: 1.5; }
.k8slearn-map .etcd-link { stroke: #9a6700; stroke-width: 1.5; }
.k8slearn-map .node > rect { fill: #ffffff; stroke: #8c959f; stroke-width: 1.5; }
.k8slearn-map .node.unscheduled > rect { stroke-dasharray: 6 4; }
.k8slearn-map .comp rect { fill: #ffffff; stroke: #424a53; stroke-width: 1.2; }
.k8slearn-map .comp.lit rect { fill: #0969da; stroke: #0a3069; stroke-width: 2; }
.k8slearn-map .comp.lit text { fill: #ffffff; font-weight: bold; }
.k8slearn-map .comp.bar rect { fill: #ddf4ff; stroke: #0969da; stroke-width: 1.5; }
.k8slearn-map .comp.bar text { font-weight: bold; fill: #0a3069; }
.k8slearn-map .comp.bar .steps-label { font-weight: normal; fill: #57606a; }
.k8slearn-map .comp.bar.lit rect { fill: #0969da; stroke: #0a3069; stroke-width: 2; }
.k8slearn-map .comp.bar.lit text { fill: #ffffff; }
.k8slearn-map .arrow polyline { fill: none; stroke: #8c959f; stroke-width: 1.5; }
.k8slearn-map .arrow.lit polyline { stroke: #0969da; stroke-width: 4; marker-start: none; marker-end: url(#k8slearn-head-lit); }
.k8slearn-map .arrow.lit.both polyline { marker-start: url(#k8slearn-head-lit); }
.k8slearn-map .head { fill: #8c959f; }
.k8slearn-map .head-lit { fill: #0969da; }
.k8slearn-map .steps-label { font-size: 11px; fill: #57606a; }
.k8slearn-map .arrow.lit .steps-label { fill: #0969da; font-weight: bold; }
.k8slearn-map .pod.good circle { fill: #1a7f37; }
.k8slearn-map .pod.good .status { fill: #1a7f37; }
.k8slearn-map .pod.wait circle { fill: #bf8700; }
.k8slearn-map .pod.wait .status { fill: #9a6700; }
.k8slearn-map .pod.bad circle { fill: #cf222e; }
.k8slearn-map .pod.bad .status { fill: #cf222e; }
.k8slearn-map .steps-title { font-size: 15px; font-weight: bold; }
.k8slearn-map .step-head { font-weight: bold; }
.k8slearn-map .step.lit text { fill: #0969da; }
</style>
`
