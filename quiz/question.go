package quiz

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/k8slearn/k8slearn/locales"
)

// Kind of question.
type Kind string

// The kinds of question.
const (
	SingleChoice Kind = "choice" // one of Choices; without choices, a yes/no question
	Multi        Kind = "multi"  // a subset of Choices
	Text         Kind = "text"   // free text (a name, a key)
	Number       Kind = "number"
	Order        Kind = "order" // put Choices in the right order
	Next         Kind = "next"  // which component acts next (answer: the engine's pending work)
)

// Choice is one option. Exactly one of Label (a message ID) and Literal (shown as is, e.g. a node
// name) is set. Key is what Grade and Reveal use: no spaces or commas.
type Choice struct {
	Key     string `json:"key" yaml:"key"`
	Label   string `json:"label,omitempty" yaml:"label,omitempty"`
	Literal string `json:"literal,omitempty" yaml:"literal,omitempty"`
	// Synonyms are more words for the choice, by language ("en", "zh"): the words the lesson's own
	// text uses for it. An answer is compared with the learner's language's and English's (see
	// Labels); the glossary's words for the parts of a cluster need no listing (terms.go).
	Synonyms map[string][]string `json:"synonyms,omitempty" yaml:"synonyms,omitempty"`
}

// Question is data. Text, Hints and Explain are message IDs; Args maps a template variable of Text
// to a probe reference whose value fills it. The expected answer is Answer (static: a choice key,
// keys "a,b", a number, a text) or AnswerFrom (a probe reference, the usual case); a Next question
// with neither asks for next-component.
type Question struct {
	ID          string            `json:"id" yaml:"id"`
	Kind        Kind              `json:"kind" yaml:"kind"`
	Text        string            `json:"text" yaml:"text"`
	Args        map[string]string `json:"args,omitempty" yaml:"args,omitempty"`
	Choices     []Choice          `json:"choices,omitempty" yaml:"choices,omitempty"`
	ChoicesFrom string            `json:"choices_from,omitempty" yaml:"choices_from,omitempty"`
	Answer      string            `json:"answer,omitempty" yaml:"answer,omitempty"`
	AnswerFrom  string            `json:"answer_from,omitempty" yaml:"answer_from,omitempty"`
	Hints       []string          `json:"hints,omitempty" yaml:"hints,omitempty"`
	Explain     string            `json:"explain,omitempty" yaml:"explain,omitempty"`
}

// Keys of the yes/no choices, and the answer for "nothing" (no owner, no component, no item).
const (
	keyYes     = "yes"
	keyNo      = "no"
	noneAnswer = "none"
)

// yesNoChoices are the choices of a choice question that lists none.
func yesNoChoices() []Choice {
	return []Choice{{Key: keyYes, Label: "common.yes"}, {Key: keyNo, Label: "common.no"}}
}

// templateVar is the shape of a template variable name. It is compiled on first use: compiling
// at package init would slow every start of the program, lesson or not.
var templateVar = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) })

// Validate checks a question without a cluster: the kind is known, message IDs are well formed,
// probe references parse and name existing probes with the right arguments and the right kind of
// value, choices are well formed, and a static answer fits the kind and the choices.
func Validate(q Question) error {
	if q.ID == "" {
		return fmt.Errorf("question has no id")
	}
	if err := validate(q); err != nil {
		return fmt.Errorf("question %s: %w", q.ID, err)
	}
	return nil
}

func validate(q Question) error {
	want, ok := answerValueKind(q.Kind)
	if !ok {
		return fmt.Errorf("unknown kind %q (choice, multi, text, number, order, next)", q.Kind)
	}
	if !locales.IsMessageID(q.Text) {
		return fmt.Errorf("text %q is not a message ID", q.Text)
	}
	for _, h := range q.Hints {
		if !locales.IsMessageID(h) {
			return fmt.Errorf("hint %q is not a message ID", h)
		}
	}
	if q.Explain != "" && !locales.IsMessageID(q.Explain) {
		return fmt.Errorf("explain %q is not a message ID", q.Explain)
	}
	if err := validateArgs(q.Args); err != nil {
		return err
	}
	if err := validateChoices(q); err != nil {
		return err
	}
	switch {
	case q.Answer != "" && q.AnswerFrom != "":
		return fmt.Errorf("give answer or answer_from, not both")
	case q.AnswerFrom != "":
		_, spec, err := checkRef(q.AnswerFrom)
		if err != nil {
			return fmt.Errorf("answer_from: %w", err)
		}
		if spec.yields != want {
			return fmt.Errorf("answer_from: a %s question needs a probe of a %s value; %s gives a %s", q.Kind, want, q.AnswerFrom, spec.yields)
		}
		return nil
	case q.Answer != "":
		return validateStaticAnswer(q)
	case q.Kind == Next:
		return nil // next-component
	}
	return fmt.Errorf("no answer: give answer or answer_from")
}

