package kubectl

import (
	"encoding/json"
	"errors"
	"fmt"
	goruntime "runtime"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	utilnet "k8s.io/apimachinery/pkg/util/net"
	"sigs.k8s.io/yaml"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/release"
)

// What `kubectl version` reports in the sandbox: the kubectl the sandbox imitates, talking to a
// server of the same release. kustomizeVersion is the one k8s.io/kubectl v0.37.2 compiles in
// (pkg/cmd/version/version.go).
const (
	kubectlGitVersion = release.GitVersion
	kubectlMajor      = release.Major
	kubectlMinor      = release.Minor
	kustomizeVersion  = "v5.8.1"
	// sandboxServer is the address cluster-info names: the one `k8slearn serve` listens on by
	// default, where the same cluster would be reached from a real kubectl.
	sandboxServer = "https://127.0.0.1:6443"
)

// addReadCommands adds the read-only verbs that tell about the cluster rather than its objects:
// version, cluster-info, api-resources, api-versions, explain.
func (k *Kubectl) addReadCommands(root *cobra.Command, s Streams) {
	root.AddCommand(k.newVersion(s), k.newClusterInfo(s), k.newAPIResources(s), k.newAPIVersions(s), k.newExplain(s))
}

// usageError is kubectl's cmdutil.UsageErrorf.
func usageError(c *cobra.Command, format string, args ...any) error {
	return fmt.Errorf("%s\nSee '%s -h' for help and examples", fmt.Sprintf(format, args...), c.CommandPath())
}

// versionInfo is apimachinery's version.Info as kubectl version -o json|yaml prints it; build
// details that the sandbox does not have (commit, date) are left empty rather than invented.
type versionInfo struct {
	Major        string `json:"major"`
	Minor        string `json:"minor"`
	GitVersion   string `json:"gitVersion"`
	GitCommit    string `json:"gitCommit"`
	GitTreeState string `json:"gitTreeState"`
	BuildDate    string `json:"buildDate"`
	GoVersion    string `json:"goVersion"`
	Compiler     string `json:"compiler"`
	Platform     string `json:"platform"`
}

type versionOutput struct {
	ClientVersion    *versionInfo `json:"clientVersion,omitempty"`
	KustomizeVersion string       `json:"kustomizeVersion,omitempty"`
	ServerVersion    *versionInfo `json:"serverVersion,omitempty"`
}

// newVersion is k8s.io/kubectl v0.37.2 pkg/cmd/version.
func (k *Kubectl) newVersion(s Streams) *cobra.Command {
	var clientOnly bool
	var output string
	c := &cobra.Command{
		Use:   "version",
		Short: "Print the client and server version information",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 0 {
				return fmt.Errorf("extra arguments: %v", args)
			}
			if output != "" && output != "yaml" && output != "json" {
				return errors.New(`--output must be 'yaml' or 'json'`)
			}
			info := func() *versionInfo {
				return &versionInfo{Major: kubectlMajor, Minor: kubectlMinor, GitVersion: kubectlGitVersion,
					GitTreeState: "clean", GoVersion: goruntime.Version(), Compiler: goruntime.Compiler,
					Platform: goruntime.GOOS + "/" + goruntime.GOARCH}
			}
			v := versionOutput{ClientVersion: info(), KustomizeVersion: kustomizeVersion}
			if !clientOnly {
				v.ServerVersion = info()
			}
			switch output {
			case "":
				fmt.Fprintf(s.Out, "Client Version: %s\n", v.ClientVersion.GitVersion)
				fmt.Fprintf(s.Out, "Kustomize Version: %s\n", v.KustomizeVersion)
				if v.ServerVersion != nil {
					fmt.Fprintf(s.Out, "Server Version: %s\n", v.ServerVersion.GitVersion)
				}
			case "yaml":
				b, err := yaml.Marshal(&v)
				if err != nil {
					return err
				}
				fmt.Fprintln(s.Out, string(b))
			case "json":
				b, err := json.MarshalIndent(&v, "", "  ")
				if err != nil {
					return err
				}
				fmt.Fprintln(s.Out, string(b))
			}
			return nil
		},
	}
	c.Flags().BoolVar(&clientOnly, "client", false, "If true, shows client version only (no server required).")
	c.Flags().StringVarP(&output, "output", "o", "", "One of 'yaml' or 'json'.")
	return c
}

