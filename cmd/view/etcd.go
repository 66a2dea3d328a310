package view

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// etcdWidth is the width the etcd table fits in: a key too long for its column is printed alone on
// its line, its revisions on the next, so the table's columns never wrap on an 80-column terminal
// (a key longer than the terminal, alone on its line, still does).
const etcdWidth = 80

// Etcd prints the keys under prefix with their revisions, as `etcdctl get --prefix --keys-only
// -w json` reports them (create_revision, mod_revision, version), in a table that fits 80
// columns: the headers are short for that, and a key longer than its column gets a line of its
// own. It returns how many keys it printed.
func Etcd(w io.Writer, st apiserver.StoreReader, prefix string) int {
	kvs, rev := st.List(prefix)
	if len(kvs) == 0 {
		return 0
	}
	header := []string{"KEY", "CREATE", "MOD", "VERSION"}
	rows := make([][]string, len(kvs))
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = len(h)
	}
	for i, kv := range kvs {
		rows[i] = []string{kv.Key, strconv.FormatInt(kv.CreateRevision, 10), strconv.FormatInt(kv.ModRevision, 10), strconv.FormatInt(kv.Version, 10)}
		for c, cell := range rows[i] {
			widths[c] = max(widths[c], displayWidth(cell))
		}
	}
	numbers := 0 // the columns after the key, with the padding before each
	for _, n := range widths[1:] {
		numbers += tablePadding + n
	}
	// The key column is as wide as the longest key that fits beside the revisions.
	limit := max(len(header[0]), etcdWidth-numbers)
	widths[0] = len(header[0])
	for _, r := range rows {
		if w := displayWidth(r[0]); w <= limit {
			widths[0] = max(widths[0], w)
		}
	}
	line := func(cells []string) string {
		var b strings.Builder
		for c, cell := range cells {
			b.WriteString(cell)
			if c < len(cells)-1 {
				b.WriteString(strings.Repeat(" ", max(0, widths[c]-displayWidth(cell))+tablePadding))
			}
		}
		return strings.TrimRight(b.String(), " ")
	}
	fmt.Fprintln(w, line(header))
	for _, r := range rows {
		if displayWidth(r[0]) > widths[0] {
			fmt.Fprintln(w, r[0])
			r = append([]string{""}, r[1:]...)
		}
		fmt.Fprintln(w, line(r))
	}
	fmt.Fprintf(w, "revision: %d\n", rev)
	return len(kvs)
}
