// Package cluster wires the miniature control plane together: a store, the API server in front of
// it, the controllers, the scheduler, and a kubelet with its container runtime per node, all driven
// by one seed and one simulated clock. Step lets exactly one component handle one work item; the
// same seed and the same inputs always give the same names, placements and trace.
package cluster

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"sort"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/controller/deployment"
	"github.com/k8slearn/k8slearn/engine/controller/disruption"
	"github.com/k8slearn/k8slearn/engine/controller/endpoints"
	"github.com/k8slearn/k8slearn/engine/controller/endpointslice"
	"github.com/k8slearn/k8slearn/engine/controller/gc"
	"github.com/k8slearn/k8slearn/engine/controller/namespacedefaults"
	"github.com/k8slearn/k8slearn/engine/controller/nodelifecycle"
	"github.com/k8slearn/k8slearn/engine/controller/replicaset"
	"github.com/k8slearn/k8slearn/engine/controller/tainteviction"
	"github.com/k8slearn/k8slearn/engine/informer"
	"github.com/k8slearn/k8slearn/engine/kubelet"
	"github.com/k8slearn/k8slearn/engine/network"
	"github.com/k8slearn/k8slearn/engine/proxy"
	cri "github.com/k8slearn/k8slearn/engine/runtime"
	"github.com/k8slearn/k8slearn/engine/scheduler"
	"github.com/k8slearn/k8slearn/engine/store"
	"github.com/k8slearn/k8slearn/engine/work"
)

// Config describes a cluster.
type Config struct {
	Seed  uint64
	Nodes int // worker nodes, named node-1 … node-N
	// NodeNames, when set, names the workers instead, one name each (as kind's kind-worker,
	// kind-worker2): a served cluster that looks like another's.
	NodeNames []string
	// Per node; zero values take the defaults: 4 CPUs, 8Gi, 110 pods.
	NodeCPU    string
	NodeMemory string
	NodePods   int
	// Age is how long the cluster has existed when the session starts (node and Service ages).
	Age time.Duration
	// NoKubelets leaves the nodes without kubelets and runtimes (for scheduler benchmarks, as
	// kube-scheduler's scheduler_perf runs with fake nodes).
	NoKubelets bool
	// Start is when the simulated clock starts (zero: clock.Epoch()). `k8slearn serve` starts it at
	// the wall clock minus Age, so that real clients computing ages from their own clock agree.
	Start time.Time
	// TraceWindow is how many trace entries are kept (zero: DefaultTraceWindow); older ones are
	// summarised.
	TraceWindow int
}

// DefaultConfig is the sandbox's cluster: two workers of 4 CPUs and 8Gi.
func DefaultConfig(seed uint64) Config {
	return Config{Seed: seed, Nodes: 2, NodeCPU: "4", NodeMemory: "8Gi", NodePods: 110, Age: 5 * time.Minute}
}

// stepCost is the simulated time one component's work item takes.
const stepCost = 10 * time.Millisecond

// Random streams, one per consumer, so that a change in how one component draws does not shift
// what another gets.
const (
	streamAPIServer = 1
	streamScheduler = 2
	// streamBootExtras: uids of start-up objects added after the first seeds' transcripts were
	// fixed (bootstrap.go).
	streamBootExtras = 3
	streamNetwork    = 4   // curl's and DNS's picks among endpoints and addresses
	streamRuntime    = 100 // + node index
)

// Cluster is the miniature cluster. Its methods are safe for concurrent use; steps are serialised.
type Cluster struct {
	mu         sync.Mutex
	cfg        Config
	clock      *clock.Simulated
	store      *store.Store
	api        *apiserver.Server
	agenda     *work.Agenda
	components []component.Component
	byQueue    map[*work.Queue]component.Component
	scheduler  *scheduler.Scheduler
	kubelets   []*kubelet.Kubelet
	runtimes   []*cri.Runtime
	registries *cri.Registries // the image registries every node pulls from
	commands   cri.Commands    // what containers can run, shared by every node's runtime
	proxies    []*proxy.Proxy
	netRand    *rand.Rand
	lastCurl   []network.Response // what the latest Curl got back (LastCurl)

	dirtyMu sync.Mutex
	dirty   []*informer.Informer
	isDirty map[*informer.Informer]bool
	// spareDirty is the array of the last batch syncInformers synced, for dirty to reuse.
	spareDirty []*informer.Informer

	trace   []TraceEntry // the entries kept are trace[head:], the newest cfg.TraceWindow at most
	head    int
	earlier Earlier // what the entries that fell out of the window were
	seq     int
}

