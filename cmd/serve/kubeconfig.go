package serve

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"sigs.k8s.io/yaml"

	"github.com/k8slearn/k8slearn/cmd/internal/atomicfile"
)

// contextName is the kubeconfig context (and cluster and user) serve writes.
const contextName = "k8slearn"

// kubeconfig is the part of the kubeconfig format serve writes and `k8slearn step` reads.
type kubeconfig struct {
	APIVersion     string         `json:"apiVersion"`
	Kind           string         `json:"kind"`
	Clusters       []namedCluster `json:"clusters"`
	Contexts       []namedContext `json:"contexts"`
	CurrentContext string         `json:"current-context"`
	Users          []namedUser    `json:"users"`
}

type namedCluster struct {
	Name    string `json:"name"`
	Cluster struct {
		Server                   string `json:"server"`
		CertificateAuthorityData string `json:"certificate-authority-data,omitempty"`
	} `json:"cluster"`
}

type namedContext struct {
	Name    string `json:"name"`
	Context struct {
		Cluster   string `json:"cluster"`
		User      string `json:"user"`
		Namespace string `json:"namespace,omitempty"`
	} `json:"context"`
}

type namedUser struct {
	Name string `json:"name"`
	User struct {
		Token string `json:"token,omitempty"`
	} `json:"user"`
}

// writeKubeconfig writes a kubeconfig for server to path, atomically (temporary file, sync,
// rename) and readable only by its owner: it may hold a token.
func writeKubeconfig(path, server string, sec security) error {
	var kc kubeconfig
	kc.APIVersion, kc.Kind, kc.CurrentContext = "v1", "Config", contextName
	var cl namedCluster
	cl.Name = contextName
	cl.Cluster.Server = server
	if len(sec.caPEM) > 0 {
		cl.Cluster.CertificateAuthorityData = base64.StdEncoding.EncodeToString(sec.caPEM)
	}
	var ctx namedContext
	ctx.Name = contextName
	ctx.Context.Cluster, ctx.Context.User, ctx.Context.Namespace = contextName, contextName, "default"
	var user namedUser
	user.Name = contextName
	user.User.Token = sec.token
	kc.Clusters, kc.Contexts, kc.Users = []namedCluster{cl}, []namedContext{ctx}, []namedUser{user}
	data, err := yaml.Marshal(&kc)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	// The token in it is a secret: readable by the learner alone.
	return atomicfile.Write(path, data, 0o600, filepath.Base(path)+".tmp-*")
}

// endpoint is where a kubeconfig's current context points.
type endpoint struct {
	server *url.URL
	token  string
	caPEM  []byte
}

// readKubeconfig reads the current context of a kubeconfig written by serve.
func readKubeconfig(path string) (endpoint, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return endpoint{}, err
	}
	var kc kubeconfig
	if err := yaml.Unmarshal(data, &kc); err != nil {
		return endpoint{}, err
	}
	var ep endpoint
	for _, c := range kc.Contexts {
		if c.Name != kc.CurrentContext {
			continue
		}
		for _, cl := range kc.Clusters {
			if cl.Name == c.Context.Cluster {
				if ep.server, err = url.Parse(cl.Cluster.Server); err != nil {
					return endpoint{}, err
				}
				if cl.Cluster.CertificateAuthorityData != "" {
					if ep.caPEM, err = base64.StdEncoding.DecodeString(cl.Cluster.CertificateAuthorityData); err != nil {
						return endpoint{}, err
					}
				}
			}
		}
		for _, u := range kc.Users {
			if u.Name == c.Context.User {
				ep.token = u.User.Token
			}
		}
	}
	if ep.server == nil {
		return endpoint{}, errors.New("no server for the current context")
	}
	if ep.server.Scheme != "http" && ep.server.Scheme != "https" {
		return endpoint{}, fmt.Errorf("unsupported server %q", ep.server)
	}
	return ep, nil
}
