package httpapi

import (
	"errors"
	"fmt"
	"mime"
	"reflect"
	"strings"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/runtime/serializer/protobuf"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/patch"
	"github.com/k8slearn/k8slearn/engine/registry"
)

// codec decodes request bodies the way kube-apiserver's serializers do: JSON or YAML, the
// apiVersion and kind defaulted from the URL, and unknown or duplicate fields reported as strict
// decoding errors, which the field validation directive turns into errors, warnings or nothing.
type codec struct {
	scheme   *runtime.Scheme
	json     *json.Serializer
	yaml     *json.Serializer
	protobuf *protobuf.Serializer // kubectl's typed clients send protobuf bodies
}

func newCodec() codec {
	s := runtime.NewScheme()
	// The AddToScheme functions only fail on a programming error in k8s.io/api itself. The
	// registry adds the groups of the resources served; autoscaling/v1 is the scale subresource's.
	for _, add := range []func(*runtime.Scheme) error{registry.New().AddToScheme, autoscalingv1.AddToScheme} {
		if err := add(s); err != nil {
			panic(err)
		}
	}
	metav1.AddToGroupVersion(s, metav1.SchemeGroupVersion) // DeleteOptions may come as meta.k8s.io/v1
	opts := json.SerializerOptions{Strict: true}
	yamlOpts := json.SerializerOptions{Strict: true, Yaml: true}
	return codec{
		scheme:   s,
		json:     json.NewSerializerWithOptions(json.DefaultMetaFactory, s, s, opts),
		yaml:     json.NewSerializerWithOptions(json.DefaultMetaFactory, s, s, yamlOpts),
		protobuf: protobuf.NewSerializer(s, s),
	}
}

// protobufMediaType is Kubernetes' protobuf encoding, which client-go's typed clients (and so
// kubectl create, scale, describe…) send.
const protobufMediaType = "application/vnd.kubernetes.protobuf"

// bodyMediaTypes are the request body formats the server reads for create and update.
var bodyMediaTypes = []string{"application/json", "application/yaml", protobufMediaType}

// decoded is a request body turned into an object, with the strict decoding problems found on
// the way (unknown and duplicate fields).
type decoded struct {
	obj    runtime.Object
	strict []error
	// strictError words the strict problems as an error, as the apiserver does for a create or
	// update with fieldValidation=Strict.
	strictError func(error) error
}

// decode reads a create or update body for res. The errors are the API's: 415 for a format it
// does not read, 400 for a body it cannot make sense of, with kube-apiserver's messages.
func (c codec) decode(contentType string, body []byte, res *apiserver.Resource) (decoded, error) {
	return c.decodeKind(contentType, body, res.GroupVersionKind(), res.New())
}

// decodeKind reads a body that must hold a want, decoded into into.
func (c codec) decodeKind(contentType string, body []byte, want schema.GroupVersionKind, into runtime.Object) (decoded, error) {
	ser, err := c.serializerFor(contentType, bodyMediaTypes)
	if err != nil {
		return decoded{}, err
	}
	obj, gvk, err := ser.Decode(body, &want, into)
	var strict []error
	if err != nil {
		if se, ok := runtime.AsStrictDecodingError(err); ok && obj != nil {
			strict = se.Errors()
		} else {
			return decoded{}, decodeError(want, gvk, c.realSchemeName(err), body)
		}
	}
	if gvk != nil && gvk.GroupVersion() != want.GroupVersion() {
		return decoded{}, apierrors.NewBadRequest(fmt.Sprintf("the API version in the data (%s) does not match the expected API version (%s)",
			gvk.GroupVersion().String(), want.GroupVersion().String()))
	}
	if reflect.TypeOf(obj) != reflect.TypeOf(into) {
		// The apiserver converts what it decoded to the endpoint's internal type, and there is no
		// conversion from one kind to another.
		return decoded{}, apierrors.NewBadRequest(fmt.Sprintf("%s in version %q cannot be handled as a %s: %v",
			gvk.Kind, gvk.Version, want.Kind, patch.UnknownConversion(*gvk, want)))
	}
	strictError := func(err error) error {
		return apierrors.NewBadRequest(fmt.Sprintf("%s in version %q cannot be handled as a %s: %v", gvk.Kind, gvk.Version, want.Kind, err))
	}
	return decoded{obj: obj, strict: strict, strictError: strictError}, nil
}

