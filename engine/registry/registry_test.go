package registry

import (
	"bytes"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
)

func TestLookup(t *testing.T) {
	reg := New()
	tests := map[string]string{
		"po": "pods", "pod": "pods", "pods": "pods", "PODS": "pods", "Pod": "pods",
		"deploy": "deployments", "deployment": "deployments", "deployments.apps": "deployments",
		"deployments.v1.apps": "deployments", "rs": "replicasets",
		"no": "nodes", "ev": "events", "ns": "namespaces", "svc": "services",
	}
	for in, want := range tests {
		if r, ok := reg.Lookup(in); !ok || r.Name != want {
			t.Errorf("Lookup(%q) = %v, %v; want %q", in, r, ok, want)
		}
	}
	if _, ok := reg.Lookup("foos"); ok {
		t.Error(`Lookup("foos") should fail`)
	}
	if reg.MustLookup("nodes").Namespaced || !reg.MustLookup("pods").Namespaced {
		t.Error("nodes are cluster-scoped, pods are not")
	}
}

// TestEveryResourceIsComplete checks what every registration must give: objects of its own type,
// a list type, an etcd directory, a table, an API group for the codec, and table/kind names
// filled in by New.
func TestEveryResourceIsComplete(t *testing.T) {
	reg := New()
	s := runtime.NewScheme()
	if err := reg.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	for _, r := range reg.All() {
		obj := r.New()
		if !r.Holds(obj) {
			t.Errorf("%s: New does not return its own type", r.Name)
		}
		if got, ok := reg.ForObject(obj); !ok || got != r {
			t.Errorf("%s: ForObject does not find it", r.Name)
		}
		if got, ok := reg.ForKind(r.APIVersion(), r.Kind); !ok || got != r {
			t.Errorf("%s: ForKind does not find it", r.Name)
		}
		gvks, _, err := s.ObjectKinds(r.NewList())
		if err != nil || len(gvks) == 0 || gvks[0].Kind != r.Kind+"List" {
			t.Errorf("%s: list type %T is registered as %v (%v)", r.Name, r.NewList(), gvks, err)
		}
		if r.Table.Kind != r.KindName() || r.Table.Namespaced != r.Namespaced {
			t.Errorf("%s: table %q namespaced=%v", r.Name, r.Table.Kind, r.Table.Namespaced)
		}
		if r.Strategy.Validate == nil {
			t.Errorf("%s: no validation", r.Name)
		}
		if r.Key("ns", "x") == "" || r.KeyPrefix("") == "/registry//" {
			t.Errorf("%s: no etcd directory", r.Name)
		}
	}
}

func TestPodFieldsMatchFieldSet(t *testing.T) {
	pods := New().MustLookup("pods")
	p := &corev1.Pod{}
	p.Name = "a"
	p.Namespace = "default"
	p.Spec.NodeName = "node-1"
	p.Spec.RestartPolicy = corev1.RestartPolicyAlways
	p.Spec.SchedulerName = "default-scheduler"
	p.Status.Phase = corev1.PodRunning
	p.Status.PodIP = "10.244.1.2"
	set := pods.FieldSet(p)
	lazy := pods.Fields(p)
	for _, f := range []string{"metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
		"spec.serviceAccountName", "status.phase", "status.podIP", "status.nominatedNodeName", "spec.unknown"} {
		if set.Has(f) != lazy.Has(f) || set.Get(f) != lazy.Get(f) {
			t.Errorf("%s: FieldSet (%v %q), Fields (%v %q)", f, set.Has(f), set.Get(f), lazy.Has(f), lazy.Get(f))
		}
	}
}

// TestZeroObjectsPrintAndDescribe: every resource's table and describer take an empty object
// without panicking, as kubectl must for whatever the server sends.
func TestZeroObjectsPrintAndDescribe(t *testing.T) {
	for _, r := range New().All() {
		var buf bytes.Buffer
		opts := printers.Options{Wide: true, AllNamespaces: true, ShowLabels: true}
		if err := printers.PrintTable(&buf, r.Table, []runtime.Object{r.New()}, opts); err != nil {
			t.Errorf("%s: PrintTable: %v", r.Name, err)
		}
		if _, err := printers.TableFor(r.Table, []runtime.Object{r.New()}, time.Time{}); err != nil {
			t.Errorf("%s: TableFor: %v", r.Name, err)
		}
		if r.Describe != nil {
			if err := r.Describe(&buf, nil, r.New(), time.Time{}); err != nil {
				t.Errorf("%s: Describe: %v", r.Name, err)
			}
		}
	}
}

// ObjectKey finds in an etcd key the cache key client-go's MetaNamespaceKeyFunc makes:
// "namespace/name", or "name" for a cluster-scoped resource.
func TestObjectKey(t *testing.T) {
	for _, r := range New().All() {
		want := "web-1"
		if r.Namespaced {
			want = "team-a/web-1"
		}
		if got := r.ObjectKey(r.Key("team-a", "web-1")); got != want {
			t.Errorf("%s: ObjectKey(%q) = %q, want %q", r.Name, r.Key("team-a", "web-1"), got, want)
		}
	}
	if got := New().MustLookup("pods").ObjectKey("/registry/"); got != "" {
		t.Errorf("ObjectKey of a short key = %q, want \"\"", got)
	}
}
