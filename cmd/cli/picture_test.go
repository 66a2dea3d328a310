package cli

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/k8slearn/k8slearn/cmd/internal/browsertest"
	"github.com/k8slearn/k8slearn/engine/kubectl"
)

// The acceptance: the sandbox's export writes an SVG of this run, which Chromium shows
// with the numbered steps and the three pods on their nodes, in English and in Chinese.
func TestSandboxExportsTheMapOfTheRun(t *testing.T) {
	dir := t.TempDir()
	var b *browsertest.Browser
	for _, lang := range []string{"en", "zh"} {
		svg := filepath.Join(dir, "web-"+lang+".svg")
		script := "kubectl create deployment web --image=nginx --replicas=3\nrun\nexport " + svg + "\nkubectl get pods -o wide\n"
		out, errOut, code := run(t, script, nil, "sandbox", "--seed", "7", "--lang", lang)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", lang, code, errOut)
		}
		wrote := map[string]string{"en": "Wrote the map of this run to " + svg, "zh": "已把本次运行的示意图写入 " + svg}[lang]
		if !strings.Contains(out, wrote) {
			t.Errorf("%s: the sandbox does not say it wrote the file:\n%s", lang, out)
		}
		data, err := os.ReadFile(svg)
		if err != nil {
			t.Fatal(err)
		}
		pods := podNodes(out)
		if len(pods) != 3 {
			t.Fatalf("%s: kubectl get pods -o wide listed %v", lang, pods)
		}
		for pod := range pods {
			if !bytes.Contains(data, []byte(pod)) {
				t.Errorf("%s: the SVG lacks pod %s", lang, pod)
			}
		}
		if b == nil {
			b = browsertest.Start(t)
		}
		page := b.Open(t, browsertest.FileURL(svg))
		if blank := browsertest.Blankness(page.Screenshot("acceptance-" + lang)); blank < 0.02 {
			t.Errorf("%s: the SVG renders blank", lang)
		}
		text := page.Text()
		for _, want := range []string{"#1 kubectl", "#2 deployment-controller", "#30 deployment-controller"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: Chromium does not show the step %q", lang, want)
			}
		}
		for pod, node := range pods {
			inside := browsertest.Eval[bool](page, `(() => {
				const pod = document.querySelector('[data-pod="`+pod+`"]');
				const box = [...document.querySelectorAll('g.node')].find(n => n.querySelector('.node-title').textContent === "`+node+`");
				if (!pod || !box) return false;
				const a = pod.getBoundingClientRect(), r = box.querySelector('rect').getBoundingClientRect();
				return a.left >= r.left && a.right <= r.right && a.top >= r.top && a.bottom <= r.bottom;
			})()`)
			if !inside {
				t.Errorf("%s: pod %s is not drawn inside %s's box", lang, pod, node)
			}
		}
		if problems := page.Problems(); len(problems) > 0 {
			t.Errorf("%s: %s", lang, strings.Join(problems, "\n"))
		}
	}
}

// podNodes reads the pods and their nodes from `kubectl get pods -o wide`.
func podNodes(out string) map[string]string {
	pods := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 7 && strings.HasPrefix(f[0], "web-") && strings.HasPrefix(f[6], "node-") {
			pods[f[0]] = f[6]
		}
	}
	return pods
}

func TestExportUsage(t *testing.T) {
	dir := t.TempDir()
	out, _, _ := run(t, "export\nexport "+filepath.Join(dir, "web.png")+"\nexport "+filepath.Join(dir, "no", "web.svg")+"\n", nil, "sandbox")
	for _, want := range []string{"usage: export FILE", "cannot tell what to write to", "could not write"} {
		if !strings.Contains(out, want) {
			t.Errorf("the sandbox does not say %q:\n%s", want, out)
		}
	}
	_, errOut, code := run(t, "", nil, "lesson", "deployment", "--export", "web.png")
	if code != 2 || !strings.Contains(errOut, ".svg, .html, .mmd, .dot") {
		t.Errorf("lesson --export web.png: exit %d, %s", code, errOut)
	}
}

// lockedBuffer is an output that tests read while the command writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var liveURL = regexp.MustCompile(`(http://127\.0\.0\.1:\d+/)`)

// waitURL waits for the address of the live map in out.
func waitURL(t *testing.T, out *lockedBuffer) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := liveURL.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no address of the live map in:\n%s", out.String())
	return ""
}

