package picture

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/k8slearn/k8slearn/cmd/internal/browsertest"
	"github.com/k8slearn/k8slearn/engine/cluster"
)

// What a person sees in Chromium: the map drawn (not a blank window), the numbered steps, and
// this run's pods, each on its node; and nothing fetched from anywhere.
func TestExportsInChromium(t *testing.T) {
	b := browsertest.Start(t)
	c := deployment(t)
	pods := podsOf(t, c)
	for _, lang := range []string{"en", "zh"} {
		p := capture(t, c, lang)
		for _, f := range []Format{FormatSVG, FormatHTML} {
			data, err := p.Render(f)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "web."+string(f))
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			page := b.Open(t, browsertest.FileURL(path))
			shot := page.Screenshot("export-" + lang + "-" + string(f))
			if blank := browsertest.Blankness(shot); blank < 0.02 {
				t.Errorf("%s %s: the screenshot is blank (%.3f of it differs from the background)", lang, f, blank)
			}
			text := page.Text()
			for _, want := range []string{"#1", "#2", "#30", "kube-apiserver"} {
				if !strings.Contains(text, want) {
					t.Errorf("%s %s: the page does not show %q", lang, f, want)
				}
			}
			// Each pod shows inside its node's box.
			for pod, node := range pods {
				inside := browsertest.Eval[bool](page, `(() => {
					const pod = document.querySelector('[data-pod="`+pod+`"]');
					const nodes = [...document.querySelectorAll('g.node')];
					const box = nodes.find(n => n.querySelector('.node-title').textContent === "`+node+`");
					if (!pod || !box) return false;
					const a = pod.getBoundingClientRect(), r = box.querySelector('rect').getBoundingClientRect();
					return a.left >= r.left && a.right <= r.right && a.top >= r.top && a.bottom <= r.bottom;
				})()`)
				if !inside {
					t.Errorf("%s %s: pod %s is not drawn inside %s's box", lang, f, pod, node)
				}
			}
			if problems := page.Problems(); len(problems) > 0 {
				t.Errorf("%s %s: %s", lang, f, strings.Join(problems, "\n"))
			}
		}
	}
}

// podsOf maps each pod of the cluster to its node.
func podsOf(t testing.TB, c *cluster.Cluster) map[string]string {
	out := map[string]string{}
	for _, n := range capture(t, c, "en").Nodes {
		for _, p := range n.Pods {
			out[p.Name] = n.Name
		}
	}
	if len(out) == 0 {
		t.Fatal("no pod on any node")
	}
	return out
}

