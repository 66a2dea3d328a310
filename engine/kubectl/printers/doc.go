// Package printers turns k8s.io/api objects into exactly what kubectl v1.37
// prints: `kubectl get` tables (plain, -o wide, -A, several types at once),
// -o yaml, -o json, -o name, and `kubectl describe` for pods, deployments,
// replicasets and nodes.
//
// The package is pure: it never reads the clock (ages are computed from the
// `now` handed in) and never talks to a server; describers fetch related
// objects (events, pods, replicasets) through the Reader interface.
//
// Where the texts come from: the table cells follow the API server's
// pkg/printers/internalversion/printers.go (kubectl uses server-side
// printing), the table layout follows cli-runtime's tableprinter.go and
// kubectl's pkg/cmd/get/get.go, and the describers follow kubectl's
// pkg/describe/describe.go.
package printers
