package proxy

import (
	"math/rand/v2"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/informer"
	"github.com/k8slearn/k8slearn/engine/work"
)

// Mode is how kube-proxy programs the kernel.
type Mode string

const (
	IPTables Mode = "iptables"
	NFTables Mode = "nftables"
	// DefaultMode is kube-proxy's mode on Linux when none is configured, still iptables in v1.37
	// (cmd/kube-proxy/app/server_linux.go platformApplyDefaults).
	DefaultMode = IPTables
)

// syncKey is the one key of kube-proxy's queue: like its BoundedFrequencyRunner, every change
// leads to one sync of all the rules.
const syncKey = "sync"

// informerSelector is the label selector kube-proxy's informers use (cmd/kube-proxy/app/server.go):
// no Services meant for another proxy, no EndpointSlices of headless Services.
const informerSelector = "!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless"

// Proxy is the kube-proxy of one node.
type Proxy struct {
	node, nodeIP string
	clock        clock.Clock
	queue        *work.Queue
	svcInf       *informer.Informer
	sliceInf     *informer.Informer
	rules        Rules
	affinity     map[string]affinityEntry // service port and client IP -> the endpoint it sticks to
}

type affinityEntry struct {
	endpoint string
	at       time.Time
}

// New starts the kube-proxy of node and writes its first rules at once, as kube-proxy does when it
// starts (before anyone uses the cluster).
func New(api *apiserver.Server, clk clock.Clock, agenda *work.Agenda, node, nodeIP string) (*Proxy, error) {
	p := &Proxy{node: node, nodeIP: nodeIP, clock: clk, queue: agenda.NewQueue("kube-proxy/" + node),
		affinity: map[string]affinityEntry{}}
	client := api.Client("kube-proxy/" + node)
	sel, err := labels.Parse(informerSelector)
	if err != nil {
		return nil, err
	}
	opts := apiserver.ListOptions{LabelSelector: sel}
	p.svcInf, err = informer.New(client, "services", "", opts, informer.Handlers{
		OnAdd: func(o runtime.Object, ev informer.Event) {
			if handled(o.(*corev1.Service)) {
				p.enqueue(o, ev)
			}
		},
		OnUpdate: func(old, o runtime.Object, ev informer.Event) {
			if serviceChanged(old.(*corev1.Service), o.(*corev1.Service)) {
				p.enqueue(o, ev)
			}
		},
		OnDelete: func(o runtime.Object, ev informer.Event) {
			if handled(o.(*corev1.Service)) {
				p.enqueue(o, ev)
			}
		},
	}, nil)
	if err != nil {
		return nil, err
	}
	p.sliceInf, err = informer.New(client, "endpointslices", "", opts, informer.Handlers{
		OnAdd: func(o runtime.Object, ev informer.Event) { p.enqueue(o, ev) },
		OnUpdate: func(old, o runtime.Object, ev informer.Event) {
			a, b := old.(*discoveryv1.EndpointSlice), o.(*discoveryv1.EndpointSlice)
			if !apiequality.Semantic.DeepEqual(a.Endpoints, b.Endpoints) || !apiequality.Semantic.DeepEqual(a.Ports, b.Ports) ||
				a.Labels[discoveryv1.LabelServiceName] != b.Labels[discoveryv1.LabelServiceName] || a.AddressType != b.AddressType {
				p.enqueue(o, ev)
			}
		},
		OnDelete: func(o runtime.Object, ev informer.Event) { p.enqueue(o, ev) },
	}, nil)
	if err != nil {
		return nil, err
	}
	p.queue.Forget()
	p.sync()
	return p, nil
}

// serviceChanged: a change kube-proxy's rules depend on (servicechangetracker.go Update compares
// the Service ports it builds).
func serviceChanged(old, cur *corev1.Service) bool {
	if handled(old) != handled(cur) {
		return true
	}
	if !handled(cur) {
		return false
	}
	a, b := old.Spec, cur.Spec
	return a.Type != b.Type || a.ClusterIP != b.ClusterIP || !apiequality.Semantic.DeepEqual(a.Ports, b.Ports) ||
		a.SessionAffinity != b.SessionAffinity || !apiequality.Semantic.DeepEqual(a.SessionAffinityConfig, b.SessionAffinityConfig) ||
		a.ExternalTrafficPolicy != b.ExternalTrafficPolicy || !apiequality.Semantic.DeepEqual(a.InternalTrafficPolicy, b.InternalTrafficPolicy)
}