// In the exported page, choosing a step (a click, or the arrow keys) lights its component and
// arrow, and Esc goes back to the last step.
func TestExportedPageLightsTheChosenStep(t *testing.T) {
	b := browsertest.Start(t)
	c := deployment(t)
	p := capture(t, c, "en")
	page0, err := p.HTML(PageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "web.html")
	if err := os.WriteFile(path, []byte(page0), 0o644); err != nil {
		t.Fatal(err)
	}
	page := b.Open(t, browsertest.FileURL(path))
	lit := func() string {
		return browsertest.Eval[string](page, `[...document.querySelectorAll('#picture .comp.lit title')].map(e => e.textContent).join(",") + "|" +
			[...document.querySelectorAll('#picture .arrow.lit')].map(e => e.dataset.c).join(",")`)
	}
	arrowOf := func(name string) string {
		for i, c := range p.Components {
			if c.Name == name {
				return name + "|" + itoa(i)
			}
		}
		return "?"
	}
	if got, want := lit(), arrowOf("deployment-controller"); got != want {
		t.Errorf("at first: lit %s, want the last actor %s", got, want)
	}
	before := page.Screenshot("export-step30")
	page.Click(`button.step[data-seq="6"]`)
	if got, want := lit(), arrowOf("default-scheduler"); got != want {
		t.Errorf("after choosing #6: lit %s, want %s", got, want)
	}
	after := page.Screenshot("export-step6")
	scheduler := browsertest.BoundingRect(page, "#picture .comp.lit rect").Image()
	if !browsertest.Changed(before, after, scheduler) {
		t.Errorf("choosing #6 did not change how default-scheduler's box looks")
	}
	// The keyboard: on a step, ↓ chooses the next one and moves the focus to it.
	page.Focus(`button.step[data-seq="10"]`)
	page.Key(kb.ArrowDown)
	if got, want := lit(), arrowOf("kubelet/node-1"); got != want {
		t.Errorf("after ↓ from #10 to #11: lit %s, want %s", got, want)
	}
	if got := browsertest.Eval[string](page, `document.activeElement.dataset.seq`); got != "11" {
		t.Errorf("↓ left the focus on step %s, want 11", got)
	}
	page.Key(kb.Escape)
	if got, want := lit(), arrowOf("deployment-controller"); got != want {
		t.Errorf("after Esc: lit %s, want the last actor %s", got, want)
	}
	page.Key("+")
	if !browsertest.Eval[bool](page, `document.body.classList.contains("large")`) {
		t.Errorf("+ did not turn on the large text")
	}
	// For a projector the map takes the whole width.
	large := page.Screenshot("export-large")
	if w := browsertest.BoundingRect(page, "#picture svg").Width; w < browsertest.Width*0.9 {
		t.Errorf("with large text the map is %.0f pixels wide in a %d pixel window", w, browsertest.Width)
	}
	if browsertest.Blankness(large) < 0.02 {
		t.Errorf("the large text screenshot is blank")
	}
	if problems := page.Problems(); len(problems) > 0 {
		t.Error(strings.Join(problems, "\n"))
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// stepper is who steps the cluster in the live tests: one goroutine, as a sandbox has.
type stepper struct {
	c       *cluster.Cluster
	live    *Live
	actions chan string
}

func (s *stepper) run() {
	for a := range s.actions {
		for {
			_, ok := s.c.Step()
			s.live.Update(s.c)
			if !ok || a == "step" {
				break
			}
		}
	}
}

// The live page: it shows the run as it stands, its step button (or the s key) lets the next
// component act, and the page changes where that component is drawn; nothing leaves 127.0.0.1.
func TestLivePageFollowsTheSteps(t *testing.T) {
	b := browsertest.Start(t)
	c, err := cluster.New(cluster.DefaultConfig(7))
	if err != nil {
		t.Fatal(err)
	}
	kubectlRun(t, c, "create deployment web --image=nginx --replicas=3")
	st := &stepper{c: c, actions: make(chan string, 1)}
	live, err := NewLive(LiveConfig{L: localizer(t, "en"), Options: Options{Context: "sandbox", Seed: 7},
		Control: func(a string) error { st.actions <- a; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	st.live = live
	go st.run()
	defer close(st.actions)
	live.Update(c)
	srv := loopbackServer(t, live.Handler(nil))
	defer live.Close()

	page := b.Open(t, srv.URL+"/")
	page.WaitFor(`document.getElementById("status").textContent.startsWith("Live")`)
	seq := func() string { return browsertest.Eval[string](page, `document.body.dataset.seq || ""`) }
	page.WaitFor(`document.body.dataset.seq === "1"`)
	shots := []string{"1"}
	prev := page.Screenshot("live-1")
	for i, key := range []string{"s", "s", "s", "click", "s"} {
		want := itoa(i + 2)
		if key == "click" {
			page.Click("#step")
		} else {
			page.Key(key)
		}
		page.WaitFor(`document.body.dataset.seq === "` + want + `"`)
		actor := browsertest.Eval[string](page, `document.querySelector('#picture .comp.lit title').textContent`)
		last := c.Trace()[len(c.Trace())-1]
		if actor != last.Component {
			t.Errorf("after step #%s the page lights %s; %s acted", want, actor, last.Component)
		}
		shot := page.Screenshot("live-" + want)
		// The acting component: its box and its arrow (whose step numbers grow even when the
		// same component acts twice in a row).
		box := browsertest.BoundingRect(page, "#picture .comp.lit rect").Image().
			Union(browsertest.BoundingRect(page, "#picture .arrow.lit").Image())
		if !browsertest.Changed(prev, shot, box) {
			t.Errorf("step #%s: the screenshot did not change where %s is drawn (%v); it changed in %v",
				want, actor, box, browsertest.Differences(prev, shot))
		}
		prev = shot
		shots = append(shots, seq())
	}
	page.Click("#run")
	page.WaitFor(`document.querySelectorAll('#picture .pod.good').length === 3`)
	text := page.Text()
	for pod := range podsOf(t, c) {
		if !strings.Contains(text, pod) {
			t.Errorf("after run the page does not show pod %s", pod)
		}
	}
	if problems := page.Problems(); len(problems) > 0 {
		t.Error(strings.Join(problems, "\n"))
	}
	live.Close()
	page.WaitFor(`document.getElementById("status").textContent.startsWith("The session has ended")`)
	t.Logf("seq after each step: %v", shots)
}

// loopbackServer serves h on 127.0.0.1 only.
func loopbackServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}
