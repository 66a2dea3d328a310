package quiz

import (
	"time"

	"strconv"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/engine/kubectl"
)

// kubectlArgs runs kubectl with arguments as given: one may hold spaces or quotes (a patch).
func (s *sandbox) kubectlArgs(args ...string) string {
	s.t.Helper()
	var out, errOut strings.Builder
	if code := s.k.Run(args, kubectl.Streams{Out: &out, ErrOut: &errOut}); code != 0 {
		s.t.Fatalf("kubectl %v: exit %d: %s", args, code, errOut.String())
	}
	s.c.Flush()
	return out.String()
}

func TestProbesOfKeysAndWatchEvents(t *testing.T) {
	s := newSandbox(t, 3)
	s.probeErr("next-event-type") // idle
	s.probeErr("next-event-revision")
	s.kubectl("create deployment web --image=nginx --replicas=2")
	rev := int(s.c.API().Store().Revision())
	s.wantNumber("resource-version resource=deployments name=web", rev)
	s.wantNumber("create-revision resource=deployments name=web", rev)
	s.wantNumber("key-version resource=deployments name=web", 1)
	s.wantText("next-event-type", "ADDED")
	s.wantNumber("next-event-revision", rev)

	s.kubectl("scale deployment web --replicas=3")
	s.wantNumber("resource-version resource=deployments name=web", rev+1)
	s.wantNumber("create-revision resource=deployments name=web", rev)
	s.wantNumber("key-version resource=deployments name=web", 2)

	s.c.Run(0)
	for i, row := range s.table("get pods") {
		idx := strconv.Itoa(i + 1)
		rv, _ := strconv.Atoi(strings.TrimSpace(s.kubectl("get pod " + row["NAME"] + " -o jsonpath={.metadata.resourceVersion}")))
		s.wantNumber("resource-version resource=pods index="+idx+" selector=app=web", rv)
		kv, err := s.c.API().Store().Get("/registry/pods/default/" + row["NAME"])
		if err != nil {
			t.Fatal(err)
		}
		s.wantNumber("key-version resource=pods index="+idx, int(kv.Version))
		s.wantNumber("create-revision resource=pods name="+row["NAME"], int(kv.CreateRevision))
		if kv.ModRevision != int64(rv) {
			t.Errorf("pod %s: mod revision %d, resourceVersion %d", row["NAME"], kv.ModRevision, rv)
		}
	}
	s.probeErr("resource-version resource=pods name=nosuch")

	// A delete reaches the watchers as DELETED, at the delete's revision.
	s.kubectl("delete deployment web")
	s.wantText("next-event-type", "DELETED")
	s.wantNumber("next-event-revision", int(s.c.API().Store().Revision()))
}

func TestProbesOfScheduling(t *testing.T) {
	s := newSandbox(t, 3)
	s.wantNumber("node-cpu-allocatable node=node-1", 4000)
	s.wantNumber("node-cpu-requested node=node-1", 0)
	s.probeErr("node-cpu-free node=node-9")
	s.probeErr("first-pod")
	s.kubectl("create deployment api --image=nginx --replicas=5")
	s.kubectlArgs("patch", "deployment", "api", "-p",
		`{"spec":{"template":{"spec":{"containers":[{"name":"nginx","resources":{"requests":{"cpu":"1500m"}}}]}}}}`)
	s.c.Run(0)
	pods := s.table("get pods -o wide")
	pending := namesWhere(pods, "STATUS", "Pending")
	if len(pending) != 1 {
		t.Fatalf("5 pods of 1500m on two nodes of 4 CPUs: want one Pending, got %v", pods)
	}
	s.wantText("first-pod selector=app=api status=Pending", pending[0])
	s.wantText("first-pod", pods[0]["NAME"])
	for _, n := range []string{"node-1", "node-2"} {
		s.wantNumber("node-cpu-requested node="+n, 1500*countWhere(pods, "NODE", n))
		s.wantNumber("node-cpu-free node="+n, 4000-1500*countWhere(pods, "NODE", n))
		s.wantText("filter-plugin index=1 selector=app=api status=Pending node="+n, "NodeResourcesFit")
	}
	s.wantNumber("filter-rejections index=1 status=Pending plugin=NodeResourcesFit", 2)
	s.wantNumber("filter-rejections pod="+pending[0]+" plugin=TaintToleration", 0)
	s.probeErr("filter-plugin pod=" + pending[0] + " node=node-9")
	s.probeErr("filter-plugin index=2 status=Pending node=node-1")
	s.probeErr("node-with-fewest-pods selector=app=api") // 2 and 2

	s.kubectl("delete deployment api")
	s.c.Run(0)
	s.kubectl("create deployment web --image=nginx --replicas=3")
	s.c.Run(0)
	pods = s.table("get pods -o wide")
	fewest := "node-1"
	if countWhere(pods, "NODE", "node-2") < countWhere(pods, "NODE", "node-1") {
		fewest = "node-2"
	}
	s.wantText("node-with-fewest-pods selector=app=web", fewest)
	s.kubectl("scale deployment web --replicas=4")
	s.c.Run(0)
	s.wantNumber("pods-on-node node="+fewest+" selector=app=web", 2)

	// A bare pod kept off a tainted node: the filter table names TaintToleration there.
	s.kubectl("taint nodes node-2 dedicated=batch:NoSchedule")
	s.kubectl("run cache --image=redis")
	s.c.Run(0)
	s.wantText("filter-plugin pod=cache node=node-2", "TaintToleration")
	s.wantText("filter-plugin pod=cache node=node-1", "passed")
}

