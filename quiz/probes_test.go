package quiz

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl"
)

// sandbox is a cluster with kubectl, as a lesson drives it.
type sandbox struct {
	t   *testing.T
	c   *cluster.Cluster
	k   *kubectl.Kubectl
	env Env
}

func newSandbox(t *testing.T, seed uint64) *sandbox {
	t.Helper()
	c, err := cluster.New(cluster.DefaultConfig(seed))
	if err != nil {
		t.Fatal(err)
	}
	return &sandbox{t: t, c: c, k: kubectl.New(c, nil), env: Env{Cluster: c, Namespace: "default"}}
}

// kubectl runs a command line and returns its output; it fails the test on a non-zero exit.
func (s *sandbox) kubectl(line string) string {
	s.t.Helper()
	var out, errOut bytes.Buffer
	if code := s.k.Run(strings.Fields(line), kubectl.Streams{Out: &out, ErrOut: &errOut}); code != 0 {
		s.t.Fatalf("kubectl %s: exit %d: %s", line, code, errOut.String())
	}
	s.c.Flush()
	return out.String()
}

// table runs a kubectl get and returns its rows as column name → cell.
func (s *sandbox) table(line string) []map[string]string {
	s.t.Helper()
	out := s.kubectl(line)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "NAME") && !strings.HasPrefix(lines[0], "LAST SEEN") {
		return nil // "No resources found"
	}
	header := lines[0]
	// Columns start where a header word starts after two spaces (or at 0).
	var starts []int
	var names []string
	for i := 0; i < len(header); {
		if header[i] == ' ' {
			i++
			continue
		}
		j := strings.Index(header[i:], "  ")
		if j < 0 {
			j = len(header) - i
		}
		starts = append(starts, i)
		names = append(names, header[i:i+j])
		i += j
	}
	var rows []map[string]string
	for _, l := range lines[1:] {
		row := map[string]string{}
		for c, start := range starts {
			end := len(l)
			if c+1 < len(starts) {
				end = min(starts[c+1], len(l))
			}
			if start < len(l) {
				row[names[c]] = strings.TrimSpace(l[start:end])
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func (s *sandbox) probe(ref string) Value {
	s.t.Helper()
	v, err := Evaluate(ref, s.env)
	if err != nil {
		s.t.Fatalf("%s: %v", ref, err)
	}
	return v
}

func (s *sandbox) probeErr(ref string) error {
	s.t.Helper()
	_, err := Evaluate(ref, s.env)
	if err == nil {
		s.t.Fatalf("%s: want an error", ref)
	}
	return err
}

func (s *sandbox) wantText(ref, want string) {
	s.t.Helper()
	if v := s.probe(ref); v.Kind != TextValue || v.Text != want {
		s.t.Errorf("%s = %+v, want text %q", ref, v, want)
	}
}

func (s *sandbox) wantNumber(ref string, want int) {
	s.t.Helper()
	if v := s.probe(ref); v.Kind != NumberValue || v.Number != want {
		s.t.Errorf("%s = %+v, want number %d", ref, v, want)
	}
}

func (s *sandbox) wantList(ref string, want []string) {
	s.t.Helper()
	if v := s.probe(ref); v.Kind != ListValue || !slices.Equal(v.List, want) {
		s.t.Errorf("%s = %+v, want list %q", ref, v, want)
	}
}

func column(rows []map[string]string, name string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r[name])
	}
	return out
}

func countWhere(rows []map[string]string, name, value string) int {
	n := 0
	for _, r := range rows {
		if r[name] == value {
			n++
		}
	}
	return n
}

// yamlField finds "key: value" in kubectl's YAML output.
func yamlField(t *testing.T, yaml, key string) string {
	t.Helper()
	for _, l := range strings.Split(yaml, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(l), ": "); ok && k == key {
			return strings.Trim(v, `"`)
		}
	}
	t.Fatalf("no %s in\n%s", key, yaml)
	return ""
}

