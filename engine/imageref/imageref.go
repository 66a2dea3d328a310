// Package imageref parses container image references the one way Kubernetes does, with
// github.com/distribution/reference (through pkg/util/parsers, kubernetes v1.37.2): the API server
// to default imagePullPolicy, the kubelet to add the default tag before it asks the runtime for
// the image, and the runtime (containerd) to name the image it stores.
package imageref

import (
	// The digest algorithms must be linked for a reference with a digest to parse, as
	// pkg/util/parsers imports them.
	_ "crypto/sha256"
	_ "crypto/sha512"
	"fmt"
	"strings"

	"github.com/distribution/reference"
)

// Parse splits an image into repository, tag and digest, as ParseImageName does
// (pkg/util/parsers/parsers.go): "nginx" is docker.io/library/nginx with the tag "latest", which
// stands in when the image names neither tag nor digest.
func Parse(image string) (repository, tag, digest string, err error) {
	named, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		return "", "", "", fmt.Errorf("couldn't parse image name %q: %v", image, err)
	}
	if tagged, ok := named.(reference.Tagged); ok {
		tag = tagged.Tag()
	}
	if digested, ok := named.(reference.Digested); ok {
		digest = digested.Digest().String()
	}
	if tag == "" && digest == "" {
		tag = "latest"
	}
	return named.Name(), tag, digest, nil
}

// WithDefaultTag is the image the kubelet asks the runtime for, as applyDefaultImageTag
// (pkg/kubelet/images/image_manager.go) makes it: the image as written, with ":latest" added when
// it names neither tag nor digest. An image that does not parse is the kubelet's
// InvalidImageName.
func WithDefaultTag(image string) (string, error) {
	_, tag, digest, err := Parse(image)
	if err != nil {
		return "", err
	}
	if digest == "" && tag != "" && !strings.HasSuffix(image, ":"+tag) {
		image += ":" + tag
	}
	return image, nil
}

// Normalize is the name containerd stores an image under and reports in a container's status:
// "nginx" is "docker.io/library/nginx:latest", and a reference with both a tag and a digest keeps
// the digest only (reference.ParseDockerRef, which containerd's CRI uses).
func Normalize(image string) (string, error) {
	named, err := reference.ParseDockerRef(image)
	if err != nil {
		return "", err
	}
	return named.String(), nil
}
