package apiserver

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/store"
)

// Client makes API requests on behalf of one caller. Objects passed in are not retained; objects
// returned are the caller's own copies.
type Client struct {
	s *Server
	caller
}

// caller is who makes a request, and whether it is a dry run: a dry-run write is defaulted,
// admitted and validated like any other and answered with the object it would have stored,
// but nothing is written and no watcher hears of it (kube-apiserver's ?dryRun=All,
// k8s.io/apiserver pkg/registry/generic/registry/dryrun.go).
type caller struct {
	who    string
	dryRun bool
	// noResult: the caller wants no copy of what it wrote back (HandOverStatus).
	noResult bool
}

// Who is the caller's name.
func (c *Client) Who() string { return c.who }

// DryRun returns a client whose writes are dry runs.
func (c *Client) DryRun() *Client { return &Client{s: c.s, caller: caller{who: c.who, dryRun: true}} }

// Server returns the API server this client talks to.
func (c *Client) Server() *Server { return c.s }

// DeleteOptions are the options of a delete request.
type DeleteOptions struct {
	GracePeriodSeconds *int64
	PropagationPolicy  metav1.DeletionPropagation // "" means the resource's default (Background)
	// Preconditions, as the kubelet uses them to delete exactly the pod it stopped.
	UID             string
	ResourceVersion string
}

// maxGenerateNameAttempts bounds retries when a generated name clashes, as the API server's
// generateName retry does.
const maxGenerateNameAttempts = 8

// Create stores a new object in namespace ns (ignored for cluster-scoped resources).
func (c *Client) Create(resource, ns string, obj runtime.Object) (runtime.Object, error) {
	res, err := c.s.resource(resource)
	if err != nil {
		return nil, err
	}
	return c.s.create(c.caller, res, ns, obj)
}

