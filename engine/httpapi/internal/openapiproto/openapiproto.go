// Package openapiproto turns the OpenAPI v2 document into the protobuf form kube-apiserver serves
// to clients that ask for application/com.github.proto-openapi.spec.v2@v1.0+protobuf (kubectl,
// client-go's discovery). Only the generator (../../gen) and tests import it: the server embeds
// the bytes, so the program never converts its own half-megabyte document at run time.
package openapiproto

import (
	openapi_v2 "github.com/google/gnostic-models/openapiv2"
	"google.golang.org/protobuf/proto"
)

// FromJSON converts a v2 document as kube-openapi's handler does (ToProtoBinary in
// k8s.io/kube-openapi/pkg/handler/handler.go): gnostic's ParseDocument, then proto.Marshal.
func FromJSON(doc []byte) ([]byte, error) {
	parsed, err := openapi_v2.ParseDocument(doc)
	if err != nil {
		return nil, err
	}
	return proto.Marshal(parsed)
}
