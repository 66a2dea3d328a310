package printers

import (
	"io"
	"reflect"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// testResource is what engine/registry attaches to a resource, for the tests of this package
// (which cannot import the registry: the registry imports this package).
type testResource struct {
	table    Table
	describe DescribeFunc
	gvk      schema.GroupVersionKind
}

func testResources() map[string]testResource {
	t := func(tab Table, kind string, namespaced bool) Table {
		tab.Kind, tab.Namespaced = kind, namespaced
		return tab
	}
	return map[string]testResource{
		"pods":        {t(PodTable(), "pod", true), DescribePod, corev1.SchemeGroupVersion.WithKind("Pod")},
		"services":    {t(ServiceTable(), "service", true), DescribeService, corev1.SchemeGroupVersion.WithKind("Service")},
		"deployments": {t(DeploymentTable(), "deployment.apps", true), DescribeDeployment, appsv1.SchemeGroupVersion.WithKind("Deployment")},
		"replicasets": {t(ReplicaSetTable(), "replicaset.apps", true), DescribeReplicaSet, appsv1.SchemeGroupVersion.WithKind("ReplicaSet")},
		"nodes":       {t(NodeTable(), "node", false), DescribeNode, corev1.SchemeGroupVersion.WithKind("Node")},
		"events":      {t(EventTable(), "event", true), nil, corev1.SchemeGroupVersion.WithKind("Event")},
		"namespaces":  {t(NamespaceTable(), "namespace", false), DescribeNamespace, corev1.SchemeGroupVersion.WithKind("Namespace")},
	}
}

// tableOf is the table of a resource by its plural name; an unknown name gets a table that
// prints nothing but errors.
func tableOf(resource string) Table {
	if r, ok := testResources()[resource]; ok {
		return r.table
	}
	return Table{Kind: resource}
}

// describe is kubectl describe for a resource by its plural name.
func describe(w io.Writer, r Reader, resource string, obj runtime.Object, now time.Time) error {
	res, ok := testResources()[resource]
	if !ok || res.describe == nil {
		return errNoDescriber(resource)
	}
	return res.describe(w, r, obj, now)
}

type errNoDescriber string

func (e errNoDescriber) Error() string { return "no description has been implemented for " + string(e) }

// typed fills the apiVersion and kind of fixtures, as the API server's objects have them.
func typed(objs ...runtime.Object) []runtime.Object {
	for _, o := range objs {
		for _, r := range testResources() {
			if reflect.TypeOf(o).Elem().Name() == r.gvk.Kind {
				o.GetObjectKind().SetGroupVersionKind(r.gvk)
			}
		}
	}
	return objs
}
