package quiz

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/labels"

	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/registry"
)

// Env is what probes read: the cluster at this moment. Cluster is the miniature one; Real, when
// set, is a real cluster instead, and the probes read it through the same questions (the objects,
// who acts next, who acted) — those that need what only the miniature has (etcd's keys, the
// scheduler's scores, pending work) fail, saying so.
type Env struct {
	Cluster   *cluster.Cluster
	Real      Observed
	Namespace string // "" means "default"
	// Nodes, when set, are the nodes a lesson's pods may run on (a real cluster's schedulable
	// nodes): the probes that list or compare nodes consider only these, not a control-plane node.
	Nodes []string
}

// ProbeFunc computes a value from the live cluster. args are the reference's arguments.
type ProbeFunc func(env Env, args map[string]string) (Value, error)

// probeSpec is a probe with what Validate needs to check a reference without a cluster.
type probeSpec struct {
	run      ProbeFunc
	yields   ValueKind
	required []string // arguments that must be given
	oneOf    []string // exactly one of these must be given
	optional []string
}

// probeSpecs is the registry. The probe reference in doc.go describes each one; keep the two in step.
func probeSpecs() map[string]probeSpec {
	podPick := []string{"pod", "index"}
	objPick := []string{"name", "index"}
	podFilters := []string{"selector", "status", "node"}
	specs := map[string]probeSpec{
		// Workloads.
		"replicaset-name":     {run: probeReplicaSetName, yields: TextValue, required: []string{"deployment"}},
		"replicaset-count":    {run: probeReplicaSetCount, yields: NumberValue, optional: []string{"deployment"}},
		"deployment-revision": {run: probeDeploymentRevision, yields: NumberValue, required: []string{"deployment"}},
		"ready-replicas":      {run: probeReadyReplicas, yields: NumberValue, required: []string{"deployment"}},
		"desired-replicas":    {run: probeDesiredReplicas, yields: NumberValue, required: []string{"deployment"}},
		"owner-of":            {run: probeOwnerOf, yields: TextValue, required: []string{"resource"}, oneOf: objPick, optional: []string{"selector"}},
		"etcd-key":            {run: probeEtcdKey, yields: TextValue, required: []string{"resource"}, oneOf: objPick, optional: []string{"selector"}},
		"exists":              {run: probeExists, yields: TextValue, required: []string{"resource", "name"}},
		"event-count":         {run: probeEventCount, yields: NumberValue, required: []string{"reason"}, optional: []string{"object"}},
		// Pods and nodes.
		"pod-count":             {run: probePodCount, yields: NumberValue, optional: podFilters},
		"pod-names":             {run: probePodNames, yields: ListValue, optional: podFilters},
		"pod-name":              {run: probePodName, yields: TextValue, required: []string{"index"}, optional: []string{"selector"}},
		"pod-node":              {run: probePodNode, yields: TextValue, oneOf: podPick, optional: []string{"selector"}},
		"pod-status":            {run: probePodStatus, yields: TextValue, oneOf: podPick, optional: []string{"selector"}},
		"pod-phase":             {run: probePodPhase, yields: TextValue, oneOf: podPick, optional: []string{"selector"}},
		"pods-on-node":          {run: probePodsOnNode, yields: NumberValue, required: []string{"node"}, optional: []string{"selector"}},
		"unscheduled-pods":      {run: probeUnscheduledPods, yields: NumberValue, optional: []string{"selector"}},
		"node-with-most-pods":   {run: probeNodeWithMostPods, yields: TextValue, optional: []string{"selector"}},
		"nodes":                 {run: probeNodes, yields: ListValue},
		"container-runtime":     {run: probeContainerRuntime, yields: TextValue, required: []string{"node"}},
		"any-container-running": {run: probeAnyContainerRunning, yields: TextValue, optional: []string{"selector"}},
		// The control plane itself.
		"next-component": {run: probeNextComponent, yields: TextValue},
		"last-actor":     {run: probeLastActor, yields: TextValue},
		"actor-order":    {run: probeActorOrder, yields: ListValue},
		"components":     {run: probeComponents, yields: ListValue, optional: []string{"also", "all"}},
		"store-revision": {run: probeStoreRevision, yields: NumberValue},
	}
	// sources_more.go, probes_health.go, sources_service.go
	for _, more := range []map[string]probeSpec{moreProbeSpecs(), healthProbeSpecs(), serviceProbeSpecs()} {
		for name, spec := range more {
			specs[name] = spec
		}
	}
	for name, spec := range troubleProbeSpecs() { // sources_trouble.go
		specs[name] = spec
	}
	return specs
}