// DefaultTraceWindow is how many trace entries a cluster keeps; older ones are only counted
// (Earlier), so that a long session does not grow without bound. A lesson's whole chain fits many
// times over.
const DefaultTraceWindow = 5_000

// Earlier summarises trace entries without keeping them: how many, their first and last numbers,
// and how many each component (or client) made, in the order they first appeared. The cluster
// keeps one for the entries that fell out of its trace's window.
type Earlier struct {
	Entries           int
	FirstSeq, LastSeq int
	ByComponent       []ComponentCount
	// LastActor is the component (not a client) that made the newest of these entries, if any.
	LastActor string
}

// ComponentCount is how many entries one component or client made.
type ComponentCount struct {
	Component string
	External  bool
	Count     int
}

// Add counts one entry (one that leaves the window, or any a caller does not keep).
func (e *Earlier) Add(t TraceEntry) {
	if e.Entries == 0 {
		e.FirstSeq = t.Seq
	}
	e.Entries++
	e.LastSeq = t.Seq
	if !t.External {
		e.LastActor = t.Component
	}
	for i := range e.ByComponent {
		if c := &e.ByComponent[i]; c.Component == t.Component && c.External == t.External {
			c.Count++
			return
		}
	}
	e.ByComponent = append(e.ByComponent, ComponentCount{Component: t.Component, External: t.External, Count: 1})
}

// TraceEntry is one action: a component handling a work item, or a client's requests (kubectl).
type TraceEntry struct {
	Seq       int
	Component string
	// External is true for a client's requests (kubectl, a lesson) rather than a component's work.
	External bool
	Trigger  work.Trigger
	Writes   []apiserver.Write
	Notes    []component.Note
	Revision int64 // store revision after the action
	Time     time.Time
}

// New builds and boots a cluster: namespaces, the kubernetes Service, the nodes, and every
// component with its informers synced.
func New(cfg Config) (*Cluster, error) {
	if cfg.Nodes < 1 {
		return nil, fmt.Errorf("a cluster needs at least one node, not %d", cfg.Nodes)
	}
	if err := checkNodeNames(cfg); err != nil {
		return nil, err
	}
	def := DefaultConfig(cfg.Seed)
	if cfg.NodeCPU == "" {
		cfg.NodeCPU = def.NodeCPU
	}
	if cfg.NodeMemory == "" {
		cfg.NodeMemory = def.NodeMemory
	}
	if cfg.NodePods == 0 {
		cfg.NodePods = def.NodePods
	}
	if cfg.TraceWindow <= 0 {
		cfg.TraceWindow = DefaultTraceWindow
	}
	start := cfg.Start
	if start.IsZero() {
		start = clock.Epoch()
	}
	c := &Cluster{cfg: cfg, clock: clock.NewSimulated(start), store: store.New(), agenda: work.NewAgenda(),
		byQueue: map[*work.Queue]component.Component{}, isDirty: map[*informer.Informer]bool{},
		netRand: rand.New(rand.NewPCG(cfg.Seed, streamNetwork))}
	c.store.SetRetention(store.Retention{Revisions: historyWindow, Bytes: historyBytes})
	c.api = apiserver.New(c.store, c.clock, rand.New(rand.NewPCG(cfg.Seed, streamAPIServer)))
	if err := c.bootstrap(); err != nil {
		return nil, err
	}
	if err := c.startComponents(); err != nil {
		return nil, err
	}
	c.clock.Advance(cfg.Age)
	c.api.TakeWrites() // boot writes are not part of the learner's trace
	return c, nil
}

