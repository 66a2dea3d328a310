package runtime

import (
	"errors"
	"fmt"
	"strings"
)

// A small POSIX shell: enough of `sh -c '…'` for the command lines of tutorials and lessons
// (echo, sleep, exit, test and [, ;, &&, ||, while/until/for/if, $VAR, $(cmd), quotes). What it does not
// follow (pipes, redirections, background jobs, arithmetic) makes the script "unsupported":
// the container then runs silently, never pretending to do something it does not.

// part is a piece of a word: literal text, a variable, or a command substitution.
type part struct {
	kind partKind
	text string
}

type partKind int

const (
	partLit partKind = iota
	partVar          // $NAME, ${NAME}, $?
	partCmd          // $(…) or `…`
)

type word []part

// token is a word or an operator (";", "&&", "||", "|", "&", ">", "<", "(", ")").
type token struct {
	op   string
	word word
	// redir is set for op "redir": which output goes where (see redirection).
	redir *redirection
}

// redirection is an output redirection the simulation follows: ">&2", "1>&2", "2>&1", "> FILE",
// "2> FILE" (a file only swallows the output: the simulation keeps no files).
type redirection struct {
	fd     int  // 1 or 2
	to     int  // 1 or 2 for ">&N"; 0 for a file
	append bool // >>
	target word // the file
}

var errUnterminated = errors.New("unterminated quoted string")

// errUnsupported marks syntax the simulation does not follow.
var errUnsupported = errors.New("unsupported shell syntax")

// tokenize splits a script into words and operators, removing quotes.
func tokenize(src string) ([]token, error) {
	var toks []token
	var cur word
	inWord := false
	lit := func(s string) {
		if n := len(cur); n > 0 && cur[n-1].kind == partLit {
			cur[n-1].text += s
		} else {
			cur = append(cur, part{kind: partLit, text: s})
		}
		inWord = true
	}
	flush := func() {
		if inWord {
			toks = append(toks, token{word: cur})
		}
		cur, inWord = nil, false
	}
	rs := []rune(src)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == ' ' || c == '\t':
			flush()
		case c == '\n' || c == ';':
			flush()
			toks = append(toks, token{op: ";"})
		case c == '#' && !inWord:
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
			i--
		case c == '&' || c == '|':
			flush()
			if i+1 < len(rs) && rs[i+1] == c {
				toks = append(toks, token{op: string([]rune{c, c})})
				i++
			} else {
				toks = append(toks, token{op: string(c)})
			}
		case c == '>':
			fd := 1
			if inWord && len(cur) == 1 && cur[0].kind == partLit && (cur[0].text == "1" || cur[0].text == "2") {
				fd, cur, inWord = int(cur[0].text[0]-'0'), nil, false // "2>" names the stream
			}
			flush()
			r := &redirection{fd: fd}
			if i+1 < len(rs) && rs[i+1] == '>' {
				r.append = true
				i++
			}
			if i+2 < len(rs) && rs[i+1] == '&' && (rs[i+2] == '1' || rs[i+2] == '2') {
				r.to = int(rs[i+2] - '0')
				i += 2
			}
			toks = append(toks, token{op: "redir", redir: r})
		case c == '<' || c == '(' || c == ')':
			flush()
			toks = append(toks, token{op: string(c)})
		case c == '\\':
			if i+1 < len(rs) {
				i++
				if rs[i] != '\n' {
					lit(string(rs[i]))
				}
			}
		case c == '\'':
			j := i + 1
			for j < len(rs) && rs[j] != '\'' {
				j++
			}
			if j >= len(rs) {
				return nil, errUnterminated
			}
			lit(string(rs[i+1 : j]))
			i = j
		case c == '"':
			j := i + 1
			for ; j < len(rs) && rs[j] != '"'; j++ {
				switch {
				case rs[j] == '\\' && j+1 < len(rs) && strings.ContainsRune(`"\$`+"`", rs[j+1]):
					j++
					lit(string(rs[j]))
				case rs[j] == '$' || rs[j] == '`':
					p, n, err := dollar(rs[j:])
					if err != nil {
						return nil, err
					}
					cur = append(cur, p)
					j += n - 1
				default:
					lit(string(rs[j]))
				}
			}
			if j >= len(rs) {
				return nil, errUnterminated
			}
			inWord = true
			i = j
		case c == '$' || c == '`':
			p, n, err := dollar(rs[i:])
			if err != nil {
				return nil, err
			}
			cur = append(cur, p)
			inWord = true
			i += n - 1
		default:
			lit(string(c))
		}
	}
	flush()
	return toks, nil
}

