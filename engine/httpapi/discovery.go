package httpapi

import (
	"mime"
	"net/http"
	goruntime "runtime"
	"sort"
	"strings"

	apidiscoveryv2 "k8s.io/api/apidiscovery/v2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/release"
)

// The version the server reports: the Kubernetes release whose behaviour the engine reproduces.
// The build details (commit, date) are not invented: they are left out, and goVersion and
// platform are the real ones of this binary.
const (
	kubeMajor      = release.Major
	kubeMinor      = release.Minor
	kubeGitVersion = release.GitVersion
)

// versionInfo is apimachinery's version.Info, field for field: that package compiles a regexp at
// init, at every start of the program, and only its type is needed here. TestVersion decodes the
// answer into version.Info.
type versionInfo struct {
	Major                 string `json:"major"`
	Minor                 string `json:"minor"`
	EmulationMajor        string `json:"emulationMajor,omitempty"`
	EmulationMinor        string `json:"emulationMinor,omitempty"`
	MinCompatibilityMajor string `json:"minCompatibilityMajor,omitempty"`
	MinCompatibilityMinor string `json:"minCompatibilityMinor,omitempty"`
	GitVersion            string `json:"gitVersion"`
	GitCommit             string `json:"gitCommit"`
	GitTreeState          string `json:"gitTreeState"`
	BuildDate             string `json:"buildDate"`
	GoVersion             string `json:"goVersion"`
	Compiler              string `json:"compiler"`
	Platform              string `json:"platform"`
}

// serveVersion answers /version as kube-apiserver does.
func (h *Handler) serveVersion(w http.ResponseWriter, r *http.Request) {
	info := versionInfo{
		Major: kubeMajor, Minor: kubeMinor,
		EmulationMajor: kubeMajor, EmulationMinor: kubeMinor,
		MinCompatibilityMajor: kubeMajor, MinCompatibilityMinor: release.MinCompatibilityMinor,
		GitVersion: kubeGitVersion, GitTreeState: "clean",
		GoVersion: goruntime.Version(), Compiler: goruntime.Compiler, Platform: goruntime.GOOS + "/" + goruntime.GOARCH,
	}
	h.writeJSON(w, http.StatusOK, info)
}

// groupVersions lists the group versions served: the core group first, then the named groups.
func (h *Handler) groupVersions() []metav1.GroupVersionForDiscovery {
	seen := map[string]bool{}
	var out []metav1.GroupVersionForDiscovery
	for _, res := range h.cfg.API.Registry().All() {
		gv := res.APIVersion()
		if !seen[gv] {
			seen[gv] = true
			out = append(out, metav1.GroupVersionForDiscovery{GroupVersion: gv, Version: res.Version})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return !strings.Contains(out[i].GroupVersion, "/") && strings.Contains(out[j].GroupVersion, "/")
	})
	return out
}

func (h *Handler) servesGroupVersion(group, version string) bool {
	for _, res := range h.cfg.API.Registry().All() {
		if res.Group == group && res.Version == version {
			return true
		}
	}
	return false
}

func (h *Handler) servesGroup(group string) bool {
	for _, res := range h.cfg.API.Registry().All() {
		if res.Group == group && group != "" {
			return true
		}
	}
	return false
}

