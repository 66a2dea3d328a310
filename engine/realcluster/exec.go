package realcluster

import (
	"errors"
	"io"
	"net/url"

	"k8s.io/client-go/tools/remotecommand"
	utilexec "k8s.io/client-go/util/exec"
)

// PodExec runs argv in a container of a pod, as kubectl exec does: POST pods/NAME/exec upgraded to
// a WebSocket (the v5 channel protocol, k8s.io/client-go tools/remotecommand/websocket.go). The
// upgrade goes through the guard like every other request. A command that ran and failed gives
// its exit code and no error.
func (a API) PodExec(ns, name, container string, argv []string, out, errOut io.Writer) (int, error) {
	c := a.c
	res, err := c.resource("pods")
	if err != nil {
		return 0, err
	}
	q := url.Values{"command": argv, "stdout": {"true"}, "stderr": {"true"}}
	if container != "" {
		q.Set("container", container)
	}
	u, err := url.Parse(c.cfg.Host)
	if err != nil {
		return 0, err
	}
	u.Path = c.path(res, ns, name, "exec")
	u.RawQuery = q.Encode()
	exec, err := remotecommand.NewWebSocketExecutor(c.cfg, "GET", u.String())
	if err != nil {
		return 0, err
	}
	ctx, cancel := c.ctx()
	defer cancel()
	err = exec.StreamWithContext(ctx, remotecommand.StreamOptions{Stdout: out, Stderr: errOut})
	var exit utilexec.ExitError
	if errors.As(err, &exit) && exit.Exited() {
		return exit.ExitStatus(), nil
	}
	return 0, err
}
