package patch

import (
	"errors"
	"fmt"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apiequality "k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/types"

	"k8s.io/apimachinery/pkg/util/mergepatch"
)

// TestStrategicMergePatchErrorCodes checks the status codes strategic merge patch failures get,
// as the apiserver's smpPatcher gives them: malformed patches are 400, impossible ones 422.
func TestStrategicMergePatchErrorCodes(t *testing.T) {
	for _, tt := range []struct {
		err  error
		code int32
	}{
		{mergepatch.ErrBadJSONDoc, 400},
		{mergepatch.ErrBadPatchFormatForPrimitiveList, 400},
		{mergepatch.ErrBadPatchFormatForRetainKeys, 400},
		{mergepatch.ErrBadPatchFormatForSetElementOrderList, 400},
		{mergepatch.ErrUnsupportedStrategicMergePatchFormat, 400},
		{mergepatch.ErrNoListOfLists, 422},
		{mergepatch.ErrPatchContentNotMatchRetainKeys, 422},
		{fmt.Errorf("spec: %w", mergepatch.ErrNoListOfLists), 422},
		{errors.New("something else"), 400},
	} {
		var status apierrors.APIStatus
		if !errors.As(InterpretStrategicMergePatchError(tt.err), &status) || status.Status().Code != tt.code {
			t.Errorf("%v: want an API status with code %d", tt.err, tt.code)
		}
	}
}

// TestApply: each patch type changes what it names and keeps the rest; a malformed or
// impossible patch is the API error kube-apiserver answers with, and leaves current untouched.
func TestApply(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := appsv1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	decoder := json.NewSerializerWithOptions(json.DefaultMetaFactory, scheme, scheme, json.SerializerOptions{Strict: true})
	gvk := appsv1.SchemeGroupVersion.WithKind("Deployment")
	current := func() *appsv1.Deployment {
		return &appsv1.Deployment{
			TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
			ObjectMeta: metav1.ObjectMeta{Name: "web", ResourceVersion: "7"},
			Spec: appsv1.DeploymentSpec{Replicas: ptr(int32(1)), Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{
				{Name: "a", Image: "nginx", ImagePullPolicy: corev1.PullAlways}, {Name: "b", Image: "busybox"},
			}}}},
		}
	}
	for _, tt := range []struct {
		name, body string
		pt         types.PatchType
		check      func(*appsv1.Deployment) bool
		code       int32 // the status code of the error, 0 for none
	}{
		{"strategic merges containers by name", `{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"nginx:1.27"}]}}}}`, types.StrategicMergePatchType,
			func(d *appsv1.Deployment) bool {
				c := d.Spec.Template.Spec.Containers
				return len(c) == 2 && c[0].Image == "nginx:1.27" && c[0].ImagePullPolicy == corev1.PullAlways && c[1].Name == "b"
			}, 0},
		{"merge replaces lists", `{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"x"}]}}}}`, types.MergePatchType,
			func(d *appsv1.Deployment) bool { return len(d.Spec.Template.Spec.Containers) == 1 }, 0},
		{"json patch", `[{"op":"replace","path":"/spec/replicas","value":3}]`, types.JSONPatchType,
			func(d *appsv1.Deployment) bool { return *d.Spec.Replicas == 3 && d.Name == "web" }, 0},
		{"json patch on a missing path", `[{"op":"replace","path":"/spec/nosuch/x","value":3}]`, types.JSONPatchType, nil, 422},
		{"json patch given an object", `{"spec":{}}`, types.JSONPatchType, nil, 400},
		{"strategic patch given a list", `[1]`, types.StrategicMergePatchType, nil, 400},
		{"unknown field, strict", `{"spec":{"replica":3}}`, types.StrategicMergePatchType, nil, 422},
		{"unknown field in a merge patch, strict", `{"spec":{"replica":3}}`, types.MergePatchType, nil, 422},
		{"unknown patch type", `{}`, types.ApplyYAMLPatchType, nil, 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cur := current()
			got, _, err := Apply(tt.pt, cur, []byte(tt.body), gvk, &appsv1.Deployment{}, metav1.FieldValidationStrict, decoder)
			if !apiequality.Semantic.DeepEqual(cur, current()) {
				t.Errorf("the patch changed the current object")
			}
			if tt.code != 0 {
				var status apierrors.APIStatus
				if !errors.As(err, &status) || status.Status().Code != tt.code {
					t.Fatalf("error %v; want an API status with code %d", err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d, ok := got.(*appsv1.Deployment); !ok || !tt.check(d) {
				t.Errorf("patched object %+v", got)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
