package httpapi

import (
	"bytes"
	"testing"

	"github.com/k8slearn/k8slearn/engine/httpapi/internal/openapiproto"
	"github.com/k8slearn/k8slearn/engine/registry"
)

// TestOpenAPIV2ProtobufIsGenerated regenerates the protobuf form of the v2 document in memory, as
// ./gen does, and compares it with the embedded file byte for byte.
func TestOpenAPIV2ProtobufIsGenerated(t *testing.T) {
	doc, err := OpenAPIV2JSON(registry.New().All())
	if err != nil {
		t.Fatal(err)
	}
	want, err := openapiproto.FromJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(openAPIV2Protobuf, want) {
		t.Fatalf("%s (%d bytes) is not what the document converts to (%d bytes): run go generate ./engine/httpapi",
			OpenAPIV2ProtobufFile, len(openAPIV2Protobuf), len(want))
	}
}
