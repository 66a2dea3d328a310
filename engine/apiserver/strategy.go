package apiserver

import (
	"maps"
	"reflect"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slearn/k8slearn/engine/validation"
)

// strategy is what kube-apiserver's per-resource REST strategy does: prepare, default, admit and
// validate an object, and say which parts a main or status update may change.
type strategy struct {
	generation       bool // metadata.generation counts spec changes
	prepareForCreate func(obj runtime.Object)
	defaults         func(obj runtime.Object)
	admit            func(obj runtime.Object, randSuffix func(int) string)
	validate         func(obj runtime.Object) field.ErrorList
	validateUpdate   func(obj, old runtime.Object) field.ErrorList
	// validateStatusUpdate, when set, replaces validateUpdate for the status subresource.
	validateStatusUpdate func(obj, old runtime.Object) field.ErrorList
	keepStatus           func(obj, old runtime.Object) // main update: status comes from the stored object
	keepSpec             func(obj, old runtime.Object) // status update: spec comes from the stored object
	specChanged          func(obj, old runtime.Object) bool
}

func strategyFor(res *Resource) strategy {
	switch res.Name {
	case "deployments":
		return strategy{
			generation:       true,
			prepareForCreate: func(o runtime.Object) { o.(*appsv1.Deployment).Status = appsv1.DeploymentStatus{} },
			defaults:         func(o runtime.Object) { validation.DefaultDeployment(o.(*appsv1.Deployment)) },
			validate:         func(o runtime.Object) field.ErrorList { return validation.ValidateDeployment(o.(*appsv1.Deployment)) },
			validateUpdate: func(o, old runtime.Object) field.ErrorList {
				return validation.ValidateDeploymentUpdate(o.(*appsv1.Deployment), old.(*appsv1.Deployment))
			},
			keepStatus: func(o, old runtime.Object) { o.(*appsv1.Deployment).Status = old.(*appsv1.Deployment).Status },
			keepSpec:   func(o, old runtime.Object) { o.(*appsv1.Deployment).Spec = old.(*appsv1.Deployment).Spec },
			specChanged: func(o, old runtime.Object) bool {
				return !reflect.DeepEqual(o.(*appsv1.Deployment).Spec, old.(*appsv1.Deployment).Spec)
			},
		}
	case "replicasets":
		return strategy{
			generation:       true,
			prepareForCreate: func(o runtime.Object) { o.(*appsv1.ReplicaSet).Status = appsv1.ReplicaSetStatus{} },
			defaults:         func(o runtime.Object) { validation.DefaultReplicaSet(o.(*appsv1.ReplicaSet)) },
			validate:         func(o runtime.Object) field.ErrorList { return validation.ValidateReplicaSet(o.(*appsv1.ReplicaSet)) },
			validateUpdate: func(o, old runtime.Object) field.ErrorList {
				return validation.ValidateReplicaSetUpdate(o.(*appsv1.ReplicaSet), old.(*appsv1.ReplicaSet))
			},
			keepStatus: func(o, old runtime.Object) { o.(*appsv1.ReplicaSet).Status = old.(*appsv1.ReplicaSet).Status },
			keepSpec:   func(o, old runtime.Object) { o.(*appsv1.ReplicaSet).Spec = old.(*appsv1.ReplicaSet).Spec },
			specChanged: func(o, old runtime.Object) bool {
				return !reflect.DeepEqual(o.(*appsv1.ReplicaSet).Spec, old.(*appsv1.ReplicaSet).Spec)
			},
		}
	case "pods":
		return strategy{
			generation: true,
			prepareForCreate: func(o runtime.Object) {
				p := o.(*corev1.Pod)
				p.Status = corev1.PodStatus{Phase: corev1.PodPending}
			},
			defaults: func(o runtime.Object) {
				p := o.(*corev1.Pod)
				validation.DefaultPod(p)
				if p.Status.QOSClass == "" {
					p.Status.QOSClass = qosClass(&p.Spec)
				}
			},
			admit:    func(o runtime.Object, suffix func(int) string) { validation.AdmitPod(o.(*corev1.Pod), suffix) },
			validate: func(o runtime.Object) field.ErrorList { return validation.ValidatePod(o.(*corev1.Pod)) },
			validateUpdate: func(o, old runtime.Object) field.ErrorList {
				return validation.ValidatePodUpdate(o.(*corev1.Pod), old.(*corev1.Pod))
			},
			// As ValidatePodStatusUpdate: the metadata rules, not the spec, which a status write
			// takes from the stored pod. (The kubelet's status writes are the busiest path.)
			validateStatusUpdate: func(o, old runtime.Object) field.ErrorList {
				p, prev := o.(*corev1.Pod), old.(*corev1.Pod)
				if maps.Equal(p.Annotations, prev.Annotations) {
					return nil // the rest of the metadata is the stored pod's (see updateLocked)
				}
				return apimachineryvalidation.ValidateObjectMetaUpdate(&p.ObjectMeta, &prev.ObjectMeta, field.NewPath("metadata"))
			},
			keepStatus: func(o, old runtime.Object) { o.(*corev1.Pod).Status = old.(*corev1.Pod).Status },
			keepSpec:   func(o, old runtime.Object) { o.(*corev1.Pod).Spec = old.(*corev1.Pod).Spec },
			specChanged: func(o, old runtime.Object) bool {
				return !reflect.DeepEqual(o.(*corev1.Pod).Spec, old.(*corev1.Pod).Spec)
			},
		}
	case "nodes":
		return strategy{
			defaults: func(o runtime.Object) { validation.DefaultNode(o.(*corev1.Node)) },
			validate: func(o runtime.Object) field.ErrorList { return validation.ValidateNode(o.(*corev1.Node)) },
			validateUpdate: func(o, old runtime.Object) field.ErrorList {
				return validation.ValidateNodeUpdate(o.(*corev1.Node), old.(*corev1.Node))
			},
			keepStatus: func(o, old runtime.Object) { o.(*corev1.Node).Status = old.(*corev1.Node).Status },
			keepSpec:   func(o, old runtime.Object) { o.(*corev1.Node).Spec = old.(*corev1.Node).Spec },
		}
	case "namespaces":
		return strategy{
			prepareForCreate: func(o runtime.Object) {
				o.(*corev1.Namespace).Status = corev1.NamespaceStatus{Phase: corev1.NamespaceActive}
			},
			defaults: func(o runtime.Object) { validation.DefaultNamespace(o.(*corev1.Namespace)) },
			validate: func(o runtime.Object) field.ErrorList { return validation.ValidateNamespace(o.(*corev1.Namespace)) },
			validateUpdate: func(o, old runtime.Object) field.ErrorList {
				return validation.ValidateNamespaceUpdate(o.(*corev1.Namespace), old.(*corev1.Namespace))
			},
			keepStatus: func(o, old runtime.Object) { o.(*corev1.Namespace).Status = old.(*corev1.Namespace).Status },
			keepSpec:   func(o, old runtime.Object) { o.(*corev1.Namespace).Spec = old.(*corev1.Namespace).Spec },
		}
	case "services":
		return strategy{
			defaults:   func(o runtime.Object) { validation.DefaultService(o.(*corev1.Service)) },
			validate:   func(o runtime.Object) field.ErrorList { return validateMeta(o, true) },
			keepStatus: func(o, old runtime.Object) { o.(*corev1.Service).Status = old.(*corev1.Service).Status },
			keepSpec:   func(o, old runtime.Object) { o.(*corev1.Service).Spec = old.(*corev1.Service).Spec },
		}
	default: // events
		return strategy{validate: func(o runtime.Object) field.ErrorList { return validateMeta(o, true) }}
	}
}

