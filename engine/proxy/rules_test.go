package proxy

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

func service(name, ip string, port int32, portName string) *corev1.Service {
	return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeClusterIP, ClusterIP: ip,
			Ports: []corev1.ServicePort{{Name: portName, Port: port, Protocol: corev1.ProtocolTCP}}}}
}

type ep struct {
	ip                          string
	node                        string
	ready, serving, terminating bool
}

func slice(svc, portName string, port int32, eps ...ep) *discoveryv1.EndpointSlice {
	s := &discoveryv1.EndpointSlice{ObjectMeta: metav1.ObjectMeta{Name: svc + "-abcde", Namespace: "default",
		Labels: map[string]string{discoveryv1.LabelServiceName: svc}}, AddressType: discoveryv1.AddressTypeIPv4,
		Ports: []discoveryv1.EndpointPort{{Name: ptr.To(portName), Port: ptr.To(port), Protocol: ptr.To(corev1.ProtocolTCP)}}}
	for _, e := range eps {
		s.Endpoints = append(s.Endpoints, discoveryv1.Endpoint{Addresses: []string{e.ip}, NodeName: ptr.To(e.node),
			Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(e.ready), Serving: ptr.To(e.serving), Terminating: ptr.To(e.terminating)}})
	}
	return s
}

// The chain names are kube-proxy's own: KUBE-SVC-NPX46M4PTMTKRN6Y is the kubernetes Service's chain
// on every cluster.
func TestChainNames(t *testing.T) {
	p := ServicePort{Namespace: "default", Service: "kubernetes", PortName: "https", Protocol: corev1.ProtocolTCP}
	if got := svcChain(p); got != "KUBE-SVC-NPX46M4PTMTKRN6Y" {
		t.Errorf("svcChain = %s", got)
	}
	// From kubernetes v1.37.2 pkg/proxy/nftables/proxier_test.go: ns1/svc1/tcp/p80.
	if got := chainBase("ns1/svc1/tcp/p80"); got != "ULMVA6XW-ns1/svc1/tcp/p80" {
		t.Errorf("chainBase = %s", got)
	}
	// From pkg/proxy/iptables/proxier_test.go: ns1/svc1:p80 and its endpoint 10.180.0.1:80.
	q := ServicePort{Namespace: "ns1", Service: "svc1", PortName: "p80", Protocol: corev1.ProtocolTCP}
	if got := svcChain(q); got != "KUBE-SVC-XPGD46QRK7WJZT7O" {
		t.Errorf("svcChain = %s", got)
	}
	if got := sepChain(q, Endpoint{IP: "10.180.0.1", Port: 80}); got != "KUBE-SEP-SXIVWICOYRO3J4NJ" {
		t.Errorf("sepChain = %s", got)
	}
}

func TestRulesFollowEndpointConditions(t *testing.T) {
	svcs := []*corev1.Service{service("web", "10.96.5.5", 80, "")}
	cases := []struct {
		name     string
		eps      []ep
		internal []string
		rule     string
	}{
		{"three ready", []ep{{"10.244.1.2", "node-1", true, true, false}, {"10.244.2.2", "node-2", true, true, false}, {"10.244.1.3", "node-1", true, true, false}},
			[]string{"10.244.1.2:80", "10.244.1.3:80", "10.244.2.2:80"}, "--probability 0.3333333333"},
		{"one not ready", []ep{{"10.244.1.2", "node-1", true, true, false}, {"10.244.2.2", "node-2", false, false, false}},
			[]string{"10.244.1.2:80"}, `"default/web -> 10.244.1.2:80" -j KUBE-SEP-`},
		{"only terminating ones, still serving", []ep{{"10.244.1.2", "node-1", false, true, true}},
			[]string{"10.244.1.2:80"}, `"default/web -> 10.244.1.2:80" -j KUBE-SEP-`},
		{"none ready", []ep{{"10.244.1.2", "node-1", false, false, false}},
			nil, `"default/web has no endpoints" -m tcp -p tcp -d 10.96.5.5 --dport 80 -j REJECT`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Build("node-1", "172.18.0.2", svcs, []*discoveryv1.EndpointSlice{slice("web", "", 80, c.eps...)})
			var got []string
			for _, e := range r.Ports[0].Internal {
				got = append(got, e.String())
			}
			if strings.Join(got, ",") != strings.Join(c.internal, ",") {
				t.Errorf("internal endpoints %v, want %v", got, c.internal)
			}
			if all := strings.Join(r.IPTables(), "\n"); !strings.Contains(all, c.rule) {
				t.Errorf("no rule with %q in\n%s", c.rule, all)
			}
			p := &Proxy{rules: r, nodeIP: "172.18.0.2", clock: fixedClock{}, affinity: map[string]affinityEntry{}}
			route := p.Connect("10.244.1.7", "10.96.5.5", 80, rand.New(rand.NewPCG(1, 1)))
			if want := map[bool]Verdict{true: Forward, false: Reject}[len(c.internal) > 0]; route.Verdict != want {
				t.Errorf("verdict %v, want %v", route.Verdict, want)
			}
		})
	}
}

// The probability cascade spreads connections evenly, as the kernel's statistic module would.
func TestPickIsEven(t *testing.T) {
	eps := []Endpoint{{IP: "a", Port: 80}, {IP: "b", Port: 80}, {IP: "c", Port: 80}}
	p := &Proxy{affinity: map[string]affinityEntry{}, clock: fixedClock{}}
	rnd := rand.New(rand.NewPCG(1, 2))
	counts := map[string]int{}
	for range 3000 {
		counts[p.pick(ServicePort{Service: "web"}, "c1", eps, rnd).IP]++
	}
	for _, ip := range []string{"a", "b", "c"} {
		if counts[ip] < 900 || counts[ip] > 1100 {
			t.Errorf("%s got %d of 3000", ip, counts[ip])
		}
	}
}

func TestNFTablesOneAndMany(t *testing.T) {
	svcs := []*corev1.Service{service("web", "10.96.5.5", 80, "http"), service("db", "10.96.6.6", 5432, "")}
	slices := []*discoveryv1.EndpointSlice{
		slice("web", "http", 8080, ep{"10.244.1.2", "node-1", true, true, false}, ep{"10.244.2.2", "node-2", true, true, false}),
		slice("db", "", 5432, ep{"10.244.1.9", "node-1", true, true, false}),
	}
	out := strings.Join(Build("node-1", "172.18.0.2", svcs, slices).NFTables(), "\n")
	for _, want := range []string{
		"dnat ip addr . port to numgen random mod 2 map { 0 : 10.244.1.2 . 8080 , 1 : 10.244.2.2 . 8080 }",
		"meta l4proto tcp dnat to 10.244.1.9:5432",
		"add element ip kube-proxy service-ips { 10.96.5.5 . tcp . 80 : goto service-",
		"-default/web/tcp/http }",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

type fixedClock struct{}

func (fixedClock) Now() time.Time { return time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC) }
