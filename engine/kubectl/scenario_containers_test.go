package kubectl

// The scenarios of containers that do things: images that do not pull, processes that exit,
// crash or run out of memory, and what logs, exec and top show of them.

// memoryDemoYAML is the Kubernetes docs' memory-demo-2 (content/en/examples/pods/resource/
// memory-request-limit-2.yaml): it asks stress for 250M under a 100Mi limit.
const memoryDemoYAML = `apiVersion: v1
kind: Pod
metadata:
  name: memory-demo-2
spec:
  containers:
  - name: memory-demo-2-ctr
    image: polinux/stress
    resources:
      requests:
        memory: "50Mi"
      limits:
        memory: "100Mi"
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]
---
apiVersion: v1
kind: Pod
metadata:
  name: guaranteed
spec:
  containers:
  - name: web
    image: nginx:1.27
    resources:
      requests: {cpu: 250m, memory: 64Mi}
      limits: {cpu: 250m, memory: 64Mi}
`

// twoContainersYAML is a pod with an app and a sidecar.
const twoContainersYAML = `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
  - name: app
    image: busybox:1.37
    command: ["sh", "-c", "echo app ready; sleep infinity"]
    env:
    - {name: MODE, value: production}
  - name: sidecar
    image: nginx:1.27-alpine
`

