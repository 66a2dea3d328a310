package quiz

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/k8slearn/k8slearn/engine/registry"
)

// Result of grading one answer.
type Result struct {
	// Problem says why the answer does not have the question's form (none of the choices, not a
	// number, an empty line…); "" when it does. An answer with a problem is neither right nor
	// wrong: the learner is asked again, and it costs no try.
	Problem  Problem
	Correct  bool
	Expected string // the expected answer in key form (Reveal's)
	Given    string // the learner's answer, normalised, with choices resolved to their keys
}

// Valid reports whether the answer has the question's form, so that it counts as a try.
func (r Result) Valid() bool { return r.Problem == "" }

// Problem is what makes an answer unusable.
type Problem string

// The problems an answer can have.
const (
	ProblemEmpty      Problem = "empty"        // nothing typed
	ProblemOutOfRange Problem = "out-of-range" // a choice number that does not exist
	ProblemNotAChoice Problem = "not-a-choice" // text that names none of the choices
	ProblemNotANumber Problem = "not-a-number" // a number question answered with something else
	ProblemOrderAll   Problem = "order-all"    // an order that leaves out or repeats a choice
)

// Grade checks input against the prepared question. Choices are accepted by key, by number (from
// 1), by their literal text and by the glossary's words for them; GradeWithLabels also accepts
// label texts and synonyms.
func Grade(p Prepared, input string) Result {
	return GradeWithLabels(p, input, nil)
}

// GradeWithLabels is Grade that also accepts the texts in labels (choice key → label texts and
// synonyms, in any language) for the choices.
func GradeWithLabels(p Prepared, input string, labels map[string][]string) Result {
	r := Result{Expected: Reveal(p)}
	in := normalize(input)
	r.Given = in
	if in == "" {
		r.Problem = ProblemEmpty
		return r
	}
	switch p.Question.Kind {
	case SingleChoice:
		key, problem := pickOne(p.Choices, in, labels)
		if r.Problem = problem; problem == "" {
			r.Given = key
			r.Correct = key == p.Expected.Text
		}
	case Multi:
		if _, named := resolveChoice(p.Choices, in, labels); !named && contains(noneWords, in) {
			r.Given, r.Correct = noneAnswer, len(p.Expected.List) == 0
			return r
		}
		keys, given, problem := resolveItems(p.Choices, in, labels)
		r.Given, r.Problem = given, problem
		r.Correct = problem == "" && sameSet(keys, p.Expected.List)
	case Order:
		keys, given, problem := resolveItems(p.Choices, in, labels)
		if problem == "" && (len(keys) != len(p.Choices) || !distinct(keys)) {
			problem = ProblemOrderAll
		}
		r.Given, r.Problem = given, problem
		r.Correct = problem == "" && sameSequence(keys, p.Expected.List)
	case Number:
		n, ok := parseNumber(in)
		if !ok {
			r.Problem = ProblemNotANumber
			return r
		}
		r.Given = strconv.Itoa(n)
		r.Correct = n == p.Expected.Number
	case Text:
		r.Correct = textMatches(p.Expected.Text, in)
	case Next:
		given, problem := pickComponent(p.Choices, in, labels)
		if problem != "" {
			r.Problem = problem
			return r
		}
		r.Given = given
		r.Correct = componentMatches(p.Expected.Text, r.Given)
	}
	return r
}

// Reveal is the expected answer in key form, as Grade accepts it: a choice key, keys joined with
// ",", a number, the text, or a component name ("none" when nothing is expected). RevealIn writes
// it for a learner.
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

