package runtime

import (
	"fmt"
	"sort"
	"strings"

	"github.com/k8slearn/k8slearn/engine/imageref"
)

// Image is one image the simulated registries hold: its repository digest (what the kubelet
// reports as a container's imageID), its compressed size (the Pulled event's "Image size"), and
// what a container of it runs when the pod does not say (ENTRYPOINT and CMD), with the
// environment it sets.
//
// Each tag's digest is one the tag pointed to at one time, as pinned in public Dockerfiles and
// manifests; tags move, so a real registry answers newer digests today.
type Image struct {
	Repository string // docker.io/library/nginx
	Tags       []string
	Digest     string // sha256:…
	Size       int64
	Entrypoint []string
	Cmd        []string
	Env        []string
	// Shell is the image's /bin/sh, "" for images without one (hello-world, pause): exec of a
	// shell or a tool then fails as a real runtime fails.
	Shell string
	// BusyBox is set when the shell and tools are BusyBox's (busybox, the alpine images): their
	// messages differ from dash's and bash's.
	BusyBox bool
	// Binaries are the programs on the image's PATH besides the shell's builtins, for exec.
	Binaries []string
	// Version is what the image's program reports about itself (nginx's version line), Builder
	// the compiler line nginx prints.
	Version, Builder string
}

// ref is the image's name with a tag, as containerd names it.
func (im *Image) ref(tag string) string { return im.Repository + ":" + tag }

// ID is the repository digest the kubelet reports as a container's imageID.
func (im *Image) ID() string { return im.Repository + "@" + im.Digest }

const debianPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// nginxEnv is the environment of the nginx images (nginx/docker-nginx, mainline/debian
// Dockerfile).
func nginxEnv(version, njs, release string) []string {
	return []string{debianPath, "NGINX_VERSION=" + version, "NJS_VERSION=" + njs,
		"NJS_RELEASE=" + release, "PKG_RELEASE=" + release, "DYNPKG_RELEASE=" + release}
}

// coreutils are the tools every image with a shell has (BusyBox's applets, or Debian's
// coreutils and procps).
func coreutils() []string {
	return []string{"cat", "chmod", "cp", "date", "echo", "env", "false", "hostname", "id", "kill", "ln", "ls",
		"mkdir", "mv", "printenv", "printf", "ps", "pwd", "rm", "sleep", "tail", "test", "[", "touch", "true", "uname", "whoami"}
}

