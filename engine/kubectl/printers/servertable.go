package printers

import (
	"fmt"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// TableFor is what kube-apiserver sends for `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`:
// every column (the -o wide ones included, with their priority), each with the type, format and
// description the server declares, and one row per object whose cells are the very cells
// PrintTable prints (the same specFor and cells functions), so the two cannot drift. Each row's
// Object is the object itself; the caller trims it to what the request's includeObject asks for.
func TableFor(resource string, objs []runtime.Object, now time.Time) (*metav1.Table, error) {
	info, err := lookupResource(resource)
	if err != nil {
		return nil, err
	}
	spec, err := specFor(info.plural)
	if err != nil {
		return nil, err
	}
	t := &metav1.Table{TypeMeta: metav1.TypeMeta{APIVersion: "meta.k8s.io/v1", Kind: "Table"}}
	metas := make([]columnMeta, len(spec.columns))
	all := serverColumns()
	for i, c := range spec.columns {
		meta, ok := all[info.plural+"/"+c.name]
		if !ok {
			meta = columnMeta{typ: "string"}
		}
		metas[i] = meta
		def := metav1.TableColumnDefinition{Name: c.name, Type: meta.typ, Description: meta.description, Priority: int32(c.priority)}
		if c.isName {
			def.Format = "name"
		}
		t.ColumnDefinitions = append(t.ColumnDefinitions, def)
	}
	opts := Options{Wide: true, Now: now}
	t.Rows = make([]metav1.TableRow, 0, len(objs))
	for _, obj := range objs {
		if isNilObject(obj) {
			return nil, fmt.Errorf("cannot print a nil %s object", info.plural)
		}
		cells, err := spec.cells(obj, opts)
		if err != nil {
			return nil, err
		}
		row := metav1.TableRow{Cells: make([]any, len(spec.columns)), Object: runtime.RawExtension{Object: obj}}
		for i := range spec.columns {
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			row.Cells[i] = cellValue(metas[i], cell)
		}
		if pod, ok := obj.(*corev1.Pod); ok {
			row.Conditions = podRowConditions(pod)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// cellValue is the cell as the server's printer typed it: a few counts are int64 in JSON.
func cellValue(meta columnMeta, cell string) any {
	if !meta.number {
		return cell
	}
	n, err := strconv.ParseInt(cell, 10, 64)
	if err != nil {
		return cell
	}
	return n
}

// podRowConditions marks finished pods as the server's printer does, so clients can dim them.
func podRowConditions(pod *corev1.Pod) []metav1.TableRowCondition {
	switch pod.Status.Phase {
	case corev1.PodSucceeded:
		return []metav1.TableRowCondition{{Type: metav1.RowCompleted, Status: metav1.ConditionTrue,
			Reason: string(pod.Status.Phase), Message: "The pod has completed successfully."}}
	case corev1.PodFailed:
		return []metav1.TableRowCondition{{Type: metav1.RowCompleted, Status: metav1.ConditionTrue,
			Reason: string(pod.Status.Phase), Message: "The pod failed."}}
	}
	return nil
}

// columnMeta is what the server's column definition says beyond the name and priority.
type columnMeta struct {
	typ         string
	description string
	number      bool // the cell is an int64 in the server's rows
}

// serverColumns gives each column's declared type and description, keyed "resource/Column", as
// pkg/printers/internalversion/printers.go declares them in v1.34. It is built on each call
// (no package state).
func serverColumns() map[string]columnMeta {
	name := metav1.ObjectMeta{}.SwaggerDoc()["name"]
	created := metav1.ObjectMeta{}.SwaggerDoc()["creationTimestamp"]
	containers := "Names of each container in the template."
	images := "Images referenced by each container in the template."
	s := func(d string) columnMeta { return columnMeta{typ: "string", description: d} }
	pod := "pods/"
	podSpec, podStatus := corev1.PodSpec{}.SwaggerDoc(), corev1.PodStatus{}.SwaggerDoc()
	nodeInfo, nodeStatus := corev1.NodeSystemInfo{}.SwaggerDoc(), corev1.NodeStatus{}.SwaggerDoc()
	event, ref := corev1.Event{}.SwaggerDoc(), corev1.ObjectReference{}.SwaggerDoc()
	svc := corev1.ServiceSpec{}.SwaggerDoc()
	return map[string]columnMeta{
		pod + "Name":            s(name),
		pod + "Ready":           s("The aggregate readiness state of this pod for accepting traffic."),
		pod + "Status":          s("The aggregate status of the containers in this pod."),
		pod + "Restarts":        s("The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
		pod + "Age":             s(created),
		pod + "IP":              s(podStatus["podIP"]),
		pod + "Node":            s(podSpec["nodeName"]),
		pod + "Nominated Node":  s(podStatus["nominatedNodeName"]),
		pod + "Readiness Gates": s(podSpec["readinessGates"]),

		"deployments/Name":       s(name),
		"deployments/Ready":      s("Number of the pod with ready state"),
		"deployments/Up-to-date": {typ: "string", description: extDeploymentUpdatedReplicas, number: true},
		"deployments/Available":  {typ: "string", description: extDeploymentAvailableReplicas, number: true},
		"deployments/Age":        s(created),
		"deployments/Containers": s(containers),
		"deployments/Images":     s(images),
		"deployments/Selector":   s(extDeploymentSelector),

		"replicasets/Name":       s(name),
		"replicasets/Desired":    {typ: "integer", description: extReplicaSetSpecReplicas, number: true},
		"replicasets/Current":    {typ: "integer", description: extReplicaSetStatusReplicas, number: true},
		"replicasets/Ready":      {typ: "integer", description: extReplicaSetReadyReplicas, number: true},
		"replicasets/Age":        s(created),
		"replicasets/Containers": s(containers),
		"replicasets/Images":     s(images),
		"replicasets/Selector":   s(extReplicaSetSelector),

		"nodes/Name":              s(name),
		"nodes/Status":            s("The status of the node"),
		"nodes/Roles":             s("The roles of the node"),
		"nodes/Age":               s(created),
		"nodes/Version":           s(nodeInfo["kubeletVersion"]),
		"nodes/Internal-IP":       s(nodeStatus["addresses"]),
		"nodes/External-IP":       s(nodeStatus["addresses"]),
		"nodes/OS-Image":          s(nodeInfo["osImage"]),
		"nodes/Kernel-Version":    s(nodeInfo["kernelVersion"]),
		"nodes/Container-Runtime": s(nodeInfo["containerRuntimeVersion"]),

		"events/Last Seen":  s(event["lastTimestamp"]),
		"events/Type":       s(event["type"]),
		"events/Reason":     s(event["reason"]),
		"events/Object":     s(event["involvedObject"]),
		"events/Subobject":  s(ref["fieldPath"]),
		"events/Source":     s(event["source"]),
		"events/Message":    s(event["message"]),
		"events/First Seen": s(event["firstTimestamp"]),
		"events/Count":      {typ: "string", description: event["count"], number: true},
		"events/Name":       s(name),

		"namespaces/Name":   s(name),
		"namespaces/Status": s("The status of the namespace"),
		"namespaces/Age":    s(created),

		"services/Name":        s(name),
		"services/Type":        s(svc["type"]),
		"services/Cluster-IP":  s(svc["clusterIP"]),
		"services/External-IP": s(svc["externalIPs"]),
		"services/Port(s)":     s(svc["ports"]),
		"services/Age":         s(created),
		"services/Selector":    s(svc["selector"]),
	}
}

// The descriptions kube-apiserver gives the Deployment and ReplicaSet columns come from the
// extensions/v1beta1 types' documentation, which differs from apps/v1's (the selectors). They are
// written out here rather than read from k8s.io/api/extensions/v1beta1: linking that package (and
// apps/v1beta1 behind it) for seven sentences costs every start of the program its package inits.
// TestExtensionsDocs checks them against the package.
const (
	extDeploymentUpdatedReplicas   = "Total number of non-terminating pods targeted by this deployment that have the desired template spec."
	extDeploymentAvailableReplicas = "Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment."
	extDeploymentSelector          = "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment."
	extReplicaSetSpecReplicas      = "Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset"
	extReplicaSetStatusReplicas    = "Replicas is the most recently observed number of non-terminating pods. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset"
	extReplicaSetReadyReplicas     = "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition."
	extReplicaSetSelector          = "Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"
)
