package httpapi

import (
	"fmt"
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/kubectl/printers"
)

// writeAs writes one object in the negotiated representation.
func (h *Handler) writeAs(w http.ResponseWriter, r *http.Request, code int, out output, res *apiserver.Resource, obj runtime.Object) {
	var v any = obj
	switch out.as {
	case "Table":
		m, err := meta.Accessor(obj)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		t, err := h.table(r, out, res, []runtime.Object{obj})
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		t.ResourceVersion = m.GetResourceVersion()
		v = t
	case "PartialObjectMetadata":
		p, err := partial(obj, out.version)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		v = p
	case "PartialObjectMetadataList":
		h.writeError(w, r, notAcceptable(fmt.Sprintf("you requested PartialObjectMetadataList, but the requested object is not a list (%T)", obj)))
		return
	}
	h.encode(w, r, code, out.format, v)
}

// writeList writes the objects of a list in the negotiated representation.
func (h *Handler) writeList(w http.ResponseWriter, r *http.Request, res *apiserver.Resource, objs []runtime.Object, rv string) {
	out, err := negotiate(r.Header.Get("Accept"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var v any
	switch out.as {
	case "Table":
		t, err := h.table(r, out, res, objs)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		t.ResourceVersion = rv
		v = t
	case "PartialObjectMetadataList":
		list := &metav1.PartialObjectMetadataList{ListMeta: metav1.ListMeta{ResourceVersion: rv}}
		list.GetObjectKind().SetGroupVersionKind(metav1.SchemeGroupVersion.WithKind("PartialObjectMetadataList"))
		if out.version == "v1beta1" {
			list.APIVersion = "meta.k8s.io/v1beta1"
		}
		for _, o := range objs {
			p, err := partial(o, out.version)
			if err != nil {
				h.writeError(w, r, err)
				return
			}
			list.Items = append(list.Items, *p)
		}
		v = list
	case "PartialObjectMetadata":
		h.writeError(w, r, notAcceptable("you requested PartialObjectMetadata, but the requested object is a list"))
		return
	default:
		list, err := h.codec.newList(res, objs, rv)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		v = list
	}
	h.encode(w, r, http.StatusOK, out.format, v)
}

// table is the server-side Table of objs, with each row's object trimmed to what includeObject
// asks for (its metadata by default, as kube-apiserver sends).
func (h *Handler) table(r *http.Request, out output, res *apiserver.Resource, objs []runtime.Object) (*metav1.Table, error) {
	t, err := printers.TableFor(res.Table, objs, h.cfg.Now())
	if err != nil {
		return nil, err
	}
	if out.version == "v1beta1" {
		t.APIVersion = "meta.k8s.io/v1beta1"
	}
	include := metav1.IncludeObjectPolicy(r.URL.Query().Get("includeObject"))
	for i := range t.Rows {
		row := &t.Rows[i]
		switch include {
		case metav1.IncludeObject:
		case metav1.IncludeMetadata, "":
			p, err := partial(row.Object.Object, out.version)
			if err != nil {
				return nil, err
			}
			row.Object.Object = p
		case metav1.IncludeNone:
			row.Object.Object = nil
		default:
			return nil, apierrors.NewBadRequest(fmt.Sprintf("unrecognized includeObject value: %q", include))
		}
	}
	return t, nil
}

// partial is an object's metadata as a PartialObjectMetadata.
func partial(obj runtime.Object, version string) (*metav1.PartialObjectMetadata, error) {
	m, err := meta.Accessor(obj)
	if err != nil {
		return nil, err
	}
	p := meta.AsPartialObjectMetadata(m)
	if version == "" {
		version = "v1"
	}
	p.APIVersion, p.Kind = "meta.k8s.io/"+version, "PartialObjectMetadata"
	return p, nil
}

func notAcceptable(msg string) error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{Status: metav1.StatusFailure, Code: http.StatusNotAcceptable,
		Reason: metav1.StatusReasonNotAcceptable, Message: msg}}
}

// encode writes v as JSON or YAML.
func (h *Handler) encode(w http.ResponseWriter, r *http.Request, code int, format string, v any) {
	if format != "yaml" {
		h.writeJSON(w, code, v)
		return
	}
	b, err := yaml.Marshal(v)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/yaml")
	w.WriteHeader(code)
	_, _ = w.Write(b)
}
