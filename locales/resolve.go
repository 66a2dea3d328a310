package locales

import (
	"os"
	"strings"

	"golang.org/x/text/language"
)

// UnsupportedLangError is returned by ResolveLang when --lang names a language we have no messages
// for. Its text is already localized (in the language of the environment).
type UnsupportedLangError struct {
	Value     string   // what the user gave
	Supported []string // what we have
	message   string
}

func (e *UnsupportedLangError) Error() string { return e.message }

// ResolveLang picks the language: the flag value if non-empty, else K8SLEARN_LANG, else the POSIX
// locale (the first non-empty of LC_ALL, LC_MESSAGES, LANG), else "en". Values are normalised, so
// "zh_CN.UTF-8", "zh-Hans-CN" and "ZH" all mean "zh", and "C", "POSIX" and "en_US.UTF-8" mean "en".
//
// An unsupported flag value is an *UnsupportedLangError whose text is in the language resolved from
// the environment; that language is returned alongside the error so the caller can print the whole
// error line in it. An unsupported value from the environment silently falls back to English.
// A nil getenv reads the process environment.
func ResolveLang(flagValue string, getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	envLang := langFromEnv(getenv)
	if strings.TrimSpace(flagValue) == "" {
		return envLang, nil
	}
	if lang, ok := normalizeLang(flagValue); ok {
		return lang, nil
	}
	loc, err := New(envLang)
	if err != nil {
		return envLang, err
	}
	return envLang, &UnsupportedLangError{
		Value:     flagValue,
		Supported: Supported(),
		message: loc.T("error.unsupported_lang", map[string]any{
			"Lang":      flagValue,
			"Supported": strings.Join(Supported(), ", "),
		}),
	}
}

// langFromEnv applies the environment part of ResolveLang: the first variable that is set decides,
// and a value we cannot use means English rather than looking further.
func langFromEnv(getenv func(string) string) string {
	for _, name := range []string{"K8SLEARN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		value := strings.TrimSpace(getenv(name))
		if value == "" {
			continue
		}
		if lang, ok := normalizeLang(value); ok {
			return lang
		}
		return fallbackLang
	}
	return fallbackLang
}

// normalizeLang maps a BCP 47 tag ("zh-Hans-CN") or a POSIX locale name
// (language[_territory][.codeset][@modifier], e.g. "zh_CN.UTF-8") to one of Supported.
//
// Only the base language counts. Our Chinese is Simplified, and Traditional-Chinese locales (zh_TW,
// zh-HK, zh-Hant) map to it too: a reader of Traditional Chinese reads Simplified far more easily
// than English.
func normalizeLang(value string) (string, bool) {
	value = strings.TrimSpace(value)
	if i := strings.IndexAny(value, ".@"); i >= 0 {
		value = value[:i]
	}
	if value == "C" || value == "POSIX" {
		return fallbackLang, true
	}
	tag, err := language.Parse(strings.ReplaceAll(value, "_", "-"))
	if err != nil {
		return "", false
	}
	base, confidence := tag.Base()
	if confidence != language.Exact { // "und": Base would guess a language
		return "", false
	}
	if lang := base.String(); isSupported(lang) {
		return lang, true
	}
	return "", false
}
