package registry

import (
	"maps"
	"reflect"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	apimachineryvalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
	"github.com/k8slearn/k8slearn/engine/validation"
)

// pods: pkg/registry/core/pod (strategy.go, storage/storage.go).
func pods() *Resource {
	return &Resource{
		Name: "pods", Singular: "pod", ShortNames: []string{"po"}, Kind: "Pod", Version: "v1", Namespaced: true,
		Categories: []string{"all"}, StatusVerbs: subresourceVerbs(), Binding: true, Eviction: true, etcdDir: "pods",
		newObj:      func() runtime.Object { return &corev1.Pod{} },
		newList:     func() runtime.Object { return &corev1.PodList{} },
		addToScheme: corev1.AddToScheme,
		Strategy: Strategy{
			Generation: true,
			PrepareForCreate: func(o runtime.Object) {
				p := o.(*corev1.Pod)
				p.Status = corev1.PodStatus{Phase: corev1.PodPending}
				validation.DropDisabledProbeFields(&p.Spec, nil)
			},
			Defaults: func(o runtime.Object) {
				p := o.(*corev1.Pod)
				validation.DefaultPod(p)
				if p.Status.QOSClass == "" {
					p.Status.QOSClass = qosClass(&p.Spec)
				}
			},
			Admit:    func(o runtime.Object, suffix func(int) string) { validation.AdmitPod(o.(*corev1.Pod), suffix) },
			Validate: func(o runtime.Object) field.ErrorList { return validation.ValidatePod(o.(*corev1.Pod)) },
			ValidateUpdate: func(o, old runtime.Object) field.ErrorList {
				return validation.ValidatePodUpdate(o.(*corev1.Pod), old.(*corev1.Pod))
			},
			// As ValidatePodStatusUpdate: the metadata rules, not the spec, which a status write
			// takes from the stored pod. (The kubelet's status writes are the busiest path.)
			ValidateStatusUpdate: func(o, old runtime.Object) field.ErrorList {
				p, prev := o.(*corev1.Pod), old.(*corev1.Pod)
				if maps.Equal(p.Annotations, prev.Annotations) {
					return nil // the rest of the metadata is the stored pod's (see the API server's update)
				}
				return apimachineryvalidation.ValidateObjectMetaUpdate(&p.ObjectMeta, &prev.ObjectMeta, field.NewPath("metadata"))
			},
			KeepStatus: func(o, old runtime.Object) { o.(*corev1.Pod).Status = old.(*corev1.Pod).Status },
			KeepSpec:   func(o, old runtime.Object) { o.(*corev1.Pod).Spec = old.(*corev1.Pod).Spec },
			SpecChanged: func(o, old runtime.Object) bool {
				return !reflect.DeepEqual(o.(*corev1.Pod).Spec, old.(*corev1.Pod).Spec)
			},
			GracePeriod: func(o runtime.Object, requested *int64) int64 { return podGracePeriod(o.(*corev1.Pod), requested) },
		},
		fields:     func(o runtime.Object) fields.Set { return podFieldSet(o.(*corev1.Pod)) },
		fastFields: func(o runtime.Object) fields.Fields { return podFields{o.(*corev1.Pod)} },
		nodeName:   func(o runtime.Object) string { return o.(*corev1.Pod).Spec.NodeName },
		PodSpec:    func(o runtime.Object) *corev1.PodSpec { return &o.(*corev1.Pod).Spec },
		Table:      printers.PodTable(),
		Describe:   printers.DescribePod,
	}
}

// podFieldSet are a pod's selectable fields (PodToSelectableFields).
func podFieldSet(p *corev1.Pod) fields.Set {
	return fields.Set{
		"spec.nodeName":            p.Spec.NodeName,
		"spec.restartPolicy":       string(p.Spec.RestartPolicy),
		"spec.schedulerName":       p.Spec.SchedulerName,
		"spec.serviceAccountName":  p.Spec.ServiceAccountName,
		"status.phase":             string(p.Status.Phase),
		"status.podIP":             p.Status.PodIP,
		"status.nominatedNodeName": p.Status.NominatedNodeName,
	}
}

// podFields are the fields FieldSet gives a pod, without building a map.
type podFields struct{ p *corev1.Pod }

func (f podFields) Has(field string) bool { _, ok := f.lookup(field); return ok }

func (f podFields) Get(field string) string { v, _ := f.lookup(field); return v }

func (f podFields) lookup(field string) (string, bool) {
	p := f.p
	switch field {
	case "metadata.name":
		return p.Name, true
	case "metadata.namespace":
		return p.Namespace, p.Namespace != ""
	case "spec.nodeName":
		return p.Spec.NodeName, true
	case "spec.restartPolicy":
		return string(p.Spec.RestartPolicy), true
	case "spec.schedulerName":
		return p.Spec.SchedulerName, true
	case "spec.serviceAccountName":
		return p.Spec.ServiceAccountName, true
	case "status.phase":
		return string(p.Status.Phase), true
	case "status.podIP":
		return p.Status.PodIP, true
	case "status.nominatedNodeName":
		return p.Status.NominatedNodeName, true
	}
	return "", false
}

// podGracePeriod is the grace period a pod delete gets: the request's, else the pod's own, and none
// for pods that never reached a node or already finished (nothing runs that could be stopped).
func podGracePeriod(pod *corev1.Pod, requested *int64) int64 {
	if pod.Spec.NodeName == "" || pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return 0
	}
	grace := int64(corev1.DefaultTerminationGracePeriodSeconds)
	if pod.Spec.TerminationGracePeriodSeconds != nil {
		grace = *pod.Spec.TerminationGracePeriodSeconds
	}
	if requested != nil {
		grace = *requested
	}
	if grace < 0 {
		grace = 0
	}
	return grace
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
