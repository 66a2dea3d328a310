package locales

//go:generate go run ./gen

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// fallbackLang is the language every message exists in; it fills in for anything missing elsewhere.
const fallbackLang = "en"

// Supported lists the supported language tags, in order: "en", "zh".
func Supported() []string {
	return []string{"en", "zh"}
}

func isSupported(lang string) bool {
	for _, s := range Supported() {
		if s == lang {
			return true
		}
	}
	return false
}

// Localizer renders messages in one language with English as fallback.
// The zero value renders every message as its "[id]". A Localizer is safe for concurrent use.
type Localizer struct {
	lang   string
	source messageSource

	// Messages are built the first time their ID is asked for: a start-up that shows ten
	// messages builds ten, not the thousand in the files (that alone cost more than a
	// millisecond of every start). templates keeps them for T (go-i18n caches a template's
	// parse in it); the go-i18n bundle, which N needs for plural rules, is built on the first N.
	mu        sync.Mutex
	templates map[string]*i18n.MessageTemplate
	bundle    *i18n.Bundle
	loc       *i18n.Localizer
	added     map[string]bool
}

// messageSource gives the message id in one language, or nil if that language lacks it.
type messageSource func(lang, id string) *i18n.Message

// New returns a Localizer for lang (one of Supported), with English behind it.
func New(lang string) (*Localizer, error) {
	if !isSupported(lang) {
		return nil, fmt.Errorf("locales: unsupported language %q", lang)
	}
	// The messages compiled from the TOML files by go generate: parsing TOML at every start
	// would cost more than a whole Go program's start-up. A test keeps the two in step.
	return &Localizer{lang: lang, source: compiledMessage}, nil
}

// newLocalizer builds a Localizer for lang from messages per language (for tests).
func newLocalizer(lang string, byLang map[string][]*i18n.Message) *Localizer {
	index := map[string]map[string]*i18n.Message{}
	for l, messages := range byLang {
		index[l] = map[string]*i18n.Message{}
		for _, m := range messages {
			index[l][m.ID] = m
		}
	}
	return &Localizer{lang: lang, source: func(l, id string) *i18n.Message { return index[l][id] }}
}

// load makes sure the bundle holds message id in the Localizer's language and in English.
// l.mu is held.
func (l *Localizer) load(id string) error {
	if l.bundle == nil {
		l.bundle = i18n.NewBundle(language.English)
		l.loc = i18n.NewLocalizer(l.bundle, l.lang)
		l.added = map[string]bool{}
	}
	if l.added[id] {
		return nil
	}
	l.added[id] = true
	langs := []string{fallbackLang}
	if l.lang != fallbackLang {
		langs = append(langs, l.lang)
	}
	for _, lang := range langs {
		if m := l.source(lang, id); m != nil {
			if err := l.bundle.AddMessages(language.Make(lang), m); err != nil {
				return fmt.Errorf("locales: %s: %w", lang, err)
			}
		}
	}
	return nil
}

// Lang returns the language tag the Localizer renders, e.g. "zh".
func (l *Localizer) Lang() string {
	if l == nil {
		return ""
	}
	return l.lang
}

// T renders the message id with the given template data (several maps are merged, later ones win).
// A message missing from the language falls back to English; a message missing everywhere, or one
// whose template fails, comes back as "[id]" so that tests and learners can see it — T never panics.
func (l *Localizer) T(id string, data ...map[string]any) string {
	return l.localize(id, nil, mergeData(data))
}

// N renders the plural form of message id that fits count (go-i18n PluralCount). The template data
// holds "Count" (= count) unless the caller sets it.
func (l *Localizer) N(id string, count int, data ...map[string]any) string {
	merged := mergeData(data)
	if merged == nil {
		merged = map[string]any{}
	}
	if _, ok := merged["Count"]; !ok {
		merged["Count"] = count
	}
	return l.localize(id, count, merged)
}

// Error renders err as the single line the CLI prints before it exits ("Error: …").
func (l *Localizer) Error(err error) string {
	if err == nil {
		return ""
	}
	return l.T("error.prefix", map[string]any{"Err": err.Error()})
}

// YesNo renders a boolean as the word "yes" or "no" in the Localizer's language.
func (l *Localizer) YesNo(b bool) string {
	if b {
		return l.T("common.yes")
	}
	return l.T("common.no")
}

func (l *Localizer) localize(id string, count any, data map[string]any) string {
	if l == nil || l.source == nil {
		return missing(id)
	}
	if count == nil {
		return l.withoutPlural(id, data)
	}
	return l.viaBundle(id, count, data)
}

// withoutPlural renders message id in its "other" form, as go-i18n's Localizer does when no
// plural count is given, but without building a go-i18n bundle: NewBundle parses the plural rules
// of some two hundred languages, a visible part of a short run's start-up that only plural
// messages (N) need.
func (l *Localizer) withoutPlural(id string, data map[string]any) string {
	mt := l.template(id)
	if mt == nil {
		return missing(id)
	}
	var templateData any
	if data != nil {
		templateData = data
	}
	text, err := mt.Execute("other", templateData, nil)
	if err != nil {
		return missing(id)
	}
	return text
}

// template returns message id's template in the Localizer's language, or in English if the
// language lacks it; nil if neither has it.
func (l *Localizer) template(id string) *i18n.MessageTemplate {
	l.mu.Lock()
	defer l.mu.Unlock()
	if mt, ok := l.templates[id]; ok {
		return mt
	}
	m := l.source(l.lang, id)
	if m == nil {
		m = l.source(fallbackLang, id)
	}
	var mt *i18n.MessageTemplate
	if m != nil {
		mt = i18n.NewMessageTemplate(m)
	}
	if l.templates == nil {
		l.templates = map[string]*i18n.MessageTemplate{}
	}
	l.templates[id] = mt
	return mt
}

// viaBundle renders message id with go-i18n's bundle and localizer.
func (l *Localizer) viaBundle(id string, count any, data map[string]any) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.load(id); err != nil {
		return missing(id)
	}
	cfg := &i18n.LocalizeConfig{MessageID: id, PluralCount: count}
	if data != nil {
		cfg.TemplateData = data
	}
	text, tag, err := l.loc.LocalizeWithTag(cfg)
	if err == nil {
		return text
	}
	// go-i18n reports an English fallback as MessageNotFoundErr while still returning the English text.
	var notFound *i18n.MessageNotFoundErr
	if errors.As(err, &notFound) && tag != language.Und && text != "" {
		return text
	}
	return missing(id)
}

func missing(id string) string { return "[" + id + "]" }

func mergeData(data []map[string]any) map[string]any {
	if len(data) == 0 {
		return nil
	}
	merged := map[string]any{}
	for _, d := range data {
		for k, v := range d {
			merged[k] = v
		}
	}
	return merged
}

// IDs returns all message IDs of a language (sorted), for tests in other packages.
func IDs(lang string) ([]string, error) {
	if !isSupported(lang) {
		return nil, fmt.Errorf("locales: unsupported language %q", lang)
	}
	ids := compiledIDs(lang)
	sort.Strings(ids)
	return ids, nil
}

// IsMessageID reports whether s has the shape of a message ID: dot-separated lower-case words
// (a-z, 0-9, _), at least two, the first starting with a letter; "cli.flag.seed" is one.
func IsMessageID(s string) bool {
	words := strings.Split(s, ".")
	if len(words) < 2 || words[0] == "" || words[0][0] < 'a' || words[0][0] > 'z' {
		return false
	}
	for _, w := range words {
		if w == "" {
			return false
		}
		for _, r := range w {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
				return false
			}
		}
	}
	return true
}