// describeField finds "Key:   value" in kubectl describe output.
func describeField(t *testing.T, out, key string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, key+":") {
			return strings.TrimSpace(strings.TrimPrefix(l, key+":"))
		}
	}
	return ""
}

func TestProbesBeforeAnyComponentActs(t *testing.T) {
	s := newSandbox(t, 3)
	s.wantNumber("pod-count", 0)
	s.wantText("any-container-running", "no")
	s.wantText("next-component", "")
	s.probeErr("last-actor")
	s.probeErr("node-with-most-pods") // every node has 0 pods: a tie
	s.wantList("nodes", column(s.table("get nodes"), "NAME"))
	s.wantList("components", []string{"deployment-controller", "replicaset-controller", "garbage-collector",
		"default-scheduler", "kubelet", "containerd", "kube-proxy"})
	s.wantList("components also=node-lifecycle-controller,taint-eviction-controller", []string{"deployment-controller",
		"replicaset-controller", "garbage-collector", "default-scheduler", "kubelet", "containerd",
		"node-lifecycle-controller", "taint-eviction-controller", "kube-proxy"})
	s.wantList("components all=yes", []string{"deployment-controller", "replicaset-controller", "garbage-collector",
		"default-scheduler", "serviceaccount-controller", "root-ca-cert-publisher", "kubelet", "containerd",
		"node-lifecycle-controller", "taint-eviction-controller", "disruption-controller",
		"endpointslice-controller", "endpoint-controller", "kube-proxy"})

	s.kubectl("create deployment web --image=nginx --replicas=3")
	s.wantText("next-component", "deployment-controller")
	s.wantNumber("replicaset-count deployment=web", len(s.table("get rs")))
	s.wantNumber("replicaset-count", 0)
	s.probeErr("replicaset-name deployment=web")
	s.probeErr("deployment-revision deployment=web")
	s.wantNumber("desired-replicas deployment=web", 3)
	s.wantNumber("ready-replicas deployment=web", 0)
	s.wantText("exists resource=deployments name=web", "yes")
	s.wantText("etcd-key resource=deployments name=web", "/registry/deployments/default/web")
	s.wantText("owner-of resource=deployments name=web", "none")
	s.wantNumber("store-revision", int(s.c.API().Store().Revision()))
	s.probeErr("last-actor") // kubectl is a client, not a component
}

