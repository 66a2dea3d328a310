package kubectl

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kballard/go-shellquote"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/proxy"
	"github.com/k8slearn/k8slearn/locales"
)

var update = flag.Bool("update", false, "rewrite golden files")

// scenario is a script run against a fresh seeded cluster. Lines are kubectl command lines
// ("kubectl get pods"; split at spaces, or as a shell splits them when they hold a quote), "run"
// (step until idle), "step N" (N single steps, each shown as a trace line), "wait D" (let D of
// time pass, firing the timers due), the sandbox's "curl …", "nslookup …" and "proxy NODE [MODE]",
// or "# comments" copied to the transcript.
type scenario struct {
	name  string
	seed  uint64
	files map[string]string // -f files by name
	// special are files that are not regular (directories, FIFOs), by name.
	special map[string]fs.FileMode
	script  []string
}

// The manifests the scenarios apply.
const moreTypesYAML = `apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data: {a: "1", b: "2"}
---
apiVersion: v1
kind: Secret
metadata: {name: s1}
stringData: {password: x}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder}
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: l1}
spec: {holderIdentity: me, leaseDurationSeconds: 15}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-abc}
addressType: IPv4
endpoints: [{addresses: ["10.0.0.1"]}]
ports: [{port: 80, name: http, protocol: TCP}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: web}
subsets: [{addresses: [{ip: 10.0.0.1}], ports: [{port: 80}]}]
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
`

const labelledPodsYAML = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: shop, tier: front, app.kubernetes.io/name: web}
spec:
  containers:
  - {name: app, image: "nginx:1.27", resources: {requests: {cpu: 500m}}}
---
apiVersion: v1
kind: Pod
metadata:
  name: cache
  labels: {app: shop, tier: back}
spec:
  containers:
  - {name: app, image: "redis:7", resources: {requests: {cpu: "1"}}}
---
apiVersion: v1
kind: Pod
metadata:
  name: api
  labels: {app: shop}
spec:
  containers:
  - {name: app, image: "busybox:1.36", command: [sleep, "3600"], resources: {requests: {cpu: 100m}}}
  - {name: sidecar, image: "nginx:1.27-alpine"}
`

const configMapYAML = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  labels:
    app: web
data:
  index.html: |
    <h1>hello</h1>
  mode: production
`

const badConfigMapYAML = `apiVersion: v1
kind: ConfigMap
metadata:
  name: bad
data:
  "not a key!": x
`