func (c *Cluster) startComponents() error {
	dc, err := deployment.New(c.api, c.clock, c.agenda)
	if err != nil {
		return err
	}
	rc, err := replicaset.New(c.api, c.clock, c.agenda)
	if err != nil {
		return err
	}
	gcc, err := gc.New(c.api, c.clock, c.agenda)
	if err != nil {
		return err
	}
	sched, err := scheduler.New(c.api, c.clock, c.agenda, rand.New(rand.NewPCG(c.cfg.Seed, streamScheduler)))
	if err != nil {
		return err
	}
	sac, err := namespacedefaults.NewServiceAccounts(c.api, c.clock, c.agenda)
	if err != nil {
		return err
	}
	cac, err := namespacedefaults.NewRootCAPublisher(c.api, c.clock, c.agenda)
	if err != nil {
		return err
	}
	esc, err := endpointslice.New(c.api, c.clock, c.agenda)
	if err != nil {
		return err
	}
	epc, err := endpoints.New(c.api, c.clock, c.agenda)
	if err != nil {
		return err
	}
	c.scheduler = sched
	c.add(dc)
	c.add(rc)
	c.add(gcc)
	c.add(sched)
	c.add(sac)
	c.add(cac)
	if c.cfg.NoKubelets {
		// Nodes without kubelets never renew a Lease: the node lifecycle controller would take
		// them all down. The scheduler benchmarks run without it (and without what it drives).
		c.add(esc)
		c.add(epc)
		return nil
	}
	c.registries, c.commands = cri.NewRegistries(), cri.DefaultCommands()
	c.addNetworkCommands()
	c.api.SetKubeletConnection(c.Kubelets())
	for i := 1; i <= c.cfg.Nodes; i++ {
		name := c.nodeName(i)
		rt := cri.New(cri.Config{Node: name, CPUs: c.nodeCPUs(), Registries: c.registries, Commands: c.commands},
			c.clock, c.agenda, rand.New(rand.NewPCG(c.cfg.Seed, streamRuntime+uint64(i))))
		kl, err := kubelet.New(c.api, c.clock, c.agenda, name, nodeIP(i), podCIDR(i), rt)
		if err != nil {
			return err
		}
		c.kubelets = append(c.kubelets, kl)
		c.runtimes = append(c.runtimes, rt)
		c.add(kl)
		c.add(rt)
	}
	// The controllers of nodes that fail and of disruptions, listed after the nodes' components
	// so that the components a lesson names keep their places.
	nlc, err := nodelifecycle.New(c.api, c.clock, c.agenda)
	if err != nil {
		return err
	}
	tec, err := tainteviction.New(c.api, c.clock, c.agenda)
	if err != nil {
		return err
	}
	pdbc, err := disruption.New(c.api, c.clock, c.agenda)
	if err != nil {
		return err
	}
	c.add(nlc)
	c.add(tec)
	c.add(pdbc)
	// Services: the endpoint controllers, then a kube-proxy on every node.
	c.add(esc)
	c.add(epc)
	for i := 1; i <= c.cfg.Nodes; i++ {
		kp, err := proxy.New(c.api, c.clock, c.agenda, c.nodeName(i), nodeIP(i))
		if err != nil {
			return err
		}
		c.proxies = append(c.proxies, kp)
		c.add(kp)
	}
	return nil
}

func (c *Cluster) add(comp component.Component) {
	c.components = append(c.components, comp)
	c.byQueue[comp.Queue()] = comp
	for _, inf := range comp.Informers() {
		inf := inf
		inf.Watcher().SetNotify(func() { c.markDirty(inf) })
		if inf.Watcher().Pending() {
			c.markDirty(inf)
		}
	}
}

// markDirty notes that an informer has watch events to take in. It runs inside the API server's
// write path, so it only records; the informer syncs at the next step.
func (c *Cluster) markDirty(inf *informer.Informer) {
	c.dirtyMu.Lock()
	if !c.isDirty[inf] {
		c.isDirty[inf] = true
		c.dirty = append(c.dirty, inf)
	}
	c.dirtyMu.Unlock()
}

