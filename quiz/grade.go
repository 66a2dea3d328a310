package quiz

import (
	"strconv"
	"strings"

	"github.com/k8slearn/k8slearn/engine/registry"
)

// Result of grading one answer.
type Result struct {
	Correct  bool
	Expected string // the expected answer as the learner would type it (Reveal's form)
	Given    string // the learner's answer, normalised, with choices resolved to their keys
}

// Grade checks input against the prepared question. Choices are accepted by key, by number (from
// 1) and by their literal text; GradeWithLabels also accepts label texts.
func Grade(p Prepared, input string) Result {
	return GradeWithLabels(p, input, nil)
}

// GradeWithLabels is Grade that also accepts the texts in labels (choice key → label texts, in any
// language) for the choices.
func GradeWithLabels(p Prepared, input string, labels map[string][]string) Result {
	r := Result{Expected: Reveal(p)}
	in := normalize(input)
	r.Given = in
	if in == "" {
		return r
	}
	switch p.Question.Kind {
	case SingleChoice:
		if key, ok := resolveChoice(p.Choices, in, labels); ok {
			r.Given = key
			r.Correct = key == p.Expected.Text
		}
	case Multi:
		keys, given, ok := resolveItems(p.Choices, in, labels)
		r.Given = given
		r.Correct = ok && sameSet(keys, p.Expected.List)
		if len(p.Expected.List) == 0 && contains(noneWords, in) {
			r.Given, r.Correct = noneAnswer, true
		}
	case Order:
		keys, given, ok := resolveItems(p.Choices, in, labels)
		r.Given = given
		r.Correct = ok && sameSequence(keys, p.Expected.List)
	case Number:
		if n, ok := parseNumber(in); ok {
			r.Given = strconv.Itoa(n)
			r.Correct = n == p.Expected.Number
		}
	case Text:
		r.Correct = textMatches(p.Expected.Text, in)
	case Next:
		if key, ok := resolveChoice(p.Choices, in, labels); ok {
			r.Given = key
		}
		r.Correct = componentMatches(p.Expected.Text, r.Given)
	}
	return r
}

// Reveal is the expected answer written exactly as Grade accepts it (for "= …" lines and the
// "show" command): a choice key, keys joined with ",", a number, the text, or a component name
// ("none" when nothing is expected).
func Reveal(p Prepared) string {
	switch p.Question.Kind {
	case Multi, Order:
		if len(p.Expected.List) == 0 {
			return noneAnswer
		}
		return strings.Join(p.Expected.List, ",")
	case Number:
		return strconv.Itoa(p.Expected.Number)
	}
	if p.Expected.Text == "" {
		return noneAnswer
	}
	return p.Expected.Text
}

// resolveChoice finds the choice a normalised answer names: by key, by literal text, by a label
// text, by number, or by a yes/no word when the choices are yes and no. A key always wins, so
// Reveal's form is never misread.
func resolveChoice(choices []Choice, in string, labels map[string][]string) (string, bool) {
	if len(choices) == 0 {
		return "", false
	}
	if i := findKey(choices, in); i >= 0 {
		return choices[i].Key, true
	}
	for _, c := range choices {
		if c.Literal != "" && normalize(c.Literal) == in {
			return c.Key, true
		}
	}
	for _, c := range choices {
		for _, l := range labels[c.Key] {
			if normalize(l) == in {
				return c.Key, true
			}
		}
	}
	if n, ok := parseNumber(in); ok && n >= 1 && n <= len(choices) {
		return choices[n-1].Key, true
	}
	if yes, ok := yesNo(in); ok {
		key := keyNo
		if yes {
			key = keyYes
		}
		if i := findKey(choices, key); i >= 0 {
			return choices[i].Key, true
		}
	}
	return "", false
}

// resolveItems reads a list of choices: items separated by commas (, ， 、) or semicolons, or by
// spaces. A comma-separated piece is first tried whole, so a label with spaces still matches. given
// lists the resolved keys, and unresolved items as typed.
func resolveItems(choices []Choice, in string, labels map[string][]string) (keys []string, given string, ok bool) {
	ok = true
	var shown []string
	add := func(item string) {
		if key, found := resolveChoice(choices, item, labels); found {
			keys = append(keys, key)
			shown = append(shown, key)
			return
		}
		ok = false
		shown = append(shown, item)
	}
	for _, piece := range strings.FieldsFunc(in, isItemSeparator) {
		piece = normalize(piece)
		if piece == "" {
			continue
		}
		if _, found := resolveChoice(choices, piece, labels); found || !strings.Contains(piece, " ") {
			add(piece)
			continue
		}
		for _, word := range strings.Fields(piece) {
			add(word)
		}
	}
	if len(keys) == 0 {
		ok = false
	}
	return keys, strings.Join(shown, ","), ok
}

func sameSet(a, b []string) bool {
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	for _, x := range b {
		if !contains(a, x) {
			return false
		}
	}
	return true
}

func sameSequence(a, b []string) bool {
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

// textMatches compares a free-text answer with the expected text. Besides equality after
// normalising, it accepts yes/no words for "yes"/"no", none-words for "none", a key with or
// without its outer slashes, and for an owner "Kind/name" any name kubectl gives the resource
// ("rs/web-…", "replicaset.apps/web-…") or the name alone.
func textMatches(expected, in string) bool {
	want := normalize(expected)
	switch {
	case want == in:
		return true
	case want == keyYes || want == keyNo:
		yes, ok := yesNo(in)
		return ok && yes == (want == keyYes)
	case want == noneAnswer:
		return contains(noneWords, in)
	case strings.Trim(want, "/") == strings.Trim(in, "/"):
		return true
	}
	kind, name, ok := strings.Cut(want, "/")
	if !ok || strings.Contains(name, "/") {
		return false
	}
	reg := registry.New()
	wantRes, ok := reg.Lookup(kind)
	if !ok {
		return false
	}
	if in == name {
		return true
	}
	gotKind, gotName, ok := strings.Cut(in, "/")
	if !ok || gotName != name {
		return false
	}
	gotRes, ok := reg.Lookup(gotKind)
	return ok && gotRes == wantRes
}
