package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// defaultWatchTimeout ends a watch whose client gave no timeoutSeconds, as kube-apiserver ends
// every watch after its request timeout (at least 30 minutes); clients then watch again.
const defaultWatchTimeout = 30 * time.Minute

// watch streams the changes of a resource as newline-separated WatchEvent objects in one chunked
// response, until the client goes away, the timeout passes or the handler is closed. Without a
// resourceVersion (or with "0") the stream starts with an ADDED event for every current object;
// with one, it replays the changes after it, or sends a 410 Expired ERROR event when they are
// no longer kept.
func (h *Handler) watch(w http.ResponseWriter, r *http.Request, req request) {
	opts, err := listOptions(r, req.res)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if req.name != "" { // a watch on one object is a watch on the collection for its name
		byName := fields.OneTermEqualSelector("metadata.name", req.name)
		if opts.FieldSelector != nil {
			byName = fields.AndSelectors(opts.FieldSelector, byName)
		}
		opts.FieldSelector = byName
	}
	out, err := negotiate(r.Header.Get("Accept"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if out.as == "PartialObjectMetadataList" {
		out.as = "PartialObjectMetadata"
	}
	q := r.URL.Query()
	timeout := defaultWatchTimeout
	if v := q.Get("timeoutSeconds"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			h.writeError(w, r, apierrors.NewBadRequest("invalid timeoutSeconds: "+v))
			return
		}
		if n > 0 {
			timeout = time.Duration(n) * time.Second
		}
	}
	if !h.startWatch() {
		h.writeError(w, r, apierrors.NewServiceUnavailable("the server is shutting down"))
		return
	}
	defer h.endWatch()

	rv := q.Get("resourceVersion")
	sendInitial := rv == "" || rv == "0" || q.Get("sendInitialEvents") == "true"
	var initial []runtime.Object
	if sendInitial {
		listed, rev, err := h.cfg.API.Client("kube-apiserver").ListShared(req.res.Name, req.namespace,
			apiserver.ListOptions{LabelSelector: opts.LabelSelector, FieldSelector: opts.FieldSelector})
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		initial, opts.ResourceVersion = listed, rev
	}
	watcher, err := h.cfg.API.Watch(req.res.Name, req.namespace, opts)
	if err != nil && !apierrors.IsResourceExpired(err) && !apierrors.IsGone(err) {
		h.writeError(w, r, err)
		return
	}

	s := &eventStream{h: h, w: w, r: r, out: out, res: req.res}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache, private")
	w.WriteHeader(http.StatusOK)
	if err != nil { // too old: the apiserver answers 200 and an ERROR event, and the client relists
		st := statusFor(err)
		st.Kind, st.APIVersion = "Status", "v1"
		_ = s.send(watch.Error, &st)
		return
	}
	defer watcher.Stop()
	for _, obj := range initial {
		if s.send(watch.Added, obj) != nil {
			return
		}
	}
	if q.Get("sendInitialEvents") == "true" && q.Get("allowWatchBookmarks") == "true" {
		if s.bookmark(opts.ResourceVersion) != nil {
			return
		}
	}
	s.flush()

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case <-watcher.Ready():
			for _, ev := range watcher.Drain() {
				if s.send(ev.Type, ev.Object) != nil {
					return
				}
			}
			s.flush()
		case <-r.Context().Done():
			return
		case <-h.done:
			return
		case <-timer.C:
			return
		}
	}
}

// startWatch registers a watch unless the handler is closing.
func (h *Handler) startWatch() bool {
	h.watchMu.Lock()
	defer h.watchMu.Unlock()
	if h.closing {
		return false
	}
	h.watches.Add(1)
	h.openWatches++
	return true
}

// endWatch unregisters a watch; the last one to end empties the event cache, which only serves
// watchers reading the same changes.
func (h *Handler) endWatch() {
	h.watchMu.Lock()
	h.openWatches--
	if h.openWatches == 0 {
		h.events.reset()
	}
	h.watchMu.Unlock()
	h.watches.Done()
}

