package registry

import (
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
)

// endpoints: pkg/registry/core/endpoint, kept under /registry/services/endpoints.
func endpoints() *Resource {
	return &Resource{
		Name: "endpoints", Singular: "endpoints", ShortNames: []string{"ep"}, Kind: "Endpoints", Version: "v1", Namespaced: true,
		etcdDir:     "services/endpoints",
		newObj:      func() runtime.Object { return &corev1.Endpoints{} },
		newList:     func() runtime.Object { return &corev1.EndpointsList{} },
		addToScheme: corev1.AddToScheme,
		Strategy:    metaOnlyStrategy(true),
		Table:       printers.EndpointsTable(),
		Describe:    printers.DescribeEndpoints,
	}
}

// endpointSlices: pkg/registry/discovery/endpointslice. The generation counts changes to anything
// but the metadata, and to the labels (strategy.go PrepareForUpdate): the EndpointSlice controller
// tells its own writes from others' by it.
func endpointSlices() *Resource {
	st := metaOnlyStrategy(true)
	st.Generation = true
	st.SpecChanged = func(o, old runtime.Object) bool {
		a, b := o.(*discoveryv1.EndpointSlice).DeepCopy(), old.(*discoveryv1.EndpointSlice).DeepCopy()
		labelsA, labelsB := a.Labels, b.Labels
		a.ObjectMeta, b.ObjectMeta = metav1.ObjectMeta{}, metav1.ObjectMeta{}
		return !apiequality.Semantic.DeepEqual(a, b) || !apiequality.Semantic.DeepEqual(labelsA, labelsB)
	}
	return &Resource{
		Name: "endpointslices", Singular: "endpointslice", Kind: "EndpointSlice", Group: "discovery.k8s.io", Version: "v1",
		Namespaced: true, etcdDir: "endpointslices",
		newObj:      func() runtime.Object { return &discoveryv1.EndpointSlice{} },
		newList:     func() runtime.Object { return &discoveryv1.EndpointSliceList{} },
		addToScheme: discoveryv1.AddToScheme,
		Strategy:    st,
		Table:       printers.EndpointSliceTable(),
		Describe:    printers.DescribeEndpointSlice,
	}
}
