package network

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// CurlOptions are the curl flags the miniature curl knows.
type CurlOptions struct {
	Silent    bool // -s: no progress meter, no error message
	ShowError bool // -S: the error message even with -s
	Fail      bool // -f: an HTTP error is exit 22, without the page
	Include   bool // -i: the response headers before the body
	Head      bool // -I: a HEAD request, headers only
	Insecure  bool // -k: no certificate check
	Output    string
	WriteOut  string  // -w: printed after the transfer (%{http_code}, %{remote_ip}, \n)
	Timeout   float64 // -m or --connect-timeout, in seconds; 0 for none
	URLs      []string
}

// Target is a URL as curl reads it.
type Target struct {
	Scheme string // http or https
	Host   string // as written (a name, or an address)
	Port   int32
	Path   string // from the first "/", with the query; "/" when empty
}

// curlUsageHint is what curl prints after a usage error (src/tool_helpers.c helpf).
const curlUsageHint = "curl: try 'curl --help' or 'curl --manual' for more information"

// ParseCurl reads curl's command line (without the word curl). A usage error is returned as
// curl prints it, with its exit code 2.
func ParseCurl(args []string) (CurlOptions, *Error) {
	var o CurlOptions
	endOfOptions := false
	// value takes an option's argument: the rest of the word, or the next word.
	value := func(i *int, rest, name string) (string, *Error) {
		if rest != "" {
			return rest, nil
		}
		if *i+1 >= len(args) {
			return "", usageError(fmt.Sprintf("curl: option %s: requires parameter", name))
		}
		*i++
		return args[*i], nil
	}
	seconds := func(v, name string) (float64, *Error) {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || f != f {
			return 0, usageError(fmt.Sprintf("curl: option %s: expected a proper numerical parameter", name))
		}
		return f, nil
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		var err *Error
		switch {
		case endOfOptions || a == "-" || !strings.HasPrefix(a, "-"):
			o.URLs = append(o.URLs, a)
		case a == "--":
			endOfOptions = true
		case strings.HasPrefix(a, "--"):
			switch a {
			case "--silent":
				o.Silent = true
			case "--show-error":
				o.ShowError = true
			case "--fail":
				o.Fail = true
			case "--include":
				o.Include = true
			case "--head":
				o.Head = true
			case "--location":
			case "--insecure":
				o.Insecure = true
			case "--output":
				o.Output, err = value(&i, "", a)
			case "--write-out":
				o.WriteOut, err = value(&i, "", a)
			case "--max-time", "--connect-timeout":
				var v string
				if v, err = value(&i, "", a); err == nil {
					o.Timeout, err = seconds(v, a)
				}
			default:
				err = usageError(fmt.Sprintf("curl: option %s: is unknown", a))
			}
		default:
		flags:
			for j := 1; j < len(a); j++ {
				switch a[j] {
				case 's':
					o.Silent = true
				case 'S':
					o.ShowError = true
				case 'f':
					o.Fail = true
				case 'i':
					o.Include = true
				case 'I':
					o.Head = true
				case 'L':
				case 'k':
					o.Insecure = true
				case 'o':
					o.Output, err = value(&i, a[j+1:], "-o")
					break flags
				case 'w':
					o.WriteOut, err = value(&i, a[j+1:], "-w")
					break flags
				case 'm':
					var v string
					if v, err = value(&i, a[j+1:], "-m"); err == nil {
						o.Timeout, err = seconds(v, "-m")
					}
					break flags
				default:
					err = usageError(fmt.Sprintf("curl: option %s: is unknown", a))
					break flags
				}
			}
		}
		if err != nil {
			return o, err
		}
	}
	if len(o.URLs) == 0 {
		return o, usageError("")
	}
	return o, nil
}

func usageError(line string) *Error {
	msg := curlUsageHint
	if line != "" {
		msg = line + "\n" + curlUsageHint
	}
	return &Error{Code: 2, Message: msg, usage: true}
}

