package locales

// Checks that every message is used somewhere and that every T/N call names a message that exists.
// The conventions these checks rely on are in doc.go.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// dynamicIDPrefixes lists the prefixes of IDs that code builds at run time ("component." + name).
// Every ID starting with a listed prefix counts as used when the prefix itself appears as a Go string
// literal. Keep this list short: a prefix hides its IDs from the unused check. The test fails for a
// prefix that no ID starts with or that no code mentions.
var dynamicIDPrefixes = []string{
	// "component.",
}

func TestEveryMessageIsUsed(t *testing.T) {
	root := repoRoot(t)
	refs, err := scanRepo(root)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := IDs(fallbackLang)
	if err != nil {
		t.Fatal(err)
	}
	if unused := unusedIDs(ids, refs, dynamicIDPrefixes); len(unused) > 0 {
		t.Errorf("%d message(s) in en.toml are not used by any Go source or lesson file under %s:\n  %s\n"+
			"Use them, or delete them from en.toml and zh.toml (IDs built at run time: see dynamicIDPrefixes).",
			len(unused), root, strings.Join(unused, "\n  "))
	}
	for _, problem := range prefixProblems(ids, refs, dynamicIDPrefixes) {
		t.Errorf("dynamicIDPrefixes: %s", problem)
	}
}

func TestNoUndefinedMessageIDs(t *testing.T) {
	root := repoRoot(t)
	refs, err := scanRepo(root)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := IDs(fallbackLang)
	if err != nil {
		t.Fatal(err)
	}
	for _, call := range undefinedCalls(ids, refs) {
		t.Errorf("%s: %s(%q) names a message that en.toml does not define", call.pos, call.method, call.id)
	}
}

// TestScannerOnFakeRepo checks the scanner itself on a small repository under testdata, so the two
// tests above are known to find what they should.
func TestScannerOnFakeRepo(t *testing.T) {
	refs, err := scanRepo(filepath.Join("testdata", "fakerepo"))
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{
		"greet.hello",         // T call
		"pod.count",           // N call
		"menu.quit",           // stored in a table
		"component.scheduler", // built as "component." + name
		"lesson.intro",        // lesson file
		"lesson.not_a_prefix", // lesson file mentions only "lesson.not"
		"lesson.ghost",        // only in lessons/testdata
		"only.in_test",        // only in a _test.go file
		"hidden.in_testdata",  // only in a Go file under testdata
		"never.used",
	}
	wantUnused := []string{"hidden.in_testdata", "lesson.ghost", "lesson.not_a_prefix", "never.used", "only.in_test"}
	if got := unusedIDs(ids, refs, []string{"component."}); !slices.Equal(got, wantUnused) {
		t.Errorf("unusedIDs = %v, want %v", got, wantUnused)
	}
	if got := unusedIDs(ids, refs, nil); !slices.Contains(got, "component.scheduler") {
		t.Errorf("unusedIDs without the prefix = %v, want component.scheduler among them", got)
	}

	var gotCalls []string
	for _, c := range undefinedCalls(ids, refs) {
		gotCalls = append(gotCalls, fmt.Sprintf("%s %s %s", c.pos, c.method, c.id))
	}
	wantCalls := []string{"cmd/app/main.go:22 T greet.missing", "cmd/app/main.go:23 N pod.missing"}
	if !slices.Equal(gotCalls, wantCalls) {
		t.Errorf("undefinedCalls = %v, want %v", gotCalls, wantCalls)
	}

	problems := prefixProblems(ids, refs, []string{"component.", "nothing.", "menu."})
	wantProblems := []string{
		`"menu." is not a Go string literal anywhere, so its IDs are not used`,
		`"nothing." is not the prefix of any ID`,
	}
	if !slices.Equal(problems, wantProblems) {
		t.Errorf("prefixProblems = %q, want %q", problems, wantProblems)
	}
}

func TestFindRepoRoot(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := findRepoRoot(deep); err == nil {
		t.Error("findRepoRoot without a go.mod succeeded")
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := findRepoRoot(deep)
	if err != nil || got != root {
		t.Errorf("findRepoRoot(%q) = %q, %v; want %q", deep, got, err, root)
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, err := findRepoRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// findRepoRoot returns the nearest directory at or above dir that holds go.mod.
func findRepoRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod at or above %s", dir)
		}
	}
}

