package prompt

import (
	"errors"
	"strings"
	"sync"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
)

// Survey draws prompts on a terminal.
type Survey struct {
	stdio survey.AskOpt
	// menuHint replaces survey's English "[Use arrows to move, type to filter]".
	menuHint string
}

// templateOnce guards the one change this package makes to survey's global select template: the
// library keeps its templates in package variables, and the English key hint in it must be
// replaced by the learner's language. It happens once, before any prompt is drawn.
var templateOnce sync.Once

// NewSurvey uses the terminal in, out and errOut (files with descriptors). menuHint is the
// localized "use the arrow keys" hint.
func NewSurvey(in terminal.FileReader, out terminal.FileWriter, errOut interface{ Write([]byte) (int, error) }, menuHint string) *Survey {
	templateOnce.Do(func() {
		survey.SelectQuestionTemplate = strings.Replace(survey.SelectQuestionTemplate,
			"[Use arrows to move, type to filter", "[{{ .Config.Icons.Help.Text }}", 1)
		// An option's detail stands in its own column, two spaces after the (padded) value, not
		// after " - ": the values are padded so the details line up.
		survey.SelectQuestionTemplate = strings.Replace(survey.SelectQuestionTemplate,
			`}} - {{color "cyan"}}`, `}}  {{color "default"}}`, 1)
	})
	return &Survey{stdio: survey.WithStdio(in, out, errOut), menuHint: menuHint}
}

func (s *Survey) icons() survey.AskOpt {
	hint := s.menuHint
	return survey.WithIcons(func(set *survey.IconSet) {
		set.Help.Text = hint
		set.Question.Text = "?"
	})
}

func mapErr(err error) error {
	if errors.Is(err, terminal.InterruptErr) {
		return ErrInterrupted
	}
	return err
}

// Ask implements Prompter with a line-editing input.
func (s *Survey) Ask(label string) (string, error) {
	var out string
	err := survey.AskOne(&survey.Input{Message: label}, &out, s.stdio, s.icons())
	return out, mapErr(err)
}

// Pause implements Prompter: Enter goes on; what was typed before it is returned, not dropped.
func (s *Survey) Pause(label string) (string, error) {
	var out string
	err := survey.AskOne(&survey.Input{Message: label}, &out, s.stdio, s.icons())
	return out, mapErr(err)
}

// Select implements Prompter with an arrow-key menu.
// Once chosen, only the option's value is shown again, on the question's line.
func (s *Survey) Select(label string, options []Option, def int) (int, error) {
	var idx int
	values := make([]string, len(options))
	for i, o := range options {
		values[i] = o.Value
	}
	sel := &survey.Select{Message: label, Options: values, PageSize: 12,
		Description: func(_ string, i int) string { return options[i].Detail }}
	if def >= 0 && def < len(options) {
		sel.Default = values[def]
	}
	err := survey.AskOne(sel, &idx, s.stdio, s.icons())
	return idx, mapErr(err)
}
