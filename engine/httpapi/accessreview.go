package httpapi

import (
	"encoding/json"
	"net/http"

	authorizationv1 "k8s.io/api/authorization/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// accessReviewPath is where clients ask what they may do (kubectl auth can-i, and k8slearn's own
// real-cluster preflight). `k8slearn serve` has one user, who may do everything, as a cluster
// admin in system:masters; the review is answered, never stored (as kube-apiserver's
// pkg/registry/authorization/selfsubjectaccessreview/rest.go does).
const accessReviewPath = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"

func (h *Handler) serveAccessReview(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		h.writeError(w, r, errMethodNotAllowed())
		return
	}
	body, err := h.readBody(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var review authorizationv1.SelfSubjectAccessReview
	if err := json.Unmarshal(body, &review); err != nil {
		h.writeError(w, r, apierrors.NewBadRequest(err.Error()))
		return
	}
	spec := review.Spec
	if (spec.ResourceAttributes == nil) == (spec.NonResourceAttributes == nil) {
		// The message of pkg/apis/authorization/validation/validation.go (v1.37.2).
		errs := field.ErrorList{field.Invalid(field.NewPath("spec"), spec.NonResourceAttributes,
			"exactly one of nonResourceAttributes or resourceAttributes must be specified")}
		h.writeError(w, r, apierrors.NewInvalid(schema.GroupKind{Group: "authorization.k8s.io", Kind: "SelfSubjectAccessReview"}, "", errs))
		return
	}
	review.APIVersion, review.Kind = "authorization.k8s.io/v1", "SelfSubjectAccessReview"
	review.Status = authorizationv1.SubjectAccessReviewStatus{Allowed: true}
	h.writeJSON(w, http.StatusCreated, review)
}
