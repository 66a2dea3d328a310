package proxy

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strings"
)

// portProtoHash is the 16 characters that name a Service port's chains (iptables/proxier.go
// portProtoHash): base32 of the SHA-256 of "namespace/name[:port]" and the protocol.
func portProtoHash(name, protocol string) string {
	sum := sha256.Sum256([]byte(name + protocol))
	return base32.StdEncoding.EncodeToString(sum[:])[:16]
}

// Chain names, as iptables/proxier.go names them.
func svcChain(p ServicePort) string { return "KUBE-SVC-" + portProtoHash(p.Name(), p.proto()) }
func svlChain(p ServicePort) string { return "KUBE-SVL-" + portProtoHash(p.Name(), p.proto()) }
func extChain(p ServicePort) string { return "KUBE-EXT-" + portProtoHash(p.Name(), p.proto()) }
func sepChain(p ServicePort, e Endpoint) string {
	sum := sha256.Sum256([]byte(p.Name() + p.proto() + e.String()))
	return "KUBE-SEP-" + base32.StdEncoding.EncodeToString(sum[:])[:16]
}

// probability is the chance the n-th last rule of a Service chain matches (computeProbability).
func probability(n int) string { return fmt.Sprintf("%0.10f", 1.0/float64(n)) }

// quoted is how iptables-save shows a comment: in quotes when it holds a space.
func quoted(s string) string {
	if strings.ContainsAny(s, " \t") {
		return `"` + s + `"`
	}
	return s
}