// validateMeta checks only what every object needs: a name.
func validateMeta(o runtime.Object, _ bool) field.ErrorList {
	if accessor(o).GetName() == "" {
		return field.ErrorList{field.Required(field.NewPath("metadata", "name"), "name or generateName is required")}
	}
	return nil
}

// qosClass is the pod's quality-of-service class, from its containers' requests and limits.
func qosClass(spec *corev1.PodSpec) corev1.PodQOSClass {
	requests, limits := corev1.ResourceList{}, corev1.ResourceList{}
	guaranteed := true
	for _, c := range append(append([]corev1.Container(nil), spec.InitContainers...), spec.Containers...) {
		for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			req, hasReq := c.Resources.Requests[name]
			lim, hasLim := c.Resources.Limits[name]
			if hasReq && !req.IsZero() {
				addQuantity(requests, name, req)
			}
			if hasLim && !lim.IsZero() {
				addQuantity(limits, name, lim)
			}
			if !hasLim || (hasReq && req.Cmp(lim) != 0) {
				guaranteed = false
			}
		}
	}
	if len(requests) == 0 && len(limits) == 0 {
		return corev1.PodQOSBestEffort
	}
	if guaranteed {
		return corev1.PodQOSGuaranteed
	}
	return corev1.PodQOSBurstable
}

func addQuantity(list corev1.ResourceList, name corev1.ResourceName, q resource.Quantity) {
	sum := list[name]
	sum.Add(q)
	list[name] = sum
}

func setTypeMeta(res *Resource, obj runtime.Object) {
	obj.GetObjectKind().SetGroupVersionKind(res.GroupVersionKind())
}

func setReplicas(obj runtime.Object, n int32) bool {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		o.Spec.Replicas = &n
	case *appsv1.ReplicaSet:
		o.Spec.Replicas = &n
	default:
		return false
	}
	return true
}

func validateScale(replicas int32) field.ErrorList { return validation.ValidateScale(replicas) }

func fieldRequiredRV() field.ErrorList {
	return field.ErrorList{field.Invalid(field.NewPath("metadata", "resourceVersion"), "0x0", "must be specified for an update")}
}

func fieldTargetKind(kind string) field.ErrorList {
	return field.ErrorList{field.NotSupported(field.NewPath("target", "kind"), kind, []string{"Node"})}
}

// schemaGR names a resource the way an error message does when it is not one of ours ("pods/binding").
func schemaGR(name string) schema.GroupResource { return schema.GroupResource{Resource: name} }

func schemaGK(kind string) schema.GroupKind { return schema.GroupKind{Kind: kind} }
