// Package realcluster is the second cluster a lesson can run on: a real one, reached through
// client-go and the learner's kubeconfig, in a namespace of the lesson's own. It reads and writes
// the same k8s.io/api objects as the miniature control plane, through the engine's registry (its
// names, groups and codecs), so the sandbox's kubectl, the printers and the quiz see one kind of
// cluster. It cannot be stepped: it is observed through watches.
//
// Every request goes through a guard that logs it and refuses, before sending, anything outside
// the lesson's namespace except discovery, reading nodes, the namespace itself and the access
// reviews that ask what the lesson may do.
package realcluster

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/k8slearn/k8slearn/engine/registry"
)

// Options says which cluster and which namespace.
type Options struct {
	// Kubeconfig is the kubeconfig file; "" means kubectl's rules ($KUBECONFIG, then ~/.kube/config).
	Kubeconfig string
	// Context is the kubeconfig context; "" means its current context.
	Context string
	// Namespace is the lesson's own namespace: the only one the Cluster reads or writes.
	Namespace string
	// Log, when set, receives every request.
	Log *RequestLog
	// Timeout bounds each request (0: 30 s).
	Timeout time.Duration
}

// Cluster is a real cluster, seen through the lesson's namespace.
type Cluster struct {
	reg     *registry.Registry
	rest    *rest.RESTClient
	cfg     *rest.Config // for pods/exec, which upgrades to a WebSocket (through the same guard)
	ns      string
	server  string
	timeout time.Duration
	// dryRun makes every write a server-side dry run (?dryRun=All).
	dryRun bool
}

// DryRun returns the same Cluster with every write a server-side dry run.
func (c *Cluster) DryRun() *Cluster {
	cp := *c
	cp.dryRun = true
	return &cp
}

// writeReq adds dryRun=All to a write when the Cluster is a dry run's.
func (c *Cluster) writeReq(r *rest.Request) *rest.Request {
	if c.dryRun {
		return r.Param("dryRun", "All")
	}
	return r
}

// Problem is an error the learner must act on (a kubeconfig that does not load, a server that
// does not answer, missing rights), as a locales message ID with its arguments; Err is the cause.
type Problem struct {
	ID   string
	Args map[string]any
	Err  error
}

func (p *Problem) Error() string {
	if p.Err != nil {
		return fmt.Sprintf("%s: %v", p.ID, p.Err)
	}
	return p.ID
}

func (p *Problem) Unwrap() error { return p.Err }

// Open loads the kubeconfig and prepares a client; it sends nothing (Preflight does).
func Open(opts Options) (*Cluster, error) {
	if opts.Namespace == "" {
		return nil, errors.New("realcluster: no namespace")
	}
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if opts.Kubeconfig != "" {
		rules.ExplicitPath = opts.Kubeconfig
	}
	overrides := &clientcmd.ConfigOverrides{CurrentContext: opts.Context}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides).ClientConfig()
	if err != nil {
		where := opts.Kubeconfig
		if where == "" {
			where = "$KUBECONFIG or ~/.kube/config"
		}
		return nil, &Problem{ID: "real.error.kubeconfig", Args: map[string]any{"Path": where, "Err": err.Error()}, Err: err}
	}
	reg := registry.New()
	scheme := runtime.NewScheme()
	if err := reg.AddToScheme(scheme); err != nil {
		return nil, err
	}
	if err := metav1.AddMetaToScheme(scheme); err != nil {
		return nil, err
	}
	metav1.AddToGroupVersion(scheme, metav1.SchemeGroupVersion)
	cfg = rest.CopyConfig(cfg)
	cfg.APIPath = "/"
	cfg.GroupVersion = nil
	cfg.ContentType = runtime.ContentTypeJSON
	cfg.AcceptContentTypes = runtime.ContentTypeJSON
	cfg.NegotiatedSerializer = serializer.NewCodecFactory(scheme).WithoutConversion()
	cfg.UserAgent = "k8slearn"
	// The API server's warnings (v1 Endpoints is deprecated) are not the learner's to read on
	// stderr while a lesson follows the Endpoints; the sandbox's kubectl prints its own.
	cfg.WarningHandler = rest.NoWarnings{}
	// kubectl's client-side rate limit (k8s.io/cli-runtime genericclioptions: QPS 50, burst 300),
	// not client-go's 5/10, which would make a preflight's two dozen access reviews take seconds.
	cfg.QPS, cfg.Burst = 50, 300
	scope := Scope{Namespace: opts.Namespace}
	cfg.Wrap(func(next http.RoundTripper) http.RoundTripper { return &guard{scope: scope, log: opts.Log, next: next} })
	rc, err := rest.UnversionedRESTClientFor(cfg)
	if err != nil {
		return nil, &Problem{ID: "real.error.kubeconfig", Args: map[string]any{"Path": opts.Kubeconfig, "Err": err.Error()}, Err: err}
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	return &Cluster{reg: reg, rest: rc, cfg: cfg, ns: opts.Namespace, server: cfg.Host, timeout: timeout}, nil
}

