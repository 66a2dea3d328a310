package printers

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
)

var update = flag.Bool("update", false, "rewrite golden files")

// checkGolden compares got with testdata/<name>.golden, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s\n--- got ---\n%s\n--- want ---\n%s", name, path, got, want)
	}
}

func TestTableGoldens(t *testing.T) {
	opts := Options{Now: testNow}
	wide := Options{Now: testNow, Wide: true}
	allNS := Options{Now: testNow, AllNamespaces: true}
	tests := []struct {
		name     string
		resource string
		objs     []runtime.Object
		opts     Options
	}{
		{"get_pods", "pods", lifecyclePods(), opts},
		{"get_pods_wide", "pods", lifecyclePods(), wide},
		{"get_pods_all_namespaces", "pods", lifecyclePods(), allNS},
		{"get_pods_all_namespaces_wide", "pods", lifecyclePods(), Options{Now: testNow, AllNamespaces: true, Wide: true}},
		{"get_pods_statuses", "pods", statusPods(), opts},
		{"get_pods_statuses_wide", "pods", statusPods(), wide},
		{"get_pods_show_labels", "pods", webPods(), Options{Now: testNow, ShowLabels: true}},
		{"get_pods_no_headers", "pods", webPods(), Options{Now: testNow, NoHeaders: true}},
		{"get_pods_with_kind", "pods", webPods(), Options{Now: testNow, WithKind: true}},
		{"get_deployments", "deployments", []runtime.Object{webDeployment()}, opts},
		{"get_deployments_wide", "deployments", []runtime.Object{webDeployment()}, wide},
		{"get_deployments_all_namespaces", "deployments", []runtime.Object{webDeployment()}, allNS},
		{"get_replicasets", "replicasets", []runtime.Object{webReplicaSet()}, opts},
		{"get_replicasets_wide", "replicasets", []runtime.Object{webReplicaSet()}, wide},
		{"get_nodes", "nodes", testNodes(), opts},
		{"get_nodes_wide", "nodes", testNodes(), wide},
		{"get_nodes_all_namespaces", "nodes", testNodes(), allNS},
		{"get_events", "events", testEvents(), opts},
		{"get_events_wide", "events", testEvents(), wide},
		{"get_events_all_namespaces", "events", testEvents(), allNS},
		{"get_namespaces", "namespaces", testNamespaces(), opts},
		{"get_services", "services", []runtime.Object{kubernetesService()}, opts},
		{"get_services_wide", "services", []runtime.Object{kubernetesService()}, wide},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := PrintTable(&buf, tableOf(tt.resource), tt.objs, tt.opts); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.name, buf.Bytes())
		})
	}
}

// getAllGroups is `kubectl get all` in default: pods, services, then the apps types.
func getAllGroups() []Group {
	return []Group{
		{Table: tableOf("pods"), Objects: webPods()},
		{Table: tableOf("services"), Objects: []runtime.Object{kubernetesService()}},
		{Table: tableOf("deployments"), Objects: []runtime.Object{webDeployment()}},
		{Table: tableOf("replicasets"), Objects: []runtime.Object{webReplicaSet()}},
	}
}

func TestGetAllGoldens(t *testing.T) {
	tests := []struct {
		name   string
		groups []Group
		opts   Options
	}{
		{"get_all", getAllGroups(), Options{Now: testNow}},
		{"get_all_wide", getAllGroups(), Options{Now: testNow, Wide: true}},
		{"get_all_all_namespaces", getAllGroups(), Options{Now: testNow, AllNamespaces: true}},
		{"get_all_no_headers", getAllGroups(), Options{Now: testNow, NoHeaders: true}},
		{"get_pods_and_nodes", []Group{
			{Table: tableOf("pods"), Objects: nil},
			{Table: tableOf("nodes"), Objects: testNodes()},
		}, Options{Now: testNow}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			wrote, err := PrintGroups(&buf, tt.groups, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !wrote {
				t.Fatal("PrintGroups reported nothing written")
			}
			checkGolden(t, tt.name, buf.Bytes())
		})
	}
}

