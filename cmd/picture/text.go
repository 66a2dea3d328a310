package picture

import (
	"fmt"
	"strings"
	"unicode"
)

// Mermaid writes the chain of steps as a Mermaid sequence diagram: who told whom, in order, with
// this run's names. Participants get ids of their own (p0, p1…), so no name can be taken for
// syntax; every text goes through mermaidText.
func (p Picture) Mermaid() string {
	var b strings.Builder
	b.WriteString("sequenceDiagram\n")
	fmt.Fprintf(&b, "    title %s\n", mermaidText(p.Title))
	fmt.Fprintf(&b, "    accDescr: %s\n", mermaidText(p.Subtitle))
	// The participants: those that took a step, in the picture's order, with kube-apiserver and
	// etcd after the client.
	acted := map[int]bool{}
	for _, s := range p.Steps {
		acted[s.Component] = true
	}
	const api, etcd = "api", "etcd"
	id := func(ci int) string { return fmt.Sprintf("p%d", ci) }
	fmt.Fprintf(&b, "    participant %s as %s\n", id(0), mermaidText(p.Components[0].Label))
	fmt.Fprintf(&b, "    participant %s as %s\n", api, apiServerName)
	fmt.Fprintf(&b, "    participant %s as %s\n", etcd, etcdName)
	for ci, c := range p.Components {
		if ci > apiServerIndex && acted[ci] {
			fmt.Fprintf(&b, "    participant %s as %s\n", id(ci), mermaidText(c.Name))
		}
	}
	kubeletOf := func(ci int) string { // the kubelet beside a runtime, on the same node
		for i, c := range p.Components {
			if c.Kind == kindKubelet && c.Group == p.Components[ci].Group {
				if !acted[i] {
					acted[i] = true
					fmt.Fprintf(&b, "    participant %s as %s\n", id(i), mermaidText(c.Name))
				}
				return id(i)
			}
		}
		return api
	}
	runtimeOf := func(ci int) string {
		for i, c := range p.Components {
			if c.Kind == kindRuntime && c.Group == p.Components[ci].Group {
				if !acted[i] {
					acted[i] = true
					fmt.Fprintf(&b, "    participant %s as %s\n", id(i), mermaidText(c.Name))
				}
				return id(i)
			}
		}
		return api
	}
	for _, note := range []string{p.Earlier, p.Routine} {
		if note != "" {
			fmt.Fprintf(&b, "    Note over %s,%s: %s\n", id(0), etcd, mermaidText(note))
		}
	}
	for _, s := range p.Steps {
		me := id(s.Component)
		num := fmt.Sprintf("#%d ", s.Seq)
		// What set the step off, as a message to the component.
		switch {
		case s.Component == apiServerIndex: // the API server's own write
			fmt.Fprintf(&b, "    Note over %s: %s\n", api, mermaidText(num+s.What))
			fmt.Fprintf(&b, "    %s->>%s: %s\n", api, etcd, mermaidText(s.Stored))
			continue
		}
		switch s.Kind {
		case "client":
			fmt.Fprintf(&b, "    %s->>%s: %s\n", me, api, mermaidText(num+s.What))
		case "watch":
			fmt.Fprintf(&b, "    %s-->>%s: %s\n", api, me, mermaidText(num+s.Trigger))
		case "cri":
			fmt.Fprintf(&b, "    %s->>%s: %s\n", kubeletOf(s.Component), me, mermaidText(num+s.Trigger))
		case "pleg":
			fmt.Fprintf(&b, "    %s-->>%s: %s\n", runtimeOf(s.Component), me, mermaidText(num+s.Trigger))
		default:
			fmt.Fprintf(&b, "    Note over %s: %s\n", me, mermaidText(num+s.Trigger))
		}
		// What it did: writes go to kube-apiserver, which stores them in etcd.
		switch {
		case s.Kind == "client":
		case s.Wrote:
			fmt.Fprintf(&b, "    %s->>%s: %s\n", me, api, mermaidText(s.What))
		default:
			fmt.Fprintf(&b, "    Note over %s: %s\n", me, mermaidText(s.What))
		}
		if s.Wrote {
			fmt.Fprintf(&b, "    %s->>%s: %s\n", api, etcd, mermaidText(s.Stored))
		}
	}
	return b.String()
}

