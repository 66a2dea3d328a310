package lesson

import (
	"path"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
)

// The sandbox's own commands (curl, nslookup, proxy, fault, wait) on a real cluster, each done
// the way it is done there, or skipped with a note when a lesson cannot do it.

// clientPod is the pod curl and nslookup run from on a real cluster, and its image: nginx's
// Alpine image has curl, and BusyBox's nslookup.
const (
	clientPod   = "client"
	clientImage = "nginx:alpine"
)

// unobservable are the components a real cluster does not show through its API: kube-proxy
// writes its rules into each node's kernel, and reports no Event.
var unobservable = []string{"kube-proxy"}

// sandboxCommand does a lesson's sandbox command; false when args is not one.
func (r *RealBackend) sandboxCommand(line string, args []string) bool {
	switch args[0] {
	case "curl", "nslookup":
		r.fromInside(args)
	case "proxy":
		node := ""
		if len(args) > 1 {
			node = args[1]
		}
		r.say(r.t("real.run.proxy", map[string]any{"Node": node}))
	case "fault":
		r.fault(line, args[1:])
	case "wait":
		r.waitReal(args[1:])
	default:
		return false
	}
	return true
}

// run shows a command it runs for the lesson, then runs it.
func (r *RealBackend) run(line string) {
	r.println(r.cfg.Style.Dim("$ " + line))
	r.Exec(line)
}

// fromInside runs curl or nslookup where they work on a real cluster: inside it, in a pod of the
// lesson's namespace (kubectl exec), started the first time.
func (r *RealBackend) fromInside(args []string) {
	if !r.toldInside {
		r.toldInside = true
		r.say(r.t("real.run.inside", map[string]any{"Pod": clientPod, "Image": clientImage}))
	}
	if !r.clientRunning() {
		return
	}
	r.run("kubectl exec " + clientPod + " -- " + quoteLine(args))
}

// clientRunning starts the client pod if it does not exist, and waits (at most Patience) until it
// runs.
func (r *RealBackend) clientRunning() bool {
	api, ns := r.cfg.Cluster.API(), r.cfg.Cluster.Namespace()
	if _, err := api.Get("pods", ns, clientPod); apierrors.IsNotFound(err) {
		r.run("kubectl run " + clientPod + " --image=" + clientImage)
	}
	deadline := r.cfg.Now().Add(r.cfg.Patience)
	for {
		obj, err := api.Get("pods", ns, clientPod)
		if err == nil && printers.PodStatus(obj.(*corev1.Pod)) == "Running" {
			return true
		}
		if !r.cfg.Now().Before(deadline) {
			r.say(r.t("real.run.client_not_running", map[string]any{"Pod": clientPod, "Seconds": int(r.cfg.Patience.Seconds())}))
			return false
		}
		<-r.cfg.After(100 * time.Millisecond)
	}
}

// fault causes, for real and in the lesson's namespace, the faults a lesson may cause there: a
// pod deleted, a readiness probe that fails. The others (a node down, an image gone, a crash) are
// not a lesson's to cause on a real cluster.
func (r *RealBackend) fault(line string, args []string) {
	switch {
	case len(args) >= 3 && args[0] == "pod" && args[2] == "delete":
		r.run("kubectl delete pod " + args[1] + " --wait=false")
	case len(args) >= 3 && args[0] == "probe" && (args[len(args)-1] == "fail" || args[len(args)-1] == "pass"):
		r.probeFault(args[1], args[2:len(args)-1], args[len(args)-1] == "fail")
	case len(args) >= 3 && args[0] == "node":
		r.say(r.t("real.run.node_fault", map[string]any{"Node": args[1]}))
	default:
		r.say(r.t("real.run.fault_skipped", map[string]any{"Command": line}))
	}
}

// probeFault makes a pod's readiness probe fail, or pass again, from inside its container, as one
// does on a real cluster: the file the probe reads (an exec probe's, or the page an HTTP probe
// asks nginx for) is removed, then created again.
func (r *RealBackend) probeFault(pod string, container []string, fail bool) {
	obj, err := r.cfg.Cluster.API().Get("pods", r.cfg.Cluster.Namespace(), strings.TrimPrefix(pod, "pod/"))
	if err != nil {
		r.println(err.Error())
		return
	}
	p := obj.(*corev1.Pod)
	name := ""
	if len(container) > 0 {
		name = container[0]
	}
	file, cname := probeFile(p, name)
	if file == "" {
		r.say(r.t("real.run.probe_cannot", map[string]any{"Pod": p.Name}))
		return
	}
	id, cmd := "real.run.probe_fail", "rm"
	if !fail {
		id, cmd = "real.run.probe_pass", "touch"
	}
	r.say(r.t(id, map[string]any{"Pod": p.Name, "File": file}))
	r.run("kubectl exec " + p.Name + " -c " + cname + " -- " + cmd + " " + file)
}

