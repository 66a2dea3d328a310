package proxy

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strings"
)

// chainBase is the part of an nftables chain name after "service-" or "external-": eight
// characters of hash, then the readable name (nftables/proxier.go hashAndTruncate and
// servicePortChainNameBase).
func chainBase(name string) string {
	sum := sha256.Sum256([]byte(name))
	return base32.StdEncoding.EncodeToString(sum[:])[:8] + "-" + name
}

func (p ServicePort) nftName() string {
	return fmt.Sprintf("%s/%s/%s/%s", p.Namespace, p.Service, p.proto(), p.PortName)
}

func nftEndpointChain(p ServicePort, e Endpoint) string {
	return "endpoint-" + chainBase(fmt.Sprintf("%s__%s/%d", p.nftName(), e.IP, e.Port))
}

func nftAffinitySet(p ServicePort, e Endpoint) string {
	return "affinity-" + chainBase(fmt.Sprintf("%s__%s/%d", p.nftName(), e.IP, e.Port))
}

// NFTables prints what kube-proxy's nftables mode writes for the Services, as the "add" commands of
// its transaction (the form of nftables/proxier_test.go), in miniature: the dispatch rules of the
// services chain, then each Service port's elements and chains; the table's fixed sets, maps and
// chains (filter hooks, masquerading, firewall) are left out.
func (r Rules) NFTables() []string {
	const t = "ip kube-proxy"
	out := []string{
		fmt.Sprintf("add rule %s services ip daddr @cluster-ips ip saddr != %s mark set mark or 0x4000 comment %q", t, ClusterCIDR, "masquerade clusterIP traffic from outside cluster"),
		fmt.Sprintf("add rule %s services ip daddr . meta l4proto . th dport vmap @service-ips", t),
		fmt.Sprintf("add rule %s services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports", t),
		fmt.Sprintf("add element %s nodeport-ips { %s }", t, r.NodeIP),
	}
	for _, p := range r.Ports {
		proto := p.proto()
		svc := "service-" + chainBase(p.nftName())
		ext := "external-" + chainBase(p.nftName())
		cluster, local := categorize(p.Endpoints, false), categorize(p.Endpoints, true)
		internal := cluster
		if p.InternalLocal {
			internal = local
		}
		out = append(out, "", "# "+p.Name())
		if len(cluster) > 0 || len(local) > 0 {
			eps := cluster
			if p.InternalLocal && !(p.NodePort != 0 && !p.ExternalLocal) {
				eps = local
			}
			out = append(out, fmt.Sprintf("add chain %s %s", t, svc))
			out = append(out, nftServiceRules(t, svc, p, eps)...)
			if p.NodePort != 0 {
				out = append(out, fmt.Sprintf("add chain %s %s", t, ext))
				if !p.ExternalLocal {
					out = append(out, fmt.Sprintf("add rule %s %s mark set mark or 0x4000 comment %q", t, ext, "masquerade"),
						fmt.Sprintf("add rule %s %s goto %s", t, ext, svc))
				} else {
					out = append(out,
						fmt.Sprintf("add rule %s %s ip saddr %s goto %s comment %q", t, ext, ClusterCIDR, svc, "short-circuit pod traffic"),
						fmt.Sprintf("add rule %s %s fib saddr type local mark set mark or 0x4000 comment %q", t, ext, "masquerade local traffic"),
						fmt.Sprintf("add rule %s %s fib saddr type local goto %s comment %q", t, ext, svc, "short-circuit local traffic"))
				}
			}
			if p.Affinity > 0 {
				for _, e := range eps {
					ch := nftEndpointChain(p, e)
					out = append(out, fmt.Sprintf("add chain %s %s", t, ch),
						fmt.Sprintf("add rule %s %s update @%s { ip saddr }", t, ch, nftAffinitySet(p, e)),
						fmt.Sprintf("add rule %s %s meta l4proto %s dnat to %s", t, ch, proto, e.String()))
				}
			}
		}
		out = append(out, fmt.Sprintf("add element %s cluster-ips { %s }", t, p.ClusterIP))
		switch {
		case len(internal) > 0:
			out = append(out, fmt.Sprintf("add element %s service-ips { %s . %s . %d : goto %s }", t, p.ClusterIP, proto, p.Port, svc))
		case len(cluster) > 0 || len(local) > 0:
			out = append(out, fmt.Sprintf("add element %s no-endpoint-services { %s . %s . %d comment %q : drop }", t, p.ClusterIP, proto, p.Port, p.Name()))
		default:
			out = append(out, fmt.Sprintf("add element %s no-endpoint-services { %s . %s . %d comment %q : goto reject-chain }", t, p.ClusterIP, proto, p.Port, p.Name()))
		}
		if p.NodePort != 0 {
			switch {
			case len(p.External) > 0:
				out = append(out, fmt.Sprintf("add element %s service-nodeports { %s . %d : goto %s }", t, proto, p.NodePort, ext))
			case len(cluster) > 0 || len(local) > 0:
				out = append(out, fmt.Sprintf("add element %s no-endpoint-nodeports { %s . %d comment %q : drop }", t, proto, p.NodePort, p.Name()))
			default:
				out = append(out, fmt.Sprintf("add element %s no-endpoint-nodeports { %s . %d comment %q : goto reject-chain }", t, proto, p.NodePort, p.Name()))
			}
		}
	}
	return out
}

// nftServiceRules send a connection to one endpoint: a plain dnat for one, a random map for
// several (writeServiceToEndpointDNATs), or, with session affinity, the affinity checks and a
// random verdict map to per-endpoint chains (writeServiceToEndpointJumps).
func nftServiceRules(t, chain string, p ServicePort, eps []Endpoint) []string {
	proto := p.proto()
	if p.Affinity > 0 {
		var out, elems []string
		for i, e := range eps {
			out = append(out, fmt.Sprintf("add set %s %s { type ipv4_addr ; flags dynamic,timeout ; timeout %ds ; }", t, nftAffinitySet(p, e), p.Affinity))
			elems = append(elems, fmt.Sprintf("%d : goto %s", i, nftEndpointChain(p, e)))
		}
		for _, e := range eps {
			out = append(out, fmt.Sprintf("add rule %s %s ip saddr @%s goto %s", t, chain, nftAffinitySet(p, e), nftEndpointChain(p, e)))
		}
		return append(out, fmt.Sprintf("add rule %s %s numgen random mod %d vmap { %s }", t, chain, len(eps), strings.Join(elems, " , ")))
	}
	if len(eps) == 1 {
		return []string{fmt.Sprintf("add rule %s %s meta l4proto %s dnat to %s", t, chain, proto, eps[0].String())}
	}
	elems := make([]string, 0, len(eps))
	for i, e := range eps {
		elems = append(elems, fmt.Sprintf("%d : %s . %d", i, e.IP, e.Port))
	}
	return []string{fmt.Sprintf("add rule %s %s meta l4proto %s dnat ip addr . port to numgen random mod %d map { %s }", t, chain, proto, len(eps), strings.Join(elems, " , "))}
}
