package serve

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/k8slearn/k8slearn/cmd/view"
	"github.com/k8slearn/k8slearn/locales"
)

func TestManualServe(t *testing.T) {
	if os.Getenv("MANUAL_SERVE") == "" {
		t.Skip()
	}
	l, _ := locales.New("en")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	f, _ := os.Create("/tmp/k8s/serve.log")
	err := Run(ctx, Options{Addr: "127.0.0.1:16443", Kubeconfig: "/tmp/k8s/kubeconfig", Auto: os.Getenv("MANUAL_STEP") == "", Nodes: 2, Seed: 1, L: l, Style: view.NewStyler(false), Out: f})
	if err != nil {
		t.Fatal(err)
	}
}