// eventStream writes the events of one watch.
type eventStream struct {
	h          *Handler
	w          http.ResponseWriter
	r          *http.Request
	out        output
	res        *apiserver.Resource
	sentHeader bool // a Table stream sends its column definitions once, with the first event
}

// send writes one event; its error means the client is gone.
func (s *eventStream) send(t watch.EventType, obj runtime.Object) error {
	if s.out.as == "" { // the plain object: the same bytes for every watcher
		b, err := s.h.events.encode(t, obj)
		if err != nil {
			return err
		}
		_, err = s.w.Write(b)
		return err
	}
	payload, err := s.transform(obj)
	if err != nil {
		st := statusFor(err)
		st.Kind, st.APIVersion = "Status", "v1"
		t, payload = watch.Error, &st
	}
	b, err := encodeEvent(t, payload)
	if err != nil {
		return err
	}
	_, err = s.w.Write(b)
	return err
}

// encodeEvent is a WatchEvent as one JSON line. The object is encoded once, not re-compacted as
// json.Marshal of a RawExtension would.
func encodeEvent(t watch.EventType, obj runtime.Object) ([]byte, error) {
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(b)+40)
	out = append(out, `{"type":`...)
	out = strconv.AppendQuote(out, string(t))
	out = append(out, `,"object":`...)
	out = append(out, b...)
	return append(out, "}\n"...), nil
}

// eventCacheSize is how many encoded events are kept for the other watchers of the same change.
const eventCacheSize = 1024

// eventCache keeps the JSON of recent watch events. Every watcher of a change is handed the same
// object (the store's, never modified), so it is encoded once for all of them, as kube-apiserver's
// watch cache does.
type eventCache struct {
	mu      sync.Mutex
	entries map[eventKey][]byte
	order   []eventKey // oldest first, for eviction
}

type eventKey struct {
	typ watch.EventType
	obj runtime.Object
}

func (c *eventCache) reset() {
	c.mu.Lock()
	c.entries, c.order = nil, nil
	c.mu.Unlock()
}

func (c *eventCache) encode(t watch.EventType, obj runtime.Object) ([]byte, error) {
	key := eventKey{t, obj}
	c.mu.Lock()
	b, ok := c.entries[key]
	c.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := encodeEvent(t, obj)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[eventKey][]byte{}
	}
	if _, ok := c.entries[key]; !ok {
		c.entries[key] = b
		c.order = append(c.order, key)
		if len(c.order) > eventCacheSize {
			delete(c.entries, c.order[0])
			c.order = append(c.order[:0:0], c.order[1:]...)
		}
	}
	return b, nil
}

// transform turns an object into what the client asked the stream to carry.
func (s *eventStream) transform(obj runtime.Object) (runtime.Object, error) {
	if _, ok := obj.(*metav1.Status); ok {
		return obj, nil
	}
	switch s.out.as {
	case "Table":
		t, err := s.h.table(s.r, s.out, s.res, []runtime.Object{obj})
		if err != nil {
			return nil, err
		}
		if m, err := meta.Accessor(obj); err == nil {
			t.ResourceVersion = m.GetResourceVersion()
		}
		if s.sentHeader {
			t.ColumnDefinitions = nil
		}
		s.sentHeader = true
		return t, nil
	case "PartialObjectMetadata":
		return partial(obj, s.out.version)
	}
	return obj, nil
}

// bookmark marks the end of the initial events of a watch-list request.
func (s *eventStream) bookmark(rev int64) error {
	obj := s.res.New()
	m, err := meta.Accessor(obj)
	if err != nil {
		return err
	}
	m.SetResourceVersion(strconv.FormatInt(rev, 10))
	m.SetAnnotations(map[string]string{metav1.InitialEventsAnnotationKey: "true"})
	obj.GetObjectKind().SetGroupVersionKind(s.res.GroupVersionKind())
	b, err := encodeEvent(watch.Bookmark, obj)
	if err != nil {
		return err
	}
	_, err = s.w.Write(b)
	return err
}

func (s *eventStream) flush() {
	if f, ok := s.w.(http.Flusher); ok {
		f.Flush()
	}
}
