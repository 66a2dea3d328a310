package cluster_test

import (
	"io"
	"sync"
	"testing"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl"
)

// TestConcurrentReadersWhileStepping: the cluster's methods are safe for concurrent use, so a
// UI may read (Pending, Trace, kubectl get) while another goroutine steps. Run with -race.
func TestConcurrentReadersWhileStepping(t *testing.T) {
	c, err := cluster.New(cluster.DefaultConfig(3))
	if err != nil {
		t.Fatal(err)
	}
	k := kubectl.New(c, nil)
	quiet := kubectl.Streams{Out: io.Discard, ErrOut: io.Discard}
	if code := k.Run([]string{"create", "deployment", "web", "--image=nginx", "--replicas=5"}, quiet); code != 0 {
		t.Fatalf("exit %d", code)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		c.Run(0)
	}()
	go func() {
		defer wg.Done()
		reader := kubectl.New(c, nil)
		for range 50 {
			c.Pending()
			c.Trace()
			c.Next()
			reader.Run([]string{"get", "all", "-o", "wide"}, quiet)
			if _, _, err := c.API().Client("ui").List("pods", "", apiserver.ListOptions{}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	wg.Wait()
	c.Run(0)
	if !c.Idle() {
		t.Fatal("not idle after Run")
	}
}
