package view

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mattn/go-runewidth"
)

func TestRuneWidth(t *testing.T) {
	for r, want := range map[rune]int{
		'a': 1, ' ': 1, '\t': 0, 0x7f: 0, 0xad: 0, 0x301: 0 /* combining acute */, 0x200b: 0, /* zero-width space */
		'中': 2, '，': 2, '。': 2, '（': 2, 'ア': 2, 'Ａ': 2, '한': 2, 0x1f600: 2, /* 😀 */
		'─': 1, '│': 1, '┌': 1, '●': 1, '○': 1, '✕': 1, '✓': 1, '✗': 1, '…': 1, '━': 1, '▶': 1, '◀': 1, '·': 1, 'é': 1,
	} {
		if got := runeWidth(r); got != want {
			t.Errorf("runeWidth(%q U+%04X) = %d, want %d", r, r, got, want)
		}
	}
}

// TestRuneWidthAsGoRunewidth checks every character k8slearn prints (the message files, the lesson
// files and this package's drawings) against go-runewidth with East Asian ambiguous characters
// narrow, which the maps and wrapping were built and tested with.
func TestRuneWidthAsGoRunewidth(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../../locales/*.toml", "../../lessons/*.yaml", "*.go"} {
		found, err := filepath.Glob(pattern)
		if err != nil || len(found) == 0 {
			t.Fatalf("%s: %v (%d files)", pattern, err, len(found))
		}
		files = append(files, found...)
	}
	c := &runewidth.Condition{EastAsianWidth: false}
	seen := map[rune]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range string(data) {
			if seen[r] {
				continue
			}
			seen[r] = true
			if got, want := runeWidth(r), c.RuneWidth(r); got != want {
				t.Errorf("%s: runeWidth(%q U+%04X) = %d, go-runewidth %d", f, r, r, got, want)
			}
		}
	}
	if len(seen) < 500 {
		t.Errorf("only %d distinct characters seen: are the files there?", len(seen))
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
	} {
		if got := truncate(tt.s, tt.w, "…"); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.s, tt.w, got, tt.want)
		}
		if got, want := truncate(tt.s, tt.w, "…"), (&runewidth.Condition{}).Truncate(tt.s, tt.w, "…"); got != want {
			t.Errorf("truncate(%q, %d) = %q, go-runewidth %q", tt.s, tt.w, got, want)
		}
	}
}
