package view

import (
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/locales"
)

func TestStringWidth(t *testing.T) {
	for s, want := range map[string]int{
		"a": 1, " ": 1, "\t": 0, "\x7f": 0, "\u00ad": 0, "e\u0301": 1 /* e + combining acute */, "\u200b": 0, /* zero-width space */
		"中": 2, "，": 2, "。": 2, "（": 2, "ア": 2, "Ａ": 2, "한": 2, "😀": 2,
		// East Asian ambiguous: one column, as the frames are drawn.
		"─": 1, "│": 1, "┌": 1, "●": 1, "○": 1, "✕": 1, "✓": 1, "✗": 1, "…": 1, "━": 1, "▶": 1, "◀": 1, "·": 1, "é": 1,
		// Grapheme clusters: one emoji each, two columns, as terminals draw them.
		"👍🏽": 2, "👨\u200d👩\u200d👧": 2, "🏳️\u200d🌈": 2, "🇨🇳": 2,
		"调度器选择节点": 14, "web-64c966cf88": 14, "Pod 调度到 node-1。": 19,
	} {
		if got := stringWidth(s); got != want {
			t.Errorf("stringWidth(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestTruncate(t *testing.T) {
	for _, tt := range []struct {
		s    string
		w    int
		want string
	}{
		{"web-64c966cf88-jkb4f", 30, "web-64c966cf88-jkb4f"},
		{"web-64c966cf88-jkb4f", 10, "web-64c96…"},
		{"调度器选择节点", 7, "调度器…"},
		{"调度器选择节点", 8, "调度器…"},
		{"调度器选择节点", 14, "调度器选择节点"},
		{"abc", 0, "…"},
		{"ab👨\u200d👩\u200d👧cd", 5, "ab👨\u200d👩\u200d👧…"}, // the family is not cut apart
	} {
		if got := truncate(tt.s, tt.w, "…"); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.s, tt.w, got, tt.want)
		}
	}
}

// TestWrapKeepsClusters: a line break never falls inside an emoji sequence, and the widths of the
// lines count each sequence once.
func TestWrapKeepsClusters(t *testing.T) {
	family := "👨\u200d👩\u200d👧"
	in := strings.Repeat(family+" ", 6)
	lines := Wrap(in, 7)
	for _, l := range lines {
		if w := displayWidth(l); w > 7 {
			t.Errorf("line %q is %d wide, over 7", l, w)
		}
		if strings.Trim(strings.ReplaceAll(l, family, ""), " ") != "" {
			t.Errorf("line %q holds a piece of a sequence", l)
		}
	}
	if len(lines) != 3 {
		t.Errorf("6 families of width 2 with spaces in 7 columns: %d lines %q, want 3", len(lines), lines)
	}
}

// TestWrapIgnoresColour: coloured text wraps where the same text without colour does.
func TestWrapIgnoresColour(t *testing.T) {
	st := NewStyler(true)
	for _, text := range []string{
		"回答问题时直接输入答案或选项编号。回答之前可以先看看集群：kubectl get、kubectl describe、etcd、map、trace、pending、why POD。",
		"Answer a question by typing the answer, or its number. Before answering you may look around: kubectl get, kubectl describe.",
	} {
		plain := Wrap(text, 80)
		coloured := Wrap(st.Dim(text), 80)
		if len(plain) != len(coloured) {
			t.Fatalf("%d lines plain, %d coloured:\n%q\n%q", len(plain), len(coloured), plain, coloured)
		}
		for i := range plain {
			if stripANSI(coloured[i]) != plain[i] {
				t.Errorf("line %d: %q, want %q", i, stripANSI(coloured[i]), plain[i])
			}
		}
	}
	legend := MapLegend(mustLocalizer(t, "zh"), st)
	for _, l := range legend {
		if w := displayWidth(l); w > MapWidth || w < MapWidth-6 && l != legend[len(legend)-1] {
			t.Errorf("legend line of %d columns: %q", w, stripANSI(l))
		}
	}
}

func mustLocalizer(t *testing.T, lang string) *locales.Localizer {
	t.Helper()
	l, err := locales.New(lang)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestHanging(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"short", []string{"  short"}},
		{strings.TrimSpace(strings.Repeat("word ", 10)), []string{"  word word word word", "      word word word word", "      word word"}},
		{"first\nsecond", []string{"  first", "      second"}},
		{"为 web-64c966cf88-qnjj7 选中了 node-1：2 个节点中有 2 个满足条件", []string{"  为 web-64c966cf88-qnjj7", "      选中了 node-1：2 个", "      节点中有 2 个满足条", "      件"}},
	} {
		got := Hanging(tt.text, "  ", "      ", 26)
		for _, l := range got {
			if displayWidth(l) > 26 {
				t.Errorf("%q is wider than 26 columns", l)
			}
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Hanging(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