const (
	bigPodYAML = `apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  containers:
  - name: app
    image: nginx
    resources:
      requests:
        cpu: "100"
`
	selectorPodYAML = `apiVersion: v1
kind: Pod
metadata:
  name: picky
spec:
  nodeSelector:
    disktype: ssd
  containers:
  - name: app
    image: nginx
`
	tolerantPodYAML = `apiVersion: v1
kind: Pod
metadata:
  name: gpu-job
spec:
  tolerations:
  - key: dedicated
    operator: Equal
    value: gpu
    effect: NoSchedule
  nodeSelector:
    kubernetes.io/hostname: node-1
  containers:
  - name: app
    image: busybox:1.36
    command: [sleep, infinity]
`
	malformedYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
 spec:
  replicas: 3
`
	unknownFieldYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replica: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
`
	unknownKindYAML = `apiVersion: v1
kind: Frobnicator
metadata:
  name: frob
`
	deploymentYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        resources:
          requests:
            cpu: 250m
            memory: 64Mi
`
)

func scenarios() []scenario {
	return []scenario{
		{name: "basic_deployment", seed: 7, script: []string{
			"kubectl create deployment web --image=nginx --replicas=3",
			"run",
			"kubectl get all",
			"kubectl get pods -o wide",
			"kubectl get events",
			"kubectl get rs -o wide",
			"kubectl get deployments",
			"kubectl get nodes",
			"kubectl describe pod web-64c966cf88-jkb4f",
			"kubectl describe deployment web",
			"kubectl describe rs",
		}},
		{name: "step_by_step", seed: 7, script: []string{
			"kubectl create deployment web --image=nginx --replicas=1",
			"kubectl get pods",
			"step 1",
			"kubectl get rs",
			"step 1",
			"kubectl get pods -o wide",
			"step 1",
			"kubectl get pods -o wide",
			"step 1",
			"kubectl get pods -o wide",
			"step 1",
			"kubectl get pods -o wide",
			"step 1",
			"kubectl get pods -o wide",
			"step 1",
			"kubectl get pods -o wide",
			"step 1",
			"kubectl get pods -o wide",
			"step 1",
			"kubectl get pods -o wide",
			"step 1",
			"kubectl get pods -o wide",
			"step 1",
			"kubectl get pods -o wide",
			"kubectl get deploy",
			"run",
			"kubectl get deploy",
			"kubectl describe pod web-64c966cf88-vp2m8",
		}},
		{name: "scale", seed: 7, script: []string{
			"kubectl create deployment web --image=nginx --replicas=3",
			"run",
			"kubectl scale deployment web --replicas=5",
			"run",
			"kubectl get pods -o wide",
			"kubectl get rs",
			"kubectl scale deployment/web --replicas=2",
			"step 3",
			"kubectl get pods",
			"run",
			"kubectl get pods -o wide",
			"kubectl describe deployment web",
			"kubectl get events --field-selector reason=SuccessfulDelete",
		}},
		{name: "rolling_update", seed: 7, script: []string{
			"kubectl create deployment web --image=nginx --replicas=3",
			"run",
			"kubectl set image deployment/web nginx=nginx:1.27",
			"kubectl rollout status deployment/web",
			"kubectl get rs -o wide",
			"kubectl get pods",
			"run",
			"kubectl get rs",
			"kubectl describe deployment web",
			"kubectl get rs -o yaml",
		}},
		{name: "delete_cascade", seed: 7, script: []string{
			"kubectl create deployment web --image=nginx --replicas=3",
			"run",
			"kubectl delete deployment web",
			"step 2",
			"kubectl get rs",
			"kubectl get pods",
			"step 5",
			"kubectl get pods",
			"run",
			"kubectl get all",
			"kubectl get deployment web",
		}},
		{name: "delete_orphan", seed: 7, script: []string{
			"kubectl create deployment web --image=nginx --replicas=2",
			"run",
			"kubectl delete deployment web --cascade=orphan",
			"run",
			"kubectl get all",
			"kubectl get rs -o yaml",
		}},
		{name: "insufficient_cpu", seed: 7, files: map[string]string{"big.yaml": bigPodYAML}, script: []string{
			"kubectl apply -f big.yaml",
			"run",
			"kubectl get pods",
			"kubectl get events",
			"kubectl describe pod big",
		}},
		{name: "cordon", seed: 7, script: []string{
			"kubectl create deployment web --image=nginx --replicas=2",
			"run",
			"kubectl cordon node-1",
			"kubectl get nodes",
			"kubectl scale deployment web --replicas=6",
			"run",
			"kubectl get pods -o wide",
			"kubectl cordon node-1",
			"kubectl uncordon node-1",
			"kubectl get nodes",
		}},
		{name: "node_failure", seed: 7, script: []string{
			"# node-2 goes silent: NotReady after the 50 s grace period, its pods evicted after 300 s",
			"kubectl create deployment web --image=nginx --replicas=3",
			"run",
			"kubectl get pods -o wide",
			"fault node node-2 down",
			"wait 50s",
			"kubectl get nodes",
			"wait 10s",
			"kubectl get nodes",
			"kubectl describe node node-2",
			"kubectl get pods -o wide",
			"wait 5m",
			"kubectl get pods -o wide",
			"kubectl get events --field-selector reason=TaintManagerEviction",
			"# node-2 comes back: its kubelet finishes the deletions, the taints go",
			"fault node node-2 up",
			"run",
			"wait 5s",
			"kubectl get nodes",
			"kubectl get pods -o wide",
			"kubectl describe node node-2",
		}},
		{name: "node_back_early", seed: 7, script: []string{
			"# node-2 comes back before its pods' 300 s run out: the evictions are cancelled",
			"kubectl create deployment web --image=nginx --replicas=3",
			"run",
			"fault node node-2 down",
			"wait 2m",
			"kubectl get nodes",
			"fault node node-2 up",
			"run",
			"wait 10s",
			"kubectl get nodes",
			"kubectl get pods -o wide",
			"kubectl get events --field-selector reason=TaintManagerEviction",
		}},
		{name: "full_disruption", seed: 7, script: []string{
			"# every node silent: the controller blames itself, not the nodes (full disruption): no NoExecute taint, no eviction",
			"kubectl create deployment web --image=nginx --replicas=3",
			"run",
			"fault node node-1 down",
			"fault node node-2 down",
			"wait 7m",
			"kubectl get nodes",
			"kubectl get pods -o wide",
			"# node-1 is back: the disruption is over, node-2 is tainted and its pod evicted 300 s later",
			"fault node node-1 up",
			"run",
			"wait 10s",
			"kubectl describe node node-2",
			"wait 5m",
			"kubectl get pods -o wide",
		}},
		{name: "drain", seed: 1, script: []string{
			"# drain node-2 with a PodDisruptionBudget: at least 2 of the 3 pods must stay available",
			"kubectl create deployment web --image=nginx --replicas=3",
			"run",
			"kubectl create pdb web --selector=app=web --min-available=2",
			"run",
			"kubectl get pdb",
			"kubectl get pods -o wide",
			"kubectl drain node-2 --ignore-daemonsets",
			"kubectl get pods -o wide",
			"kubectl get nodes",
			"kubectl describe pdb web",
			"kubectl drain node-2",
			"kubectl uncordon node-2",
			"run",
			"kubectl describe node node-2",
			"# errors",
			"kubectl drain",
			"kubectl drain node-9",
			"kubectl run solo --image=nginx",
			"run",
			"kubectl drain node-1 node-2 --pod-selector=run=solo",
			"kubectl create pdb bad --selector=app=web",
			"kubectl create pdb bad --selector=app=web --min-available=2x",
			"# a budget that allows no disruption at all: a real drain retries until Ctrl-C",
			"kubectl delete pdb web",
			"kubectl create pdb web --selector=app=web --min-available=3",
			"run",
			"kubectl drain node-1 --pod-selector=app=web",
			"kubectl get pdb web",
		}},
		{name: "taint", seed: 7, files: map[string]string{"gpu-job.yaml": tolerantPodYAML}, script: []string{
			"kubectl taint nodes node-1 dedicated=gpu:NoSchedule",
			"kubectl create deployment web --image=nginx --replicas=4",
			"run",
			"kubectl get pods -o wide",
			"kubectl apply -f gpu-job.yaml",
			"run",
			"kubectl get pod gpu-job -o wide",
			"kubectl describe node node-1",
			"kubectl taint nodes node-1 dedicated=gpu:NoSchedule",
			"kubectl taint nodes node-1 dedicated:NoSchedule-",
		}},
		{name: "node_selector", seed: 7, files: map[string]string{"picky.yaml": selectorPodYAML}, script: []string{
			"kubectl apply -f picky.yaml",
			"run",
			"kubectl get pods",
			"kubectl describe pod picky",
			"kubectl label node node-2 disktype=ssd",
			"run",
			"kubectl get pods -o wide",
		}},
		{name: "run_pod", seed: 7, script: []string{
			"kubectl run nginx --image=nginx",
			"run",
			"kubectl get pods -o wide",
			"kubectl get all",
			"kubectl describe pod nginx",
			"kubectl delete pod nginx",
			"kubectl get pods",
			"run",
			"kubectl get pods",
		}},
		// The API server stores an image it cannot parse; the kubelet refuses it (InvalidImageName).
		{name: "invalid_image", seed: 7, script: []string{
			"kubectl run web --image=NGINX",
			"run",
			"kubectl get pods",
			"kubectl describe pod web",
		}},
		{name: "apply", seed: 7, files: map[string]string{"web.yaml": deploymentYAML}, script: []string{
			"kubectl apply -f web.yaml",
			"run",
			"kubectl apply -f web.yaml",
			"kubectl get deploy web -o wide",
			"kubectl describe node node-2",
		}},
		{name: "files", seed: 7, files: map[string]string{
			"manifests/a.yaml": podYAML("a"), "manifests/b.json": `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"}, "spec": {"containers": [{"name": "app", "image": "nginx"}]}}`,
			"manifests/notes.txt": "not a manifest", "manifests/deeper/c.yml": podYAML("c"),
			"manifests/deeper/deepest/d.yaml": podYAML("d"), "notes.txt": podYAML("e"), "empty.yaml": "# nothing\n---\n",
		}, special: map[string]fs.FileMode{"empty": fs.ModeDir, "pipe.yaml": fs.ModeNamedPipe, "tty": fs.ModeDevice | fs.ModeCharDevice},
			script: []string{
				"# A directory: its .json, .yaml and .yml files, in name order; -R goes into subdirectories.",
				"kubectl apply -f manifests",
				"kubectl apply -R -f manifests",
				"kubectl get pods",
				"# A file named explicitly is read whatever its extension.",
				"kubectl create -f notes.txt",
				"kubectl apply -f empty",
				"kubectl apply -f pipe.yaml",
				"kubectl create -f tty",
				"kubectl apply -f manifests/a.yaml -f missing.yaml -f gone.yaml",
				"kubectl apply -f manifests/a.yaml,missing.yaml",
				"kubectl apply -f empty -f manifests/a.yaml",
				"kubectl apply -f empty.yaml",
				"kubectl create -f empty.yaml",
				"kubectl create -f -",
			}},
		{name: "configmap", seed: 7, files: map[string]string{"cm.yaml": configMapYAML, "bad-cm.yaml": badConfigMapYAML}, script: []string{
			"kubectl create -f cm.yaml",
			"kubectl get cm",
			"kubectl get configmaps web-config -o yaml",
			"kubectl describe configmap web-config",
			"kubectl apply -f cm.yaml",
			"kubectl create -f bad-cm.yaml",
			"kubectl get cm,po",
			"kubectl delete cm web-config",
			"kubectl get configmaps",
		}},
		{name: "more_types", seed: 7, files: map[string]string{"objs.yaml": moreTypesYAML}, script: []string{
			"kubectl apply -f objs.yaml",
			"kubectl get cm,secret,sa,lease,endpointslices,ep,pc",
			"kubectl describe secret s1",
			"kubectl describe sa builder",
			"kubectl describe lease l1",
			"kubectl describe pc high",
			"kubectl get lease l1 -o yaml",
		}},
		{name: "rollout_history", seed: 7, files: map[string]string{"web.yaml": deploymentYAML}, script: []string{
			"kubectl create deployment web --image=nginx:1.26 --replicas=2",
			"run",
			"kubectl set image deployment/web nginx=nginx:1.27",
			"run",
			"kubectl rollout history deployment/web",
			"kubectl rollout history deployment/web --revision=1",
			"kubectl rollout history deployment/web --revision=9",
			"kubectl rollout history deployment/web --revision=-1",
			"kubectl rollout undo deployment/web",
			"run",
			"kubectl get rs -o wide",
			"kubectl rollout history deployment web",
			"kubectl rollout undo deployment/web --to-revision=3",
			"kubectl rollout undo deployment/web --to-revision=9",
			"kubectl rollout undo deployment/nosuch",
			"kubectl rollout undo",
			"kubectl rollout history deployment",
			"kubectl rollout history pod/x",
			"# A Deployment managed with apply: kubectl warns that the rollback leaves the manifest behind.",
			"kubectl apply -f web.yaml",
			"run",
			"kubectl rollout undo deployment/web",
			"run",
			"kubectl rollout history deployment/web --revision=5",
			"kubectl get deploy web -o yaml",
		}},
		{name: "rollout_pause", seed: 7, script: []string{
			"kubectl create deployment web --image=nginx --replicas=2",
			"run",
			"kubectl rollout pause deployment/web",
			"kubectl rollout pause deployment/web",
			"kubectl set image deployment/web nginx=nginx:1.27",
			"kubectl scale deployment/web --replicas=3",
			"run",
			"# Paused: the new template waits, the scaling does not.",
			"kubectl get rs",
			"kubectl describe deploy web",
			"kubectl rollout undo deployment/web",
			"kubectl rollout restart deployment/web",
			"kubectl rollout resume deployment/web",
			"run",
			"kubectl get rs",
			"kubectl rollout resume deployment/web",
			"kubectl rollout restart deployment/web",
			"kubectl rollout restart deployment/web",
			"run",
			"kubectl rollout history deployment/web",
			"kubectl get deploy web -o yaml",
			"kubectl rollout pause node/node-1",
			"kubectl rollout pause deployments",
			"kubectl rollout restart deployments -n kube-system",
		}},
		{name: "annotate", seed: 7, script: []string{
			"kubectl create deployment web --image=nginx --replicas=1",
			"kubectl annotate deployment web owner=team-a description=front",
			"kubectl annotate deployment/web owner=team-b",
			"kubectl annotate deployment/web owner=team-b description=x",
			"kubectl annotate deployment/web owner=team-b --overwrite",
			"kubectl annotate deployment web --list",
			"kubectl annotate deployment web description-",
			"kubectl annotate deployment web kubernetes.io/change-cause=first",
			"kubectl annotate deployment web kubernetes.io/change-cause=second",
			"kubectl annotate deployment web note=dry --dry-run=client",
			"kubectl annotate deployment web note=dry --dry-run",
			"kubectl annotate deployment web note=dry --dry-run=maybe",
			"kubectl annotate deployment web note=dry --dry-run=server",
			"kubectl get deploy web -o yaml",
			"kubectl annotate nodes --all zone=a",
			"kubectl annotate deployment web",
			"kubectl annotate owner=x",
			"kubectl annotate deployment web a=1 a-",
			"kubectl annotate deployment web a=1 web",
			"kubectl annotate deployment web =x",
			"kubectl annotate deployment web bad/key/x=1",
			"kubectl annotate deployment nosuch a=1",
			"kubectl annotate deployment a=1",
			"kubectl annotate deployment --all -l app=web a=1",
		}},
		{name: "create_generators", seed: 7, files: map[string]string{
			"conf/app.properties": "color=blue\n", "conf/ui.properties": "theme=dark\n", "conf/sub/skip.txt": "x",
			"bin.dat": "\xff\xfe", "password.txt": "s3cret",
		}, script: []string{
			"kubectl create namespace dev",
			"kubectl create ns dev",
			"kubectl create namespace Dev",
			"kubectl create namespace",
			"kubectl create namespace a b",
			"kubectl create namespace staging --dry-run=client",
			"kubectl create configmap cfg --from-literal=mode=prod --from-literal=url=http://x/?a=b",
			"kubectl create configmap files --from-file=conf --from-file=bin.dat -n dev",
			"kubectl create configmap named --from-file=props=conf/app.properties",
			"kubectl get configmap cfg -o yaml",
			"kubectl get cm files -n dev -o yaml",
			"kubectl create configmap bad --from-literal=novalue",
			"kubectl create configmap bad --from-literal==x",
			"kubectl create configmap bad --from-literal=a=1 --from-literal=a=2",
			"kubectl create configmap bad --from-literal=bad/key=1",
			"kubectl create configmap bad --from-file=missing.txt",
			"kubectl create configmap bad --from-file=k=conf",
			"kubectl create configmap cfg --from-literal=a=1",
			"kubectl create secret generic s --from-literal=user=admin --from-file=password.txt",
			"kubectl get secret s -o yaml",
			"kubectl create secret generic bad --from-literal=user",
			"kubectl create secret generic bad --from-literal=a=1 --from-literal=a=2",
			"kubectl create secret generic s --from-literal=a=1",
			"kubectl create secret generic tls-like --type=kubernetes.io/tls --from-literal=a=1",
			"kubectl create secret",
			"kubectl create secret opaque x",
			"kubectl create service clusterip web --tcp=80:8080",
			"kubectl create service nodeport web-np --tcp=80:http --tcp=443",
			"kubectl create service clusterip headless --clusterip=None",
			"kubectl get svc web web-np headless -o yaml",
			"kubectl create service clusterip bad",
			"kubectl create service clusterip bad --tcp=http:80",
			"kubectl create service clusterip bad --tcp=80:99999",
			"kubectl create service clusterip bad --tcp=80:Not_A_Name",
			"kubectl create service clusterip web --tcp=80",
			"kubectl create svc clusterip dry --tcp=80 --dry-run=client",
			"kubectl get ns,cm,secret,svc",
		}},
		{name: "expose", seed: 7, files: map[string]string{"web.yaml": deploymentYAML, "bare.yaml": podYAML("bare")}, script: []string{
			"kubectl create deployment web --image=nginx --port=8080",
			"kubectl expose deployment web --port=80 --target-port=8080",
			"kubectl get svc web -o yaml",
			"kubectl expose deployment/web --name=web-np --type=NodePort",
			"kubectl get svc web-np -o yaml",
			"kubectl expose svc web --name=web-copy --dry-run=client",
			"kubectl expose deployment web --name=web-dry --port=80 --dry-run=server",
			"kubectl apply -f bare.yaml",
			"kubectl expose pod bare --port=80",
			"kubectl run labelled --image=nginx --port=9000",
			"kubectl expose pod labelled",
			"kubectl get svc labelled -o yaml",
			"kubectl expose deployment web --port=80",
			"kubectl expose deployment web --port=http --name=x",
			"kubectl expose deployment web --selector=app --name=x --port=80",
			"kubectl expose deployment nosuch --port=80",
			"kubectl expose node node-1 --port=80",
			"kubectl expose deployment",
			"kubectl expose",
			"kubectl apply -f web.yaml",
			"kubectl expose deployment web --name=web-2",
			"kubectl create deployment noports --image=nginx",
			"kubectl expose deployment noports",
			"kubectl expose deployment noports --cluster-ip=None",
			"kubectl get svc noports -o yaml",
			"kubectl get svc",
		}},
		{name: "delete_dry_run", seed: 7, script: []string{
			"kubectl run x --image=nginx",
			"kubectl create namespace dev",
			"kubectl delete pod x --dry-run=client",
			"kubectl delete pod x --dry-run=server",
			"kubectl delete pod/x --dry-run",
			"kubectl delete namespace dev --dry-run=server",
			"kubectl delete pods --all --dry-run=client",
			"kubectl delete pod nosuch --dry-run=client",
			"kubectl delete pod nosuch --dry-run=server",
			"# Nothing was deleted.",
			"kubectl get pods",
			"kubectl get ns dev",
			"kubectl delete pod x --dry-run=yes",
			"kubectl delete pod x --dry-run=false",
			"kubectl get pods",
		}},
		{name: "describe_many", seed: 7, script: []string{
			"kubectl create deployment web --image=nginx --replicas=2",
			"run",
			"# Events only for one object found by its name (kubectl describe's ShowEvents).",
			"kubectl describe pods",
			"kubectl describe pod web-5fc9f4bf66",
			"kubectl describe pods --show-events",
			"kubectl describe deploy",
			"kubectl describe deploy web --show-events=false",
			"kubectl describe deploy web nosuch",
			"# Events have kubectl's generic describer.",
			"kubectl describe ev node-1",
			"kubectl describe events -l nothing=here",
			"kubectl describe event nosuch",
		}},
		{name: "server_dry_run", seed: 7, script: []string{
			"# --dry-run=server: the API server defaults, admits and validates, and stores nothing.",
			"kubectl create deployment web --image=nginx --replicas=3 --dry-run=server",
			"kubectl run nginx --image=nginx --dry-run=server",
			"kubectl run nginx --image=nginx --dry-run=client",
			"kubectl create namespace dev --dry-run=server",
			"kubectl create configmap cfg --from-literal=a=1 --dry-run=server",
			"kubectl create service clusterip web --tcp=80 --dry-run=server",
			"run",
			"kubectl get all,ns,cm",
			"# Refused as a real write would be.",
			"kubectl create deployment Web --image=nginx --dry-run=server",
			"kubectl run Bad --image=nginx --dry-run=server",
			"kubectl create namespace default --dry-run=server",
			"kubectl create deployment web --image=nginx --dry-run=maybe",
			"# On stored objects: nothing changes.",
			"kubectl create deployment web --image=nginx --replicas=1",
			"run",
			"kubectl annotate deployment web note=dry --dry-run=server",
			`kubectl patch deployment web -p {"spec":{"replicas":-1}} --dry-run=server`,
			`kubectl patch deployment web -p {"spec":{"replicas":1}} --dry-run=server`,
			"kubectl expose deployment web --port=80 --dry-run=server",
			"kubectl delete deployment web --dry-run=server",
			"run",
			"kubectl get deploy,rs,svc",
			"kubectl get deploy web -o jsonpath={.metadata.annotations.note}{.spec.replicas}",
		}},
		{name: "patch", seed: 7, files: map[string]string{"patch.yaml": "spec:\n  template:\n    metadata:\n      labels:\n        tier: front\n", "bad.yaml": "spec: [\n"}, script: []string{
			"kubectl create deployment web --image=nginx --replicas=1",
			"run",
			`kubectl patch deployment web -p {"spec":{"replicas":2}}`,
			`kubectl patch deployment web -p {"spec":{"replicas":2}}`,
			`kubectl patch deployment/web -p {"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}`,
			`kubectl patch deployment web --type=merge -p {"metadata":{"labels":{"team":"a"}}}`,
			`kubectl patch deployment web --type=json -p [{"op":"replace","path":"/spec/replicas","value":3}]`,
			"kubectl patch deployment web --patch-file=patch.yaml",
			`kubectl patch deployment web -p {spec:{minReadySeconds:5}}`,
			`kubectl patch deployment web -p {"spec":{"replicas":9}} --dry-run=client`,
			`kubectl patch deployment web -p {"spec":{"replicas":9}} --dry-run=server`,
			"run",
			"kubectl get deploy web -o wide",
			"kubectl get deploy web --show-labels",
			"# Bad patches: the object stays as it was.",
			`kubectl patch deployment web -p {"spec":`,
			"kubectl patch deployment web --patch-file=bad.yaml",
			"kubectl patch deployment web --patch-file=missing.yaml",
			`kubectl patch deployment web -p {"spec":{"replica":3}}`,
			`kubectl patch deployment web -p {"spec":{"replicas":"three"}}`,
			`kubectl patch deployment web -p {"spec":{"replicas":-1}}`,
			`kubectl patch deployment web --type=json -p {"spec":{"replicas":3}}`,
			`kubectl patch deployment web --type=json -p [{"op":"replace","path":"/spec/nosuch/x","value":3}]`,
			`kubectl patch deployment web --type=strategic -p [{"op":"replace","path":"/spec/replicas","value":3}]`,
			`kubectl patch deployment web --type=merge -p [1]`,
			`kubectl patch deployment web --type=apply -p {}`,
			`kubectl patch deployment web -p {"metadata":{"name":"other"}}`,
			"kubectl patch deployment web",
			`kubectl patch deployment web -p {} --patch-file=patch.yaml`,
			`kubectl patch deployment nosuch -p {"spec":{"replicas":2}}`,
			`kubectl patch deployment -p {"spec":{"replicas":2}}`,
			`kubectl patch -p {"spec":{"replicas":2}}`,
			"kubectl get deploy web",
		}},
		{name: "service_ip", seed: 7, script: []string{
			"kubectl get svc kubernetes",
			"kubectl get ipaddresses",
			"kubectl describe ipaddress 10.96.0.1",
		}},
		{name: "cluster_info", seed: 7, script: []string{
			"kubectl version",
			"kubectl version --client",
			"# -o json and -o yaml hold this binary's Go version and platform: TestVersionJSON.",
			"kubectl version -o xml",
			"kubectl version extra",
			"kubectl cluster-info",
			"kubectl cluster-info dump",
			"kubectl api-versions",
			"kubectl api-resources",
			"kubectl api-resources --namespaced=false -o wide",
			"kubectl api-resources --api-group=apps -o name",
			"kubectl api-resources --sort-by=kind --no-headers",
			"kubectl api-resources --verbs=list,watch --categories=all",
			"kubectl api-resources -o json --api-group=coordination.k8s.io",
			"kubectl api-resources --sort-by=age",
			"kubectl api-resources -o table",
			"kubectl api-resources pods",
		}},
		{name: "output_options", seed: 7, files: map[string]string{"pods.yaml": labelledPodsYAML, "objs.yaml": moreTypesYAML,
			"cols.txt": "NAME IMAGE\n.metadata.name {.spec.containers[0].image}\n", "names.jsonpath": "{.items[*].metadata.name}\n",
			"bad-cols.txt": "NAME IMAGE\n.metadata.name\n"}, script: []string{
			"kubectl apply -f pods.yaml",
			"run",
			"kubectl get pods --show-labels",
			"kubectl get pods -L app,tier",
			"kubectl get pods -L app.kubernetes.io/name -L tier --show-labels",
			"kubectl get pods --sort-by=.metadata.name",
			"kubectl get pods --sort-by={.spec.containers[0].resources.requests.cpu} -o wide",
			"kubectl get pods,deploy --sort-by=.metadata.name",
			"kubectl get pods -o=jsonpath={.items[*].metadata.name}",
			"kubectl get pod cache -o jsonpath={.spec.containers[0].image}{\"\\n\"}",
			`kubectl get pods -o jsonpath={range.items[*]}{.metadata.name}{"\t"}{.spec.nodeName}{"\n"}{end}`,
			"kubectl get pods -o jsonpath-file=names.jsonpath",
			"kubectl get pod cache -o jsonpath-as-json={.metadata.labels}",
			"kubectl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,IMAGES:.spec.containers[*].image,MISSING:.spec.nosuch",
			"kubectl get pods -o custom-columns=NAME:{.metadata.name} --no-headers --sort-by=.spec.containers[0].resources.requests.cpu",
			"kubectl get pods -o custom-columns-file=cols.txt",
			"kubectl get pods -o name --sort-by=.metadata.name",
			"kubectl get pods nosuch cache -o jsonpath={.metadata.name}",
			"kubectl apply -f objs.yaml",
			"kubectl get endpoints",
			"kubectl get ep web -o jsonpath={.subsets[0].addresses[0].ip}",
			"kubectl describe endpoints web",
			"kubectl describe endpointslice web-abc",
			"# Bad input.",
			"kubectl get pods -o jsonpath={.items[",
			"kubectl get pods -o jsonpath=",
			"kubectl get pods -o jsonpath={.items[9]}",
			"kubectl get pods -o custom-columns=NAME",
			"kubectl get pods -o custom-columns=",
			"kubectl get pods -o custom-columns=NAME:{{.x}}",
			"kubectl get pods -o custom-columns-file=bad-cols.txt",
			"kubectl get pods -o custom-columns-file=nosuch.txt",
			"kubectl get pods -o go-template={{.kind}}",
			"kubectl get pods -o table",
			"kubectl get pods --sort-by=.spec.nosuch",
			"kubectl get pods --sort-by=.metadata.labels",
			"kubectl get pods --sort-by={.items[",
			"kubectl get pods -o name --sort-by={.items[",
			"kubectl get pods --show-labels -o yaml",
			"kubectl get pods -L app -o custom-columns=NAME:.metadata.name",
		}},
		{name: "watch", seed: 7, script: []string{
			"kubectl get pods -w",
			"kubectl create deployment web --image=nginx --replicas=2",
			"kubectl get pods --watch",
			"kubectl get deploy web -w",
			"kubectl scale deployment web --replicas=3",
			"kubectl get deploy web -w -o wide",
			"kubectl set image deployment/web nginx=nginx:1.27",
			"kubectl get rs --watch-only",
			"kubectl scale deployment web --replicas=1",
			"kubectl get pods -w -o name",
			"kubectl scale deployment web --replicas=2",
			"kubectl get pods --watch-only -o custom-columns=NAME:.metadata.name,PHASE:.status.phase,NODE:.spec.nodeName",
			"kubectl get pods -w -o jsonpath={.metadata.name}{\"\\n\"}",
			"# Bad input.",
			"kubectl get pods,svc -w",
			"kubectl get pods a b -w",
			"kubectl get pods nosuch -w",
			"kubectl get deploy -w --sort-by=.metadata.name",
			"kubectl get deploy --watch-only --sort-by=.metadata.name",
		}},
		{name: "services", seed: 7, script: []string{
			"# The issue's acceptance: three nginx pods behind a Service, then none.",
			"kubectl create deployment web --image=nginx --replicas=3",
			"run",
			"kubectl expose deployment web --port=80",
			"run",
			"curl web",
			"kubectl get endpointslices",
			"proxy node-1",
			"kubectl scale deployment web --replicas=0",
			"run",
			"curl web",
			"# What the controllers wrote, and the other views of the same Service.",
			"kubectl get endpointslices",
			"kubectl get endpointslices -o yaml",
			"kubectl describe service web",
			"kubectl get endpoints web",
			"kubectl scale deployment web --replicas=2",
			"run",
			"kubectl describe endpointslices -l kubernetes.io/service-name=web",
			"kubectl get endpoints web -o yaml",
			"proxy node-2 nftables",
			"nslookup web",
			"nslookup web.default.svc.cluster.local",
			"nslookup 10.96.0.1",
			"# Headless and NodePort Services.",
			"kubectl expose deployment web --name=web-headless --cluster-ip=None --port=80",
			"kubectl create service nodeport web-np --tcp=80:80 --node-port=30080",
			"kubectl create service nodeport other --tcp=8080:80",
			"run",
			"kubectl get svc",
			"nslookup web-headless",
			"kubectl get endpointslices",
			"curl -s -o /dev/null -w %{http_code}\\n 172.18.0.3:30080",
			"proxy node-1",
			"# Bad input.",
			"kubectl create service nodeport taken --tcp=80 --node-port=30080",
			"kubectl create service nodeport outside --tcp=80 --node-port=80",
			"kubectl create service clusterip 1bad --tcp=80",
			"curl web:81",
			"curl nosuch",
			"curl -X POST web",
			"curl http://web:99999",
			"nslookup nosuch",
			"kubectl delete service web web-headless web-np other",
			"run",
			"kubectl get endpointslices,endpoints",
		}},
		{name: "explain", seed: 7, script: []string{
			"kubectl explain pods",
			"kubectl explain deploy.spec.replicas",
			"kubectl explain deployments.apps.spec.strategy",
			"kubectl explain pods.spec.containers.resources --recursive",
			"kubectl explain svc.spec --recursive --max-depth=1",
			"kubectl explain pods.spec.containers.imagePullPolicy",
			"kubectl explain lease --api-version=coordination.k8s.io/v1",
			"# Bad input.",
			"kubectl explain pods.spec.nosuch",
			"kubectl explain foo",
			"kubectl explain",
			"kubectl explain pods svc",
			"kubectl explain pods --max-depth=2",
			"kubectl explain pods --recursive --max-depth=-1",
			"kubectl explain deploy --api-version=apps/v2",
			"kubectl explain pods..spec",
			"kubectl explain pods -o yaml",
			"kubectl explain pods -o plaintext-openapiv2",
		}},
		{name: "bad_input", seed: 7, files: map[string]string{
			"malformed.yaml": malformedYAML, "unknown-field.yaml": unknownFieldYAML, "unknown-kind.yaml": unknownKindYAML,
		}, script: []string{
			"kubectl foo",
			"kubectl gett pods",
			"kubectl edit deployment web",
			"kubectl port-forward pod/web 8080:80",
			"kubectl logz web",
			"kubectl get pods --bogus",
			"kubectl create deployment Web --image=nginx",
			"kubectl create deployment web --image=nginx --replicas=-1",
			"kubectl create deployment web",
			"kubectl get foos",
			"kubectl get pods nosuch",
			"kubectl describe pod nosuch",
			"kubectl delete pod nosuch",
			"kubectl scale deployment nosuch --replicas=2",
			"kubectl apply -f malformed.yaml",
			"kubectl apply -f unknown-field.yaml",
			"kubectl apply -f unknown-kind.yaml",
			"kubectl apply -f missing.yaml",
			"kubectl get pods",
			"kubectl",
			"kubectl get " + strings.Repeat("x", 100*1024),
			"kubectl " + strings.Repeat("y", 100*1024),
		}},
	}
}