func TestProbesDuringAndAfterADeployment(t *testing.T) {
	s := newSandbox(t, 3)
	s.kubectl("create deployment web --image=nginx --replicas=3")

	// Step until the scheduler has bound its first pod: some pods bound, some not.
	for range 100 {
		e, ok := s.c.Step()
		if !ok {
			t.Fatal("the cluster went idle before the scheduler acted")
		}
		if e.Component == "default-scheduler" {
			break
		}
	}
	s.wantText("last-actor", "default-scheduler")
	s.wantText("next-component", s.c.Next())
	pods := s.table("get pods -o wide")
	if len(pods) != 3 {
		t.Fatalf("want 3 pods, got %v", pods)
	}
	s.wantNumber("unscheduled-pods", countWhere(pods, "NODE", "<none>"))
	s.wantNumber("unscheduled-pods selector=app=web", countWhere(pods, "NODE", "<none>"))
	s.wantNumber("pod-count status=Pending", countWhere(pods, "STATUS", "Pending"))
	for i, row := range pods {
		idx := strconv.Itoa(i + 1)
		s.wantText("pod-status index="+idx, row["STATUS"])
		s.wantText("pod-status pod="+row["NAME"], row["STATUS"])
		if row["NODE"] == "<none>" {
			s.probeErr("pod-node index=" + idx)
		} else {
			s.wantText("pod-node index="+idx, row["NODE"])
		}
	}
	s.wantText("any-container-running", "no")

	s.c.Run(0)
	s.wantText("next-component", "")
	pods = s.table("get pods -o wide")
	rs := s.table("get rs")
	deploy := s.table("get deploy")
	if len(rs) != 1 || len(deploy) != 1 {
		t.Fatalf("want one rs and one deployment, got %v, %v", rs, deploy)
	}
	rsName := rs[0]["NAME"]
	s.wantText("replicaset-name deployment=web", rsName)
	s.wantNumber("replicaset-count deployment=web", 1)
	s.wantNumber("replicaset-count", 1)
	s.wantNumber("pod-count", len(pods))
	s.wantNumber("pod-count selector=app=web status=Running", countWhere(pods, "STATUS", "Running"))
	s.wantNumber("pod-count selector=app=other", 0)
	s.wantList("pod-names", column(pods, "NAME"))
	s.wantList("pod-names selector=app=web node=node-1", namesWhere(pods, "NODE", "node-1"))
	s.wantText("pod-name index=2", pods[1]["NAME"])
	for i, row := range pods {
		idx := strconv.Itoa(i + 1)
		s.wantText("pod-node index="+idx+" selector=app=web", row["NODE"])
		s.wantText("pod-node pod="+row["NAME"], row["NODE"])
		s.wantText("pod-status index="+idx, row["STATUS"])
		s.wantText("pod-phase index="+idx, yamlField(t, s.kubectl("get pod "+row["NAME"]+" -o yaml"), "phase"))
		s.wantText("owner-of resource=pods index="+idx, describeField(t, s.kubectl("describe pod "+row["NAME"]), "Controlled By"))
		s.wantText("etcd-key resource=pods index="+idx, "/registry/pods/default/"+row["NAME"])
	}
	s.wantText("owner-of resource=replicasets name="+rsName, describeField(t, s.kubectl("describe rs "+rsName), "Controlled By"))
	s.wantText("owner-of resource=rs index=1", "Deployment/web")
	s.wantText("etcd-key resource=replicasets index=1", "/registry/replicasets/default/"+rsName)
	s.wantText("etcd-key resource=nodes name=node-1", "/registry/minions/node-1")

	perNode := map[string]int{}
	for _, row := range pods {
		perNode[row["NODE"]]++
	}
	most := ""
	for _, n := range []string{"node-1", "node-2"} {
		s.wantNumber("pods-on-node node="+n, perNode[n])
		if most == "" || perNode[n] > perNode[most] {
			most = n
		}
	}
	if perNode["node-1"]+perNode["node-2"] != 3 || perNode["node-1"] == perNode["node-2"] {
		t.Fatalf("3 pods on 2 nodes should land 2 + 1: %v", perNode)
	}
	s.wantText("node-with-most-pods", most)
	s.wantText("any-container-running", "yes")
	s.wantNumber("unscheduled-pods", 0)

	ready, _, _ := strings.Cut(deploy[0]["READY"], "/")
	n, _ := strconv.Atoi(ready)
	s.wantNumber("ready-replicas deployment=web", n)
	rev, _ := strconv.Atoi(yamlField(t, s.kubectl("get deploy web -o yaml"), "deployment.kubernetes.io/revision"))
	s.wantNumber("deployment-revision deployment=web", rev)
	s.wantNumber("store-revision", int(s.c.API().Store().Revision()))

	events := s.table("get events")
	s.wantNumber("event-count reason=Scheduled", countWhere(events, "REASON", "Scheduled"))
	s.wantNumber("event-count reason=ScalingReplicaSet object=web", countWhere(events, "REASON", "ScalingReplicaSet"))
	s.wantNumber("event-count reason=Scheduled object="+pods[0]["NAME"], 1)

	var order []string
	for _, e := range s.c.Trace() {
		if k := componentKind(e.Component); !e.External && !slices.Contains(order, k) {
			order = append(order, k)
		}
	}
	s.wantList("actor-order", order)
	if order[0] != "deployment-controller" || order[1] != "replicaset-controller" {
		t.Errorf("actor-order = %v, want the deployment controller then the replicaset controller first", order)
	}
	last := s.c.Trace()[len(s.c.Trace())-1]
	s.wantText("last-actor", last.Component)

	// A template change makes a second ReplicaSet; the newest one is the new template's.
	s.kubectl("set image deployment/web nginx=nginx:1.27")
	s.c.Run(0)
	rs = s.table("get rs")
	s.wantNumber("replicaset-count deployment=web", len(rs))
	s.wantNumber("deployment-revision deployment=web", 2)
	newest := s.probe("replicaset-name deployment=web").Text
	if newest == rsName {
		t.Errorf("replicaset-name after set image = %s, the old ReplicaSet", newest)
	}
	if v := yamlField(t, s.kubectl("get rs "+newest+" -o yaml"), "deployment.kubernetes.io/revision"); v != "2" {
		t.Errorf("the newest ReplicaSet has revision %s, want 2", v)
	}
}

