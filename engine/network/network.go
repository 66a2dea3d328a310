// Package network is the cluster's network in miniature, as a client in a pod (or on a node)
// sees it: names resolve through the cluster DNS with the pod's search path, a connection to a
// Service's address follows the rules kube-proxy wrote on the client's node (or, for a node port,
// on the node addressed), and whatever container ends up holding the connection answers if its
// image serves on that port. curl and nslookup print what the real tools print.
//
// A connection changes nothing in the cluster: no component acts and no trace entry is written.
package network

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/engine/dns"
	"github.com/k8slearn/k8slearn/engine/kubelet/probe"
	"github.com/k8slearn/k8slearn/engine/proxy"
)

// World is what a connection meets: the cluster DNS, each node's kube-proxy, the nodes' and the
// pods' addresses.
type World struct {
	DNS      *dns.Resolver
	Proxies  map[string]*proxy.Proxy // by node name
	NodeIPs  map[string]string       // node address -> node name
	PodsByIP map[string]*corev1.Pod  // pods holding an address
	// Targets are the simulated processes of a pod's running containers, by container name (the
	// kubelet's: the ones its probes reach).
	Targets func(pod *corev1.Pod) map[string]probe.Target
	// APIServer is the API server's address and port ("172.18.0.1:6443"), the kubernetes Service's
	// endpoint.
	APIServer string
	Rand      *rand.Rand
	Now       time.Time
}

// Client is where a request starts: a pod, or (for the sandbox) a shell on a node.
type Client struct {
	Namespace string      // whose search path names resolve with
	Node      string      // whose kube-proxy rules its connections to Services follow
	IP        string      // its source address
	Pod       *corev1.Pod // nil for a shell on the node
}

// Hop tells how a connection went: through which kube-proxy's rules to which endpoint and pod.
type Hop struct {
	Proxy    string // "kube-proxy/node-1"; empty when no Service rule matched
	Service  string // "default/web", the Service port's name
	NodePort bool
	Endpoint string // "10.244.1.3:80"
	Pod      string // "default/web-…" that answered
	// APIServer: kube-apiserver answered (the kubernetes Service's endpoint), not a pod.
	APIServer bool
}

// Response is an HTTP answer.
type Response struct {
	Status  int
	Headers []string // "Server: nginx/1.29.3", in order
	Body    string
	Hop     Hop
}

const (
	serviceCIDR = "10.96.0.0/12"
	podCIDR     = proxy.ClusterCIDR
	// Kernel timings curl reports: an address nobody answers ARP for fails after about 3 s
	// (EHOSTUNREACH); a SYN nobody answers is given up after the 6 retries of
	// net.ipv4.tcp_syn_retries, 127 s (ETIMEDOUT, curl's exit 28).
	unreachableMs = 3071
	timeoutMs     = 127283
)

// Get sends one HTTP request (GET, or HEAD) to t from c; insecure skips the certificate check
// (curl -k).
func (w *World) Get(c Client, t Target, head, insecure bool) (Response, *Error) {
	ip, err := w.resolve(c, t.Host)
	if err != nil {
		return Response{}, err
	}
	display := strings.Trim(t.Host, "[]")
	dst, port := ip, t.Port
	var hop Hop
	if dst == "127.0.0.1" || dst == "::1" {
		if c.Pod == nil {
			return Response{}, connectError(display, port, 0, false)
		}
		return w.answer(c.Pod, port, t, head, hop, display)
	}
	// kube-proxy's rules: the client's node for a cluster IP, the addressed node for a node port.
	rulesNode := c.Node
	if n, ok := w.NodeIPs[dst]; ok {
		rulesNode = n
	}
	if p := w.Proxies[rulesNode]; p != nil {
		r := p.Connect(c.IP, dst, port, w.Rand)
		switch r.Verdict {
		case proxy.Reject:
			return Response{}, connectError(display, port, 0, false)
		case proxy.Drop:
			return Response{}, connectError(display, port, timeoutMs, true)
		case proxy.Forward:
			hop = Hop{Proxy: p.Name(), Service: r.Port.Name(), NodePort: r.NodePort, Endpoint: r.Endpoint.String()}
			dst, port = r.Endpoint.IP, r.Endpoint.Port
		}
	}
	if pod, ok := w.PodsByIP[dst]; ok {
		return w.answer(pod, port, t, head, hop, display)
	}
	if w.APIServer != "" && dst+":"+fmt.Sprint(port) == w.APIServer {
		return w.apiServer(t, insecure, hop)
	}
	addr, perr := netip.ParseAddr(dst)
	switch {
	case perr != nil:
		return Response{}, connectError(display, port, 0, false)
	case w.NodeIPs[dst] != "":
		return Response{}, connectError(display, port, 0, false) // nothing listens on the node
	case netip.MustParsePrefix(podCIDR).Contains(addr):
		return Response{}, connectError(display, port, unreachableMs, false) // no pod has that address
	}
	return Response{}, connectError(display, port, timeoutMs, true) // a Service address without a rule, or outside
}

