package view

import (
	"unicode"

	"golang.org/x/text/width"
)

// runeWidth is the number of terminal columns r takes:
//   - 0 for control characters, combining marks and zero-width format characters;
//   - 2 for East Asian wide and full-width characters (Han, kana, full-width punctuation such as
//     ，。：, and emoji drawn wide);
//   - 1 for the rest, East Asian ambiguous characters (box drawing, ●, …) included: terminals
//     draw those narrow in practice, and the frames must line up in zh as in en.
//
// golang.org/x/text/width answers from static tables; go-runewidth, which this replaces, built a
// lookup table at package init, on every start of the program.
func runeWidth(r rune) int {
	switch {
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return 0
	case r == 0xad: // soft hyphen
		return 0
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case r >= 0x1160 && r <= 0x11ff: // Hangul medial vowels and final consonants join the syllable
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// stringWidth is the number of terminal columns s takes (without colour codes: see displayWidth).
func stringWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// truncate cuts s to at most w columns, ending it with tail when it had to be cut.
func truncate(s string, w int, tail string) string {
	if stringWidth(s) <= w {
		return s
	}
	w -= stringWidth(tail)
	used := 0
	for i, r := range s {
		rw := runeWidth(r)
		if used+rw > w {
			return s[:i] + tail
		}
		used += rw
	}
	return s + tail
}
