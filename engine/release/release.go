// Package release names the Kubernetes release whose behaviour the engine reproduces: the version
// the kubelets, the API server (/version) and the sandbox's kubectl report. Moving to another
// release starts here, and then goes through the list in engine/README.md ("Kubernetes v1.37").
package release

const (
	// Major and Minor are /version's "major" and "minor".
	Major = "1"
	Minor = "37"
	// MinCompatibilityMinor is /version's "minCompatibilityMinor": the release before, as
	// component-base's effective version subtracts one minor (k8s.io/component-base v0.37.2
	// compatibility/version.go).
	MinCompatibilityMinor = "36"
	// GitVersion is the full version: the kubelets' kubeletVersion, kube-apiserver's and kubectl's
	// gitVersion.
	GitVersion = "v1.37.2"
	// Short is the version as people write it in a sentence ("Kubernetes v1.37").
	Short = "v" + Major + "." + Minor
)
