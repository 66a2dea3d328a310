package picture

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
	"github.com/k8slearn/k8slearn/engine/work"
)

// The acceptance run (seed 7, three nginx replicas) drawn in each format and language: read the
// diff of a golden file as a picture's change.
func TestGoldenFiles(t *testing.T) {
	c := deployment(t)
	for _, lang := range []string{"en", "zh"} {
		p := capture(t, c, lang)
		for _, f := range []Format{FormatSVG, FormatMermaid, FormatDOT} {
			data, err := p.Render(f)
			if err != nil {
				t.Fatal(err)
			}
			ext := map[Format]string{FormatSVG: "svg", FormatMermaid: "mmd", FormatDOT: "dot"}[f]
			golden(t, "web."+lang+"."+ext, string(data))
		}
	}
}

// The picture holds this run's own names: the ReplicaSet's hash, the three pods on the nodes
// the scheduler chose, and the numbered chain of actions.
func TestCaptureShowsThisRun(t *testing.T) {
	c := deployment(t)
	p := capture(t, c, "en")
	rs := ""
	pods := map[string]string{} // pod → node
	client := c.API().Client("test")
	objs, _, _ := client.ListShared("replicasets", "default", apiserver.ListOptions{})
	for _, o := range objs {
		rs = o.(interface{ GetName() string }).GetName()
	}
	podObjs, _, _ := client.ListShared("pods", "default", apiserver.ListOptions{})
	for _, o := range podObjs {
		pod := o.(*corev1.Pod)
		pods[pod.Name] = pod.Spec.NodeName
	}
	if rs == "" || len(pods) != 3 {
		t.Fatalf("the run made ReplicaSet %q and %d pods", rs, len(pods))
	}
	for _, n := range p.Nodes {
		for _, pod := range n.Pods {
			if pods[pod.Name] != n.Name || pod.Status != "Running" || pod.Tone != "good" {
				t.Errorf("pod %s drawn on %s as %s/%s; it runs on %s", pod.Name, n.Name, pod.Status, pod.Tone, pods[pod.Name])
			}
			delete(pods, pod.Name)
		}
	}
	if len(pods) > 0 {
		t.Errorf("pods missing from the nodes: %v", pods)
	}
	trace := c.Trace()
	if len(p.Steps) != len(trace) {
		t.Fatalf("%d steps drawn, the trace has %d", len(p.Steps), len(trace))
	}
	for i, s := range p.Steps {
		if s.Seq != trace[i].Seq || p.Components[s.Component].Name != trace[i].Component {
			t.Errorf("step %d drawn as #%d %s, the trace has #%d %s", i, s.Seq, p.Components[s.Component].Name, trace[i].Seq, trace[i].Component)
		}
	}
	if !strings.Contains(p.Steps[1].What, "replicasets/"+rs) {
		t.Errorf("step #2 should create ReplicaSet %s: %s", rs, p.Steps[1].What)
	}
	if got := p.Components[p.Lit].Name; got != trace[len(trace)-1].Component {
		t.Errorf("lit %s, the last to act was %s", got, trace[len(trace)-1].Component)
	}
	svg := p.SVG(SVGOptions{Titled: true, Steps: true})
	rev := "rev " + strconv.FormatInt(c.API().Store().Revision(), 10)
	last := fmt.Sprintf("#%d %s:", trace[len(trace)-1].Seq, trace[len(trace)-1].Component)
	for _, want := range []string{rs, "#1 kubectl:", last, ">1</text>", "kube-apiserver", rev} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
}

func TestStepNumbers(t *testing.T) {
	for _, tc := range []struct {
		steps []int
		want  string
	}{
		{nil, ""},
		{[]int{1}, "1"},
		{[]int{2, 3, 9, 18, 26, 30}, "2 3 9 18 26 30"},
		{[]int{2, 3, 9, 18, 26, 30, 41}, "2 3 9 18 … 41"},
	} {
		if got := StepNumbers(tc.steps); got != tc.want {
			t.Errorf("StepNumbers(%v) = %q, want %q", tc.steps, got, tc.want)
		}
	}
}

