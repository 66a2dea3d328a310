package quiz

import (
	"strconv"
	"strings"

	"github.com/clipperhouse/displaywidth"

	"github.com/k8slearn/k8slearn/locales"
)

// Format says how to answer p, in loc's language: the numbers to use, and for a multi or order
// question an example that is never the answer. A lesson shows it under the choices of a multi or
// order question, and after any answer that does not have the question's form.
func Format(loc *locales.Localizer, p Prepared) string {
	n := len(p.Choices)
	switch p.Question.Kind {
	case SingleChoice:
		if len(p.Choices) == 2 && findKey(p.Choices, keyYes) >= 0 && findKey(p.Choices, keyNo) >= 0 {
			return loc.T("quiz.format.yes_no")
		}
		return loc.T("quiz.format.choice", map[string]any{"N": n})
	case Multi:
		return loc.T("quiz.format.multi", map[string]any{"N": n, "Example": Example(p)})
	case Order:
		return loc.T("quiz.format.order", map[string]any{"N": n, "Example": Example(p)})
	case Number:
		return loc.T("quiz.format.number")
	case Next:
		if n == 0 {
			return loc.T("quiz.format.next_free")
		}
		return loc.T("quiz.format.next", map[string]any{"N": n})
	}
	return loc.T("quiz.format.text")
}

// ProblemText explains, in loc's language, why r's answer was not taken, and how to answer.
func ProblemText(loc *locales.Localizer, p Prepared, r Result, input string) string {
	data := map[string]any{"Input": shortInput(input), "Format": Format(loc, p)}
	switch r.Problem {
	case ProblemEmpty:
		return loc.T("quiz.problem.empty", data)
	case ProblemOutOfRange:
		return loc.T("quiz.problem.out_of_range", data)
	case ProblemNotANumber:
		return loc.T("quiz.problem.not_a_number", data)
	case ProblemOrderAll:
		return loc.T("quiz.problem.order_all", data)
	}
	return loc.T("quiz.problem.not_a_choice", data)
}

// shortInput is what the learner typed, cut to 40 terminal columns for quoting it back: by display
// width and whole grapheme clusters, so Chinese input is cut at the same width as English.
func shortInput(s string) string {
	return displaywidth.TruncateString(strings.TrimSpace(s), 40, "…")
}

// Example is an answer of the right form for a multi or order question, in choice numbers, that is
// never the right answer: an example that gave the answer away would teach nothing. For an order
// question it is also not the order the choices are listed in, unless there is no other (two
// choices, listed in the answer's order: Prepare prevents it).
func Example(p Prepared) string {
	n := len(p.Choices)
	answer := positions(p.Choices, p.Expected.List)
	switch p.Question.Kind {
	case Order:
		identity := make([]int, n)
		for i := range identity {
			identity[i] = i + 1
		}
		var candidates [][]int
		for shift := n - 1; shift >= 1; shift-- { // rotations: 3,1,2 then 2,3,1 …
			candidates = append(candidates, append(append([]int{}, identity[shift:]...), identity[:shift]...))
		}
		reversed := make([]int, n)
		for i := range reversed {
			reversed[i] = n - i
		}
		candidates = append(candidates, reversed, identity)
		for _, c := range candidates {
			if !equalInts(c, answer) {
				return joinInts(c)
			}
		}
	case Multi:
		for _, c := range [][]int{{1, 3}, {2, 3}, {1, 2}, {2}, {1}} {
			if c[len(c)-1] <= n && !sameIntSet(c, answer) {
				return joinInts(c)
			}
		}
	}
	return ""
}

// positions are the choice numbers (from 1) of keys.
func positions(choices []Choice, keys []string) []int {
	var out []int
	for _, k := range keys {
		if i := findKey(choices, k); i >= 0 {
			out = append(out, i+1)
		}
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func sameIntSet(a, b []int) bool {
	seen := map[int]bool{}
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			return false
		}
	}
	return len(a) == len(b)
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}
