package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// The pods/log subresource (k8s.io/kubernetes v1.37.2 pkg/registry/core/pod/rest/log.go): the
// API server checks the pod and the container, asks the pod's kubelet, and streams its answer as
// text; with follow=true it goes on writing lines as the container writes them, until the
// container ends, the client goes away or the server closes.

// streamSubresource tells the subresources served as streams rather than objects: pods/log (and
// pods/exec, see exec.go).
func streamSubresource(res *apiserver.Resource, sub string) bool {
	return res.Name == "pods" && res.Group == "" && (sub == "log" || sub == "exec")
}

// isStreamRequest tells a request to a stream subresource, before routing: kube-apiserver counts
// them as long-running (not among the requests in flight), as watches.
func isStreamRequest(r *http.Request) bool {
	return strings.HasSuffix(strings.TrimSuffix(r.URL.Path, "/"), "/log") || strings.HasSuffix(strings.TrimSuffix(r.URL.Path, "/"), "/exec")
}

// followPoll is how often a followed log is read again for new lines.
const followPoll = 200 * time.Millisecond

// serveLog answers GET pods/NAME/log.
func (h *Handler) serveLog(w http.ResponseWriter, r *http.Request, req request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.writeError(w, r, errMethodNotAllowed())
		return
	}
	opts, follow, err := podLogOptions(req.name, r.URL.Query())
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	client := h.cfg.API.Client(callerName(r.UserAgent()))
	log, err := client.PodLogs(req.namespace, req.name, opts)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(log.Text)
	if !follow || !log.Running || opts.Previous {
		return
	}
	if !h.startWatch() {
		return
	}
	defer h.endWatch()
	flusher, _ := w.(http.Flusher)
	if flusher != nil {
		flusher.Flush()
	}
	opts.TailLines, opts.SinceSeconds, opts.SinceTime = nil, nil, nil
	written := int64(len(log.Text))
	ticker := time.NewTicker(followPoll)
	defer ticker.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-h.done:
			return
		case <-ticker.C:
		}
		opts.After, opts.AfterCount = log.Last, log.LastCount
		next, err := client.PodLogs(req.namespace, req.name, opts)
		if err != nil {
			return // the pod or its container went away: the stream ends
		}
		text := next.Text
		if opts.LimitBytes != nil {
			left := *opts.LimitBytes - written
			if int64(len(text)) > left {
				text = text[:max(left, 0)]
			}
		}
		if len(text) > 0 {
			if _, err := w.Write(text); err != nil {
				return
			}
			written += int64(len(text))
			if flusher != nil {
				flusher.Flush()
			}
		}
		log = next
		if !next.Running || (opts.LimitBytes != nil && written >= *opts.LimitBytes) {
			return
		}
	}
}

// podLogOptions reads the query of a pods/log request as v1.PodLogOptions, checked as
// ValidatePodLogOptions checks them (pkg/apis/core/validation/validation.go).
func podLogOptions(name string, q url.Values) (apiserver.PodLogOptions, bool, error) {
	var opts apiserver.PodLogOptions
	var errs field.ErrorList
	opts.Container = q.Get("container")
	boolean := func(key string) (bool, error) {
		v := q.Get(key)
		if v == "" {
			return false, nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, apierrors.NewBadRequest(err.Error())
		}
		return b, nil
	}
	follow, err := boolean("follow")
	if err != nil {
		return opts, false, err
	}
	if opts.Previous, err = boolean("previous"); err != nil {
		return opts, false, err
	}
	if opts.Timestamps, err = boolean("timestamps"); err != nil {
		return opts, false, err
	}
	for _, p := range []struct {
		key string
		to  **int64
	}{{"tailLines", &opts.TailLines}, {"sinceSeconds", &opts.SinceSeconds}, {"limitBytes", &opts.LimitBytes}} {
		n, err := apiserver.ParseInt64(q.Get(p.key))
		if err != nil {
			return opts, false, apierrors.NewBadRequest(err.Error())
		}
		*p.to = n
	}
	if v := q.Get("sinceTime"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return opts, false, apierrors.NewBadRequest(err.Error())
		}
		opts.SinceTime = &t
	}
	if opts.TailLines != nil && *opts.TailLines < 0 {
		errs = append(errs, field.Invalid(field.NewPath("tailLines"), *opts.TailLines, "must be greater than or equal to 0"))
	}
	if opts.LimitBytes != nil && *opts.LimitBytes < 1 {
		errs = append(errs, field.Invalid(field.NewPath("limitBytes"), *opts.LimitBytes, "must be greater than 0"))
	}
	switch {
	case opts.SinceSeconds != nil && opts.SinceTime != nil:
		errs = append(errs, field.Forbidden(field.NewPath(""), "at most one of `sinceTime` or `sinceSeconds` may be specified"))
	case opts.SinceSeconds != nil && *opts.SinceSeconds < 1:
		errs = append(errs, field.Invalid(field.NewPath("sinceSeconds"), *opts.SinceSeconds, "must be greater than 0"))
	}
	if len(errs) > 0 {
		return opts, false, apierrors.NewInvalid(schema.GroupKind{Kind: "PodLogOptions"}, name, errs)
	}
	return opts, follow, nil
}
