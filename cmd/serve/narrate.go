package serve

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/locales"
)

// narrator prints to the serve terminal, one whole line at a time: the loop and the HTTP
// handlers (server errors) both write to it.
type narrator struct {
	mu  sync.Mutex
	l   *locales.Localizer
	st  view.Styler
	out io.Writer
}

func newNarrator(l *locales.Localizer, st view.Styler, out io.Writer) *narrator {
	return &narrator{l: l, st: st, out: out}
}

func (n *narrator) println(lines ...string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, line := range lines {
		fmt.Fprintln(n.out, line)
	}
}

// entry narrates one trace entry: who acted, why, and what it wrote. Routine heartbeats (a
// kubelet renewing its Lease every 10 s) are not narrated: they would bury the rest.
func (n *narrator) entry(e cluster.TraceEntry) {
	if view.Routine(e) {
		return
	}
	n.println(view.Trace(n.l, n.st, e)...)
}

// banner says where the API is, how to use it and how the control plane runs.
func (n *narrator) banner(url, kubeconfig string, nodes int, auto, secure bool) {
	lines := []string{
		n.st.Bold(n.l.T("serve.banner.listening", map[string]any{"URL": url, "Nodes": nodes})),
		n.l.T("serve.banner.kubeconfig", map[string]any{"Path": kubeconfig}),
	}
	if secure {
		lines = append(lines, n.st.Warn(n.l.T("serve.banner.secure")))
	}
	lines = append(lines,
		n.l.T("serve.banner.use"),
		"",
		"    export KUBECONFIG="+shellQuote(kubeconfig),
		"    kubectl create deployment web --image=nginx --replicas=3",
		"    kubectl get pods -w",
		"",
	)
	if auto {
		lines = append(lines, n.l.T("serve.banner.auto"))
	} else {
		lines = append(lines, n.l.T("serve.banner.step"))
	}
	n.println(lines...)
}

func (n *narrator) stopped(kubeconfig string) {
	n.println("", n.l.T("serve.stopped", map[string]any{"Path": kubeconfig}))
}

// shellQuote quotes a path for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '/' || r == '.' || r == '-' || r == '_' || r == ':') {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}

// lineWriter prints the net/http server's own log lines in the narration, dimmed.
type lineWriter struct{ n *narrator }

func (w lineWriter) Write(p []byte) (int, error) {
	w.n.println(w.n.st.Dim(strings.TrimRight(string(p), "\n")))
	return len(p), nil
}