func TestSerializationGoldens(t *testing.T) {
	tests := []struct {
		name  string
		print func(*bytes.Buffer) error
	}{
		{"yaml_deployment", func(b *bytes.Buffer) error { return PrintYAML(b, typed(webDeployment())) }},
		{"json_deployment", func(b *bytes.Buffer) error { return PrintJSON(b, typed(webDeployment())) }},
		{"yaml_pod_running", func(b *bytes.Buffer) error { return PrintYAML(b, typed(runningPod("x2k9q", "10.244.1.2"))) }},
		{"yaml_replicaset", func(b *bytes.Buffer) error { return PrintYAML(b, typed(webReplicaSet())) }},
		{"yaml_service", func(b *bytes.Buffer) error { return PrintYAML(b, typed(kubernetesService())) }},
		{"yaml_node", func(b *bytes.Buffer) error { return PrintYAML(b, typed(testNodes()[1:]...)) }},
		{"yaml_pods_list", func(b *bytes.Buffer) error { return PrintYAML(b, typed(webPods()[:2]...)) }},
		{"yaml_single_pod_list", func(b *bytes.Buffer) error { return PrintYAMLList(b, typed(webPods()[:1]...)) }},
		{"yaml_empty_list", func(b *bytes.Buffer) error { return PrintYAML(b, nil) }},
		{"json_pods_list", func(b *bytes.Buffer) error { return PrintJSON(b, typed(webPods()[:2]...)) }},
		{"json_single_pod_list", func(b *bytes.Buffer) error { return PrintJSONList(b, typed(webPods()[:1]...)) }},
		{"json_empty_list", func(b *bytes.Buffer) error { return PrintJSON(b, nil) }},
		{"json_event", func(b *bytes.Buffer) error { return PrintJSON(b, typed(testEvents()[:1]...)) }},
		{"names_pods", func(b *bytes.Buffer) error { return PrintNames(b, tableOf("pods").Kind, lifecyclePods()) }},
		{"names_mixed", func(b *bytes.Buffer) error {
			for _, g := range getAllGroups() {
				if err := PrintNames(b, g.Table.Kind, g.Objects); err != nil {
					return err
				}
			}
			if err := PrintNames(b, tableOf("nodes").Kind, testNodes()); err != nil {
				return err
			}
			if err := PrintNames(b, tableOf("namespaces").Kind, testNamespaces()[:1]); err != nil {
				return err
			}
			return PrintNames(b, tableOf("events").Kind, testEvents()[:1])
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.print(&buf); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.name, buf.Bytes())
		})
	}
}

func TestDescribeGoldens(t *testing.T) {
	cluster := clusterReader()
	noEvents := clusterReader()
	noEvents.failOn["events"] = true
	nodes := testNodes()
	tests := []struct {
		name     string
		resource string
		obj      runtime.Object
		reader   Reader
	}{
		{"describe_pod_pending", "pods", pendingPod("7kq2w"), cluster},
		{"describe_pod_creating", "pods", creatingPod("m4z9t"), cluster},
		{"describe_pod_running", "pods", runningPod("x2k9q", "10.244.1.2"), cluster},
		{"describe_pod_terminating", "pods", terminatingPod("d6frp", "10.244.1.5"), cluster},
		{"describe_pod_crashloop", "pods", statusPods()[0], cluster},
		{"describe_pod_no_events", "pods", statusPods()[1], cluster},
		{"describe_pod_with_resources", "pods", statusPods()[3], cluster},
		{"describe_pod_events_unlisted", "pods", runningPod("x2k9q", "10.244.1.2"), noEvents},
		{"describe_deployment", "deployments", webDeployment(), cluster},
		{"describe_replicaset", "replicasets", webReplicaSet(), cluster},
		{"describe_node_ready", "nodes", nodes[0], cluster},
		{"describe_node_cordoned", "nodes", nodes[1], cluster},
		{"describe_service", "services", kubernetesService(), cluster},
		{"describe_namespace", "namespaces", testNamespaces()[0], cluster},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := describe(&buf, tt.reader, tt.resource, tt.obj, testNow); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.name, buf.Bytes())
		})
	}
}