// ParseTarget reads a URL as curl does: without a scheme it guesses http; the port defaults to
// the scheme's. Errors are curl's (exit 1 or 3).
func ParseTarget(raw string) (Target, *Error) {
	t := Target{Scheme: "http"}
	rest := raw
	if i := strings.Index(rest, "://"); i >= 0 {
		t.Scheme = strings.ToLower(rest[:i])
		rest = rest[i+3:]
	}
	if strings.ContainsAny(rest, " \t\r\n") || rest == "" && !strings.Contains(raw, "://") {
		return t, curlError(3, "URL rejected: Malformed input to a URL function")
	}
	hostport := rest
	t.Path = "/"
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		hostport = rest[:i]
		if rest[i] == '/' || rest[i] == '?' {
			t.Path = rest[i:]
			if rest[i] == '?' {
				t.Path = "/" + rest[i:]
			}
		}
		if j := strings.IndexByte(t.Path, '#'); j >= 0 {
			t.Path = t.Path[:j]
		}
	}
	if at := strings.LastIndexByte(hostport, '@'); at >= 0 {
		hostport = hostport[at+1:] // user:password@ is not the host
	}
	host, port := hostport, ""
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return t, curlError(3, "URL rejected: Bad IPv6 address")
		}
		if _, err := netip.ParseAddr(host[1:end]); err != nil {
			return t, curlError(3, "URL rejected: Bad IPv6 address")
		}
		host, port = host[:end+1], strings.TrimPrefix(host[end+1:], ":")
		if rest := hostport[end+1:]; rest != "" && !strings.HasPrefix(rest, ":") {
			return t, curlError(3, "URL rejected: Bad IPv6 address")
		}
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host, port = host[:i], host[i+1:]
	}
	if host == "" {
		return t, curlError(3, "URL rejected: No host part in the URL")
	}
	if !strings.HasPrefix(host, "[") && !validHostname(host) {
		return t, curlError(3, "URL rejected: Bad hostname")
	}
	t.Host = host
	switch t.Scheme {
	case "http":
		t.Port = 80
	case "https":
		t.Port = 443
	default:
		return t, curlError(1, fmt.Sprintf("Protocol %q not supported", t.Scheme))
	}
	if port != "" {
		n, err := strconv.ParseUint(port, 10, 32)
		if err != nil || n > 65535 || strings.HasPrefix(port, "+") {
			return t, curlError(3, "URL rejected: Port number was not a decimal number between 0 and 65535")
		}
		t.Port = int32(n)
	}
	return t, nil
}

func validHostname(h string) bool {
	for _, r := range h {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.', r == '_':
		default:
			return false
		}
	}
	return true
}

// Error is a failure as curl reports it: "curl: (7) Failed to connect to …", and its exit code.
type Error struct {
	Code    int
	Message string
	usage   bool // printed as it is, not as "curl: (N) …"
	// connect failures: where to, and how long the kernel took to give up
	host    string
	port    int32
	afterMs int
}

func (e *Error) Error() string {
	if e.usage {
		return e.Message
	}
	return fmt.Sprintf("curl: (%d) %s", e.Code, e.Message)
}

func curlError(code int, msg string) *Error { return &Error{Code: code, Message: msg} }

// connectError is curl's message when the TCP connection fails (lib/connect.c, with curl 8's
// lib/strerror.c text for CURLE_COULDNT_CONNECT): exit 7, or 28 when the kernel timed out.
func connectError(host string, port int32, ms int, timedOut bool) *Error {
	code := 7
	if timedOut {
		code = 28
	}
	e := curlError(code, fmt.Sprintf("Failed to connect to %s port %d after %d ms: Could not connect to server", host, port, ms))
	e.host, e.port, e.afterMs = host, port, ms
	return e
}

// capped is a connect failure that outlasts curl's own timeout (-m, --connect-timeout): curl
// gives up first (exit 28, "Timeout was reached").
func (e *Error) capped(timeout float64) *Error {
	limit := int(timeout * 1000)
	if timeout <= 0 || e.host == "" || e.afterMs <= limit {
		return e
	}
	return curlError(28, fmt.Sprintf("Failed to connect to %s port %d after %d ms: Timeout was reached", e.host, e.port, limit+2))
}
