package view

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"text/tabwriter"
)

// On ASCII text Table prints what tabwriter printed, byte for byte but for the spaces tabwriter
// leaves at the end of a line whose last cell is empty; on Chinese text the columns start at the
// same display column on every line.
func TestTableMatchesTabwriterOnASCII(t *testing.T) {
	for _, text := range []string{
		"LESSON\tSTEPS\tSCORE\tSTATE\ncomponents\t0/33\t-\tnot started\npod\t38/38\t5/5\tdone\n",
		"  node-1\tpassed\t\n  node-2\tNodeResourcesFit\tInsufficient cpu\n",
		"a\tb\nccc\tdd\teee\n",
		"",
	} {
		var want, got bytes.Buffer
		tw := tabwriter.NewWriter(&want, 0, 4, 2, ' ', 0)
		tw.Write([]byte(text))
		tw.Flush()
		tb := NewTable(&got)
		tb.Write([]byte(text))
		if err := tb.Flush(); err != nil {
			t.Fatal(err)
		}
		trimmed := regexp.MustCompile(` +\n`).ReplaceAllString(want.String(), "\n")
		if got.String() != trimmed {
			t.Errorf("table of %q:\n%s\nwant (tabwriter):\n%s", text, got.String(), want.String())
		}
	}
}

func TestTableAlignsByDisplayWidth(t *testing.T) {
	var out bytes.Buffer
	tb := NewTable(&out)
	tb.Write([]byte("components\t第 1 课：集群由哪些组件组成\t未开始\npod\t第 2 课：一个 Pod，从 kubectl run 到容器运行\t未开始\n" +
		"deployment\t第 3 课：一个 Deployment，十个步骤\t\x1b[32m未开始\x1b[0m\n"))
	tb.Flush()
	col := -1
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		i := strings.Index(line, "未开始")
		if i < 0 {
			t.Fatalf("no state in %q", line)
		}
		w := displayWidth(strings.TrimSuffix(line[:i], "\x1b[32m"))
		if col >= 0 && w != col {
			t.Errorf("state starts at column %d, want %d:\n%s", w, col, out.String())
		}
		col = w
	}
}
