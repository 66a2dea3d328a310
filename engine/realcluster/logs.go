package realcluster

import (
	"context"
	"io"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/rest"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// PodLogs reads a container's log as kubectl logs does: GET pods/NAME/log with its options,
// through the guard. The API server's refusals (no previous container, a container that is not
// valid) come back as its Status errors. Running says the container still writes (its status
// reads running, and the log asked for is not the previous instance's).
func (a API) PodLogs(ns, name string, opts apiserver.PodLogOptions) (apiserver.PodLog, error) {
	ctx, cancel := a.c.ctx()
	defer cancel()
	body, err := a.podLogRequest(ns, name, opts, false)
	if err != nil {
		return apiserver.PodLog{}, err
	}
	stream, err := body.Stream(ctx)
	if err != nil {
		return apiserver.PodLog{}, err
	}
	text, err := io.ReadAll(stream)
	stream.Close()
	if err != nil {
		return apiserver.PodLog{}, err
	}
	out := apiserver.PodLog{Text: text, Container: opts.Container}
	obj, err := a.c.Get("pods", ns, name)
	if err != nil {
		return out, nil // the log was read; the pod went away since
	}
	pod := obj.(*corev1.Pod)
	out.Node = pod.Spec.NodeName
	if out.Container == "" && len(pod.Spec.Containers) == 1 {
		out.Container = pod.Spec.Containers[0].Name
	}
	for _, cs := range append(append([]corev1.ContainerStatus{}, pod.Status.InitContainerStatuses...), pod.Status.ContainerStatuses...) {
		if cs.Name == out.Container {
			out.Running = cs.State.Running != nil && !opts.Previous
		}
	}
	return out, nil
}

// FollowPodLogs is kubectl logs -f: GET pods/NAME/log?follow=true, streamed. The stream ends when
// the container ends or the server closes it; closing it stops the request.
func (a API) FollowPodLogs(ns, name string, opts apiserver.PodLogOptions) (io.ReadCloser, error) {
	req, err := a.podLogRequest(ns, name, opts, true)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	stream, err := req.Stream(ctx)
	if err != nil {
		cancel()
		return nil, err
	}
	return &cancelOnClose{ReadCloser: stream, cancel: cancel}, nil
}

// podLogRequest is the GET pods/NAME/log request of opts (v1.PodLogOptions' query parameters).
func (a API) podLogRequest(ns, name string, opts apiserver.PodLogOptions, follow bool) (*rest.Request, error) {
	res, err := a.c.resource("pods")
	if err != nil {
		return nil, err
	}
	r := a.c.rest.Get().AbsPath(a.c.path(res, ns, name, "log"))
	if opts.Container != "" {
		r = r.Param("container", opts.Container)
	}
	if follow {
		r = r.Param("follow", "true")
	}
	if opts.Previous {
		r = r.Param("previous", "true")
	}
	if opts.Timestamps {
		r = r.Param("timestamps", "true")
	}
	for _, p := range []struct {
		key string
		n   *int64
	}{{"tailLines", opts.TailLines}, {"sinceSeconds", opts.SinceSeconds}, {"limitBytes", opts.LimitBytes}} {
		if p.n != nil {
			r = r.Param(p.key, strconv.FormatInt(*p.n, 10))
		}
	}
	if opts.SinceTime != nil {
		r = r.Param("sinceTime", opts.SinceTime.UTC().Format(time.RFC3339))
	}
	return r, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	c.cancel()
	return c.ReadCloser.Close()
}