// apiServer is what kube-apiserver answers a client without credentials: plain HTTP on its TLS
// port gets Go's 400; HTTPS fails curl's certificate check (the cluster CA is not curl's), or with
// -k, the anonymous user is forbidden.
func (w *World) apiServer(t Target, insecure bool, hop Hop) (Response, *Error) {
	hop.APIServer = true
	if t.Scheme == "http" {
		// net/http's answer to plain HTTP on a TLS listener (server.go).
		return Response{Status: 400, Body: "Client sent an HTTP request to an HTTPS server.\n", Hop: hop,
			Headers: []string{"HTTP/1.0 400 Bad Request"}}, nil
	}
	if !insecure {
		// curl's message and its tool's advice (src/tool_operate.c).
		return Response{}, curlError(60, "SSL certificate problem: unable to get local issuer certificate\n"+
			"More details here: https://curl.se/docs/sslcerts.html\n\n"+
			"curl failed to verify the legitimacy of the server and therefore could not\n"+
			"establish a secure connection to it. To learn more about this situation and\n"+
			"how to fix it, please visit the webpage mentioned above.")
	}
	path := strings.SplitN(t.Path, "?", 2)[0]
	switch path {
	case "/healthz", "/livez", "/readyz": // open to anyone (system:public-info-viewer)
		return Response{Status: 200, Body: "ok", Hop: hop, Headers: []string{"HTTP/2 200", "content-type: text/plain; charset=utf-8"}}, nil
	}
	body := "{\n  \"kind\": \"Status\",\n  \"apiVersion\": \"v1\",\n  \"metadata\": {},\n  \"status\": \"Failure\",\n" +
		fmt.Sprintf("  \"message\": \"forbidden: User \\\"system:anonymous\\\" cannot get path \\\"%s\\\"\",\n", path) +
		"  \"reason\": \"Forbidden\",\n  \"details\": {},\n  \"code\": 403\n}"
	return Response{Status: 403, Body: body, Hop: hop, Headers: []string{"HTTP/2 403", "content-type: application/json"}}, nil
}

// answer is the pod's container answering on port, if one listens there.
func (w *World) answer(pod *corev1.Pod, port int32, t Target, head bool, hop Hop, display string) (Response, *Error) {
	var target probe.Target
	var image string
	if w.Targets != nil {
		targets := w.Targets(pod)
		for _, c := range pod.Spec.Containers {
			if tg := targets[c.Name]; tg != nil && tg.Listening(int(port), w.Now) {
				target, image = tg, c.Image
				break
			}
		}
	}
	if target == nil {
		return Response{}, connectError(display, port, 0, false) // connection refused
	}
	if t.Scheme == "https" {
		// A TLS client hello to a plain HTTP server (curl 8 with OpenSSL 3).
		return Response{}, curlError(35, "TLS connect error: error:0A00010B:SSL routines::wrong version number")
	}
	path := strings.SplitN(t.Path, "?", 2)[0]
	status, protoErr := target.HTTPGet(int(port), path, w.Now)
	if protoErr != "" || status == 0 {
		// Not an HTTP server: its first bytes are no status line (lib/http.c).
		return Response{}, curlError(1, "Received HTTP/0.9 when not allowed")
	}
	hop.Pod = pod.Namespace + "/" + pod.Name
	srv, _ := serverFor(image)
	body := srv.page(status)
	resp := Response{Status: status, Body: body, Hop: hop}
	gmt := time.RFC1123[:len(time.RFC1123)-3] + "GMT"
	resp.Headers = []string{
		fmt.Sprintf("HTTP/1.1 %d %s", status, statusText(status)),
		"Server: " + srv.name,
		"Date: " + w.Now.UTC().Format(gmt),
		"Content-Type: text/html",
		fmt.Sprintf("Content-Length: %d", len(body)),
	}
	if status == 200 {
		modified := time.Date(2025, 10, 28, 15, 38, 45, 0, time.UTC)
		resp.Headers = append(resp.Headers, "Last-Modified: "+modified.Format(gmt),
			"Connection: keep-alive", fmt.Sprintf("ETag: \"%x-%x\"", modified.Unix(), len(body)), "Accept-Ranges: bytes")
	} else {
		resp.Headers = append(resp.Headers, "Connection: keep-alive")
	}
	if head {
		resp.Body = ""
	}
	return resp, nil
}

