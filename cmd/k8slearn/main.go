// Command k8slearn teaches how Kubernetes turns one command into running containers.
package main

import (
	"os"

	"github.com/k8slearn/k8slearn/cmd/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.SystemIO()))
}