// choiceMarker is how a choice is shown and revealed: its number and a parenthesis, "2) no".
var choiceMarker = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d+)\)\s*(.*)$`) })

// pickOne reads one choice: "2) text" as the choices are listed (the text, if any, must be that
// choice's), or anything resolveChoice reads.
func pickOne(choices []Choice, in string, labels map[string][]string) (string, Problem) {
	if m := choiceMarker().FindStringSubmatch(in); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 1 || n > len(choices) {
			return "", ProblemOutOfRange
		}
		key := choices[n-1].Key
		if text := strings.TrimSpace(m[2]); text != "" {
			if k, ok := resolveChoice(choices, text, labels); !ok || k != key {
				return "", ProblemNotAChoice
			}
		}
		return key, ""
	}
	if key, ok := resolveChoice(choices, in, labels); ok {
		return key, ""
	}
	if _, ok := parseNumber(in); ok && len(choices) > 0 {
		return "", ProblemOutOfRange
	}
	return "", ProblemNotAChoice
}

// resolveChoice finds the choice a normalised answer names: by key, by literal text, by a label
// text or synonym, by a word of the glossary, by number, or by a yes/no word when the choices are
// yes and no. A key always wins, so Reveal's form is never misread.
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
	for _, c := range choices {
		if sameThing(normalize(c.Key), in) || (c.Literal != "" && sameThing(normalize(c.Literal), in)) {
			return c.Key, true
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

// pickComponent reads an answer to "which component acts next?": a choice (by number, as listed,
// or by a word for it), a component with its node ("kubelet/node-1", "5) kubelet/node-1"), the
// program that hosts a choice, or a word for nothing. Without choices any text is taken.
func pickComponent(choices []Choice, in string, labels map[string][]string) (string, Problem) {
	if m := choiceMarker().FindStringSubmatch(in); m != nil && len(choices) > 0 {
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 1 || n > len(choices) {
			return "", ProblemOutOfRange
		}
		key, text := choices[n-1].Key, strings.TrimSpace(m[2])
		if text == "" {
			return key, ""
		}
		if k, ok := resolveChoice(choices, text, labels); ok && k == key {
			return key, ""
		}
		if namesAChoice([]Choice{choices[n-1]}, text) {
			return text, ""
		}
		return "", ProblemNotAChoice
	}
	key, problem := pickOne(choices, in, labels)
	switch {
	case problem == "":
		return key, ""
	case contains(noneWords, in):
		return noneAnswer, ""
	case len(choices) == 0 || namesAChoice(choices, in):
		return in, ""
	}
	return "", problem
}

// namesAChoice reports whether an answer to "which component acts next?" names one of the
// choices in a way resolveChoice does not read: with its node ("kubelet/node-1", "kubelet
// node-1") or by the program that hosts it ("kube-controller-manager").
func namesAChoice(choices []Choice, in string) bool {
	got := canonComponent(in)
	for _, c := range choices {
		k := canonComponent(c.Key)
		if strings.HasPrefix(got, k+"-") || contains(hostTerms(normalize(c.Key)), stripArticle(in)) {
			return true
		}
	}
	return false
}

// listMarker finds the "N) " that starts each item of a list written as the choices are shown:
// "1) kube-apiserver; 2) etcd". The space after the parenthesis keeps "(缩到 0)," in a label from
// reading as a marker.
var listMarker = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?:^|[\s,;、])(\d+)\)(?:\s|$)`) })

// resolveItems reads a list of choices: items separated by commas (, ， 、) or semicolons, or by
// spaces, or each item started by its number as the choices are shown ("2) etcd; 1) kubectl").
// A comma-separated piece is first tried whole, so a label with spaces still matches. given lists
// the resolved keys, and unresolved items as typed.
func resolveItems(choices []Choice, in string, labels map[string][]string) (keys []string, given string, problem Problem) {
	var shown []string
	add := func(key string, p Problem, typed string) {
		if p != "" {
			if problem == "" || p == ProblemOutOfRange {
				problem = p
			}
			shown = append(shown, typed)
			return
		}
		keys = append(keys, key)
		shown = append(shown, key)
	}
	if locs := listMarker().FindAllStringSubmatchIndex(in, -1); len(locs) > 0 && strings.TrimSpace(in[:locs[0][2]]) == "" {
		for i, loc := range locs {
			end := len(in)
			if i+1 < len(locs) {
				end = locs[i+1][0]
			}
			item := strings.TrimRight(in[loc[2]:end], " ,;、")
			key, p := pickOne(choices, normalize(item), labels)
			add(key, p, item)
		}
	} else {
		for _, piece := range strings.FieldsFunc(in, isItemSeparator) {
			piece = normalize(piece)
			if piece == "" {
				continue
			}
			if key, found := resolveChoice(choices, piece, labels); found || !strings.Contains(piece, " ") {
				p := Problem("")
				if !found {
					_, p = pickOne(choices, piece, labels)
				}
				add(key, p, piece)
				continue
			}
			for _, word := range strings.Fields(piece) {
				key, p := pickOne(choices, word, labels)
				add(key, p, word)
			}
		}
	}
	if len(keys) == 0 && problem == "" {
		problem = ProblemNotAChoice
	}
	return keys, strings.Join(shown, ","), problem
}

func distinct(keys []string) bool {
	for i, k := range keys {
		if contains(keys[:i], k) {
			return false
		}
	}
	return true
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