func statusText(code int) string {
	switch code {
	case 200:
		return "OK"
	case 404:
		return "Not Found"
	case 500:
		return "Internal Server Error"
	}
	return ""
}

// resolve turns a host into an address: an address as it is, "localhost", or a name through the
// cluster DNS (CoreDNS's loadbalance plugin rotates a name's addresses; curl takes the first).
func (w *World) resolve(c Client, host string) (string, *Error) {
	h := strings.Trim(host, "[]")
	if addr, err := netip.ParseAddr(h); err == nil {
		return addr.String(), nil
	}
	if strings.EqualFold(h, "localhost") {
		return "127.0.0.1", nil
	}
	a, ok := w.DNS.Lookup(c.Namespace, h)
	if !ok || len(a.IPs) == 0 {
		return "", curlError(6, "Could not resolve host: "+host) // lib/hostip.c
	}
	return a.IPs[w.Rand.IntN(len(a.IPs))], nil
}

// CurlResult is what a curl command printed and its exit code, with the responses it got.
type CurlResult struct {
	Stdout, Stderr string
	Exit           int
	Responses      []Response
}

// Curl runs a curl command line (without the word curl) from c.
func (w *World) Curl(c Client, args []string) CurlResult {
	opts, uerr := ParseCurl(args)
	if uerr != nil {
		return CurlResult{Stderr: uerr.Error() + "\n", Exit: uerr.Code}
	}
	var res CurlResult
	var out, errOut strings.Builder
	for _, raw := range opts.URLs {
		t, err := ParseTarget(raw)
		var resp Response
		if err == nil {
			resp, err = w.Get(c, t, opts.Head, opts.Insecure)
		}
		if err != nil {
			err = err.capped(opts.Timeout)
		}
		if err == nil && opts.Fail && resp.Status >= 400 {
			err = curlError(22, fmt.Sprintf("The requested URL returned error: %d", resp.Status)) // lib/http.c
		}
		if err != nil {
			out.WriteString(writeOut(opts.WriteOut, 0))
			if !opts.Silent || opts.ShowError {
				errOut.WriteString(err.Error() + "\n")
			}
			res.Exit = err.Code
			continue
		}
		res.Responses = append(res.Responses, resp)
		if opts.Output == "" || opts.Output == "-" {
			if opts.Include || opts.Head {
				out.WriteString(strings.Join(resp.Headers, "\n") + "\n\n")
			}
			out.WriteString(resp.Body)
		}
		out.WriteString(writeOut(opts.WriteOut, resp.Status))
	}
	res.Stdout, res.Stderr = out.String(), errOut.String()
	return res
}

// writeOut expands -w's format: %{http_code} (000 when there was no answer), \n, \t, %%.
func writeOut(format string, status int) string {
	if format == "" {
		return ""
	}
	r := strings.NewReplacer("%{http_code}", fmt.Sprintf("%03d", status), "%{response_code}", fmt.Sprintf("%03d", status),
		`\n`, "\n", `\t`, "\t", `\r`, "\r", "%%", "%")
	return r.Replace(format)
}
