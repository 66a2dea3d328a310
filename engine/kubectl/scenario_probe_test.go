package kubectl

import (
	"fmt"

	"github.com/k8slearn/k8slearn/engine/cluster"
)

// faultDirective runs "probe POD [CONTAINER] fail|pass" against the cluster and says what changed.
func faultDirective(c *cluster.Cluster, args []string) string {
	if len(args) < 3 || args[0] != "probe" {
		return "(bad fault directive)"
	}
	container := ""
	if len(args) == 4 {
		container = args[2]
	}
	f, err := c.FaultProbe("default", args[1], container, args[len(args)-1] == "fail")
	if err != nil {
		return "fault error: " + err.Error()
	}
	return fmt.Sprintf("(fault on %s/%s/%s at %s: http %v, closed %v, files %v)", f.Node, f.Pod, f.Container,
		c.Clock().Now().Format("15:04:05.000"), f.Changes.HTTP500, f.Changes.Closed, f.Changes.Removed)
}

const readinessPodYAML = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports: [{containerPort: 80}]
    readinessProbe:
      httpGet: {path: /, port: 80}
      periodSeconds: 5
`

// livenessPodYAML is the documentation's HTTP liveness example, on nginx, which has no /healthz.
const livenessPodYAML = `apiVersion: v1
kind: Pod
metadata: {name: liveness-http}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    livenessProbe:
      httpGet: {path: /healthz, port: 80}
      initialDelaySeconds: 3
      periodSeconds: 3