// dollar reads an expansion at the start of rs ($NAME, ${NAME}, $?, $(…), `…`) and returns it
// with the number of runes it took. A lone $ is literal.
func dollar(rs []rune) (part, int, error) {
	if rs[0] == '`' {
		for j := 1; j < len(rs); j++ {
			if rs[j] == '`' {
				return part{kind: partCmd, text: string(rs[1:j])}, j + 1, nil
			}
		}
		return part{}, 0, errUnterminated
	}
	if len(rs) < 2 {
		return part{kind: partLit, text: "$"}, 1, nil
	}
	switch c := rs[1]; {
	case c == '(':
		if len(rs) > 2 && rs[2] == '(' {
			return part{}, 0, errUnsupported // $(( arithmetic ))
		}
		depth := 0
		for j := 1; j < len(rs); j++ {
			switch rs[j] {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					return part{kind: partCmd, text: string(rs[2:j])}, j + 1, nil
				}
			}
		}
		return part{}, 0, errUnterminated
	case c == '{':
		for j := 2; j < len(rs); j++ {
			if rs[j] == '}' {
				name := string(rs[2:j])
				if !validName(name) {
					return part{}, 0, errUnsupported // ${X:-default} and the like
				}
				return part{kind: partVar, text: name}, j + 1, nil
			}
		}
		return part{}, 0, errUnterminated
	case c == '?' || c == '$' || c == '#' || c == '@' || c == '*' || (c >= '0' && c <= '9'):
		return part{kind: partVar, text: string(c)}, 2, nil
	case isNameStart(c):
		j := 2
		for j < len(rs) && isNameChar(rs[j]) {
			j++
		}
		return part{kind: partVar, text: string(rs[1:j])}, j, nil
	}
	return part{kind: partLit, text: "$"}, 1, nil
}

func isNameStart(c rune) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isNameChar(c rune) bool  { return isNameStart(c) || c >= '0' && c <= '9' }

func validName(s string) bool {
	if s == "" || !isNameStart(rune(s[0])) {
		return false
	}
	for _, c := range s {
		if !isNameChar(c) {
			return false
		}
	}
	return true
}

// The parsed script.
type (
	node interface{}
	// seq is commands run one after the other.
	seq []andOr
	// andOr is a command followed by && / || commands.
	andOr struct {
		first node
		rest  []condCmd
	}
	condCmd struct {
		op  string // "&&" or "||"
		cmd node
	}
	simple struct {
		words  []word
		redirs []*redirection
	}
	loopNode struct {
		until      bool
		cond, body seq
	}
	forNode struct {
		name  string
		items []word
		body  seq
	}
	ifNode struct {
		conds, bodies []seq
		els           seq
	}
)

type parser struct {
	toks []token
	i    int
}

// scriptCache keeps parsed scripts by their text. A crash-looping container runs the same
// `sh -c` at every restart: parsing it once spares a tokenizer and a parser run per restart. The
// parsed tree is never changed by running it, so one tree serves every run. A nil cache parses
// every time.
type scriptCache struct {
	parsed map[string]parsedScript
}

type parsedScript struct {
	q   seq
	err error
}

// maxCachedScripts bounds the cache: past it, it starts again empty (a node runs a handful of
// distinct scripts; a learner's typed exec commands are the rest).
const maxCachedScripts = 256

func (c *scriptCache) parse(src string) (seq, error) {
	if c == nil {
		return parseScript(src)
	}
	if p, ok := c.parsed[src]; ok {
		return p.q, p.err
	}
	q, err := parseScript(src)
	if c.parsed == nil || len(c.parsed) >= maxCachedScripts {
		c.parsed = map[string]parsedScript{}
	}
	c.parsed[src] = parsedScript{q, err}
	return q, err
}

// parseScript parses a whole script.
func parseScript(src string) (seq, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	s, err := p.seq(nil)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.toks) {
		return nil, fmt.Errorf("syntax error: unexpected %q", p.peekText())
	}
	return s, nil
}

func (p *parser) peekText() string {
	if p.i >= len(p.toks) {
		return "end of file"
	}
	t := p.toks[p.i]
	if t.op != "" {
		return t.op
	}
	return wordText(t.word)
}

// keyword reports whether the next token is the unquoted word kw.
func (p *parser) keyword(kw string) bool {
	if p.i >= len(p.toks) || p.toks[p.i].op != "" {
		return false
	}
	w := p.toks[p.i].word
	return len(w) == 1 && w[0].kind == partLit && w[0].text == kw
}

func (p *parser) skipSeparators() {
	for p.i < len(p.toks) && p.toks[p.i].op == ";" {
		p.i++
	}
}

// seq parses commands until one of the stop keywords (or the end).
func (p *parser) seq(stops []string) (seq, error) {
	var s seq
	for {
		p.skipSeparators()
		if p.i >= len(p.toks) {
			return s, nil
		}
		for _, kw := range stops {
			if p.keyword(kw) {
				return s, nil
			}
		}
		ao, err := p.andOr()
		if err != nil {
			return nil, err
		}
		s = append(s, ao)
		if p.i < len(p.toks) {
			switch p.toks[p.i].op {
			case ";":
			case "":
				return nil, fmt.Errorf("syntax error: unexpected %q", p.peekText())
			default:
				return nil, errUnsupported // |, &, redirections, subshells
			}
		}
	}
}

