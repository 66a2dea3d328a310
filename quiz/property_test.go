package quiz

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// keyRunes are what generated keys are made of: ASCII, full-width letters and digits, CJK, and
// punctuation that normalisation treats specially.
var keyRunes = []rune("abcxyzABC0123456789-_./:ｘＹ１２是否没有个十两三.。!'\"“")

func randomKey(r *rand.Rand) string {
	n := 1 + r.IntN(8)
	var b strings.Builder
	for range n {
		b.WriteRune(keyRunes[r.IntN(len(keyRunes))])
	}
	return b.String()
}

// randomChoices returns 1..7 distinct valid keys, as Prepare would accept them.
func randomChoices(r *rand.Rand) []Choice {
	var out []Choice
	want := 1 + r.IntN(7)
	for len(out) < want {
		k := randomKey(r)
		if checkChoiceKey(k) != nil || findKey(out, k) >= 0 {
			continue
		}
		if r.IntN(2) == 0 {
			out = append(out, Choice{Key: k, Literal: k})
		} else {
			out = append(out, Choice{Key: k, Label: "quiz.label"})
		}
	}
	return out
}

func randomPrepared(r *rand.Rand, kind Kind) Prepared {
	switch kind {
	case SingleChoice:
		c := randomChoices(r)
		return prepared(kind, c, textValue(c[r.IntN(len(c))].Key))
	case Multi:
		c := randomChoices(r)
		var keys []string
		for _, ch := range c {
			if r.IntN(2) == 0 {
				keys = append(keys, ch.Key)
			}
		}
		return prepared(kind, c, listValue(keys))
	case Order:
		c := randomChoices(r)
		keys := strings.Split(choiceKeys(c), ",")
		r.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		return prepared(kind, c, listValue(keys))
	case Number:
		return prepared(kind, nil, numberValue(r.IntN(2000)-100))
	case Text:
		for {
			s := randomKey(r)
			if r.IntN(3) == 0 {
				s += " " + randomKey(r)
			}
			if normalize(s) != "" {
				return prepared(kind, nil, textValue(s))
			}
		}
	}
	names := []string{"", "deployment-controller", "replicaset-controller", "garbage-collector", "default-scheduler",
		"kubelet/node-1", "kubelet/node-2", "containerd/node-1", "containerd/node-12"}
	var choices []Choice
	if r.IntN(2) == 0 {
		choices = literals("deployment-controller", "replicaset-controller", "garbage-collector", "default-scheduler", "kubelet", "containerd")
	}
	return prepared(Next, choices, textValue(names[r.IntN(len(names))]))
}

// TestRevealIsAccepted: for every kind, Grade accepts what Reveal writes, with and without labels,
// and the Given of that grading is the revealed answer's own reading.
func TestRevealIsAccepted(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, kind := range []Kind{SingleChoice, Multi, Order, Number, Text, Next} {
		for range 2000 {
			p := randomPrepared(r, kind)
			reveal := Reveal(p)
			if res := Grade(p, reveal); !res.Correct {
				t.Fatalf("%s: Grade(Reveal = %q) = %+v; choices %v, expected %+v", kind, reveal, res, p.Choices, p.Expected)
			}
			labels := map[string][]string{}
			for _, c := range p.Choices {
				labels[c.Key] = []string{randomKey(r)}
			}
			if res := GradeWithLabels(p, reveal, labels); !res.Correct {
				t.Fatalf("%s with labels %v: Grade(Reveal = %q) = %+v; choices %v", kind, labels, reveal, res, p.Choices)
			}
		}
	}
}

// TestChoiceNumbersAreAccepted: answering by choice numbers is always right for choice, multi and
// order questions whose keys are not numbers.
func TestChoiceNumbersAreAccepted(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, kind := range []Kind{SingleChoice, Multi, Order} {
		for range 2000 {
			p := randomPrepared(r, kind)
			if hasNumericKey(p.Choices) {
				continue
			}
			var nums []string
			for _, k := range append([]string{p.Expected.Text}, p.Expected.List...) {
				if i := findKey(p.Choices, k); i >= 0 && k != "" {
					nums = append(nums, strings.Repeat(" ", r.IntN(2))+string(rune('0'+i+1)))
				}
			}
			if len(nums) == 0 {
				continue
			}
			sep := []string{",", "、", "，", " ", " , "}[r.IntN(5)]
			in := strings.Join(nums, sep)
			if res := Grade(p, in); !res.Correct {
				t.Fatalf("%s: Grade(%q) = %+v; choices %v, expected %+v", kind, in, res, p.Choices, p.Expected)
			}
		}
	}
}

// TestExampleIsNeverTheAnswer: the example under a multi or order question has the question's
// form and is never the right answer; an order example is not the listed order either when
// there are three choices or more.
func TestExampleIsNeverTheAnswer(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, kind := range []Kind{Multi, Order} {
		for range 3000 {
			p := randomPrepared(r, kind)
			if len(p.Choices) < 2 || len(p.Expected.List) == 0 || hasNumericKey(p.Choices) {
				continue // Validate refuses keys that read as choice numbers
			}
			ex := Example(p)
			res := Grade(p, ex)
			if !res.Valid() || res.Correct {
				t.Fatalf("%s: Example %q graded %+v; choices %v, expected %v", kind, ex, res, p.Choices, p.Expected.List)
			}
			if kind == Order && len(p.Choices) >= 3 && ex == joinInts(positions(p.Choices, keysOf(p.Choices))) {
				t.Fatalf("order example %q is the listed order", ex)
			}
		}
	}
}

// TestPrepareNeverListsTheOrder: an order question whose probe answer is the order the choices
// are listed in gets its choices listed in another order.
func TestPrepareNeverListsTheOrder(t *testing.T) {
	s := newSandbox(t, 3)
	s.kubectl("run nginx --image=nginx")
	s.c.Run(0)
	q := Question{ID: "o", Kind: Order, Text: "quiz.order", AnswerFrom: "actor-order",
		Choices: literals("default-scheduler", "kubelet", "containerd")}
	p, err := Prepare(q, s.env)
	if err != nil {
		t.Fatal(err)
	}
	if sameSequence(keysOf(p.Choices), p.Expected.List) {
		t.Errorf("choices %v listed in the answer's order %v", keysOf(p.Choices), p.Expected.List)
	}
	if res := Grade(p, Reveal(p)); !res.Correct {
		t.Errorf("reveal not accepted: %+v", res)
	}
}

func hasNumericKey(choices []Choice) bool {
	for _, c := range choices {
		if _, ok := parseNumber(normalize(c.Key)); ok {
			return true
		}
	}
	return false
}
