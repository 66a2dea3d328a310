// Package view renders what the engine did for a learner, in the learner's language: trace
// entries, the etcd keyspace, the scheduler's reasons and a map of the cluster. What Kubernetes
// itself prints (object names, event reasons, resource paths) stays as Kubernetes writes it.
package view

import (
	"fmt"
	"sort"
	"strings"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/work"
	"github.com/k8slearn/k8slearn/locales"
)

// Trace renders one trace entry: a header saying who acted and why, then one line per kind of
// change it made.
func Trace(l *locales.Localizer, st Styler, e cluster.TraceEntry) []string {
	header := l.T(traceHeaderID(e), map[string]any{
		"Seq": e.Seq, "Component": st.Component(e.Component), "Event": e.Trigger.EventType,
		"Object": triggerObject(e.Trigger), "Rev": e.Trigger.Revision,
		"Call": e.Trigger.Args["Call"], "RuntimeEvent": e.Trigger.Args["Event"],
		"Timer": TriggerPhrase(l, e.Trigger),
	})
	// Wrapped to the map's width, each line's continuation indented under it.
	lines := Hanging(header, "", "    ", MapWidth)
	detail := func(text string) { lines = append(lines, Hanging(text, "    ", "      ", MapWidth)...) }
	for _, n := range e.Notes {
		detail(l.T(n.ID, n.Args))
	}
	for _, w := range summarizeWrites(l, e.Writes) {
		detail(w)
	}
	if len(e.Writes) == 0 && len(e.Notes) == 0 {
		detail(st.Dim(l.T("trace.nothing")))
	}
	if len(e.Writes) > 0 {
		detail(st.Dim(l.T("trace.revision", map[string]any{"Rev": e.Revision})))
	}
	return lines
}

// Hanging wraps text to width columns: the first line after prefix, the others after indent.
func Hanging(text, prefix, indent string, width int) []string {
	first := Wrap(text, width-displayWidth(prefix))
	out := []string{prefix + first[0]}
	if len(first) == 1 {
		return out
	}
	_, rest, _ := strings.Cut(text, first[0])
	for _, l := range Wrap(strings.TrimPrefix(strings.TrimLeft(rest, " "), "\n"), width-displayWidth(indent)) {
		out = append(out, indent+l)
	}
	return out
}

func traceHeaderID(e cluster.TraceEntry) string {
	switch {
	case e.External:
		return "trace.header.client"
	case e.Trigger.Kind == work.Watch:
		return "trace.header.watch"
	case e.Trigger.Kind == work.Runtime && e.Trigger.Note == "trigger.cri_call":
		return "trace.header.cri"
	case e.Trigger.Note == "trigger.kubelet_resync":
		return "trace.header.resync"
	case e.Trigger.Kind == work.Runtime && e.Trigger.Note != "" && e.Trigger.Note != "trigger.pleg":
		return "trace.header.runtime"
	case e.Trigger.Kind == work.Runtime:
		return "trace.header.pleg"
	}
	return "trace.header.timer"
}

func triggerObject(t work.Trigger) string {
	if t.Kind == work.Watch {
		return t.Resource + "/" + t.Name
	}
	if pod, ok := t.Args["Pod"].(string); ok {
		_, name, found := strings.Cut(pod, "/")
		if !found {
			name = pod
		}
		return "pods/" + name
	}
	if name, ok := t.Args["Pod"]; ok {
		return fmt.Sprint(name)
	}
	return ""
}

// writeGroup is the writes of one kind (verb, resource, subresource) in one entry.
type writeGroup struct {
	id    string
	names []string
}

// summarizeWrites turns the API writes of an entry into sentences: "created pods/a, pods/b",
// "updated the status of deployments/web"; events are counted, not listed.
func summarizeWrites(l *locales.Localizer, writes []apiserver.Write) []string {
	var groups []*writeGroup
	byKey := map[string]*writeGroup{}
	events := 0
	for _, w := range writes {
		if w.Resource == "events" {
			events++
			continue
		}
		id := writeMessageID(w)
		key := id + "/" + w.Resource
		g := byKey[key]
		if g == nil {
			g = &writeGroup{id: id}
			byKey[key] = g
			groups = append(groups, g)
		}
		name := w.Resource + "/" + w.Name
		if !contains(g.names, name) {
			g.names = append(g.names, name)
		}
	}
	var out []string
	for _, g := range groups {
		out = append(out, l.T(g.id, map[string]any{"Objects": strings.Join(g.names, l.T("common.list_separator"))}))
	}
	if events > 0 {
		out = append(out, l.N("trace.write.events", events))
	}
	return out
}

