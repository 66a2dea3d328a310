package httpapi

import (
	"encoding/json"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// OpenAPIV3 is the OpenAPI v3 document of one group version ("" and "v1" for the core group) of
// the resources, as /openapi/v3/api/v1 or /openapi/v3/apis/<group>/<version> serves it, decoded
// into generic JSON data: what kubectl explain reads. ok is false when no resource is of that
// group version.
func OpenAPIV3(resources []*apiserver.Resource, group, version string) (doc map[string]any, ok bool, err error) {
	var list []*apiserver.Resource
	for _, res := range resources {
		if res.Group == group && res.Version == version {
			list = append(list, res)
		}
	}
	if len(list) == 0 {
		return nil, false, nil
	}
	raw, err := jsonMarshal(openAPIDocument(list, true))
	if err != nil {
		return nil, true, err
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, true, err
	}
	return doc, true, nil
}