// wellFormed parses an SVG as XML and returns its text.
func wellFormed(t testing.TB, svg string) string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	var text strings.Builder
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			text.Write(tok)
		}
	}
	if depth != 0 {
		t.Fatalf("the SVG's elements are not closed")
	}
	return text.String()
}

// A bigger cluster: node boxes wrap into rows, pods beyond six per node are counted, and a pod
// no node takes is drawn apart; the boxes never overlap.
func TestBigClusterLayout(t *testing.T) {
	cfg := cluster.DefaultConfig(3)
	cfg.Nodes = 7
	c, err := cluster.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	kubectlRun(t, c, "create deployment web --image=nginx --replicas=60")
	c.Run(0)
	kubectlRun(t, c, "cordon node-1")
	kubectlRun(t, c, "scale deployment web --replicas=70")
	for _, n := range []string{"node-2", "node-3", "node-4", "node-5", "node-6", "node-7"} {
		kubectlRun(t, c, "cordon "+n)
	}
	kubectlRun(t, c, "run lonely --image=nginx")
	c.Run(0)
	p := capture(t, c, "en")
	if len(p.Unscheduled) == 0 {
		t.Fatal("the pod no node could take is not drawn")
	}
	more := 0
	for _, n := range p.Nodes {
		if n.More != "" {
			more++
		}
		if !n.Cordoned {
			t.Errorf("%s is cordoned but not drawn so", n.Name)
		}
	}
	if more == 0 {
		t.Error("no node counts the pods it does not list")
	}
	lay := p.layout(true)
	var boxes []rect
	for _, n := range lay.nodes {
		boxes = append(boxes, n.box)
	}
	boxes = append(boxes, lay.frame)
	for i := range boxes {
		for j := i + 1; j < len(boxes); j++ {
			a, b := boxes[i], boxes[j]
			if a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom() {
				t.Errorf("boxes %d and %d overlap: %+v %+v", i, j, a, b)
			}
		}
	}
	for ci, box := range lay.boxes {
		if box.right() > lay.width || box.bottom() > lay.height {
			t.Errorf("%s's box %+v lies outside the picture (%dx%d)", p.Components[ci].Name, box, lay.width, lay.height)
		}
	}
	text := wellFormed(t, p.SVG(SVGOptions{Titled: true, Steps: true}))
	for _, want := range []string{"node-7", "lonely", "... and"} {
		if !strings.Contains(text, want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
}

// A long run lists only the newest MaxSteps steps and says how many came before.
func TestLongRunListsTheNewestSteps(t *testing.T) {
	l := localizer(t, "en")
	var entries []cluster.TraceEntry
	for i := 1; i <= MaxSteps+25; i++ {
		entries = append(entries, cluster.TraceEntry{Seq: i, Component: "default-scheduler",
			Trigger: work.Trigger{Kind: work.Watch, EventType: "ADDED", Resource: "pods", Name: "p", Revision: int64(i)}})
	}
	p := build(l, Options{Context: "test"}, []string{"default-scheduler"}, nil, nil, cluster.Earlier{}, entries, 99)
	if len(p.Steps) != MaxSteps || p.Steps[0].Seq != 26 {
		t.Fatalf("%d steps from #%d; want %d from #26", len(p.Steps), p.Steps[0].Seq, MaxSteps)
	}
	if !strings.Contains(p.Earlier, "#1 to #25") {
		t.Errorf("the earlier steps are not counted: %q", p.Earlier)
	}
	wellFormed(t, p.SVG(SVGOptions{Titled: true, Steps: true}))
}

// With no step yet the picture says how to make one.
func TestEmptyCluster(t *testing.T) {
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	p := capture(t, c, "zh")
	if p.Lit != -1 || len(p.Steps) != 0 {
		t.Fatalf("a fresh cluster has lit %d and %d steps", p.Lit, len(p.Steps))
	}
	if text := wellFormed(t, p.SVG(SVGOptions{Titled: true, Steps: true})); !strings.Contains(text, p.Labels.NoSteps) {
		t.Errorf("the empty picture does not say how to start")
	}
	page, err := p.HTML(PageOptions{})
	if err != nil || !strings.Contains(page, p.Labels.NoSteps) {
		t.Errorf("the empty page does not say how to start (%v)", err)
	}
}

// Graphviz, where installed, reads the DOT file: the syntax is checked by the real parser.
func TestGraphvizReadsTheDOT(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("Graphviz is not installed (apt-get install -y graphviz)")
	}
	c := deployment(t)
	for _, lang := range []string{"en", "zh"} {
		path := filepath.Join(t.TempDir(), "web.dot")
		if err := WriteFile(path, []byte(capture(t, c, lang).DOT())); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(dot, "-Tsvg", "-o", path+".svg", path).CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("%s: dot: %v\n%s", lang, err, out)
		}
	}
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]Format{"a.svg": FormatSVG, "A.HTML": FormatHTML, "x.htm": FormatHTML,
		"n.mmd": FormatMermaid, "n.mermaid": FormatMermaid, "g.dot": FormatDOT, "g.gv": FormatDOT, "web.txt": "", "svg": ""} {
		got, ok := FormatOf(name)
		if got != want || ok != (want != "") {
			t.Errorf("FormatOf(%q) = %q, %v", name, got, ok)
		}
	}
}