func containerScenarios() []scenario {
	return []scenario{
		{name: "image_pull_backoff", seed: 7, script: []string{
			"# A mistyped tag: the registry has no nginx:1.2.3.",
			"kubectl create deployment web --image=nginx:1.2.3",
			"run",
			"kubectl get pods",
			"# A second later the PLEG looks again and finds the pull in back-off.",
			"wait 1s",
			"kubectl get pods",
			"kubectl describe pods",
			"kubectl logs deploy/web",
			"# Pulls are retried after 10s, 20s, 40s, … up to 5 minutes.",
			"wait 10m",
			"kubectl get pods",
			"kubectl describe pods",
			"# The fix: a tag that exists. The Deployment rolls out a new ReplicaSet.",
			"kubectl set image deployment/web nginx=nginx:1.27",
			"run",
			"kubectl get pods",
			"kubectl rollout status deployment/web",
			"kubectl get rs",
			"# A repository Docker Hub does not have, and a registry that does not resolve.",
			"kubectl run typo --image=ngnix",
			"kubectl run private --image=registry.example.com/team/app:v1",
			"run",
			"kubectl describe pod typo",
			"kubectl get pod private -o jsonpath={.status.containerStatuses[0].state.waiting.message}{\"\\n\"}",
		}},
		{name: "crashloop", seed: 7, script: []string{
			"kubectl run crash --image=busybox -- sh -c 'echo the app starts; echo and fails; exit 1'",
			"run",
			"# It exited, was restarted at once, exited again: now the kubelet backs off 10s.",
			"kubectl get pods",
			"kubectl get pod crash -o jsonpath={.status.containerStatuses[0].state.waiting.message}{\"\\n\"}",
			"wait 11s",
			"kubectl get pods",
			"kubectl get pod crash -o jsonpath={.status.containerStatuses[0].state.waiting.message}{\"\\n\"}",
			"wait 21s",
			"kubectl get pods",
			"kubectl get pod crash -o jsonpath={.status.containerStatuses[0].state.waiting.message}{\"\\n\"}",
			"wait 41s",
			"kubectl get pods",
			"kubectl get pod crash -o jsonpath={.status.containerStatuses[0].state.waiting.message}{\"\\n\"}",
			"wait 81s",
			"kubectl get pods",
			"kubectl get pod crash -o jsonpath={.status.containerStatuses[0].state.waiting.message}{\"\\n\"}",
			"wait 161s",
			"kubectl get pods",
			"kubectl get pod crash -o jsonpath={.status.containerStatuses[0].state.waiting.message}{\"\\n\"}",
			"wait 301s",
			"kubectl get pods",
			"kubectl get pod crash -o jsonpath={.status.containerStatuses[0].state.waiting.message}{\"\\n\"}",
			"wait 301s",
			"kubectl get pods",
			"kubectl get pod crash -o jsonpath={.status.containerStatuses[0].state.waiting.message}{\"\\n\"}",
			"kubectl describe pod crash",
			"kubectl logs crash",
			"kubectl logs crash --previous --timestamps",
			"# restartPolicy decides: Never leaves the pod Error (exit 3) or Completed (exit 0).",
			"kubectl run once --image=busybox --restart=Never -- sh -c 'echo done; exit 3'",
			"kubectl run job --image=busybox --restart=Never -- sh -c 'echo done'",
			"kubectl run retry --image=busybox --restart=OnFailure -- sh -c 'sleep 5; exit 0'",
			"run",
			"wait 10s",
			"kubectl get pods once job retry",
			"kubectl describe pod once",
			"kubectl logs once --previous",
			"# A command the image does not have: the runtime cannot start it.",
			"kubectl run nocmd --image=busybox -- no-such-program",
			"run",
			"kubectl get pod nocmd",
			"wait 2s",
			"kubectl get pod nocmd",
			"kubectl describe pod nocmd",
		}},
		{name: "oomkilled", seed: 7, files: map[string]string{"memory-demo.yaml": memoryDemoYAML}, script: []string{
			"kubectl apply -f memory-demo.yaml",
			"# get -w steps the cluster: the container passes 100Mi and the kernel kills it (OOMKilled).",
			"kubectl get pod memory-demo-2 -w",
			"kubectl get pods",
			"wait 15s",
			"kubectl get pods",
			"kubectl describe pod memory-demo-2",
			"kubectl logs memory-demo-2 --previous",
			"kubectl get pod guaranteed -o jsonpath={.status.qosClass}{\"\\n\"}",
			"kubectl top pod",
		}},
		{name: "set_env_resources", seed: 7, script: []string{
			"# A worker that checks its configuration: without QUEUE_HOST it exits 1.",
			`kubectl create deployment worker --image=busybox:1.37 -- sh -c 'echo worker starting; if [ -z "$QUEUE_HOST" ]; then echo "fatal: QUEUE_HOST is not set" >&2; exit 1; fi; while true; do echo "took a job from $QUEUE_HOST"; sleep 10; done'`,
			"run",
			"kubectl get pods",
			"kubectl logs deploy/worker",
			"kubectl set env deployment/worker QUEUE_HOST=queue.default.svc",
			"# The same value again changes nothing: kubectl sends no patch and prints nothing.",
			"kubectl set env deployment/worker QUEUE_HOST=queue.default.svc",
			"kubectl rollout status deployment/worker",
			"wait 15s",
			"kubectl logs deploy/worker",
			"kubectl get deployment worker -o jsonpath={.spec.template.spec.containers[0].env}{\"\\n\"}",
			"kubectl set env deployment/worker 1BAD=x",
			"kubectl set env deployment/worker A=1 A-",
			"kubectl set env deployment/worker A=1 pods",
			"kubectl set env deployment/worker QUEUE_HOST- -c nosuch",
			"# Requests and limits.",
			"kubectl set resources deployment worker --limits=memory=64Mi,cpu=200m --requests=cpu=100m",
			"kubectl get deployment worker -o jsonpath={.spec.template.spec.containers[0].resources}{\"\\n\"}",
			"kubectl set resources deployment worker --requests=cpu=100m",
			"kubectl set resources deployment worker",
			"kubectl set resources deployment worker --limits=memory",
			"kubectl set resources deployment worker --limits=memory=lots",
			"kubectl set resources deployment worker -c nosuch --limits=cpu=1",
			"kubectl set resources deployment worker --limits=cpu=50m",
			"kubectl set image deployment/worker busybox=busybox:1.37",
		}},
		{name: "logs_exec", seed: 7, files: map[string]string{"api.yaml": twoContainersYAML}, script: []string{
			"kubectl create deployment web --image=nginx --replicas=2",
			"kubectl run hello --image=hello-world --restart=Never",
			"kubectl run ticker --image=busybox -- sh -c 'while true; do echo \"$(date) tick\"; sleep 5; done'",
			"kubectl apply -f api.yaml",
			"run",
			"kubectl logs deploy/web",
			"kubectl logs hello",
			"kubectl logs api",
			"kubectl logs api -c sidecar --tail=2",
			"wait 20s",
			"kubectl logs ticker",
			"kubectl logs ticker --tail=2 --timestamps",
			"kubectl logs ticker --since=8s",
			"kubectl logs ticker --limit-bytes=20",
			"kubectl exec ticker -- hostname",
			"kubectl exec ticker -- cat /etc/hostname",
			"kubectl exec api -c app -- env",
			"kubectl exec ticker -- ls /",
			"kubectl exec ticker -- sh -c 'echo from a shell; exit 7'",
			"kubectl exec ticker -- curl web",
			"kubectl exec ticker -- cat /etc/shadow",
			"# PID 1 is a shell without a trap: SIGTERM from inside is ignored.",
			"kubectl exec ticker -- kill 1",
			"kubectl exec deploy/web -- nginx -s reload",
			"# nginx handles SIGTERM: it exits, and the kubelet starts it again.",
			"kubectl exec deploy/web -- kill 1",
			"run",
			"kubectl get pods",
			"kubectl logs deploy/web --previous --tail=4",
			"kubectl exec hello -- ls",
			"kubectl logs nosuch",
			"kubectl logs ticker -c nope",
			"kubectl logs ticker --tail=-2",
			"kubectl logs",
			"kubectl logs ticker extra more",
			"kubectl exec ticker",
			"kubectl exec ticker ls",
			"kubectl exec nosuch -- ls",
			"kubectl top pods",
			"kubectl top node",
		}},
	}
}
