package serve

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// stepPath is serve's control endpoint: POST it to let the next component act (step mode).
const stepPath = "/k8slearn/step"

// controlHandler serves k8slearn's own endpoints beside the Kubernetes API.
func (l *loop) controlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(stepPath, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeControl(w, http.StatusMethodNotAllowed, map[string]any{"message": "POST only"})
			return
		}
		if l.auto {
			writeControl(w, http.StatusConflict, map[string]any{"message": l.n.l.T("serve.step.auto")})
			return
		}
		req := stepRequest{reply: make(chan stepResult, 1)}
		askLoop(w, r, l.stepCh, req, req.reply)
	})
	mux.HandleFunc(execPath, l.execHandler)
	return mux
}

// askLoop hands req to the loop's goroutine, which alone touches the cluster, and writes the
// reply it sends back; a client that goes away meanwhile gets nothing.
func askLoop[Q, R any](w http.ResponseWriter, r *http.Request, loop chan<- Q, req Q, reply <-chan R) {
	select {
	case loop <- req:
	case <-r.Context().Done():
		return
	}
	select {
	case res := <-reply:
		writeControl(w, http.StatusOK, res)
	case <-r.Context().Done():
	}
}

func writeControl(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// Step asks the serve process behind a kubeconfig to let the next component act, and writes
// the narration it sends back to out.
func Step(ctx context.Context, kubeconfigPath string, out io.Writer) error {
	body, err := control(ctx, kubeconfigPath, stepPath, nil)
	if err != nil {
		return err
	}
	var res stepResult
	if err := json.Unmarshal(body, &res); err != nil {
		return err
	}
	for _, line := range res.Lines {
		fmt.Fprintln(out, line)
	}
	return nil
}

// control POSTs body to one of serve's control endpoints, found through a kubeconfig, and
// returns the answer; an answer other than 200 is the error its message says.
func control(ctx context.Context, kubeconfigPath, path string, reqBody []byte) ([]byte, error) {
	ep, err := readKubeconfig(kubeconfigPath)
	if err != nil {
		return nil, err
	}
	client := &http.Client{Timeout: 5 * time.Minute} // a long wait takes a while
	if len(ep.caPEM) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(ep.caPEM) {
			return nil, errors.New("the kubeconfig's certificate authority data is not a PEM certificate")
		}
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	}
	u := *ep.server
	u.Path = path
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(reqBody))
	if err != nil {
		return nil, err
	}
	if reqBody != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if ep.token != "" {
		req.Header.Set("Authorization", "Bearer "+ep.token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		var msg struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(body, &msg) == nil && msg.Message != "" {
			return nil, errors.New(msg.Message)
		}
		return nil, fmt.Errorf("%s: %s", resp.Status, bytes.TrimSpace(body))
	}
	return body, nil
}

// pictureControl hands the live page's step and run buttons to the loop, as `k8slearn step`
// does; it waits at most a moment for the loop to take the request, never for the steps.
func (l *loop) pictureControl(action string) error {
	req := stepRequest{reply: make(chan stepResult, 1), untilIdle: action == "run"}
	select {
	case l.stepCh <- req:
		return nil
	case <-time.After(2 * time.Second):
		return errors.New(l.n.l.T("picture.live.busy"))
	}
}