// newClusterInfo is k8s.io/kubectl v0.37.2 pkg/cmd/clusterinfo: the control plane's address, then
// every kube-system Service labelled kubernetes.io/cluster-service=true with its proxy URL.
func (k *Kubectl) newClusterInfo(s Streams) *cobra.Command {
	c := &cobra.Command{
		Use:   "cluster-info",
		Short: "Display cluster information",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				if args[0] == "dump" {
					fmt.Fprintln(s.ErrOut, k.t("kubectl.missing_verb", map[string]any{"Verb": "cluster-info dump"}))
					return ExitError{Code: 1}
				}
				return fmt.Errorf("unknown command %q for %q", args[0], c.CommandPath())
			}
			sel := labels.SelectorFromSet(labels.Set{"kubernetes.io/cluster-service": "true"})
			services, _, err := k.client.List("services", "kube-system", apiserver.ListOptions{LabelSelector: sel})
			if err != nil {
				return err
			}
			fmt.Fprintf(s.Out, "Kubernetes control plane is running at %s\n", sandboxServer)
			for _, obj := range services {
				svc, ok := asService(obj)
				if !ok {
					continue
				}
				name := svc.Labels["kubernetes.io/name"]
				if name == "" {
					name = svc.Name
				}
				fmt.Fprintf(s.Out, "%s is running at %s\n", name, serviceProxyURL(svc))
			}
			fmt.Fprint(s.Out, "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")
			return nil
		},
	}
	return c
}

// apiResourceColumns are kubectl api-resources' headers (pkg/cmd/apiresources, printContextHeaders).
func apiResourceColumns(wide bool) []string {
	cols := []string{"NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"}
	if wide {
		cols = append(cols, "VERBS", "CATEGORIES")
	}
	return cols
}

// newAPIResources is k8s.io/kubectl v0.37.2 pkg/cmd/apiresources: the resources discovery lists,
// sorted by group then name (or by --sort-by), filtered by the flags.
func (k *Kubectl) newAPIResources(s Streams) *cobra.Command {
	var output, group, sortBy string
	var namespaced, noHeaders bool
	var verbs, categories []string
	c := &cobra.Command{
		Use:   "api-resources",
		Short: "Print the supported API resources on the server",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 0 {
				return usageError(c, "unexpected arguments: %v", args)
			}
			switch output {
			case "", "wide", "name", "json", "yaml":
			default:
				return fmt.Errorf("unable to match a printer suitable for the output format %q, allowed formats are: json,kyaml,name,wide,yaml", output)
			}
			if sortBy != "" && sortBy != "name" && sortBy != "kind" {
				return errors.New("--sort-by accepts only name or kind")
			}
			var list []*apiserver.Resource
			for _, r := range k.reg.All() {
				if c.Flags().Changed("api-group") && r.Group != group {
					continue
				}
				if c.Flags().Changed("namespaced") && r.Namespaced != namespaced {
					continue
				}
				if !hasAll(r.ServedVerbs(), verbs) || !hasAll(r.Categories, categories) {
					continue
				}
				list = append(list, r)
			}
			key := func(r *apiserver.Resource) string {
				switch sortBy {
				case "name":
					return r.Name
				case "kind":
					return r.Kind
				}
				return r.Group
			}
			sort.SliceStable(list, func(i, j int) bool {
				if a, b := key(list[i]), key(list[j]); a != b {
					return a < b
				}
				return list[i].Name < list[j].Name
			})
			if output == "json" || output == "yaml" {
				return printAPIResourceList(s, output, list)
			}
			if output == "name" {
				for _, r := range list {
					if r.Group != "" {
						fmt.Fprintf(s.Out, "%s.%s\n", r.Name, r.Group)
					} else {
						fmt.Fprintln(s.Out, r.Name)
					}
				}
				return nil
			}
			tw := tabwriter.NewWriter(s.Out, 6, 4, 3, ' ', 0)
			if !noHeaders {
				fmt.Fprintln(tw, strings.Join(apiResourceColumns(output == "wide"), "\t"))
			}
			for _, r := range list {
				row := []string{r.Name, strings.Join(r.ShortNames, ","), r.APIVersion(), fmt.Sprint(r.Namespaced), r.Kind}
				if output == "wide" {
					row = append(row, strings.Join(r.ServedVerbs(), ","), strings.Join(r.Categories, ","))
				}
				fmt.Fprintln(tw, strings.Join(row, "\t"))
			}
			return tw.Flush()
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "", "Output format. One of: (json, yaml, name, wide).")
	c.Flags().BoolVar(&noHeaders, "no-headers", false, "When using the default or custom-column output format, don't print headers (default print headers).")
	c.Flags().StringVar(&group, "api-group", "", "Limit to resources in the specified API group.")
	c.Flags().BoolVar(&namespaced, "namespaced", true, "If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.")
	c.Flags().StringSliceVar(&verbs, "verbs", nil, "Limit to resources that support the specified verbs.")
	c.Flags().StringVar(&sortBy, "sort-by", "", "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'.")
	c.Flags().Bool("cached", false, "Use the cached list of resources if available.")
	c.Flags().StringSliceVar(&categories, "categories", nil, "Limit to resources that belong to the specified categories.")
	return c
}