// catalogue is every image the simulated registries hold. Anything else is not found, as a
// registry answers.
func catalogue() []*Image {
	nginx := func(tags []string, digest string, size int64, version, njs, release, builder string, alpine bool) *Image {
		im := &Image{Repository: "docker.io/library/nginx", Tags: tags, Digest: digest, Size: size,
			Entrypoint: []string{"/docker-entrypoint.sh"}, Cmd: []string{"nginx", "-g", "daemon off;"}, Env: nginxEnv(version, njs, release), Shell: "/bin/sh",
			Binaries: append([]string{"bash", "nginx", "curl"}, coreutils()...), Version: version, Builder: builder}
		if alpine {
			// Alpine's BusyBox has the nslookup and wget applets.
			im.Binaries, im.BusyBox = append([]string{"nginx", "curl", "nslookup", "wget"}, coreutils()...), true
		}
		return im
	}
	busybox := func(tags []string, digest string, size int64, version string) *Image {
		return &Image{Repository: "docker.io/library/busybox", Tags: tags, Digest: digest, Size: size,
			Cmd: []string{"sh"}, Env: []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
			Shell: "/bin/sh", BusyBox: true, Binaries: append([]string{"nslookup", "wget", "top"}, coreutils()...), Version: version}
	}
	return []*Image{
		nginx([]string{"latest", "mainline", "1.29", "1.29.1"},
			"sha256:84ec966e61a8c7846f509da7eb081c55c1d56817448728924a87ab32f12a72fb", 72_225_394,
			"1.29.1", "0.9.1", "1~bookworm", "gcc 12.2.0 (Debian 12.2.0-14+deb12u1) ", false),
		nginx([]string{"stable", "1.28", "1.28.0"},
			"sha256:2ff091485e4828c289b0ba2d552554d19f952eba36b636d7ff9d6d59cf1cd3ed", 72_195_292,
			"1.28.0", "0.8.10", "1~bookworm", "gcc 12.2.0 (Debian 12.2.0-14) ", false),
		nginx([]string{"1.27", "1.27.5"},
			"sha256:447a8665cc1dab95b1ca778e162215839ccbb9189104c79d7ec3a81e14577add", 72_188_133,
			"1.27.5", "0.8.10", "1~bookworm", "gcc 12.2.0 (Debian 12.2.0-14) ", false),
		nginx([]string{"1.26", "1.26.3"},
			"sha256:41b194461e4bae16f9b25d68b0976ed4735b89ca625c89aad88e1c1c3b7e8860", 69_976_328,
			"1.26.3", "0.8.9", "1~bookworm", "gcc 12.2.0 (Debian 12.2.0-14) ", false),
		nginx([]string{"alpine", "mainline-alpine", "1.29-alpine"},
			"sha256:4a73073bd557c65b759505da037898b61f1be6cbcc3c2c3aeac22d2a470c1752", 21_678_430,
			"1.29.1", "0.9.1", "1", "gcc 14.2.0 (Alpine 14.2.0) ", true),
		nginx([]string{"1.27-alpine"},
			"sha256:65645c7bb6a0661892a8b03b89d0743208a18dd2f3f17a54ef4b76fb8e2f2a10", 20_467_831,
			"1.27.5", "0.8.10", "1", "gcc 14.2.0 (Alpine 14.2.0) ", true),
		nginx([]string{"1.26-alpine"},
			"sha256:1eadbb07820339e8bbfed18c771691970baee292ec4ab2558f1453d26153e22d", 20_334_125,
			"1.26.3", "0.8.9", "1", "gcc 14.2.0 (Alpine 14.2.0) ", true),
		busybox([]string{"latest", "stable", "1.37", "1.37.0"},
			"sha256:9db7b59979c38555a39def84a31fb98b5296952f9e3afd4f6f11f05b07adfab0", 2_156_518, "1.37.0"),
		busybox([]string{"1.36", "1.36.1"},
			"sha256:73aaf090f3d85aa34ee199857f03fa3a95c8ede2ffd4cc2cdb5b94e566b11662", 2_161_184, "1.36.1"),
		{Repository: "docker.io/library/redis", Tags: []string{"latest", "7"},
			Digest: "sha256:c6eabf748fc7a61dbb5a705c78bcf3d6377b1127a97d0ce965c11c44ba46896f", Size: 45_008_318,
			Entrypoint: []string{"docker-entrypoint.sh"}, Cmd: []string{"redis-server"},
			Env:   []string{debianPath, "GOSU_VERSION=1.17", "REDIS_VERSION=7.4.2"},
			Shell: "/bin/sh", Binaries: append([]string{"bash", "redis-server", "redis-cli"}, coreutils()...), Version: "7.4.2"},
		// httpd (docker-library/httpd, 2.4/Dockerfile): Apache in the foreground; the digest is
		// the 2.4.65 index digest pinned in public Dockerfiles, the size that of its amd64 image.
		{Repository: "docker.io/library/httpd", Tags: []string{"latest", "2.4", "2.4.65"},
			Digest: "sha256:d3b88ca0822f91e2dec6eb58a2ac7cfade27880926467fc63dcdbc857010b083", Size: 45_126_412,
			Cmd: []string{"httpd-foreground"},
			Env: []string{"PATH=/usr/local/apache2/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
				"HTTPD_PREFIX=/usr/local/apache2", "HTTPD_VERSION=2.4.65"},
			Shell: "/bin/sh", Binaries: append([]string{"bash", "httpd", "httpd-foreground", "apachectl"}, coreutils()...),
			Version: "2.4.65"},
		{Repository: "docker.io/library/hello-world", Tags: []string{"latest"},
			Digest: "sha256:53f1bbee2f52c39e41682ee1d388285290c5c8a76cc92b42687eecf38e0af3f0", Size: 3_195,
			Cmd: []string{"/hello"}, Env: []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}},
		// polinux/stress is the image of the Kubernetes docs' memory examples
		// (content/en/examples/pods/resource/memory-request-limit*.yaml): stress --vm 1
		// --vm-bytes 150M --vm-hang 1 holds 150M.
		{Repository: "docker.io/polinux/stress", Tags: []string{"latest"},
			Digest: "sha256:b6144f84f9c15dac80deb48d3a646b55c7043ab1d83ea0a697c09097aaad21aa", Size: 4_041_495,
			Cmd: []string{"stress"}, Env: []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
				"STRESS_VERSION=1.0.4", "SHELL=/bin/bash"},
			Shell: "/bin/sh", BusyBox: true, Binaries: append([]string{"bash", "stress"}, coreutils()...), Version: "1.0.4"},
		// The sandbox image containerd starts for every pod (DefaultSandboxImage, containerd
		// v2.1.3 internal/cri/config/config.go).
		{Repository: "registry.k8s.io/pause", Tags: []string{"3.10"},
			Digest: "sha256:ee6521f290b2168b6e0935a181d4cff9be1ac3f505666ef0e3c98fae8199917a", Size: 320_368,
			Entrypoint: []string{"/pause"}},
	}
}

// Registries are the image registries the nodes pull from: one shared catalogue, and what faults
// took out of it. Not safe for concurrent use: the cluster serialises steps and faults.
type Registries struct {
	images  []*Image
	byRef   map[string]*Image // repository:tag and repository@digest
	removed map[string]bool   // references a fault made unavailable
	names   map[string]string // ImageName's answers: parsing a reference is the costly part of a lookup
}

// maxNames bounds the cache of normalized names (a session that runs many distinct images).
const maxNames = 4096

