package picture

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"html/template"
)

// The page's assets are embedded and its template is parsed when a page is made, never at
// start-up: most runs make none.
//
//go:embed assets/page.html assets/page.css assets/page.js
var assets embed.FS

func asset(name string) string {
	b, err := assets.ReadFile("assets/" + name)
	if err != nil {
		panic(err) // embedded: cannot fail
	}
	return string(b)
}

// PageText are the page's own words, in the learner's language.
type PageText struct {
	Steps        string
	Step         string
	StepTitle    string
	Run          string
	RunTitle     string
	Large        string
	Keys         string
	KeysControl  string
	Status       string // the status line of a live page before it connects
	Connected    string
	Disconnected string
	Ended        string
}

// PageOptions say what kind of page to make.
type PageOptions struct {
	// Live makes the page follow the run through Server-Sent Events (Live serves it).
	Live bool
	// Control, when set, shows the step and run buttons; the page sends it back with each
	// request, which a page of another origin cannot do.
	Control string
	// Note is a line under the title: how this run moves (a lesson moves it by itself).
	Note string
}

type pageStep struct {
	Seq       int
	Component int
	Who       string
	What      string
	Trigger   string
	Lit       bool
}

type pageData struct {
	Lang, Title, Subtitle string
	CSP                   string
	CSS                   template.CSS
	JS                    template.JS
	SVG                   template.HTML
	Live                  bool
	Control               string
	Text                  PageText
	Steps                 []pageStep
	Earlier, Routine      string
	NoSteps               string
}

func (p Picture) pageData(o PageOptions) pageData {
	js := asset("page.js")
	sum := sha256.Sum256([]byte(js))
	csp := "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; script-src 'sha256-" +
		base64.StdEncoding.EncodeToString(sum[:]) + "'"
	if o.Live {
		csp += "; connect-src 'self'"
	}
	text := p.Labels.Page
	if o.Control != "" {
		text.Keys += " " + text.KeysControl
	}
	if o.Note != "" {
		text.Keys = o.Note + " " + text.Keys
	}
	if !o.Live {
		text.Status = ""
	}
	d := pageData{Lang: p.Lang, Title: p.Title, Subtitle: p.Subtitle, CSP: csp, CSS: template.CSS(asset("page.css")),
		JS: template.JS(js), SVG: template.HTML(p.SVG(SVGOptions{})), Live: o.Live, Control: o.Control, Text: text,
		Earlier: p.Earlier, Routine: p.Routine, NoSteps: p.Labels.NoSteps}
	for i, s := range p.Steps {
		d.Steps = append(d.Steps, pageStep{Seq: s.Seq, Component: s.Component, Who: p.Components[s.Component].Name,
			What: s.What, Trigger: s.Trigger, Lit: i == len(p.Steps)-1})
	}
	return d
}

func parsePage() (*template.Template, error) {
	return template.New("page").Parse(asset("page.html"))
}

// HTML makes one self-contained page: the map as SVG, the steps as buttons that light their
// component and arrow, style and script inline, nothing fetched (its Content-Security-Policy
// forbids any request but, live, to its own server).
func (p Picture) HTML(o PageOptions) (string, error) {
	t, err := parsePage()
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, p.pageData(o)); err != nil {
		return "", err
	}
	return b.String(), nil
}

// frame is what a live page receives after each change: the new map and steps, ready to show.
type frame struct {
	SVG      string `json:"svg"`
	Steps    string `json:"steps"`
	Title    string `json:"title"`
	Subtitle string `json:"subtitle"`
	Seq      int    `json:"seq"`
	Announce string `json:"announce"` // the newest step, for screen readers
}

// frameJSON renders the picture as a live page's frame, with t the parsed page.
func (p Picture) frameJSON(t *template.Template) ([]byte, error) {
	var steps bytes.Buffer
	if err := t.ExecuteTemplate(&steps, "steps", p.pageData(PageOptions{Live: true})); err != nil {
		return nil, err
	}
	f := frame{SVG: p.SVG(SVGOptions{}), Steps: steps.String(), Title: p.Title, Subtitle: p.Subtitle}
	if n := len(p.Steps); n > 0 {
		s := p.Steps[n-1]
		f.Seq = s.Seq
		f.Announce = s.Line
	}
	return json.Marshal(f)
}