func (p *Proxy) enqueue(o runtime.Object, ev informer.Event) {
	ns, name := informer.SplitKey(informer.KeyOf(o))
	p.queue.Add(syncKey, p.clock.Now(), work.Trigger{Kind: work.Watch, EventType: string(ev.Type), Resource: ev.Resource,
		Namespace: ns, Name: name, Revision: ev.Revision})
}

// Name implements component.Component.
func (p *Proxy) Name() string { return "kube-proxy/" + p.node }

// Node is the node this kube-proxy runs on.
func (p *Proxy) Node() string { return p.node }

// Informers implements component.Component.
func (p *Proxy) Informers() []*informer.Informer { return []*informer.Informer{p.svcInf, p.sliceInf} }

// Queue implements component.Component.
func (p *Proxy) Queue() *work.Queue { return p.queue }

// Process rewrites the node's rules from what the informers hold. kube-proxy writes nothing through
// the API server; the trace says what it wrote in the kernel.
func (p *Proxy) Process(work.Item) component.Result {
	p.sync()
	ports, endpoints := p.rules.Counts()
	return component.Result{Notes: []component.Note{{ID: "trace.note.proxy_synced",
		Args: map[string]any{"Mode": string(DefaultMode), "Ports": ports, "Endpoints": endpoints}}}}
}

func (p *Proxy) sync() {
	var services []*corev1.Service
	for _, o := range p.svcInf.List() {
		services = append(services, o.(*corev1.Service))
	}
	var slices []*discoveryv1.EndpointSlice
	for _, o := range p.sliceInf.List() {
		slices = append(slices, o.(*discoveryv1.EndpointSlice))
	}
	p.rules = Build(p.node, p.nodeIP, services, slices)
}

// Rules are the rules the node's kernel holds now: what kube-proxy last wrote.
func (p *Proxy) Rules() Rules { return p.rules }

// Verdict is what a node's rules do with a new connection.
type Verdict int

const (
	// NoMatch: no Service rule matches; the packet goes wherever its address leads.
	NoMatch Verdict = iota
	// Forward: the connection is sent (DNAT) to an endpoint.
	Forward
	// Reject: the Service has no endpoints; the connection is refused at once.
	Reject
	// Drop: the Service has endpoints, none for this traffic policy; the packet is dropped.
	Drop
)

// Route is where a node's rules send one connection.
type Route struct {
	Verdict  Verdict
	Port     ServicePort // the Service port that matched
	Endpoint Endpoint    // for Forward
	NodePort bool        // matched as a node port rather than a cluster IP
}

// Connect follows the node's rules for a new TCP connection from clientIP to dst:port, picking
// an endpoint the way the rules would: the endpoint the client sticks to under session affinity,
// else rule after rule, each matching with its probability, drawing from rnd.
func (p *Proxy) Connect(clientIP, dst string, port int32, rnd *rand.Rand) Route {
	for _, sp := range p.rules.Ports {
		if sp.Protocol != corev1.ProtocolTCP {
			continue
		}
		var eps []Endpoint
		nodePort := false
		switch {
		case dst == sp.ClusterIP && port == sp.Port:
			eps = sp.Internal
		case sp.NodePort != 0 && dst == p.nodeIP && port == sp.NodePort:
			eps, nodePort = sp.External, true
		default:
			continue
		}
		r := Route{Port: sp, NodePort: nodePort}
		if len(eps) == 0 {
			r.Verdict = Reject
			if len(categorize(sp.Endpoints, false)) > 0 || len(categorize(sp.Endpoints, true)) > 0 {
				r.Verdict = Drop
			}
			return r
		}
		r.Verdict, r.Endpoint = Forward, p.pick(sp, clientIP, eps, rnd)
		return r
	}
	return Route{Verdict: NoMatch}
}

func (p *Proxy) pick(sp ServicePort, clientIP string, eps []Endpoint, rnd *rand.Rand) Endpoint {
	now := p.clock.Now()
	key := sp.Name() + "/" + clientIP
	if sp.Affinity > 0 {
		if a, ok := p.affinity[key]; ok && now.Sub(a.at) <= time.Duration(sp.Affinity)*time.Second {
			for _, e := range eps {
				if e.String() == a.endpoint {
					p.affinity[key] = affinityEntry{endpoint: a.endpoint, at: now}
					return e
				}
			}
		}
	}
	chosen := eps[len(eps)-1]
	for i := 0; i < len(eps)-1; i++ {
		if rnd.Float64() < 1/float64(len(eps)-i) {
			chosen = eps[i]
			break
		}
	}
	if sp.Affinity > 0 {
		p.affinity[key] = affinityEntry{endpoint: chosen.String(), at: now}
	}
	return chosen
}
