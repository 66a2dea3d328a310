package locales

//go:generate go run ./gen

import (
	"errors"
	"fmt"
	"sort"

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
// The zero value renders every message as its "[id]".
type Localizer struct {
	lang string
	loc  *i18n.Localizer
}

// New loads the messages of lang (one of Supported) and the English ones behind them. Other
// languages' files are not read.
func New(lang string) (*Localizer, error) {
	if !isSupported(lang) {
		return nil, fmt.Errorf("locales: unsupported language %q", lang)
	}
	load := []string{fallbackLang}
	if lang != fallbackLang {
		load = append(load, lang)
	}
	byLang := map[string][]*i18n.Message{}
	for _, l := range load {
		// The messages compiled from the TOML files by go generate: parsing TOML at every start
		// would cost more than a whole Go program's start-up. A test keeps the two in step.
		byLang[l] = compiledMessages(l)
	}
	return newLocalizer(lang, byLang)
}

// newLocalizer builds a Localizer for lang from parsed messages per language.
func newLocalizer(lang string, byLang map[string][]*i18n.Message) (*Localizer, error) {
	bundle := i18n.NewBundle(language.English)
	langs := make([]string, 0, len(byLang))
	for l := range byLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		if err := bundle.AddMessages(language.Make(l), byLang[l]...); err != nil {
			return nil, fmt.Errorf("locales: %s: %w", l, err)
		}
	}
	return &Localizer{lang: lang, loc: i18n.NewLocalizer(bundle, lang)}, nil
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
	if l == nil || l.loc == nil {
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
	messages := compiledMessages(lang)
	ids := make([]string, 0, len(messages))
	for _, m := range messages {
		ids = append(ids, m.ID)
	}
	sort.Strings(ids)
	return ids, nil
}
