package main

import (
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// heavyPackages are what a start of k8slearn must never link: each is heavy at start-up (package
// inits that register, compile or allocate; megabytes of code to page in) and none does anything
// the program needs. A key matches the package and everything below it. The budget itself (5x a
// static hello-world) is measured by .ci/startup, not by a test.
//
// Not listed, on purpose: client-go (a real cluster behind a kubeconfig is the second cluster
// implementation DESIGN.md plans, and it needs client-go; whether its typed clientset, which
// registers every API group, fits the budget is for that work to measure), and what
// apimachinery's strategicpatch links (kube-openapi's proto model, gnostic-models, protobuf,
// go-openapi, yaml.v3): the strategic merge patch needs them.
var heavyPackages = map[string]string{
	// Kubernetes' own servers and their frameworks: the engine is their miniature, on purpose.
	"k8s.io/apiserver":         "the real API server library (admission, authentication, etcd storage; metrics and feature gates set up at init); engine/apiserver and engine/httpapi are the miniature",
	"k8s.io/component-base":    "component configuration: feature gates, metrics and logging configuration; k8slearn has no components to configure",
	"go.etcd.io/etcd":          "etcd and its client; engine/store is the miniature etcd",
	"google.golang.org/grpc":   "resolvers, balancers and codecs registered at init; the container runtime and etcd are simulated in-process",
	"github.com/google/cel-go": "the CEL implementation (an ANTLR parser, its standard library: megabytes of code); validation is ported by hand",
	// Observability nobody reads in a tutor.
	"github.com/prometheus/client_golang": "registers process and Go collectors at init; nothing scrapes k8slearn",
	"go.opentelemetry.io":                 "a tracing SDK; there is nowhere to send spans",
	// Debug endpoints: serve must never expose them.
	"net/http/pprof": "registers /debug/pprof handlers on http.DefaultServeMux at init",
	"expvar":         "registers /debug/vars on http.DefaultServeMux at init",
	// The API server's OpenAPI service: engine/httpapi builds its document, and the protobuf form
	// is generated ahead of time (go generate ./engine/httpapi).
	"github.com/emicklei/go-restful":                                    "kube-apiserver's REST framework; engine/httpapi routes by itself",
	"k8s.io/kube-openapi/pkg/builder":                                   "the OpenAPI v2 builder over go-restful",
	"k8s.io/kube-openapi/pkg/builder3":                                  "the OpenAPI v3 builder over go-restful",
	"k8s.io/kube-openapi/pkg/handler":                                   "the OpenAPI v2 HTTP service (and its gzip, caching and Prometheus dependencies)",
	"k8s.io/kube-openapi/pkg/handler3":                                  "the OpenAPI v3 HTTP service",
	"github.com/k8slearn/k8slearn/engine/httpapi/internal/openapiproto": "the OpenAPI v2 protobuf conversion runs at go generate time; the server embeds its output",
	// kubectl itself: the sandbox's kubectl is the subset in engine/kubectl.
	"k8s.io/kubectl/pkg/cmd": "the whole kubectl command tree, with cli-runtime and every API group's scheme",
	"sigs.k8s.io/kustomize":  "kustomize (kubectl -k), which k8slearn does not offer",
}

// TestStartUpLinksNoHeavyPackage lists what cmd/k8slearn links (go list -deps) and fails on any
// heavy package, naming the chain of imports that brought it in.
func TestStartUpLinksNoHeavyPackage(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command(goBin, "list", "-deps", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	imports := map[string][]string{}
	var root string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		imports[fields[0]] = fields[1:]
		root = fields[0] // go list -deps prints the package itself last
	}
	if len(imports) < 50 {
		t.Fatalf("go list -deps found only %d packages", len(imports))
	}
	var found []string
	for pkg := range imports {
		if key, ok := heavy(pkg); ok {
			found = append(found, pkg+" ("+heavyPackages[key]+")\n    linked through "+strings.Join(importChain(imports, root, pkg), " → "))
		}
	}
	sort.Strings(found)
	for _, f := range found {
		t.Errorf("k8slearn links %s", f)
	}
}

// heavy reports the key of heavyPackages that pkg falls under.
func heavy(pkg string) (string, bool) {
	for key := range heavyPackages {
		if pkg == key || strings.HasPrefix(pkg, key+"/") {
			return key, true
		}
	}
	return "", false
}

// importChain is a shortest chain of imports from root to pkg.
func importChain(imports map[string][]string, root, pkg string) []string {
	parent := map[string]string{root: ""}
	queue := []string{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p == pkg {
			var chain []string
			for ; p != ""; p = parent[p] {
				chain = append([]string{p}, chain...)
			}
			return chain
		}
		for _, next := range imports[p] {
			if _, seen := parent[next]; !seen {
				parent[next] = p
				queue = append(queue, next)
			}
		}
	}
	return []string{root, "…", pkg}
}
