// Package namespacedefaults holds the two kube-controller-manager controllers that give every
// namespace what a pod expects to find there: the serviceaccount-controller creates the "default"
// ServiceAccount (k8s.io/kubernetes v1.37.2 pkg/controller/serviceaccount/
// serviceaccounts_controller.go), and the root-ca-cert-publisher creates the kube-root-ca.crt
// ConfigMap and puts it back when it is deleted or changed (pkg/controller/certificates/
// rootcacertpublisher/publisher.go). Both watch namespaces and the objects they keep, and sync one
// namespace at a time.
package namespacedefaults

import (
	"maps"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/clock"
	"github.com/k8slearn/k8slearn/engine/component"
	"github.com/k8slearn/k8slearn/engine/informer"
	"github.com/k8slearn/k8slearn/engine/work"
)

// Names of the two controllers, as their API clients show them in the trace.
const (
	ServiceAccountsName = "serviceaccount-controller"
	RootCAPublisherName = "root-ca-cert-publisher"
)

// RootCAConfigMapName is the ConfigMap the publisher keeps in every namespace.
const RootCAConfigMapName = "kube-root-ca.crt"

// DefaultServiceAccount is the ServiceAccount the serviceaccount-controller ensures
// (DefaultServiceAccountsControllerOptions).
func DefaultServiceAccount() *corev1.ServiceAccount {
	return &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"}}
}

// description is publisher.go's DescriptionAnnotation and Description.
const (
	descriptionAnnotation = "kubernetes.io/description"
	description           = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. " +
		"No other usage is guaranteed across distributions of Kubernetes clusters."
)

// RootCAConfigMap is what the publisher writes. The certificate is a fixed self-signed one: the
// miniature API server serves no TLS.
func RootCAConfigMap() *corev1.ConfigMap {
	return &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: RootCAConfigMapName, Annotations: map[string]string{descriptionAnnotation: description}},
		Data:       map[string]string{"ca.crt": rootCA},
	}
}

// Controller keeps one object in every active namespace.
type Controller struct {
	name   string
	client *apiserver.Client
	clock  clock.Clock
	queue  *work.Queue
	nsInf  *informer.Informer
	objInf *informer.Informer
	kept   keptObject
}

// keptObject describes what a controller keeps in each namespace.
type keptObject struct {
	resource string
	name     string
	new      func() runtime.Object
	// repair returns the object as it should be and true when a stored one has drifted; nil for
	// a controller that only creates (the serviceaccount-controller).
	repair func(have runtime.Object) (runtime.Object, bool)
}

// NewServiceAccounts starts the serviceaccount-controller.
func NewServiceAccounts(api *apiserver.Server, clk clock.Clock, agenda *work.Agenda) (*Controller, error) {
	return newController(api, clk, agenda, ServiceAccountsName, keptObject{
		resource: "serviceaccounts", name: DefaultServiceAccount().Name,
		new: func() runtime.Object { return DefaultServiceAccount() },
	})
}

// NewRootCAPublisher starts the root-ca-cert-publisher.
func NewRootCAPublisher(api *apiserver.Server, clk clock.Clock, agenda *work.Agenda) (*Controller, error) {
	return newController(api, clk, agenda, RootCAPublisherName, keptObject{
		resource: "configmaps", name: RootCAConfigMapName,
		new:    func() runtime.Object { return RootCAConfigMap() },
		repair: repairRootCA,
	})
}

// repairRootCA is syncNamespace's check: the data and the description annotation as published.
func repairRootCA(have runtime.Object) (runtime.Object, bool) {
	cm := have.(*corev1.ConfigMap)
	want := RootCAConfigMap()
	if maps.Equal(cm.Data, want.Data) && cm.Annotations[descriptionAnnotation] != "" {
		return nil, false
	}
	cm = cm.DeepCopy()
	cm.Data = want.Data
	if cm.Annotations == nil {
		cm.Annotations = map[string]string{}
	}
	cm.Annotations[descriptionAnnotation] = description
	return cm, true
}

