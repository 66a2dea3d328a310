package serve

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func getPage(t *testing.T, client *http.Client, url string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept", "text/html")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// serve shows the live map at its own address, "/", and in step mode the page's step button
// is one more way to let the next component act.
func TestServeLivePicture(t *testing.T) {
	in, feed := io.Pipe()
	defer feed.Close()
	s := start(t, Options{Auto: false, In: in})
	if !strings.Contains(s.out.String(), "The live map of this run: "+s.url+"/") {
		t.Errorf("serve does not print the live map's address:\n%s", s.out.String())
	}
	post(t, s.url, "/apis/apps/v1/namespaces/default/deployments", webDeployment)
	waitFor(5*time.Second, func() bool { return strings.Contains(s.out.String(), "next: deployment-controller") })
	code, page := getPage(t, http.DefaultClient, s.url+"/")
	control := regexp.MustCompile(`data-control="([0-9a-f]+)"`).FindStringSubmatch(page)
	if code != 200 || control == nil || !strings.Contains(page, "k8slearn serve") {
		t.Fatalf("GET / from a browser: %d, step button %v", code, control != nil)
	}
	req, _ := http.NewRequest(http.MethodPost, s.url+"/k8slearn/picture/step", nil)
	req.Header.Set("X-K8slearn-Control", control[1])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST step: %d", resp.StatusCode)
	}
	if !waitFor(5*time.Second, func() bool { return strings.Contains(s.out.String(), "#2 deployment-controller saw ADDED") }) {
		t.Fatalf("the page's step did not step:\n%s", s.out.String())
	}
	// run: until nothing is left to do.
	req, _ = http.NewRequest(http.MethodPost, s.url+"/k8slearn/picture/run", nil)
	req.Header.Set("X-K8slearn-Control", control[1])
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !waitFor(10*time.Second, func() bool { return strings.Contains(s.out.String(), "ContainerStarted") }) {
		t.Fatalf("the page's run did not run:\n%s", s.out.String())
	}
	// kubectl's own requests to "/" still reach the API.
	if resp, err := http.Get(s.url + "/version"); err != nil || resp.StatusCode != 200 {
		t.Errorf("GET /version: %v %v", resp, err)
	}
}

// Beyond loopback the page needs serve's token, as the API does; serve prints it in the address.
func TestServeLivePictureNeedsTheToken(t *testing.T) {
	s := start(t, Options{Auto: true, secureLoopback: true})
	ep, err := readKubeconfig(s.kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ep.caPEM)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if code, _ := getPage(t, client, s.url+"/"); code != http.StatusUnauthorized {
		t.Errorf("the page without the token: %d", code)
	}
	if !strings.Contains(s.out.String(), PageURL(s.url, ep.token)) {
		t.Errorf("serve does not print the page's address with its token:\n%s", s.out.String())
	}
	if code, page := getPage(t, client, PageURL(s.url, ep.token)); code != 200 || strings.Contains(page, `id="step"`) {
		t.Errorf("the page with the token: %d (auto mode: no step button)", code)
	}
}