func TestProbesOfARollingUpdate(t *testing.T) {
	s := newSandbox(t, 3)
	s.kubectl("create deployment web --image=nginx:1.26 --replicas=5")
	s.c.Run(0)
	// 25% of 5 is 1.25: maxSurge rounds up, maxUnavailable down.
	s.wantNumber("max-surge deployment=web", 2)
	s.wantNumber("max-unavailable deployment=web", 1)
	s.wantNumber("rollout-max-pods deployment=web", 7)
	s.wantNumber("rollout-min-available deployment=web", 4)
	s.wantNumber("replicaset-replicas deployment=web which=new", 5)
	s.wantNumber("replicaset-replicas deployment=web which=old", 0)
	s.wantNumber("next-revision deployment=web", 2)
	s.wantText("new-pod-status deployment=web", "Running")
	s.wantText("new-pod-name deployment=web", s.table("get pods")[0]["NAME"])

	s.kubectl("set image deployment/web nginx=nginx:1.27")
	for range 100 {
		if e, ok := s.c.Step(); !ok || e.Component == "deployment-controller" {
			break
		}
	}
	// The controller's first move: the new ReplicaSet takes the surge, the old one gives up what
	// may be unavailable.
	rs := s.table("get rs")
	newest := s.probe("replicaset-name deployment=web").Text
	for _, row := range rs {
		want := "replicaset-replicas deployment=web which=old"
		if row["NAME"] == newest {
			want = "replicaset-replicas deployment=web which=new"
		}
		n, _ := strconv.Atoi(row["DESIRED"])
		s.wantNumber(want, n)
	}
	s.wantNumber("replicaset-replicas deployment=web which=new", 2)
	s.wantNumber("replicaset-replicas deployment=web which=old", 4)
	s.wantNumber("next-revision deployment=web", 3)

	s.c.Run(0)
	s.wantNumber("replicaset-replicas deployment=web which=old", 0)
	s.wantText("new-pod-status deployment=web", "Running")
	if name := s.probe("new-pod-name deployment=web").Text; !strings.HasPrefix(name, newest+"-") {
		t.Errorf("new-pod-name = %s, not a pod of the newest ReplicaSet %s", name, newest)
	}

	s.kubectl("rollout undo deployment/web")
	s.c.Run(0)
	s.wantNumber("deployment-revision deployment=web", 3)
	s.wantNumber("next-revision deployment=web", 4)
	s.probeErr("max-surge deployment=nosuch")
	s.kubectlArgs("patch", "deployment", "web", "-p", `{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}`)
	s.probeErr("max-surge deployment=web")
}

// newest-pod names a controller's replacement whatever its status, skips a pod being deleted, and
// refuses to choose between pods created in the same second.
func TestNewestPod(t *testing.T) {
	s := newSandbox(t, 3)
	s.probeErr("newest-pod")
	s.kubectl("create deployment web --image=nginx --replicas=3")
	s.c.Run(0)
	s.probeErr("newest-pod selector=app=web") // three pods, one second
	if _, done := s.c.Wait(10*time.Second, 0); !done {
		t.Fatal("wait stopped early")
	}
	before := map[string]bool{}
	for _, p := range s.table("get pods") {
		before[p["NAME"]] = true
	}
	victim := s.table("get pods")[0]["NAME"]
	s.kubectl("delete pod " + victim + " --wait=false")
	s.c.Run(0)
	var replacement string
	for _, p := range s.table("get pods") {
		if !before[p["NAME"]] {
			replacement = p["NAME"]
		}
	}
	if replacement == "" {
		t.Fatalf("no replacement in %v", s.table("get pods"))
	}
	s.wantText("newest-pod selector=app=web", replacement)
	if s.probe("pod-phase pod="+replacement).Text != "Running" {
		t.Errorf("the replacement should be Running by now")
	}
}