func TestScenarios(t *testing.T) {
	for _, sc := range append(append(scenarios(), probeScenarios()...), containerScenarios()...) {
		t.Run(sc.name, func(t *testing.T) {
			got := runScenario(t, sc)
			golden := filepath.Join("testdata", "scenarios", sc.name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("transcript differs from %s (run with -update to accept):\n%s", golden, firstDifference(string(want), got))
			}
		})
	}
}

// runScenario plays a script against a fresh cluster and returns the transcript.
func runScenario(t testing.TB, sc scenario) string {
	t.Helper()
	c, err := cluster.New(cluster.DefaultConfig(sc.seed))
	if err != nil {
		t.Fatal(err)
	}
	k := NewFS(c, fakeFiles(sc.files, sc.special))
	loc, err := locales.New("en")
	if err != nil {
		t.Fatal(err)
	}
	k.SetTranslator(loc.T)
	var tr bytes.Buffer
	for _, line := range sc.script {
		switch {
		case strings.HasPrefix(line, "#"):
			tr.WriteString(line + "\n")
		case line == "run":
			entries := c.Run(0)
			fmt.Fprintf(&tr, "$ run\n(%d steps, now %s)\n", len(entries), c.Clock().Now().Format("15:04:05.000"))
		case strings.HasPrefix(line, "step "):
			n, err := strconv.Atoi(strings.TrimPrefix(line, "step "))
			if err != nil {
				t.Fatalf("bad directive %q", line)
			}
			fmt.Fprintf(&tr, "$ %s\n", line)
			for range n {
				e, ok := c.Step()
				if !ok {
					tr.WriteString("(idle)\n")
					break
				}
				tr.WriteString(traceLine(e) + "\n")
			}
		case strings.HasPrefix(line, "wait "):
			d, err := time.ParseDuration(strings.TrimPrefix(line, "wait "))
			if err != nil {
				t.Fatalf("bad directive %q", line)
			}
			entries, _ := c.Wait(d, 0)
			fmt.Fprintf(&tr, "$ %s\n", line)
			routine := 0
			for _, e := range entries {
				if e.Trigger.Routine && len(e.Notes) == 0 && !hasEvents(e) {
					routine++
					continue
				}
				tr.WriteString(traceLine(e) + "\n")
			}
			fmt.Fprintf(&tr, "(%d steps, %d of them routine heartbeats, now %s)\n", len(entries), routine, c.Clock().Now().Format("15:04:05.000"))
		case strings.HasPrefix(line, "fault node "):
			f := strings.Fields(line)
			if len(f) != 4 {
				t.Fatalf("bad directive %q", line)
			}
			if _, err := c.SetNodeDown(f[2], f[3] == "down"); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&tr, "$ %s\n", line)
		case strings.HasPrefix(line, "fault "):
			fmt.Fprintf(&tr, "$ %s\n%s\n", line, faultDirective(c, strings.Fields(line)[1:]))
		case strings.HasPrefix(line, "curl ") || strings.HasPrefix(line, "nslookup "):
			// The sandbox's network tools, run from its shell on node-1.
			tr.WriteString("$ " + line + "\n")
			words := strings.Fields(line)
			var stdout, stderr string
			var code int
			if words[0] == "curl" {
				r := c.Curl(c.SandboxClient(), words[1:])
				stdout, stderr, code = r.Stdout, r.Stderr, r.Exit
			} else {
				r := c.NSLookup(c.SandboxClient(), words[1:])
				stdout, stderr, code = r.Stdout, r.Stderr, r.Exit
			}
			tr.WriteString(stdout)
			if stderr != "" {
				tr.WriteString("[stderr]\n" + stderr)
			}
			if code != 0 {
				fmt.Fprintf(&tr, "[exit %d]\n", code)
			}
		case strings.HasPrefix(line, "proxy "):
			// A node's kube-proxy rules: "proxy NODE [iptables|nftables]".
			tr.WriteString("$ " + line + "\n")
			words := strings.Fields(line)
			mode := proxy.DefaultMode
			if len(words) > 2 {
				mode = proxy.Mode(words[2])
			}
			rules, ok := c.ProxyRules(words[1], mode)
			if !ok {
				t.Fatalf("no node in %q", line)
			}
			tr.WriteString(strings.Join(rules, "\n") + "\n")
		case line == "kubectl" || strings.HasPrefix(line, "kubectl "):
			tr.WriteString(elide("$ "+line) + "\n")
			var out, errOut bytes.Buffer
			args := strings.Fields(strings.TrimPrefix(line, "kubectl"))
			if strings.Contains(line, "'") {
				// A quoted argument (sh -c '…'): split as the sandbox does, quotes honoured.
				if args, err = shellquote.Split(strings.TrimPrefix(line, "kubectl")); err != nil {
					t.Fatalf("bad quoting in %q: %v", line, err)
				}
			}
			code := k.Run(args, Streams{Out: &out, ErrOut: &errOut})
			c.Flush()
			writeElided(&tr, out.String())
			if errOut.Len() > 0 {
				tr.WriteString("[stderr]\n")
				writeElided(&tr, errOut.String())
			}
			if code != 0 {
				fmt.Fprintf(&tr, "[exit %d]\n", code)
			}
		default:
			t.Fatalf("unknown script line %q", line)
		}
	}
	return tr.String()
}

