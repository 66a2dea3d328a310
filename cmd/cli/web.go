package cli

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/spf13/pflag"

	"github.com/k8slearn/k8slearn/cmd/picture"
	"github.com/k8slearn/k8slearn/cmd/serve"
	"github.com/k8slearn/k8slearn/locales"
)

// defaultWebAddr is where --web serves the live map unless --web-addr says otherwise: loopback,
// a free port.
const defaultWebAddr = "127.0.0.1:0"

// webFlags are --web and --web-addr, for the sandbox and lessons.
type webFlags struct {
	on   bool
	addr string
}

func (w *webFlags) add(f *pflag.FlagSet) {
	f.BoolVar(&w.on, "web", false, "cli.flag.web")
	f.StringVar(&w.addr, "web-addr", defaultWebAddr, "cli.flag.web_addr")
}

// webPage is a live map served while a sandbox or a lesson runs.
type webPage struct {
	live *picture.Live
	srv  *http.Server
	url  string
}

// startWeb serves a live map with serve's rules (loopback plain; beyond it TLS and a token) and
// prints its address. stop ends it: the pages are told the session is over.
func startWeb(io IO, l *locales.Localizer, addr string, cfg picture.LiveConfig) (*webPage, error) {
	ln, err := serve.Listen(addr, time.Now())
	if err != nil {
		return nil, usageError{errors.New(l.T("cli.web.listen", map[string]any{"Addr": addr, "Err": err.Error()}))}
	}
	cfg.L, cfg.Token = l, ln.Token
	live, err := picture.NewLive(cfg)
	if err != nil {
		ln.Close()
		return nil, err
	}
	w := &webPage{live: live, url: serve.PageURL(ln.URL, ln.Token), srv: &http.Server{
		Handler:           live.Handler(nil),
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig:         ln.TLS,
		ErrorLog:          log.New(discard{}, "", 0), // a browser that went away is no news
	}}
	go func() {
		if ln.TLS != nil {
			_ = w.srv.ServeTLS(ln, "", "")
			return
		}
		_ = w.srv.Serve(ln)
	}()
	fmt.Fprintln(io.Out, l.T("picture.live.url", map[string]any{"URL": w.url}))
	return w, nil
}

// stop ends the event streams first (Shutdown waits for handlers), then the server.
func (w *webPage) stop() {
	w.live.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = w.srv.Shutdown(ctx)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
