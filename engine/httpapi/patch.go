package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"reflect"

	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/mergepatch"
	"k8s.io/apimachinery/pkg/util/validation/field"
	kjson "sigs.k8s.io/json"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// patchTypes are the patch formats served, in the order the apiserver lists them. Server-side
// apply (application/apply-patch+yaml) is not among them.
var patchTypes = []string{string(types.JSONPatchType), string(types.MergePatchType), string(types.StrategicMergePatchType)}

// maxJSONPatchOperations is the apiserver's bound on the operations of one JSON patch.
const maxJSONPatchOperations = 10000

// maxPatchAttempts bounds the retries when the object changed under a patch, as the apiserver's
// patcher retries on conflicts.
const maxPatchAttempts = 5

// patch runs PATCH on an object or its status or scale: read the current object, apply the
// patch to its JSON, decode the result with field validation, and update; a conflict with a
// concurrent writer is retried unless the patch itself named a resourceVersion.
func (h *Handler) patch(w http.ResponseWriter, r *http.Request, client *apiserver.Client, req request) {
	directive, err := writeChecks(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
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
		patched, warnings, err := h.applyPatch(pt, target, body, gvk, into, directive)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		pinned, err := keepResourceVersion(patched, target)
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
		h.changed()
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

// keepResourceVersion gives the patched object the current resourceVersion when the patch did
// not set one, and reports whether the patch pinned its own (then a conflict is the answer).
func keepResourceVersion(patched, current runtime.Object) (bool, error) {
	pm, err := meta.Accessor(patched)
	if err != nil {
		return false, err
	}
	cm, err := meta.Accessor(current)
	if err != nil {
		return false, err
	}
	if pm.GetResourceVersion() == "" {
		pm.SetResourceVersion(cm.GetResourceVersion())
		return false, nil
	}
	return pm.GetResourceVersion() != cm.GetResourceVersion(), nil
}

// applyPatch applies a patch to current and decodes the result into a new object. It returns the
// unknown or duplicate fields to warn about (field validation Warn); with Strict they are an
// error, worded as the apiserver's patchers word it.
func (h *Handler) applyPatch(pt types.PatchType, current runtime.Object, patch []byte, gvk schema.GroupVersionKind, into runtime.Object, directive string) (runtime.Object, []error, error) {
	if pt == types.StrategicMergePatchType {
		return strategicPatch(current, patch, into, directive)
	}
	currentJS, err := json.Marshal(current)
	if err != nil {
		return nil, nil, err
	}
	var patchedJS []byte
	var strict []error
	switch pt {
	case types.JSONPatchType:
		ops, err := jsonpatch.DecodePatch(patch)
		if err != nil {
			return nil, nil, apierrors.NewBadRequest(err.Error())
		}
		if len(ops) > maxJSONPatchOperations {
			return nil, nil, apierrors.NewRequestEntityTooLargeError(
				fmt.Sprintf("The allowed maximum operations in a JSON patch is %d, got %d", maxJSONPatchOperations, len(ops)))
		}
		patchedJS, err = ops.Apply(currentJS)
		if err != nil {
			return nil, nil, apierrors.NewGenericServerResponse(http.StatusUnprocessableEntity, "", schema.GroupResource{}, "", err.Error(), 0, false)
		}
	case types.MergePatchType:
		if directive != metav1.FieldValidationIgnore {
			var m map[string]any
			strict, err = kjson.UnmarshalStrict(patch, &m)
			if err != nil {
				return nil, nil, apierrors.NewBadRequest(err.Error())
			}
		}
		patchedJS, err = jsonpatch.MergePatch(currentJS, patch)
		if err != nil {
			return nil, nil, apierrors.NewBadRequest(err.Error())
		}
	}
	obj, got, err := h.codec.json.Decode(patchedJS, &gvk, into)
	invalid := func(msg string) error {
		return apierrors.NewInvalid(schema.GroupKind{}, "", field.ErrorList{field.Invalid(field.NewPath("patch"), string(patchedJS), msg)})
	}
	if err != nil {
		se, isStrict := runtime.AsStrictDecodingError(err)
		if !isStrict || obj == nil {
			return nil, nil, invalid(err.Error())
		}
		strict = append(strict, se.Errors()...)
	}
	if reflect.TypeOf(obj) != reflect.TypeOf(into) {
		// A patch that rewrote apiVersion and kind: the apiserver decodes into the endpoint's type
		// (runtime.DecodeInto), and there is no conversion from one kind to another.
		return nil, nil, invalid(fmt.Sprintf("converting (%s.%s) to (%s.%s): unknown conversion", got.Version, got.Kind, internalPackage(gvk.Group), gvk.Kind))
	}
	return validatePatched(obj, strict, directive, invalid)
}

// strategicPatch applies a strategic merge patch on the object's map form, as the apiserver's
// smpPatcher does, with the patch strategies of the Go type's struct tags.
func strategicPatch(current runtime.Object, patch []byte, into runtime.Object, directive string) (runtime.Object, []error, error) {
	currentMap, err := runtime.DefaultUnstructuredConverter.ToUnstructured(current)
	if err != nil {
		return nil, nil, err
	}
	patchMap := map[string]any{}
	var strict []error
	if directive == metav1.FieldValidationIgnore {
		err = kjson.UnmarshalCaseSensitivePreserveInts(patch, &patchMap)
	} else {
		strict, err = kjson.UnmarshalStrict(patch, &patchMap)
	}
	if err != nil {
		return nil, nil, apierrors.NewBadRequest(err.Error())
	}
	patchedMap, err := strategicMergeMapPatch(currentMap, patchMap, into)
	if err != nil {
		return nil, nil, interpretStrategicMergePatchError(err)
	}
	invalid := func(msg string) error {
		return apierrors.NewInvalid(schema.GroupKind{}, "", field.ErrorList{field.Invalid(field.NewPath("patch"), fmt.Sprintf("%+v", patchMap), msg)})
	}
	returnUnknown := directive != metav1.FieldValidationIgnore
	if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(patchedMap, into, returnUnknown); err != nil {
		se, isStrict := runtime.AsStrictDecodingError(err)
		if !isStrict {
			return nil, nil, invalid(err.Error())
		}
		strict = append(strict, se.Errors()...)
	}
	return validatePatched(into, strict, directive, invalid)
}

// validatePatched applies the field validation directive to a patched object's strict errors.
func validatePatched(obj runtime.Object, strict []error, directive string, invalid func(string) error) (runtime.Object, []error, error) {
	if len(strict) == 0 || directive == metav1.FieldValidationIgnore {
		return obj, nil, nil
	}
	if directive == metav1.FieldValidationStrict {
		return nil, nil, invalid(runtime.NewStrictDecodingError(strict).Error())
	}
	return obj, strict, nil
}

// interpretStrategicMergePatchError gives strategic merge patch failures the apiserver's codes.
func interpretStrategicMergePatchError(err error) error {
	if _, ok := err.(apierrors.APIStatus); ok {
		return err // already the answer (strategicMergeMapPatch's 500)
	}
	switch {
	case errors.Is(err, mergepatch.ErrBadJSONDoc), errors.Is(err, mergepatch.ErrBadPatchFormatForPrimitiveList),
		errors.Is(err, mergepatch.ErrBadPatchFormatForRetainKeys), errors.Is(err, mergepatch.ErrBadPatchFormatForSetElementOrderList),
		errors.Is(err, mergepatch.ErrUnsupportedStrategicMergePatchFormat):
		return apierrors.NewBadRequest(err.Error())
	case errors.Is(err, mergepatch.ErrNoListOfLists), errors.Is(err, mergepatch.ErrPatchContentNotMatchRetainKeys):
		return apierrors.NewGenericServerResponse(http.StatusUnprocessableEntity, "", schema.GroupResource{}, "", err.Error(), 0, false)
	}
	return apierrors.NewBadRequest(err.Error())
}