// hasEvents reports whether a step recorded events (a heartbeat that changed something does).
func hasEvents(e cluster.TraceEntry) bool {
	for _, w := range e.Writes {
		if w.Resource == "events" {
			return true
		}
	}
	return false
}

// traceLine renders one step compactly: time, component, what woke it, what it wrote.
func traceLine(e cluster.TraceEntry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", e.Time.Format("15:04:05.000"), e.Component)
	switch {
	case e.Trigger.EventType != "":
		fmt.Fprintf(&b, " <- %s %s/%s", e.Trigger.EventType, e.Trigger.Resource, e.Trigger.Name)
	case e.Trigger.Note != "":
		fmt.Fprintf(&b, " <- %s", e.Trigger.Note)
		if call, ok := e.Trigger.Args["Call"]; ok {
			fmt.Fprintf(&b, " %v", call)
		} else if ev, ok := e.Trigger.Args["Event"]; ok {
			fmt.Fprintf(&b, " %v", ev)
		}
	}
	for _, w := range e.Writes {
		b.WriteString(" | " + writeString(w))
	}
	for _, n := range e.Notes {
		b.WriteString(" | note " + n.ID)
	}
	return b.String()
}

func writeString(w apiserver.Write) string {
	res := w.Resource
	if w.Subresource != "" {
		return fmt.Sprintf("%s %s/%s/%s", w.Verb, res, w.Name, w.Subresource)
	}
	return fmt.Sprintf("%s %s/%s", w.Verb, res, w.Name)
}

