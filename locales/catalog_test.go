package locales

// Checks on the message files themselves: both languages complete, same template variables,
// templates that execute, and Chinese punctuation.

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"
	"unicode"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// pluralForms are the CLDR plural categories each language has (go-i18n uses the same rules).
var pluralForms = map[string][]string{
	"en": {"one", "other"},
	"zh": {"other"},
}

func loadCatalog(t *testing.T, lang string) map[string]*i18n.Message {
	t.Helper()
	messages, err := readMessages(lang)
	if err != nil {
		t.Fatalf("%s: %v", lang, err)
	}
	byID := map[string]*i18n.Message{}
	for _, m := range messages {
		byID[m.ID] = m
	}
	return byID
}

// messageForms returns the non-empty plural forms of m, by name.
func messageForms(m *i18n.Message) map[string]string {
	forms := map[string]string{}
	for name, text := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other} {
		if text != "" {
			forms[name] = text
		}
	}
	return forms
}

func TestCatalogsHaveTheSameIDs(t *testing.T) {
	en := loadCatalog(t, "en")
	if len(en) == 0 {
		t.Fatal("en.toml has no messages")
	}
	for _, lang := range Supported() {
		if lang == fallbackLang {
			continue
		}
		other := loadCatalog(t, lang)
		var missing, extra []string
		for id := range en {
			if other[id] == nil {
				missing = append(missing, id)
			}
		}
		for id := range other {
			if en[id] == nil {
				extra = append(extra, id)
			}
		}
		sort.Strings(missing)
		sort.Strings(extra)
		if len(missing) > 0 {
			t.Errorf("%s.toml lacks %d message(s) that en.toml has:\n  %s", lang, len(missing), strings.Join(missing, "\n  "))
		}
		if len(extra) > 0 {
			t.Errorf("%s.toml has %d message(s) that en.toml does not:\n  %s", lang, len(extra), strings.Join(extra, "\n  "))
		}
	}
}

func TestCatalogTemplatesMatchAndExecute(t *testing.T) {
	en := loadCatalog(t, "en")
	for _, lang := range Supported() {
		catalog := loadCatalog(t, lang)
		ids := sortedMessageIDs(catalog)
		for _, id := range ids {
			m := catalog[id]
			vars, err := messageVariables(m)
			if err != nil {
				t.Errorf("%s %s: %v", lang, id, err)
				continue
			}
			if enMessage := en[id]; enMessage != nil && lang != fallbackLang {
				enVars, err := messageVariables(enMessage)
				if err == nil && !reflect.DeepEqual(vars, enVars) {
					t.Errorf("%s: template variables differ: en uses %v, %s uses %v", id, enVars, lang, vars)
				}
			}
			data := sampleData(vars)
			for form, text := range messageForms(m) {
				if _, err := executeStrict(m, text, data); err != nil {
					t.Errorf("%s %s (%s): %v", lang, id, form, err)
				}
			}
		}
	}
}

func TestCatalogPluralForms(t *testing.T) {
	for _, lang := range Supported() {
		allowed := map[string]bool{}
		for _, f := range pluralForms[lang] {
			allowed[f] = true
		}
		catalog := loadCatalog(t, lang)
		for _, id := range sortedMessageIDs(catalog) {
			for form := range messageForms(catalog[id]) {
				if !allowed[form] {
					t.Errorf("%s %s: plural form %q does not exist in %s (it has %v)", lang, id, form, lang, pluralForms[lang])
				}
			}
		}
	}
}

func TestChinesePunctuation(t *testing.T) {
	catalog := loadCatalog(t, "zh")
	for _, id := range sortedMessageIDs(catalog) {
		for form, text := range messageForms(catalog[id]) {
			if bad := asciiPunctuationInChinese(text); len(bad) > 0 {
				t.Errorf("zh %s (%s): use full-width punctuation in Chinese sentences (，。：；？！), found %q in %q", id, form, bad, text)
			}
		}
	}
}

