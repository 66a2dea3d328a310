package openapiv2pb

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	openapi_v2 "github.com/google/gnostic-models/openapiv2"
	"google.golang.org/protobuf/proto"
)

// gnosticEncode is what engine/httpapi served before this package: gnostic's parse of the JSON,
// marshalled by protobuf. A panic in gnostic is an error.
func gnosticEncode(doc []byte) (parsed *openapi_v2.Document, encoded []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gnostic panicked: %v", r)
		}
	}()
	parsed, err = openapi_v2.ParseDocument(doc)
	if err != nil {
		return nil, nil, err
	}
	encoded, err = proto.MarshalOptions{Deterministic: true}.Marshal(parsed)
	return parsed, encoded, err
}

// sameAsGnostic checks that ours, Encode's output for doc, decodes to the message gnostic parses
// from doc and has the bytes proto.Marshal gives for it.
func sameAsGnostic(t testing.TB, doc, ours []byte) {
	t.Helper()
	parsed, want, err := gnosticEncode(doc)
	if err != nil {
		t.Fatalf("Encode accepted a document gnostic refuses (%v):\n%s", err, doc)
	}
	var decoded openapi_v2.Document
	if err := proto.Unmarshal(ours, &decoded); err != nil {
		t.Fatalf("our bytes do not decode: %v\n%s", err, doc)
	}
	if !proto.Equal(&decoded, parsed) {
		t.Fatalf("our document differs from gnostic's:\nours:    %v\ngnostic: %v\ninput: %s", &decoded, parsed, doc)
	}
	if !bytes.Equal(ours, want) {
		t.Fatalf("same message, different bytes:\nours:    %x\ngnostic: %x\ninput: %s", ours, want, doc)
	}
}

// TestServedDocument encodes the document that k8slearn serve serves. The bytes must be gnostic's,
// which are what kubectl has been reading. testdata/openapi-v2.json is the server's answer to
// GET /openapi/v2 with Accept: application/json; after a change to the document, refresh it with
//
//	go run ./cmd/k8slearn serve --addr 127.0.0.1:16443 --kubeconfig /tmp/k8slearn-kubeconfig
//	curl -H 'Accept: application/json' http://127.0.0.1:16443/openapi/v2 \
//		> engine/httpapi/internal/openapiv2pb/testdata/openapi-v2.json
func TestServedDocument(t *testing.T) {
	doc, err := os.ReadFile("testdata/openapi-v2.json")
	if err != nil {
		t.Fatal(err)
	}
	ours, err := Encode(doc)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	sameAsGnostic(t, doc, ours)
}

func BenchmarkEncode(b *testing.B) {
	doc, err := os.ReadFile("testdata/openapi-v2.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := Encode(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGnostic(b *testing.B) {
	doc, err := os.ReadFile("testdata/openapi-v2.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, _, err := gnosticEncode(doc); err != nil {
			b.Fatal(err)
		}
	}
}
