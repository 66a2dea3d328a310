package deployment

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/dump"
	"k8s.io/apimachinery/pkg/util/rand"
	"sigs.k8s.io/randfill"
	"sigs.k8s.io/yaml"

	"github.com/k8slearn/k8slearn/engine/validation"
)

// The tests hold ComputeHash to kube-controller-manager's controller.ComputeHash, which hashes
// dump.ForHash's text (go-spew).

// referenceHash is kube-controller-manager's pod-template-hash.
func referenceHash(template *corev1.PodTemplateSpec, collisionCount *int32) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%v", dump.ForHash(*template))
	if collisionCount != nil {
		buf := make([]byte, 8)
		binary.LittleEndian.PutUint32(buf, uint32(*collisionCount))
		h.Write(buf)
	}
	return rand.SafeEncodeString(fmt.Sprint(h.Sum32()))
}

// collisionCounts are the collision counts each template is hashed with.
func collisionCounts() []*int32 {
	counts := []*int32{nil}
	for _, n := range []int32{0, 1, 2, 7, -1, math.MaxInt32, math.MinInt32} {
		counts = append(counts, &n)
	}
	return counts
}

func checkSameHash(t *testing.T, name string, tmpl *corev1.PodTemplateSpec) {
	t.Helper()
	for _, count := range collisionCounts() {
		if got, want := ComputeHash(tmpl, count), referenceHash(tmpl, count); got != want {
			t.Fatalf("%s, collision count %v: ComputeHash %s, kube-controller-manager %s", name, count, got, want)
		}
	}
}

func TestComputeHashMatchesReferenceOnEngineTemplates(t *testing.T) {
	for name, tmpl := range engineTemplates(t) {
		checkSameHash(t, name, tmpl)
	}
}

// TestComputeHashOfTranscripts pins the hashes the golden transcripts show.
func TestComputeHashOfTranscripts(t *testing.T) {
	templates := engineTemplates(t)
	for name, want := range map[string]string{
		"create deployment web --image=nginx":                             "64c966cf88",
		"create deployment web --image=nginx, set image nginx=nginx:1.27": "58b8db8774",
	} {
		if got := ComputeHash(templates[name], nil); got != want {
			t.Errorf("%s: hash %s, want %s", name, got, want)
		}
	}
}

func TestComputeHashMatchesReferenceOnRandomTemplates(t *testing.T) {
	seeds := 100
	for seed := range int64(seeds) {
		var tmpl corev1.PodTemplateSpec
		randfill.NewWithSeed(seed).NilChance([]float64{0.2, 0.5, 0.9}[seed%3]).NumElements(0, 3).
			Funcs(func(q *resource.Quantity, c randfill.Continue) {
				*q = *resource.NewScaledQuantity(c.Int63n(1<<40), resource.Scale(c.Intn(30)-15))
			}).Fill(&tmpl)
		checkSameHash(t, fmt.Sprint("seed ", seed), &tmpl)
	}
}

// engineTemplates are pod templates as the engine stores them (defaulted by the API server):
// from kubectl create deployment and set image, and from the manifests of the lessons and tests.
func engineTemplates(t *testing.T) map[string]*corev1.PodTemplateSpec {
	t.Helper()
	templates := map[string]*corev1.PodTemplateSpec{}
	// kubectl create deployment NAME --image=... [--port=...] [-- COMMAND...], as engine/kubectl builds it.
	created := func(name string, port int32, command []string, images ...string) *appsv1.Deployment {
		labels := map[string]string{"app": name}
		var ctrs []corev1.Container
		for _, img := range images {
			ctr := corev1.Container{Name: strings.SplitN(img[strings.LastIndex(img, "/")+1:], ":", 2)[0], Image: img}
			if port >= 0 {
				ctr.Ports = []corev1.ContainerPort{{ContainerPort: port}}
			}
			ctrs = append(ctrs, ctr)
		}
		if len(ctrs) == 1 {
			ctrs[0].Command = command
		}
		return &appsv1.Deployment{
			ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
			Spec: appsv1.DeploymentSpec{
				Selector: &metav1.LabelSelector{MatchLabels: labels},
				Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: corev1.PodSpec{Containers: ctrs}},
			},
		}
	}
	add := func(name string, d *appsv1.Deployment) {
		validation.DefaultDeployment(d)
		templates[name] = &d.Spec.Template
	}
	add("create deployment web --image=nginx", created("web", -1, nil, "nginx"))
	add("create deployment hello --image=nginx", created("hello", -1, nil, "nginx"))
	// set image changes the stored, defaulted template: imagePullPolicy stays Always.
	updated := created("web", -1, nil, "nginx")
	validation.DefaultDeployment(updated)
	updated.Spec.Template.Spec.Containers[0].Image = "nginx:1.27"
	add("create deployment web --image=nginx, set image nginx=nginx:1.27", updated)
	add("create deployment api --image=registry.k8s.io/pause:3.10 --port=8080", created("api", 8080, nil, "registry.k8s.io/pause:3.10"))
	add("create deployment multi --image=nginx --image=redis:7", created("multi", -1, nil, "nginx", "redis:7"))
	add("create deployment sleeper --image=busybox:1.36 -- sleep 3600", created("sleeper", -1, []string{"sleep", "3600"}, "busybox:1.36"))

	manifests := map[string]string{"scenario apply web.yaml": scenarioDeploymentYAML, "kitchen sink": kitchenSinkYAML}
	for _, file := range []string{"../../validation/testdata/deployment-web.yaml"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		manifests[file] = string(data)
	}
	for name, manifest := range manifests {
		var d appsv1.Deployment
		if err := yaml.UnmarshalStrict([]byte(manifest), &d); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		add(name, &d)
	}
	return templates
}

