package quiz

import (
	"math/rand/v2"
	"testing"
)

// FuzzGrade: grading never panics, is deterministic, and normalising is idempotent.
func FuzzGrade(f *testing.F) {
	for _, s := range []string{"", "3", "三", "一百零五", "1,2", "1、2 3", "yes", "是的", "kubelet/node-1", "容器运行时",
		"rs/web-1", "none", "ｗｅｂ", "\"'.", "十十", "-", ",,,", "a\u3000b", "\xff\xfe", "９９９９９９９９９９９９９９９９９９９９"} {
		f.Add(s)
	}
	r := rand.New(rand.NewPCG(5, 6))
	var ps []Prepared
	for _, kind := range []Kind{SingleChoice, Multi, Order, Number, Text, Next} {
		for range 3 {
			ps = append(ps, randomPrepared(r, kind))
		}
	}
	ps = append(ps, prepared(Text, nil, textValue("ReplicaSet/web-1")), prepared(Next, nil, textValue("")))
	f.Fuzz(func(t *testing.T, input string) {
		n := normalize(input)
		if normalize(n) != n {
			t.Errorf("normalize not idempotent: %q -> %q -> %q", input, n, normalize(n))
		}
		parseNumber(n)
		for _, p := range ps {
			a := GradeWithLabels(p, input, map[string][]string{"x": {input}})
			b := GradeWithLabels(p, input, map[string][]string{"x": {input}})
			if a != b {
				t.Errorf("Grade(%q) not deterministic: %+v vs %+v", input, a, b)
			}
		}
	})
}
