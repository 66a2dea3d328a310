package quiz

import (
	"strings"
)

// probeNextComponent: the component that acts at the next step ("" when the cluster is idle); on
// a real cluster, the first action observed and not yet told.
func probeNextComponent(env Env, _ map[string]string) (Value, error) {
	src, err := env.source()
	if err != nil {
		return Value{}, err
	}
	next, err := src.Next()
	if err != nil {
		return Value{}, err
	}
	return textValue(next), nil
}

// probeLastActor: the component of the newest trace entry that was a component's work, not a
// client's request.
func probeLastActor(env Env, _ map[string]string) (Value, error) {
	src, err := env.source()
	if err != nil {
		return Value{}, err
	}
	last, err := src.LastActor()
	if err != nil {
		return Value{}, err
	}
	return textValue(last), nil
}

// probeActorOrder: the kinds of component (kubelet and containerd without their node) in the
// order they first acted.
func probeActorOrder(env Env, _ map[string]string) (Value, error) {
	src, err := env.source()
	if err != nil {
		return Value{}, err
	}
	return listValue(src.ActorOrder()), nil
}

// mapComponents are the components the cluster map draws (cmd/view): the chain from a Deployment
// to its containers, the garbage collector beside them, and kube-proxy on every node. A "which
// component acts next" question offers these, not all fourteen kinds the control plane runs.
var mapComponents = []string{"deployment-controller", "replicaset-controller", "garbage-collector",
	"default-scheduler", "kubelet", "containerd", "kube-proxy"}

// probeComponents: the kinds of component a "who acts next" question offers, once each, in the
// cluster's order — those the map draws, plus those named in also= (comma-separated, for a lesson
// on the node or endpoint controllers), or every kind with all=yes. On a real cluster, also every
// kind seen acting: whoever acts next is among the choices.
func probeComponents(env Env, params map[string]string) (Value, error) {
	src, err := env.source()
	if err != nil {
		return Value{}, err
	}
	offered := append([]string{}, mapComponents...)
	if also := params["also"]; also != "" {
		offered = append(offered, strings.Split(also, ",")...)
	}
	var out []string
	for _, n := range src.Components() {
		k := componentKind(n)
		if (params["all"] == "yes" || contains(offered, k)) && !contains(out, k) {
			out = append(out, k)
		}
	}
	if env.Real != nil {
		for _, a := range env.Real.Actors() {
			if k := componentKind(a); !contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return listValue(out), nil
}

// probeStoreRevision: etcd's current revision.
func probeStoreRevision(env Env, _ map[string]string) (Value, error) {
	c, err := env.mini()
	if err != nil {
		return Value{}, err
	}
	return numberValue(int(c.API().Store().Revision())), nil
}

// componentKind drops the node from a per-node component's name: "kubelet/node-1" → "kubelet".
func componentKind(name string) string {
	kind, _, _ := strings.Cut(name, "/")
	return kind
}
