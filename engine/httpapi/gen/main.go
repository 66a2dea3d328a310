// Command gen writes openapi-v2.pb, the protobuf form of the API server's OpenAPI v2 document,
// which package httpapi embeds and serves. Run it with go generate ./engine/httpapi after a change
// to the served resources or to the document; TestOpenAPIV2ProtobufIsGenerated fails until you do.
//
// The conversion (gnostic's parser, then protobuf) runs here, at generate time, rather than in
// the server on the first request for the document.
package main

import (
	"log"
	"os"

	"github.com/k8slearn/k8slearn/engine/httpapi"
	"github.com/k8slearn/k8slearn/engine/httpapi/internal/openapiproto"
	"github.com/k8slearn/k8slearn/engine/registry"
)

func main() {
	doc, err := httpapi.OpenAPIV2JSON(registry.New().All())
	if err != nil {
		log.Fatal(err)
	}
	pb, err := openapiproto.FromJSON(doc)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(httpapi.OpenAPIV2ProtobufFile, pb, 0o644); err != nil {
		log.Fatal(err)
	}
}
