package locales

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

func TestSupported(t *testing.T) {
	want := []string{"en", "zh"}
	if got := Supported(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Supported() = %v, want %v", got, want)
	}
	// Callers get their own copy.
	Supported()[0] = "xx"
	if got := Supported(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Supported() changed to %v after a caller modified its result", got)
	}
}

func TestNew(t *testing.T) {
	for _, lang := range Supported() {
		loc, err := New(lang)
		if err != nil {
			t.Fatalf("New(%q): %v", lang, err)
		}
		if loc.Lang() != lang {
			t.Errorf("New(%q).Lang() = %q", lang, loc.Lang())
		}
	}
	for _, lang := range []string{"", "fr", "zh-CN", "EN"} {
		if _, err := New(lang); err == nil {
			t.Errorf("New(%q) succeeded, want an error (New takes a resolved tag; see ResolveLang)", lang)
		}
	}
}

func TestRealMessages(t *testing.T) {
	tests := []struct {
		lang string
		got  func(*Localizer) string
		want string
	}{
		{"en", func(l *Localizer) string { return l.Error(errors.New("boom")) }, "Error: boom"},
		{"zh", func(l *Localizer) string { return l.Error(errors.New("boom")) }, "错误：boom"},
		{"en", func(l *Localizer) string { return l.Error(nil) }, ""},
		{"en", func(l *Localizer) string { return l.YesNo(true) + "/" + l.YesNo(false) }, "yes/no"},
		{"zh", func(l *Localizer) string { return l.YesNo(true) + "/" + l.YesNo(false) }, "是/否"},
		{"en", func(l *Localizer) string { return l.T("no.such_message") }, "[no.such_message]"},
		{"zh", func(l *Localizer) string { return l.N("no.such_message", 2) }, "[no.such_message]"},
	}
	for _, tt := range tests {
		loc, err := New(tt.lang)
		if err != nil {
			t.Fatal(err)
		}
		if got := tt.got(loc); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.lang, got, tt.want)
		}
	}
}

// testLocalizer builds a Localizer from messages written here, so T and N can be tested on cases the
// real files may not have (plurals, a missing translation, a broken template).
func testLocalizer(t *testing.T, lang string) *Localizer {
	t.Helper()
	byLang := map[string][]*i18n.Message{
		"en": {
			{ID: "pod.count", One: "{{.Count}} Pod", Other: "{{.Count}} Pods"},
			{ID: "pod.count_in", One: "one Pod in {{.Namespace}}", Other: "{{.Count}} Pods in {{.Namespace}}"},
			{ID: "greet.hello", Other: "Hello, {{.Name}}!"},
			{ID: "greet.only_english", Other: "Only in English, {{.Name}}"},
			{ID: "greet.broken", Other: "{{.Name.Missing.Deep}}"},
		},
		"zh": {
			{ID: "pod.count", Other: "{{.Count}} 个 Pod"},
			{ID: "pod.count_in", Other: "{{.Namespace}} 中有 {{.Count}} 个 Pod"},
			{ID: "greet.hello", Other: "你好，{{.Name}}！"},
			{ID: "greet.broken", Other: "{{.Name.Missing.Deep}}"},
		},
	}
	return newLocalizer(lang, byLang)
}

func TestLocalizerT(t *testing.T) {
	tests := []struct {
		lang string
		id   string
		data []map[string]any
		want string
	}{
		{"en", "greet.hello", []map[string]any{{"Name": "Ada"}}, "Hello, Ada!"},
		{"zh", "greet.hello", []map[string]any{{"Name": "Ada"}}, "你好，Ada！"},
		{"en", "greet.hello", []map[string]any{{"Name": "Ada"}, {"Name": "Bob"}}, "Hello, Bob!"},
		{"en", "greet.hello", nil, "Hello, <no value>!"},
		{"zh", "greet.only_english", []map[string]any{{"Name": "Ada"}}, "Only in English, Ada"},
		{"zh", "greet.nowhere", nil, "[greet.nowhere]"},
		{"en", "", nil, "[]"},
		{"en", "greet.broken", []map[string]any{{"Name": 3}}, "[greet.broken]"},
		{"zh", "greet.broken", []map[string]any{{"Name": 3}}, "[greet.broken]"},
	}
	for _, tt := range tests {
		if got := testLocalizer(t, tt.lang).T(tt.id, tt.data...); got != tt.want {
			t.Errorf("%s T(%q, %v) = %q, want %q", tt.lang, tt.id, tt.data, got, tt.want)
		}
	}
}

func TestLocalizerN(t *testing.T) {
	tests := []struct {
		lang  string
		id    string
		count int
		data  []map[string]any
		want  string
	}{
		{"en", "pod.count", 1, nil, "1 Pod"},
		{"en", "pod.count", 0, nil, "0 Pods"},
		{"en", "pod.count", 3, nil, "3 Pods"},
		{"zh", "pod.count", 1, nil, "1 个 Pod"},
		{"zh", "pod.count", 3, nil, "3 个 Pod"},
		{"en", "pod.count_in", 1, []map[string]any{{"Namespace": "default"}}, "one Pod in default"},
		{"en", "pod.count_in", 2, []map[string]any{{"Namespace": "default"}}, "2 Pods in default"},
		{"zh", "pod.count_in", 2, []map[string]any{{"Namespace": "default"}}, "default 中有 2 个 Pod"},
		// A caller's Count wins over the plural count (e.g. a formatted number).
		{"en", "pod.count", 2, []map[string]any{{"Count": "two"}}, "two Pods"},
		{"zh", "pod.nowhere", 2, nil, "[pod.nowhere]"},
	}
	for _, tt := range tests {
		if got := testLocalizer(t, tt.lang).N(tt.id, tt.count, tt.data...); got != tt.want {
			t.Errorf("%s N(%q, %d, %v) = %q, want %q", tt.lang, tt.id, tt.count, tt.data, got, tt.want)
		}
	}
}