// syncInformers delivers pending watch events to the components' caches and queues, in the order
// the informers first had events, so queue order follows the order of writes.
func (c *Cluster) syncInformers() {
	for {
		c.dirtyMu.Lock()
		batch := c.dirty
		if len(batch) == 0 {
			c.dirtyMu.Unlock()
			return
		}
		// The informers marked while this batch syncs go to the array of the batch before;
		// this one's is reused next time (a fresh array at every step added up over long waits).
		c.dirty, c.spareDirty = c.spareDirty[:0], nil
		for _, inf := range batch {
			delete(c.isDirty, inf)
		}
		c.dirtyMu.Unlock()
		for _, inf := range batch {
			inf.Sync()
		}
		c.dirtyMu.Lock()
		c.spareDirty = batch
		c.dirtyMu.Unlock()
	}
}

// NodeName is the name of worker i (from 1), unless Config.NodeNames names it.
func NodeName(i int) string { return fmt.Sprintf("node-%d", i) }

// nodeName is the name of worker i (from 1) in this cluster.
func (c *Cluster) nodeName(i int) string {
	if len(c.cfg.NodeNames) > 0 {
		return c.cfg.NodeNames[i-1]
	}
	return NodeName(i)
}

// NodeNames are the workers' names, in order.
func (c *Cluster) NodeNames() []string {
	names := make([]string, c.cfg.Nodes)
	for i := range names {
		names[i] = c.nodeName(i + 1)
	}
	return names
}

// checkNodeNames: Config.NodeNames, when set, names every worker once, each a valid node name.
func checkNodeNames(cfg Config) error {
	if len(cfg.NodeNames) == 0 {
		return nil
	}
	if len(cfg.NodeNames) != cfg.Nodes {
		return fmt.Errorf("%d node names for %d nodes", len(cfg.NodeNames), cfg.Nodes)
	}
	seen := map[string]bool{}
	for _, n := range cfg.NodeNames {
		if errs := validation.IsDNS1123Subdomain(n); len(errs) > 0 {
			return fmt.Errorf("node name %q: %s", n, strings.Join(errs, "; "))
		}
		if seen[n] {
			return fmt.Errorf("node name %q given twice", n)
		}
		seen[n] = true
	}
	return nil
}

func nodeIP(i int) string { return fmt.Sprintf("172.18.%d.%d", (i+1)/256, (i+1)%256) }

func podCIDR(i int) netip.Prefix {
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(244 + i/256), byte(i % 256), 0}), 24)
}

// API is the cluster's API server.
func (c *Cluster) API() *apiserver.Server { return c.api }

// Clock is the cluster's simulated clock.
func (c *Cluster) Clock() *clock.Simulated { return c.clock }

// Config is the configuration the cluster was built with.
func (c *Cluster) Config() Config { return c.cfg }

// Scheduler exposes the scheduler's decisions.
func (c *Cluster) Scheduler() *scheduler.Scheduler { return c.scheduler }

// ComponentNames lists the components in a fixed order.
func (c *Cluster) ComponentNames() []string {
	out := make([]string, len(c.components))
	for i, comp := range c.components {
		out[i] = comp.Name()
	}
	return out
}

// Pending is one component's queued work.
type Pending struct {
	Component string
	Items     []work.Item // in the order they will be handled
}

// Pending lists the components with work to do before the cluster is idle — queued work, and the
// timers due by the time of the next work item (see work.Agenda.PopNext) — the one that acts next
// first. Timers further ahead are Timers().
func (c *Cluster) Pending() []Pending {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.syncInformers()
	horizon := c.agenda.Horizon(c.clock.Now())
	var out []Pending
	for _, comp := range c.components {
		items := comp.Queue().Items()
		for _, t := range comp.Queue().Timers() {
			if !t.ReadyAt.After(horizon) {
				items = append(items, t)
			}
		}
		if len(items) > 0 {
			sort.SliceStable(items, func(i, j int) bool { return itemBefore(items[i], items[j]) })
			out = append(out, Pending{Component: comp.Name(), Items: items})
		}
	}
	// Order by each component's first item, as the agenda will take them.
	sort.SliceStable(out, func(i, j int) bool { return itemBefore(out[i].Items[0], out[j].Items[0]) })
	return out
}

