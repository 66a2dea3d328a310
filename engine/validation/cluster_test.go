package validation

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestValidateNamespace(t *testing.T) {
	tests := []struct {
		name string
		ns   *corev1.Namespace
		want string
	}{
		{name: "valid", ns: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "team-a"}}},
		{
			name: "not a DNS label",
			ns:   &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "Team_A"}},
			want: `Namespace "Team_A" is invalid: metadata.name: Invalid value: "Team_A": ` + labelMsg,
		},
		{
			name: "dots get their own message",
			ns:   &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "team.a"}},
			want: `Namespace "team.a" is invalid: metadata.name: Invalid value: "team.a": must not contain dots`,
		},
		{
			name: "namespaced",
			ns:   &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "a", Namespace: "default"}},
			want: `Namespace "a" is invalid: metadata.namespace: Forbidden: not allowed on this type`,
		},
		{
			name: "unqualified spec finalizer",
			ns:   &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "a"}, Spec: corev1.NamespaceSpec{Finalizers: []corev1.FinalizerName{"cleanup"}}},
			want: `Namespace "a" is invalid: spec.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			DefaultNamespace(tt.ns)
			if got := invalidError(namespaceKind, tt.ns.Name, ValidateNamespace(tt.ns)); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestValidateNode(t *testing.T) {
	valid := func() *corev1.Node {
		n := &corev1.Node{
			ObjectMeta: metav1.ObjectMeta{Name: "node-1", Labels: map[string]string{"kubernetes.io/hostname": "node-1"}},
			Spec:       corev1.NodeSpec{PodCIDRs: []string{"10.244.1.0/24"}},
			Status: corev1.NodeStatus{Capacity: corev1.ResourceList{
				corev1.ResourceCPU: resource.MustParse("2"), corev1.ResourceMemory: resource.MustParse("4Gi"), corev1.ResourcePods: resource.MustParse("110"),
			}},
		}
		DefaultNode(n)
		return n
	}
	tests := []struct {
		name   string
		mutate func(n *corev1.Node)
		want   string
	}{
		{name: "valid", mutate: func(n *corev1.Node) {}},
		{
			name:   "upper-case name",
			mutate: func(n *corev1.Node) { n.Name = "Node-1" },
			want:   `Node "Node-1" is invalid: metadata.name: Invalid value: "Node-1": ` + subdomainMsg,
		},
		{
			name: "taints",
			mutate: func(n *corev1.Node) {
				n.Spec.Taints = []corev1.Taint{
					{Key: "dedicated", Value: "gpu", Effect: corev1.TaintEffectNoSchedule},
					{Key: "dedicated", Value: "db", Effect: corev1.TaintEffectNoSchedule},
					{Key: "zone", Effect: ""},
				}
			},
			want: `Node "node-1" is invalid: [metadata.taints[1]: Duplicate value: {"Key":"dedicated","Value":"db","Effect":"NoSchedule","TimeAdded":null}: taints must be unique by key and effect pair, ` +
				`metadata.taints[2].effect: Required value]`,
		},
		{
			name:   "fractional pods",
			mutate: func(n *corev1.Node) { n.Status.Allocatable[corev1.ResourcePods] = resource.MustParse("1500m") },
			want:   `Node "node-1" is invalid: status.allocatable.pods: Invalid value: "1500m": must be an integer`,
		},
		{
			name:   "bad pod CIDR",
			mutate: func(n *corev1.Node) { n.Spec.PodCIDRs = []string{"10.244.1.0/33"} },
			want:   `Node "node-1" is invalid: spec.podCIDRs[0]: Invalid value: "10.244.1.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := valid()
			tt.mutate(n)
			if got := invalidError(nodeKind, n.Name, ValidateNode(n)); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestValidateNodeAndNamespaceUpdate(t *testing.T) {
	old := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "node-1", ResourceVersion: "4"}, Spec: corev1.NodeSpec{PodCIDRs: []string{"10.244.1.0/24"}}}
	n := old.DeepCopy()
	n.Spec.Unschedulable = true // kubectl cordon
	if errs := ValidateNodeUpdate(n, old); len(errs) != 0 {
		t.Errorf("cordon rejected: %v", errs)
	}
	n.Spec.PodCIDRs = []string{"10.244.2.0/24"}
	n.Status.Addresses = []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "10.0.0.1"}, {Type: corev1.NodeInternalIP, Address: "10.0.0.1"}}
	want := `Node "node-1" is invalid: [status.addresses[1]: Duplicate value: {"Type":"InternalIP","Address":"10.0.0.1"}, ` +
		`spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid]`
	if got := invalidError(nodeKind, n.Name, ValidateNodeUpdate(n, old)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}

	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "team-a", ResourceVersion: "2"}}
	renamed := ns.DeepCopy()
	renamed.Name = "team-b"
	want = `Namespace "team-b" is invalid: metadata.name: Invalid value: "team-b": field is immutable`
	if got := invalidError(namespaceKind, renamed.Name, ValidateNamespaceUpdate(renamed, ns)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if len(ValidateNodeUpdate(nil, nil))+len(ValidateNamespaceUpdate(nil, nil)) != 0 {
		t.Errorf("nil updates returned errors")
	}
}
