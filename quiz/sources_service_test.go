package quiz

import (
	"strings"
	"testing"
	"time"
)

func TestProbesOfServices(t *testing.T) {
	s := newSandbox(t, 2)
	s.probeErr("service-cluster-ip service=web") // no Service yet
	s.probeErr("endpoint-count service=web")
	s.probeErr("curl-pod") // no curl yet
	s.probeErr("dns-address name=web")
	s.kubectl("create deployment web --image=nginx --replicas=3")
	s.c.Run(0)
	s.kubectl("expose deployment web --port=80 --type=NodePort")
	ip := strings.TrimSpace(s.kubectl("get service web -o jsonpath={.spec.clusterIP}"))
	s.wantText("service-cluster-ip service=web", ip)
	s.wantText("service-selector service=web", "app=web")
	port := s.table("get service web")[0]["PORT(S)"] // 80:3xxxx/TCP
	np := strings.TrimSuffix(strings.TrimPrefix(port, "80:"), "/TCP")
	s.wantNumber("service-node-port service=web", atoi(t, np))
	s.wantText("node-address node=node-2", "172.18.0.3")
	s.probeErr("node-address node=node-9")
	s.probeErr("endpointslice-name service=web") // the controller has not acted yet
	s.wantNumber("endpoint-count service=web", 0)
	s.wantText("dns-address name=web", ip) // DNS answers as soon as the Service exists
	s.wantText("dns-address name=web.default.svc.cluster.local", ip)
	s.probeErr("dns-address name=nosuch")

	s.c.Run(0)
	slices := s.table("get endpointslices -l kubernetes.io/service-name=web")
	if len(slices) != 1 {
		t.Fatalf("slices: %v", slices)
	}
	s.wantText("endpointslice-name service=web", slices[0]["NAME"])
	s.wantNumber("endpoint-count service=web", 3)
	s.wantNumber("endpoint-count service=web condition=serving", 3)
	s.wantNumber("endpoint-count service=web condition=terminating", 0)
	s.wantNumber("endpoint-count service=web condition=all", 3)

	// curl-pod names the pod the latest curl reached, whichever kube-proxy picked.
	for range 5 {
		r := s.c.Curl(s.c.SandboxClient(), []string{"-s", "web"})
		s.wantText("curl-pod", strings.TrimPrefix(r.Responses[0].Hop.Pod, "default/"))
	}
	s.c.Curl(s.c.SandboxClient(), []string{"-s", "nosuch"})
	s.probeErr("curl-pod")

	// A pod that fails readiness stays in the slice, not ready.
	s.kubectlArgs("patch", "deployment", "web", "-p",
		`{"spec":{"template":{"spec":{"containers":[{"name":"nginx","readinessProbe":{"httpGet":{"path":"/","port":80},"periodSeconds":5}}]}}}}`)
	s.c.Run(0)
	s.c.Wait(10*time.Second, 0)
	pod := s.table("get pods")[0]["NAME"]
	if _, err := s.c.FaultProbe("default", pod, "", true); err != nil {
		t.Fatal(err)
	}
	s.c.Wait(20*time.Second, 0)
	s.c.Run(0)
	s.wantNumber("endpoint-count service=web", 2)
	s.wantNumber("endpoint-count service=web condition=all", 3)

	// A Service whose selector matches nothing: a slice without endpoints.
	s.kubectl("create service clusterip api --tcp=80:80")
	s.c.Run(0)
	s.wantText("service-selector service=api", "app=api")
	s.wantNumber("endpoint-count service=api condition=all", 0)
	s.probeErr("service-node-port service=api")

	if err := ValidateRef("endpoint-count service=web condition=sometimes"); err == nil {
		t.Error("condition=sometimes accepted")
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// On a real cluster DNS is not read from the miniature's resolver: the answer comes from the
// Service itself, and agrees with what the miniature's cluster DNS answers. Which pod answered a
// curl is not recorded there.
func TestServiceProbesOnARealCluster(t *testing.T) {
	s := newSandbox(t, 2)
	s.kubectl("create deployment web --image=nginx --replicas=2")
	s.kubectl("expose deployment web --port=80")
	s.kubectl("create service clusterip headless --clusterip=None --tcp=80:80")
	s.c.Run(0)
	real := Env{Real: miniSource{s.c}}
	for _, name := range []string{"web", "web.default", "web.default.svc.cluster.local", "web.default.svc.cluster.local."} {
		want, err := Evaluate("dns-address name="+name, Env{Cluster: s.c})
		if err != nil {
			t.Fatal(err)
		}
		got, err := Evaluate("dns-address name="+name, real)
		if err != nil || got.String() != want.String() {
			t.Errorf("dns-address name=%s on a real cluster: %v, %v; the miniature's DNS answers %v", name, got, err, want)
		}
	}
	for _, ref := range []string{"dns-address name=nosuch", "dns-address name=web.other", "dns-address name=headless", "curl-pod"} {
		if v, err := Evaluate(ref, real); err == nil {
			t.Errorf("%s on a real cluster: %v, want an error", ref, v)
		}
	}
}