// sandbox --web: the page serves the session's map, its step button steps the session (which
// shows it as if typed), and the page is gone when the session ends.
func TestSandboxWeb(t *testing.T) {
	in, feed := io.Pipe()
	out := &lockedBuffer{}
	done := make(chan int)
	go func() {
		done <- Main([]string{"sandbox", "--web", "--seed", "7"}, IO{In: in, Out: out, Err: out,
			Getenv: func(string) string { return "" }, Files: kubectl.OSFiles()})
	}()
	url := waitURL(t, out)
	if _, err := io.WriteString(feed, "kubectl create deployment web --image=nginx --replicas=3\n"); err != nil {
		t.Fatal(err)
	}
	page := get(t, url, "")
	control := regexp.MustCompile(`data-control="([0-9a-f]+)"`).FindStringSubmatch(page)
	if control == nil {
		t.Fatalf("the page has no step button:\n%s", page)
	}
	for _, tc := range []struct {
		header string
		code   int
	}{{"", http.StatusForbidden}, {"wrong", http.StatusForbidden}, {control[1], http.StatusAccepted}} {
		req, _ := http.NewRequest(http.MethodPost, url+"k8slearn/picture/step", nil)
		if tc.header != "" {
			req.Header.Set("X-K8slearn-Control", tc.header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.code {
			t.Errorf("POST step with %q: %d, want %d", tc.header, resp.StatusCode, tc.code)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "$ step\n#2 deployment-controller") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "$ step\n#2 deployment-controller") {
		t.Errorf("the page's step did not run in the session:\n%s", out.String())
	}
	feed.Close()
	if code := <-done; code != 0 {
		t.Errorf("exit %d", code)
	}
	if _, err := http.Get(url); err == nil {
		t.Errorf("the live map is still served after the session ended")
	}
}

func get(t *testing.T, url, accept string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", url, resp.Status, body)
	}
	return string(body)
}

// gatedAnswers answers a lesson ("show", or an empty line at an explore step) only when the
// test lets it: the test looks at the live page at every prompt.
type gatedAnswers struct {
	out     *lockedBuffer
	help    string
	prompts chan string // the transcript so far, at each prompt
	next    chan bool   // false: end of input
	pending string
}

func (g *gatedAnswers) Read(p []byte) (int, error) {
	if g.pending == "" {
		g.prompts <- g.out.String()
		if !<-g.next {
			return 0, io.EOF
		}
		g.pending = "show\n"
		if atExplore(g.out.String(), g.help) {
			g.pending = "\n"
		}
	}
	n := copy(p, g.pending)
	g.pending = g.pending[n:]
	return n, nil
}

var stepNumber = regexp.MustCompile(`(?m)^#(\d+) `)

// lastStep is the number of the newest step a transcript shows.
func lastStep(transcript string) int {
	n := 0
	for _, m := range stepNumber.FindAllStringSubmatch(transcript, -1) {
		n = max(n, atoi(m[1]))
	}
	return n
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// The acceptance for the live page: it follows a whole `lesson deployment --web` run
// step by step, and its screenshots before and after the control plane moves differ where the
// acting component is drawn; at the end it shows the three pods, and --export writes the map.
func TestLessonWebFollowsTheLesson(t *testing.T) {
	b := browsertest.Start(t)
	home, dir := t.TempDir(), t.TempDir()
	export := filepath.Join(dir, "lesson.html")
	out := &lockedBuffer{}
	in := &gatedAnswers{out: out, help: exploreHelp("en"), prompts: make(chan string), next: make(chan bool)}
	done := make(chan int)
	go func() {
		done <- Main([]string{"lesson", "deployment", "--plain", "--web", "--seed", "7", "--export", export},
			IO{In: in, Out: out, Err: out, Files: kubectl.OSFiles(), Getenv: func(k string) string {
				if k == "K8SLEARN_HOME" {
					return home
				}
				return ""
			}})
	}()
	transcript := <-in.prompts
	page := b.Open(t, waitURL(t, out))
	page.WaitFor(`document.getElementById("status").textContent.startsWith("Live")`)
	shown, moves := 0, 0
	prev := page.Screenshot("lesson-0")
	for {
		if n := lastStep(transcript); n != shown {
			page.WaitFor(`document.body.dataset.seq === "` + strconv.Itoa(n) + `"`)
			shot := page.Screenshot("lesson-" + strconv.Itoa(n))
			box := browsertest.BoundingRect(page, "#picture .comp.lit rect").Image().
				Union(browsertest.BoundingRect(page, "#picture .arrow.lit").Image())
			if !browsertest.Changed(prev, shot, box) {
				actor := browsertest.Eval[string](page, `document.querySelector('#picture .comp.lit title').textContent`)
				t.Errorf("steps #%d to #%d: the page did not change where %s, the last to act, is drawn", shown+1, n, actor)
			}
			if problems := page.Problems(); len(problems) > 0 {
				t.Fatal(strings.Join(problems, "\n"))
			}
			prev, shown = shot, n
			moves++
		}
		in.next <- true
		select {
		case transcript = <-in.prompts:
			continue
		case code := <-done:
			if code != 0 {
				t.Fatalf("exit %d:\n%s", code, out.String())
			}
		}
		break
	}
	if moves < 5 {
		t.Errorf("the page changed only %d times during the lesson", moves)
	}
	text := page.Text()
	for pod := range podNodes(out.String()) {
		if !strings.Contains(text, pod) {
			t.Errorf("the page does not show pod %s at the end", pod)
		}
	}
	page.WaitFor(`document.getElementById("status").textContent.startsWith("The session has ended")`)
	data, err := os.ReadFile(export)
	if err != nil || !bytes.Contains(data, []byte("<svg")) || !strings.Contains(out.String(), "Wrote the map of this run to "+export) {
		t.Errorf("--export did not write the lesson's map (%v)", err)
	}
	t.Logf("the page changed %d times, up to step #%d", moves, shown)
}
