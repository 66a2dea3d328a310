// Package validation defaults, admits and validates Kubernetes objects the
// way a v1.37 kube-apiserver does, so that stored objects and error texts
// match a real cluster.
//
// The real apiserver converts the external (v1) object to an internal type,
// runs the defaulters generated for the external type, the mutating admission
// plugins, and then the validation written against the internal type. This
// package works on the external k8s.io/api types directly and reproduces the
// same field paths, order and messages, using apimachinery's own validation
// helpers wherever Kubernetes does.
//
// A create goes through the steps in the apiserver's order:
//
//	DefaultPod(p)             // decoding applies the v1 defaults
//	AdmitPod(p, randSuffix)   // mutating admission (pods only)
//	PreparePodForCreate(p)    // the create strategy: generation, status
//	// the caller fills metadata.name from generateName and the namespace
//	errs := ValidatePod(p)    // wrap: apierrors.NewInvalid(kind, name, errs)
//
// Updates need metadata.resourceVersion set on the new object (the real
// store copies in the current one for unconditional updates), otherwise
// they fail with "must be specified for an update".
//
// Validation returns errors in the real order; where Kubernetes walks a map
// (labels, resource lists) the keys are taken in sorted order, so the output
// is stable where a real apiserver's order would vary.
//
// Sources (kubernetes/kubernetes): pkg/apis/apps/v1/defaults.go,
// pkg/apis/core/v1/defaults.go, pkg/apis/apps/validation/validation.go,
// pkg/apis/core/validation/validation.go, pkg/registry/*/strategy.go,
// plugin/pkg/admission/{serviceaccount,priority,defaulttolerationseconds}.
package validation
