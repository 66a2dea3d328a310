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

// probeComponents: every kind of component once, in the cluster's order — the controllers, the
// scheduler, then "kubelet" and "containerd" — as choices for "which component acts next".
func probeComponents(env Env, _ map[string]string) (Value, error) {
	src, err := env.source()
	if err != nil {
		return Value{}, err
	}
	var out []string
	for _, n := range src.Components() {
		if k := componentKind(n); !contains(out, k) {
			out = append(out, k)
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