// mermaidText makes s safe as the text of a Mermaid statement, which runs to the end of its line
// and ends early at '#' (a comment), ';' (a statement separator) or "%%" (a comment). Those, and
// what Mermaid reads as HTML or as its wrap: directive, become Mermaid's entity codes (#35; is '#'),
// which Mermaid turns back into the characters when it draws. Line breaks and other control
// characters become spaces; invalid UTF-8 becomes U+FFFD.
//
// Before it parses, Mermaid (mermaidAPI.ts, encodeEntities) drops the last ';' of any line that
// matches style.*:\S*#.*; or classDef.*:\S*#.*; (for colours): in a text holding "style" or
// "classDef", every ':' is escaped too, so that no line can match and lose an entity's ';'.
func mermaidText(s string) string {
	var b strings.Builder
	directive := wrapDirective(s)
	colons := strings.Contains(s, "style") || strings.Contains(s, "classDef")
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '#', r == ';', r == '%', r == '<', r == '>', r == '&', r == '"', r == '`', r == '{', r == '}':
			fmt.Fprintf(&b, "#%d;", r)
		case r == ':' && (directive || colons):
			b.WriteString("#58;")
			directive = false
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	out := strings.TrimSpace(b.String())
	if out == "" {
		return "#32;" // a message needs text
	}
	return out
}

// wrapDirective reports whether s starts with Mermaid's wrap: or nowrap: directive.
func wrapDirective(s string) bool {
	lower := strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(lower, "wrap:") || strings.HasPrefix(lower, "nowrap:")
}

