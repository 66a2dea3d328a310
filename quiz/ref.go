package quiz

import (
	"fmt"
	"sort"
	"strings"
)

// Ref names a probe and its arguments, as lesson files write them: "replicaset-name deployment=web".
type Ref struct {
	Probe string
	Args  map[string]string
}

// ParseRef parses "probe-name k=v k2=v2". Names are lowercase words joined by hyphens; a value runs
// to the next space and may itself contain "=" ("selector=app=web").
func ParseRef(s string) (Ref, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return Ref{}, fmt.Errorf("empty probe reference")
	}
	if !isProbeWord(fields[0]) {
		return Ref{}, fmt.Errorf("probe reference %q: %q is not a probe name (lowercase letters, digits and hyphens)", s, fields[0])
	}
	r := Ref{Probe: fields[0], Args: map[string]string{}}
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok || v == "" {
			return Ref{}, fmt.Errorf("probe reference %q: argument %q is not key=value", s, f)
		}
		if !isProbeWord(k) {
			return Ref{}, fmt.Errorf("probe reference %q: %q is not an argument name", s, k)
		}
		if _, dup := r.Args[k]; dup {
			return Ref{}, fmt.Errorf("probe reference %q: argument %q given twice", s, k)
		}
		r.Args[k] = v
	}
	return r, nil
}

// String writes the reference back, arguments sorted by name.
func (r Ref) String() string {
	keys := make([]string, 0, len(r.Args))
	for k := range r.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := []string{r.Probe}
	for _, k := range keys {
		parts = append(parts, k+"="+r.Args[k])
	}
	return strings.Join(parts, " ")
}

// isProbeWord reports whether s is a lowercase word of letters, digits and inner hyphens that
// starts with a letter: "pod-count", "index".
func isProbeWord(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
