package quiz

// Probes for the lesson on self-healing: what the node lifecycle controller wrote on a node that
// went silent, and how long a pod puts up with it. Like the others they only read.
//
//	probe                                     value   what
//	node-condition node=N type=T              text    the status of the node's condition T: True, False or Unknown
//	                                                  (kubectl get nodes shows Ready=Unknown and Ready=False as NotReady)
//	node-taint node=N effect=E                text    the key of the node's first taint with effect E (NoSchedule,
//	                                                  PreferNoSchedule, NoExecute); fails while it has none
//	toleration-seconds pod=P|index=I          number  tolerationSeconds of the pod's toleration for taint key K (what
//	         [selector=S] [status=X] [node=N]         kubectl describe pod shows as "for 300s"); fails when it has none
//	         key=K                                    or tolerates the taint for ever

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
)

// healthProbeSpecs are the probes of this file, added to probeSpecs.
func healthProbeSpecs() map[string]probeSpec {
	return map[string]probeSpec{
		"node-condition":     {run: probeNodeCondition, yields: TextValue, required: []string{"node", "type"}},
		"node-taint":         {run: probeNodeTaint, yields: TextValue, required: []string{"node", "effect"}},
		"toleration-seconds": {run: probeTolerationSeconds, yields: NumberValue, required: []string{"key"}, oneOf: []string{"pod", "index"}, optional: []string{"selector", "status", "node"}},
	}
}

// checkHealthArgValue checks the values of this file's arguments whose form is known without a
// cluster; known is false for an argument it does not know.
func checkHealthArgValue(name, value string) (known bool, err error) {
	if name != "effect" {
		return false, nil
	}
	switch corev1.TaintEffect(value) {
	case corev1.TaintEffectNoSchedule, corev1.TaintEffectPreferNoSchedule, corev1.TaintEffectNoExecute:
		return true, nil
	}
	return true, fmt.Errorf("effect=%s: want NoSchedule, PreferNoSchedule or NoExecute", value)
}

// probeNodeCondition: the status of one of the node's conditions.
func probeNodeCondition(env Env, args map[string]string) (Value, error) {
	n, err := env.node(args["node"])
	if err != nil {
		return Value{}, err
	}
	for _, c := range n.Status.Conditions {
		if string(c.Type) == args["type"] {
			return textValue(string(c.Status)), nil
		}
	}
	return Value{}, fmt.Errorf("node %s has no condition %s", n.Name, args["type"])
}

// probeNodeTaint: the key of the node's first taint with the effect.
func probeNodeTaint(env Env, args map[string]string) (Value, error) {
	n, err := env.node(args["node"])
	if err != nil {
		return Value{}, err
	}
	for _, t := range n.Spec.Taints {
		if string(t.Effect) == args["effect"] {
			return textValue(t.Key), nil
		}
	}
	return Value{}, fmt.Errorf("node %s has no %s taint", n.Name, args["effect"])
}

// probeTolerationSeconds: how long the pod stays on a node with the taint key (NoExecute), as
// its toleration says.
func probeTolerationSeconds(env Env, args map[string]string) (Value, error) {
	p, err := env.pickFilteredPod(args, "selector", "status", "node")
	if err != nil {
		return Value{}, err
	}
	for _, t := range p.Spec.Tolerations {
		if t.Key != args["key"] {
			continue
		}
		if t.TolerationSeconds == nil {
			return Value{}, fmt.Errorf("pod %s tolerates %s for ever", p.Name, t.Key)
		}
		return numberValue(int(*t.TolerationSeconds)), nil
	}
	return Value{}, fmt.Errorf("pod %s has no toleration for %s", p.Name, args["key"])
}
