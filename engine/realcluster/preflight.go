package realcluster

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"

	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The Kubernetes minor versions the lessons are written for: outside them a lesson runs, with a
// warning (names, events and columns may differ from what it teaches).
const (
	oldestMinor = 33
	newestMinor = 37
)

// Report is what Preflight found out about the cluster.
type Report struct {
	Server     string
	GitVersion string
	// VersionWarning is set when the server's version lies outside v1.33–v1.37.
	VersionWarning bool
	// SchedulableNodes are the nodes a lesson's pods can run on, sorted by name.
	SchedulableNodes []string
}

// Right is one thing a lesson must be allowed to do in its namespace.
type Right struct {
	Verb, Group, Resource string
	Subresource           string // "exec" for pods/exec
}

// LessonRights are what every lesson needs in its namespace (and, for the namespace itself, at
// the cluster's scope).
var lessonRights = []Right{
	{"create", "", "namespaces", ""}, {"delete", "", "namespaces", ""},
	{"create", "", "pods", ""}, {"get", "", "pods", ""}, {"list", "", "pods", ""}, {"watch", "", "pods", ""}, {"delete", "", "pods", ""},
	{"create", "apps", "deployments", ""}, {"get", "apps", "deployments", ""}, {"list", "apps", "deployments", ""},
	{"watch", "apps", "deployments", ""}, {"update", "apps", "deployments", ""}, {"patch", "apps", "deployments", ""}, {"delete", "apps", "deployments", ""},
	{"list", "apps", "replicasets", ""}, {"watch", "apps", "replicasets", ""},
	{"create", "", "services", ""}, {"get", "", "services", ""}, {"list", "", "services", ""}, {"patch", "", "services", ""}, {"delete", "", "services", ""},
	{"list", "", "events", ""}, {"watch", "", "events", ""},
	// curl and nslookup run from inside a pod, and a readiness probe is made to fail from inside
	// the container (kubectl exec); a Service's endpoints are followed as they change.
	{"create", "", "pods", "exec"},
	{"list", "discovery.k8s.io", "endpointslices", ""}, {"watch", "discovery.k8s.io", "endpointslices", ""},
	{"list", "", "endpoints", ""}, {"watch", "", "endpoints", ""},
	{"list", "", "nodes", ""},
}

// Preflight checks, before a lesson starts, that the API server answers, what version it runs,
// that the lesson may do what it needs in its namespace, and that at least one node can take its
// pods. Each failure is a *Problem.
func (c *Cluster) Preflight() (Report, error) {
	rep := Report{Server: c.server}
	ctx, cancel := c.ctx()
	defer cancel()
	raw, err := c.rest.Get().AbsPath("/version").Do(ctx).Raw()
	if err != nil {
		return rep, c.problem(err)
	}
	var v struct {
		Major, Minor, GitVersion string
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return rep, &Problem{ID: "real.error.not_kubernetes", Args: map[string]any{"Server": c.server}, Err: err}
	}
	rep.GitVersion = v.GitVersion
	minor, err := strconv.Atoi(strings.TrimRight(v.Minor, "+"))
	rep.VersionWarning = err != nil || v.Major != "1" || minor < oldestMinor || minor > newestMinor

	var missing []string
	for _, r := range lessonRights {
		ok, err := c.allowed(r)
		if err != nil {
			return rep, c.problem(err)
		}
		if !ok {
			missing = append(missing, r.String(c.ns))
		}
	}
	if len(missing) > 0 {
		return rep, &Problem{ID: "real.error.rights", Args: map[string]any{"Missing": strings.Join(missing, ", "), "Count": len(missing)}}
	}

	nodes, _, err := c.List("nodes", "", ListOptions{})
	if err != nil {
		return rep, c.problem(err)
	}
	for _, o := range nodes {
		if n, ok := o.(*corev1.Node); ok && Schedulable(n) {
			rep.SchedulableNodes = append(rep.SchedulableNodes, n.Name)
		}
	}
	sort.Strings(rep.SchedulableNodes)
	if len(rep.SchedulableNodes) == 0 {
		return rep, &Problem{ID: "real.error.no_nodes", Args: map[string]any{"Nodes": len(nodes)}}
	}
	return rep, nil
}

func (r Right) String(ns string) string {
	res := r.Resource
	if r.Subresource != "" {
		res += "/" + r.Subresource
	}
	if r.Group != "" {
		res += "." + r.Group
	}
	if r.Resource == "namespaces" || r.Resource == "nodes" {
		return r.Verb + " " + res
	}
	return r.Verb + " " + res + " -n " + ns
}

// allowed asks the API server whether the lesson's user may do r (SelfSubjectAccessReview).
func (c *Cluster) allowed(r Right) (bool, error) {
	attrs := &authorizationv1.ResourceAttributes{Verb: r.Verb, Group: r.Group, Resource: r.Resource, Subresource: r.Subresource}
	switch r.Resource {
	case "namespaces":
		attrs.Name = c.ns
	case "nodes":
	default:
		attrs.Namespace = c.ns
	}
	review := &authorizationv1.SelfSubjectAccessReview{
		TypeMeta: metav1.TypeMeta{Kind: "SelfSubjectAccessReview", APIVersion: "authorization.k8s.io/v1"},
		Spec:     authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: attrs},
	}
	ctx, cancel := c.ctx()
	defer cancel()
	raw, err := c.rest.Post().AbsPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews").Body(mustJSON(review)).
		SetHeader("Content-Type", "application/json").Do(ctx).Raw()
	if err != nil {
		return false, err
	}
	var out authorizationv1.SelfSubjectAccessReview
	if err := json.Unmarshal(raw, &out); err != nil {
		return false, err
	}
	return out.Status.Allowed, nil
}

func mustJSON(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own types are marshalled here
	}
	return data
}

// Schedulable reports whether a pod with the default tolerations can be placed on n: the node is
// Ready, not cordoned, and has no NoSchedule or NoExecute taint such a pod does not tolerate (the
// DefaultTolerationSeconds plugin's not-ready and unreachable tolerations, for NoExecute).
func Schedulable(n *corev1.Node) bool {
	if n.Spec.Unschedulable {
		return false
	}
	ready := false
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue {
			ready = true
		}
	}
	if !ready {
		return false
	}
	for _, t := range n.Spec.Taints {
		switch t.Effect {
		case corev1.TaintEffectNoSchedule:
			return false
		case corev1.TaintEffectNoExecute:
			if t.Key != corev1.TaintNodeNotReady && t.Key != corev1.TaintNodeUnreachable {
				return false
			}
		}
	}
	return true
}

// problem turns a failed request into what the learner should do about it.
func (c *Cluster) problem(err error) error {
	var scope *OutOfScopeError
	var netErr net.Error
	var urlErr *url.Error
	switch {
	case errors.As(err, &scope):
		return err
	case apierrors.IsUnauthorized(err):
		return &Problem{ID: "real.error.unauthorized", Args: map[string]any{"Server": c.server}, Err: err}
	case apierrors.IsForbidden(err):
		return &Problem{ID: "real.error.forbidden", Args: map[string]any{"Server": c.server, "Err": err.Error()}, Err: err}
	case errors.As(err, &netErr), errors.As(err, &urlErr):
		return &Problem{ID: "real.error.unreachable", Args: map[string]any{"Server": c.server, "Err": err.Error()}, Err: err}
	}
	return &Problem{ID: "real.error.request", Args: map[string]any{"Server": c.server, "Err": err.Error()}, Err: fmt.Errorf("%w", err)}
}
