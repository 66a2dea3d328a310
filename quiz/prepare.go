package quiz

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Prepared is a question ready to ask: its choices and its expected answer computed from the
// cluster now.
type Prepared struct {
	Question Question
	Choices  []Choice       // static, from ChoicesFrom, or yes/no for a choice question without any
	Expected Value          // Text for choice/text/next ("" for next: the cluster is idle), Number, or List of keys
	TextArgs map[string]any // template data for Text, Hints and Explain (from Args)
}

// Prepare validates q and computes its choices, expected answer and text arguments from env.
func Prepare(q Question, env Env) (Prepared, error) {
	if err := Validate(q); err != nil {
		return Prepared{}, err
	}
	p := Prepared{Question: q, TextArgs: map[string]any{}}
	wrap := func(err error) error { return fmt.Errorf("question %s: %w", q.ID, err) }

	vars := make([]string, 0, len(q.Args))
	for v := range q.Args {
		vars = append(vars, v)
	}
	sort.Strings(vars)
	for _, v := range vars {
		val, err := Evaluate(q.Args[v], env)
		if err != nil {
			return Prepared{}, wrap(fmt.Errorf("args %s: %w", v, err))
		}
		p.TextArgs[v] = val.templateValue()
	}

	choices, err := prepareChoices(q, env)
	if err != nil {
		return Prepared{}, wrap(err)
	}
	p.Choices = choices

	expected, err := expectedValue(q, env)
	if err != nil {
		return Prepared{}, wrap(err)
	}
	if p.Expected, err = fitExpected(q.Kind, expected, choices); err != nil {
		return Prepared{}, wrap(err)
	}
	if q.Kind == Order && sameSequence(keysOf(p.Choices), p.Expected.List) {
		// Listed in the answer's order, the choices would be answered by 1,2,3: list the first last.
		p.Choices = append(p.Choices[1:], p.Choices[0])
	}
	return p, nil
}

func prepareChoices(q Question, env Env) ([]Choice, error) {
	switch {
	case q.ChoicesFrom != "":
		v, err := Evaluate(q.ChoicesFrom, env)
		if err != nil {
			return nil, fmt.Errorf("choices_from: %w", err)
		}
		items := append([]string{}, v.List...)
		if q.Kind == Order {
			sort.Strings(items) // listed in the probe's order, the choices would give the answer away
		}
		out := make([]Choice, 0, len(items))
		for _, it := range items {
			if err := checkChoiceKey(it); err != nil {
				return nil, fmt.Errorf("choices_from: %w", err)
			}
			if findKey(out, it) >= 0 {
				return nil, fmt.Errorf("choices_from: %q is listed twice", it)
			}
			out = append(out, Choice{Key: it, Literal: it})
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("choices_from: %s gave no choices", q.ChoicesFrom)
		}
		return out, nil
	case len(q.Choices) > 0:
		return append([]Choice{}, q.Choices...), nil
	case q.Kind == SingleChoice:
		return yesNoChoices(), nil
	}
	return nil, nil
}

// expectedValue is the static answer read for the kind, or the probe's value.
func expectedValue(q Question, env Env) (Value, error) {
	switch {
	case q.AnswerFrom != "":
		v, err := Evaluate(q.AnswerFrom, env)
		if err != nil {
			return Value{}, fmt.Errorf("answer_from: %w", err)
		}
		return v, nil
	case q.Answer == "" && q.Kind == Next:
		return Evaluate("next-component", env)
	}
	switch q.Kind {
	case Number:
		n, err := strconv.Atoi(q.Answer)
		if err != nil {
			return Value{}, fmt.Errorf("answer %q is not a number", q.Answer)
		}
		return numberValue(n), nil
	case Multi, Order:
		return listValue(splitKeys(q.Answer)), nil
	}
	return textValue(q.Answer), nil
}

// fitExpected checks the expected value against the kind and the choices, and puts it in the form
// grading uses: choice keys as the choices spell them, multi keys in choice order, order items
// limited to those offered.
func fitExpected(kind Kind, v Value, choices []Choice) (Value, error) {
	want, _ := answerValueKind(kind)
	if v.Kind != want {
		return Value{}, fmt.Errorf("the answer is a %s, a %s question needs a %s", v.Kind, kind, want)
	}
	switch kind {
	case SingleChoice:
		i := findKey(choices, v.Text)
		if i < 0 {
			return Value{}, fmt.Errorf("the answer %q is not among the choices (%s)", v.Text, choiceKeys(choices))
		}
		return textValue(choices[i].Key), nil
	case Text:
		if normalize(v.Text) == "" {
			return Value{}, fmt.Errorf("the answer is empty")
		}
	case Multi:
		var keys []string
		for _, c := range choices {
			for _, k := range v.List {
				if normalize(k) == normalize(c.Key) && !contains(keys, c.Key) {
					keys = append(keys, c.Key)
				}
			}
		}
		for _, k := range v.List {
			if findKey(choices, k) < 0 {
				return Value{}, fmt.Errorf("the answer's %q is not among the choices (%s)", k, choiceKeys(choices))
			}
		}
		return listValue(keys), nil
	case Order:
		// A probe may list more than the lesson offers (a component the question leaves out):
		// the learner orders what is offered.
		var seq []string
		for _, k := range v.List {
			if i := findKey(choices, k); i >= 0 && !contains(seq, choices[i].Key) {
				seq = append(seq, choices[i].Key)
			}
		}
		if len(seq) != len(choices) {
			return Value{}, fmt.Errorf("the answer (%s) does not place every choice (%s)", strings.Join(v.List, ","), choiceKeys(choices))
		}
		return listValue(seq), nil
	}
	return v, nil
}

func keysOf(choices []Choice) []string {
	keys := make([]string, len(choices))
	for i, c := range choices {
		keys[i] = c.Key
	}
	return keys
}

func choiceKeys(choices []Choice) string {
	keys := make([]string, len(choices))
	for i, c := range choices {
		keys[i] = c.Key
	}
	return strings.Join(keys, ",")
}
