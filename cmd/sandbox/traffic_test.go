package sandbox

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/engine/proxy"
)

// servicesScript is the acceptance for Services: three nginx pods behind a Service answer
// curl, then none does.
var servicesScript = []string{
	"kubectl create deployment web --image=nginx --replicas=3",
	"run",
	"kubectl expose deployment web --port=80",
	"run",
	"curl web",
	"kubectl get endpointslices",
	"proxy node-1",
	"kubectl scale deployment web --replicas=0",
	"run",
	"curl web",
}

// TestServicesTranscript plays the script in the sandbox, twice: the transcript is the golden
// file's, and the same seed gives the same bytes.
func TestServicesTranscript(t *testing.T) {
	play := func() string {
		var out bytes.Buffer
		s := newSession(t, &out)
		for _, line := range servicesScript {
			out.WriteString("$ " + line + "\n")
			s.Exec(line)
		}
		return out.String()
	}
	got := play()
	if again := play(); again != got {
		t.Fatal("same seed, different transcripts")
	}
	for _, want := range []string{"<title>Welcome to nginx!</title>", "KUBE-SVC-", "-m statistic --mode random --probability 0.3333333333",
		"curl: (7) Failed to connect to web port 80 after 0 ms: Could not connect to server"} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	golden := filepath.Join("testdata", "services.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("transcript differs from %s (go test ./cmd/sandbox -update, then read the diff)", golden)
	}
}

// TestTrafficBadInput: every mistake gets a clear line, and the session goes on.
func TestTrafficBadInput(t *testing.T) {
	cases := []struct{ line, want string }{
		{"proxy", "usage: proxy NODE"},
		{"proxy node-9", "there is no node node-9; the nodes are node-1, node-2"},
		{"proxy node-1 --mode ipvs", "there is no kube-proxy mode ipvs here"},
		{"proxy node-1 --mode", "usage: proxy NODE"},
		{"proxy node-1 node-2", "usage: proxy NODE"},
		{"proxy node-1 --verbose", "proxy knows only --mode"},
		{"curl", "curl: try 'curl --help' or 'curl --manual' for more information\n[exit status 2]"},
		{"curl -X POST web", "curl: option -X: is unknown"},
		{"curl nowhere", "curl: (6) Could not resolve host: nowhere\n[exit status 6]"},
		{"curl http://web:70000", "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535"},
		{"curl ftp://web", `curl: (1) Protocol "ftp" not supported`},
		{"curl 'web'\"", "curl: (3) URL rejected: Bad hostname"},
		{"nslookup", "usage: nslookup NAME"},
		{"nslookup nosuch", "** server can't find nosuch: NXDOMAIN"},
		{"nslookup web 8.8.8.8", ";; connection timed out; no servers could be reached"},
	}
	for _, c := range cases {
		var out bytes.Buffer
		s := newSession(t, &out)
		if s.Exec(c.line) {
			t.Errorf("%s ended the session", c.line)
		}
		if !strings.Contains(out.String(), c.want) {
			t.Errorf("%s:\n%s\nwant %q", c.line, out.String(), c.want)
		}
		if strings.Contains(out.String(), "internal error") {
			t.Errorf("%s panicked: %s", c.line, out.String())
		}
	}
}

func TestParseProxyArgs(t *testing.T) {
	cases := []struct {
		args []string
		want proxyArgs
	}{
		{[]string{"node-1"}, proxyArgs{node: "node-1", mode: proxy.IPTables}},
		{[]string{"node-1", "--mode", "nftables"}, proxyArgs{node: "node-1", mode: proxy.NFTables}},
		{[]string{"--mode=iptables", "node-2"}, proxyArgs{node: "node-2", mode: proxy.IPTables}},
		{[]string{"-m", "nftables", "node-2"}, proxyArgs{node: "node-2", mode: proxy.NFTables}},
		{nil, proxyArgs{errID: "sandbox.usage.proxy"}},
		{[]string{"--mode=ipvs", "node-1"}, proxyArgs{errID: "sandbox.proxy.bad_mode", arg: "ipvs"}},
		{[]string{"node-1", "-x"}, proxyArgs{errID: "sandbox.proxy.bad_flag", arg: "-x"}},
	}
	for _, c := range cases {
		if got := parseProxyArgs(c.args); got != c.want {
			t.Errorf("parseProxyArgs(%q) = %+v, want %+v", c.args, got, c.want)
		}
	}
}

func FuzzParseProxyArgs(f *testing.F) {
	for _, s := range []string{"node-1", "node-1 --mode nftables", "--mode= node-1", "-m", "--mode --mode", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		p := parseProxyArgs(strings.Fields(line))
		if p.errID == "" && (p.node == "" || p.mode != proxy.IPTables && p.mode != proxy.NFTables) {
			t.Fatalf("%q parsed to %+v", line, p)
		}
	})
}

// A learner may look at DNS and kube-proxy's rules while a question is open; curl draws from the
// network's random stream (which pod answers), so it stays a lesson's own step.
func TestReadOnlyTrafficCommands(t *testing.T) {
	for line, want := range map[string]bool{
		"nslookup web": true, "proxy node-2": true, "proxy node-1 --mode nftables": true,
		"curl web": false, "kubectl curl web": false, "fault probe web fail": false, "wait 10s": false,
		"kubectl get endpointslices": true, "get svc": true,
	} {
		if got := ReadOnly(line); got != want {
			t.Errorf("ReadOnly(%q) = %v, want %v", line, got, want)
		}
	}
}
