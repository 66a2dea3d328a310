package quiz

import (
	"strings"

	"github.com/k8slearn/k8slearn/locales"
)

// ChoiceText is a choice as the learner sees it: its label in loc's language, or its literal.
func ChoiceText(loc *locales.Localizer, c Choice) string {
	if c.Label != "" {
		return loc.T(c.Label)
	}
	return c.Literal
}

// Labels gives every labelled choice's text in each of locs, for GradeWithLabels: a learner may
// answer with the text of the choice in either language.
func Labels(p Prepared, locs ...*locales.Localizer) map[string][]string {
	out := map[string][]string{}
	for _, c := range p.Choices {
		if c.Label == "" {
			continue
		}
		for _, loc := range locs {
			if t := loc.T(c.Label); !contains(out[c.Key], t) {
				out[c.Key] = append(out[c.Key], t)
			}
		}
	}
	return out
}

// Describe writes an answer in Reveal's or Result's form for a learner reading loc's language:
// choice keys become their texts, yes/no the language's words, "none" a word for nothing.
func Describe(loc *locales.Localizer, p Prepared, answer string) string {
	if answer == "" {
		return loc.T("quiz.grade.nothing")
	}
	switch p.Question.Kind {
	case Next:
		if answer == noneAnswer {
			return loc.T("quiz.grade.idle")
		}
		return answer
	case Number:
		return answer
	case Multi, Order:
		if answer == noneAnswer {
			return loc.T("quiz.grade.none")
		}
		items := strings.Split(answer, ",")
		for i, it := range items {
			items[i] = describeItem(loc, p.Choices, it)
		}
		return strings.Join(items, loc.T("common.list_separator"))
	}
	return describeItem(loc, p.Choices, answer)
}

func describeItem(loc *locales.Localizer, choices []Choice, item string) string {
	if i := findKey(choices, item); i >= 0 {
		return ChoiceText(loc, choices[i])
	}
	switch normalize(item) {
	case keyYes:
		return loc.YesNo(true)
	case keyNo:
		return loc.YesNo(false)
	case noneAnswer:
		return loc.T("quiz.grade.none")
	}
	return item
}

// Feedback explains a wrong answer: the expected answer against the given one, in loc's language.
func Feedback(loc *locales.Localizer, p Prepared, r Result) string {
	return loc.T("quiz.grade.expected_given", map[string]any{
		"Expected": Describe(loc, p, r.Expected),
		"Given":    Describe(loc, p, r.Given),
	})
}
