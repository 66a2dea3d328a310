package printers

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	extensionsv1beta1 "k8s.io/api/extensions/v1beta1"
	"k8s.io/apimachinery/pkg/runtime"
)

// TestExtensionsDocs keeps the column descriptions written out in servertable.go equal to the
// extensions/v1beta1 documentation they are taken from.
func TestExtensionsDocs(t *testing.T) {
	dSpec, dStatus := extensionsv1beta1.DeploymentSpec{}.SwaggerDoc(), extensionsv1beta1.DeploymentStatus{}.SwaggerDoc()
	rsSpec, rsStatus := extensionsv1beta1.ReplicaSetSpec{}.SwaggerDoc(), extensionsv1beta1.ReplicaSetStatus{}.SwaggerDoc()
	for _, c := range []struct{ name, got, want string }{
		{"DeploymentStatus.updatedReplicas", extDeploymentUpdatedReplicas, dStatus["updatedReplicas"]},
		{"DeploymentStatus.availableReplicas", extDeploymentAvailableReplicas, dStatus["availableReplicas"]},
		{"DeploymentSpec.selector", extDeploymentSelector, dSpec["selector"]},
		{"ReplicaSetSpec.replicas", extReplicaSetSpecReplicas, rsSpec["replicas"]},
		{"ReplicaSetStatus.replicas", extReplicaSetStatusReplicas, rsStatus["replicas"]},
		{"ReplicaSetStatus.readyReplicas", extReplicaSetReadyReplicas, rsStatus["readyReplicas"]},
		{"ReplicaSetSpec.selector", extReplicaSetSelector, rsSpec["selector"]},
	} {
		if c.got != c.want || c.want == "" {
			t.Errorf("%s: servertable.go has %q, extensions/v1beta1 %q", c.name, c.got, c.want)
		}
	}
}

// TestTableForMatchesPrintTable renders each resource's server-side Table the way kubectl's table
// printer does (cells joined, wide columns included) and checks it against PrintTable -o wide.
func TestTableForMatchesPrintTable(t *testing.T) {
	for resource, objs := range map[string][]runtime.Object{
		"pods": webPods(), "pods-lifecycle": lifecyclePods(),
	} {
		resource = strings.TrimSuffix(resource, "-lifecycle")
		table, err := TableFor(tableOf(resource), objs, testNow)
		if err != nil {
			t.Fatalf("TableFor(%s): %v", resource, err)
		}
		var want bytes.Buffer
		if err := PrintTable(&want, tableOf(resource), objs, Options{Now: testNow, Wide: true, NoHeaders: true}); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(want.String()), "\n")
		if len(lines) != len(table.Rows) {
			t.Fatalf("%s: %d rows, PrintTable printed %d lines", resource, len(table.Rows), len(lines))
		}
		for i, row := range table.Rows {
			if got, want := strings.Fields(fmt.Sprintln(row.Cells...)), strings.Fields(lines[i]); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s row %d:\n got  %q\n want %q", resource, i, got, want)
			}
			if row.Object.Object != objs[i] {
				t.Errorf("%s row %d: Object is not the printed object", resource, i)
			}
		}
	}
}

// TestTableForDeclaresEveryColumn checks that every column PrintTable knows has the type and
// description the API server declares, and the same order and priorities.
func TestTableForDeclaresEveryColumn(t *testing.T) {
	for resource, obj := range zeroObjects() {
		table, err := TableFor(tableOf(resource), []runtime.Object{obj}, testNow)
		if err != nil {
			t.Fatalf("TableFor(%s): %v", resource, err)
		}
		spec := tableOf(resource)
		if len(table.ColumnDefinitions) != len(spec.columns) {
			t.Fatalf("%s: %d column definitions, want %d", resource, len(table.ColumnDefinitions), len(spec.columns))
		}
		for i, c := range spec.columns {
			def := table.ColumnDefinitions[i]
			if c.typ == "" || c.description == "" {
				t.Errorf("%s: column %q has no server declaration", resource, c.name)
			}
			if def.Name != c.name || int(def.Priority) != c.priority || (def.Format == "name") != c.isName {
				t.Errorf("%s column %d: %+v does not match %+v", resource, i, def, c)
			}
			if def.Type != "string" && def.Type != "integer" {
				t.Errorf("%s column %q: type %q", resource, c.name, def.Type)
			}
		}
		if len(table.Rows) != 1 || len(table.Rows[0].Cells) != len(spec.columns) {
			t.Errorf("%s: want one row of %d cells, got %+v", resource, len(spec.columns), table.Rows)
		}
	}
	if _, err := TableFor(tableOf("foos"), nil, testNow); err == nil {
		t.Error("TableFor(foos) should fail")
	}
	if _, err := TableFor(tableOf("pods"), []runtime.Object{nil}, testNow); err == nil {
		t.Error("TableFor with a nil object should fail")
	}
}

func TestTableForTypesCounts(t *testing.T) {
	table, err := TableFor(tableOf("replicasets"), nil, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if table.Kind != "Table" || table.APIVersion != "meta.k8s.io/v1" || len(table.Rows) != 0 {
		t.Errorf("empty table: %+v", table)
	}
	if got := cellValue(column{number: true}, "3"); got != int64(3) {
		t.Errorf("cellValue(number, 3) = %#v, want int64(3)", got)
	}
	if got := cellValue(column{number: true}, "x"); got != "x" {
		t.Errorf("cellValue(number, x) = %#v, want the string", got)
	}
}