func (s *Server) create(by caller, res *Resource, ns string, in runtime.Object) (runtime.Object, error) {
	if !res.Holds(in) {
		return nil, apierrors.NewBadRequest("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml")
	}
	obj := in.DeepCopyObject()
	m := accessor(obj)
	if res.Namespaced {
		if m.GetNamespace() != "" && m.GetNamespace() != ns {
			return nil, apierrors.NewBadRequest("the namespace of the provided object does not match the namespace sent on the request")
		}
		m.SetNamespace(ns)
	} else {
		m.SetNamespace("")
	}
	if m.GetResourceVersion() != "" {
		return nil, apierrors.NewBadRequest("resourceVersion should not be set on objects to be created")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	return s.createLocked(by, res, obj)
}

// createLocked stores obj, which the call owns and whose namespace is set. Called with s.mu held.
func (s *Server) createLocked(by caller, res *Resource, obj runtime.Object) (runtime.Object, error) {
	m := accessor(obj)
	ns := m.GetNamespace()
	if res.Namespaced {
		if _, _, err := s.get(s.reg.MustLookup("namespaces"), "", ns); err != nil {
			return nil, err
		}
	}
	now := metav1.NewTime(s.clock.Now().Truncate(time.Second))
	st := res.Strategy
	m.SetUID(s.newUID())
	m.SetCreationTimestamp(now)
	m.SetDeletionTimestamp(nil)
	m.SetDeletionGracePeriodSeconds(nil)
	m.SetManagedFields(nil)
	if st.Generation {
		m.SetGeneration(1)
	}
	setTypeMeta(res, obj)
	if st.PrepareForCreate != nil {
		st.PrepareForCreate(obj)
	}
	if st.Defaults != nil {
		st.Defaults(obj)
	}
	generated := m.GetName() == "" && m.GetGenerateName() != ""
	for attempt := 0; ; attempt++ {
		if generated {
			m.SetName(generatedName(m.GetGenerateName(), s.randomSuffix(5)))
		}
		if st.Admit != nil && attempt == 0 {
			st.Admit(obj, s.randomSuffix)
		}
		if errs := st.Validate(obj); len(errs) > 0 {
			return nil, apierrors.NewInvalid(res.GroupKind(), m.GetName(), errs)
		}
		key := res.Key(m.GetNamespace(), m.GetName())
		if svc, ok := obj.(*corev1.Service); ok {
			if _, err := s.store.Get(key); err == nil {
				if generated && attempt+1 < maxGenerateNameAttempts {
					continue
				}
				return nil, apierrors.NewAlreadyExists(res.GroupResource(), m.GetName())
			}
			if err := s.allocateClusterIP(by, res, svc); err != nil {
				return nil, err
			}
			if err := s.allocateNodePorts(res, svc, nil); err != nil {
				return nil, err
			}
		}
		if by.dryRun {
			// The dry-run storage answers as Create would, without writing: a name in use is
			// still AlreadyExists; the object comes back without a resourceVersion.
			if _, err := s.store.Get(key); err == nil {
				if generated && attempt+1 < maxGenerateNameAttempts {
					continue
				}
				return nil, apierrors.NewAlreadyExists(res.GroupResource(), m.GetName())
			}
			return obj.DeepCopyObject(), nil
		}
		kv, err := s.store.Create(key, obj, func(rev int64) { m.SetResourceVersion(int64String(rev)) })
		if errors.Is(err, store.ErrExists) {
			if generated && attempt+1 < maxGenerateNameAttempts {
				continue
			}
			if generated {
				return nil, apierrors.NewGenerateNameConflict(res.GroupResource(), m.GetName(), 1)
			}
			return nil, apierrors.NewAlreadyExists(res.GroupResource(), m.GetName())
		}
		if err != nil {
			return nil, apierrors.NewInternalError(err)
		}
		s.committed(by.who, "create", res, "", m, kv.ModRevision)
		return obj.DeepCopyObject(), nil
	}
}

// generatedName is generateName plus a random suffix, with the prefix cut so the name stays within
// the 63 characters of a DNS label, as the API server's name generator does.
func generatedName(prefix, suffix string) string {
	const maxPrefix = 63 - 5
	if len(prefix) > maxPrefix {
		prefix = prefix[:maxPrefix]
	}
	return prefix + suffix
}

// committed records a write and notifies watchers. Called with s.mu held, right after the store write.
func (s *Server) committed(who, verb string, res *Resource, sub string, m metav1.Object, rev int64) {
	s.record(Write{Who: who, Verb: verb, Resource: res.Name, Subresource: sub, Namespace: m.GetNamespace(), Name: m.GetName(), Revision: rev})
	ev, ok := s.store.At(rev) // the write's own event
	if res.TTL > 0 {
		key := ev.Key
		if !ok {
			key = res.Key(m.GetNamespace(), m.GetName())
		}
		// A write that removed the key leaves nothing to lease: SetLease says ErrNotFound.
		_ = s.store.SetLease(key, s.clock.Now().Add(res.TTL))
	}
	if !ok {
		return
	}
	obj, prev := watchObjects(ev)
	s.watchers.dispatch(res, ev, obj, prev)
}

// Get returns one object.
func (c *Client) Get(resource, ns, name string) (runtime.Object, error) {
	res, err := c.s.resource(resource)
	if err != nil {
		return nil, err
	}
	obj, kv, err := c.s.get(res, nsFor(res, ns), name)
	if err != nil {
		return nil, err
	}
	if kv.Decoded {
		return obj, nil // decoded for this read: nobody else holds it
	}
	return obj.DeepCopyObject(), nil
}

// List returns the objects of a resource in ns ("" for all namespaces) that match opts, sorted by
// namespace and name (the order of their etcd keys), and the revision the list was read at.
func (c *Client) List(resource, ns string, opts ListOptions) ([]runtime.Object, int64, error) {
	objs, rev, err := c.s.list(resource, ns, opts)
	if err != nil {
		return nil, 0, err
	}
	for i, o := range objs {
		objs[i] = o.DeepCopyObject()
	}
	return objs, rev, nil
}

// ListShared is List without copies, for informers that promise not to modify what they get.
func (c *Client) ListShared(resource, ns string, opts ListOptions) ([]runtime.Object, int64, error) {
	return c.s.list(resource, ns, opts)
}

func (s *Server) list(resource, ns string, opts ListOptions) ([]runtime.Object, int64, error) {
	res, err := s.resource(resource)
	if err != nil {
		return nil, 0, err
	}
	kvs, rev := s.store.List(res.KeyPrefix(nsFor(res, ns)))
	w := Watcher{res: res, ns: nsFor(res, ns), opts: opts}
	out := make([]runtime.Object, 0, len(kvs))
	for _, kv := range kvs {
		if w.matches(kv.Value) {
			out = append(out, kv.Value)
		}
	}
	return out, rev, nil
}

func nsFor(res *Resource, ns string) string {
	if !res.Namespaced {
		return ""
	}
	return ns
}

// Update replaces an object's spec and metadata; the stored status is kept. obj's
// resourceVersion must match the stored one (a stale one is a Conflict).
func (c *Client) Update(resource, ns string, obj runtime.Object) (runtime.Object, error) {
	return c.update(resource, ns, obj, "")
}

// UpdateStatus replaces an object's status; spec and metadata other than the resourceVersion
// check are kept.
func (c *Client) UpdateStatus(resource, ns string, obj runtime.Object) (runtime.Object, error) {
	return c.update(resource, ns, obj, "status")
}

// HandOverStatus is UpdateStatus for a caller that made obj for this write and never touches it
// again, and wants nothing back: the server keeps obj as it is, without a copy either way. What
// obj shares with objects the caller read (its spec, its labels) is never modified by anyone, as
// for every object read from the server. The kubelet writes pod statuses so: copies of pods were
// the largest cost of a thousand crash-looping pods.
func (c *Client) HandOverStatus(resource, ns string, obj runtime.Object) error {
	by := c.caller
	by.noResult = true
	_, err := c.updateOwned(by, resource, ns, obj, "status", true)
	return err
}

func (c *Client) update(resource, ns string, in runtime.Object, sub string) (runtime.Object, error) {
	return c.updateOwned(c.caller, resource, ns, in, sub, false)
}

// updateOwned is update; owned says the caller hands in over (it made it for this write and will
// not touch it again), so the server keeps it without a copy.
func (c *Client) updateOwned(by caller, resource, ns string, in runtime.Object, sub string, owned bool) (runtime.Object, error) {
	res, err := c.s.resource(resource)
	if err != nil {
		return nil, err
	}
	if !res.Holds(in) {
		return nil, apierrors.NewBadRequest("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml")
	}
	obj := in
	if !owned {
		obj = in.DeepCopyObject()
	}
	m := accessor(obj)
	ns = nsFor(res, ns)
	if res.Namespaced && m.GetNamespace() != "" && m.GetNamespace() != ns {
		return nil, apierrors.NewBadRequest("the namespace of the provided object does not match the namespace sent on the request")
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updateLocked(by, res, ns, obj, sub, "update")
}

// updateLocked writes obj over the stored object. Called with s.mu held; obj is owned by the call.
func (s *Server) updateLocked(by caller, res *Resource, ns string, obj runtime.Object, sub, verb string) (runtime.Object, error) {
	oldObj, kv, err := s.get(res, ns, accessor(obj).GetName())
	if err != nil {
		return nil, err
	}
	return s.updateOver(by, res, obj, oldObj, kv, sub, verb)
}

// updateOver is updateLocked over oldObj, the stored object as read at kv.
func (s *Server) updateOver(by caller, res *Resource, obj, oldObj runtime.Object, kv store.KeyValue, sub, verb string) (runtime.Object, error) {
	m := accessor(obj)
	old := accessor(oldObj)
	if m.GetResourceVersion() == "" {
		return nil, apierrors.NewInvalid(res.GroupKind(), m.GetName(), fieldRequiredRV())
	}
	if m.GetResourceVersion() != old.GetResourceVersion() {
		return nil, apierrors.NewConflict(res.GroupResource(), m.GetName(),
			errors.New("the object has been modified; please apply your changes to the latest version and try again"))
	}
	st := res.Strategy
	// Fields the server owns are never taken from the request.
	m.SetNamespace(old.GetNamespace())
	m.SetUID(old.GetUID())
	m.SetCreationTimestamp(old.GetCreationTimestamp())
	m.SetGeneration(old.GetGeneration())
	m.SetDeletionTimestamp(old.GetDeletionTimestamp())
	m.SetDeletionGracePeriodSeconds(old.GetDeletionGracePeriodSeconds())
	m.SetGenerateName(old.GetGenerateName())
	m.SetManagedFields(nil)
	setTypeMeta(res, obj)
	if sub == "status" {
		if st.KeepSpec != nil {
			st.KeepSpec(obj, oldObj)
		}
		// A status write keeps the stored labels, owners and finalizers. Annotations pass through,
		// as in kube-apiserver's status strategies: the deployment controller records the
		// deployment.kubernetes.io/revision annotation with a status update.
		m.SetLabels(old.GetLabels())
		m.SetOwnerReferences(old.GetOwnerReferences())
		m.SetFinalizers(old.GetFinalizers())
	} else {
		if res.StatusSubresource() && st.KeepStatus != nil {
			st.KeepStatus(obj, oldObj)
		}
		if st.Defaults != nil {
			st.Defaults(obj)
		}
		if st.Generation && st.SpecChanged != nil && st.SpecChanged(obj, oldObj) {
			m.SetGeneration(old.GetGeneration() + 1)
		}
		if svc, ok := obj.(*corev1.Service); ok {
			if err := s.updateServiceAllocations(res, svc, oldObj.(*corev1.Service)); err != nil {
				return nil, err
			}
		}
	}
	validate := st.ValidateUpdate
	if sub == "status" && st.ValidateStatusUpdate != nil {
		validate = st.ValidateStatusUpdate
	}
	if validate != nil {
		if errs := validate(obj, oldObj); len(errs) > 0 {
			return nil, apierrors.NewInvalid(res.GroupKind(), m.GetName(), errs)
		}
	}
	// A write that changes nothing is not written, as kube-apiserver skips no-op updates.
	m.SetResourceVersion(old.GetResourceVersion())
	if s.sameObject(obj, oldObj) {
		return obj, nil
	}
	// A terminating object whose last finalizer is gone is removed (one that is being deleted
	// gracefully goes when its grace period ends: for pods, the kubelet's final delete).
	if m.GetDeletionTimestamp() != nil && len(m.GetFinalizers()) == 0 && res.Strategy.GracePeriod == nil {
		return s.removeLocked(by, res, oldObj, kv)
	}
	if by.dryRun {
		return obj.DeepCopyObject(), nil
	}
	kv, err := s.store.Replace(kv, obj, func(rev int64) { m.SetResourceVersion(int64String(rev)) })
	if err != nil {
		return nil, apierrors.NewInternalError(err)
	}
	s.committed(by.who, verb, res, sub, m, kv.ModRevision)
	if by.noResult {
		return nil, nil
	}
	return obj.DeepCopyObject(), nil
}

// sameObject is reflect.DeepEqual for two objects of one type, field by top-level field: first
// the plain ones (strings, numbers, booleans: an Event's count), then the others from the last
// (status) to the first. A write usually changes a count or the status, so the difference shows
// before the whole spec has been walked. Called with s.mu held.
func (s *Server) sameObject(a, b runtime.Object) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.Type() != vb.Type() || va.Kind() != reflect.Pointer || va.Elem().Kind() != reflect.Struct {
		return reflect.DeepEqual(a, b)
	}
	if va.IsNil() || vb.IsNil() || va.Pointer() == vb.Pointer() {
		return va.Pointer() == vb.Pointer()
	}
	sa, sb := va.Elem(), vb.Elem()
	plain, ok := s.plainFields(sa.Type())
	if !ok {
		return reflect.DeepEqual(a, b)
	}
	for i := sa.NumField() - 1; i >= 0; i-- {
		if !plain[i] {
			continue
		}
		fa, fb := sa.Field(i), sb.Field(i)
		switch fa.Kind() {
		case reflect.String:
			if fa.String() != fb.String() {
				return false
			}
		case reflect.Bool:
			if fa.Bool() != fb.Bool() {
				return false
			}
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if fa.Int() != fb.Int() {
				return false
			}
		default:
			if fa.Uint() != fb.Uint() {
				return false
			}
		}
	}
	for i := sa.NumField() - 1; i >= 0; i-- {
		if !plain[i] && !reflect.DeepEqual(sa.Field(i).Addr().Interface(), sb.Field(i).Addr().Interface()) {
			return false
		}
	}
	return true
}

// plainFields tells, for a struct type, which fields are plain (a string, a boolean, an
// integer), and whether every field is exported (sameObject compares field by field only then).
// Called with s.mu held; kept per type.
func (s *Server) plainFields(t reflect.Type) ([]bool, bool) {
	if p, ok := s.plain[t]; ok {
		return p, p != nil
	}
	p := make([]bool, t.NumField())
	for i := range p {
		f := t.Field(i)
		if !f.IsExported() {
			p = nil
			break
		}
		switch f.Type.Kind() {
		case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			p[i] = true
		}
	}
	if s.plain == nil {
		s.plain = map[reflect.Type][]bool{}
	}
	s.plain[t] = p
	return p, p != nil
}

// Mutate reads an object, applies f to a copy and writes it back, retrying on conflicts as
// client-go's RetryOnConflict does. f returning an error stops without writing.
func (c *Client) Mutate(resource, ns, name string, f func(obj runtime.Object) error) (runtime.Object, error) {
	return c.mutate(resource, ns, name, "", f)
}

// MutateStatus is Mutate on the status subresource.
func (c *Client) MutateStatus(resource, ns, name string, f func(obj runtime.Object) error) (runtime.Object, error) {
	return c.mutate(resource, ns, name, "status", f)
}

func (c *Client) mutate(resource, ns, name, sub string, f func(obj runtime.Object) error) (runtime.Object, error) {
	var lastErr error
	for range 5 {
		obj, err := c.Get(resource, ns, name)
		if err != nil {
			return nil, err
		}
		if err := f(obj); err != nil {
			return nil, err
		}
		out, err := c.updateOwned(c.caller, resource, ns, obj, sub, true) // obj is Get's copy
		if apierrors.IsConflict(err) {
			lastErr = err
			continue
		}
		return out, err
	}
	return nil, lastErr
}

// Modify is Mutate done by the server in one go, as a PATCH is: under the server's lock (so f
// must not call the server) f returns the new object made from the stored one, and it is written
// as an update, with nothing sent back. f must leave the stored object as it is, but the new
// one may share what f does not change: event recorders count a repeat on a shallow copy of the
// Event (a deep copy of every counted repeat was most of what counting cost).
func (c *Client) Modify(resource, ns, name string, f func(stored runtime.Object) runtime.Object) error {
	res, err := c.s.resource(resource)
	if err != nil {
		return err
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	oldObj, kv, err := s.get(res, nsFor(res, ns), name)
	if err != nil {
		return err
	}
	by := c.caller
	by.noResult = true
	_, err = s.updateOver(by, res, f(oldObj), oldObj, kv, "", "update")
	return err
}

// Delete deletes an object. Pods on a node are deleted gracefully: they get a deletionTimestamp and
// stay (Terminating) until their kubelet has stopped the containers and deletes them with grace 0.
func (c *Client) Delete(resource, ns, name string, opts DeleteOptions) (runtime.Object, error) {
	res, err := c.s.resource(resource)
	if err != nil {
		return nil, err
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleteLocked(c.caller, res, nsFor(res, ns), name, opts)
}

// deleteLocked is Delete with s.mu held.
func (s *Server) deleteLocked(by caller, res *Resource, ns, name string, opts DeleteOptions) (runtime.Object, error) {
	oldObj, kv, err := s.get(res, ns, name)
	if err != nil {
		return nil, err
	}
	old := accessor(oldObj)
	if opts.UID != "" && string(old.GetUID()) != opts.UID {
		return nil, apierrors.NewConflict(res.GroupResource(), name, fmt.Errorf(
			"Precondition failed: UID in precondition: %s, UID in object meta: %s", opts.UID, old.GetUID()))
	}
	if opts.ResourceVersion != "" && old.GetResourceVersion() != opts.ResourceVersion {
		return nil, apierrors.NewConflict(res.GroupResource(), name, fmt.Errorf(
			"Precondition failed: ResourceVersion in precondition: %s, ResourceVersion in object meta: %s", opts.ResourceVersion, old.GetResourceVersion()))
	}
	if check := res.Strategy.CheckDelete; check != nil {
		if err := check(oldObj); err != nil {
			return nil, apierrors.NewForbidden(res.GroupResource(), name, err)
		}
	}
	if gracePeriod := res.Strategy.GracePeriod; gracePeriod != nil {
		if grace := gracePeriod(oldObj, opts.GracePeriodSeconds); grace > 0 {
			return s.markTerminating(by, res, oldObj, grace)
		}
	}
	switch opts.PropagationPolicy {
	case metav1.DeletePropagationOrphan, metav1.DeletePropagationForeground:
		fin := metav1.FinalizerOrphanDependents
		if opts.PropagationPolicy == metav1.DeletePropagationForeground {
			fin = metav1.FinalizerDeleteDependents
		}
		obj := oldObj.DeepCopyObject()
		m := accessor(obj)
		if m.GetDeletionTimestamp() == nil {
			now := metav1.NewTime(s.clock.Now().Truncate(time.Second))
			m.SetDeletionTimestamp(&now)
			zero := int64(0)
			m.SetDeletionGracePeriodSeconds(&zero)
		}
		if !containsString(m.GetFinalizers(), fin) {
			m.SetFinalizers(append(m.GetFinalizers(), fin))
		}
		return s.writeLocked(by, "delete", res, obj, kv)
	}
	if len(old.GetFinalizers()) > 0 {
		obj := oldObj.DeepCopyObject()
		m := accessor(obj)
		if m.GetDeletionTimestamp() != nil {
			return obj, nil
		}
		now := metav1.NewTime(s.clock.Now().Truncate(time.Second))
		m.SetDeletionTimestamp(&now)
		zero := int64(0)
		m.SetDeletionGracePeriodSeconds(&zero)
		return s.writeLocked(by, "delete", res, obj, kv)
	}
	return s.removeLocked(by, res, oldObj, kv)
}

// markTerminating sets the deletion timestamp of an object deleted gracefully (a running pod); a
// second delete can only shorten it.
func (s *Server) markTerminating(by caller, res *Resource, stored runtime.Object, grace int64) (runtime.Object, error) {
	if g := accessor(stored).GetDeletionGracePeriodSeconds(); g != nil && *g <= grace {
		return stored.DeepCopyObject(), nil
	}
	obj := stored.DeepCopyObject()
	m := accessor(obj)
	deadline := metav1.NewTime(s.clock.Now().Add(time.Duration(grace) * time.Second).Truncate(time.Second))
	m.SetDeletionTimestamp(&deadline)
	m.SetDeletionGracePeriodSeconds(&grace)
	m.SetGeneration(m.GetGeneration() + 1)
	_, kv, err := s.get(res, m.GetNamespace(), m.GetName())
	if err != nil {
		return nil, err
	}
	return s.writeLocked(by, "delete", res, obj, kv)
}

// writeLocked stores obj over kv without the update strategy (the server's own changes).
func (s *Server) writeLocked(by caller, verb string, res *Resource, obj runtime.Object, kv store.KeyValue) (runtime.Object, error) {
	m := accessor(obj)
	if by.dryRun {
		return obj.DeepCopyObject(), nil
	}
	nkv, err := s.store.Update(kv.Key, kv.ModRevision, obj, func(rev int64) { m.SetResourceVersion(int64String(rev)) })
	if err != nil {
		return nil, apierrors.NewInternalError(err)
	}
	s.committed(by.who, verb, res, "", m, nkv.ModRevision)
	return obj.DeepCopyObject(), nil
}

// removeLocked removes the key from the store.
func (s *Server) removeLocked(by caller, res *Resource, oldObj runtime.Object, kv store.KeyValue) (runtime.Object, error) {
	if by.dryRun {
		return oldObj.DeepCopyObject(), nil
	}
	if _, err := s.store.Delete(kv.Key, kv.ModRevision); err != nil {
		return nil, apierrors.NewInternalError(err)
	}
	rev := s.store.Revision()
	m := accessor(oldObj)
	s.committed(by.who, "delete", res, "", m, rev)
	if svc, ok := oldObj.(*corev1.Service); ok {
		s.releaseClusterIPs(svc)
	}
	out := oldObj.DeepCopyObject()
	accessor(out).SetResourceVersion(int64String(rev))
	return out, nil
}

// Bind assigns a pod to a node: POST pods/<name>/binding, as the scheduler does.
func (c *Client) Bind(ns string, binding *corev1.Binding) error {
	s := c.s
	res := s.reg.MustLookup("pods")
	s.mu.Lock()
	defer s.mu.Unlock()
	oldObj, kv, err := s.get(res, ns, binding.Name)
	if err != nil {
		return err
	}
	pod := oldObj.(*corev1.Pod)
	conflict := func(msg string) error {
		return apierrors.NewConflict(schemaGR("pods/binding"), binding.Name, errors.New(msg))
	}
	if binding.Target.Kind != "" && binding.Target.Kind != "Node" {
		return apierrors.NewInvalid(schemaGK("Binding"), binding.Name, fieldTargetKind(binding.Target.Kind))
	}
	if pod.DeletionTimestamp != nil {
		return conflict(fmt.Sprintf("pod %s is being deleted, cannot be assigned to a host", pod.Name))
	}
	if pod.Spec.NodeName != "" {
		return conflict(fmt.Sprintf("pod %s is already assigned to node %q", pod.Name, pod.Spec.NodeName))
	}
	p := pod.DeepCopy()
	p.Spec.NodeName = binding.Target.Name
	setPodCondition(&p.Status, corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionTrue,
		LastTransitionTime: metav1.NewTime(s.clock.Now().Truncate(time.Second))})
	if c.dryRun {
		return nil
	}
	m := accessor(p)
	nkv, err := s.store.Update(kv.Key, kv.ModRevision, p, func(rev int64) { m.SetResourceVersion(int64String(rev)) })
	if err != nil {
		return apierrors.NewInternalError(err)
	}
	s.committed(c.who, "create", res, "binding", m, nkv.ModRevision)
	return nil
}

// setPodCondition adds or replaces a condition, keeping the transition time when the status is unchanged.
func setPodCondition(st *corev1.PodStatus, cond corev1.PodCondition) {
	for i := range st.Conditions {
		if st.Conditions[i].Type == cond.Type {
			if st.Conditions[i].Status == cond.Status {
				cond.LastTransitionTime = st.Conditions[i].LastTransitionTime
			}
			st.Conditions[i] = cond
			return
		}
	}
	st.Conditions = append(st.Conditions, cond)
}

// Scale sets spec.replicas through the scale subresource and returns the new count.
func (c *Client) Scale(resource, ns, name string, replicas int32) (runtime.Object, error) {
	res, err := c.s.resource(resource)
	if err != nil {
		return nil, err
	}
	if errs := validateScale(replicas); len(errs) > 0 {
		return nil, apierrors.NewInvalid(schemaGK("Scale.autoscaling"), name, errs)
	}
	var out runtime.Object
	for range 5 {
		obj, err := c.Get(res.Name, ns, name)
		if err != nil {
			return nil, err
		}
		if res.Scale == nil {
			return nil, apierrors.NewNotFound(schemaGR(res.Name+"/scale"), name)
		}
		res.Scale.SetReplicas(obj, replicas)
		out, err = c.s.updateWithVerb(c.caller, res, nsFor(res, ns), obj, "scale")
		if !apierrors.IsConflict(err) {
			return out, err
		}
	}
	return out, nil
}

func (s *Server) updateWithVerb(by caller, res *Resource, ns string, obj runtime.Object, sub string) (runtime.Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updateLocked(by, res, ns, obj, sub, "update")
}

func int64String(v int64) string { return strconv.FormatInt(v, 10) }

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