// elide shortens very long lines so a 100 KB argument does not make a 100 KB golden file.
func elide(line string) string {
	const keep = 40
	if len(line) <= 400 {
		return line
	}
	return fmt.Sprintf("%s…[%d bytes]…%s", line[:keep], len(line)-2*keep, line[len(line)-keep:])
}

func writeElided(b *bytes.Buffer, text string) {
	if text == "" {
		return
	}
	lines := strings.SplitAfter(text, "\n")
	for _, l := range lines {
		nl := strings.HasSuffix(l, "\n")
		l = elide(strings.TrimSuffix(l, "\n"))
		b.WriteString(l)
		if nl {
			b.WriteString("\n")
		}
	}
	if !strings.HasSuffix(text, "\n") {
		b.WriteString("[no newline at end]\n")
	}
}

// fakeFiles serves -f files from a map.
func fakeFiles(files map[string]string, special map[string]fs.FileMode) Files {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	for name, mode := range special {
		fsys[name] = &fstest.MapFile{Mode: mode}
	}
	return fsys
}

func podYAML(name string) string {
	return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\nspec:\n  containers:\n  - name: app\n    image: nginx\n"
}

// firstDifference shows the first line where two transcripts differ, with a little context.
func firstDifference(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant: %q\ngot:  %q", i+1, w, g)
		}
	}
	return "(identical lines, different endings)"
}

// TestReadFileFunc: files served by a function are regular files; a name it cannot read does
// not exist.
func TestReadFileFunc(t *testing.T) {
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	k := New(c, func(name string) ([]byte, error) {
		if name != "pod.yaml" {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		}
		return []byte(podYAML("a")), nil
	})
	for _, tc := range []struct{ args, out, err string }{
		{"apply -f pod.yaml", "pod/a created\n", ""},
		{"create -f nosuch.yaml", "", "error: the path \"nosuch.yaml\" does not exist\n"},
	} {
		var out, errOut bytes.Buffer
		k.Run(strings.Fields(tc.args), Streams{Out: &out, ErrOut: &errOut})
		if out.String() != tc.out || errOut.String() != tc.err {
			t.Errorf("kubectl %s: stdout %q, stderr %q; want %q, %q", tc.args, out.String(), errOut.String(), tc.out, tc.err)
		}
	}
}
