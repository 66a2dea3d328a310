package cluster_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl"
)

const probedDeploymentYAML = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}
        livenessProbe: {tcpSocket: {port: 80}, initialDelaySeconds: 2, periodSeconds: 4}
      - name: sidecar
        image: busybox:1.36
        command: [sh, -c, "touch /tmp/ready; sleep 3600"]
        readinessProbe: {exec: {command: [test, -f, /tmp/ready]}, periodSeconds: 3, successThreshold: 2}
        startupProbe: {exec: {command: [cat, /tmp/ready]}, periodSeconds: 2}
`

// probeStory creates probed pods on c, then fails and heals their probes while time passes,
// calling check after every wait.
func probeStory(t *testing.T, c *cluster.Cluster, check func(step string)) {
	t.Helper()
	k := kubectl.New(c, func(string) ([]byte, error) { return []byte(probedDeploymentYAML), nil })
	if code := k.Run([]string{"apply", "-f", "web.yaml"}, kubectl.Streams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}); code != 0 {
		t.Fatalf("apply: exit %d", code)
	}
	c.Run(0)
	check("created")
	pods := list[*corev1.Pod](t, c, "pods")
	for i, p := range pods {
		container := []string{"nginx", "sidecar"}[i%2]
		if _, err := c.FaultProbe("default", p.Name, container, true); err != nil {
			t.Fatalf("fault %s/%s: %v", p.Name, container, err)
		}
	}
	for i := range 12 {
		c.Wait(7*time.Second, 0)
		check(fmt.Sprintf("wait %d", i+1))
		if i == 5 {
			for _, p := range list[*corev1.Pod](t, c, "pods") {
				if p.Status.Phase == corev1.PodRunning {
					_, _ = c.FaultProbe("default", p.Name, "sidecar", false)
				}
			}
		}
	}
}

// TestProbeInvariants: whatever the probes say, a pod is Ready exactly when all its containers
// are, a container is ready only while it runs and has started, restart counts never go down,
// and every write is one revision.
func TestProbeInvariants(t *testing.T) {
	for _, seed := range []uint64{1, 7, 42} {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			restarts := map[string]int32{}
			c, err := cluster.New(cluster.DefaultConfig(seed))
			if err != nil {
				t.Fatal(err)
			}
			rec := newRecorder(t, c)
			probeStory(t, c, func(step string) {
				rec.drain()
				for _, p := range list[*corev1.Pod](t, c, "pods") {
					checkProbedPod(t, step, p, restarts)
				}
			})
			rec.drain()
			checkWritesMatchRevisions(t, c, rec)
			checkWorkloads(t, c)
			for _, p := range rec.problems {
				t.Error(p)
			}
			total := int32(0)
			for _, n := range restarts {
				total += n
			}
			if total == 0 {
				t.Error("no container was restarted by its failing liveness or startup probe")
			}
		})
	}
}

func checkProbedPod(t *testing.T, step string, p *corev1.Pod, restarts map[string]int32) {
	t.Helper()
	allReady := len(p.Status.ContainerStatuses) == len(p.Spec.Containers)
	for _, s := range p.Status.ContainerStatuses {
		allReady = allReady && s.Ready
		if s.Ready && (s.State.Running == nil || s.Started == nil || !*s.Started) {
			t.Errorf("%s: %s/%s is ready but not running and started: %+v", step, p.Name, s.Name, s.State)
		}
		key := p.Name + "/" + s.Name
		if s.RestartCount < restarts[key] {
			t.Errorf("%s: %s restart count went from %d to %d", step, key, restarts[key], s.RestartCount)
		}
		restarts[key] = s.RestartCount
	}
	for _, ct := range []corev1.PodConditionType{corev1.PodReady, corev1.ContainersReady} {
		cond := podCondition(p, ct)
		if cond == nil {
			continue
		}
		if (cond.Status == corev1.ConditionTrue) != allReady {
			t.Errorf("%s: %s condition %s is %s but all containers ready is %v", step, p.Name, ct, cond.Status, allReady)
		}
	}
}

// TestProbesSameSeedSameTranscript: probes, faults and restarts repeat exactly with the seed.
func TestProbesSameSeedSameTranscript(t *testing.T) {
	run := func() string {
		c, err := cluster.New(cluster.DefaultConfig(7))
		if err != nil {
			t.Fatal(err)
		}
		probeStory(t, c, func(string) {})
		var out bytes.Buffer
		k := kubectl.New(c, nil)
		k.Run([]string{"get", "pods", "-o", "wide"}, kubectl.Streams{Out: &out, ErrOut: &out})
		k.Run([]string{"get", "events"}, kubectl.Streams{Out: &out, ErrOut: &out})
		for _, e := range c.Trace() {
			fmt.Fprintf(&out, "%+v\n", e)
		}
		return out.String()
	}
	if a, b := run(), run(); a != b {
		t.Fatalf("two runs differ at %s", firstDiff(a, b))
	}
}

// A kubelet that comes back up after its node was down takes up its probes again.
func TestProbesResumeAfterNodeComesBack(t *testing.T) {
	c, err := cluster.New(cluster.DefaultConfig(7))
	if err != nil {
		t.Fatal(err)
	}
	k := kubectl.New(c, func(string) ([]byte, error) { return []byte(probedDeploymentYAML), nil })
	if code := k.Run([]string{"apply", "-f", "web.yaml"}, kubectl.Streams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}); code != 0 {
		t.Fatalf("apply: exit %d", code)
	}
	c.Run(0)
	var pod *corev1.Pod
	for _, p := range list[*corev1.Pod](t, c, "pods") {
		if p.Spec.NodeName == "node-1" {
			pod = p
			break
		}
	}
	if pod == nil {
		t.Fatal("no pod on node-1")
	}
	if _, err := c.SetNodeDown("node-1", true); err != nil {
		t.Fatal(err)
	}
	c.Wait(20*time.Second, 0)
	if _, err := c.SetNodeDown("node-1", false); err != nil {
		t.Fatal(err)
	}
	c.Wait(5*time.Second, 0)
	if _, err := c.FaultProbe("default", pod.Name, "sidecar", true); err != nil {
		t.Fatal(err)
	}
	c.Wait(30*time.Second, 0)
	for _, p := range list[*corev1.Pod](t, c, "pods") {
		if p.Name != pod.Name {
			continue
		}
		if cond := podCondition(p, corev1.PodReady); cond == nil || cond.Status != corev1.ConditionFalse {
			t.Errorf("pod %s with a failing readiness probe after its node came back: Ready %+v", p.Name, cond)
		}
		return
	}
	t.Fatalf("pod %s is gone", pod.Name)
}