func (p *parser) andOr() (andOr, error) {
	first, err := p.command()
	if err != nil {
		return andOr{}, err
	}
	ao := andOr{first: first}
	for p.i < len(p.toks) && (p.toks[p.i].op == "&&" || p.toks[p.i].op == "||") {
		op := p.toks[p.i].op
		p.i++
		p.skipSeparators()
		c, err := p.command()
		if err != nil {
			return andOr{}, err
		}
		ao.rest = append(ao.rest, condCmd{op: op, cmd: c})
	}
	return ao, nil
}

func (p *parser) expect(kw string) error {
	p.skipSeparators()
	if !p.keyword(kw) {
		return fmt.Errorf("syntax error: unexpected %q (expecting %q)", p.peekText(), kw)
	}
	p.i++
	return nil
}

func (p *parser) command() (node, error) {
	switch {
	case p.keyword("while"), p.keyword("until"):
		until := p.keyword("until")
		p.i++
		cond, err := p.seq([]string{"do"})
		if err != nil {
			return nil, err
		}
		if err := p.expect("do"); err != nil {
			return nil, err
		}
		body, err := p.seq([]string{"done"})
		if err != nil {
			return nil, err
		}
		if err := p.expect("done"); err != nil {
			return nil, err
		}
		return &loopNode{until: until, cond: cond, body: body}, nil
	case p.keyword("for"):
		p.i++
		if p.i >= len(p.toks) || p.toks[p.i].op != "" || !validName(wordText(p.toks[p.i].word)) {
			return nil, fmt.Errorf("syntax error: bad for loop variable")
		}
		f := &forNode{name: wordText(p.toks[p.i].word)}
		p.i++
		if p.keyword("in") {
			p.i++
			for p.i < len(p.toks) && p.toks[p.i].op == "" {
				f.items = append(f.items, p.toks[p.i].word)
				p.i++
			}
		}
		if err := p.expect("do"); err != nil {
			return nil, err
		}
		body, err := p.seq([]string{"done"})
		if err != nil {
			return nil, err
		}
		if err := p.expect("done"); err != nil {
			return nil, err
		}
		f.body = body
		return f, nil
	case p.keyword("if"):
		p.i++
		n := &ifNode{}
		for {
			cond, err := p.seq([]string{"then"})
			if err != nil {
				return nil, err
			}
			if err := p.expect("then"); err != nil {
				return nil, err
			}
			body, err := p.seq([]string{"elif", "else", "fi"})
			if err != nil {
				return nil, err
			}
			n.conds, n.bodies = append(n.conds, cond), append(n.bodies, body)
			if p.keyword("elif") {
				p.i++
				continue
			}
			break
		}
		if p.keyword("else") {
			p.i++
			els, err := p.seq([]string{"fi"})
			if err != nil {
				return nil, err
			}
			n.els = els
		}
		if err := p.expect("fi"); err != nil {
			return nil, err
		}
		return n, nil
	}
	for _, kw := range []string{"do", "done", "then", "else", "elif", "fi", "in"} {
		if p.keyword(kw) {
			return nil, fmt.Errorf("syntax error: unexpected %q", kw)
		}
	}
	var s simple
	for p.i < len(p.toks) && (p.toks[p.i].op == "" || p.toks[p.i].op == "redir") {
		t := p.toks[p.i]
		p.i++
		if t.op == "" {
			s.words = append(s.words, t.word)
			continue
		}
		if t.redir.to == 0 {
			// > FILE: the next word is the file.
			if p.i >= len(p.toks) || p.toks[p.i].op != "" {
				return nil, fmt.Errorf("syntax error: unexpected %q", p.peekText())
			}
			t.redir.target = p.toks[p.i].word
			p.i++
		}
		s.redirs = append(s.redirs, t.redir)
	}
	if len(s.words) == 0 {
		if p.i < len(p.toks) {
			if op := p.toks[p.i].op; op == "(" || op == "<" || op == "|" || op == "&" {
				return nil, errUnsupported
			}
		}
		return nil, fmt.Errorf("syntax error: unexpected %q", p.peekText())
	}
	return &s, nil
}

// wordText is a word's literal text (expansions as written).
func wordText(w word) string {
	var b strings.Builder
	for _, p := range w {
		switch p.kind {
		case partVar:
			b.WriteString("$" + p.text)
		case partCmd:
			b.WriteString("$(" + p.text + ")")
		default:
			b.WriteString(p.text)
		}
	}
	return b.String()
}
