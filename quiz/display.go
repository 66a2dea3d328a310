package quiz

import (
	"fmt"
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

// ChoiceLine is a choice as it is listed under its question and revealed: "2) no".
func ChoiceLine(loc *locales.Localizer, choices []Choice, i int) string {
	return fmt.Sprintf("%d) %s", i+1, ChoiceText(loc, choices[i]))
}

// Labels gives, for GradeWithLabels, every choice's label text in each of locs and its synonyms
// for their languages: a learner may answer with the words of the choice in either language.
func Labels(p Prepared, locs ...*locales.Localizer) map[string][]string {
	out := map[string][]string{}
	add := func(key, text string) {
		if !contains(out[key], text) {
			out[key] = append(out[key], text)
		}
	}
	for _, c := range p.Choices {
		for _, loc := range locs {
			if c.Label != "" {
				add(c.Key, loc.T(c.Label))
			}
			for _, s := range c.Synonyms[loc.Lang()] {
				add(c.Key, s)
			}
		}
	}
	return out
}

// Describe writes an answer in key form (Reveal's, or a Result's Given) as plain text in loc's
// language, for an explanation: choice keys become their texts, yes/no the language's words,
// "none" a word for nothing.
func Describe(loc *locales.Localizer, p Prepared, answer string) string {
	return describe(loc, p, answer, false, "common.list_separator")
}

// RevealIn is the expected answer as the learner reads it and as the prompt accepts it, for the
// "= " line: a choice as it is listed ("2) no", "2) 否"), several joined by the language's clause
// separator, or the number, text or component, with yes, no and none in loc's language.
func RevealIn(loc *locales.Localizer, p Prepared) string {
	if p.Question.Kind == Next {
		if p.Expected.Text == "" {
			return loc.T("quiz.grade.none")
		}
		if i := findKey(p.Choices, componentKind(p.Expected.Text)); i >= 0 {
			return fmt.Sprintf("%d) %s", i+1, p.Expected.Text) // "5) kubelet/node-1"
		}
	}
	// Labels may hold commas; the clause separator (; ；) keeps the items apart.
	return describe(loc, p, Reveal(p), true, "common.clause_separator")
}

func describe(loc *locales.Localizer, p Prepared, answer string, numbered bool, separator string) string {
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
			items[i] = describeItem(loc, p.Choices, it, numbered)
		}
		return strings.Join(items, loc.T(separator))
	}
	return describeItem(loc, p.Choices, answer, numbered)
}

func describeItem(loc *locales.Localizer, choices []Choice, item string, numbered bool) string {
	if i := findKey(choices, item); i >= 0 {
		if numbered {
			return ChoiceLine(loc, choices, i)
		}
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

// Feedback explains a wrong answer: the expected answer against the given one, in loc's language,
// choices written as they are listed.
func Feedback(loc *locales.Localizer, p Prepared, r Result) string {
	return loc.T("quiz.grade.expected_given", map[string]any{
		"Expected": describe(loc, p, r.Expected, true, "common.list_separator"),
		"Given":    describe(loc, p, r.Given, true, "common.list_separator"),
	})
}

// Given is the learner's answer as Feedback writes it: after a first wrong try, the lesson says
// what it understood.
func Given(loc *locales.Localizer, p Prepared, r Result) string {
	return describe(loc, p, r.Given, true, "common.list_separator")
}
