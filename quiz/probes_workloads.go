package quiz

import (
	"fmt"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/controller/deployment"
)

// ownedReplicaSets lists the ReplicaSets whose controller is the Deployment, by name.
func ownedReplicaSets(env Env, d *appsv1.Deployment) ([]*appsv1.ReplicaSet, error) {
	objs, err := env.list("replicasets", "")
	if err != nil {
		return nil, err
	}
	var out []*appsv1.ReplicaSet
	for _, o := range objs {
		rs, ok := o.(*appsv1.ReplicaSet)
		if !ok {
			continue
		}
		if metav1.IsControlledBy(rs, d) {
			out = append(out, rs)
		}
	}
	return out, nil
}

// revisionOf reads the deployment.kubernetes.io/revision annotation; 0 when absent.
func revisionOf(annotations map[string]string) int {
	n, err := strconv.Atoi(annotations[deployment.RevisionAnnotation])
	if err != nil {
		return 0
	}
	return n
}

// probeReplicaSetName: the newest ReplicaSet the Deployment owns — highest revision, then the
// most recently created (a ReplicaSet gets its revision from the controller that made it).
func probeReplicaSetName(env Env, args map[string]string) (Value, error) {
	d, err := env.deployment(args["deployment"])
	if err != nil {
		return Value{}, err
	}
	owned, err := ownedReplicaSets(env, d)
	if err != nil {
		return Value{}, err
	}
	var newest *appsv1.ReplicaSet
	for _, rs := range owned {
		if newest == nil || newerReplicaSet(rs, newest) {
			newest = rs
		}
	}
	if newest == nil {
		return Value{}, fmt.Errorf("deployment %s owns no ReplicaSet yet", d.Name)
	}
	return textValue(newest.Name), nil
}

func newerReplicaSet(a, b *appsv1.ReplicaSet) bool {
	if ra, rb := revisionOf(a.Annotations), revisionOf(b.Annotations); ra != rb {
		return ra > rb
	}
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		return b.CreationTimestamp.Before(&a.CreationTimestamp)
	}
	return a.Name > b.Name
}

// probeReplicaSetCount: the ReplicaSets in the namespace, or those the Deployment owns.
func probeReplicaSetCount(env Env, args map[string]string) (Value, error) {
	name, ok := args["deployment"]
	if !ok {
		objs, err := env.list("replicasets", "")
		if err != nil {
			return Value{}, err
		}
		return numberValue(len(objs)), nil
	}
	d, err := env.deployment(name)
	if err != nil {
		return Value{}, err
	}
	owned, err := ownedReplicaSets(env, d)
	if err != nil {
		return Value{}, err
	}
	return numberValue(len(owned)), nil
}

// probeDeploymentRevision: the Deployment's deployment.kubernetes.io/revision annotation.
func probeDeploymentRevision(env Env, args map[string]string) (Value, error) {
	d, err := env.deployment(args["deployment"])
	if err != nil {
		return Value{}, err
	}
	if _, ok := d.Annotations[deployment.RevisionAnnotation]; !ok {
		return Value{}, fmt.Errorf("deployment %s has no revision yet (its controller has not synced it)", d.Name)
	}
	return numberValue(revisionOf(d.Annotations)), nil
}

// probeReadyReplicas: status.readyReplicas, the first number of kubectl's READY column.
func probeReadyReplicas(env Env, args map[string]string) (Value, error) {
	d, err := env.deployment(args["deployment"])
	if err != nil {
		return Value{}, err
	}
	return numberValue(int(d.Status.ReadyReplicas)), nil
}

// probeDesiredReplicas: spec.replicas (the API server defaults it to 1).
func probeDesiredReplicas(env Env, args map[string]string) (Value, error) {
	d, err := env.deployment(args["deployment"])
	if err != nil {
		return Value{}, err
	}
	if d.Spec.Replicas == nil {
		return numberValue(1), nil
	}
	return numberValue(int(*d.Spec.Replicas)), nil
}

// probeOwnerOf: the controlling owner as kubectl describe's "Controlled By" line writes it,
// "ReplicaSet/web-5d8b7c6f94", or "none" for an object without one (a bare pod).
func probeOwnerOf(env Env, args map[string]string) (Value, error) {
	obj, err := env.pickObject(args["resource"], args)
	if err != nil {
		return Value{}, err
	}
	m, err := meta.Accessor(obj)
	if err != nil {
		return Value{}, err
	}
	ref := metav1.GetControllerOf(m)
	if ref == nil {
		return textValue(noneAnswer), nil
	}
	return textValue(ref.Kind + "/" + ref.Name), nil
}

// probeEtcdKey: the key the API server stores the object under, "/registry/pods/default/web-…".
func probeEtcdKey(env Env, args map[string]string) (Value, error) {
	obj, err := env.pickObject(args["resource"], args)
	if err != nil {
		return Value{}, err
	}
	c, err := env.mini()
	if err != nil {
		return Value{}, err
	}
	res, ok := c.API().Registry().ForObject(obj)
	if !ok {
		return Value{}, fmt.Errorf("no resource for %T", obj)
	}
	ns := ""
	if res.Namespaced {
		ns = env.ns()
	}
	key := res.Key(ns, nameOf(obj))
	if _, err := c.API().Store().Get(key); err != nil {
		return Value{}, fmt.Errorf("%s: %w", key, err)
	}
	return textValue(key), nil
}

// probeExists: "yes" when the object is stored, "no" when the API server says NotFound.
func probeExists(env Env, args map[string]string) (Value, error) {
	_, err := env.get(args["resource"], args["name"])
	switch {
	case err == nil:
		return yesNoValue(true), nil
	case apierrors.IsNotFound(err):
		return yesNoValue(false), nil
	}
	return Value{}, err
}

// probeEventCount: Event objects with the reason (and about the object, if given), as rows of
// `kubectl get events`; repeats aggregated into one Event's count are one row.
func probeEventCount(env Env, args map[string]string) (Value, error) {
	objs, err := env.list("events", "")
	if err != nil {
		return Value{}, err
	}
	n := 0
	for _, o := range objs {
		ev, ok := o.(*corev1.Event)
		if !ok || ev.Reason != args["reason"] {
			continue
		}
		if name, ok := args["object"]; ok && ev.InvolvedObject.Name != name {
			continue
		}
		n++
	}
	return numberValue(n), nil
}
