package sandbox

import (
	"fmt"
	"strings"

	"github.com/kballard/go-shellquote"

	"github.com/k8slearn/k8slearn/engine/network"
	"github.com/k8slearn/k8slearn/engine/proxy"
)

// trafficCommands are the sandbox's network tools: the rules a node's kube-proxy wrote, and curl
// and nslookup run from a shell on node-1 that resolves names as a pod in default does.
func (s *Session) trafficCommands() map[string]Command {
	return map[string]Command{
		"proxy":    func(line string, _ []string) bool { s.proxy(words(line)[1:]); return false },
		"curl":     func(line string, _ []string) bool { s.curl(words(line)[1:]); return false },
		"nslookup": func(line string, _ []string) bool { s.nslookup(words(line)[1:]); return false },
	}
}

// words splits a command line as a shell would, quotes honoured; a line that does not split
// (an open quote) falls back to its fields.
func words(line string) []string {
	if w, err := shellquote.Split(line); err == nil && len(w) > 0 {
		return w
	}
	return strings.Fields(line)
}

// proxyArgs is what `proxy NODE [--mode iptables|nftables]` asks for. errID names the usage
// message when the arguments do not parse.
type proxyArgs struct {
	node  string
	mode  proxy.Mode
	errID string
	arg   string // the argument at fault
}

func parseProxyArgs(args []string) proxyArgs {
	p := proxyArgs{mode: proxy.DefaultMode}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--mode" || a == "-m":
			if i+1 >= len(args) {
				return proxyArgs{errID: "sandbox.usage.proxy"}
			}
			i++
			p.mode = proxy.Mode(args[i])
		case strings.HasPrefix(a, "--mode="):
			p.mode = proxy.Mode(strings.TrimPrefix(a, "--mode="))
		case strings.HasPrefix(a, "-"):
			return proxyArgs{errID: "sandbox.proxy.bad_flag", arg: a}
		case p.node == "":
			p.node = a
		default:
			return proxyArgs{errID: "sandbox.usage.proxy"}
		}
	}
	switch {
	case p.node == "":
		return proxyArgs{errID: "sandbox.usage.proxy"}
	case p.mode != proxy.IPTables && p.mode != proxy.NFTables:
		return proxyArgs{errID: "sandbox.proxy.bad_mode", arg: string(p.mode)}
	}
	return p
}

func (s *Session) proxy(args []string) {
	p := parseProxyArgs(args)
	if p.errID != "" {
		s.println(s.T(p.errID, map[string]any{"Arg": p.arg}))
		return
	}
	lines, ok := s.cluster.ProxyRules(p.node, p.mode)
	if !ok {
		s.println(s.T("sandbox.proxy.no_node", map[string]any{"Node": p.node, "Nodes": strings.Join(s.nodeNames(), ", ")}))
		return
	}
	header := "sandbox.proxy.header_iptables"
	if p.mode == proxy.NFTables {
		header = "sandbox.proxy.header_nftables"
	}
	s.println(s.cfg.Style.Dim(s.T(header, map[string]any{"Component": "kube-proxy/" + p.node})))
	for _, l := range lines {
		s.println(l)
	}
}

func (s *Session) curl(args []string) {
	res := s.cluster.Curl(s.cluster.SandboxClient(), args)
	fmt.Fprint(s.out, res.Stdout)
	if res.Stdout != "" && !strings.HasSuffix(res.Stdout, "\n") {
		s.println()
	}
	fmt.Fprint(s.out, res.Stderr)
	for _, r := range res.Responses {
		s.println(s.cfg.Style.Dim(s.hopLine(r)))
	}
	if res.Exit != 0 {
		s.println(s.cfg.Style.Dim(s.T("sandbox.exit_status", map[string]any{"Code": res.Exit})))
	}
}

// hopLine says which pod answered and how the connection got there: not curl's output, the
// sandbox's note beside it.
func (s *Session) hopLine(r network.Response) string {
	data := map[string]any{"Status": r.Status, "Pod": r.Hop.Pod, "Endpoint": r.Hop.Endpoint,
		"Proxy": r.Hop.Proxy, "Service": r.Hop.Service}
	switch {
	case r.Hop.APIServer:
		return s.T("sandbox.curl.via_apiserver", data)
	case r.Hop.Proxy == "":
		return s.T("sandbox.curl.direct", data)
	case r.Hop.NodePort:
		return s.T("sandbox.curl.via_nodeport", data)
	}
	return s.T("sandbox.curl.via", data)
}

func (s *Session) nslookup(args []string) {
	if len(args) == 0 {
		s.println(s.T("sandbox.usage.nslookup"))
		return
	}
	res := s.cluster.NSLookup(s.cluster.SandboxClient(), args)
	fmt.Fprint(s.out, res.Stdout)
	fmt.Fprint(s.out, res.Stderr)
	if res.Exit != 0 {
		s.println(s.cfg.Style.Dim(s.T("sandbox.exit_status", map[string]any{"Code": res.Exit})))
	}
}
