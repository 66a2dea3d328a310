package kubectl

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/registry"
)

// bigNumber spots counts that would only make an input slow (a deployment of a million
// replicas), not find a crash.
var bigNumber = regexp.MustCompile(`[0-9]{5,}`)

// FuzzKubectlArgs runs up to four command lines (one per input line, split on spaces) against a
// fresh cluster, letting the control plane act after each: nothing may panic, and every command
// must end with exit status 0, 1 or 2.
func FuzzKubectlArgs(f *testing.F) {
	for _, sc := range scenarios() {
		for _, line := range sc.script {
			if strings.HasPrefix(line, "kubectl ") && len(line) < 200 {
				f.Add(strings.TrimPrefix(line, "kubectl "))
			}
		}
	}
	for _, s := range []string{
		"", " ", "get", "get pods,deploy,rs,svc,no,ns,ev -o wide", "get all -A --show-labels",
		"get pods -l 'app in (web' --field-selector spec.nodeName=node-1", "get pods -o jsonpath={.items}",
		"create deployment web --image=nginx --replicas=2\nscale deploy web --replicas=0\ndelete deploy web --cascade=foreground",
		"create deployment web --image=nginx\nset image deployment/web nginx=nginx:1.27\nrollout status deployment/web",
		"run x --image=busybox --restart=Never --port=70000 -- sh -c true", "run x --image= --env=A",
		"label pods --all a=b", "label node node-1 kubernetes.io/hostname-", "taint nodes node-1 :NoSchedule",
		"taint node node-1 a=b:Bogus", "delete pods --all --grace-period=0 --force", "delete node node-1",
		"describe node", "describe pods web", "scale rs x --replicas=3", "get deployment.v1.apps/web",
		"get pod/", "get /x", "create deployment a,b --image=nginx", "cordon", "uncordon node-9",
		"apply -f x.yaml", "create -f", "--namespace=kube-system get pods", "-n nosuch run x --image=y",
		"delete namespace default", "get pods -o name --no-headers", "rollout status rs/x", "set image pod/x *=busybox",
		"create deployment web --image=nginx\nset image deploy/web nginx=b\nrollout undo deploy/web --to-revision=1\nrollout history deploy/web --revision=2",
		"create deployment web --image=nginx\nrollout pause deploy/web\nrollout restart deploy/web\nrollout resume deploy",
		"create deployment web --image=nginx\npatch deploy web --type=json -p [{\"op\":\"remove\",\"path\":\"/spec/template\"}]",
		"create deployment web --image=nginx\npatch deploy web -p {\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"$patch\":\"delete\"}]}}}}",
		"create deployment web --image=nginx --port=80\nexpose deploy web --type=NodePort\nexpose svc web --name=b --port=x",
		"create secret generic s --from-literal=a==\ncreate cm c --from-file==\ncreate service nodeport n --tcp=:",
		"annotate pods --all a=b- c-\nannotate node node-1 --list\ndelete pod x --dry-run=server",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		if len(input) > 4096 || bigNumber.MatchString(input) {
			t.Skip()
		}
		c, err := cluster.New(cluster.DefaultConfig(1))
		if err != nil {
			t.Fatal(err)
		}
		k := NewFS(c, fakeFiles(map[string]string{"x.yaml": deploymentYAML}, nil))
		lines := strings.Split(input, "\n")
		if len(lines) > 4 {
			lines = lines[:4]
		}
		for _, line := range lines {
			var out, errOut bytes.Buffer
			code := k.Run(strings.Fields(line), Streams{Out: &out, ErrOut: &errOut})
			if code < 0 || code > 2 {
				t.Fatalf("kubectl %q: exit %d", line, code)
			}
			c.Run(5000)
		}
		// Whatever kubectl did, the cluster must still answer.
		if _, _, err := c.API().Client("fuzz").List("pods", "", apiserver.ListOptions{}); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzDecodeManifests feeds arbitrary bytes to the -f parser: it may reject them, never panic,
// and every document it accepts has a kind, a resource and an object.
func FuzzDecodeManifests(f *testing.F) {
	for _, m := range []string{bigPodYAML, selectorPodYAML, tolerantPodYAML, malformedYAML, unknownFieldYAML,
		unknownKindYAML, deploymentYAML} {
		f.Add([]byte(m))
	}
	for _, s := range []string{
		"", "---", "--- \n---\n", "# only a comment\n", "null", "[]", "{}", "42", "kind: Pod", "apiVersion: v1",
		"apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n",
		`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"j"},"spec":{"containers":[{"name":"a","image":"b"}]}}`,
		"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n",
		"apiVersion: v1\nkind: Pod\nspec:\n  containers: 7\n",
		"apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 1e400\n",
		"apiVersion: v1\nkind: Pod\nmetadata: &a {name: *a}\n",
		"a: &a [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
		"apiVersion: v1\nkind: List\nitems: []\n", "\t\x00\xff",
	} {
		f.Add([]byte(s))
	}
	reg := registry.New()
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := decodeManifests(data, reg)
		if err != nil {
			return
		}
		for _, d := range docs {
			if d.err != nil {
				_ = manifestError(d, "f.yaml", true)
				continue
			}
			if d.res == nil || d.obj == nil || d.kind == "" || d.apiVersion == "" {
				t.Fatalf("accepted document without kind, resource or object: %+v", d)
			}
		}
	})
}
