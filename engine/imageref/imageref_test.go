package imageref

import (
	"strings"
	"testing"
)

const sha256Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestParse(t *testing.T) {
	tests := []struct {
		image, repo, tag, digest, err string
	}{
		{image: "nginx", repo: "docker.io/library/nginx", tag: "latest"},
		{image: "nginx:1.27", repo: "docker.io/library/nginx", tag: "1.27"},
		{image: "registry.k8s.io/pause:3.10", repo: "registry.k8s.io/pause", tag: "3.10"},
		{image: "localhost:5000/app", repo: "localhost:5000/app", tag: "latest"},
		{image: "nginx@sha256:" + sha256Hex, repo: "docker.io/library/nginx", digest: "sha256:" + sha256Hex},
		{image: "nginx:1.27@sha256:" + sha256Hex, repo: "docker.io/library/nginx", tag: "1.27", digest: "sha256:" + sha256Hex},
		// What the API server accepts and the kubelet refuses.
		{image: "NGINX", err: `couldn't parse image name "NGINX": invalid reference format: repository name (library/NGINX) must be lowercase`},
		{image: "000000:", err: `couldn't parse image name "000000:": invalid reference format`},
		{image: "nginx@sha256:abc", err: `couldn't parse image name "nginx@sha256:abc": invalid reference format`},
		{image: sha256Hex, err: `couldn't parse image name "` + sha256Hex + `": invalid repository name (` + sha256Hex + `), cannot specify 64-byte hexadecimal strings`},
		{image: "", err: `couldn't parse image name "": invalid reference format`},
	}
	for _, tt := range tests {
		repo, tag, digest, err := Parse(tt.image)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("Parse(%q) error = %v, want %q", tt.image, err, tt.err)
			}
			continue
		}
		if err != nil || repo != tt.repo || tag != tt.tag || digest != tt.digest {
			t.Errorf("Parse(%q) = %q %q %q %v, want %q %q %q", tt.image, repo, tag, digest, err, tt.repo, tt.tag, tt.digest)
		}
	}
}

func TestWithDefaultTag(t *testing.T) {
	for image, want := range map[string]string{
		"nginx":                        "nginx:latest",
		"nginx:1.27":                   "nginx:1.27",
		"localhost:5000/app":           "localhost:5000/app:latest",
		"nginx@sha256:" + sha256Hex:    "nginx@sha256:" + sha256Hex,
		"docker.io/library/nginx:1.27": "docker.io/library/nginx:1.27",
	} {
		if got, err := WithDefaultTag(image); err != nil || got != want {
			t.Errorf("WithDefaultTag(%q) = %q, %v; want %q", image, got, err, want)
		}
	}
	if _, err := WithDefaultTag("NGINX"); err == nil {
		t.Error("WithDefaultTag(NGINX) parsed")
	}
}

func TestNormalize(t *testing.T) {
	for image, want := range map[string]string{
		"nginx":                              "docker.io/library/nginx:latest",
		"nginx:1.27":                         "docker.io/library/nginx:1.27",
		"bitnami/redis":                      "docker.io/bitnami/redis:latest",
		"registry.k8s.io/pause:3.10":         "registry.k8s.io/pause:3.10",
		"nginx@sha256:" + sha256Hex:          "docker.io/library/nginx@sha256:" + sha256Hex,
		"nginx:1.27@sha256:" + sha256Hex:     "docker.io/library/nginx@sha256:" + sha256Hex,
		"index.docker.io/library/nginx:1.27": "docker.io/library/nginx:1.27",
	} {
		if got, err := Normalize(image); err != nil || got != want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", image, got, err, want)
		}
	}
}

// FuzzImageReference checks that no input panics and that the three views agree: what Parse
// accepts, WithDefaultTag and Normalize accept too, and a normalized name normalizes to itself.
func FuzzImageReference(f *testing.F) {
	for _, s := range []string{"nginx", "NGINX", "nginx:1.27", "000000:", "localhost:5000/a/b:c", "nginx@sha256:" + sha256Hex, "a:b@c:d", "[::1]:5000/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, image string) {
		_, tag, digest, err := Parse(image)
		tagged, terr := WithDefaultTag(image)
		norm, nerr := Normalize(image)
		if (err == nil) != (terr == nil) || (err == nil) != (nerr == nil) {
			t.Fatalf("%q: Parse %v, WithDefaultTag %v, Normalize %v", image, err, terr, nerr)
		}
		if err != nil {
			return
		}
		if tag == "" && digest == "" {
			t.Fatalf("%q: neither tag nor digest", image)
		}
		if !strings.HasPrefix(tagged, image) {
			t.Fatalf("WithDefaultTag(%q) = %q does not extend the image", image, tagged)
		}
		again, err := Normalize(norm)
		if err != nil || again != norm {
			t.Fatalf("Normalize(%q) = %q, then %q, %v", image, norm, again, err)
		}
	})
}
