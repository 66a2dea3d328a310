// Package httpapi serves the miniature API server over HTTP as kube-apiserver does, so that a
// client nobody here wrote — the real kubectl, client-go informers, curl — can use it: discovery
// (legacy and aggregated), OpenAPI v2 and v3 generated from the k8s.io/api Go types, get, list,
// create, update, patch (JSON, merge and strategic merge), delete, watch, label and field
// selectors, server-side Table output, the status, scale, binding and eviction subresources, and
// errors as Status objects with the real codes and messages (and the Retry-After header their
// details ask for).
//
// Where the behaviour comes from: k8s.io/apiserver's endpoint handlers (create.go, update.go,
// patch.go, delete.go, get.go, watch.go, response.go), its request-info parsing, the aggregated
// discovery types in k8s.io/api/apidiscovery, and client-go's discovery and openapi clients, which
// say what a client expects to read.
//
// Safety, with kube-apiserver's own limits: request bodies are limited (3 MiB, 413 beyond), so
// are the bytes a JSON patch's copies may add (3 MiB) and its operations (10000); the requests in
// flight are bounded (20 reads, 10 writes; watches not counted), the others get 429 with
// Retry-After. Undecodable bodies are 400 Status answers, a patch that cannot be decoded is a
// 422 quoting the first 64 KiB of the patched object, a panic in a handler becomes a 500 Status
// and a one-line log and never takes the server down, and a bearer token can be required.
package httpapi