func TestProbesForABarePod(t *testing.T) {
	s := newSandbox(t, 7)
	s.kubectl("run nginx --image=nginx")
	s.wantText("next-component", "default-scheduler")
	s.wantText("pod-status pod=nginx", "Pending")
	s.probeErr("pod-node pod=nginx")
	s.wantText("owner-of resource=pods name=nginx", "none")
	s.wantText("etcd-key resource=pods name=nginx", "/registry/pods/default/nginx")
	s.wantText("exists resource=pods name=Nginx", "no")
	s.c.Run(0)
	s.wantText("pod-status pod=nginx", "Running")
	s.wantText("pod-phase pod=nginx", "Running")
	s.wantText("pod-node pod=nginx", s.table("get pods -o wide")[0]["NODE"])
	s.wantNumber("event-count reason=Pulling object=nginx", 1)
	s.wantText("any-container-running selector=run=nginx", "yes")
	s.wantText("any-container-running selector=app=web", "no")
}

func TestProbeErrors(t *testing.T) {
	s := newSandbox(t, 1)
	for _, ref := range []string{
		"replicaset-name deployment=nosuch",
		"pod-status pod=nosuch",
		"pod-node index=1",
		"owner-of resource=pods name=nosuch",
		"etcd-key resource=pods index=1",
		"pods-on-node node=node-9",
		"deployment-revision deployment=nosuch",
		"no-such-probe",
		"pod-count colour=red",
	} {
		err := s.probeErr(ref)
		if !strings.Contains(err.Error(), strings.Fields(ref)[0]) {
			t.Errorf("%s: error %q does not name the probe", ref, err)
		}
	}
	if _, err := Evaluate("nodes", Env{}); err == nil {
		t.Error("a probe without a cluster succeeded")
	}
	for name, fn := range Probes() {
		if _, err := fn(Env{}, map[string]string{"index": "1", "pod": "x", "name": "x", "deployment": "x", "node": "x", "resource": "pods", "reason": "x"}); err == nil {
			t.Errorf("%s without a cluster succeeded", name)
		}
	}
}

func TestProbeNamesAndRegistry(t *testing.T) {
	names := ProbeNames()
	if !slices.IsSorted(names) {
		t.Errorf("ProbeNames not sorted: %v", names)
	}
	probes := Probes()
	if len(probes) != len(names) {
		t.Errorf("%d probes, %d names", len(probes), len(names))
	}
	for _, required := range []string{"replicaset-name", "replicaset-count", "pod-count", "pod-names", "pod-node",
		"pod-status", "pods-on-node", "node-with-most-pods", "nodes", "any-container-running", "next-component",
		"last-actor", "store-revision", "deployment-revision", "ready-replicas", "owner-of", "etcd-key",
		"unscheduled-pods", "components", "event-count"} {
		if probes[required] == nil {
			t.Errorf("probe %s missing", required)
		}
	}
	delete(probes, "nodes")
	if Probes()["nodes"] == nil {
		t.Error("Probes shares its map between calls")
	}
}

func namesWhere(rows []map[string]string, col, value string) []string {
	var out []string
	for _, r := range rows {
		if r[col] == value {
			out = append(out, r["NAME"])
		}
	}
	return out
}
