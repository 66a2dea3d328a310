package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// serveResource runs one request on a resource.
func (h *Handler) serveResource(w http.ResponseWriter, r *http.Request, req request) {
	client := h.cfg.API.Client(callerName(r.UserAgent()))
	switch req.verb {
	case "get":
		h.get(w, r, client, req)
	case "list":
		h.list(w, r, client, req)
	case "watch":
		h.watch(w, r, req)
	case "create":
		switch req.sub {
		case "binding":
			h.bind(w, r, client, req)
			return
		case "eviction":
			h.evict(w, r, client, req)
			return
		}
		h.create(w, r, client, req)
	case "update":
		h.update(w, r, client, req)
	case "patch":
		h.patch(w, r, client, req)
	case "delete":
		h.delete(w, r, client, req)
	case "deletecollection":
		h.deleteCollection(w, r, client, req)
	default:
		h.writeError(w, r, errMethodNotAllowed())
	}
}

// callerName is who the API server records a write as: the client program named at the start
// of the User-Agent ("kubectl/v1.32.4 (linux/amd64) kubernetes/…" is kubectl), kept short and
// printable because the serve terminal narrates it.
func callerName(userAgent string) string {
	name, _, _ := strings.Cut(userAgent, "/")
	name, _, _ = strings.Cut(name, " ")
	name = strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.') {
			return r
		}
		return -1
	}, name)
	if len(name) > 40 {
		name = name[:40]
	}
	if name == "" {
		return "client"
	}
	return name
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request, client *apiserver.Client, req request) {
	obj, err := client.Get(req.res.Name, req.namespace, req.name)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if req.sub == "scale" {
		h.writeJSON(w, http.StatusOK, scaleOf(req.res, obj))
		return
	}
	h.writeObject(w, r, http.StatusOK, req.res, obj)
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request, client *apiserver.Client, req request) {
	opts, err := listOptions(r, req.res)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	objs, rev, err := client.List(req.res.Name, req.namespace, opts)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.writeList(w, r, req.res, objs, strconv.FormatInt(rev, 10))
}

func (h *Handler) create(w http.ResponseWriter, r *http.Request, client *apiserver.Client, req request) {
	wo, body, ok := h.startWrite(w, r, "CreateOptions")
	if !ok {
		return
	}
	dec, ok := h.decodeWrite(w, r, req, body, wo.directive)
	if !ok {
		return
	}
	out, err := wo.client(client).Create(req.res.Name, req.namespace, dec.obj)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.changedUnless(wo.dryRun)
	h.writeObject(w, r, http.StatusCreated, req.res, out)
}

func (h *Handler) update(w http.ResponseWriter, r *http.Request, client *apiserver.Client, req request) {
	wo, body, ok := h.startWrite(w, r, "UpdateOptions")
	if !ok {
		return
	}
	client = wo.client(client)
	if req.sub == "scale" {
		h.updateScale(w, r, client, req, body, wo)
		return
	}
	dec, ok := h.decodeWrite(w, r, req, body, wo.directive)
	if !ok {
		return
	}
	if err := sameName(dec.obj, req.name); err != nil {
		h.writeError(w, r, err)
		return
	}
	out, err := h.write(client, req, dec.obj)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.changedUnless(wo.dryRun)
	h.writeObject(w, r, http.StatusOK, req.res, out)
}

// write stores an updated object through the main resource or its status.
func (h *Handler) write(client *apiserver.Client, req request, obj runtime.Object) (runtime.Object, error) {
	if req.sub == "status" {
		return client.UpdateStatus(req.res.Name, req.namespace, obj)
	}
	return client.Update(req.res.Name, req.namespace, obj)
}

// sameName is the apiserver's check that a body names the object of the URL.
func sameName(obj runtime.Object, name string) error {
	m, err := meta.Accessor(obj)
	if err != nil {
		return apierrors.NewBadRequest(err.Error())
	}
	if m.GetName() != name {
		return apierrors.NewBadRequest(fmt.Sprintf("the name of the object (%s) does not match the name on the URL (%s)", m.GetName(), name))
	}
	return nil
}

