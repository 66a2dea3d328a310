package picture

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/k8slearn/k8slearn/cmd/internal/atomicfile"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/locales"
)

// Format is a kind of file a picture is written as.
type Format string

// The formats, by what they are for.
const (
	FormatSVG     Format = "svg"     // the map with its numbered steps, drawn by k8slearn
	FormatHTML    Format = "html"    // one self-contained page: the map, and steps that light their arrows
	FormatMermaid Format = "mermaid" // a sequence diagram of the steps, for notes
	FormatDOT     Format = "dot"     // a Graphviz graph of the map
)

// Extensions lists the file name endings export understands, for messages.
const Extensions = ".svg, .html, .mmd, .dot"

// FormatOf picks the format from a file name's extension (.svg, .html or .htm, .mmd or .mermaid,
// .dot or .gv, in any case).
func FormatOf(name string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".svg":
		return FormatSVG, true
	case ".html", ".htm":
		return FormatHTML, true
	case ".mmd", ".mermaid":
		return FormatMermaid, true
	case ".dot", ".gv":
		return FormatDOT, true
	}
	return "", false
}

// Render writes the picture in format f.
func (p Picture) Render(f Format) ([]byte, error) {
	switch f {
	case FormatSVG:
		return []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + p.SVG(SVGOptions{Titled: true, Steps: true})), nil
	case FormatHTML:
		page, err := p.HTML(PageOptions{})
		return []byte(page), err
	case FormatMermaid:
		return []byte(p.Mermaid()), nil
	case FormatDOT:
		return []byte(p.DOT()), nil
	}
	return nil, fmt.Errorf("unknown picture format %q", f)
}

// WriteFile writes data to name as a learner's file is written (atomicfile): a failure never
// leaves half a picture behind.
func WriteFile(name string, data []byte) error { return atomicfile.Write(name, data, 0o644, "") }

// CheckName reports, in the learner's language, a file name whose extension names no format.
func CheckName(l *locales.Localizer, name string) error {
	if _, ok := FormatOf(name); !ok {
		return errors.New(l.T("picture.export.format", map[string]any{"File": name, "Formats": Extensions}))
	}
	return nil
}

// Export captures the cluster's picture and writes it to name in the format its extension names,
// with write (nil: WriteFile). Its errors are in the learner's language.
func Export(c *cluster.Cluster, l *locales.Localizer, o Options, name string, write func(string, []byte) error) error {
	if err := CheckName(l, name); err != nil {
		return err
	}
	f, _ := FormatOf(name)
	data, err := Capture(c, l, o).Render(f)
	if err == nil {
		if write == nil {
			write = WriteFile
		}
		err = write(name, data)
	}
	if err != nil {
		return errors.New(l.T("picture.export.failed", map[string]any{"File": name, "Err": err.Error()}))
	}
	return nil
}
