package picture

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/work"
	"github.com/k8slearn/k8slearn/locales"
)

// hostile builds a picture whose every name is s: the node, the pod, the client (serve names it
// after the User-Agent, which anyone can send), a controller, and what the steps did.
func hostile(l *locales.Localizer, s string) Picture {
	// A component's name is KIND/NODE, and a node's name never holds a slash.
	node := strings.ReplaceAll(s, "/", "_")
	nodes := []*corev1.Node{{ObjectMeta: metav1.ObjectMeta{Name: node}}}
	pods := []*corev1.Pod{
		{ObjectMeta: metav1.ObjectMeta{Name: s}, Spec: corev1.PodSpec{NodeName: node}},
		{ObjectMeta: metav1.ObjectMeta{Name: s + "-pending"}},
	}
	entries := []cluster.TraceEntry{
		{Seq: 1, Component: s, External: true, Writes: []apiserver.Write{{Who: s, Verb: "create", Resource: "pods", Name: s}}},
		{Seq: 2, Component: node + "-controller", Trigger: work.Trigger{Kind: work.Watch, EventType: "ADDED", Resource: "pods", Name: s},
			Notes: []component.Note{{ID: "trace.note.unschedulable", Args: map[string]any{"Pod": s, "Reason": s}}}},
		{Seq: 3, Component: "kubelet/" + node, Trigger: work.Trigger{Kind: work.Runtime, Note: "trigger.pleg", Args: map[string]any{"Event": s, "Pod": "default/" + s}},
			Writes: []apiserver.Write{{Verb: "update", Resource: "pods", Subresource: "status", Name: s}}},
	}
	names := []string{node + "-controller", "default-scheduler", "kubelet/" + node, "containerd/" + node}
	return build(l, Options{Context: s, Seed: 1}, names, nodes, pods, cluster.Earlier{}, entries, 42)
}

// xmlText is what an XML parser reads back for s: characters XML cannot hold become U+FFFD.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF {
			return r
		}
		return '\uFFFD'
	}, s) // each invalid byte is a U+FFFD of its own, as encoding/xml escapes it
}

// shape is the sequence of element names of a document: a name that is not escaped right adds
// or breaks elements.
func svgShape(t testing.TB, svg string) string {
	t.Helper()
	wellFormed(t, svg)
	var b strings.Builder
	for _, m := range regexp.MustCompile(`<(/?[a-zA-Z]+)`).FindAllStringSubmatch(svg, -1) {
		b.WriteString(m[1] + " ")
	}
	return b.String()
}

func htmlShape(t testing.TB, page string) (shape, text string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(page))
	var s, txt strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return s.String(), txt.String()
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			s.WriteString(string(name) + " ")
		case html.EndTagToken:
			name, _ := z.TagName()
			s.WriteString("/" + string(name) + " ")
		case html.TextToken:
			txt.Write(z.Text())
		}
	}
}

var (
	mermaidLine = regexp.MustCompile(`^(sequenceDiagram|    title (.+)|    accDescr: (.+)|    participant (p\d+|api|etcd) as (.+)|` +
		`    Note over (p\d+|api|etcd)(,(p\d+|api|etcd))?: (.+)|    (p\d+|api|etcd)(->>|-->>)(p\d+|api|etcd): (.+))$`)
	mermaidEntity    = regexp.MustCompile(`#(\d+);`)
	mermaidStyleLine = regexp.MustCompile(`(style|classDef).*:\S*#.*;`)
)

// mermaidDecode turns Mermaid's entity codes back into characters.
func mermaidDecode(s string) string {
	return mermaidEntity.ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.Atoi(mermaidEntity.FindStringSubmatch(m)[1])
		return string(rune(n))
	})
}

// checkMermaid checks every line against the statements the diagram uses, and that no text
// holds what would end it early, and returns the texts decoded.
func checkMermaid(t testing.TB, text string) string {
	t.Helper()
	var texts strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		// What Mermaid's encodeEntities does to a line before it parses (mermaidAPI.ts).
		if mermaidStyleLine.MatchString(line) {
			t.Fatalf("Mermaid would drop the last ';' of %q", line)
		}
		m := mermaidLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("not a statement Mermaid reads as intended: %q", line)
		}
		for _, part := range []string{m[2], m[3], m[5], m[9], m[13]} {
			rest := mermaidEntity.ReplaceAllString(part, "")
			if strings.ContainsAny(rest, "#;<>&%\"`{}\r\n") || strings.HasPrefix(strings.ToLower(part), "wrap:") || strings.HasPrefix(strings.ToLower(part), "nowrap:") {
				t.Fatalf("unescaped syntax in the Mermaid text %q", part)
			}
			texts.WriteString(mermaidDecode(part) + "\n")
		}
	}
	return texts.String()
}

var dotString1 = regexp.MustCompile(`"((?:\\.|[^"\\])*)"`)