// Name is ImageName, remembered.
func (r *Registries) Name(image string) string {
	if n, ok := r.names[image]; ok {
		return n
	}
	if len(r.names) >= maxNames {
		clear(r.names)
	}
	n := ImageName(image)
	r.names[image] = n
	return n
}

// NewRegistries returns the registries holding the catalogue.
func NewRegistries() *Registries {
	r := &Registries{images: catalogue(), byRef: map[string]*Image{}, removed: map[string]bool{}, names: map[string]string{}}
	for _, im := range r.images {
		for _, t := range im.Tags {
			r.byRef[im.ref(t)] = im
		}
		r.byRef[im.ID()] = im
	}
	return r
}

// Lookup finds an image by any reference the kubelet may pass ("nginx", "nginx:1.27",
// "docker.io/library/nginx@sha256:…"), whether or not a fault made it unavailable.
func (r *Registries) Lookup(image string) (*Image, bool) {
	im, ok := r.byRef[r.Name(image)]
	return im, ok
}

// Remove makes an image unavailable (the tag was deleted, the registry lost it): pulls of that
// reference fail from now on as "not found". Images already on a node stay there. It reports
// whether the registry had it.
func (r *Registries) Remove(image string) (bool, error) {
	n, err := imageref.Normalize(image)
	if err != nil {
		return false, err
	}
	_, held := r.byRef[n]
	changed := held && !r.removed[n]
	r.removed[n] = true
	return changed, nil
}

// Restore undoes Remove, and reports whether it did anything.
func (r *Registries) Restore(image string) bool {
	n, err := imageref.Normalize(image)
	if err != nil || !r.removed[n] {
		return false
	}
	delete(r.removed, n)
	return true
}

// Known lists the catalogue's references, repository:tag, sorted: for the sandbox's help and
// error hints.
func (r *Registries) Known() []string {
	var out []string
	for _, im := range r.images {
		for _, t := range im.Tags {
			out = append(out, im.ref(t))
		}
	}
	sort.Strings(out)
	return out
}

// Resolve is a pull's first act: the image for a reference, or the error containerd's CRI
// returns, as the kubelet receives it through gRPC.
//
// containerd v2.1.3 pulls through its transfer service (the default; internal/cri/server/images/
// image_pull.go, pullImageWithTransferService): "failed to pull and unpack image %q: %w" around
// core/transfer/local/pull.go's "failed to resolve image: %w", around the resolver's error
// (core/remotes/docker/resolver.go): "%s: not found" for an unknown tag or digest (a 404),
// "pull access denied, repository does not exist or may require authorization: server message:
// insufficient_scope: authorization failed" for a repository Docker Hub does not have (it answers
// 401, core/remotes/docker/authorizer.go), and Go's dial error for a registry host that does not
// resolve. The CRI turns errdefs.ErrNotFound into gRPC NotFound, anything else into Unknown.
func (r *Registries) Resolve(image string) (*Image, error) {
	ref, err := imageref.Normalize(image)
	if err != nil {
		return nil, pullError("InvalidArgument", fmt.Sprintf("failed to parse image reference %q: %v", image, err))
	}
	im, ok := r.byRef[ref]
	if ok && !r.removed[ref] {
		return im, nil
	}
	prefix := fmt.Sprintf("failed to pull and unpack image %q: failed to resolve image: ", ref)
	repo := ref
	if i := strings.IndexAny(ref, "@"); i >= 0 {
		repo = ref[:i]
	} else if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		repo = ref[:i]
	}
	host, _, _ := strings.Cut(repo, "/")
	switch {
	case r.hasRepository(repo):
		return nil, pullError("NotFound", prefix+ref+": not found")
	case host == "docker.io":
		return nil, pullError("Unknown", prefix+"pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed")
	case knownRegistryHost(host):
		return nil, pullError("NotFound", prefix+ref+": not found")
	}
	name, _, _ := strings.Cut(host, ":")
	path := strings.TrimPrefix(strings.TrimPrefix(ref, repo), ":")
	return nil, pullError("Unknown", prefix+fmt.Sprintf(
		"failed to do request: Head %q: dial tcp: lookup %s on 127.0.0.11:53: no such host",
		"https://"+host+"/v2/"+strings.TrimPrefix(repo, host+"/")+"/manifests/"+path, name))
}

func (r *Registries) hasRepository(repo string) bool {
	for _, im := range r.images {
		if im.Repository == repo {
			return true
		}
	}
	return false
}

// knownRegistryHost tells the public registries that answer 404 for what they do not hold.
func knownRegistryHost(host string) bool {
	switch host {
	case "registry.k8s.io", "quay.io", "ghcr.io", "gcr.io", "mcr.microsoft.com", "public.ecr.aws":
		return true
	}
	return false
}

// PullError is a failed PullImage as the kubelet sees it: a gRPC status, printed "rpc error:
// code = NotFound desc = …" (google.golang.org/grpc/status).
type PullError struct {
	Code, Desc string
}

func (e *PullError) Error() string { return "rpc error: code = " + e.Code + " desc = " + e.Desc }

func pullError(code, desc string) error { return &PullError{Code: code, Desc: desc} }
