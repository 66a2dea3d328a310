// Package controller holds what the controllers share: the index of objects by their controller,
// which their informers use. Owner references themselves are apimachinery's (metav1.NewControllerRef,
// GetControllerOf, IsControlledBy), as in kube-controller-manager.
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
	m, err := meta.Accessor(obj)
	if err != nil {
		return nil
	}
	if ref := metav1.GetControllerOfNoCopy(m); ref != nil {
		return []string{string(ref.UID)}
	}
	return nil
}

// Indexers returns the index set the controllers use.
func Indexers() map[string]informer.IndexFunc {
	return map[string]informer.IndexFunc{ByControllerUID: ControllerUIDIndex}
}
