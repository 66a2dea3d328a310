package view

import (
	"github.com/clipperhouse/displaywidth"
	"github.com/clipperhouse/uax29/v2/graphemes"
)

// narrow measures terminal columns by grapheme cluster (displaywidth), East Asian ambiguous
// characters (box drawing, ●, …) counted as one column whatever the locale says: terminals draw
// them narrow, and the frames must line up in zh as in en. Han, kana and full-width punctuation
// (，。：) take two; an emoji with a skin tone (👍🏽) or a joined sequence (👨‍👩‍👧) takes the two
// columns a terminal gives it, not the sum of its parts. displaywidth looks widths up in a
// compiled trie: go-runewidth built a 2 MiB table on the first non-ASCII character, which cost a
// command that prints one ▶ some 5–25 ms of its start-up.
func narrow() displaywidth.Options { return displaywidth.Options{EastAsianWidth: false} }

// stringWidth is the number of terminal columns s takes (without colour codes: see displayWidth).
func stringWidth(s string) int { return narrow().String(s) }

// truncate cuts s to at most w columns, ending it with tail when it had to be cut.
func truncate(s string, w int, tail string) string { return narrow().TruncateString(s, w, tail) }

// clusters splits s into grapheme clusters: what a terminal draws as one character, and the
// smallest piece a line may be broken between.
func clusters(s string) []string {
	var out []string
	for g := graphemes.FromString(s); g.Next(); {
		out = append(out, g.Value())
	}
	return out
}

// Width is the number of terminal columns s takes, colour codes left out: wide CJK characters
// count two. Pictures use it to size their boxes as the terminal map does.
func Width(s string) int { return displayWidth(s) }

// Truncate cuts s (without colour codes) to at most w terminal columns, ending it with … when cut.
func Truncate(s string, w int) string {
	if displayWidth(s) <= w {
		return s
	}
	return truncate(stripANSI(s), w, "…")
}