func TestExportWritesAtomically(t *testing.T) {
	c := deployment(t)
	l := localizer(t, "en")
	dir := t.TempDir()
	if err := Export(c, l, Options{Context: "sandbox", Seed: 7}, filepath.Join(dir, "web.svg"), nil); err != nil {
		t.Fatal(err)
	}
	err := Export(c, l, Options{}, filepath.Join(dir, "missing", "web.svg"), nil)
	if err == nil || !strings.Contains(err.Error(), "could not write") {
		t.Errorf("writing into a missing directory: %v", err)
	}
	err = Export(c, l, Options{}, filepath.Join(dir, "web.png"), nil)
	if err == nil || !strings.Contains(err.Error(), ".svg, .html, .mmd, .dot") {
		t.Errorf("an unknown extension: %v", err)
	}
	entries, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(entries) != 1 {
		t.Errorf("the directory holds %v; want only web.svg (no temporary file left)", entries)
	}
}

// The API server's own writes (a Service's ClusterIP) are its steps, drawn on its bar, not a
// client's: the client's box stays kubectl's.
func TestAPIServerOwnWrites(t *testing.T) {
	c := deployment(t)
	kubectlRun(t, c, "expose deployment web --port=80")
	c.Run(0)
	p := capture(t, c, "en")
	if got := p.Components[0].Label; got != "kubectl" {
		t.Errorf("the client's box is labelled %q", got)
	}
	own := p.Components[apiServerIndex].Steps
	if len(own) == 0 {
		t.Fatal("kube-apiserver took no step of its own")
	}
	for _, s := range p.Steps {
		if s.Seq == own[0] && (!strings.HasPrefix(s.Head, "#"+strconv.Itoa(s.Seq)+" kube-apiserver") || !strings.Contains(s.What, "ipaddresses/")) {
			t.Errorf("kube-apiserver's step: %s %s", s.Head, s.What)
		}
	}
	svg := p.SVG(SVGOptions{Titled: true})
	if !strings.Contains(svg, `<g class="comp bar" data-c="1"><title>kube-apiserver</title>`) || !strings.Contains(svg, ">"+StepNumbers(own)+"</text>") {
		t.Errorf("the bar does not carry kube-apiserver's steps")
	}
	checkMermaid(t, p.Mermaid())
	if !strings.Contains(p.Mermaid(), "Note over api: #35;"+strconv.Itoa(own[0])) {
		t.Errorf("the sequence diagram does not show kube-apiserver's own step")
	}
}
