package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// statusFor turns any error into the Status kube-apiserver would send: API errors keep their code,
// reason and message; anything else is a 500 InternalError.
func statusFor(err error) metav1.Status {
	var se apierrors.APIStatus
	if errors.As(err, &se) {
		st := se.Status()
		if st.Code == 0 {
			st.Code = http.StatusInternalServerError
		}
		if st.Status == "" {
			st.Status = metav1.StatusFailure
		}
		return st
	}
	return apierrors.NewInternalError(err).ErrStatus
}

// writeError writes err as a Status object with its HTTP code.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	st := statusFor(err)
	if st.Code >= http.StatusInternalServerError {
		h.logf("%s %s: %d %s", r.Method, r.URL.Path, st.Code, st.Message)
	}
	h.writeStatus(w, st)
}

// writeStatus writes a Status with its code, and the Retry-After its details ask for, which
// client-go waits for and retries (ErrorNegotiated, k8s.io/apiserver v0.37.2
// pkg/endpoints/handlers/responsewriters/writers.go).
func (h *Handler) writeStatus(w http.ResponseWriter, st metav1.Status) {
	if st.Details != nil && st.Details.RetryAfterSeconds > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(st.Details.RetryAfterSeconds)))
	}
	st.Kind = "Status"
	st.APIVersion = "v1"
	h.writeJSON(w, int(st.Code), &st)
}

// errNotFoundPath is what kube-apiserver answers for a path it does not serve.
func errNotFoundPath() error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{Status: metav1.StatusFailure, Code: http.StatusNotFound,
		Reason: metav1.StatusReasonNotFound, Message: "the server could not find the requested resource",
		Details: &metav1.StatusDetails{}}}
}

// errMethodNotAllowed is the answer for a verb a resource does not serve.
func errMethodNotAllowed() error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{Status: metav1.StatusFailure, Code: http.StatusMethodNotAllowed,
		Reason: metav1.StatusReasonMethodNotAllowed, Message: "the server does not allow this method on the requested resource",
		Details: &metav1.StatusDetails{}}}
}

// errTooLarge is the answer for a body over the limit (the apiserver's own wording).
func errTooLarge(limit int64) error {
	return apierrors.NewRequestEntityTooLargeError(fmt.Sprintf("limit is %d", limit))
}

// errUnsupportedMediaType is the answer for a body in a format we do not read.
func errUnsupportedMediaType(accepted []string) error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{Status: metav1.StatusFailure, Code: http.StatusUnsupportedMediaType,
		Reason:  metav1.StatusReasonUnsupportedMediaType,
		Message: "the body of the request was in an unknown format - accepted media types include: " + strings.Join(accepted, ", ")}}
}

// errNotAcceptable is the answer when no media type in Accept can be produced.
func errNotAcceptable() error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{Status: metav1.StatusFailure, Code: http.StatusNotAcceptable,
		Reason: metav1.StatusReasonNotAcceptable,
		Message: "only the following media types are accepted: application/json, application/yaml, " +
			"application/json;as=Table;v=v1;g=meta.k8s.io"}}
}

// errUnauthorized is the answer to a request without the right bearer token.
func errUnauthorized() error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{Status: metav1.StatusFailure, Code: http.StatusUnauthorized,
		Reason: metav1.StatusReasonUnauthorized, Message: "Unauthorized"}}
}

// fieldErrors is a one-error field.ErrorList (Invalid) for option checks.
func fieldErrors(path, detail string) field.ErrorList {
	return field.ErrorList{field.Invalid(field.NewPath(path), nil, detail)}
}

// fieldNotSupported is a one-error field.ErrorList for a value outside a fixed set.
func fieldNotSupported(path, value string, valid []string) field.ErrorList {
	return field.ErrorList{field.NotSupported(field.NewPath(path), value, valid)}
}