// DOT writes the map as a Graphviz graph: the control plane and each node as clusters, the
// components and pods as boxes, the arrows labelled with their step numbers, the component that
// acted last drawn lit. Ids are generated (c0, n0p1…); every label goes through dotString.
func (p Picture) DOT() string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph k8slearn {\n")
	fmt.Fprintf(&b, "  graph [label=%s, labelloc=t, fontname=\"DejaVu Sans Mono\", rankdir=TB, newrank=true];\n",
		dotString(p.Title+"\n"+p.Subtitle))
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"DejaVu Sans Mono\", fontsize=11];\n")
	b.WriteString("  edge [fontname=\"DejaVu Sans Mono\", fontsize=9, color=\"#8c959f\", fontcolor=\"#57606a\"];\n")
	node := func(indent string, ci int) {
		c := p.Components[ci]
		attrs := ""
		if ci == p.Lit {
			attrs = ", fillcolor=\"#0969da\", fontcolor=\"#ffffff\", penwidth=2"
		}
		fmt.Fprintf(&b, "%sc%d [label=%s, tooltip=%s%s];\n", indent, ci, dotString(c.Label), dotString(c.Name), attrs)
	}
	node("  ", 0)
	fmt.Fprintf(&b, "  subgraph cluster_control_plane {\n    label=%s; style=\"rounded,filled\"; fillcolor=\"#f6f8fa\"; color=\"#8c959f\";\n", dotString(p.Labels.ControlPlane))
	apiLabel, apiLit := apiServerName, ""
	if steps := StepNumbers(p.Components[apiServerIndex].Steps); steps != "" {
		apiLabel += "\n" + steps
	}
	if p.Lit == apiServerIndex {
		apiLit = ", fillcolor=\"#0969da\", fontcolor=\"#ffffff\", penwidth=2"
	} else {
		apiLit = ", fillcolor=\"#ddf4ff\""
	}
	fmt.Fprintf(&b, "    api [label=%s, color=\"#0969da\"%s];\n", dotString(apiLabel), apiLit)
	fmt.Fprintf(&b, "    etcd [label=%s, shape=cylinder, style=filled, fillcolor=\"#fff8c5\", color=\"#9a6700\"];\n", dotString(etcdName+"\n"+p.Labels.Revision))
	for gi, group := range []string{groupControllerManager, groupScheduler} {
		fmt.Fprintf(&b, "    subgraph cluster_g%d {\n      label=%s; style=\"rounded,dashed\"; color=\"#afb8c1\";\n", gi, dotString(group))
		for ci, c := range p.Components {
			if c.Group == group && !c.Hidden {
				node("      ", ci)
			}
		}
		b.WriteString("    }\n")
	}
	b.WriteString("  }\n")
	nodeBoxes := func(title string, n int, comps []int, pods []Pod, more string) {
		fmt.Fprintf(&b, "  subgraph cluster_n%d {\n    label=%s; style=rounded; color=\"#8c959f\";\n", n, dotString(title))
		for _, ci := range comps {
			node("    ", ci)
		}
		for i, pod := range pods {
			fill := map[string]string{"good": "#dafbe1", "wait": "#fff8c5", "bad": "#ffebe9"}[string(pod.Tone)]
			if fill == "" {
				fill = "#ffffff"
			}
			label := pod.Name
			if pod.Status != "" {
				label += "\n" + pod.Status
			}
			fmt.Fprintf(&b, "    n%dp%d [label=%s, shape=note, style=filled, fillcolor=\"%s\"];\n", n, i, dotString(label), fill)
		}
		if more != "" {
			fmt.Fprintf(&b, "    n%dmore [label=%s, shape=plaintext, style=\"\"];\n", n, dotString(more))
		}
		b.WriteString("  }\n")
	}
	for ni, n := range p.Nodes {
		title := n.title(p.Labels)
		nodeBoxes(title, ni, n.Components, n.Pods, n.More)
	}
	if len(p.Unscheduled) > 0 {
		nodeBoxes(p.Labels.Unscheduled, len(p.Nodes), nil, p.Unscheduled, "")
	}

	edge := func(from, to string, ci int, both bool) {
		attrs := []string{}
		if label := StepNumbers(p.Components[ci].Steps); label != "" {
			attrs = append(attrs, "label="+dotString(label))
		}
		if both {
			attrs = append(attrs, "dir=both")
		}
		if ci == p.Lit {
			attrs = append(attrs, "color=\"#0969da\"", "fontcolor=\"#0969da\"", "penwidth=3")
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", from, to, strings.Join(attrs, ", "))
	}
	edge("c0", "api", 0, false)
	b.WriteString("  api -> etcd [dir=both, color=\"#9a6700\"];\n")
	for ci, c := range p.Components {
		switch {
		case ci == 0, c.Kind == kindAPIServer, c.Hidden:
		case c.Kind == kindRuntime:
			kubelet := -1
			for i, k := range p.Components {
				if k.Kind == kindKubelet && k.Group == c.Group {
					kubelet = i
				}
			}
			if kubelet >= 0 {
				edge(fmt.Sprintf("c%d", kubelet), fmt.Sprintf("c%d", ci), ci, true)
			}
		case isControlPlaneGroup(c.Group):
			edge(fmt.Sprintf("c%d", ci), "api", ci, true)
		default:
			edge("api", fmt.Sprintf("c%d", ci), ci, true)
		}
	}
	// Pods hang under their node's runtime, so the layout keeps them together.
	for ni, n := range p.Nodes {
		anchor := ""
		for _, ci := range n.Components {
			if p.Components[ci].Kind == kindRuntime {
				anchor = fmt.Sprintf("c%d", ci)
			}
		}
		for i := range n.Pods {
			if anchor != "" {
				fmt.Fprintf(&b, "  %s -> n%dp%d [style=dotted, arrowhead=none];\n", anchor, ni, i)
			}
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// dotString quotes s as a DOT string: backslashes doubled (so Graphviz's own escapes such as \N
// or \l cannot appear by accident), quotes escaped, line breaks as \n; other control characters
// become spaces and invalid UTF-8 U+FFFD.
func dotString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\n':
			b.WriteString(`\n`)
		case unicode.IsControl(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
