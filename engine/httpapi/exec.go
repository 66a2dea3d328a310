package httpapi

import (
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// serveStream serves the stream subresources of pods.
func (h *Handler) serveStream(w http.ResponseWriter, r *http.Request, req request) {
	if req.sub == "log" {
		h.serveLog(w, r, req)
		return
	}
	h.serveExec(w, r, req)
}

// serveExec answers pods/exec. The streaming protocols kubectl speaks for exec (WebSocket
// v5.channel.k8s.io, or SPDY/3.1 before kubectl 1.30) are not served: a clear Status says so, and
// the sandbox's kubectl exec runs the same commands.
func (h *Handler) serveExec(w http.ResponseWriter, r *http.Request, req request) {
	h.writeError(w, r, apierrors.NewBadRequest("k8slearn serve does not stream exec sessions; run kubectl exec in k8slearn sandbox instead"))
}