func (h *Handler) delete(w http.ResponseWriter, r *http.Request, client *apiserver.Client, req request) {
	opts, dryRun, err := h.deleteOptions(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if dryRun {
		client = client.DryRun()
	}
	obj, err := client.Delete(req.res.Name, req.namespace, req.name, opts)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.changedUnless(dryRun)
	h.writeDeleted(w, r, req.res, obj)
}

// writeDeleted answers a delete as the generic registry does: an object still there (graceful
// deletion, finalizers) is returned; one that is gone is reported by a Success Status.
func (h *Handler) writeDeleted(w http.ResponseWriter, r *http.Request, res *apiserver.Resource, obj runtime.Object) {
	m, err := meta.Accessor(obj)
	if err == nil && m.GetDeletionTimestamp() != nil {
		h.writeObject(w, r, http.StatusOK, res, obj)
		return
	}
	st := &metav1.Status{TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"}, Status: metav1.StatusSuccess}
	if err == nil {
		st.Details = &metav1.StatusDetails{Name: m.GetName(), Group: res.Group, Kind: res.Name, UID: m.GetUID()}
	}
	h.writeJSON(w, http.StatusOK, st)
}

func (h *Handler) deleteCollection(w http.ResponseWriter, r *http.Request, client *apiserver.Client, req request) {
	opts, dryRun, err := h.deleteOptions(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if dryRun {
		client = client.DryRun()
	}
	sel, err := listOptions(r, req.res)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	objs, _, err := client.List(req.res.Name, req.namespace, sel)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	var deleted []runtime.Object
	for _, o := range objs {
		m, err := meta.Accessor(o)
		if err != nil {
			continue
		}
		out, err := client.Delete(req.res.Name, m.GetNamespace(), m.GetName(), opts)
		if apierrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		deleted = append(deleted, out)
	}
	if len(deleted) > 0 {
		h.changedUnless(dryRun)
	}
	h.writeList(w, r, req.res, deleted, strconv.FormatInt(h.cfg.API.Store().Revision(), 10))
}

// deleteOptions reads the DeleteOptions body (optional) and the query parameters, and whether the
// delete is a dry run (kubectl delete --dry-run=server sends dryRun in the body).
func (h *Handler) deleteOptions(r *http.Request) (apiserver.DeleteOptions, bool, error) {
	opts, in, err := h.readDeleteOptions(r)
	if err != nil {
		return opts, false, err
	}
	in.DryRun = append(in.DryRun, r.URL.Query()["dryRun"]...)
	dryRun, err := dryRunOf(in.DryRun, "DeleteOptions")
	return opts, dryRun, err
}

func (h *Handler) readDeleteOptions(r *http.Request) (apiserver.DeleteOptions, metav1.DeleteOptions, error) {
	var in metav1.DeleteOptions
	body, err := h.readBody(r)
	if err != nil {
		return apiserver.DeleteOptions{}, in, err
	}
	if len(strings.TrimSpace(string(body))) > 0 {
		dec, err := h.codec.serializerFor(r.Header.Get("Content-Type"), bodyMediaTypes)
		if err != nil {
			return apiserver.DeleteOptions{}, in, err
		}
		want := metav1.SchemeGroupVersion.WithKind("DeleteOptions")
		if _, _, err := dec.Decode(body, &want, &in); err != nil && !runtime.IsStrictDecodingError(err) {
			return apiserver.DeleteOptions{}, in, apierrors.NewBadRequest(err.Error())
		}
	}
	q := r.URL.Query()
	if v := q.Get("gracePeriodSeconds"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return apiserver.DeleteOptions{}, in, apierrors.NewBadRequest(fmt.Sprintf("gracePeriodSeconds: invalid value %q", v))
		}
		in.GracePeriodSeconds = &n
	}
	if v := q.Get("propagationPolicy"); v != "" {
		p := metav1.DeletionPropagation(v)
		in.PropagationPolicy = &p
	}
	if v := q.Get("orphanDependents"); v != "" {
		b := v == "true"
		in.OrphanDependents = &b //nolint:staticcheck // still accepted by the API
	}
	out := apiserver.DeleteOptions{GracePeriodSeconds: in.GracePeriodSeconds}
	if in.OrphanDependents != nil { //nolint:staticcheck // still accepted by the API
		if in.PropagationPolicy != nil {
			return out, in, apierrors.NewInvalid(metav1.SchemeGroupVersion.WithKind("DeleteOptions").GroupKind(), "",
				fieldErrors("propagationPolicy", "orphanDependents and deletionPropagation cannot be both set"))
		}
		out.PropagationPolicy = metav1.DeletePropagationBackground
		if *in.OrphanDependents { //nolint:staticcheck // still accepted by the API
			out.PropagationPolicy = metav1.DeletePropagationOrphan
		}
	}
	if in.PropagationPolicy != nil {
		switch *in.PropagationPolicy {
		case metav1.DeletePropagationOrphan, metav1.DeletePropagationBackground, metav1.DeletePropagationForeground:
			out.PropagationPolicy = *in.PropagationPolicy
		default:
			return out, in, apierrors.NewInvalid(metav1.SchemeGroupVersion.WithKind("DeleteOptions").GroupKind(), "",
				fieldNotSupported("propagationPolicy", string(*in.PropagationPolicy),
					[]string{string(metav1.DeletePropagationForeground), string(metav1.DeletePropagationBackground), string(metav1.DeletePropagationOrphan), "nil"}))
		}
	}
	if in.Preconditions != nil {
		if in.Preconditions.UID != nil {
			out.UID = string(*in.Preconditions.UID)
		}
		if in.Preconditions.ResourceVersion != nil {
			out.ResourceVersion = *in.Preconditions.ResourceVersion
		}
	}
	return out, in, nil
}

// writeOptions are the options every create, update and patch shares.
type writeOptions struct {
	directive string // the field validation directive
	dryRun    bool
}

// client is the client to write with: a dry-run one for ?dryRun=All.
func (wo writeOptions) client(c *apiserver.Client) *apiserver.Client {
	if wo.dryRun {
		return c.DryRun()
	}
	return c
}

// startWrite runs the checks every write request shares and reads its body. When the request
// cannot go on it writes the error and returns ok false. kind names the options in errors
// (CreateOptions, UpdateOptions, PatchOptions).
func (h *Handler) startWrite(w http.ResponseWriter, r *http.Request, kind string) (wo writeOptions, body []byte, ok bool) {
	wo, err := writeChecks(r, kind)
	if err == nil {
		body, err = h.readBody(r)
	}
	if err != nil {
		h.writeError(w, r, err)
		return writeOptions{}, nil, false
	}
	return wo, body, true
}

// decodeWrite decodes a create or update body into the resource's type and applies the field
// validation directive; when the body is refused it writes the error and returns ok false.
func (h *Handler) decodeWrite(w http.ResponseWriter, r *http.Request, req request, body []byte, directive string) (decoded, bool) {
	dec, err := h.codec.decode(r.Header.Get("Content-Type"), body, req.res)
	if err == nil {
		err = fieldValidation(w, directive, dec.strict, dec.strictError)
	}
	if err != nil {
		h.writeError(w, r, err)
		return decoded{}, false
	}
	return dec, true
}

// writeChecks reads the options every write shares: dry run and the field validation directive,
// validated as k8s.io/apiserver pkg/endpoints/handlers (create.go, update.go, patch.go) do.
func writeChecks(r *http.Request, kind string) (writeOptions, error) {
	dryRun, err := dryRunOf(r.URL.Query()["dryRun"], kind)
	if err != nil {
		return writeOptions{}, err
	}
	directive := r.URL.Query().Get("fieldValidation")
	switch directive {
	case "":
		return writeOptions{metav1.FieldValidationWarn, dryRun}, nil // the server's default since v1.27
	case metav1.FieldValidationIgnore, metav1.FieldValidationWarn, metav1.FieldValidationStrict:
		return writeOptions{directive, dryRun}, nil
	}
	return writeOptions{}, apierrors.NewInvalid(metav1.SchemeGroupVersion.WithKind(kind).GroupKind(), "",
		fieldNotSupported("fieldValidation", directive, []string{metav1.FieldValidationIgnore, metav1.FieldValidationWarn, metav1.FieldValidationStrict}))
}

// dryRunOf reads the dryRun option: "All" (the only value, k8s.io/apimachinery
// pkg/apis/meta/v1/validation ValidateDryRun) makes the write a dry run; anything else is refused.
func dryRunOf(values []string, kind string) (bool, error) {
	var set []string
	for _, v := range values {
		if v != "" {
			set = append(set, v)
		}
	}
	if errs := metav1validation.ValidateDryRun(field.NewPath("dryRun"), set); len(errs) > 0 {
		return false, apierrors.NewInvalid(metav1.SchemeGroupVersion.WithKind(kind).GroupKind(), "", errs)
	}
	return len(set) > 0, nil
}

// fieldValidation applies the directive to the unknown and duplicate fields found while decoding:
// Strict refuses the request, Warn sends each as a Warning header, Ignore drops them. wrap, when
// set, builds the Strict error (patches word it differently from creates).
func fieldValidation(w http.ResponseWriter, directive string, strict []error, wrap func(error) error) error {
	if len(strict) == 0 || directive == metav1.FieldValidationIgnore {
		return nil
	}
	if directive == metav1.FieldValidationStrict {
		err := runtime.NewStrictDecodingError(strict)
		if wrap != nil {
			return wrap(err)
		}
		return apierrors.NewBadRequest(err.Error())
	}
	for _, e := range strict {
		w.Header().Add("Warning", warningHeader(e.Error()))
	}
	return nil
}

// warningHeader formats a warning as RFC 7234 and kube-apiserver write it: 299 - "text", with
// quotes and backslashes escaped and control characters dropped.
func warningHeader(text string) string {
	var b strings.Builder
	b.WriteString(`299 - "`)
	for _, r := range text {
		switch {
		case r == '"' || r == '\\':
			b.WriteRune('\\')
			b.WriteRune(r)
		case unicode.IsControl(r):
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString(`"`)
	return b.String()
}