// realSchemeName replaces our scheme's name in a "no kind is registered" error with the one
// kube-apiserver's legacy scheme has, so the message reads as the real server's.
func (c codec) realSchemeName(err error) error {
	msg := err.Error()
	if !strings.Contains(msg, c.scheme.Name()) {
		return err
	}
	return errors.New(strings.ReplaceAll(msg, c.scheme.Name(), "pkg/api/legacyscheme/scheme.go:30"))
}

// decodeError is the apiserver's transformDecodeError: name the kinds when the body had one,
// else quote the start of the body.
func decodeError(want schema.GroupVersionKind, got *schema.GroupVersionKind, err error, body []byte) error {
	if got != nil && got.Kind != "" {
		return apierrors.NewBadRequest(fmt.Sprintf("%s in version %q cannot be handled as a %s: %v", got.Kind, got.Version, want.Kind, err))
	}
	return apierrors.NewBadRequest(fmt.Sprintf("the object provided is unrecognized (must be of type %s): %v (%s)", want.Kind, err, summarize(body, 30)))
}

// summarize is the first n bytes of a body, as the apiserver quotes it in decode errors.
func summarize(body []byte, n int) string {
	if len(body) > n {
		return string(body[:n]) + "..."
	}
	return string(body)
}

// serializerFor picks the decoder for a Content-Type; an empty one is JSON, as client-go sends.
func (c codec) serializerFor(contentType string, accepted []string) (runtime.Decoder, error) {
	mt := "application/json"
	if contentType != "" {
		parsed, _, err := mime.ParseMediaType(contentType)
		if err != nil {
			return nil, errUnsupportedMediaType(accepted)
		}
		mt = parsed
	}
	switch mt {
	case "application/json":
		return c.json, nil
	case "application/yaml":
		return c.yaml, nil
	case protobufMediaType:
		return c.protobuf, nil
	}
	return nil, errUnsupportedMediaType(accepted)
}

// newList returns an empty list object for res ("PodList") holding objs, with the items' own
// apiVersion and kind left out as kube-apiserver sends them.
func (c codec) newList(res *apiserver.Resource, objs []runtime.Object, rv string) (runtime.Object, error) {
	gvk := res.GroupVersionKind()
	gvk.Kind += "List"
	list, err := c.scheme.New(gvk)
	if err != nil {
		return nil, err
	}
	items := reflect.ValueOf(list).Elem().FieldByName("Items")
	if !items.IsValid() {
		return nil, fmt.Errorf("%T has no Items", list)
	}
	slice := reflect.MakeSlice(items.Type(), 0, len(objs))
	for _, o := range objs {
		v := reflect.ValueOf(o)
		if v.Kind() != reflect.Pointer || v.Elem().Type() != items.Type().Elem() {
			return nil, fmt.Errorf("cannot put a %T in a %T", o, list)
		}
		item := v.Elem()
		item.FieldByName("TypeMeta").Set(reflect.ValueOf(metav1.TypeMeta{}))
		slice = reflect.Append(slice, item)
	}
	items.Set(slice)
	list.GetObjectKind().SetGroupVersionKind(gvk)
	if lm, ok := list.(metav1.ListInterface); ok {
		lm.SetResourceVersion(rv)
	}
	return list, nil
}

// output is a representation a client can ask for in its Accept header.
type output struct {
	format string // "json", "yaml"
	as     string // "", "Table", "PartialObjectMetadata", "PartialObjectMetadataList"
	// version of meta.k8s.io for Table and PartialObjectMetadata: v1 or v1beta1.
	version string
}

// negotiate picks the first representation in Accept that the server can produce, as the
// apiserver's content negotiation does.
func negotiate(accept string) (output, error) {
	if strings.TrimSpace(accept) == "" {
		return output{format: "json"}, nil
	}
	for _, clause := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(clause))
		if err != nil {
			continue
		}
		switch mt {
		case "application/json", "application/yaml", "*/*", "application/*":
		default:
			continue
		}
		format := "json"
		if mt == "application/yaml" {
			format = "yaml"
		}
		as := params["as"]
		if as == "" {
			return output{format: format}, nil
		}
		if params["g"] != "meta.k8s.io" || (params["v"] != "v1" && params["v"] != "v1beta1") {
			continue
		}
		switch as {
		case "Table", "PartialObjectMetadata", "PartialObjectMetadataList":
			return output{format: format, as: as, version: params["v"]}, nil
		}
	}
	return output{}, errNotAcceptable()
}
