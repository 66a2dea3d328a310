package view

import "github.com/fatih/color"

// Styler colours text, or leaves it alone when colour is off (NO_COLOR, --no-color, TERM=dumb, not
// a terminal). Each Styler owns its colours, so nothing global is switched.
type Styler struct {
	on                                       bool
	bold, dim, green, yellow, red, cyan, inv *color.Color
}

// NewStyler returns a Styler with colour on or off.
func NewStyler(on bool) Styler {
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c
	}
	return Styler{on: on, bold: mk(color.Bold), dim: mk(color.Faint), green: mk(color.FgGreen), yellow: mk(color.FgYellow),
		red: mk(color.FgRed), cyan: mk(color.FgCyan, color.Bold), inv: mk(color.ReverseVideo, color.Bold)}
}

// Color reports whether colour is on.
func (s Styler) Color() bool { return s.on }

// Component styles a component name.
func (s Styler) Component(name string) string { return s.cyan.Sprint(name) }

// Dim styles secondary text.
func (s Styler) Dim(t string) string { return s.dim.Sprint(t) }

// Bold styles emphasis.
func (s Styler) Bold(t string) string { return s.bold.Sprint(t) }

// Highlight marks what just happened.
func (s Styler) Highlight(t string) string { return s.inv.Sprint(t) }

// Good, Warn and Bad colour states (Running, Pending, failing).
func (s Styler) Good(t string) string { return s.green.Sprint(t) }
func (s Styler) Warn(t string) string { return s.yellow.Sprint(t) }
func (s Styler) Bad(t string) string  { return s.red.Sprint(t) }
