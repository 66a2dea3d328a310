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
func TableFor(spec Table, objs []runtime.Object, now time.Time) (*metav1.Table, error) {
	if spec.cells == nil {
		return nil, fmt.Errorf("no table printer for %s", spec.Kind)
	}
	t := &metav1.Table{TypeMeta: metav1.TypeMeta{APIVersion: "meta.k8s.io/v1", Kind: "Table"}}
	for _, c := range spec.columns {
		def := metav1.TableColumnDefinition{Name: c.name, Type: c.typ, Description: c.description, Priority: int32(c.priority)}
		if def.Type == "" {
			def.Type = "string"
		}
		if c.isName {
			def.Format = "name"
		}
		t.ColumnDefinitions = append(t.ColumnDefinitions, def)
	}
	opts := Options{Wide: true, Now: now}
	t.Rows = make([]metav1.TableRow, 0, len(objs))
	for _, obj := range objs {
		if isNilObject(obj) {
			return nil, fmt.Errorf("cannot print a nil %s object", spec.Kind)
		}
		cells, err := spec.cells(obj, opts)
		if err != nil {
			return nil, err
		}
		row := metav1.TableRow{Cells: make([]any, len(spec.columns)), Object: runtime.RawExtension{Object: obj}}
		for i, c := range spec.columns {
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			row.Cells[i] = cellValue(c, cell)
		}
		if spec.conditions != nil {
			row.Conditions = spec.conditions(obj)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// cellValue is the cell as the server's printer typed it: a few counts are int64 in JSON.
func cellValue(c column, cell string) any {
	if c.typ == "boolean" {
		if b, err := strconv.ParseBool(cell); err == nil {
			return b
		}
		return cell
	}
	if !c.number {
		return cell
	}
	n, err := strconv.ParseInt(cell, 10, 64)
	if err != nil {
		return cell
	}
	return n
}

// podRowConditions marks finished pods as the server's printer does, so clients can dim them.
func podRowConditions(obj runtime.Object) []metav1.TableRowCondition {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return nil
	}
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

// The column descriptions the server declares, as pkg/printers/internalversion/printers.go
// (k8s.io/kubernetes v1.37.2) takes them from the types' documentation.

// str is a string column with the server's description.
func str(name, description string) column {
	return column{name: name, typ: "string", description: description}
}

// wide is a column shown only with -o wide.
func wide(c column) column { c.priority = 1; return c }

// nameColumn is the NAME column every resource has.
func nameColumn() column {
	c := str("Name", metav1.ObjectMeta{}.SwaggerDoc()["name"])
	c.isName = true
	return c
}

// ageColumn is the AGE column: the creation timestamp.
func ageColumn() column { return str("Age", metav1.ObjectMeta{}.SwaggerDoc()["creationTimestamp"]) }

// templateColumns are the -o wide CONTAINERS and IMAGES columns of a workload.
func templateColumns() []column {
	return []column{
		wide(str("Containers", "Names of each container in the template.")),
		wide(str("Images", "Images referenced by each container in the template.")),
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