// Timer is a timer that is not due yet: who set it, for what, and when it fires.
type Timer struct {
	Component string
	Key       string
	Trigger   work.Trigger
	At        time.Time
}

// Timers lists the timers that fire only once time passes (`wait`), soonest first.
func (c *Cluster) Timers() []Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.syncInformers()
	return c.timers()
}

func (c *Cluster) timers() []Timer {
	horizon := c.agenda.Horizon(c.clock.Now())
	var items []work.Item
	for _, comp := range c.components {
		for _, t := range comp.Queue().Timers() {
			if t.ReadyAt.After(horizon) {
				items = append(items, t)
			}
		}
	}
	sort.Slice(items, func(i, j int) bool { return itemBefore(items[i], items[j]) })
	out := make([]Timer, len(items))
	for i, it := range items {
		out[i] = Timer{Component: c.byQueue[it.Owner()].Name(), Key: it.Key, Trigger: it.Trigger, At: it.ReadyAt}
	}
	return out
}

// NextTimer is the first timer that waits for time to pass, if any.
func (c *Cluster) NextTimer() (Timer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.syncInformers()
	t := c.timers()
	if len(t) == 0 {
		return Timer{}, false
	}
	return t[0], true
}

func itemBefore(a, b work.Item) bool {
	if !a.ReadyAt.Equal(b.ReadyAt) {
		return a.ReadyAt.Before(b.ReadyAt)
	}
	return a.Seq() < b.Seq()
}

// Next is the component that will act at the next step, or "" when the cluster is idle.
func (c *Cluster) Next() string {
	p := c.Pending()
	if len(p) == 0 {
		return ""
	}
	return p[0].Component
}

// Idle reports whether no component has work (timers that are not due yet do not count).
func (c *Cluster) Idle() bool { return c.Next() == "" }

// Step lets the component whose work item comes first handle it, advancing the clock to the item's
// time if it lies ahead, and returns what happened. A timer fires at a step once it is due (see
// work.Agenda.PopNext); only Wait moves the clock to timers. ok is false when there was nothing
// to do.
func (c *Cluster) Step() (TraceEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.step(c.agenda.PopNext)
}

// step takes one item with pop (given the time now) and lets its component handle it.
func (c *Cluster) step(pop func(time.Time) (work.Item, bool)) (TraceEntry, bool) {
	c.recordExternal()
	c.api.ExpireLeases() // etcd deletes what outlived its lease (Events after an hour)
	c.syncInformers()
	it, ok := pop(c.clock.Now())
	if !ok {
		return TraceEntry{}, false
	}
	c.clock.AdvanceTo(it.ReadyAt)
	c.api.ExpireLeases()
	comp := c.byQueue[it.Owner()]
	res := comp.Process(it)
	writes := c.api.TakeWrites()
	c.seq++
	e := TraceEntry{Seq: c.seq, Component: comp.Name(), Trigger: it.Trigger, Writes: writes, Notes: res.Notes,
		Revision: c.store.Revision(), Time: c.clock.Now()}
	c.appendTrace(e)
	c.clock.Advance(stepCost)
	return e, true
}

// MaxWait is the longest Wait the cluster accepts in one call: a day of simulated time.
const MaxWait = 24 * time.Hour

// Wait lets time pass: it moves the clock forward by d, handling every item due in between —
// timers and work alike — one step each, in time order, the clock set to each item's time; then it
// sets the clock to the end of the wait. It stops early, returning false, after max steps (0: a
// generous default). A d that is not positive, or longer than MaxWait, does nothing.
func (c *Cluster) Wait(d time.Duration, max int) ([]TraceEntry, bool) {
	var out []TraceEntry
	_, done := c.WaitEach(d, max, func(e TraceEntry) { out = append(out, e) })
	return out, done
}

