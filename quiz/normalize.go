package quiz

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// normalize is how answers and keys are compared: full-width letters, digits and punctuation
// folded to ASCII, lower case, surrounding quotes and spaces gone, inner runs of spaces made one,
// and trailing sentence punctuation (. 。 !) dropped.
func normalize(s string) string {
	s = width.Fold.String(s)
	s = strings.ToLower(s)
	s = strings.Join(strings.Fields(s), " ")
	// Quotes and trailing punctuation may nest ("web".): trim until nothing changes.
	for {
		t := strings.TrimFunc(s, isQuoteOrSpace)
		t = strings.TrimRightFunc(t, isTrailingPunct)
		if t == s {
			return s
		}
		s = t
	}
}

func isQuoteOrSpace(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune("\"'`“”‘’「」『』", r)
}

func isTrailingPunct(r rune) bool {
	return unicode.IsSpace(r) || r == '.' || r == '。' || r == '!'
}

// isItemSeparator separates the items of a multi or order answer: ASCII or Chinese commas and
// semicolons (full-width ones are folded to ASCII by normalize).
func isItemSeparator(r rune) bool {
	switch r {
	case ',', '，', '、', ';', '；':
		return true
	}
	return false
}

// Words for yes and no in English and Chinese, normalised. A Chinese question answers with its
// own verb: 会……吗？ 会 / 不会; 能……吗？ 能 / 不能.
var (
	yesWords = []string{"yes", "y", "true", "是", "对", "是的", "对的", "有", "会", "能", "可以"}
	noWords  = []string{"no", "n", "false", "否", "不", "不是", "没有", "不对", "无", "不会", "不能", "不可以"}
	// noneWords answer "none" (no owner, no component, no item).
	noneWords = []string{"none", "<none>", "nothing", "nobody", "no one", "idle", "无", "没有", "没有组件", "空"}
)

// yesNo reads a normalised yes/no answer.
func yesNo(s string) (answer, ok bool) {
	switch {
	case contains(yesWords, s):
		return true, true
	case contains(noWords, s):
		return false, true
	}
	return false, false
}

// englishNumbers are the number words a learner might spell out.
var englishNumbers = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}

// numberUnits may follow a number: 个 for a count, and seconds, since a question asking "how many
// seconds" is answered "50s", "50 seconds" or 50秒 as often as 50.
var numberUnits = []string{"个", "秒钟", "秒", "seconds", "second", "secs", "sec", "s"}

// parseNumber reads a normalised number: digits (full-width ones are already folded), an English
// word up to ten, or Chinese numerals (三, 两, 十二, 一百零五), optionally followed by a unit
// (numberUnits).
func parseNumber(s string) (int, bool) {
	for _, u := range numberUnits {
		if t, ok := strings.CutSuffix(s, u); ok {
			s = t
			break
		}
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	for i, w := range englishNumbers {
		if s == w {
			return i, true
		}
	}
	return parseChineseNumber(s)
}

// parseChineseNumber reads Chinese numerals below 10000: 零 五 两 十 十五 二十 三百零二 两千.
func parseChineseNumber(s string) (int, bool) {
	total, digit, lastUnit := 0, -1, 10000
	for i, r := range []rune(s) {
		if d, ok := chineseDigit(r); ok {
			if d == 0 {
				if len([]rune(s)) == 1 {
					return 0, true
				}
				if digit != -1 {
					return 0, false
				}
				continue // 零 between units: 一百零五
			}
			if digit != -1 {
				return 0, false // two digits in a row: 三三
			}
			digit = d
			continue
		}
		u, ok := chineseUnit(r)
		if !ok || u >= lastUnit {
			return 0, false
		}
		if digit == -1 {
			if u != 10 || i != 0 {
				return 0, false // a unit needs a digit, except a leading 十
			}
			digit = 1
		}
		total += digit * u
		digit, lastUnit = -1, u
	}
	if digit != -1 {
		total += digit
	}
	return total, true
}

func chineseDigit(r rune) (int, bool) {
	if i := strings.IndexRune("零一二三四五六七八九", r); i >= 0 {
		return len([]rune("零一二三四五六七八九"[:i])), true
	}
	switch r {
	case '〇':
		return 0, true
	case '两':
		return 2, true
	}
	return 0, false
}

func chineseUnit(r rune) (int, bool) {
	switch r {
	case '十':
		return 10, true
	case '百':
		return 100, true
	case '千':
		return 1000, true
	}
	return 0, false
}