func writeMessageID(w apiserver.Write) string {
	switch {
	case w.Subresource == "binding":
		return "trace.write.bound"
	case w.Subresource == "status":
		return "trace.write.status"
	case w.Subresource == "scale":
		return "trace.write.scaled"
	case w.Verb == "create":
		return "trace.write.created"
	case w.Verb == "delete":
		return "trace.write.deleted"
	}
	return "trace.write.updated"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Pending renders the queued work, the component that acts next first.
func Pending(l *locales.Localizer, st Styler, pending []cluster.Pending) []string {
	if len(pending) == 0 {
		return []string{l.T("sandbox.pending.none")}
	}
	lines := []string{l.T("sandbox.pending.header")}
	for i, p := range pending {
		first := p.Items[0]
		line := l.N("sandbox.pending.item", len(p.Items), map[string]any{
			"Component": st.Component(p.Component), "Next": TriggerPhrase(l, first.Trigger)})
		if i == 0 {
			line = st.Highlight("▶ ") + line
		} else {
			line = "  " + line
		}
		lines = append(lines, line)
	}
	return lines
}

// TriggerPhrase is a short description of why an item was queued.
func TriggerPhrase(l *locales.Localizer, t work.Trigger) string {
	switch {
	case t.Kind == work.Watch:
		return l.T("trigger.watch", map[string]any{"Event": t.EventType, "Object": triggerObject(t), "Rev": t.Revision})
	case t.Note != "":
		args := map[string]any{"Object": triggerObject(t)}
		for k, v := range t.Args {
			args[k] = v
		}
		return l.T(t.Note, args)
	}
	return l.T("trigger.timer")
}

// ComponentNames lists component names for messages, sorted.
func ComponentNames(names []string) string {
	out := append([]string(nil), names...)
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// TraceSummary is one line for an entry: who, then what it did ("#6 default-scheduler: picked
// node-2 for web-…; bound pods/web-… to its node").
func TraceSummary(l *locales.Localizer, e cluster.TraceEntry) string {
	return fmt.Sprintf("#%d %s: %s", e.Seq, e.Component, TraceWhat(l, e))
}

// TraceWhat is what an entry did, in one line: its notes, then its writes ("picked node-2 for
// web-…; bound pods/web-… to its node"), or that it found nothing to change.
func TraceWhat(l *locales.Localizer, e cluster.TraceEntry) string {
	var parts []string
	for _, n := range e.Notes {
		parts = append(parts, l.T(n.ID, n.Args))
	}
	parts = append(parts, summarizeWrites(l, e.Writes)...)
	if len(parts) == 0 {
		parts = append(parts, l.T("trace.nothing"))
	}
	return strings.Join(parts, l.T("common.clause_separator"))
}

// TriggerKind names what set an entry off, for pictures that draw it: "client" (a request a
// client sent), "watch", "cri" (the kubelet's call to its container runtime), "pleg" (the runtime
// telling the kubelet) or "timer".
func TriggerKind(e cluster.TraceEntry) string {
	switch id := traceHeaderID(e); id {
	case "trace.header.client":
		return "client"
	default:
		return strings.TrimPrefix(id, "trace.header.")
	}
}

// Earlier is the line that stands for the trace entries no longer kept: their numbers, and how
// many steps each kind of component (or client) took, in the order they first acted. Nothing when
// every entry is kept.
func Earlier(l *locales.Localizer, st Styler, e cluster.Earlier, kept int) []string {
	if e.Entries == 0 {
		return nil
	}
	return []string{st.Dim(l.N("trace.earlier", e.Entries, map[string]any{"First": e.FirstSeq, "Last": e.LastSeq,
		"Kept": kept, "Components": StepCounts(l, e.ByComponent)}))}
}

// Unshown is the line that ends a run whose later steps were not printed: how many, their
// numbers, who took them, and how many steps trace keeps.
func Unshown(l *locales.Localizer, st Styler, e cluster.Earlier, kept int) []string {
	if e.Entries == 0 {
		return nil
	}
	return []string{st.Dim(l.N("sandbox.run_unshown", e.Entries, map[string]any{"First": e.FirstSeq, "Last": e.LastSeq,
		"Kept": kept, "Components": StepCounts(l, e.ByComponent)}))}
}

// StepCounts lists how many steps each kind of component took, kubelets and runtimes summed over
// their nodes ("kubectl ×1, deployment-controller ×2, kubelet ×6"), in the order given.
func StepCounts(l *locales.Localizer, counts []cluster.ComponentCount) string {
	var kinds []string
	byKind := map[string]int{}
	for _, c := range counts {
		kind, _, _ := strings.Cut(c.Component, "/")
		if _, seen := byKind[kind]; !seen {
			kinds = append(kinds, kind)
		}
		byKind[kind] += c.Count
	}
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%s ×%d", k, byKind[k])
	}
	return strings.Join(parts, l.T("common.list_separator"))
}
