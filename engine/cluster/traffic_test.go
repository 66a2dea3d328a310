package cluster_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"

	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl"
)

const readinessYAML = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx
        readinessProbe:
          httpGet: {path: /, port: 80}
          periodSeconds: 5
`

// newTrafficCluster runs a script and returns the idle cluster.
func newTrafficCluster(t *testing.T, seed uint64, script ...string) *cluster.Cluster {
	t.Helper()
	c, err := cluster.New(cluster.DefaultConfig(seed))
	if err != nil {
		t.Fatal(err)
	}
	k := kubectl.New(c, func(string) ([]byte, error) { return []byte(readinessYAML), nil })
	runScript(t, c, k, script, nil)
	return c
}

func webSlice(t *testing.T, c *cluster.Cluster, svc string) *discoveryv1.EndpointSlice {
	t.Helper()
	for _, s := range list[*discoveryv1.EndpointSlice](t, c, "endpointslices") {
		if s.Labels[discoveryv1.LabelServiceName] == svc {
			return s
		}
	}
	t.Fatalf("no EndpointSlice for %s", svc)
	return nil
}

// A pod whose readiness probe fails leaves the Service: its endpoint reads ready=false
// serving=false, the Endpoints list it as not ready, kube-proxy stops sending it traffic, curl
// only reaches the other pod. When it passes again, it is back.
func TestServiceFollowsReadiness(t *testing.T) {
	c := newTrafficCluster(t, 3, "apply -f web.yaml", "run", "expose deployment web --port=80", "run")
	c.Wait(10*time.Second, 0)
	pods := list[*corev1.Pod](t, c, "pods")
	if len(pods) != 2 {
		t.Fatalf("%d pods", len(pods))
	}
	broken, healthy := pods[0], pods[1]
	if _, err := c.FaultProbe("default", broken.Name, "", true); err != nil {
		t.Fatal(err)
	}
	c.Wait(20*time.Second, 0)
	c.Run(0)
	s := webSlice(t, c, "web")
	for _, e := range s.Endpoints {
		notReady := e.TargetRef.Name == broken.Name
		if *e.Conditions.Ready == notReady || *e.Conditions.Serving == notReady || *e.Conditions.Terminating {
			t.Errorf("endpoint %s: ready %v serving %v terminating %v", e.TargetRef.Name, *e.Conditions.Ready, *e.Conditions.Serving, *e.Conditions.Terminating)
		}
	}
	checkServices(t, c)
	for range 10 {
		r := c.Curl(c.SandboxClient(), []string{"-s", "web"})
		if r.Exit != 0 || len(r.Responses) != 1 || r.Responses[0].Hop.Pod != "default/"+healthy.Name {
			t.Fatalf("curl web: exit %d %+v %s", r.Exit, r.Responses, r.Stderr)
		}
	}
	// The broken pod still answers at its own address: 500 from nginx.
	r := c.Curl(c.SandboxClient(), []string{"-s", "-o", "/dev/null", "-w", "%{http_code}", list[*corev1.Pod](t, c, "pods")[0].Status.PodIP})
	if r.Stdout != "500" {
		t.Errorf("curl to the broken pod: %q", r.Stdout)
	}
	if _, err := c.FaultProbe("default", broken.Name, "", false); err != nil {
		t.Fatal(err)
	}
	c.Wait(10*time.Second, 0)
	c.Run(0)
	checkServices(t, c)
}

// Deleted pods stay in the slice as terminating (serving) until their kubelet is done; after a
// scale to zero curl is refused at once (kube-proxy's REJECT).
func TestScaleToZeroRejects(t *testing.T) {
	c := newTrafficCluster(t, 1, "create deployment web --image=nginx --replicas=3", "run", "expose deployment web --port=80", "run")
	k := kubectl.New(c, nil)
	runScript(t, c, k, []string{"scale deployment web --replicas=0", "step 5"}, nil)
	terminating := 0
	for _, e := range webSlice(t, c, "web").Endpoints {
		if *e.Conditions.Terminating && !*e.Conditions.Ready {
			terminating++
		}
	}
	if terminating == 0 {
		t.Error("no terminating endpoint right after the scale down")
	}
	c.Run(0)
	s := webSlice(t, c, "web")
	if len(s.Endpoints) != 0 || len(s.Ports) != 0 {
		t.Errorf("after scale to 0 the slice should be the placeholder: %+v", s)
	}
	r := c.Curl(c.SandboxClient(), []string{"web"})
	if r.Exit != 7 || r.Stderr != "curl: (7) Failed to connect to web port 80 after 0 ms: Could not connect to server\n" {
		t.Errorf("curl web: %d %q", r.Exit, r.Stderr)
	}
	checkServices(t, c)
}

func TestDNSAndNodePorts(t *testing.T) {
	c := newTrafficCluster(t, 2, "create deployment web --image=nginx --replicas=2", "run",
		"expose deployment web --port=80 --type=NodePort", "expose deployment web --name=web-headless --cluster-ip=None --port=80", "run")
	svc := list[*corev1.Service](t, c, "services")
	var np int32
	var clusterIP string
	for _, s := range svc {
		if s.Name == "web" {
			np, clusterIP = s.Spec.Ports[0].NodePort, s.Spec.ClusterIP
		}
	}
	if np < 30000 || np > 32767 {
		t.Fatalf("node port %d", np)
	}
	for _, name := range []string{"web", "web.default", "web.default.svc", "web.default.svc.cluster.local", "web.default.svc.cluster.local."} {
		r := c.NSLookup(c.SandboxClient(), []string{name})
		if r.Exit != 0 || !strings.Contains(r.Stdout, "Name:\tweb.default.svc.cluster.local\nAddress: "+clusterIP+"\n") {
			t.Errorf("nslookup %s:\n%s", name, r.Stdout)
		}
	}
	var podIPs []string
	for _, p := range list[*corev1.Pod](t, c, "pods") {
		podIPs = append(podIPs, p.Status.PodIP)
	}
	r := c.NSLookup(c.SandboxClient(), []string{"web-headless"})
	for _, ip := range podIPs {
		if !strings.Contains(r.Stdout, "Address: "+ip+"\n") {
			t.Errorf("nslookup web-headless lacks %s:\n%s", ip, r.Stdout)
		}
	}
	// A node port answers on every node, through that node's rules.
	for _, node := range []string{"172.18.0.2", "172.18.0.3"} {
		r := c.Curl(c.SandboxClient(), []string{"-s", "-o", "/dev/null", "-w", "%{http_code}", node + ":" + itoa(np)})
		if r.Stdout != "200" || !r.Responses[0].Hop.NodePort {
			t.Errorf("curl %s:%d: %q %+v", node, np, r.Stdout, r.Responses)
		}
	}
	// From inside a pod: its namespace's search path, and localhost is the pod itself.
	pod := list[*corev1.Pod](t, c, "pods")[0]
	from, err := c.PodClient("default", pod.Name)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := c.HTTPGet(from, "localhost"); err != nil || resp.Hop.Pod != "default/"+pod.Name || resp.Status != 200 {
		t.Errorf("HTTPGet localhost: %+v %v", resp, err)
	}
	if _, err := c.HTTPGet(from, "nosuch"); err == nil || err.Error() != "curl: (6) Could not resolve host: nosuch" {
		t.Errorf("HTTPGet nosuch: %v", err)
	}
	// A node port asked for twice is refused with the allocator's words.
	k := kubectl.New(c, nil)
	var out strings.Builder
	code := k.Run([]string{"create", "service", "nodeport", "dup", "--tcp=80", "--node-port=" + itoa(np)}, kubectl.Streams{Out: &out, ErrOut: &out})
	if code == 0 || !strings.Contains(out.String(), "spec.ports[0].nodePort: Invalid value: "+itoa(np)+": provided port is already allocated") {
		t.Errorf("duplicate node port: %d %s", code, out.String())
	}
}

// Deleting a Service removes its Endpoints (the endpoint controller) and its slices (the garbage
// collector, following their owner reference).
func TestDeletedServiceLeavesNothing(t *testing.T) {
	c := newTrafficCluster(t, 4, "create deployment web --image=nginx", "run", "expose deployment web --port=80", "run",
		"delete service web", "run")
	for _, s := range list[*discoveryv1.EndpointSlice](t, c, "endpointslices") {
		if s.Name != "kubernetes" {
			t.Errorf("slice %s left", s.Name)
		}
	}
	for _, e := range list[*corev1.Endpoints](t, c, "endpoints") {
		if e.Name != "kubernetes" {
			t.Errorf("endpoints %s left", e.Name)
		}
	}
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }

// A managed slice deleted by someone else comes back a second later: the controller's timer, which
// waits for time to pass; the controller's own writes never wake it (their generation is known).
func TestDeletedSliceComesBack(t *testing.T) {
	c := newTrafficCluster(t, 5, "create deployment web --image=nginx --replicas=2", "run", "expose deployment web --port=80", "run")
	s := webSlice(t, c, "web")
	if s.Generation != 1 {
		t.Errorf("a new slice has generation %d, want 1", s.Generation)
	}
	k := kubectl.New(c, nil)
	runScript(t, c, k, []string{"delete endpointslice " + s.Name, "run"}, nil)
	if n := len(list[*discoveryv1.EndpointSlice](t, c, "endpointslices")); n != 1 {
		t.Fatalf("%d slices right after the delete, want only kubernetes's", n)
	}
	timers := c.Timers()
	found := false
	for _, tm := range timers {
		found = found || tm.Component == "endpointslice-controller" && tm.Key == "default/web"
	}
	if !found {
		t.Fatalf("no timer for default/web: %+v", timers)
	}
	c.Wait(time.Second, 0)
	c.Run(0)
	again := webSlice(t, c, "web")
	if again.Name == s.Name || len(again.Endpoints) != 2 {
		t.Errorf("the slice came back as %s with %d endpoints", again.Name, len(again.Endpoints))
	}
	checkServices(t, c)
}

// The cluster remembers which pod answered the latest curl (a lesson asks), and forgets it when
// the next curl gets no answer.
func TestLastCurlRemembersWhoAnswered(t *testing.T) {
	c := newTrafficCluster(t, 1, "create deployment web --image=nginx --replicas=3", "run", "expose deployment web --port=80", "run")
	if got := c.LastCurl(); len(got) != 0 {
		t.Fatalf("before any curl: %+v", got)
	}
	r := c.Curl(c.SandboxClient(), []string{"-s", "web"})
	last := c.LastCurl()
	if len(last) != 1 || last[0].Hop.Pod != r.Responses[0].Hop.Pod || !strings.HasPrefix(last[0].Hop.Pod, "default/web-") {
		t.Fatalf("LastCurl %+v, curl got %+v", last, r.Responses)
	}
	last[0].Hop.Pod = "changed by the caller"
	if c.LastCurl()[0].Hop.Pod == "changed by the caller" {
		t.Error("LastCurl hands out the cluster's own slice")
	}
	if r := c.Curl(c.SandboxClient(), []string{"-s", "nosuch"}); r.Exit == 0 || len(c.LastCurl()) != 0 {
		t.Errorf("a curl that failed: exit %d, LastCurl %+v", r.Exit, c.LastCurl())
	}
}