// scenarioDeploymentYAML is web.yaml of engine/kubectl's apply scenario.
const scenarioDeploymentYAML = `apiVersion: apps/v1
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

// kitchenSinkYAML has a bit of everything a pod template can say.
const kitchenSinkYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: sink
spec:
  selector:
    matchLabels: {app: sink}
  template:
    metadata:
      labels: {app: sink, tier: "front end"}
      annotations:
        note: "say \"hi\" — ☃\nsecond line"
        empty: ""
    spec:
      volumes:
      - name: cache
        emptyDir: {medium: Memory, sizeLimit: 1Gi}
      - name: config
        configMap:
          name: cfg
          items: [{key: a, path: a.txt}]
      - name: token
        projected:
          sources:
          - serviceAccountToken: {path: token, expirationSeconds: 3600}
          - downwardAPI:
              items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]
      initContainers:
      - name: init
        image: busybox
        command: [sh, -c, "echo 'hi' \"there\""]
      containers:
      - name: app
        image: nginx:1.27
        args: []
        ports:
        - {name: http, containerPort: 8080}
        - {containerPort: 53, protocol: UDP, hostPort: 53}
        envFrom:
        - configMapRef: {name: cfg}
          prefix: P_
        env:
        - {name: PLAIN, value: v}
        - name: POD_NAME
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        - name: LIMIT
          valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}
        - name: SECRET
          valueFrom: {secretKeyRef: {name: s, key: k, optional: true}}
        resources:
          limits: {cpu: "0.5", memory: 128Mi, nvidia.com/gpu: 1}
          requests: {cpu: 100m, memory: "134217728", ephemeral-storage: 1e3}
        volumeMounts:
        - {name: cache, mountPath: /cache, readOnly: true}
        livenessProbe:
          httpGet: {path: /healthz, port: 8080, httpHeaders: [{name: X-Check, value: "1"}]}
          initialDelaySeconds: 3
        readinessProbe:
          tcpSocket: {port: http}
        startupProbe:
          grpc: {port: 9090}
          terminationGracePeriodSeconds: 5
        lifecycle:
          preStop: {exec: {command: [sleep, "5"]}}
          postStart: {sleep: {seconds: 1}}
        securityContext:
          capabilities: {add: [NET_ADMIN]}
          runAsUser: 1000
          runAsNonRoot: true
          allowPrivilegeEscalation: false
          seccompProfile: {type: RuntimeDefault}
        stdin: true
        tty: true
      nodeSelector: {disk: ssd}
      serviceAccountName: default
      automountServiceAccountToken: false
      securityContext:
        fsGroup: 2000
        sysctls: [{name: net.ipv4.ip_forward, value: "1"}]
      imagePullSecrets: [{name: regcred}]
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions: [{key: zone, operator: In, values: [a, b]}]
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              topologyKey: kubernetes.io/hostname
              labelSelector: {matchLabels: {app: sink}}
      tolerations:
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
      - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}
      - {operator: Exists}
      hostAliases: [{ip: 127.0.0.1, hostnames: [foo.local]}]
      dnsConfig:
        nameservers: [1.1.1.1]
        options: [{name: ndots, value: "2"}, {name: edns0}]
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {}}
      overhead: {}
`
