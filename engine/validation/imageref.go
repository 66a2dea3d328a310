package validation

import (
	"regexp"
	"strings"
	"sync"
)

// The image reference grammar of github.com/distribution/reference, which
// the apiserver uses (through pkg/util/parsers) to decide the default
// imagePullPolicy.
const (
	refAlphaNumeric = `[a-z0-9]+`
	refSeparator    = `(?:[._]|__|[-]+)`
	refPathComp     = refAlphaNumeric + `(?:` + refSeparator + refAlphaNumeric + `)*`
	refDomainComp   = `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`
	refDomainName   = refDomainComp + `(?:\.` + refDomainComp + `)*`
	refIPv6         = `\[(?:[a-fA-F0-9:]+)\]`
	refDomain       = `(?:` + refDomainName + `|` + refIPv6 + `)(?::[0-9]+)?`
	refName         = `(?:` + refDomain + `/)?` + refPathComp + `(?:/` + refPathComp + `)*`
	refTag          = `[\w][\w.-]{0,127}`
	refDigest       = `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`
)

// The regexps compile on first use, not at start-up: the reference grammar alone costs about 2 ms,
// a third of a Go program's whole start-up, and most runs never validate an image.
var (
	referenceRegexp = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(` + refName + `)(?::(` + refTag + `))?(?:@(` + refDigest + `))?$`)
	})
	identifierRegexp = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-f0-9]{64}$`) })
	digestHexLength  = map[string]int{"sha256": 64, "sha384": 96, "sha512": 128}
	lowerHexRegexp   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-f0-9]+$`) })
)

const (
	defaultImageDomain = "docker.io"
	maxImageNameLength = 255
)

// imageTag returns the tag an image reference resolves to: its explicit tag,
// "latest" when it has neither tag nor digest, and "" when it only has a
// digest or does not parse.
func imageTag(image string) string {
	name, tag, digest, ok := parseImageReference(image)
	if !ok || len(name) > maxImageNameLength {
		return ""
	}
	if digest != "" && !validDigest(digest) {
		return ""
	}
	if tag == "" && digest == "" {
		return "latest"
	}
	return tag
}

// parseImageReference normalizes an image like docker does ("nginx" becomes
// "docker.io/library/nginx") and splits it into name, tag and digest.
func parseImageReference(image string) (name, tag, digest string, ok bool) {
	if identifierRegexp().MatchString(image) {
		return "", "", "", false
	}
	domain, remainder := splitImageDomain(image)
	remote := remainder
	if i := strings.IndexRune(remainder, ':'); i > -1 {
		remote = remainder[:i]
	}
	if strings.ToLower(remote) != remote {
		return "", "", "", false
	}
	m := referenceRegexp().FindStringSubmatch(domain + "/" + remainder)
	if m == nil {
		return "", "", "", false
	}
	return m[1], m[2], m[3], true
}

func splitImageDomain(image string) (domain, remainder string) {
	i := strings.IndexRune(image, '/')
	if i == -1 || (!strings.ContainsAny(image[:i], ".:") && image[:i] != "localhost" && strings.ToLower(image[:i]) == image[:i]) {
		domain, remainder = defaultImageDomain, image
	} else {
		domain, remainder = image[:i], image[i+1:]
	}
	if domain == "index.docker.io" {
		domain = defaultImageDomain
	}
	if domain == defaultImageDomain && !strings.ContainsRune(remainder, '/') {
		remainder = "library/" + remainder
	}
	return domain, remainder
}

// validDigest accepts the digest algorithms the container runtimes support,
// with a lower-case hex part of the right length.
func validDigest(digest string) bool {
	alg, hex, found := strings.Cut(digest, ":")
	if !found {
		return false
	}
	n, known := digestHexLength[alg]
	return known && len(hex) == n && lowerHexRegexp().MatchString(hex)
}
