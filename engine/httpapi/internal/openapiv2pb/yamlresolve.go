package openapiv2pb

import (
	"strconv"
	"strings"
	"time"
)

// What type a YAML reader takes a plain scalar for decides two things here: how gnostic reads a
// JSON number (an integer field wants !!int; a number too large for a float64 becomes a !!str),
// and when the YAML of a string must be quoted to stay a string.

// The YAML tags a plain scalar resolves to (yaml.v3's resolve.go); a JSON string is always !!str.
const (
	tagStr   = "!!str"
	tagInt   = "!!int"
	tagFloat = "!!float"
	tagBool  = "!!bool"
	tagNull  = "!!null"
	tagMerge = "!!merge"
	tagTime  = "!!timestamp"
)

// resolveTag is the tag yaml.v3 resolves a plain scalar to (resolve.go's resolve with no tag).
func resolveTag(s string) string {
	if s == "" {
		return tagNull
	}
	switch c := s[0]; {
	case c == '+' || c == '-' || c >= '0' && c <= '9':
		if tag, ok := specialScalar(s); ok {
			return tag
		}
		if isTimestamp(s) {
			return tagTime
		}
		return resolveNumber(strings.ReplaceAll(s, "_", ""))
	case strings.IndexByte("yYnNtTfFoO~", c) >= 0:
		if tag, ok := specialScalar(s); ok {
			return tag
		}
	case c == '.':
		if tag, ok := specialScalar(s); ok {
			return tag
		}
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return tagFloat
		}
	}
	return tagStr
}

// specialScalar looks s up in yaml.v3's table of scalars with a fixed meaning.
func specialScalar(s string) (string, bool) {
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return tagBool, true
	case "~", "null", "Null", "NULL":
		return tagNull, true
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return tagFloat, true
	case "<<":
		return tagMerge, true
	}
	return "", false
}

// resolveNumber resolves a scalar that starts with a sign or digit, underscores removed.
func resolveNumber(plain string) string {
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return tagInt
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return tagInt
	}
	if isYAMLFloat(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return tagFloat
		}
	}
	for _, base := range [...]struct {
		prefix string
		base   int
	}{{"0b", 2}, {"0o", 8}} {
		if digits, ok := strings.CutPrefix(plain, base.prefix); ok {
			if _, err := strconv.ParseInt(digits, base.base, 64); err == nil {
				return tagInt
			}
			if _, err := strconv.ParseUint(digits, base.base, 64); err == nil {
				return tagInt
			}
		} else if digits, ok := strings.CutPrefix(plain, "-"+base.prefix); ok {
			if _, err := strconv.ParseInt("-"+digits, base.base, 64); err == nil {
				return tagInt
			}
		}
	}
	return tagStr
}

// isYAMLFloat matches yaml.v3's ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$.
func isYAMLFloat(s string) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	} else {
		if digits() == 0 {
			return false
		}
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// isTimestamp is yaml.v3's parseTimestamp: YYYY- and then one of its layouts.
func isTimestamp(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, layout := range [...]string{
		"2006-1-2T15:4:5.999999999Z07:00",
		"2006-1-2t15:4:5.999999999Z07:00",
		"2006-1-2 15:4:5.999999999",
		"2006-1-2",
	} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}