// Server is the API server's address, as the kubeconfig gives it.
func (c *Cluster) Server() string { return c.server }

// Namespace is the lesson's namespace.
func (c *Cluster) Namespace() string { return c.ns }

// Registry is the registry the Cluster reads resources' names and groups from.
func (c *Cluster) Registry() *registry.Registry { return c.reg }

func (c *Cluster) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), c.timeout)
}

// path is the URL path of resource in namespace ns (ignored for cluster-scoped ones), and of
// name and subresource sub when given.
func (c *Cluster) path(res *registry.Resource, ns, name, sub string) string {
	p := "/api/" + res.Version
	if res.Group != "" {
		p = "/apis/" + res.Group + "/" + res.Version
	}
	if res.Namespaced {
		p += "/namespaces/" + ns
	}
	p += "/" + res.Name
	if name != "" {
		p += "/" + name
	}
	if sub != "" {
		p += "/" + sub
	}
	return p
}

func (c *Cluster) resource(name string) (*registry.Resource, error) {
	res, ok := c.reg.Lookup(name)
	if !ok {
		return nil, apierrors.NewNotFound(runtimeGR(name), "")
	}
	return res, nil
}

// Get reads one object.
func (c *Cluster) Get(resource, ns, name string) (runtime.Object, error) {
	res, err := c.resource(resource)
	if err != nil {
		return nil, err
	}
	ctx, cancel := c.ctx()
	defer cancel()
	obj := res.New()
	if err := c.rest.Get().AbsPath(c.path(res, ns, name, "")).Do(ctx).Into(obj); err != nil {
		return nil, err
	}
	res.SetTypeMeta(obj)
	return obj, nil
}

// ListOptions select what List and Watch return, as label and field selector strings.
type ListOptions struct {
	LabelSelector   string
	FieldSelector   string
	ResourceVersion string
}

func (o ListOptions) apply(r *rest.Request) *rest.Request {
	if o.LabelSelector != "" {
		r = r.Param("labelSelector", o.LabelSelector)
	}
	if o.FieldSelector != "" {
		r = r.Param("fieldSelector", o.FieldSelector)
	}
	if o.ResourceVersion != "" {
		r = r.Param("resourceVersion", o.ResourceVersion)
	}
	return r
}

// List returns the objects of resource in ns, and the list's resourceVersion.
func (c *Cluster) List(resource, ns string, opts ListOptions) ([]runtime.Object, string, error) {
	res, err := c.resource(resource)
	if err != nil {
		return nil, "", err
	}
	ctx, cancel := c.ctx()
	defer cancel()
	list := res.NewList()
	if err := opts.apply(c.rest.Get().AbsPath(c.path(res, ns, "", ""))).Do(ctx).Into(list); err != nil {
		return nil, "", err
	}
	items, err := extractItems(list)
	if err != nil {
		return nil, "", err
	}
	for _, it := range items {
		res.SetTypeMeta(it)
	}
	rv := ""
	if l, ok := list.(metav1.ListInterface); ok {
		rv = l.GetResourceVersion()
	}
	return items, rv, nil
}

// Create creates obj in ns.
func (c *Cluster) Create(resource, ns string, obj runtime.Object) (runtime.Object, error) {
	return c.write(http.MethodPost, resource, ns, "", "", obj)
}