// IPTables prints the rules as iptables-save shows the lines kube-proxy wrote for Services, in
// miniature: the filter table's rejects, then the nat table's KUBE-SERVICES and KUBE-NODEPORTS
// jumps and each Service port's chains; kube-proxy's fixed chains (KUBE-MARK-MASQ,
// KUBE-POSTROUTING, KUBE-FORWARD…) and the chain declarations are left out.
func (r Rules) IPTables() []string {
	var filter, services, nodeports, chains []string
	for _, p := range r.Ports {
		name, proto := p.Name(), p.proto()
		hasEndpoints := len(categorize(p.Endpoints, false)) > 0 || len(categorize(p.Endpoints, true)) > 0
		internal := svcChain(p)
		if p.InternalLocal {
			internal = svlChain(p)
		}
		hasInternal := len(p.Internal) > 0
		hasExternal := len(p.External) > 0
		match := fmt.Sprintf("-m %s -p %s -d %s --dport %d", proto, proto, p.ClusterIP, p.Port)
		switch {
		case !hasEndpoints:
			filter = append(filter, fmt.Sprintf(`-A KUBE-SERVICES -m comment --comment "%s has no endpoints" %s -j REJECT`, name, match))
			if p.NodePort != 0 {
				filter = append(filter, fmt.Sprintf(`-A KUBE-EXTERNAL-SERVICES -m comment --comment "%s has no endpoints" -m addrtype --dst-type LOCAL -m %s -p %s --dport %d -j REJECT`,
					name, proto, proto, p.NodePort))
			}
			continue
		case !hasInternal:
			filter = append(filter, fmt.Sprintf(`-A KUBE-SERVICES -m comment --comment "%s has no local endpoints" %s -j DROP`, name, match))
		}
		if p.NodePort != 0 && !hasExternal {
			filter = append(filter, fmt.Sprintf(`-A KUBE-EXTERNAL-SERVICES -m comment --comment "%s has no local endpoints" -m addrtype --dst-type LOCAL -m %s -p %s --dport %d -j DROP`,
				name, proto, proto, p.NodePort))
		}
		if hasInternal {
			services = append(services, fmt.Sprintf(`-A KUBE-SERVICES -m comment --comment "%s cluster IP" %s -j %s`, name, match, internal))
		}
		if p.NodePort != 0 {
			nodeports = append(nodeports, fmt.Sprintf(`-A KUBE-NODEPORTS -m comment --comment %s -m %s -p %s --dport %d -j %s`,
				quoted(name), proto, proto, p.NodePort, extChain(p)))
			ext := extChain(p)
			if !p.ExternalLocal {
				chains = append(chains, fmt.Sprintf(`-A %s -m comment --comment "masquerade traffic for %s external destinations" -j KUBE-MARK-MASQ`, ext, name),
					fmt.Sprintf("-A %s -j %s", ext, svcChain(p)))
			} else {
				chains = append(chains,
					fmt.Sprintf(`-A %s -m comment --comment "pod traffic for %s external destinations" -s %s -j %s`, ext, name, ClusterCIDR, svcChain(p)),
					fmt.Sprintf(`-A %s -m comment --comment "masquerade LOCAL traffic for %s external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`, ext, name),
					fmt.Sprintf(`-A %s -m comment --comment "route LOCAL traffic for %s external destinations" -m addrtype --src-type LOCAL -j %s`, ext, name, svcChain(p)))
				if hasExternal {
					chains = append(chains, fmt.Sprintf("-A %s -j %s", ext, svlChain(p)))
				}
			}
		}
		// The policy chains: the cluster one (KUBE-SVC) and, where a policy is Local, the local one
		// (KUBE-SVL). The chain internal traffic enters first masquerades traffic from outside the
		// pod network.
		cluster, local := categorize(p.Endpoints, false), categorize(p.Endpoints, true)
		usesCluster := len(cluster) > 0 && (!p.InternalLocal || p.NodePort != 0 && !p.ExternalLocal)
		usesLocal := len(local) > 0 && (p.InternalLocal || p.NodePort != 0 && p.ExternalLocal)
		masq := fmt.Sprintf(`-A %s -m comment --comment "%s cluster IP" %s ! -s %s -j KUBE-MARK-MASQ`, internal, name, match, ClusterCIDR)
		if usesCluster {
			if hasInternal && !p.InternalLocal {
				chains = append(chains, masq)
			}
			chains = append(chains, serviceToEndpoints(p, svcChain(p), cluster)...)
		}
		if usesLocal {
			if hasInternal && p.InternalLocal {
				chains = append(chains, masq)
			}
			chains = append(chains, serviceToEndpoints(p, svlChain(p), local)...)
		}
		var reachable []Endpoint
		if usesCluster {
			reachable = append(reachable, cluster...)
		}
		if usesLocal {
			reachable = append(reachable, local...)
		}
		seen := map[string]bool{}
		for _, e := range reachable {
			sep := sepChain(p, e)
			if seen[sep] {
				continue
			}
			seen[sep] = true
			dnat := fmt.Sprintf("-A %s -m comment --comment %s", sep, quoted(name))
			if p.Affinity > 0 {
				dnat += fmt.Sprintf(" -m recent --name %s --set", sep)
			}
			chains = append(chains,
				fmt.Sprintf("-A %s -m comment --comment %s -s %s -j KUBE-MARK-MASQ", sep, quoted(name), e.IP),
				fmt.Sprintf("%s -m %s -p %s -j DNAT --to-destination %s", dnat, proto, proto, e.String()))
		}
	}
	out := []string{"*filter"}
	out = append(out, filter...)
	out = append(out, "COMMIT", "*nat")
	out = append(out, services...)
	out = append(out, `-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`)
	out = append(out, nodeports...)
	out = append(out, chains...)
	return append(out, "COMMIT")
}

// serviceToEndpoints is writeServiceToEndpointRules: the affinity checks, then one rule per
// endpoint, each matching with the probability that spreads connections evenly.
func serviceToEndpoints(p ServicePort, chain string, eps []Endpoint) []string {
	var out []string
	if p.Affinity > 0 {
		for _, e := range eps {
			out = append(out, fmt.Sprintf(`-A %s -m comment --comment "%s -> %s" -m recent --name %s --rcheck --seconds %d --reap -j %s`,
				chain, p.Name(), e.String(), sepChain(p, e), p.Affinity, sepChain(p, e)))
		}
	}
	for i, e := range eps {
		rule := fmt.Sprintf(`-A %s -m comment --comment "%s -> %s"`, chain, p.Name(), e.String())
		if i < len(eps)-1 {
			rule += " -m statistic --mode random --probability " + probability(len(eps)-i)
		}
		out = append(out, rule+" -j "+sepChain(p, e))
	}
	return out
}
