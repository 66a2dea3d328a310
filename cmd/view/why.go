package view

import (
	"fmt"
	"io"
	"strings"

	"github.com/k8slearn/k8slearn/engine/scheduler/framework"
	"github.com/k8slearn/k8slearn/locales"
)

// Why explains a scheduling decision: every evaluated node's filter verdict, then the feasible
// nodes' scores per plugin (normalized × weight), then how the winner was picked.
func Why(w io.Writer, l *locales.Localizer, st Styler, d framework.Decision, fitErr string) {
	_, pod, _ := strings.Cut(d.Pod, "/")
	// The sentences wrap to the map's width, as a lesson's text does; the tables do not need to.
	say := func(text string) {
		for _, line := range Wrap(text, MapWidth) {
			fmt.Fprintln(w, line)
		}
	}
	if d.Node != "" {
		say(l.T("why.header", map[string]any{"Pod": pod, "Node": d.Node}))
	} else {
		say(l.T("why.header_unschedulable", map[string]any{"Pod": pod}))
		if fitErr != "" {
			fmt.Fprintln(w, "  "+fitErr)
		}
	}
	fmt.Fprintln(w)
	say(l.T("why.filters", map[string]any{"Evaluated": d.Evaluated, "Feasible": d.Feasible}))
	tw := NewTable(w)
	fmt.Fprintf(tw, "  %s\t%s\t%s\n", l.T("why.col.node"), l.T("why.col.result"), l.T("why.col.reason"))
	for _, f := range d.Filters {
		if f.Passed() {
			fmt.Fprintf(tw, "  %s\t%s\t\n", f.Node, st.Good(l.T("why.passed")))
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", f.Node, st.Bad(f.Plugin), strings.Join(f.Reasons, "; "))
	}
	tw.Flush()
	if len(d.Scores) == 0 {
		if d.Node != "" {
			fmt.Fprintln(w)
			say(l.T("why.single_feasible", map[string]any{"Node": d.Node}))
		}
		return
	}
	fmt.Fprintln(w)
	say(l.T("why.scores"))
	tw = NewTable(w)
	header := []string{"  " + l.T("why.col.plugin")}
	for _, s := range d.Scores {
		header = append(header, s.Node)
	}
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for i, p := range d.Scores[0].Plugins {
		row := []string{"  " + p.Plugin}
		for _, s := range d.Scores {
			ps := s.Plugins[i]
			row = append(row, fmt.Sprintf("%d×%d=%d", ps.Normalized, weightOf(ps), ps.Weighted))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	total := []string{"  " + l.T("why.col.total")}
	for _, s := range d.Scores {
		cell := fmt.Sprint(s.Total)
		if s.Node == d.Node {
			cell = st.Bold(cell + " ◀")
		}
		total = append(total, cell)
	}
	fmt.Fprintln(tw, strings.Join(total, "\t"))
	tw.Flush()
	fmt.Fprintln(w)
	if len(d.TiedNodes) > 1 {
		say(l.T("why.tie", map[string]any{"Nodes": strings.Join(d.TiedNodes, l.T("common.list_separator")), "Node": d.Node}))
	} else if d.Node != "" {
		say(l.T("why.best", map[string]any{"Node": d.Node}))
	}
}

// weightOf is the plugin's weight in the default profile.
func weightOf(p framework.PluginScore) int64 {
	switch p.Plugin {
	case framework.PluginTaintToleration:
		return framework.WeightTaintToleration
	case framework.PluginNodeAffinity:
		return framework.WeightNodeAffinity
	case framework.PluginNodeResourcesFit:
		return framework.WeightNodeResourcesFit
	case framework.PluginPodTopologySpread:
		return framework.WeightPodTopologySpread
	case framework.PluginBalancedAllocation:
		return framework.WeightBalancedAllocation
	case framework.PluginImageLocality:
		return framework.WeightImageLocality
	}
	return 1
}