// resourcesOf lists the resources of one group version, sorted by name as discovery sorts them.
func (h *Handler) resourcesOf(group, version string) []*apiserver.Resource {
	var out []*apiserver.Resource
	for _, res := range h.cfg.API.Registry().All() {
		if res.Group == group && res.Version == version {
			out = append(out, res)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// subresource is one subresource a resource serves, as discovery describes it.
type subresource struct {
	name  string
	kind  metav1.GroupVersionKind
	verbs []string
}

func subresourcesOf(res *apiserver.Resource) []subresource {
	self := metav1.GroupVersionKind{Group: res.Group, Version: res.Version, Kind: res.Kind}
	var out []subresource
	if res.Binding {
		out = append(out, subresource{"binding", metav1.GroupVersionKind{Version: "v1", Kind: "Binding"}, []string{"create"}})
	}
	if res.Eviction {
		out = append(out, subresource{"eviction", metav1.GroupVersionKind{Group: "policy", Version: "v1", Kind: "Eviction"}, []string{"create"}})
	}
	if res.Scale != nil {
		out = append(out, subresource{"scale", metav1.GroupVersionKind{Group: "autoscaling", Version: "v1", Kind: "Scale"}, []string{"get", "patch", "update"}})
	}
	if res.StatusSubresource() {
		out = append(out, subresource{"status", self, res.StatusVerbs})
	}
	return out
}

// aggregatedVersion is the aggregated discovery version a client asked for ("v2", "v2beta1"),
// or "" for the legacy documents.
func aggregatedVersion(accept string) string {
	for _, clause := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(clause))
		if err != nil {
			continue
		}
		if mt != "application/json" && mt != "*/*" && mt != "application/*" {
			continue
		}
		if params["as"] == "" {
			return ""
		}
		if params["as"] == "APIGroupDiscoveryList" && params["g"] == "apidiscovery.k8s.io" && (params["v"] == "v2" || params["v"] == "v2beta1") {
			return params["v"]
		}
	}
	return ""
}

// serveLegacyRoot answers /api: the core group's versions, or the aggregated document.
func (h *Handler) serveLegacyRoot(w http.ResponseWriter, r *http.Request) {
	if v := aggregatedVersion(r.Header.Get("Accept")); v != "" {
		h.writeAggregated(w, v, true)
		return
	}
	addr := h.cfg.ServerAddress
	if addr == "" {
		addr = r.Host
	}
	h.writeJSON(w, http.StatusOK, &metav1.APIVersions{
		TypeMeta: metav1.TypeMeta{Kind: "APIVersions"}, Versions: []string{"v1"},
		ServerAddressByClientCIDRs: []metav1.ServerAddressByClientCIDR{{ClientCIDR: "0.0.0.0/0", ServerAddress: addr}},
	})
}

// serveGroups answers /apis: the named groups, or the aggregated document.
func (h *Handler) serveGroups(w http.ResponseWriter, r *http.Request) {
	if v := aggregatedVersion(r.Header.Get("Accept")); v != "" {
		h.writeAggregated(w, v, false)
		return
	}
	list := &metav1.APIGroupList{TypeMeta: metav1.TypeMeta{Kind: "APIGroupList", APIVersion: "v1"}}
	for _, gv := range h.groupVersions() {
		if g := groupOf(gv.GroupVersion); g != "" {
			list.Groups = append(list.Groups, h.apiGroup(g))
		}
	}
	h.writeJSON(w, http.StatusOK, list)
}

// serveGroup answers /apis/<group>.
func (h *Handler) serveGroup(w http.ResponseWriter, _ *http.Request, group string) {
	g := h.apiGroup(group)
	g.TypeMeta = metav1.TypeMeta{Kind: "APIGroup", APIVersion: "v1"}
	h.writeJSON(w, http.StatusOK, &g)
}

func (h *Handler) apiGroup(group string) metav1.APIGroup {
	g := metav1.APIGroup{Name: group}
	for _, gv := range h.groupVersions() {
		if groupOf(gv.GroupVersion) == group {
			g.Versions = append(g.Versions, gv)
		}
	}
	if len(g.Versions) > 0 {
		g.PreferredVersion = g.Versions[0]
	}
	return g
}

func groupOf(groupVersion string) string {
	g, _, found := strings.Cut(groupVersion, "/")
	if !found {
		return ""
	}
	return g
}

// serveResourceList answers /api/v1 and /apis/<group>/<version>: the APIResourceList.
func (h *Handler) serveResourceList(w http.ResponseWriter, r *http.Request, group, version string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.writeError(w, r, errMethodNotAllowed())
		return
	}
	gv := version
	if group != "" {
		gv = group + "/" + version
	}
	list := &metav1.APIResourceList{TypeMeta: metav1.TypeMeta{Kind: "APIResourceList", APIVersion: "v1"}, GroupVersion: gv}
	for _, res := range h.resourcesOf(group, version) {
		list.APIResources = append(list.APIResources, metav1.APIResource{
			Name: res.Name, SingularName: res.Singular, Namespaced: res.Namespaced, Kind: res.Kind,
			Verbs: verbsOf(res), ShortNames: res.ShortNames, Categories: res.Categories,
		})
		for _, sub := range subresourcesOf(res) {
			ar := metav1.APIResource{Name: res.Name + "/" + sub.name, Namespaced: res.Namespaced, Kind: sub.kind.Kind, Verbs: sub.verbs}
			if sub.kind.Group != res.Group || sub.kind.Version != res.Version {
				ar.Group, ar.Version = sub.kind.Group, sub.kind.Version
			}
			list.APIResources = append(list.APIResources, ar)
		}
	}
	h.writeJSON(w, http.StatusOK, list)
}

// writeAggregated writes the aggregated discovery document of the core group (core) or of the
// named groups, in apidiscovery.k8s.io version v.
func (h *Handler) writeAggregated(w http.ResponseWriter, v string, core bool) {
	list := &apidiscoveryv2.APIGroupDiscoveryList{TypeMeta: metav1.TypeMeta{Kind: "APIGroupDiscoveryList", APIVersion: "apidiscovery.k8s.io/" + v}}
	for _, gv := range h.groupVersions() {
		group := groupOf(gv.GroupVersion)
		if (group == "") != core {
			continue
		}
		item := apidiscoveryv2.APIGroupDiscovery{ObjectMeta: metav1.ObjectMeta{Name: group}}
		version := apidiscoveryv2.APIVersionDiscovery{Version: gv.Version, Freshness: apidiscoveryv2.DiscoveryFreshnessCurrent}
		for _, res := range h.resourcesOf(group, gv.Version) {
			scope := apidiscoveryv2.ScopeCluster
			if res.Namespaced {
				scope = apidiscoveryv2.ScopeNamespace
			}
			rd := apidiscoveryv2.APIResourceDiscovery{
				Resource: res.Name, SingularResource: res.Singular, Scope: scope, Verbs: verbsOf(res),
				ResponseKind: &metav1.GroupVersionKind{Group: res.Group, Version: res.Version, Kind: res.Kind},
				ShortNames:   res.ShortNames, Categories: res.Categories,
			}
			for _, sub := range subresourcesOf(res) {
				kind := sub.kind
				rd.Subresources = append(rd.Subresources, apidiscoveryv2.APISubresourceDiscovery{Subresource: sub.name, ResponseKind: &kind, Verbs: sub.verbs})
			}
			version.Resources = append(version.Resources, rd)
		}
		item.Versions = append(item.Versions, version)
		list.Items = append(list.Items, item)
	}
	w.Header().Set("Vary", "Accept")
	b, err := jsonMarshal(list)
	if err != nil {
		h.logf("encoding discovery: %v", err)
		return
	}
	w.Header().Set("Content-Type", "application/json;g=apidiscovery.k8s.io;v="+v+";as=APIGroupDiscoveryList")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}
