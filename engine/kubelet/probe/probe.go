// Package probe is what the kubelet's probes check, and what they find: an exec command run in the
// container, an HTTP GET or a TCP connection to the pod's IP, answered by the simulated process
// of the container (Target). Results and messages are those of k8s.io/kubernetes v1.37.2
// pkg/probe (probe.go, http/http.go, http/request.go, tcp/tcp.go, exec/exec.go, grpc/grpc.go,
// util.go) and pkg/kubelet/prober/prober.go runProbe.
package probe

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Result is a probe's result (pkg/probe/probe.go).
type Result string

const (
	Success Result = "success"
	Warning Result = "warning"
	Failure Result = "failure"
	Unknown Result = "unknown"
)

// Outcome is one probe run: the result, the output the kubelet puts in its event, and an error
// when the probe could not run at all (the kubelet then ignores the result).
type Outcome struct {
	Result Result
	Output string
	Err    error
}

// Run runs p's handler against the container c of a pod whose IP is podIP, now.
func Run(p *corev1.Probe, c *corev1.Container, podIP string, t Target, now time.Time) Outcome {
	timeout := time.Duration(p.TimeoutSeconds) * time.Second
	switch {
	case p.Exec != nil:
		return runExec(p.Exec.Command, timeout, t, now)
	case p.HTTPGet != nil:
		return runHTTP(p.HTTPGet, c, podIP, timeout, t, now)
	case p.TCPSocket != nil:
		port, err := ResolveContainerPort(p.TCPSocket.Port, c)
		if err != nil {
			return Outcome{Result: Unknown, Err: err}
		}
		host := p.TCPSocket.Host
		if host == "" {
			host = podIP
		}
		// pkg/probe/tcp/tcp.go DoTCPProbe: the dial error is the output.
		addr := net.JoinHostPort(host, strconv.Itoa(port))
		if host != podIP || !t.Listening(port, now) {
			return Outcome{Result: Failure, Output: refused(addr)}
		}
		return Outcome{Result: Success}
	case p.GRPC != nil:
		// None of the simulated images serves gRPC: the blocking dial of pkg/probe/grpc/grpc.go
		// gives up at the timeout, whether the port is closed or speaks something else.
		addr := net.JoinHostPort(podIP, strconv.Itoa(int(p.GRPC.Port)))
		return Outcome{Result: Failure, Output: fmt.Sprintf("timeout: failed to connect service %q within %v: %+v", addr, timeout, "context deadline exceeded")}
	}
	return Outcome{Result: Unknown, Err: errors.New("missing probe handler")}
}

// refused is the error of a TCP dial to a port nothing listens on.
func refused(addr string) string { return "dial tcp " + addr + ": connect: connection refused" }

func runExec(argv []string, timeout time.Duration, t Target, now time.Time) Outcome {
	out, code, timedOut := t.Exec(argv, timeout, now)
	if timedOut {
		// k8s.io/cri-client v0.37.2 pkg/remote_runtime.go ExecSync; pkg/probe/exec/exec.go
		// makes ErrCommandTimedOut a failure with the error as output.
		return Outcome{Result: Failure, Output: fmt.Sprintf("command timed out: %q timed out after %s", strings.Join(argv, " "), timeout)}
	}
	if code != 0 {
		return Outcome{Result: Failure, Output: out}
	}
	return Outcome{Result: Success, Output: out}
}

func runHTTP(h *corev1.HTTPGetAction, c *corev1.Container, podIP string, timeout time.Duration, t Target, now time.Time) Outcome {
	// pkg/probe/http/request.go NewRequestForHTTPGetAction.
	scheme := strings.ToLower(string(h.Scheme))
	if scheme == "" {
		scheme = "http"
	}
	host := h.Host
	if host == "" {
		host = podIP
	}
	port, err := ResolveContainerPort(h.Port, c)
	if err != nil {
		return Outcome{Result: Unknown, Err: err}
	}
	u, err := url.Parse(h.Path)
	if err != nil {
		u = &url.URL{Path: h.Path}
	}
	u.Scheme = scheme
	u.Host = net.JoinHostPort(host, strconv.Itoa(port))
	get := fmt.Sprintf("Get %q: ", u.String()) // how net/http's client wraps its errors
	if host != podIP || !t.Listening(port, now) {
		return Outcome{Result: Failure, Output: get + refused(u.Host)}
	}
	status, protoErr := t.HTTPGet(port, u.Path, now)
	switch {
	case protoErr != "":
		return Outcome{Result: Failure, Output: get + fmt.Sprintf("net/http: HTTP/1.x transport connection broken: malformed HTTP response %q", protoErr)}
	case scheme == "https":
		return Outcome{Result: Failure, Output: get + "http: server gave HTTP response to HTTPS client"}
	}
	// pkg/probe/http/http.go DoHTTPProbe.
	if status >= 200 && status < 400 {
		if status >= 300 {
			return Outcome{Result: Warning, Output: "Probe terminated redirects, Response body: "}
		}
		return Outcome{Result: Success}
	}
	return Outcome{Result: Failure, Output: fmt.Sprintf("HTTP probe failed with statuscode: %d", status)}
}

// ResolveContainerPort is the port a probe names: a number, or the name of one of the
// container's ports (pkg/probe/util.go).
func ResolveContainerPort(param intstr.IntOrString, c *corev1.Container) (int, error) {
	port := -1
	switch param.Type {
	case intstr.Int:
		port = param.IntValue()
	case intstr.String:
		found := false
		for _, p := range c.Ports {
			if p.Name == param.StrVal {
				port, found = int(p.ContainerPort), true
				break
			}
		}
		if !found {
			return 0, fmt.Errorf("port %q not found", param.StrVal)
		}
	default:
		return port, fmt.Errorf("intOrString had no kind: %+v", param)
	}
	if port > 0 && port < 65536 {
		return port, nil
	}
	return port, fmt.Errorf("invalid port number: %v", port)
}
