// Package validation defaults, admits and validates Kubernetes objects the
// way a v1.34 kube-apiserver does, so that stored objects and error texts
// match a real cluster.
//
// The real apiserver converts the external (v1) object to an internal type,
// runs the defaulters generated for the external type, the mutating admission
// plugins, and then the validation written against the internal type. This
// package works on the external k8s.io/api types directly and reproduces the
// same field paths, order and messages, using apimachinery's own validation
// helpers wherever Kubernetes does.
//
// Sources (kubernetes/kubernetes): pkg/apis/apps/v1/defaults.go,
// pkg/apis/core/v1/defaults.go, pkg/apis/apps/validation/validation.go,
// pkg/apis/core/validation/validation.go, pkg/registry/*/strategy.go,
// plugin/pkg/admission/{serviceaccount,priority,defaulttolerationseconds}.
package validation
