package view

import (
	"strings"
	"unicode"
)

// Wrap breaks text into lines of at most width display columns. Latin text breaks at spaces; CJK
// text may break between any two characters, but never before closing punctuation (，。：）…)
// or after opening punctuation (（“), as Chinese typesetting rules want. Existing line breaks stay.
func Wrap(text string, width int) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		out = append(out, wrapLine(para, width)...)
	}
	return out
}

func wrapLine(s string, width int) []string {
	if displayWidth(s) <= width {
		return []string{s}
	}
	indent := len(s) - len(strings.TrimLeft(s, " "))
	prefix := s[:indent]
	var lines []string
	var cur []rune
	curW := displayWidth(prefix)
	lastBreak := -1 // index in cur after which a break is allowed
	flush := func(upTo int) {
		lines = append(lines, prefix+strings.TrimRight(string(cur[:upTo]), " "))
		rest := []rune(strings.TrimLeft(string(cur[upTo:]), " "))
		cur = rest
		curW = displayWidth(prefix) + stringWidth(string(cur))
		lastBreak = -1
	}
	runes := []rune(s[indent:])
	for i, r := range runes {
		w := runeWidth(r)
		if curW+w > width && len(cur) > 0 {
			if lastBreak > 0 {
				flush(lastBreak)
			} else if !noBreakBefore(r) {
				flush(len(cur))
			}
		}
		if r == ' ' && len(cur) == 0 {
			continue // a line never starts with the space it broke at
		}
		cur = append(cur, r)
		curW += w
		next := rune(0)
		if i+1 < len(runes) {
			next = runes[i+1]
		}
		if breakAfter(r, next) {
			lastBreak = len(cur)
		}
	}
	if len(cur) > 0 {
		lines = append(lines, prefix+string(cur))
	}
	return lines
}

// breakAfter reports whether a line may end after r when next follows.
func breakAfter(r, next rune) bool {
	if next == 0 || noBreakBefore(next) || noBreakAfter(r) {
		return false
	}
	return r == ' ' || isCJK(r) || isCJK(next)
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

func noBreakBefore(r rune) bool {
	return strings.ContainsRune("，。：；！？）」』》、…,.;:!?)", r)
}
func noBreakAfter(r rune) bool { return strings.ContainsRune("（「『《“(", r) }
