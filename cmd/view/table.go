package view

import (
	"bytes"
	"io"
	"strings"
)

// Table lines up tab-separated cells as text/tabwriter does with (minwidth 0, padding 2, ' '), but
// measures each cell in terminal columns without colour codes: tabwriter counts runes, so a cell
// of Chinese text (two columns a character) pushed the cells after it out of line. Write cells
// separated by '\t' and lines ended by '\n'; a line's last cell is not aligned, and no line ends
// in spaces. Unlike tabwriter, a column spans the whole table (tabwriter ends it at a line that
// lacks it). Flush writes it all.
type Table struct {
	out io.Writer
	buf bytes.Buffer
}

// NewTable writes an aligned table to out at Flush.
func NewTable(out io.Writer) *Table { return &Table{out: out} }

func (t *Table) Write(p []byte) (int, error) { return t.buf.Write(p) }

// tablePadding is the space between two columns.
const tablePadding = 2

// Flush writes the lines with every tab-terminated cell padded to its column's width.
func (t *Table) Flush() error {
	text := t.buf.String()
	t.buf.Reset()
	if text == "" {
		return nil
	}
	trailing := strings.HasSuffix(text, "\n")
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	rows := make([][]string, len(lines))
	var widths []int
	for i, line := range lines {
		rows[i] = strings.Split(line, "\t")
		for c, cell := range rows[i][:len(rows[i])-1] { // the last cell is not aligned
			if c == len(widths) {
				widths = append(widths, 0)
			}
			widths[c] = max(widths[c], displayWidth(cell))
		}
	}
	var b strings.Builder
	for i, cells := range rows {
		var line strings.Builder
		for c, cell := range cells {
			line.WriteString(cell)
			if c < len(cells)-1 {
				line.WriteString(strings.Repeat(" ", widths[c]-displayWidth(cell)+tablePadding))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ")) // an empty last cell leaves no padding behind
		if i < len(rows)-1 || trailing {
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(t.out, b.String())
	return err
}