// repoRefs is what a repository's sources say about message IDs.
type repoRefs struct {
	goLiterals   map[string]bool // every string literal in non-test Go files
	lessonTokens map[string]bool // every ID-shaped word in lesson files
	calls        []idCall        // T/N calls whose first argument is a string literal
}

type idCall struct {
	pos    string // path relative to the root, with the line
	method string // "T" or "N"
	id     string
}

// lessonToken finds ID-shaped words in lesson files, whatever their format.
var lessonToken = regexp.MustCompile(`[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+`)

// scanRepo reads every Go file (except _test.go files) and every file under lessons/, skipping
// testdata, vendor and hidden directories.
func scanRepo(root string) (repoRefs, error) {
	refs := repoRefs{goLiterals: map[string]bool{}, lessonTokens: map[string]bool{}}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			name := d.Name()
			if rel != "." && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasSuffix(path, "_test.go"):
			return nil
		case strings.HasSuffix(path, ".go"):
			return scanGoFile(fset, path, rel, &refs)
		case strings.HasPrefix(rel, "lessons/"):
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, tok := range lessonToken.FindAllString(string(data), -1) {
				refs.lessonTokens[tok] = true
			}
		}
		return nil
	})
	return refs, err
}

func scanGoFile(fset *token.FileSet, path, rel string, refs *repoRefs) error {
	file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution|parser.ParseComments)
	if err != nil {
		return err
	}
	if ast.IsGenerated(file) {
		return nil // messages_gen.go holds every ID; it proves nothing about use
	}
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BasicLit:
			if s, ok := stringLiteral(n); ok {
				refs.goLiterals[s] = true
			}
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "T" && sel.Sel.Name != "N") || len(n.Args) == 0 {
				return true
			}
			if lit, ok := n.Args[0].(*ast.BasicLit); ok {
				if id, ok := stringLiteral(lit); ok {
					pos := fmt.Sprintf("%s:%d", rel, fset.Position(lit.Pos()).Line)
					refs.calls = append(refs.calls, idCall{pos: pos, method: sel.Sel.Name, id: id})
				}
			}
		}
		return true
	})
	return nil
}

func stringLiteral(lit *ast.BasicLit) (string, bool) {
	if lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// unusedIDs returns the IDs (sorted) that no Go literal, lesson file or referenced dynamic prefix uses.
func unusedIDs(ids []string, refs repoRefs, prefixes []string) []string {
	var unused []string
	for _, id := range ids {
		if refs.goLiterals[id] || refs.lessonTokens[id] || coveredByPrefix(id, refs, prefixes) {
			continue
		}
		unused = append(unused, id)
	}
	sort.Strings(unused)
	return unused
}

func coveredByPrefix(id string, refs repoRefs, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(id, p) && refs.goLiterals[p] {
			return true
		}
	}
	return false
}

// undefinedCalls returns the T/N calls whose literal ID is not in ids, in the order scanRepo found
// them (files in lexical order, calls in source order).
func undefinedCalls(ids []string, refs repoRefs) []idCall {
	defined := map[string]bool{}
	for _, id := range ids {
		defined[id] = true
	}
	var calls []idCall
	for _, c := range refs.calls {
		if !defined[c.id] {
			calls = append(calls, c)
		}
	}
	return calls
}

// prefixProblems reports dynamic prefixes that cover no ID or that no code mentions, sorted.
func prefixProblems(ids []string, refs repoRefs, prefixes []string) []string {
	var problems []string
	for _, p := range prefixes {
		covers := false
		for _, id := range ids {
			if strings.HasPrefix(id, p) {
				covers = true
				break
			}
		}
		switch {
		case !strings.HasSuffix(p, "."):
			problems = append(problems, fmt.Sprintf("%q must end with a dot", p))
		case !covers:
			problems = append(problems, fmt.Sprintf("%q is not the prefix of any ID", p))
		case !refs.goLiterals[p]:
			problems = append(problems, fmt.Sprintf("%q is not a Go string literal anywhere, so its IDs are not used", p))
		}
	}
	sort.Strings(problems)
	return problems
}
