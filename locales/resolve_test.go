package locales

import (
	"errors"
	"reflect"
	"testing"
)

func envOf(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestResolveLang(t *testing.T) {
	tests := []struct {
		name string
		flag string
		env  map[string]string
		want string
	}{
		{"nothing set", "", nil, "en"},
		{"flag wins over env", "en", map[string]string{"K8SLEARN_LANG": "zh", "LANG": "zh_CN.UTF-8"}, "en"},
		{"flag zh", "zh", nil, "zh"},
		{"flag is trimmed", "  zh ", nil, "zh"},
		{"flag as a locale name", "zh_CN.UTF-8", map[string]string{"LANG": "en_US.UTF-8"}, "zh"},
		{"flag C", "C", map[string]string{"LANG": "zh_CN.UTF-8"}, "en"},
		{"flag zh-Hant", "zh-Hant", nil, "zh"},
		{"blank flag is unset", "  ", map[string]string{"LANG": "zh_CN.UTF-8"}, "zh"},
		{"K8SLEARN_LANG over locale", "", map[string]string{"K8SLEARN_LANG": "zh", "LC_ALL": "en_US.UTF-8"}, "zh"},
		{"LC_ALL over LANG", "", map[string]string{"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"},
		{"LC_ALL C over LANG", "", map[string]string{"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"},
		{"LC_MESSAGES over LANG", "", map[string]string{"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"},
		{"LC_ALL over LC_MESSAGES", "", map[string]string{"LC_ALL": "en_GB.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "en"},
		{"empty LC_ALL is skipped", "", map[string]string{"LC_ALL": "", "LANG": "zh_CN.UTF-8"}, "zh"},
		{"LANG zh_CN.UTF-8", "", map[string]string{"LANG": "zh_CN.UTF-8"}, "zh"},
		{"LANG C.UTF-8", "", map[string]string{"LANG": "C.UTF-8"}, "en"},
		{"LANG POSIX", "", map[string]string{"LANG": "POSIX"}, "en"},
		{"unsupported K8SLEARN_LANG falls back to English", "", map[string]string{"K8SLEARN_LANG": "fr", "LANG": "zh_CN.UTF-8"}, "en"},
		{"unsupported LANG falls back to English", "", map[string]string{"LANG": "de_DE.UTF-8"}, "en"},
		{"garbage LANG falls back to English", "", map[string]string{"LANG": "!!"}, "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ResolveLang(tt.flag, envOf(tt.env))
			if err != nil {
				t.Fatalf("ResolveLang(%q): %v", tt.flag, err)
			}
			if got != tt.want {
				t.Fatalf("ResolveLang(%q, %v) = %q, want %q", tt.flag, tt.env, got, tt.want)
			}
		})
	}
}

func TestNormalizeLang(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" means unsupported
	}{
		{"zh", "zh"}, {"zh-CN", "zh"}, {"zh_CN", "zh"}, {"zh_CN.UTF-8", "zh"}, {"zh_CN.utf8", "zh"},
		{"zh_CN.GB18030", "zh"}, {"zh-Hans", "zh"}, {"zh-Hans-CN", "zh"}, {"ZH", "zh"}, {"Zh_cn", "zh"},
		// Traditional Chinese reads our Simplified Chinese (see normalizeLang).
		{"zh_TW", "zh"}, {"zh-TW", "zh"}, {"zh-Hant", "zh"}, {"zh_HK.UTF-8", "zh"},
		{"en", "en"}, {"en_US.UTF-8", "en"}, {"en-GB", "en"}, {"en_US@euro", "en"},
		{"C", "en"}, {"POSIX", "en"}, {"C.UTF-8", "en"},
		{"fr", ""}, {"de_DE.UTF-8", ""}, {"ja", ""}, {"yue", ""}, {"c", ""}, {"", ""},
		{"english", ""}, {"zh__CN", ""}, {"und", ""}, {"!!", ""},
	}
	for _, tt := range tests {
		got, ok := normalizeLang(tt.in)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("normalizeLang(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestResolveLangUnsupportedFlag(t *testing.T) {
	tests := []struct {
		name     string
		flag     string
		env      map[string]string
		wantLang string
		wantMsg  string
	}{
		{"English environment", "fr", nil, "en", `unsupported language "fr" (supported: en, zh)`},
		{"Chinese environment", "fr", map[string]string{"LANG": "zh_CN.UTF-8"}, "zh", `不支持的语言 "fr"（可选：en, zh）`},
		{"Chinese from K8SLEARN_LANG", "klingon", map[string]string{"K8SLEARN_LANG": "zh"}, "zh", `不支持的语言 "klingon"（可选：en, zh）`},
		{"unsupported environment too", "fr", map[string]string{"LANG": "de_DE.UTF-8"}, "en", `unsupported language "fr" (supported: en, zh)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lang, err := ResolveLang(tt.flag, envOf(tt.env))
			var unsupported *UnsupportedLangError
			if !errors.As(err, &unsupported) {
				t.Fatalf("ResolveLang(%q) error = %v, want *UnsupportedLangError", tt.flag, err)
			}
			if err.Error() != tt.wantMsg {
				t.Errorf("message = %q, want %q", err.Error(), tt.wantMsg)
			}
			if lang != tt.wantLang {
				t.Errorf("returned language = %q, want %q (the environment's)", lang, tt.wantLang)
			}
			if unsupported.Value != tt.flag || !reflect.DeepEqual(unsupported.Supported, Supported()) {
				t.Errorf("error fields = %q %v", unsupported.Value, unsupported.Supported)
			}
		})
	}
}

func TestResolveLangNilGetenv(t *testing.T) {
	t.Setenv("K8SLEARN_LANG", "zh")
	if got, err := ResolveLang("", nil); err != nil || got != "zh" {
		t.Fatalf("ResolveLang with nil getenv = %q, %v; want zh from the process environment", got, err)
	}
}