func newController(api *apiserver.Server, clk clock.Clock, agenda *work.Agenda, name string, kept keptObject) (*Controller, error) {
	c := &Controller{name: name, client: api.Client(name), clock: clk, queue: agenda.NewQueue(name), kept: kept}
	var err error
	// The kept objects' cache first, so that the namespaces' first list finds every namespace
	// already served and queues nothing.
	c.objInf, err = informer.New(c.client, kept.resource, "", apiserver.ListOptions{}, informer.Handlers{
		OnUpdate: func(_, o runtime.Object, ev informer.Event) { c.objectChanged(o, ev) },
		OnDelete: func(o runtime.Object, ev informer.Event) { c.objectChanged(o, ev) },
	}, nil)
	if err != nil {
		return nil, err
	}
	onNamespace := func(o runtime.Object, ev informer.Event) {
		if ns := o.(*corev1.Namespace); c.needsSync(ns) {
			c.enqueue(ns.Name, ev, o)
		}
	}
	c.nsInf, err = informer.New(c.client, "namespaces", "", apiserver.ListOptions{}, informer.Handlers{
		OnAdd:    onNamespace,
		OnUpdate: func(_, o runtime.Object, ev informer.Event) { onNamespace(o, ev) },
	}, nil)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// objectChanged queues the namespace of a kept object that was deleted or changed.
func (c *Controller) objectChanged(o runtime.Object, ev informer.Event) {
	ns, name := informer.SplitKey(informer.KeyOf(o))
	if name != c.kept.name {
		return
	}
	if nsObj, ok := c.nsInf.Get(ns); ok && c.needsSync(nsObj.(*corev1.Namespace)) {
		c.enqueue(ns, ev, o)
	}
}

// needsSync is what sync would find: an active namespace whose object is missing or has drifted.
// The real controllers queue every namespace event and let the sync find nothing to do; queuing
// only what needs work keeps those empty steps out of the learner's trace.
func (c *Controller) needsSync(ns *corev1.Namespace) bool {
	if ns.Status.Phase != corev1.NamespaceActive {
		return false
	}
	have, ok := c.objInf.Get(ns.Name + "/" + c.kept.name)
	if !ok {
		return true
	}
	if c.kept.repair == nil {
		return false
	}
	_, drifted := c.kept.repair(have)
	return drifted
}

func (c *Controller) enqueue(ns string, ev informer.Event, obj runtime.Object) {
	objNS, name := informer.SplitKey(informer.KeyOf(obj))
	c.queue.Add(ns, c.clock.Now(), work.Trigger{Kind: work.Watch, EventType: string(ev.Type), Resource: ev.Resource,
		Namespace: objNS, Name: name, Revision: ev.Revision})
}

// Name implements component.Component.
func (c *Controller) Name() string { return c.name }

// Informers implements component.Component.
func (c *Controller) Informers() []*informer.Informer {
	return []*informer.Informer{c.objInf, c.nsInf}
}

// Queue implements component.Component.
func (c *Controller) Queue() *work.Queue { return c.queue }

// Process syncs one namespace: creates the object if it is missing, repairs it if it drifted.
// A namespace that is gone or terminating is left alone, as both controllers leave it.
func (c *Controller) Process(it work.Item) component.Result {
	ns, ok := c.nsInf.Get(it.Key)
	if !ok || !c.needsSync(ns.(*corev1.Namespace)) {
		return component.Result{}
	}
	var err error
	if have, ok := c.objInf.Get(it.Key + "/" + c.kept.name); ok {
		if want, drifted := c.kept.repair(have); drifted {
			_, err = c.client.Update(c.kept.resource, it.Key, want)
		}
	} else {
		_, err = c.client.Create(c.kept.resource, it.Key, c.kept.new())
	}
	if err != nil && !apierrors.IsAlreadyExists(err) && !apierrors.IsNotFound(err) &&
		!apierrors.HasStatusCause(err, corev1.NamespaceTerminatingCause) {
		return component.Result{Notes: []component.Note{{ID: "trace.note.sync_error", Args: map[string]any{"Error": err.Error()}}}}
	}
	return component.Result{}
}
