package network

import (
	"strings"
	"testing"
)

func TestParseTarget(t *testing.T) {
	cases := []struct {
		in   string
		want Target
		err  string
	}{
		{"web", Target{Scheme: "http", Host: "web", Port: 80, Path: "/"}, ""},
		{"web:8080/healthz?x=1", Target{Scheme: "http", Host: "web", Port: 8080, Path: "/healthz?x=1"}, ""},
		{"http://10.96.0.1", Target{Scheme: "http", Host: "10.96.0.1", Port: 80, Path: "/"}, ""},
		{"https://kubernetes.default.svc/api", Target{Scheme: "https", Host: "kubernetes.default.svc", Port: 443, Path: "/api"}, ""},
		{"HTTP://Web.Default/#frag", Target{Scheme: "http", Host: "Web.Default", Port: 80, Path: "/"}, ""},
		{"user:pw@web:81", Target{Scheme: "http", Host: "web", Port: 81, Path: "/"}, ""},
		{"web?q", Target{Scheme: "http", Host: "web", Port: 80, Path: "/?q"}, ""},
		{"[::1]:8080", Target{Scheme: "http", Host: "[::1]", Port: 8080, Path: "/"}, ""},
		{"web:", Target{Scheme: "http", Host: "web", Port: 80, Path: "/"}, ""},
		{"web:99999", Target{}, "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535"},
		{"web:+80", Target{}, "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535"},
		{"ftp://web", Target{}, `curl: (1) Protocol "ftp" not supported`},
		{"http://", Target{}, "curl: (3) URL rejected: No host part in the URL"},
		{"http://:80/", Target{}, "curl: (3) URL rejected: No host part in the URL"},
		{"we b", Target{}, "curl: (3) URL rejected: Malformed input to a URL function"},
		{"web<", Target{}, "curl: (3) URL rejected: Bad hostname"},
		{"[::1", Target{}, "curl: (3) URL rejected: Bad IPv6 address"},
	}
	for _, c := range cases {
		got, err := ParseTarget(c.in)
		switch {
		case c.err != "":
			if err == nil || err.Error() != c.err {
				t.Errorf("ParseTarget(%q) error %v, want %q", c.in, err, c.err)
			}
		case err != nil:
			t.Errorf("ParseTarget(%q): %v", c.in, err)
		case got != c.want:
			t.Errorf("ParseTarget(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestParseCurl(t *testing.T) {
	o, err := ParseCurl([]string{"-sS", "-o", "/dev/null", "-w", "%{http_code}\\n", "--max-time", "5", "-kL", "web", "--", "-odd"})
	if err != nil {
		t.Fatal(err)
	}
	if !o.Silent || !o.ShowError || !o.Insecure || o.Output != "/dev/null" || o.WriteOut != `%{http_code}\n` || o.Timeout != 5 ||
		strings.Join(o.URLs, " ") != "web -odd" {
		t.Errorf("ParseCurl = %+v", o)
	}
	if o, err := ParseCurl([]string{"-sow", "web"}); err != nil || o.Output != "w" || o.URLs[0] != "web" {
		t.Errorf("-sow web: %+v %v", o, err)
	}
	for args, want := range map[string]string{
		"":               "curl: try 'curl --help' or 'curl --manual' for more information",
		"-X POST web":    "curl: option -X: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information",
		"--data x web":   "curl: option --data: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information",
		"web -o":         "curl: option -o: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information",
		"-m soon web":    "curl: option -m: expected a proper numerical parameter\ncurl: try 'curl --help' or 'curl --manual' for more information",
		"-m -1 web":      "curl: option -m: expected a proper numerical parameter\ncurl: try 'curl --help' or 'curl --manual' for more information",
		"-s --write-out": "curl: option --write-out: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information",
	} {
		_, err := ParseCurl(strings.Fields(args))
		if err == nil || err.Error() != want || err.Code != 2 {
			t.Errorf("curl %s: %v, want %q", args, err, want)
		}
	}
}

func TestWriteOut(t *testing.T) {
	if got := writeOut(`%{http_code}\n%%`, 200); got != "200\n%" {
		t.Errorf("writeOut = %q", got)
	}
	if got := writeOut(`%{http_code}`, 0); got != "000" {
		t.Errorf("writeOut without an answer = %q", got)
	}
}

func TestCappedByTimeout(t *testing.T) {
	e := connectError("web", 81, timeoutMs, true)
	if got := e.capped(5).Error(); got != "curl: (28) Failed to connect to web port 81 after 5002 ms: Timeout was reached" {
		t.Errorf("capped: %s", got)
	}
	if got := connectError("web", 80, 0, false).capped(5); got.Code != 7 {
		t.Errorf("a refused connection is not capped: %v", got)
	}
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"web", "http://web:80/x", "https://[::1]:443", "a@b:c", "web:", "://", "[", "web:65536"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseTarget(s)
		if err != nil {
			if err.Code != 1 && err.Code != 3 || !strings.HasPrefix(err.Error(), "curl: (") {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if tg.Host == "" || tg.Port < 0 || tg.Port > 65535 || !strings.HasPrefix(tg.Path, "/") || tg.Scheme != "http" && tg.Scheme != "https" {
			t.Fatalf("%q parsed to %+v", s, tg)
		}
	})
}

func FuzzParseCurl(f *testing.F) {
	for _, s := range []string{"web", "-sS web", "-o /dev/null -w %{http_code} web", "-m 5 web", "--connect-timeout", "-sow", "-- -x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseCurl(strings.Fields(s))
		if err != nil {
			if err.Code != 2 || !strings.HasSuffix(err.Error(), curlUsageHint) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if len(o.URLs) == 0 || o.Timeout < 0 {
			t.Fatalf("%q parsed to %+v", s, o)
		}
	})
}