func TestZeroLocalizerDoesNotPanic(t *testing.T) {
	var nilLoc *Localizer
	for _, loc := range []*Localizer{nilLoc, {}} {
		if got := loc.T("a.b"); got != "[a.b]" {
			t.Errorf("T on zero Localizer = %q, want [a.b]", got)
		}
		if got := loc.N("a.b", 2); got != "[a.b]" {
			t.Errorf("N on zero Localizer = %q, want [a.b]", got)
		}
		if got := loc.Lang(); got != "" {
			t.Errorf("Lang on zero Localizer = %q, want empty", got)
		}
	}
}

func TestIDs(t *testing.T) {
	for _, lang := range Supported() {
		ids, err := IDs(lang)
		if err != nil {
			t.Fatalf("IDs(%q): %v", lang, err)
		}
		if len(ids) == 0 {
			t.Fatalf("IDs(%q) is empty", lang)
		}
		if !sort.StringsAreSorted(ids) {
			t.Errorf("IDs(%q) is not sorted: %v", lang, ids)
		}
	}
	if _, err := IDs("fr"); err == nil {
		t.Error("IDs(\"fr\") succeeded, want an error")
	}
}

// TestCompiledMessagesMatchTheFiles keeps messages_gen.go in step with the TOML files it is
// generated from.
func TestCompiledMessagesMatchTheFiles(t *testing.T) {
	for _, lang := range Supported() {
		fromFile, err := readMessages(lang)
		if err != nil {
			t.Fatal(err)
		}
		ids := compiledIDs(lang)
		if len(ids) != len(fromFile) {
			t.Fatalf("%s: messages_gen.go has %d messages, %s.toml %d: run go generate ./locales", lang, len(ids), lang, len(fromFile))
		}
		for i := range fromFile {
			compiled := compiledMessage(lang, fromFile[i].ID)
			if ids[i] != fromFile[i].ID || compiled == nil {
				t.Fatalf("%s: message %s is missing from messages_gen.go: run go generate ./locales", lang, fromFile[i].ID)
			}
			a, b := *fromFile[i], *compiled
			a.Description, a.Hash = "", ""
			if a != b {
				t.Fatalf("%s: message %s differs from %s.toml: run go generate ./locales", lang, a.ID, lang)
			}
		}
	}
}

func TestIsMessageID(t *testing.T) {
	for s, want := range map[string]bool{
		"cli.flag.seed": true, "a.b": true, "lesson.pod.q1_2": true, "x9.y": true,
		"": false, "cli": false, "Cli.flag": false, "cli..flag": false, "cli.": false, ".cli": false,
		"9cli.flag": false, "_cli.flag": false, "cli.Flag": false, "cli.flag seed": false,
		"Generate the autocompletion script.": false, "生成.补全": false,
	} {
		if got := IsMessageID(s); got != want {
			t.Errorf("IsMessageID(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestWithoutPluralAsGoI18n checks that T, which renders without a go-i18n bundle, gives what
// go-i18n's own localizer gives: on every message of both languages, with and without template
// data, and on the test messages (English fallback, missing message, broken template).
func TestWithoutPluralAsGoI18n(t *testing.T) {
	data := []map[string]any{nil, {"Name": "x", "Count": 2, "Pod": "web-1", "Node": "node-1"}}
	check := func(loc *Localizer, ids []string) {
		t.Helper()
		for _, id := range ids {
			for _, d := range data {
				if got, want := loc.withoutPlural(id, d), loc.viaBundle(id, nil, d); got != want {
					t.Errorf("%s %s %v: T gives %q, go-i18n %q", loc.Lang(), id, d, got, want)
				}
			}
		}
	}
	for _, lang := range Supported() {
		loc, err := New(lang)
		if err != nil {
			t.Fatal(err)
		}
		ids, err := IDs(lang)
		if err != nil {
			t.Fatal(err)
		}
		check(loc, ids)
		check(testLocalizer(t, lang), []string{"greet.hello", "greet.only_english", "greet.broken", "greet.nowhere", "pod.count_in"})
	}
}

// TestLocalizerConcurrentUse renders from several goroutines at once (serve's HTTP handlers and
// its control loop share one Localizer); run with -race.
func TestLocalizerConcurrentUse(t *testing.T) {
	loc := testLocalizer(t, "zh")
	done := make(chan bool)
	for g := range 8 {
		go func() {
			for i := range 50 {
				want := fmt.Sprintf("你好，%d！", g*100+i)
				if got := loc.T("greet.hello", map[string]any{"Name": g*100 + i}); got != want {
					t.Errorf("T = %q, want %q", got, want)
				}
				if got := loc.N("pod.count", i); got != fmt.Sprintf("%d 个 Pod", i) {
					t.Errorf("N = %q", got)
				}
			}
			done <- true
		}()
	}
	for range 8 {
		<-done
	}
}
