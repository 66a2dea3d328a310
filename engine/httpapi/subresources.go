package httpapi

import (
	"errors"
	"net/http"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// scaleOf is the autoscaling/v1 Scale the scale subresource shows for a Deployment or ReplicaSet.
func scaleOf(res *apiserver.Resource, obj runtime.Object) *autoscalingv1.Scale {
	s := &autoscalingv1.Scale{TypeMeta: metav1.TypeMeta{APIVersion: "autoscaling/v1", Kind: "Scale"}}
	var replicas *int32
	var selector *metav1.LabelSelector
	if res.Scale != nil {
		replicas, selector, s.Status.Replicas = res.Scale.Replicas(obj)
	}
	if meta, err := apimeta.Accessor(obj); err == nil {
		s.ObjectMeta = metav1.ObjectMeta{Name: meta.GetName(), Namespace: meta.GetNamespace(), UID: meta.GetUID(),
			ResourceVersion: meta.GetResourceVersion(), CreationTimestamp: meta.GetCreationTimestamp()}
	}
	if replicas != nil {
		s.Spec.Replicas = *replicas
	}
	if sel, err := metav1.LabelSelectorAsSelector(selector); err == nil && selector != nil {
		s.Status.Selector = sel.String()
	}
	return s
}

// updateScale runs PUT on the scale subresource.
func (h *Handler) updateScale(w http.ResponseWriter, r *http.Request, client *apiserver.Client, req request, body []byte, wo writeOptions) {
	dec, err := h.codec.decodeKind(r.Header.Get("Content-Type"), body, autoscalingv1.SchemeGroupVersion.WithKind("Scale"), &autoscalingv1.Scale{})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := fieldValidation(w, wo.directive, dec.strict, dec.strictError); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := sameName(dec.obj, req.name); err != nil {
		h.writeError(w, r, err)
		return
	}
	out, err := h.setScale(client, req, dec.obj.(*autoscalingv1.Scale))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.changedUnless(wo.dryRun)
	h.writeJSON(w, http.StatusOK, out)
}

// setScale sets the replicas through the API server's scale subresource, checking the Scale's
// resourceVersion against the object's first when it has one.
func (h *Handler) setScale(client *apiserver.Client, req request, scale *autoscalingv1.Scale) (runtime.Object, error) {
	if scale.ResourceVersion != "" {
		current, err := client.Get(req.res.Name, req.namespace, req.name)
		if err != nil {
			return nil, err
		}
		if scaleOf(req.res, current).ResourceVersion != scale.ResourceVersion {
			return nil, apierrors.NewConflict(req.res.GroupResource(), req.name,
				errors.New("the object has been modified; please apply your changes to the latest version and try again"))
		}
	}
	out, err := client.Scale(req.res.Name, req.namespace, req.name, scale.Spec.Replicas)
	if err != nil {
		return nil, err
	}
	return scaleOf(req.res, out), nil
}

// bind runs POST pods/<name>/binding, as the scheduler does.
func (h *Handler) bind(w http.ResponseWriter, r *http.Request, client *apiserver.Client, req request) {
	wo, body, ok := h.startWrite(w, r, "CreateOptions")
	if !ok {
		return
	}
	client = wo.client(client)
	dec, err := h.codec.decodeKind(r.Header.Get("Content-Type"), body, corev1.SchemeGroupVersion.WithKind("Binding"), &corev1.Binding{})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	binding := dec.obj.(*corev1.Binding)
	if binding.Name != req.name {
		h.writeError(w, r, apierrors.NewBadRequest("name in URL does not match name in Binding object"))
		return
	}
	if binding.Namespace != "" && binding.Namespace != req.namespace {
		h.writeError(w, r, apierrors.NewBadRequest("the namespace of the provided object does not match the namespace sent on the request"))
		return
	}
	if err := client.Bind(req.namespace, binding); err != nil {
		h.writeError(w, r, err)
		return
	}
	h.changedUnless(wo.dryRun)
	h.writeJSON(w, http.StatusCreated, &metav1.Status{TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status: metav1.StatusSuccess, Code: http.StatusCreated})
}

// evict runs POST pods/<name>/eviction, as kubectl drain does: the API server deletes the pod
// if its PodDisruptionBudget allows, and answers 201 with a Success Status.
func (h *Handler) evict(w http.ResponseWriter, r *http.Request, client *apiserver.Client, req request) {
	wo, body, ok := h.startWrite(w, r, "CreateOptions")
	if !ok {
		return
	}
	client = wo.client(client)
	dec, err := h.codec.decodeKind(r.Header.Get("Content-Type"), body, policyv1.SchemeGroupVersion.WithKind("Eviction"), &policyv1.Eviction{})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	ev := dec.obj.(*policyv1.Eviction)
	if ev.Name != req.name {
		h.writeError(w, r, apierrors.NewBadRequest("name in URL does not match name in Eviction object"))
		return
	}
	if err := client.Evict(req.namespace, ev); err != nil {
		var refused *apiserver.EvictionResult
		if errors.As(err, &refused) {
			// The refusal is the create's result: 201, the Failure Status in the body.
			st := refused.Status()
			st.Kind, st.APIVersion = "Status", "v1"
			h.writeJSON(w, http.StatusCreated, &st)
			return
		}
		h.writeError(w, r, err)
		return
	}
	h.changedUnless(wo.dryRun)
	h.writeJSON(w, http.StatusCreated, &metav1.Status{TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status: metav1.StatusSuccess, Code: http.StatusCreated})
}
