package printers

import (
	"fmt"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// DeploymentTable is how `kubectl get deployments` prints deployments (the server's printDeployment).
func DeploymentTable() Table { return Table{columns: deploymentColumns(), cells: deploymentCells} }

func deploymentColumns() []column {
	return append([]column{
		nameColumn(),
		str("Ready", "Number of the pod with ready state"),
		{name: "Up-to-date", typ: "string", description: extDeploymentUpdatedReplicas, number: true},
		{name: "Available", typ: "string", description: extDeploymentAvailableReplicas, number: true},
		ageColumn(),
	}, append(templateColumns(), wide(str("Selector", extDeploymentSelector)))...)
}

func deploymentCells(obj runtime.Object, opts Options) ([]string, error) {
	d, ok := obj.(*appsv1.Deployment)
	if !ok {
		return nil, fmt.Errorf("expected *v1.Deployment, got %T", obj)
	}
	// The server prints the selector with LabelSelectorAsSelector (empty, not
	// "<none>", when it selects everything), unlike ReplicaSets below.
	selector := "<invalid>"
	if sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector); err == nil {
		selector = sel.String()
	}
	names, images := containerCells(d.Spec.Template.Spec.Containers)
	return []string{
		d.Name,
		fmt.Sprintf("%d/%d", d.Status.ReadyReplicas, int32Value(d.Spec.Replicas)),
		strconv.Itoa(int(d.Status.UpdatedReplicas)),
		strconv.Itoa(int(d.Status.AvailableReplicas)),
		age(opts.Now, d.CreationTimestamp),
		names, images, selector,
	}, nil
}

// ReplicaSetTable is how `kubectl get replicasets` prints replica sets (the server's printReplicaSet).
func ReplicaSetTable() Table { return Table{columns: replicaSetColumns(), cells: replicaSetCells} }

func replicaSetColumns() []column {
	return append([]column{
		nameColumn(),
		{name: "Desired", typ: "integer", description: extReplicaSetSpecReplicas, number: true},
		{name: "Current", typ: "integer", description: extReplicaSetStatusReplicas, number: true},
		{name: "Ready", typ: "integer", description: extReplicaSetReadyReplicas, number: true},
		ageColumn(),
	}, append(templateColumns(), wide(str("Selector", extReplicaSetSelector)))...)
}

func replicaSetCells(obj runtime.Object, opts Options) ([]string, error) {
	rs, ok := obj.(*appsv1.ReplicaSet)
	if !ok {
		return nil, fmt.Errorf("expected *v1.ReplicaSet, got %T", obj)
	}
	names, images := containerCells(rs.Spec.Template.Spec.Containers)
	return []string{
		rs.Name,
		strconv.Itoa(int(int32Value(rs.Spec.Replicas))),
		strconv.Itoa(int(rs.Status.Replicas)),
		strconv.Itoa(int(rs.Status.ReadyReplicas)),
		age(opts.Now, rs.CreationTimestamp),
		names, images, metav1.FormatLabelSelector(rs.Spec.Selector),
	}, nil
}

// containerCells lays out the CONTAINERS and IMAGES cells: comma-separated, in spec order.
func containerCells(containers []corev1.Container) (names, images string) {
	n := make([]string, 0, len(containers))
	im := make([]string, 0, len(containers))
	for _, c := range containers {
		n = append(n, c.Name)
		im = append(im, c.Image)
	}
	return strings.Join(n, ","), strings.Join(im, ",")
}

// int32Value reads an optional count; the API server converts an unset one to 0.
func int32Value(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}