func hasAll(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// newAPIVersions is k8s.io/kubectl v0.37.2 pkg/cmd/apiresources/apiversions.go: every served
// group version, sorted.
func (k *Kubectl) newAPIVersions(s Streams) *cobra.Command {
	return &cobra.Command{
		Use:   "api-versions",
		Short: `Print the supported API versions on the server, in the form of "group/version"`,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) != 0 {
				return usageError(c, "unexpected arguments: %v", args)
			}
			seen := map[string]bool{}
			var versions []string
			for _, r := range k.reg.All() {
				if gv := r.APIVersion(); !seen[gv] {
					seen[gv] = true
					versions = append(versions, gv)
				}
			}
			sort.Strings(versions)
			for _, v := range versions {
				fmt.Fprintln(s.Out, v)
			}
			return nil
		},
	}
}

func asService(obj runtime.Object) (*corev1.Service, bool) {
	svc, ok := obj.(*corev1.Service)
	return svc, ok && svc != nil
}

// serviceProxyURL is the link cluster-info prints for a Service: its load balancer's address, or
// the API server's proxy path (<scheme>:<name>:<port name>, https guessed from the port).
func serviceProxyURL(svc *corev1.Service) string {
	if len(svc.Status.LoadBalancer.Ingress) > 0 {
		ingress := svc.Status.LoadBalancer.Ingress[0]
		ip := ingress.IP
		if ip == "" {
			ip = ingress.Hostname
		}
		var link string
		for _, port := range svc.Spec.Ports {
			link += "http://" + ip + ":" + strconv.Itoa(int(port.Port)) + " "
		}
		return link
	}
	name := svc.Name
	if len(svc.Spec.Ports) > 0 {
		port := svc.Spec.Ports[0]
		scheme := ""
		if port.Name == "https" || port.Port == 443 {
			scheme = "https"
		}
		name = utilnet.JoinSchemeNamePort(scheme, svc.Name, port.Name)
	}
	return sandboxServer + "/api/v1/namespaces/" + svc.Namespace + "/services/" + name + "/proxy"
}

// printAPIResourceList prints api-resources -o json|yaml: one flat APIResourceList.
func printAPIResourceList(s Streams, output string, list []*apiserver.Resource) error {
	flat := metav1.APIResourceList{TypeMeta: metav1.TypeMeta{Kind: "APIResourceList", APIVersion: "v1"}}
	for _, r := range list {
		flat.APIResources = append(flat.APIResources, metav1.APIResource{
			Name: r.Name, SingularName: r.Singular, Namespaced: r.Namespaced, Group: r.Group, Version: r.Version,
			Kind: r.Kind, Verbs: r.ServedVerbs(), ShortNames: r.ShortNames, Categories: r.Categories,
		})
	}
	var b []byte
	var err error
	if output == "json" {
		if b, err = json.MarshalIndent(&flat, "", "    "); err == nil {
			b = append(b, '\n')
		}
	} else {
		b, err = yaml.Marshal(&flat)
	}
	if err != nil {
		return err
	}
	_, err = s.Out.Write(b)
	return err
}
