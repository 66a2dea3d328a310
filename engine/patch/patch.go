// Package patch applies JSON, merge and strategic merge patches to an object as kube-apiserver's
// patchers do (k8s.io/apiserver v0.37.2 pkg/endpoints/handlers/patch.go), for both the API
// server over HTTP (httpapi) and the sandbox's kubectl patch.
package patch

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"
	kjson "sigs.k8s.io/json"

	"github.com/k8slearn/k8slearn/engine/internal/strategicmerge"
)

// MaxJSONPatchOperations is the apiserver's bound on the operations of one JSON patch.
const MaxJSONPatchOperations = 10000

// MaxAttempts bounds the retries when the object changed under a patch, as the apiserver's
// patcher retries on conflicts.
const MaxAttempts = 5

// Apply applies a patch to current and decodes the result into into (a new, empty object of
// the kind gvk) with decoder, a strict JSON decoder of the API server's scheme. It returns the
// unknown or duplicate fields to warn about (field validation Warn); with Strict they are an
// error, worded as the apiserver's patchers word it. Every error is an API status error.
func Apply(pt types.PatchType, current runtime.Object, body []byte, gvk schema.GroupVersionKind, into runtime.Object, directive string, decoder runtime.Decoder) (runtime.Object, []error, error) {
	if pt == types.StrategicMergePatchType {
		return strategicPatch(current, body, into, directive)
	}
	currentJS, err := json.Marshal(current)
	if err != nil {
		return nil, nil, err
	}
	var patchedJS []byte
	var strict []error
	switch pt {
	case types.JSONPatchType:
		ops, err := jsonpatch.DecodePatch(body)
		if err != nil {
			return nil, nil, apierrors.NewBadRequest(err.Error())
		}
		if len(ops) > MaxJSONPatchOperations {
			return nil, nil, apierrors.NewRequestEntityTooLargeError(
				fmt.Sprintf("The allowed maximum operations in a JSON patch is %d, got %d", MaxJSONPatchOperations, len(ops)))
		}
		patchedJS, err = ops.Apply(currentJS)
		if err != nil {
			return nil, nil, apierrors.NewGenericServerResponse(http.StatusUnprocessableEntity, "", schema.GroupResource{}, "", err.Error(), 0, false)
		}
	case types.MergePatchType:
		if directive != metav1.FieldValidationIgnore {
			var m map[string]any
			strict, err = kjson.UnmarshalStrict(body, &m)
			if err != nil {
				return nil, nil, apierrors.NewBadRequest(err.Error())
			}
		}
		patchedJS, err = jsonpatch.MergePatch(currentJS, body)
		if err != nil {
			return nil, nil, apierrors.NewBadRequest(err.Error())
		}
	default:
		return nil, nil, apierrors.NewBadRequest(fmt.Sprintf("unknown patch type %q", pt))
	}
	obj, _, err := decoder.Decode(patchedJS, &gvk, into)
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
	return validatePatched(obj, strict, directive, invalid)
}

// strategicPatch applies a strategic merge patch on the object's map form, as the apiserver's
// smpPatcher does, with the patch strategies of the Go type's struct tags. strategicmerge does
// what apimachinery's strategicpatch does, without linking kube-openapi and protobuf.
func strategicPatch(current runtime.Object, body []byte, into runtime.Object, directive string) (runtime.Object, []error, error) {
	currentMap, err := runtime.DefaultUnstructuredConverter.ToUnstructured(current)
	if err != nil {
		return nil, nil, err
	}
	patchMap := map[string]any{}
	var strict []error
	if directive == metav1.FieldValidationIgnore {
		err = kjson.UnmarshalCaseSensitivePreserveInts(body, &patchMap)
	} else {
		strict, err = kjson.UnmarshalStrict(body, &patchMap)
	}
	if err != nil {
		return nil, nil, apierrors.NewBadRequest(err.Error())
	}
	patchedMap, err := strategicmerge.Apply(currentMap, patchMap, into)
	if err != nil {
		return nil, nil, InterpretStrategicMergePatchError(err)
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

// InterpretStrategicMergePatchError gives strategic merge patch failures the apiserver's codes.
func InterpretStrategicMergePatchError(err error) error {
	switch {
	case errors.Is(err, strategicmerge.ErrBadJSONDoc), errors.Is(err, strategicmerge.ErrBadPatchFormatForPrimitiveList),
		errors.Is(err, strategicmerge.ErrBadPatchFormatForRetainKeys), errors.Is(err, strategicmerge.ErrBadPatchFormatForSetElementOrderList),
		errors.Is(err, strategicmerge.ErrUnsupportedStrategicMergePatchFormat):
		return apierrors.NewBadRequest(err.Error())
	case errors.Is(err, strategicmerge.ErrNoListOfLists), errors.Is(err, strategicmerge.ErrPatchContentNotMatchRetainKeys):
		return apierrors.NewGenericServerResponse(http.StatusUnprocessableEntity, "", schema.GroupResource{}, "", err.Error(), 0, false)
	}
	return apierrors.NewBadRequest(err.Error())
}

// KeepResourceVersion gives the patched object the current resourceVersion when the patch did
// not set one, and reports whether the patch pinned its own (then a conflict is the answer).
func KeepResourceVersion(patched, current runtime.Object) (bool, error) {
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