`

// livenessExecYAML is the documentation's exec liveness example (busybox removes its file after
// 30 s and ignores SIGTERM).
const livenessExecYAML = `apiVersion: v1
kind: Pod
metadata: {name: liveness-exec}
spec:
  containers:
  - name: liveness
    image: busybox:1.36
    args: [/bin/sh, -c, "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      initialDelaySeconds: 5
      periodSeconds: 5
`

// livenessNeverYAML is the exec example with restartPolicy Never, and a shorter sleep.
const livenessNeverYAML = `apiVersion: v1
kind: Pod
metadata: {name: liveness-never}
spec:
  restartPolicy: Never
  containers:
  - name: liveness
    image: busybox:1.36
    args: [/bin/sh, -c, "touch /tmp/healthy; sleep 10; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      initialDelaySeconds: 5
      periodSeconds: 5
`

// livenessOnFailureYAML is the HTTP example with restartPolicy OnFailure: nginx exits 0 on SIGTERM.
const livenessOnFailureYAML = `apiVersion: v1
kind: Pod
metadata: {name: liveness-onfailure}
spec:
  restartPolicy: OnFailure
  containers:
  - name: nginx
    image: nginx:1.27
    livenessProbe:
      httpGet: {path: /healthz, port: 80}
      initialDelaySeconds: 3
      periodSeconds: 3
`

const startupPodYAML = `apiVersion: v1
kind: Pod
metadata: {name: slow}
spec:
  containers:
  - name: app
    image: nginx:1.27
    startupProbe:
      tcpSocket: {port: 8080}
      failureThreshold: 3
      periodSeconds: 10
    readinessProbe:
      tcpSocket: {port: 80}
    livenessProbe:
      exec: {command: [pg_isready]}
`

// namedPortYAML names a port the container does not declare: the probe cannot run at all.
const namedPortYAML = `apiVersion: v1
kind: Pod
metadata: {name: typo}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports: [{name: http, containerPort: 80}]
    readinessProbe:
      httpGet: {path: /, port: htpp}
    livenessProbe:
      httpGet: {path: /, port: 8080}
      failureThreshold: 5
`

func probeScenarios() []scenario {
	return []scenario{
		{name: "probe_readiness", seed: 7, files: map[string]string{"web.yaml": readinessPodYAML}, script: []string{
			"kubectl apply -f web.yaml",
			"run",
			"# The readiness probe ran as soon as nginx started: the pod is Ready.",
			"kubectl get pods",
			"fault probe web fail",
			"wait 20s",
			"# Three failures in a row (failureThreshold 3, every 5 s): not Ready, still Running.",
			"kubectl get pods",
			"kubectl describe pod web",
			"fault probe web pass",
			"wait 5s",
			"kubectl get pods",
			"kubectl get events --field-selector reason=Unhealthy",
		}},
		{name: "probe_readiness_exec_rm", seed: 7, files: map[string]string{"web.yaml": readinessPodYAML}, script: []string{
			"kubectl apply -f web.yaml",
			"run",
			"# The page the readiness probe asks for, removed from inside the container, as on a real cluster:",
			"# nginx then answers 403 on / (no index file, no autoindex).",
			"kubectl exec web -- rm /usr/share/nginx/html/index.html",
			"wait 20s",
			"kubectl get pods",
			"kubectl get events --field-selector reason=Unhealthy",
			"kubectl exec web -- touch /usr/share/nginx/html/index.html",
			"wait 5s",
			"kubectl get pods",
		}},
		{name: "probe_readiness_service", seed: 7, files: map[string]string{"web.yaml": readinessPodYAML}, script: []string{
			"kubectl apply -f web.yaml",
			"kubectl expose pod web --port=80",
			"run",
			"kubectl get endpointslices",
			"curl web",
			"fault probe web fail",
			"wait 20s",
			"# Not Ready: the EndpointSlice keeps the pod as not ready, and the Service has no endpoint left.",
			"kubectl get pods",
			"kubectl get endpointslices",
			"kubectl get endpointslices -l kubernetes.io/service-name=web -o jsonpath={.items[0].endpoints[0].conditions}{\"\\n\"}",
			"kubectl describe service web",
			"curl web",
			"fault probe web pass",
			"wait 5s",
			"kubectl get endpointslices",
			"curl web",
		}},
		{name: "probe_liveness", seed: 7, files: map[string]string{"pod.yaml": livenessPodYAML}, script: []string{
			"kubectl apply -f pod.yaml",
			"run",
			"kubectl get pods",
			"wait 10s",
			"# nginx answers 404 on /healthz: after three failures the kubelet restarts the container.",
			"kubectl get pods",
			"kubectl describe pod liveness-http",
		}},
		{name: "probe_liveness_exec", seed: 7, files: map[string]string{"pod.yaml": livenessExecYAML}, script: []string{
			"kubectl apply -f pod.yaml",
			"run",
			"wait 10s",
			"# What the probe runs, run by hand: the file the container's command made is there.",
			"kubectl exec liveness-exec -- cat /tmp/healthy",
			"kubectl exec liveness-exec -- ls /tmp",
			"kubectl exec liveness-exec -- sh -c 'touch /tmp/ready && ls /tmp'",
			"kubectl exec liveness-exec -- cat /etc/hostname",
			"wait 30s",
			"# 30 s after the start the command removed it.",
			"kubectl exec liveness-exec -- cat /tmp/healthy",
			"kubectl exec liveness-exec -- test -f /tmp/healthy",
			"kubectl get pods",
			"# The file is gone: three failures, then SIGTERM, which sh ignores, and SIGKILL 30 s later.",
			"wait 50s",
			"kubectl get pods",
			"kubectl describe pod liveness-exec",
		}},
		{name: "probe_liveness_crashloop", seed: 7, files: map[string]string{"pod.yaml": livenessPodYAML}, script: []string{
			"kubectl apply -f pod.yaml",
			"run",
			"wait 30s",
			"# Each kill starts the container again in the same sync, unless the kill before it ended",
			"# less than the back-off ago (10 s after the second kill, doubling at each restart).",
			"kubectl get pods",
			"wait 20s",
			"# The fourth kill came 12 s after the third, within its 20 s back-off: CrashLoopBackOff.",
			"kubectl get pods",
			"wait 5m",
			"kubectl get pods",
			"kubectl describe pod liveness-http",
		}},
		{name: "probe_liveness_never", seed: 7, files: map[string]string{"pod.yaml": livenessNeverYAML}, script: []string{
			"kubectl apply -f pod.yaml",
			"run",
			"wait 30s",
			"# Killed for its liveness probe: sh ignores SIGTERM, SIGKILL comes 30 s later.",
			"kubectl get pods",
			"wait 30s",
			"# Exit 137 and restartPolicy Never: the pod failed, nothing restarts it.",
			"kubectl get pods",
			"kubectl describe pod liveness-never",
			"wait 1m",
			"kubectl get pods",
		}},
		{name: "probe_liveness_onfailure", seed: 7, files: map[string]string{"pod.yaml": livenessOnFailureYAML}, script: []string{
			"kubectl apply -f pod.yaml",
			"run",
			"wait 40s",
			"kubectl get pods",
			"wait 20s",
			"# nginx exits 0 on SIGTERM. The kill restarts it whatever its exit code, until the",
			"# restart falls in the back-off: then OnFailure asks for no restart of a container",
			"# that exited 0, and the pod has completed.",
			"kubectl get pods",
			"kubectl describe pod liveness-onfailure",
		}},
		{name: "probe_startup", seed: 7, files: map[string]string{"pod.yaml": startupPodYAML}, script: []string{
			"kubectl apply -f pod.yaml",
			"run",
			"wait 25s",
			"# Nothing listens on 8080: the startup probe holds the others back.",
			"kubectl get pods",
			"wait 10s",
			"kubectl describe pod slow",
			"# Bad input.",
			"fault probe nosuch fail",
			"fault probe slow other fail",
		}},
		{name: "probe_errors", seed: 7, files: map[string]string{"pod.yaml": namedPortYAML}, script: []string{
			"kubectl apply -f pod.yaml",
			"run",
			"wait 30s",
			"# The readiness probe names a port nginx does not declare: it errors, and never makes the pod Ready.",
			"# The liveness probe reaches a port nothing listens on: three failures so far; it takes five.",
			"kubectl get pods",
			"kubectl get events --field-selector reason=Unhealthy",
			"wait 20s",
			"kubectl get pods",
		}},
	}
}