// Probes returns the registry of probes by name (a fresh map each call).
func Probes() map[string]ProbeFunc {
	out := map[string]ProbeFunc{}
	for name, spec := range probeSpecs() {
		out[name] = spec.run
	}
	return out
}

// ProbeNames lists the probes, sorted.
func ProbeNames() []string {
	specs := probeSpecs()
	names := make([]string, 0, len(specs))
	for n := range specs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ValidateRef checks a probe reference without a cluster: it parses, the probe exists, and its
// arguments are the ones the probe takes, with well-formed values.
func ValidateRef(ref string) error {
	_, _, err := checkRef(ref)
	return err
}

// Evaluate runs the probe a reference names against env.
func Evaluate(ref string, env Env) (Value, error) {
	r, spec, err := checkRef(ref)
	if err != nil {
		return Value{}, err
	}
	if env.Cluster == nil && env.Real == nil {
		return Value{}, fmt.Errorf("%s: no cluster to read", r.Probe)
	}
	v, err := spec.run(env, r.Args)
	if err != nil {
		return Value{}, fmt.Errorf("%s: %w", r.Probe, err)
	}
	return v, nil
}

func checkRef(ref string) (Ref, probeSpec, error) {
	r, err := ParseRef(ref)
	if err != nil {
		return Ref{}, probeSpec{}, err
	}
	spec, ok := probeSpecs()[r.Probe]
	if !ok {
		return Ref{}, probeSpec{}, fmt.Errorf("unknown probe %q (known: %s)", r.Probe, strings.Join(ProbeNames(), ", "))
	}
	if err := spec.checkArgs(r.Args); err != nil {
		return Ref{}, probeSpec{}, fmt.Errorf("%q: %w (usage: %s)", ref, err, spec.usage(r.Probe))
	}
	return r, spec, nil
}

func (s probeSpec) checkArgs(args map[string]string) error {
	for _, k := range s.required {
		if _, ok := args[k]; !ok {
			return fmt.Errorf("missing argument %s", k)
		}
	}
	if len(s.oneOf) > 0 {
		n := 0
		for _, k := range s.oneOf {
			if _, ok := args[k]; ok {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("give exactly one of %s", strings.Join(s.oneOf, ", "))
		}
	}
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !contains(s.required, k) && !contains(s.oneOf, k) && !contains(s.optional, k) {
			return fmt.Errorf("unknown argument %s", k)
		}
		if err := checkArgValue(k, args[k]); err != nil {
			return err
		}
	}
	return nil
}

// checkArgValue checks the values whose form is known without a cluster.
func checkArgValue(name, value string) error {
	switch name {
	case "index":
		if n, err := strconv.Atoi(value); err != nil || n < 1 {
			return fmt.Errorf("index=%s: want a number from 1", value)
		}
	case "selector":
		if _, err := labels.Parse(value); err != nil {
			return fmt.Errorf("selector=%s: %w", value, err)
		}
	case "resource":
		if _, ok := registry.New().Lookup(value); !ok {
			return fmt.Errorf("resource=%s: not a resource the cluster serves", value)
		}
	default:
		if known, err := checkMoreArgValue(name, value); known {
			return err
		}
		if known, err := checkHealthArgValue(name, value); known {
			return err
		}
		if known, err := checkServiceArgValue(name, value); known {
			return err
		}
	}
	return nil
}

// usage writes the probe's arguments: "pod-node pod=…|index=… [selector=…]".
func (s probeSpec) usage(name string) string {
	parts := []string{name}
	for _, k := range s.required {
		parts = append(parts, k+"=…")
	}
	if len(s.oneOf) > 0 {
		alts := make([]string, len(s.oneOf))
		for i, k := range s.oneOf {
			alts[i] = k + "=…"
		}
		parts = append(parts, strings.Join(alts, "|"))
	}
	for _, k := range s.optional {
		parts = append(parts, "["+k+"=…]")
	}
	return strings.Join(parts, " ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