// Update replaces obj (its name and resourceVersion say which, and from which version).
func (c *Cluster) Update(resource, ns string, obj runtime.Object) (runtime.Object, error) {
	return c.write(http.MethodPut, resource, ns, nameOf(obj), "", obj)
}

func (c *Cluster) write(method, resource, ns, name, sub string, obj runtime.Object) (runtime.Object, error) {
	res, err := c.resource(resource)
	if err != nil {
		return nil, err
	}
	ctx, cancel := c.ctx()
	defer cancel()
	res.SetTypeMeta(obj)
	out := res.New()
	if err := c.writeReq(c.rest.Verb(method).AbsPath(c.path(res, ns, name, sub))).Body(obj).Do(ctx).Into(out); err != nil {
		return nil, err
	}
	res.SetTypeMeta(out)
	return out, nil
}

// Mutate reads an object, applies f and writes it back, retrying on conflicts.
func (c *Cluster) Mutate(resource, ns, name string, f func(obj runtime.Object) error) (runtime.Object, error) {
	var last error
	for range 5 {
		obj, err := c.Get(resource, ns, name)
		if err != nil {
			return nil, err
		}
		if err := f(obj); err != nil {
			return nil, err
		}
		out, err := c.Update(resource, ns, obj)
		if apierrors.IsConflict(err) {
			last = err
			continue
		}
		return out, err
	}
	return nil, last
}

// Patch sends a patch of type pt ("application/merge-patch+json", …).
func (c *Cluster) Patch(resource, ns, name, sub string, pt string, data []byte) (runtime.Object, error) {
	res, err := c.resource(resource)
	if err != nil {
		return nil, err
	}
	ctx, cancel := c.ctx()
	defer cancel()
	out := res.New()
	if err := c.writeReq(c.rest.Patch(typesPatch(pt)).AbsPath(c.path(res, ns, name, sub))).Body(data).Do(ctx).Into(out); err != nil {
		return nil, err
	}
	res.SetTypeMeta(out)
	return out, nil
}

// Scale sets spec.replicas through the scale subresource.
func (c *Cluster) Scale(resource, ns, name string, replicas int32) (runtime.Object, error) {
	res, err := c.resource(resource)
	if err != nil {
		return nil, err
	}
	ctx, cancel := c.ctx()
	defer cancel()
	body := []byte(fmt.Sprintf(`{"spec":{"replicas":%d}}`, replicas))
	// The answer is an autoscaling/v1 Scale; what the caller wants is the object it scaled.
	if err := c.writeReq(c.rest.Patch(types.MergePatchType).AbsPath(c.path(res, ns, name, "scale"))).Body(body).Do(ctx).Error(); err != nil {
		return nil, err
	}
	return c.Get(resource, ns, name)
}

// DeleteOptions are the options of Delete.
type DeleteOptions struct {
	GracePeriodSeconds *int64
	PropagationPolicy  metav1.DeletionPropagation
}

// Delete deletes an object; the answer is the object as it was when deletion started, or nil when
// the server answered with a Status.
func (c *Cluster) Delete(resource, ns, name string, opts DeleteOptions) error {
	res, err := c.resource(resource)
	if err != nil {
		return err
	}
	ctx, cancel := c.ctx()
	defer cancel()
	body := &metav1.DeleteOptions{TypeMeta: metav1.TypeMeta{Kind: "DeleteOptions", APIVersion: "v1"},
		GracePeriodSeconds: opts.GracePeriodSeconds}
	if opts.PropagationPolicy != "" {
		body.PropagationPolicy = &opts.PropagationPolicy
	}
	return c.writeReq(c.rest.Delete().AbsPath(c.path(res, ns, name, ""))).Body(body).Do(ctx).Error()
}

// Watch watches resource in ns from opts.ResourceVersion ("" : from now). The caller stops it.
func (c *Cluster) Watch(resource, ns string, opts ListOptions) (watch.Interface, error) {
	res, err := c.resource(resource)
	if err != nil {
		return nil, err
	}
	r := opts.apply(c.rest.Get().AbsPath(c.path(res, ns, "", ""))).Param("watch", "true").
		Param("allowWatchBookmarks", "false").Timeout(10 * time.Minute)
	return r.Watch(context.Background())
}
