package locales

import (
	"fmt"
	"os"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/k8slearn/k8slearn/locales/internal/msgfile"
)

// readMessages parses a language's TOML file, the source of truth that messages_gen.go is
// compiled from.
func readMessages(lang string) ([]*i18n.Message, error) {
	if !isSupported(lang) {
		return nil, fmt.Errorf("locales: unsupported language %q", lang)
	}
	name := lang + ".toml"
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return msgfile.Parse(name, data)
}
