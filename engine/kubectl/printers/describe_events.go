package printers

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
)

// eventRef names the object whose events describe shows, as kubectl's
// searchEvents builds its field selector: involvedObject name, namespace,
// kind (left out for pods) and uid.
type eventRef struct {
	namespace string
	name      string
	kind      string      // "" matches any kind
	uids      []types.UID // any of these; kubelets record node events with the node name as uid
}

// matches is lenient about a missing uid on either side, since a miniature
// cluster may not fill every field kubectl's field selector looks at.
func (ref eventRef) matches(e *corev1.Event) bool {
	io := e.InvolvedObject
	if io.Name != ref.name || io.Namespace != ref.namespace {
		return false
	}
	if ref.kind != "" && io.Kind != ref.kind {
		return false
	}
	if io.UID == "" {
		return true
	}
	known := false
	for _, uid := range ref.uids {
		if uid == "" {
			continue
		}
		known = true
		if uid == io.UID {
			return true
		}
	}
	return !known
}

// searchEvents lists the events about ref. A nil result (the events could
// not be listed) means describe prints no Events section at all.
func (d *describer) searchEvents(ref eventRef) []corev1.Event {
	if d.r == nil {
		return nil
	}
	objs, err := d.r.List("events", ref.namespace, nil)
	if err != nil {
		return nil
	}
	found := []corev1.Event{}
	for _, obj := range objs {
		if e, ok := obj.(*corev1.Event); ok && e != nil && ref.matches(e) {
			found = append(found, *e)
		}
	}
	return found
}

// events prints the Events table, sorted as kubectl v1.37's DescribeEvents sorts it (sort.Sort
// of event.SortableEvents, by lastTimestamp alone: events.k8s.io events, which have none, come
// first), each message after its involvedObject.fieldPath when there is one (k8s.io/kubectl
// v0.37.2 pkg/describe/describe.go, pkg/util/event/sorted_event_list.go); "Events:  <none>" when
// empty.
func (d *describer) events(events []corev1.Event) {
	if events == nil {
		return
	}
	if len(events) == 0 {
		d.write(level0, "Events:\t<none>\n")
		return
	}
	sorted := append([]corev1.Event(nil), events...)
	sort.Sort(byLastTimestamp(sorted))
	d.write(level0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
	d.write(level1, "----\t------\t----\t----\t-------\n")
	for _, e := range sorted {
		message := strings.TrimSpace(e.Message)
		if e.InvolvedObject.FieldPath != "" {
			message = e.InvolvedObject.FieldPath + ": " + message
		}
		d.write(level1, "%v\t%v\t%s\t%v\t%v\n",
			e.Type, e.Reason, d.eventInterval(e), firstNonEmpty(e.Source.Component, e.ReportingController), message)
	}
}

// byLastTimestamp is kubectl's event.SortableEvents.
type byLastTimestamp []corev1.Event

func (l byLastTimestamp) Len() int      { return len(l) }
func (l byLastTimestamp) Swap(i, j int) { l[i], l[j] = l[j], l[i] }
func (l byLastTimestamp) Less(i, j int) bool {
	return l[i].LastTimestamp.Time.Before(l[j].LastTimestamp.Time)
}

// eventInterval is the Age cell: "5s", or "2m (x3 over 5m)" for a repeated event.
func (d *describer) eventInterval(e corev1.Event) string {
	first := microAge(d.now, e.EventTime)
	if e.EventTime.IsZero() {
		first = age(d.now, e.FirstTimestamp)
	}
	switch {
	case e.Series != nil:
		return fmt.Sprintf("%s (x%d over %s)", microAge(d.now, e.Series.LastObservedTime), e.Series.Count, first)
	case e.Count > 1:
		return fmt.Sprintf("%s (x%d over %s)", age(d.now, e.LastTimestamp), e.Count, first)
	}
	return first
}
