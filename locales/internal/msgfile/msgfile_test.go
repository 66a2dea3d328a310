package msgfile

import (
	"strings"
	"testing"
)

func TestParseMessageFile(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want map[string]map[string]string // id → key → value
	}{
		{
			name: "comments blank lines and description",
			src: "# top comment\n\n[area.name]  # trailing comment\n" +
				"description = \"for translators\"\nother = \"Hello {{.Name}}\" # after value\n",
			want: map[string]map[string]string{"area.name": {"description": "for translators", "other": "Hello {{.Name}}"}},
		},
		{
			name: "escapes in basic strings",
			src:  `[a.b]` + "\n" + `other = "say \"hi\"\tnow\\n\u00e9\U0001F600"`,
			want: map[string]map[string]string{"a.b": {"other": "say \"hi\"\tnow\\n\u00e9\U0001F600"}},
		},
		{
			name: "literal strings keep backslashes",
			src:  "[a.b]\nother = 'C:\\path \"quoted\"'\n",
			want: map[string]map[string]string{"a.b": {"other": `C:\path "quoted"`}},
		},
		{
			name: "multi-line basic drops the first line break and joins backslash lines",
			src:  "[a.b]\nother = \"\"\"\nline one\nline \\\n    two\\n\"\"\"\n",
			want: map[string]map[string]string{"a.b": {"other": "line one\nline two\n"}},
		},
		{
			name: "multi-line basic with CRLF and a quote before the end",
			src:  "[a.b]\r\nother = \"\"\"\r\nx\r\n\"y\"\"\"\"\r\n",
			want: map[string]map[string]string{"a.b": {"other": "x\n\"y\""}},
		},
		{
			name: "multi-line literal",
			src:  "[a.b]\nother = '''\nkubectl get pods -o jsonpath='{.items}'\n'''\n",
			want: map[string]map[string]string{"a.b": {"other": "kubectl get pods -o jsonpath='{.items}'\n"}},
		},
		{
			name: "plural forms and delimiters",
			src:  "[pod.count]\none = \"<<.Count>> pod\"\nother = \"<<.Count>> pods\"\nleftdelim = \"<<\"\nrightdelim = \">>\"\n",
			want: map[string]map[string]string{"pod.count": {"one": "<<.Count>> pod", "other": "<<.Count>> pods", "leftdelim": "<<", "rightdelim": ">>"}},
		},
		{
			name: "chinese text and a byte order mark",
			src:  "\uFEFF[a.b]\nother = \"错误：{{.Err}}\"\n",
			want: map[string]map[string]string{"a.b": {"other": "错误：{{.Err}}"}},
		},
		{
			name: "spaces inside the header",
			src:  "[ a.b ]\nother = \"x\"",
			want: map[string]map[string]string{"a.b": {"other": "x"}},
		},
		{name: "empty file", src: "", want: map[string]map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			messages, err := Parse("x.toml", []byte(tt.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := map[string]map[string]string{}
			for _, m := range messages {
				values := map[string]string{}
				for k, v := range map[string]string{"description": m.Description, "one": m.One, "other": m.Other, "leftdelim": m.LeftDelim, "rightdelim": m.RightDelim} {
					if v != "" {
						values[k] = v
					}
				}
				got[m.ID] = values
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d messages %v, want %v", len(got), got, tt.want)
			}
			for id, want := range tt.want {
				for k, v := range want {
					if got[id][k] != v {
						t.Errorf("%s.%s = %q, want %q", id, k, got[id][k], v)
					}
				}
				if len(got[id]) != len(want) {
					t.Errorf("%s = %v, want %v", id, got[id], want)
				}
			}
		})
	}
}

func TestParseMessageFileSortsByID(t *testing.T) {
	messages, err := Parse("x.toml", []byte("[b.x]\nother = \"1\"\n[a.y]\nother = \"2\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(messages) != 2 || messages[0].ID != "a.y" || messages[1].ID != "b.x" {
		t.Fatalf("got %v, want a.y then b.x", messages)
	}
}

func TestParseMessageFileErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // substring of the error
	}{
		// Our own rules on top of TOML.
		{"key before any table", "other = \"x\"\n", "keys outside a [message.id] table"},
		{"bad ID", "[Area.Name]\nother = \"x\"\n", `"Area.Name" is not a message ID`},
		{"ID without area", "[name]\nother = \"x\"\n", `"name" is not a message ID`},
		{"nested IDs", "[a.b]\nother = \"x\"\n[a.b.c]\nother = \"y\"\n", `message "a.b": an ID must not be the prefix of another ID`},
		{"misspelt key", "[a.b]\nohter = \"x\"\n", `message "a.b": unknown key "ohter"`},
		{"missing other", "[a.b]\ndescription = \"x\"\n", `message "a.b" has no "other" text`},
		{"empty other", "[a.b]\nother = \"\"\n", `has no "other" text`},
		{"not a string", "[a.b]\nother = 3\n", "a.b.other: value must be a string"},
		// TOML syntax errors come from the TOML parser, with their line.
		{"duplicate ID", "[a.b]\nother = \"x\"\n\n[a.b]\nother = \"y\"\n", "line 4"},
		{"duplicate key", "[a.b]\nother = \"x\"\nother = \"y\"\n", "line 3"},
		{"no equals", "[a.b]\nother \"x\"\n", "line 2"},
		{"unclosed string", "[a.b]\nother = \"x\nmore\"\n", "line 2"},
		{"unclosed multi-line", "[a.b]\nother = \"\"\"\nx\n", "line 3"},
		{"unknown escape", "[a.b]\nother = \"\\q\"\n", "invalid escape"},
		{"invalid UTF-8", "[a.b]\nother = \"\xff\"\n", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.toml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded, want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}
