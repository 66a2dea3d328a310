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
	var cur []string // the grapheme clusters of the line being built
	curW := displayWidth(prefix)
	lastBreak := -1 // index in cur after which a break is allowed
	flush := func(upTo int) {
		lines = append(lines, prefix+strings.TrimRight(strings.Join(cur[:upTo], ""), " "))
		rest := cur[upTo:]
		for len(rest) > 0 && rest[0] == " " {
			rest = rest[1:]
		}
		cur = append([]string(nil), rest...)
		curW = displayWidth(prefix) + displayWidth(strings.Join(cur, ""))
		lastBreak = -1
	}
	gs := tokens(s[indent:])
	for i, g := range gs {
		w, r := displayWidth(g), firstRune(g)
		if curW+w > width && len(cur) > 0 {
			if lastBreak > 0 {
				flush(lastBreak)
			} else if !noBreakBefore(r) {
				flush(len(cur))
			}
		}
		if g == " " && len(cur) == 0 {
			continue // a line never starts with the space it broke at
		}
		cur = append(cur, g)
		curW += w
		next := rune(0)
		if i+1 < len(gs) {
			next = firstRune(gs[i+1])
		}
		if breakAfter(r, next) {
			lastBreak = len(cur)
		}
	}
	if len(cur) > 0 {
		lines = append(lines, prefix+strings.Join(cur, ""))
	}
	return lines
}

// tokens splits s into what wrapping handles as one piece: grapheme clusters, and colour escape
// sequences, which take no column (a coloured word wraps where the plain word would).
func tokens(s string) []string {
	var out []string
	for s != "" {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return append(out, clusters(s)...)
		}
		out = append(out, clusters(s[:i])...)
		j := i + 2
		for j < len(s) && (s[j] < '@' || s[j] > '~') {
			j++
		}
		j = min(j+1, len(s))
		out = append(out, s[i:j])
		s = s[j:]
	}
	return out
}

// firstRune is the base character of a grapheme cluster, which decides where lines may break.
func firstRune(g string) rune {
	for _, r := range g {
		return r
	}
	return 0
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
