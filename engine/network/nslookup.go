package network

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/k8slearn/k8slearn/engine/dns"
)

// NSLookupResult is what nslookup printed and its exit code.
type NSLookupResult struct {
	Stdout, Stderr string
	Exit           int
}

// NSLookup runs "nslookup NAME [SERVER]" from c, printing as bind's nslookup (the dnsutils image
// the Kubernetes DNS debugging guide uses) does: the server, then the answers, with the search
// path applied to a relative name. An address is looked up in reverse (PTR).
func (w *World) NSLookup(c Client, args []string) NSLookupResult {
	var name, server string
	for _, a := range args {
		switch {
		case strings.HasPrefix(a, "-"):
			// options (-type=…, -debug) are not modelled; bind ignores what it does not know
		case name == "":
			name = a
		case server == "":
			server = a
		}
	}
	if name == "" {
		// bind's nslookup without a name starts its interactive mode; there is no terminal here.
		return NSLookupResult{Stderr: "nslookup: interactive mode is not available\n", Exit: 1}
	}
	if server != "" && server != dns.ServerIP {
		// Nothing answers DNS on other addresses (bin/dig/nslookup.c, after its retries).
		return NSLookupResult{Stdout: ";; connection timed out; no servers could be reached\n\n", Exit: 1}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Server:\t\t%s\nAddress:\t%s#53\n\n", dns.ServerIP, dns.ServerIP)
	if addr, err := netip.ParseAddr(name); err == nil && addr.Is4() {
		ptr := reverseName(addr)
		if target, ok := w.DNS.Reverse(addr.String()); ok {
			fmt.Fprintf(&b, "%s\tname = %s.\n\n", ptr, target)
			return NSLookupResult{Stdout: b.String()}
		}
		fmt.Fprintf(&b, "** server can't find %s: NXDOMAIN\n\n", ptr)
		return NSLookupResult{Stdout: b.String(), Exit: 1}
	}
	a, ok := w.DNS.Lookup(c.Namespace, name)
	if !ok {
		fmt.Fprintf(&b, "** server can't find %s: NXDOMAIN\n\n", name)
		return NSLookupResult{Stdout: b.String(), Exit: 1}
	}
	if len(a.IPs) == 0 {
		fmt.Fprintf(&b, "*** Can't find %s: No answer\n\n", name)
		return NSLookupResult{Stdout: b.String(), Exit: 1}
	}
	ips := append([]string(nil), a.IPs...)
	if n := len(ips); n > 1 { // CoreDNS's loadbalance plugin rotates the records
		k := w.Rand.IntN(n)
		ips = append(ips[k:], ips[:k]...)
	}
	for _, ip := range ips {
		fmt.Fprintf(&b, "Name:\t%s\nAddress: %s\n", a.Name, ip)
	}
	b.WriteString("\n")
	return NSLookupResult{Stdout: b.String()}
}

func reverseName(a netip.Addr) string {
	b := a.As4()
	return fmt.Sprintf("%d.%d.%d.%d.in-addr.arpa", b[3], b[2], b[1], b[0])
}