// answerValueKind is the kind of value a question of kind k expects.
func answerValueKind(k Kind) (ValueKind, bool) {
	switch k {
	case SingleChoice, Text, Next:
		return TextValue, true
	case Number:
		return NumberValue, true
	case Multi, Order:
		return ListValue, true
	}
	return "", false
}

func validateArgs(args map[string]string) error {
	vars := make([]string, 0, len(args))
	for v := range args {
		vars = append(vars, v)
	}
	sort.Strings(vars)
	for _, v := range vars {
		if !templateVar().MatchString(v) {
			return fmt.Errorf("args: %q is not a template variable name", v)
		}
		if err := ValidateRef(args[v]); err != nil {
			return fmt.Errorf("args %s: %w", v, err)
		}
	}
	return nil
}

func validateChoices(q Question) error {
	hasChoices := len(q.Choices) > 0 || q.ChoicesFrom != ""
	switch {
	case len(q.Choices) > 0 && q.ChoicesFrom != "":
		return fmt.Errorf("give choices or choices_from, not both")
	case (q.Kind == Multi || q.Kind == Order) && !hasChoices:
		return fmt.Errorf("a %s question needs choices or choices_from", q.Kind)
	case (q.Kind == Text || q.Kind == Number) && hasChoices:
		return fmt.Errorf("a %s question takes no choices", q.Kind)
	}
	if q.ChoicesFrom != "" {
		_, spec, err := checkRef(q.ChoicesFrom)
		if err != nil {
			return fmt.Errorf("choices_from: %w", err)
		}
		if spec.yields != ListValue {
			return fmt.Errorf("choices_from: %s gives a %s, not a list", q.ChoicesFrom, spec.yields)
		}
		return nil
	}
	seen := map[string]bool{}
	for i, c := range q.Choices {
		if err := checkChoiceKey(c.Key); err != nil {
			return fmt.Errorf("choice %d: %w", i+1, err)
		}
		if (c.Label == "") == (c.Literal == "") {
			return fmt.Errorf("choice %s: set exactly one of label and literal", c.Key)
		}
		if c.Label != "" && !locales.IsMessageID(c.Label) {
			return fmt.Errorf("choice %s: label %q is not a message ID", c.Key, c.Label)
		}
		k := normalize(c.Key)
		if seen[k] {
			return fmt.Errorf("choice key %q is used twice", c.Key)
		}
		seen[k] = true
		// A learner picks a choice by its number: a key that reads as another choice's number
		// would make "2" ambiguous.
		if n, err := strconv.Atoi(c.Key); err == nil && n != i+1 && n >= 1 && n <= len(q.Choices) {
			return fmt.Errorf("choice key %q is also the number of choice %d", c.Key, n)
		}
		if err := validateSynonyms(c); err != nil {
			return fmt.Errorf("choice %s: %w", c.Key, err)
		}
	}
	if q.Kind == Order && len(q.Choices) < 2 {
		return fmt.Errorf("an order question needs at least two choices")
	}
	return ambiguousWords(q.Choices)
}

func validateSynonyms(c Choice) error {
	langs := make([]string, 0, len(c.Synonyms))
	for lang := range c.Synonyms {
		langs = append(langs, lang)
	}
	sort.Strings(langs)
	for _, lang := range langs {
		if !contains(locales.Supported(), lang) {
			return fmt.Errorf("synonyms for %q: not a language (%s)", lang, strings.Join(locales.Supported(), ", "))
		}
		for _, w := range c.Synonyms[lang] {
			if normalize(w) == "" {
				return fmt.Errorf("synonyms for %s: %q is empty once normalised", lang, w)
			}
			if choiceMarker().MatchString(normalize(w)) {
				return fmt.Errorf("synonyms for %s: %q starts like a choice number", lang, w)
			}
		}
	}
	return nil
}

