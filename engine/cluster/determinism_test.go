package cluster_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/kubectl"
)

var determinismScript = []string{
	"create deployment web --image=nginx --replicas=3", "step 7", "get pods -o wide", "run",
	"get all", "get events", "scale deployment web --replicas=5", "run",
	"set image deployment/web nginx=nginx:1.27", "run", "get pods -o wide", "get rs -o yaml",
	"delete deployment web", "run", "get all",
}

// transcript runs the script on a fresh cluster and returns everything kubectl printed plus the
// whole trace, rendered with every field.
func transcript(t *testing.T, seed uint64) string {
	t.Helper()
	c, err := cluster.New(cluster.DefaultConfig(seed))
	if err != nil {
		t.Fatal(err)
	}
	k := kubectl.New(c, nil)
	var out bytes.Buffer
	for _, line := range determinismScript {
		switch {
		case line == "run":
			c.Run(0)
		case strings.HasPrefix(line, "step "):
			var n int
			fmt.Sscan(strings.TrimPrefix(line, "step "), &n)
			for range n {
				c.Step()
			}
		default:
			fmt.Fprintf(&out, "$ kubectl %s\n", line)
			code := k.Run(strings.Fields(line), kubectl.Streams{Out: &out, ErrOut: &out})
			fmt.Fprintf(&out, "(exit %d)\n", code)
			c.Flush()
		}
	}
	for _, e := range c.Trace() {
		fmt.Fprintf(&out, "%+v\n", e)
	}
	return out.String()
}

func TestSameSeedSameTranscript(t *testing.T) {
	for _, seed := range []uint64{1, 7, 99} {
		a, b := transcript(t, seed), transcript(t, seed)
		if a != b {
			t.Fatalf("seed %d: two runs differ at %s", seed, firstDiff(a, b))
		}
	}
}

var podName = regexp.MustCompile(`web-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}`)

func TestOtherSeedOtherPodNames(t *testing.T) {
	a, b := transcript(t, 1), transcript(t, 2)
	namesA, namesB := podName.FindAllString(a, -1), podName.FindAllString(b, -1)
	if len(namesA) == 0 || len(namesB) == 0 {
		t.Fatalf("no pod names in the transcripts (%d, %d)", len(namesA), len(namesB))
	}
	seen := map[string]bool{}
	for _, n := range namesA {
		seen[n] = true
	}
	for _, n := range namesB {
		if seen[n] {
			t.Errorf("pod name %s appears with seed 1 and seed 2", n)
		}
	}
	// The ReplicaSet name comes from the template alone, so it must not depend on the seed.
	rsA := regexp.MustCompile(`web-[bcdfghjklmnpqrstvwxz2456789]+\b`).FindString(a)
	if !strings.Contains(b, rsA) {
		t.Errorf("ReplicaSet %s of seed 1 is missing with seed 2", rsA)
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n%s\n%s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("length %d vs %d lines", len(al), len(bl))
}
