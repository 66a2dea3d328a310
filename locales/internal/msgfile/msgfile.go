// Package msgfile reads go-i18n message files written in TOML. Only the generator (locales/gen)
// and the tests use it: the program itself runs on the messages compiled into messages_gen.go.
package msgfile

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// idPattern is the shape of a message ID: "area.name", lowercase letters, digits and underscores
// separated by dots, the first part starting with a letter.
var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)

// messageKeys are the keys a message table may hold (go-i18n's names for them).
var messageKeys = map[string]bool{
	"description": true, "hash": true, "leftdelim": true, "rightdelim": true,
	"zero": true, "one": true, "two": true, "few": true, "many": true, "other": true,
}

// Parse reads a go-i18n message file written in TOML, with BurntSushi/toml (the parser
// go-i18n itself uses). Each message is a table whose dotted header is its ID. It is stricter than
// go-i18n on purpose: an unknown key (a misspelt "other"), a message without "other", an ID of the
// wrong shape, or an ID nested inside another are errors.
func Parse(name string, data []byte) ([]*i18n.Message, error) {
	var root map[string]any
	// Files edited on Windows read the same.
	src := strings.ReplaceAll(string(data), "\r\n", "\n")
	if _, err := toml.Decode(src, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var messages []*i18n.Message
	if err := collect(name, "", root, &messages); err != nil {
		return nil, err
	}
	sort.Slice(messages, func(i, j int) bool { return messages[i].ID < messages[j].ID })
	return messages, nil
}

// collect walks nested tables: a table holding string values is a message, one holding tables is
// a step of a dotted ID. A table holding both is an ID nested inside another.
func collect(file, prefix string, table map[string]any, out *[]*i18n.Message) error {
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fields := map[string]string{}
	for _, k := range keys {
		id := k
		if prefix != "" {
			id = prefix + "." + k
		}
		switch v := table[k].(type) {
		case map[string]any:
			if err := collect(file, id, v, out); err != nil {
				return err
			}
		case string:
			fields[k] = v
		default:
			return fmt.Errorf("%s: %s: value must be a string", file, id)
		}
	}
	if len(fields) == 0 {
		return nil
	}
	if prefix == "" {
		return fmt.Errorf("%s: keys outside a [message.id] table", file)
	}
	if len(fields) != len(keys) {
		return fmt.Errorf("%s: message %q: an ID must not be the prefix of another ID", file, prefix)
	}
	if !idPattern.MatchString(prefix) {
		return fmt.Errorf("%s: %q is not a message ID (want area.name: lowercase, digits, underscores, dots)", file, prefix)
	}
	for k := range fields {
		if !messageKeys[k] {
			return fmt.Errorf("%s: message %q: unknown key %q", file, prefix, k)
		}
	}
	if strings.TrimSpace(fields["other"]) == "" {
		return fmt.Errorf("%s: message %q has no \"other\" text", file, prefix)
	}
	*out = append(*out, &i18n.Message{ID: prefix, Description: fields["description"], Hash: fields["hash"],
		LeftDelim: fields["leftdelim"], RightDelim: fields["rightdelim"], Zero: fields["zero"], One: fields["one"],
		Two: fields["two"], Few: fields["few"], Many: fields["many"], Other: fields["other"]})
	return nil
}