// WaitEach is Wait handing each step's entry to each as it is made, rather than keeping them all:
// an hour of a big cluster is tens of thousands of steps that a caller only counts or summarises.
// each runs with the cluster locked: it must not call the cluster. It returns the number of steps.
func (c *Cluster) WaitEach(d time.Duration, max int, each func(TraceEntry)) (int, bool) {
	if d <= 0 || d > MaxWait {
		return 0, true
	}
	if max <= 0 {
		max = 1_000_000
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	until := c.clock.Now().Add(d)
	popDue := func(time.Time) (work.Item, bool) { return c.agenda.PopDue(until) }
	for n := range max {
		e, ok := c.step(popDue)
		if !ok {
			c.clock.AdvanceTo(until)
			c.api.ExpireLeases()
			return n, true
		}
		each(e)
	}
	return max, false
}

// History the store keeps for watches that start from an old resourceVersion: the newest
// historyWindow to 2×historyWindow revisions, and no more than historyBytes of values (so that a
// big object written often cannot fill memory). Older revisions get 410 Gone, as after
// kube-apiserver's periodic etcd compaction.
const (
	historyWindow = 20_000
	historyBytes  = 4 << 20
)

// appendTrace adds an entry, and moves the oldest out of the window into the summary. The window
// slides along its array; when the array is full and the window has slid past its middle, the
// window moves back to the start of the array, in place: no step allocates (copying a 5,000-entry
// window into a new array every few thousand steps was a tenth of an hour's waiting).
func (c *Cluster) appendTrace(e TraceEntry) {
	if len(c.trace) == cap(c.trace) && c.head > 0 && c.head >= len(c.trace)/2 {
		n := copy(c.trace, c.trace[c.head:])
		clear(c.trace[n:])
		c.trace, c.head = c.trace[:n], 0
	}
	c.trace = append(c.trace, e)
	if len(c.trace)-c.head <= c.cfg.TraceWindow {
		return
	}
	c.earlier.Add(c.trace[c.head])
	c.trace[c.head] = TraceEntry{} // let its writes and notes go now
	c.head++
}

// kept is the window of entries the cluster keeps.
func (c *Cluster) kept() []TraceEntry { return c.trace[c.head:] }

// recordExternal turns writes made outside steps (by kubectl or a lesson) into trace entries, one
// per caller in order.
func (c *Cluster) recordExternal() {
	writes := c.api.TakeWrites()
	for len(writes) > 0 {
		n := 1
		for n < len(writes) && writes[n].Who == writes[0].Who {
			n++
		}
		c.seq++
		c.appendTrace(TraceEntry{Seq: c.seq, Component: writes[0].Who, External: true,
			Writes: writes[:n], Revision: writes[n-1].Revision, Time: c.clock.Now()})
		writes = writes[n:]
	}
}

// Flush records pending client writes in the trace now (Step does it too); call it after running a
// client command so the trace shows the command before any component acts.
func (c *Cluster) Flush() []TraceEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.api.ExpireLeases()
	seq := c.seq
	c.recordExternal()
	return c.traceSince(seq)
}

// Run steps until no component has work, at most max steps (0: a generous default), and returns
// the entries it made.
func (c *Cluster) Run(max int) []TraceEntry {
	if max <= 0 {
		max = 1_000_000
	}
	var out []TraceEntry
	for range max {
		e, ok := c.Step()
		if !ok {
			break
		}
		out = append(out, e)
	}
	return out
}

// Trace returns the entries the cluster keeps: the newest Config.TraceWindow.
func (c *Cluster) Trace() []TraceEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]TraceEntry(nil), c.kept()...)
}

// TraceWithEarlier returns the summary of the entries no longer kept and the entries kept, read
// together.
func (c *Cluster) TraceWithEarlier() (Earlier, []TraceEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	earlier := c.earlier
	earlier.ByComponent = append([]ComponentCount(nil), earlier.ByComponent...)
	return earlier, append([]TraceEntry(nil), c.kept()...)
}

// TraceSince returns the kept entries numbered after seq.
func (c *Cluster) TraceSince(seq int) []TraceEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.traceSince(seq)
}

func (c *Cluster) traceSince(seq int) []TraceEntry {
	kept := c.kept()
	i := sort.Search(len(kept), func(i int) bool { return kept[i].Seq > seq })
	return append([]TraceEntry(nil), kept[i:]...)
}
