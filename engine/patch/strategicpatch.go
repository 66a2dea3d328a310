package patch

import (
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
)

// PanicMessage is what kube-apiserver answers, with a 500, when a request makes it panic (its
// panic filter, WithPanicRecovery in k8s.io/apiserver/pkg/server/filters/wrap.go, v0.37.2).
const PanicMessage = "This request caused apiserver to panic. Look in the logs for details."

// strategicMergeMapPatch applies a strategic merge patch with apimachinery's strategicpatch. Some
// patches make the library panic (an object in a $retainKeys list, for one); kube-apiserver then
// answers 500, and so does this server (writeError logs it), instead of crashing.
func strategicMergeMapPatch(original, patch map[string]any, schema runtime.Object) (out map[string]any, err error) {
	defer func() {
		if recover() != nil {
			out, err = nil, &apierrors.StatusError{ErrStatus: metav1.Status{Status: metav1.StatusFailure,
				Code: http.StatusInternalServerError, Reason: metav1.StatusReasonInternalError, Message: PanicMessage}}
		}
	}()
	return strategicpatch.StrategicMergeMapPatch(original, patch, schema)
}
