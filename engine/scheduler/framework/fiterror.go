package framework

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrNoNodesAvailable is returned when there is no node at all.
var ErrNoNodesAvailable = errors.New("no nodes available to schedule pods")

// FitError says why no node fits a pod. Its Error() is the text kube-scheduler
// puts in the FailedScheduling event and the PodScheduled condition.
type FitError struct {
	// Pod is namespace/name.
	Pod string
	// NumAllNodes is the number of nodes in the cluster.
	NumAllNodes int
	// Diagnosis counts, for each Filter failure reason, how many nodes gave it.
	Diagnosis map[string]int
	// UnschedulablePlugins are the Filter plugins that rejected a node, sorted;
	// the scheduling queue uses them to decide which events may help the pod.
	UnschedulablePlugins []string
	// PostFilterMsg is what the PostFilter plugins (DynamicResources, then
	// DefaultPreemption) answered.
	PostFilterMsg string
}

// Error renders "0/N nodes are available: <counts of reasons>. <PostFilterMsg>".
// Each reason is written as "<count> <reason>" and the list is sorted as
// strings, exactly as the real FitError does.
func (e *FitError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "0/%d nodes are available:", e.NumAllNodes)
	if parts := histogram(e.Diagnosis); len(parts) > 0 {
		b.WriteString(" ")
		b.WriteString(strings.Join(parts, ", "))
		b.WriteString(".")
	}
	if e.PostFilterMsg != "" {
		b.WriteString(" ")
		b.WriteString(e.PostFilterMsg)
	}
	return b.String()
}

func histogram(counts map[string]int) []string {
	parts := make([]string, 0, len(counts))
	for reason, n := range counts {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, reason))
		}
	}
	sort.Strings(parts)
	return parts
}

// newFitError builds the error from the filter results of a cycle in which
// no node passed.
func newFitError(pod string, numAllNodes int, f *podFacts, filters []FilterResult) *FitError {
	e := &FitError{Pod: pod, NumAllNodes: numAllNodes, Diagnosis: make(map[string]int)}
	plugins := make(map[string]bool)
	resolvable := 0
	for _, r := range filters {
		if r.Passed() {
			continue
		}
		for _, reason := range r.Reasons {
			e.Diagnosis[reason]++
		}
		plugins[r.Plugin] = true
		if !r.Unresolvable {
			resolvable++
		}
	}
	for p := range plugins {
		e.UnschedulablePlugins = append(e.UnschedulablePlugins, p)
	}
	sort.Strings(e.UnschedulablePlugins)
	e.PostFilterMsg = preemptionMessage(numAllNodes, resolvable, f.preemptNever)
	return e
}

// preemptionMessage is DefaultPreemption's answer when every pod has the same
// priority (0): no node has a lower-priority pod to evict. Nodes rejected as
// UnschedulableAndUnresolvable (a taint, a selector, a request above the
// node's allocatable…) and nodes preemption never looked at are "not
// helpful"; on the others no victim is found.
func preemptionMessage(numAllNodes, resolvable int, preemptNever bool) string {
	if preemptNever {
		return "preemption: " + msgPreemptionPolicyNever
	}
	inner := FitError{NumAllNodes: numAllNodes, Diagnosis: map[string]int{
		msgNoPreemptionVictims:  resolvable,
		msgPreemptionNotHelpful: numAllNodes - resolvable,
	}}
	return "preemption: " + inner.Error()
}
