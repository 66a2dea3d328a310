// Package serve is `k8slearn serve`: the miniature control plane served over HTTP as a real
// Kubernetes API, for the learner's own kubectl. It writes a kubeconfig, runs the cluster either
// by itself (simulated durations played in real time) or one step per Enter, and narrates every
// component action in the serve terminal.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/k8slearn/k8slearn/cmd/picture"
	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/httpapi"
	"github.com/k8slearn/k8slearn/locales"
)

// DefaultAddr is where serve listens unless told otherwise: loopback, kube-apiserver's port.
const DefaultAddr = "127.0.0.1:6443"

// Options say how to serve.
type Options struct {
	Addr       string // host:port to listen on
	Kubeconfig string // where to write the kubeconfig
	Auto       bool   // run the control plane by itself; else one step per Enter or `k8slearn step`
	Nodes      int
	// NodeNames, when set, names the nodes instead of node-1 … node-N (one each): a cluster that
	// looks like kind's, to play the lessons against as on a cluster of one's own.
	NodeNames []string
	Seed      uint64
	L         *locales.Localizer
	Style     view.Styler
	Out       io.Writer // the narration
	In        io.Reader // Enter steps the cluster (step mode); nil: no keyboard
	// Now is the wall clock. The cluster's simulated clock follows it, so that ages computed by
	// kubectl from its own clock agree with what the server stored.
	Now func() time.Time
	// Ready, when set, is called once the server accepts connections, with the base URL and the
	// kubeconfig path (tests use it).
	Ready func(url, kubeconfig string)

	// secureLoopback makes a loopback address use the token and TLS, as another address would
	// (tests stay on loopback).
	secureLoopback bool
}

// Run serves until ctx is done, then shuts the server down: open watches end and in-flight
// requests finish.
func Run(ctx context.Context, o Options) error {
	if o.Now == nil {
		o.Now = time.Now
	}
	// The clock the cluster follows: the wall clock, moved on by what a `wait` let pass.
	clk := &shiftedClock{wall: o.Now}
	o.Now = clk.Now
	cfg := cluster.DefaultConfig(o.Seed)
	cfg.Nodes = o.Nodes
	cfg.NodeNames = o.NodeNames
	cfg.Start = o.Now().Add(-cfg.Age)
	c, err := cluster.New(cfg)
	if err != nil {
		return err
	}
	ln, url, sec, err := listen(o)
	if err != nil {
		return err
	}
	secure := sec.token != ""

	n := newNarrator(o.L, o.Style, o.Out)
	loop := newLoop(c, n, o.Now, o.Auto)
	loop.clock = clk
	// The live picture at "/" follows every step, with the API's own address and token rules.
	pictureCfg := picture.LiveConfig{L: o.L, Options: picture.Options{Context: o.L.T("picture.context.serve"), Seed: o.Seed},
		Token: sec.token}
	if !o.Auto {
		pictureCfg.Control = loop.pictureControl
	}
	live, err := picture.NewLive(pictureCfg)
	if err != nil {
		ln.Close()
		return err
	}
	defer live.Close()
	loop.changed = func() { live.Update(c) }
	live.Update(c)
	api := httpapi.New(httpapi.Config{
		API: c.API(), Now: c.Clock().Now, Token: sec.token, ServerAddress: strings.TrimPrefix(url, sec.scheme()+"://"),
		Changed: loop.wake, Control: loop.controlHandler(),
		Log: func(line string) { n.println(o.Style.Bad(line)) },
	})
	srv := &http.Server{
		Handler:           live.Handler(followClock(c, o.Now, api)),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute, // the request, body included; watches answer for longer
		IdleTimeout:       2 * time.Minute,
		TLSConfig:         sec.tlsConfig(),
		ErrorLog:          log.New(lineWriter{n}, "", 0), // e.g. TLS handshakes that failed
	}
	srv.RegisterOnShutdown(api.Close)
	srv.RegisterOnShutdown(live.Close) // the pages' event streams end, and say so

	n.banner(url, o.Kubeconfig, cfg.Nodes, o.Auto, secure)
	n.println(o.L.T("picture.live.url", map[string]any{"URL": PageURL(url, sec.token)}), "")
	serveErr := make(chan error, 1)
	go func() {
		if secure {
			serveErr <- srv.ServeTLS(ln, "", "")
			return
		}
		serveErr <- srv.Serve(ln)
	}()
	if o.Ready != nil {
		o.Ready(url, o.Kubeconfig)
	}

	loopCtx, stopLoop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		loop.run(loopCtx, o.In)
	}()

	var runErr error
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		runErr = err
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && runErr == nil {
		runErr = err
	}
	api.Close()
	stopLoop()
	wg.Wait()
	n.stopped(o.Kubeconfig)
	if errors.Is(runErr, http.ErrServerClosed) {
		runErr = nil
	}
	return runErr
}

// listen opens the listener, with the token and certificate beyond loopback, and writes the
// kubeconfig that reaches it.
func listen(o Options) (net.Listener, string, security, error) {
	ln, url, sec, err := open(o.Addr, o.Now(), o.secureLoopback)
	var addrErr addrError
	switch {
	case errors.As(err, &addrErr):
		return nil, "", security{}, errors.New(o.L.T("serve.error.addr", map[string]any{"Addr": o.Addr, "Err": addrErr.err.Error()}))
	case err != nil:
		return nil, "", security{}, errors.New(o.L.T("serve.error.listen", map[string]any{"Addr": o.Addr, "Err": err.Error()}))
	}
	if err := writeKubeconfig(o.Kubeconfig, url, sec); err != nil {
		ln.Close()
		return nil, "", security{}, errors.New(o.L.T("serve.error.kubeconfig", map[string]any{"Path": o.Kubeconfig, "Err": err.Error()}))
	}
	return ln, url, sec, nil
}

// followClock keeps the cluster's simulated clock up with the wall clock before every request,
// so objects are stamped with the time the learner sees.
func followClock(c *cluster.Cluster, now func() time.Time, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.Clock().AdvanceTo(now())
		next.ServeHTTP(w, r)
	})
}

// clientAddr is the address a client dials: the listening address, with an unspecified host
// (0.0.0.0, ::) replaced by one of this machine's addresses.
func clientAddr(a *net.TCPAddr) string {
	ip := a.IP
	if ip == nil || ip.IsUnspecified() {
		ip = firstNonLoopbackIP()
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(a.Port))
}

// PageURL is the address of the live picture served at url: its root, with the token when one
// is needed (the page keeps it in a cookie).
func PageURL(url, token string) string {
	if token == "" {
		return url + "/"
	}
	return url + "/?token=" + token
}