func TestEnglishHasNoChinese(t *testing.T) {
	catalog := loadCatalog(t, "en")
	for _, id := range sortedMessageIDs(catalog) {
		for form, text := range messageForms(catalog[id]) {
			if strings.IndexFunc(text, isChinese) >= 0 {
				t.Errorf("en %s (%s) contains Chinese text: %q", id, form, text)
			}
		}
	}
}

func TestAsciiPunctuationInChinese(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Pod 已创建，正在调度。", nil},
		{"Pod 已创建, 正在调度.", []string{"建, 正", "度."}},
		{"已创建,正在调度", []string{"建,正在"}},
		{"注意: 这一步很慢", []string{"意: 这"}},
		{"查看 Pod, 然后继续", []string{"d, 然"}},
		{"为什么?", []string{"么?"}},
		{"Deployment {{.Name}} 已创建. 下一步", []string{"建. 下"}},
		{"创建了 {{.Name}}. 下一步", []string{"}. 下"}},
		{"运行 kubectl apply -f web.yaml 之后", nil},
		{"错误：{{.Err}}", nil},
		{"{{printf \"%s, %s\" .A .B}} 完成", nil},
		{"运行 `kubectl get pods, deployments` 查看", nil},
		{"步骤：1. 创建 Deployment", nil},
		{"正在等待...", nil},
		{"Error: {{.Err}}. Try again.", nil}, // no Chinese: not checked
		{"访问 http://localhost:8080 即可", nil},
	}
	for _, tt := range tests {
		if got := asciiPunctuationInChinese(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("asciiPunctuationInChinese(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// asciiPunctuationInChinese finds ASCII sentence punctuation (, . ; : ? !) used inside Chinese text:
// the mark ends a word (a space, a Chinese character or the end follows it) and Chinese text is
// right next to it on either side. Template actions and `code` are blanked out first, and a period
// after a digit ("1.") is a list number, not a sentence end. It returns each finding with a little
// context. Text without Chinese characters is not checked.
func asciiPunctuationInChinese(text string) []string {
	if strings.IndexFunc(text, isChinese) < 0 {
		return nil
	}
	runes := []rune(blankCode(text))
	orig := []rune(text)
	var found []string
	for i, r := range runes {
		if !strings.ContainsRune(",.;:?!", r) {
			continue
		}
		var next rune // 0 at the end
		if i+1 < len(runes) {
			next = runes[i+1]
		}
		if next != 0 && next != ' ' && next != '\n' && !isChinese(next) {
			continue // inside a word: web.yaml, http://, 3.5
		}
		prev := neighbour(runes, i, -1)
		if r == '.' && unicode.IsDigit(prev) {
			continue
		}
		if isChinese(prev) || isChinese(neighbour(runes, i, +1)) {
			found = append(found, string(orig[max(i-1, 0):min(i+3, len(orig))]))
		}
	}
	return found
}

// neighbour returns the nearest non-space rune before (step -1) or after (step +1) index i, or 0.
func neighbour(runes []rune, i, step int) rune {
	for j := i + step; j >= 0 && j < len(runes); j += step {
		if runes[j] != ' ' {
			return runes[j]
		}
	}
	return 0
}

// blankCode replaces template actions and `code spans` with the same number of 'x' runes, so that
// punctuation inside them is not checked and rune positions still match the original.
func blankCode(text string) string {
	var b strings.Builder
	rest := text
	for rest != "" {
		start, end := codeSpan(rest)
		if start < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:start])
		b.WriteString(strings.Repeat("x", len([]rune(rest[start:end]))))
		rest = rest[end:]
	}
	return b.String()
}

// codeSpan finds the first {{…}} action or `…` span in s, as byte offsets; start is -1 if none.
func codeSpan(s string) (start, end int) {
	action, tick := strings.Index(s, "{{"), strings.IndexByte(s, '`')
	switch {
	case action >= 0 && (tick < 0 || action < tick):
		if n := strings.Index(s[action:], "}}"); n >= 0 {
			return action, action + n + 2
		}
	case tick >= 0:
		if n := strings.IndexByte(s[tick+1:], '`'); n >= 0 {
			return tick, tick + 1 + n + 1
		}
	}
	return -1, -1
}

func isChinese(r rune) bool { return unicode.Is(unicode.Han, r) }

func sortedMessageIDs(catalog map[string]*i18n.Message) []string {
	ids := make([]string, 0, len(catalog))
	for id := range catalog {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// messageVariables returns the template fields a message uses in any plural form, as dotted paths
// ("Name", "Pod.Name"), sorted.
func messageVariables(m *i18n.Message) ([]string, error) {
	set := map[string]bool{}
	for form, text := range messageForms(m) {
		tree := parse.New(form)
		tree.Mode = parse.SkipFuncCheck
		left, right := delims(m)
		if _, err := tree.Parse(text, left, right, map[string]*parse.Tree{}); err != nil {
			return nil, fmt.Errorf("%s: %w", form, err)
		}
		collectFields(tree.Root, set)
	}
	vars := make([]string, 0, len(set))
	for v := range set {
		vars = append(vars, v)
	}
	sort.Strings(vars)
	return vars, nil
}

func delims(m *i18n.Message) (string, string) {
	left, right := m.LeftDelim, m.RightDelim
	if left == "" {
		left = "{{"
	}
	if right == "" {
		right = "}}"
	}
	return left, right
}

func collectFields(node parse.Node, set map[string]bool) {
	switch n := node.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				collectFields(c, set)
			}
		}
	case *parse.ActionNode:
		collectFields(n.Pipe, set)
	case *parse.PipeNode:
		if n != nil {
			for _, c := range n.Cmds {
				collectFields(c, set)
			}
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			collectFields(a, set)
		}
	case *parse.FieldNode:
		set[strings.Join(n.Ident, ".")] = true
	case *parse.ChainNode:
		collectFields(n.Node, set)
	case *parse.IfNode:
		collectBranch(&n.BranchNode, set)
	case *parse.RangeNode:
		collectBranch(&n.BranchNode, set)
	case *parse.WithNode:
		collectBranch(&n.BranchNode, set)
	case *parse.TemplateNode:
		collectFields(n.Pipe, set)
	}
}

