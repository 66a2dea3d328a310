package framework

import (
	"slices"
	"strconv"

	corev1 "k8s.io/api/core/v1"
)

// matchesRequiredAffinity is NodeAffinity's Filter: the node must carry every
// nodeSelector label, and match at least one required node selector term.
// A term that cannot be parsed matches nothing (the scheduler ignores parse
// errors and treats the term as not matching).
func (f *podFacts) matchesRequiredAffinity(node *corev1.Node) bool {
	for k, v := range f.nodeSelector {
		if got, ok := node.Labels[k]; !ok || got != v {
			return false
		}
	}
	if f.requiredTerms == nil {
		return true
	}
	for i := range f.requiredTerms.NodeSelectorTerms {
		if termMatches(&f.requiredTerms.NodeSelectorTerms[i], node) {
			return true
		}
	}
	return false
}

// preferredAffinityScore is NodeAffinity's raw score: the sum of the weights
// of the preferred terms the node matches.
func (f *podFacts) preferredAffinityScore(node *corev1.Node) int64 {
	var sum int64
	for i := range f.preferredTerms {
		if termMatches(&f.preferredTerms[i].Preference, node) {
			sum += int64(f.preferredTerms[i].Weight)
		}
	}
	return sum
}

func emptyTerm(t *corev1.NodeSelectorTerm) bool {
	return len(t.MatchExpressions) == 0 && len(t.MatchFields) == 0
}

// termMatches ANDs a term's label expressions and field expressions; an empty
// term matches no node.
func termMatches(t *corev1.NodeSelectorTerm, node *corev1.Node) bool {
	if emptyTerm(t) {
		return false
	}
	for i := range t.MatchExpressions {
		if !labelRequirementMatches(&t.MatchExpressions[i], node.Labels) {
			return false
		}
	}
	for i := range t.MatchFields {
		if !fieldRequirementMatches(&t.MatchFields[i], node) {
			return false
		}
	}
	return true
}

func labelRequirementMatches(r *corev1.NodeSelectorRequirement, nodeLabels map[string]string) bool {
	value, present := nodeLabels[r.Key]
	switch r.Operator {
	case corev1.NodeSelectorOpIn:
		return len(r.Values) > 0 && present && slices.Contains(r.Values, value)
	case corev1.NodeSelectorOpNotIn:
		return len(r.Values) > 0 && (!present || !slices.Contains(r.Values, value))
	case corev1.NodeSelectorOpExists:
		return len(r.Values) == 0 && present
	case corev1.NodeSelectorOpDoesNotExist:
		return len(r.Values) == 0 && !present
	case corev1.NodeSelectorOpGt, corev1.NodeSelectorOpLt:
		if len(r.Values) != 1 || !present {
			return false
		}
		want, err := strconv.ParseInt(r.Values[0], 10, 64)
		if err != nil {
			return false
		}
		got, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return false
		}
		if r.Operator == corev1.NodeSelectorOpGt {
			return got > want
		}
		return got < want
	}
	return false
}

// fieldRequirementMatches supports the one node field selectors allow,
// metadata.name, with In or NotIn and exactly one value.
func fieldRequirementMatches(r *corev1.NodeSelectorRequirement, node *corev1.Node) bool {
	if r.Key != "metadata.name" || len(r.Values) != 1 {
		return false
	}
	switch r.Operator {
	case corev1.NodeSelectorOpIn:
		return node.Name == r.Values[0]
	case corev1.NodeSelectorOpNotIn:
		return node.Name != r.Values[0]
	}
	return false
}
