package lessons

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
)

// A lesson names the nodes as the miniature does: node-1, node-2… On a real cluster those names
// stand for the cluster's own nodes (kind's kind-worker, minikube's minikube…): the player renames
// them in what a step runs and reads (Step.OnNodes), and the texts name them through the template
// variables Node1, Node2… (Nodes.Data), which the miniature fills with node-1, node-2….

// lessonNode is a node as a lesson names it.
var lessonNode = regexp.MustCompile(`node-([1-9][0-9]*)`)

// Nodes maps the nodes a lesson names (node-1, node-2…) to the nodes of the cluster it plays on.
type Nodes map[string]string

// NewNodes says that cluster[i] stands for the lesson's node-(i+1).
func NewNodes(cluster []string) Nodes {
	n := Nodes{}
	for i, name := range cluster {
		n[LessonNode(i+1)] = name
	}
	return n
}

// LessonNode is the name a lesson gives its i-th node (from 1).
func LessonNode(i int) string { return fmt.Sprintf("node-%d", i) }

// Data is the template data that names the nodes in a lesson's texts: Node1, Node2….
func (n Nodes) Data() map[string]any {
	data := map[string]any{}
	for lesson, name := range n {
		data["Node"+lesson[len("node-"):]] = name
	}
	return data
}

// Rename replaces every node the lesson names in s, as a whole word ("node=node-2",
// "kube-proxy/node-1", "node-1's"; not "node-10" when only node-1 is known, nor "my-node-1"),
// with the cluster's.
func (n Nodes) Rename(s string) string {
	matches := lessonNode.FindAllStringIndex(s, -1)
	if len(matches) == 0 {
		return s
	}
	out, last := make([]byte, 0, len(s)), 0
	for _, m := range matches {
		name, ok := n[s[m[0]:m[1]]]
		if !ok || (m[0] > 0 && wordByte(s[m[0]-1])) || continues(s[m[1]:]) {
			continue
		}
		out = append(append(out, s[last:m[0]]...), name...)
		last = m[1]
	}
	return string(append(out, s[last:]...))
}

// continues reports whether rest, what follows a node's name, continues it ("node-10",
// "node-1.example"); a full stop ends a sentence.
func continues(rest string) bool {
	switch {
	case rest == "":
		return false
	case rest[0] == '.':
		return len(rest) > 1 && wordByte(rest[1]) && rest[1] != '.'
	}
	return wordByte(rest[0])
}

// wordByte: a byte that continues a node's name.
func wordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b == '.'
}

// OnNodes is the step with the nodes it names renamed: in the command it runs or the view it
// shows, the component it waits for, the probes it reads and a literal answer. The lesson's own step is not changed.
func (s Step) OnNodes(n Nodes) Step {
	renameAll := func(m map[string]string) map[string]string {
		if m == nil {
			return nil
		}
		out := maps.Clone(m)
		for k, v := range out {
			out[k] = n.Rename(v)
		}
		return out
	}
	s.Run = n.Rename(s.Run)
	s.Step = n.Rename(s.Step) // kube-proxy/node-1
	s.Show = n.Rename(s.Show)
	s.RunArgs = renameAll(s.RunArgs)
	s.SayArgs = renameAll(s.SayArgs)
	if s.Quiz != nil {
		q := *s.Quiz
		q.Args = renameAll(q.Args)
		q.Answer = n.Rename(q.Answer)
		q.AnswerFrom = n.Rename(q.AnswerFrom)
		q.ChoicesFrom = n.Rename(q.ChoicesFrom)
		s.Quiz = &q
	}
	return s
}

// NodesNamed is the most nodes a real cluster must have for the lesson: its real_nodes, or more
// when a step it plays there names a higher node-N; at least 1.
func (l Lesson) NodesNamed() int {
	most := max(l.RealNodes, 1)
	for _, s := range l.Steps {
		if s.SkippedOnReal() {
			continue
		}
		refs := []string{s.Run, s.Step, s.Show}
		for _, m := range []map[string]string{s.RunArgs, s.SayArgs} {
			refs = append(refs, slices.Collect(maps.Values(m))...)
		}
		if q := s.Quiz; q != nil {
			refs = append(refs, q.Answer, q.AnswerFrom, q.ChoicesFrom)
			refs = append(refs, slices.Collect(maps.Values(q.Args))...)
		}
		for _, r := range refs {
			for _, m := range lessonNode.FindAllStringSubmatch(r, -1) {
				if i, err := strconv.Atoi(m[1]); err == nil {
					most = max(most, i)
				}
			}
		}
	}
	return most
}
