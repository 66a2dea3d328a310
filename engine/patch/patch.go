// Package patch applies JSON, merge and strategic merge patches to an object as kube-apiserver's
// patchers do (k8s.io/apiserver v0.37.2 pkg/endpoints/handlers/patch.go), for both the API
// server over HTTP (httpapi) and the sandbox's kubectl patch.
package patch

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/mergepatch"
	"k8s.io/apimachinery/pkg/util/validation/field"
	kjson "sigs.k8s.io/json"
)

// MaxJSONPatchOperations is the apiserver's bound on the operations of one JSON patch
// (k8s.io/apiserver v0.37.2 pkg/endpoints/handlers/patch.go).
const MaxJSONPatchOperations = 10000

// maxJSONPatchCopyBytes bounds how much the copy operations of one JSON patch may add to an
// object: kube-apiserver's JSONPatchMaxCopyBytes, 3 MiB (k8s.io/apiserver v0.37.2
// pkg/server/config.go). Without it a small patch that copies a value onto itself again and
// again doubles it at every operation.
const maxJSONPatchCopyBytes = 3 << 20

// LimitJSONPatchCopies sets json-patch's copy limit. json-patch v4 keeps the limit in a package
// variable, and kube-apiserver sets it as done here when it starts (k8s.io/apiserver v0.37.2
// pkg/server/config.go, completedConfig.New): it is only ever lowered to our value, and written
// at most once, so that a patch applied meanwhile by another caller never races with a write.
// Apply calls it before every JSON patch, so the limit holds for every user of this package.
func LimitJSONPatchCopies() {
	for {
		existing := atomic.LoadInt64(&jsonpatch.AccumulatedCopySizeLimit)
		if existing > 0 && existing <= maxJSONPatchCopyBytes {
			return
		}
		if atomic.CompareAndSwapInt64(&jsonpatch.AccumulatedCopySizeLimit, existing, maxJSONPatchCopyBytes) {
			return
		}
	}
}

// MaxAttempts bounds the retries when the object changed under a patch, as the apiserver's
// patcher retries on conflicts.
const MaxAttempts = 5

// Apply applies a patch to current and decodes the result into into (a new, empty object of
// the kind gvk) with decoder, a strict JSON decoder of the API server's scheme. It returns the
// unknown or duplicate fields to warn about (field validation Warn); with Strict they are an
// error, worded as the apiserver's patchers word it. Every error is an API status error. The
// decoder's errors are quoted as they are: a caller that wants them worded otherwise (httpapi
// names kube-apiserver's scheme) wraps the decoder.
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
		LimitJSONPatchCopies()
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
		return apierrors.NewInvalid(schema.GroupKind{}, "", field.ErrorList{field.Invalid(field.NewPath("patch"), quotedPatchedObject(patchedJS), msg)})
	}
	if err != nil {
		se, isStrict := runtime.AsStrictDecodingError(err)
		if !isStrict || obj == nil {
			return nil, nil, invalid(err.Error())
		}
		strict = append(strict, se.Errors()...)
	}
	if reflect.TypeOf(obj) != reflect.TypeOf(into) {
		// The patch changed the kind: the apiserver decodes the other kind and fails to convert
		// it to the endpoint's type (k8s.io/apiserver v0.37.2 pkg/endpoints/handlers/patch.go).
		return nil, nil, invalid(UnknownConversion(obj.GetObjectKind().GroupVersionKind(), gvk).Error())
	}
	return validatePatched(obj, strict, directive, invalid)
}

// UnknownConversion is the scheme's error for an object of one kind decoded where another was
// wanted: there is no conversion from one kind to another (k8s.io/apimachinery v0.37.2
// pkg/conversion/converter.go, Converter.Convert).
func UnknownConversion(got, want schema.GroupVersionKind) error {
	return fmt.Errorf("converting (%s.%s) to (%s.%s): unknown conversion", got.Version, got.Kind, internalPackage(want.Group), want.Kind)
}

// internalPackage is the name of the apiserver's internal API package for a group, as conversion
// errors print it ("core" for the core group).
func internalPackage(group string) string {
	if group == "" {
		return "core"
	}
	return strings.Split(group, ".")[0]
}

// maxQuotedPatchedObject bounds the patched object a 422 quotes.
const maxQuotedPatchedObject = 64 << 10

// quotedPatchedObject is the patched object as a 422 quotes it when it cannot be decoded.
// kube-apiserver quotes it whole (k8s.io/apiserver v0.37.2 pkg/endpoints/handlers/patch.go,
// jsonPatcher.applyPatchToCurrentObject), in the message and again in the cause, each quote
// escaped twice: a 1.5 MiB patch got a 17 MB answer, built in memory. k8slearn quotes the first
// 64 KiB, cut as the apiserver cuts the bodies it quotes in decode errors (summarizeData in
// pkg/endpoints/handlers/rest.go: " ..."); every object a learner patches is far smaller.
func quotedPatchedObject(js []byte) string {
	if len(js) <= maxQuotedPatchedObject {
		return string(js)
	}
	n := maxQuotedPatchedObject
	for n > 0 && !utf8.RuneStart(js[n]) {
		n--
	}
	return string(js[:n]) + " ..."
}

// strategicPatch applies a strategic merge patch on the object's map form, as the apiserver's
// smpPatcher does, with the patch strategies of the Go type's struct tags (apimachinery's
// strategicpatch).
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
	patchedMap, err := strategicMergeMapPatch(currentMap, patchMap, into)
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