// checkDOT checks that the only characters outside quoted strings are DOT's own syntax, that
// strings use no escape but \\, \" and \n, and returns the strings decoded.
func checkDOT(t testing.TB, dot string) string {
	t.Helper()
	outside := dotString1.ReplaceAllString(dot, "S")
	for _, r := range outside {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" \n_{}[];=,->.#", r))) {
			t.Fatalf("DOT has %q outside its strings:\n%s", r, outside)
		}
	}
	var texts strings.Builder
	for _, m := range dotString1.FindAllStringSubmatch(dot, -1) {
		s := m[1]
		for i := 0; i < len(s); i++ {
			if s[i] == '\\' {
				if i+1 >= len(s) || !strings.ContainsRune(`\"n`, rune(s[i+1])) {
					t.Fatalf("DOT string with a stray escape: %q", s)
				}
				i++
			}
		}
		s = strings.NewReplacer(`\\`, `\`, `\"`, `"`, `\n`, "\n").Replace(s)
		texts.WriteString(s + "\n")
	}
	return texts.String()
}

// printable is s as the text formats keep it: controls as spaces, invalid UTF-8 as U+FFFD.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' { // Mermaid's line separators too
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// escaping is what checkEscaping compares with: the documents of a harmless name.
type escaping struct {
	l                   *locales.Localizer
	svgShape, htmlShape string
}

func newEscaping(t testing.TB) escaping {
	l := localizer(t, "en")
	plain := hostile(l, "x")
	page, err := plain.HTML(PageOptions{Live: true, Control: "c0ffee"})
	if err != nil {
		t.Fatal(err)
	}
	shape, _ := htmlShape(t, page)
	return escaping{l: l, svgShape: svgShape(t, plain.SVG(SVGOptions{Titled: true})), htmlShape: shape}
}

func (e escaping) check(t *testing.T, s string) {
	t.Helper()
	p := hostile(e.l, s)
	if got := svgShape(t, p.SVG(SVGOptions{Titled: true})); got != e.svgShape {
		t.Fatalf("the name %q changed the SVG's elements:\n got %s\nwant %s", s, got, e.svgShape)
	}
	if text := wellFormed(t, p.SVG(SVGOptions{Titled: true, Steps: true})); !strings.Contains(text, xmlText(s)) {
		t.Fatalf("the SVG does not show the name %q", s)
	}
	page, err := p.HTML(PageOptions{Live: true, Control: "c0ffee"})
	if err != nil {
		t.Fatal(err)
	}
	shape, text := htmlShape(t, page)
	if shape != e.htmlShape {
		t.Fatalf("the name %q changed the page's elements:\n got %s\nwant %s", s, shape, e.htmlShape)
	}
	if name := strings.TrimSpace(strings.ReplaceAll(xmlText(s), "\r", "\n")); name != "" && !strings.Contains(strings.ReplaceAll(text, "\r", "\n"), name) {
		t.Fatalf("the page does not show the name %q", s)
	}
	if texts := checkMermaid(t, p.Mermaid()); strings.TrimSpace(printable(s)) != "" && !strings.Contains(texts, strings.TrimSpace(printable(s))) {
		t.Fatalf("the Mermaid diagram does not show the name %q:\n%s", s, texts)
	}
	dotText := strings.Map(func(r rune) rune { // DOT keeps line breaks (as \n), other controls become spaces
		if r != '\n' && unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	if texts := checkDOT(t, p.DOT()); !strings.Contains(texts, dotText) {
		t.Fatalf("the DOT graph does not show the name %q", s)
	}
}

var hostileNames = []string{
	"web-64c966cf88-ng78c",
	`<script>alert(1)</script>`,
	`"><svg onload=alert(1)>`,
	"a & b ; c # d %% e",
	"wrap: now",
	"]]></text><text>",
	"line\nbreak\r\n\ttab",
	"nul\x00bell\x07esc\x1b[31m",
	"bad utf8 \xff\xfe",
	`back\slash \N \l \"quoted\"`,
	"主节点 ，中文。",
	"\u2028separator\u2029",
	"r\u2028s", // found by FuzzEscaping: a line separator inside a name
	"{{.Template}} `tick`",
	"-->> p0: forged",
	"style:#a;b classDef:c#d;",
	"\ufffe\uffff",
}

func TestEscapingOfHostileNames(t *testing.T) {
	e := newEscaping(t)
	for _, s := range hostileNames {
		e.check(t, s)
	}
}

// Graphviz, where installed, reads the DOT of hostile names.
func TestGraphvizReadsHostileNames(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("Graphviz is not installed (apt-get install -y graphviz)")
	}
	for i, s := range hostileNames {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("n%d.dot", i))
		if err := WriteFile(path, []byte(hostile(localizer(t, "en"), s).DOT())); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(dot, "-Tsvg", "-o", path+".svg", path).CombinedOutput(); err != nil {
			t.Errorf("%q: dot: %v\n%s", s, err, out)
		}
	}
}

// FuzzEscaping: whatever a name holds, every format keeps its own syntax and shows the name.
func FuzzEscaping(f *testing.F) {
	for _, s := range hostileNames {
		f.Add(s)
	}
	e := newEscaping(f)
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" || len(s) > 200 { // Kubernetes names are never empty
			return
		}
		e.check(t, s)
	})
}
