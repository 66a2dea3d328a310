package quiz

import (
	"fmt"
	"strings"
)

// probeNextComponent: the component that acts at the next step ("" when the cluster is idle).
func probeNextComponent(env Env, _ map[string]string) (Value, error) {
	if env.Cluster == nil {
		return Value{}, fmt.Errorf("no cluster to read")
	}
	return textValue(env.Cluster.Next()), nil
}

// probeLastActor: the component of the newest trace entry that was a component's work, not a
// client's request.
func probeLastActor(env Env, _ map[string]string) (Value, error) {
	if env.Cluster == nil {
		return Value{}, fmt.Errorf("no cluster to read")
	}
	earlier, trace := env.Cluster.TraceWithEarlier()
	for i := len(trace) - 1; i >= 0; i-- {
		if !trace[i].External {
			return textValue(trace[i].Component), nil
		}
	}
	if earlier.LastActor != "" {
		return textValue(earlier.LastActor), nil
	}
	return Value{}, fmt.Errorf("no component has acted yet")
}

// probeActorOrder: the kinds of component (kubelet and containerd without their node) in the
// order they first acted.
func probeActorOrder(env Env, _ map[string]string) (Value, error) {
	if env.Cluster == nil {
		return Value{}, fmt.Errorf("no cluster to read")
	}
	var order []string
	earlier, trace := env.Cluster.TraceWithEarlier()
	for _, c := range earlier.ByComponent { // the entries no longer kept came first
		if k := componentKind(c.Component); !c.External && !contains(order, k) {
			order = append(order, k)
		}
	}
	for _, e := range trace {
		if k := componentKind(e.Component); !e.External && !contains(order, k) {
			order = append(order, k)
		}
	}
	return listValue(order), nil
}

// mapComponents are the components the cluster map draws (cmd/view): the chain from a Deployment
// to its containers, the garbage collector beside them, and kube-proxy on every node. A "which
// component acts next" question offers these, not all fourteen kinds the control plane runs.
var mapComponents = []string{"deployment-controller", "replicaset-controller", "garbage-collector",
	"default-scheduler", "kubelet", "containerd", "kube-proxy"}

// probeComponents: the kinds of component a "who acts next" question offers, once each, in the
// cluster's order — those the map draws, plus those named in also= (comma-separated, for a lesson
// on the node or endpoint controllers), or every kind with all=yes.
func probeComponents(env Env, params map[string]string) (Value, error) {
	if env.Cluster == nil {
		return Value{}, fmt.Errorf("no cluster to read")
	}
	offered := append([]string{}, mapComponents...)
	if also := params["also"]; also != "" {
		offered = append(offered, strings.Split(also, ",")...)
	}
	var out []string
	for _, n := range env.Cluster.ComponentNames() {
		k := componentKind(n)
		if (params["all"] == "yes" || contains(offered, k)) && !contains(out, k) {
			out = append(out, k)
		}
	}
	return listValue(out), nil
}

// probeStoreRevision: etcd's current revision.
func probeStoreRevision(env Env, _ map[string]string) (Value, error) {
	if env.Cluster == nil {
		return Value{}, fmt.Errorf("no cluster to read")
	}
	return numberValue(int(env.Cluster.API().Store().Revision())), nil
}

// componentKind drops the node from a per-node component's name: "kubelet/node-1" → "kubelet".
func componentKind(name string) string {
	kind, _, _ := strings.Cut(name, "/")
	return kind
}
