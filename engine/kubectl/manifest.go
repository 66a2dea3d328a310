package kubectl

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// manifest is one document of a -f file.
type manifest struct {
	raw        []byte // the document as JSON
	apiVersion string
	kind       string
	name       string
	namespace  string
	res        *apiserver.Resource
	obj        runtime.Object
	err        error // a problem with this document alone
}

var (
	errNoKind      = errors.New("kind not set")
	errUnknownKind = errors.New("no matches for kind")
)

// strictError is the API server's strict field validation failure (unknown or duplicate fields).
type strictError struct{ msg string }

func (e strictError) Error() string { return "strict decoding error: " + e.msg }

// maxManifestSize bounds what one -f file may hold, so a huge file cannot exhaust memory; read
// stops one byte past it.
const maxManifestSize = 3 << 20

// decodeManifests splits YAML (or JSON) documents and decodes each into its typed object, with the
// API server's strict field validation. A malformed document fails the whole file, as kubectl's
// parser does; an unknown kind or field fails only its document.
func decodeManifests(data []byte, reg *apiserver.Registry) ([]manifest, error) {
	reader := utilyaml.NewYAMLReader(bufioReader(data))
	var out []manifest
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(stripComments(doc))) == 0 {
			continue
		}
		js, err := yaml.YAMLToJSON(doc)
		if err != nil {
			return nil, fmt.Errorf("error converting YAML to JSON: %w", err)
		}
		if bytes.Equal(bytes.TrimSpace(js), []byte("null")) {
			continue
		}
		out = append(out, decodeOne(js, reg))
	}
	return out, nil
}

func stripComments(doc []byte) []byte {
	var b bytes.Buffer
	for _, line := range strings.Split(string(doc), "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") && t != "---" {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

type typeProbe struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
}

func decodeOne(js []byte, reg *apiserver.Registry) manifest {
	m := manifest{raw: bytes.TrimSpace(js)}
	var probe typeProbe
	if err := sigsjson.UnmarshalCaseSensitivePreserveInts(js, &probe); err != nil {
		m.err = fmt.Errorf("error decoding: %w", err)
		return m
	}
	m.apiVersion, m.kind, m.name, m.namespace = probe.APIVersion, probe.Kind, probe.Metadata.Name, probe.Metadata.Namespace
	var missing []string
	if m.apiVersion == "" {
		missing = append(missing, "apiVersion not set")
	}
	if m.kind == "" {
		missing = append(missing, "kind not set")
	}
	if len(missing) > 0 {
		m.err = fmt.Errorf("[%s]: %w", strings.Join(missing, ", "), errNoKind)
		return m
	}
	res, ok := reg.ForKind(m.apiVersion, m.kind)
	if !ok {
		m.err = errUnknownKind
		return m
	}
	m.res = res
	obj := res.New()
	strictErrs, err := sigsjson.UnmarshalStrict(js, obj)
	if err != nil {
		m.err = fmt.Errorf("%s in version %q cannot be handled as a %s: %v", m.kind, versionOf(m.apiVersion), m.kind, err)
		return m
	}
	if len(strictErrs) > 0 {
		msgs := make([]string, len(strictErrs))
		for i, e := range strictErrs {
			msgs[i] = e.Error()
		}
		m.err = strictError{msg: strings.Join(msgs, ", ")}
		return m
	}
	m.obj = obj
	return m
}

func bufioReader(data []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(data)) }
