// Package controller holds what the controllers share: owner references and the indexes their
// informers use.
package controller

import (
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/informer"
)

// ByControllerUID is the informer index of objects by the uid of their controlling owner.
const ByControllerUID = "controllerUID"

// ControllerUIDIndex indexes an object under its controller owner's uid.
func ControllerUIDIndex(obj runtime.Object) []string {
	if ref := ControllerOf(obj); ref != nil {
		return []string{string(ref.UID)}
	}
	return nil
}

// Indexers returns the index set the controllers use.
func Indexers() map[string]informer.IndexFunc {
	return map[string]informer.IndexFunc{ByControllerUID: ControllerUIDIndex}
}

// ControllerOf returns the owner reference with controller: true, or nil.
func ControllerOf(obj runtime.Object) *metav1.OwnerReference {
	m, err := meta.Accessor(obj)
	if err != nil {
		return nil
	}
	for _, ref := range m.GetOwnerReferences() {
		if ref.Controller != nil && *ref.Controller {
			r := ref
			return &r
		}
	}
	return nil
}

// NewControllerRef is the owner reference a controller puts on what it creates: controller and
// blockOwnerDeletion both true.
func NewControllerRef(owner metav1.Object, apiVersion, kind string) *metav1.OwnerReference {
	t := true
	return &metav1.OwnerReference{APIVersion: apiVersion, Kind: kind, Name: owner.GetName(), UID: owner.GetUID(),
		Controller: &t, BlockOwnerDeletion: &t}
}
