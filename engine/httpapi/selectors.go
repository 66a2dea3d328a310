package httpapi

import (
	"fmt"
	"net/http"
	"strconv"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// listOptions reads the label and field selectors of a list, watch or deletecollection. A field
// the resource cannot be selected by is refused with kube-apiserver's message.
func listOptions(r *http.Request, res *apiserver.Resource) (apiserver.ListOptions, error) {
	q := r.URL.Query()
	var opts apiserver.ListOptions
	ls, fs := q.Get("labelSelector"), q.Get("fieldSelector")
	if ls != "" {
		sel, err := labels.Parse(ls)
		if err != nil {
			return opts, apierrors.NewBadRequest(err.Error())
		}
		opts.LabelSelector = sel
	}
	if fs != "" {
		sel, err := fields.ParseSelector(fs)
		if err != nil {
			return opts, apierrors.NewBadRequest(err.Error())
		}
		supported := selectableFields(res)
		for _, req := range sel.Requirements() {
			if !supported[req.Field] {
				return opts, apierrors.NewBadRequest("field label not supported: " + req.Field)
			}
		}
		opts.FieldSelector = sel
	}
	if rv := q.Get("resourceVersion"); rv != "" {
		n, err := strconv.ParseInt(rv, 10, 64)
		if err != nil || n < 0 {
			return opts, apierrors.NewBadRequest(fmt.Sprintf("invalid resource version: %s", rv))
		}
		opts.ResourceVersion = n
	}
	return opts, nil
}

// selectableFields are the fields a resource can be selected by: the ones the API server's
// FieldSet offers, plus metadata.namespace for namespaced resources.
func selectableFields(res *apiserver.Resource) map[string]bool {
	out := map[string]bool{"metadata.name": true}
	if res.Namespaced {
		out["metadata.namespace"] = true
	}
	for k := range res.FieldSet(res.New()) {
		out[k] = true
	}
	return out
}
