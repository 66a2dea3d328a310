package httpapi

import (
	"mime"
	"net/http"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/patch"
)

// patchTypes are the patch formats served, in the order the apiserver lists them. Server-side
// apply (application/apply-patch+yaml) is not among them.
var patchTypes = []string{string(types.JSONPatchType), string(types.MergePatchType), string(types.StrategicMergePatchType)}

// maxPatchAttempts bounds the retries when the object changed under a patch.
const maxPatchAttempts = patch.MaxAttempts

// patch runs PATCH on an object or its status or scale: read the current object, apply the
// patch to its JSON, decode the result with field validation, and update; a conflict with a
// concurrent writer is retried unless the patch itself named a resourceVersion.
func (h *Handler) patch(w http.ResponseWriter, r *http.Request, client *apiserver.Client, req request) {
	wo, err := writeChecks(r, "PatchOptions")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	client = wo.client(client)
	pt, err := patchType(r.Header.Get("Content-Type"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	body, err := h.readBody(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	for attempt := 1; ; attempt++ {
		current, err := client.Get(req.res.Name, req.namespace, req.name)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		var target runtime.Object = current
		gvk, into := req.res.GroupVersionKind(), req.res.New()
		if req.sub == "scale" {
			target = scaleOf(req.res, current)
			gvk, into = autoscalingv1.SchemeGroupVersion.WithKind("Scale"), &autoscalingv1.Scale{}
		}
		patched, warnings, err := h.applyPatch(pt, target, body, gvk, into, wo.directive)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		pinned, err := patch.KeepResourceVersion(patched, target)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		if err := sameName(patched, req.name); err != nil {
			h.writeError(w, r, err)
			return
		}
		var out runtime.Object
		if req.sub == "scale" {
			out, err = h.setScale(client, req, patched.(*autoscalingv1.Scale))
		} else {
			out, err = h.write(client, req, patched)
		}
		if apierrors.IsConflict(err) && !pinned && attempt < maxPatchAttempts {
			continue
		}
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		for _, e := range warnings {
			w.Header().Add("Warning", warningHeader(e.Error()))
		}
		h.changedUnless(wo.dryRun)
		if req.sub == "scale" {
			h.writeJSON(w, http.StatusOK, out)
			return
		}
		h.writeObject(w, r, http.StatusOK, req.res, out)
		return
	}
}

// patchType reads the patch format from the Content-Type.
func patchType(contentType string) (types.PatchType, error) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err == nil {
		for _, t := range patchTypes {
			if mt == t {
				return types.PatchType(mt), nil
			}
		}
	}
	return "", errUnsupportedMediaType(patchTypes)
}

// applyPatch applies a patch to current and decodes the result into a new object (package patch,
// shared with the sandbox's kubectl patch).
func (h *Handler) applyPatch(pt types.PatchType, current runtime.Object, body []byte, gvk schema.GroupVersionKind, into runtime.Object, directive string) (runtime.Object, []error, error) {
	return patch.Apply(pt, current, body, gvk, into, directive, realSchemeDecoder{h.codec})
}

// realSchemeDecoder is the codec's JSON decoder whose "no kind is registered" errors name
// kube-apiserver's scheme, as a 422 on a patched object quotes them.
type realSchemeDecoder struct{ c codec }

func (d realSchemeDecoder) Decode(data []byte, defaults *schema.GroupVersionKind, into runtime.Object) (runtime.Object, *schema.GroupVersionKind, error) {
	obj, gvk, err := d.c.json.Decode(data, defaults, into)
	if err != nil {
		if _, isStrict := runtime.AsStrictDecodingError(err); !isStrict {
			err = d.c.realSchemeName(err)
		}
	}
	return obj, gvk, err
}