func collectBranch(b *parse.BranchNode, set map[string]bool) {
	collectFields(b.Pipe, set)
	collectFields(b.List, set)
	collectFields(b.ElseList, set)
}

// sampleData builds template data that holds every variable: nested maps for dotted paths, an int for
// Count (plural messages) and a string naming the variable for the rest.
func sampleData(vars []string) map[string]any {
	data := map[string]any{}
	for _, v := range vars {
		parts := strings.Split(v, ".")
		m := data
		for _, p := range parts[:len(parts)-1] {
			child, ok := m[p].(map[string]any)
			if !ok {
				child = map[string]any{}
				m[p] = child
			}
			m = child
		}
		last := parts[len(parts)-1]
		if _, isMap := m[last].(map[string]any); isMap {
			continue
		}
		if last == "Count" {
			m[last] = 2
		} else {
			m[last] = "<" + v + ">"
		}
	}
	return data
}

// executeStrict runs one plural form of m with data, failing on any missing variable.
func executeStrict(m *i18n.Message, text string, data map[string]any) (string, error) {
	left, right := delims(m)
	tmpl, err := template.New(m.ID).Delims(left, right).Option("missingkey=error").Parse(text)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func TestMessageVariables(t *testing.T) {
	m := &i18n.Message{
		ID:    "x.y",
		One:   "{{.Count}} Pod on {{.Node}}",
		Other: "{{if .Ready}}{{.Count}} Pods{{else}}{{.Pod.Name}}{{end}} {{printf \"%s\" .Reason}}",
	}
	got, err := messageVariables(m)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Count", "Node", "Pod.Name", "Ready", "Reason"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("messageVariables = %v, want %v", got, want)
	}
	data := sampleData(got)
	for _, text := range []string{m.One, m.Other} {
		if _, err := executeStrict(m, text, data); err != nil {
			t.Errorf("executeStrict(%q): %v", text, err)
		}
	}
	if _, err := executeStrict(m, "{{.Missing}}", data); err == nil {
		t.Error("executeStrict with a missing variable succeeded, want an error")
	}
}