// ambiguousWords: no word of one choice (its key, literal, synonyms) may also name another, or the
// answer would be read as whichever comes first.
func ambiguousWords(choices []Choice) error {
	for i, c := range choices {
		words := []string{c.Key, c.Literal}
		for _, ws := range c.Synonyms {
			words = append(words, ws...)
		}
		for j, other := range choices {
			if i == j {
				continue
			}
			for _, w := range words {
				n := normalize(w)
				if n == "" {
					continue
				}
				if n == normalize(other.Key) || n == normalize(other.Literal) || sameThing(normalize(other.Key), n) ||
					(other.Literal != "" && sameThing(normalize(other.Literal), n)) || synonymOf(other, n) {
					return fmt.Errorf("%q names both choice %s and choice %s", w, c.Key, other.Key)
				}
			}
		}
	}
	return nil
}

func synonymOf(c Choice, n string) bool {
	for _, ws := range c.Synonyms {
		for _, w := range ws {
			if normalize(w) == n {
				return true
			}
		}
	}
	return false
}

// checkChoiceKey: a key is typed by learners and listed in answers, so it has no spaces and no
// list separators.
func checkChoiceKey(key string) error {
	if key == "" {
		return fmt.Errorf("empty key")
	}
	n := normalize(key)
	if n == "" {
		return fmt.Errorf("key %q is only punctuation", key)
	}
	for _, k := range []string{key, n} {
		if strings.ContainsFunc(k, isItemSeparator) || strings.ContainsFunc(k, unicode.IsSpace) {
			return fmt.Errorf("key %q contains a space or a list separator", key)
		}
	}
	return nil
}

func validateStaticAnswer(q Question) error {
	choices := q.Choices
	if q.Kind == SingleChoice && len(choices) == 0 && q.ChoicesFrom == "" {
		choices = yesNoChoices()
	}
	known := func(key string) bool {
		if q.ChoicesFrom != "" {
			return true // only known when the question is prepared
		}
		return findKey(choices, key) >= 0
	}
	switch q.Kind {
	case SingleChoice:
		if !known(q.Answer) {
			return fmt.Errorf("answer %q is not a choice key", q.Answer)
		}
	case Multi, Order:
		keys := splitKeys(q.Answer)
		seen := map[string]bool{}
		for _, k := range keys {
			if !known(k) {
				return fmt.Errorf("answer %q: %q is not a choice key", q.Answer, k)
			}
			if seen[normalize(k)] {
				return fmt.Errorf("answer %q: %q is listed twice", q.Answer, k)
			}
			seen[normalize(k)] = true
		}
		if len(keys) == 0 {
			return fmt.Errorf("answer %q lists no key", q.Answer)
		}
		if q.Kind == Order && q.ChoicesFrom == "" && len(keys) != len(choices) {
			return fmt.Errorf("answer %q must order all %d choices", q.Answer, len(choices))
		}
		if q.Kind == Order && q.ChoicesFrom == "" && positionsInOrder(choices, keys) {
			return fmt.Errorf("answer %q is the order the choices are listed in: list them in another", q.Answer)
		}
	case Number:
		if _, err := strconv.Atoi(q.Answer); err != nil {
			return fmt.Errorf("answer %q is not a number", q.Answer)
		}
	}
	return nil
}

// positionsInOrder reports whether keys name the choices in the order they are listed.
func positionsInOrder(choices []Choice, keys []string) bool {
	for i, k := range keys {
		if findKey(choices, k) != i {
			return false
		}
	}
	return true
}

// splitKeys splits a static answer "a,b, c" into keys.
func splitKeys(s string) []string {
	var out []string
	for _, k := range strings.FieldsFunc(s, isItemSeparator) {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// findKey is the index of the choice whose key is key (compared as Grade compares), or -1.
func findKey(choices []Choice, key string) int {
	k := normalize(key)
	for i, c := range choices {
		if normalize(c.Key) == k {
			return i
		}
	}
	return -1
}
