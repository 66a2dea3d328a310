package registry

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
)

// EventTTL is how long an Event is kept after its last write, kube-apiserver's --event-ttl default.
const EventTTL = time.Hour

// events: pkg/registry/core/event (core/v1 Events, as kubectl get events lists them).
func events() *Resource {
	return &Resource{
		Name: "events", Singular: "event", ShortNames: []string{"ev"}, Kind: "Event", Version: "v1", Namespaced: true,
		// kube-apiserver keeps events for --event-ttl, an hour by default (cmd/kube-apiserver/app/
		// options/options.go), renewed at every write (pkg/registry/core/event/storage/storage.go).
		TTL:         EventTTL,
		etcdDir:     "events",
		newObj:      func() runtime.Object { return &corev1.Event{} },
		newList:     func() runtime.Object { return &corev1.EventList{} },
		addToScheme: corev1.AddToScheme,
		fields: func(o runtime.Object) fields.Set {
			e := o.(*corev1.Event)
			return fields.Set{
				"involvedObject.kind":            e.InvolvedObject.Kind,
				"involvedObject.namespace":       e.InvolvedObject.Namespace,
				"involvedObject.name":            e.InvolvedObject.Name,
				"involvedObject.uid":             string(e.InvolvedObject.UID),
				"involvedObject.apiVersion":      e.InvolvedObject.APIVersion,
				"involvedObject.resourceVersion": e.InvolvedObject.ResourceVersion,
				"involvedObject.fieldPath":       e.InvolvedObject.FieldPath,
				"reason":                         e.Reason,
				"reportingComponent":             e.ReportingController,
				"source":                         e.Source.Component,
				"type":                           e.Type,
			}
		},
		Table: printers.EventTable(),
		// kubectl has no describer for events: its generic one prints every field.
		Describe: printers.DescribeGeneric("v1", "Event"),
	}
}
