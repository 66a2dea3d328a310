package view

import (
	"fmt"
	"io"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// Etcd prints the keys under prefix with their revisions, as `etcdctl get --prefix --keys-only
// -w json` reports them (create_revision, mod_revision, version), in a table that fits 80 columns
// for the keys a cluster has: the headers are short for that. It returns how many keys it printed.
func Etcd(w io.Writer, st apiserver.StoreReader, prefix string) int {
	kvs, rev := st.List(prefix)
	if len(kvs) == 0 {
		return 0
	}
	tw := NewTable(w)
	fmt.Fprintln(tw, "KEY\tCREATE\tMOD\tVERSION")
	for _, kv := range kvs {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", kv.Key, kv.CreateRevision, kv.ModRevision, kv.Version)
	}
	tw.Flush()
	fmt.Fprintf(w, "revision: %d\n", rev)
	return len(kvs)
}