// probeFile is the file that makes the readiness probe of a container (the first, or the one
// named) pass: what its exec probe reads (cat FILE, test -e FILE), or, for an HTTP probe on
// nginx's image, the page it asks for under nginx's document root. "" when it is not known.
func probeFile(p *corev1.Pod, container string) (file, name string) {
	for _, c := range p.Spec.Containers {
		if container != "" && c.Name != container {
			continue
		}
		pr := c.ReadinessProbe
		if pr == nil {
			return "", c.Name
		}
		if pr.Exec != nil {
			cmd := pr.Exec.Command
			if len(cmd) >= 2 && (path.Base(cmd[0]) == "cat" || path.Base(cmd[0]) == "test" || path.Base(cmd[0]) == "ls") {
				return cmd[len(cmd)-1], c.Name
			}
			return "", c.Name
		}
		repo, _, _ := strings.Cut(path.Base(c.Image), ":")
		if pr.HTTPGet != nil && repo == "nginx" {
			page := path.Join("/usr/share/nginx/html", path.Clean("/"+pr.HTTPGet.Path))
			if strings.HasSuffix(pr.HTTPGet.Path, "/") || pr.HTTPGet.Path == "" {
				page = path.Join(page, "index.html")
			}
			return page, c.Name
		}
		return "", c.Name
	}
	return "", container
}

// waitReal lets real time pass: at most the duration asked, telling what the cluster does, and
// less once a Service's endpoints changed and then nothing that changes them arrived for Quiet.
func (r *RealBackend) waitReal(args []string) {
	if len(args) != 1 {
		r.println(r.t("sandbox.usage.wait"))
		return
	}
	d, err := time.ParseDuration(args[0])
	if err != nil || d <= 0 {
		r.println(r.t("sandbox.wait_bad", map[string]any{"Value": args[0]}))
		return
	}
	r.say(r.t("real.run.wait", map[string]any{"Duration": d.String()}))
	start := r.cfg.Now()
	deadline := start.Add(d)
	var routed time.Time // when the last observation that changed a Service's endpoints was told
	for {
		for {
			ob, ok := r.tell()
			if !ok {
				break
			}
			if ob.Routing && !ob.At.Before(start) {
				routed = ob.At
			}
		}
		now := r.cfg.Now()
		if !now.Before(deadline) || (!routed.IsZero() && now.Sub(routed) >= r.cfg.Quiet) {
			break
		}
		next := deadline.Sub(now)
		if !routed.IsZero() {
			next = min(next, r.cfg.Quiet-now.Sub(routed))
		}
		r.wait(next)
	}
	r.say(r.t("real.run.waited", map[string]any{"Seconds": int(r.cfg.Now().Sub(start).Round(time.Second).Seconds())}))
}

// clusterScoped is the cluster-scoped resource (other than nodes) a kubectl get or describe would
// read, outside the lesson's namespace; "" for anything else.
func (r *RealBackend) clusterScoped(args []string) string {
	if len(args) < 2 || (args[0] != "get" && args[0] != "describe") {
		return ""
	}
	for _, a := range args[1:] {
		if strings.HasPrefix(a, "-") {
			continue
		}
		for _, name := range strings.Split(strings.SplitN(a, "/", 2)[0], ",") {
			res, ok := r.cfg.Cluster.Registry().Lookup(name)
			if ok && !res.Namespaced && res.Name != "nodes" {
				return res.Name
			}
		}
		return ""
	}
	return ""
}

// otherNamespace is the namespace other than the lesson's a kubectl command names (-n,
// --namespace; "*" for --all-namespaces), which the lesson never reads on a real cluster; "" when
// it stays in the lesson's.
func (r *RealBackend) otherNamespace(args []string) string {
	own := r.cfg.Cluster.Namespace()
	for i, a := range args {
		ns := ""
		switch {
		case a == "-A" || a == "--all-namespaces":
			return "*"
		case (a == "-n" || a == "--namespace") && i+1 < len(args):
			ns = args[i+1]
		case strings.HasPrefix(a, "--namespace="):
			ns = strings.TrimPrefix(a, "--namespace=")
		case strings.HasPrefix(a, "-n") && len(a) > 2 && !strings.HasPrefix(a, "--"):
			ns = strings.TrimPrefix(a, "-n")
		}
		if ns != "" && ns != own {
			return ns
		}
	}
	return ""
}

// advancesUnseen reports whether a step waits for a component a real cluster does not show.
func advancesUnseen(how string) bool {
	kind, _, _ := strings.Cut(how, "/")
	return slices.Contains(unobservable, kind)
}

// quoteLine joins words into a command line a shell (and the sandbox's kubectl) splits back into
// the same words.
func quoteLine(words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		if w != "" && !strings.ContainsAny(w, " \t\n'\"\\$`{}*?[]#~&|;<>()%") {
			out[i] = w
			continue
		}
		out[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
	}
	return strings.Join(out, " ")
}
