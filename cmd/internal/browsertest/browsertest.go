// Package browsertest opens k8slearn's pictures in a real browser, headless Chromium, for tests:
// what a person would see (a screenshot, the text on the page), what the page asked for (no
// request may leave 127.0.0.1) and what it complained about (no console errors).
//
// It drives Chromium through the DevTools protocol with github.com/chromedp/chromedp, a
// well-kept library, rather than by hand: the tests click, press keys, wait for the live page to
// change and read the network and console events, which `chromium --dump-dom` cannot. Only
// tests import this package, so the k8slearn binary never links it.
//
// A test that needs Chromium skips when it is not installed, with a message saying how to get
// it, unless K8SLEARN_REQUIRE_CHROMIUM is set (CI sets it: there a missing browser is a failure).
package browsertest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Width and Height are the browser window's size, in CSS pixels (one device pixel each).
const (
	Width  = 1400
	Height = 900
)

// timeout bounds any one wait on the page.
const timeout = 30 * time.Second

// Browser is one headless Chromium, shared by the pages of a test.
type Browser struct {
	ctx context.Context
}

// executable finds Chromium: $CHROMIUM, then the usual names.
func executable() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Start starts Chromium for the test (it stops when the test ends), or skips the test when there
// is none.
func Start(t testing.TB) *Browser {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	path := executable()
	if path == "" {
		msg := "headless Chromium is not installed (Debian: apt-get install -y chromium fonts-noto-cjk; or set $CHROMIUM)"
		if os.Getenv("K8SLEARN_REQUIRE_CHROMIUM") != "" {
			t.Fatal(msg + "; K8SLEARN_REQUIRE_CHROMIUM is set, so this is a failure")
		}
		t.Skip(msg)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox cannot start
		chromedp.WindowSize(Width, Height),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("force-device-scale-factor", "1"),
		chromedp.Flag("lang", "en-US"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		cancel()
		cancelAlloc()
		t.Fatalf("starting %s: %v", path, err)
	}
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	return &Browser{ctx: ctx}
}

// Page is one tab.
type Page struct {
	t   testing.TB
	ctx context.Context

	mu       sync.Mutex
	requests []string
	console  []string
}

// Open opens address in a new tab and waits until it has loaded and shows an SVG.
func (b *Browser) Open(t testing.TB, address string) *Page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	p := &Page{t: t, ctx: ctx}
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			p.mu.Lock()
			p.requests = append(p.requests, e.Request.URL)
			p.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() || m.Type == chromedp.ConsoleWarning {
				p.mu.Lock()
				p.console = append(p.console, m.String()+" ("+m.URL+")")
				p.mu.Unlock()
			}
		}
	}()
	p.do(chromedp.Navigate(address))
	p.WaitFor(`document.querySelector("svg") !== null`)
	return p
}

func (p *Page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
}

// Eval runs a JavaScript expression in the page and decodes its value into out.
func Eval[T any](p *Page, expression string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expression))
	if err != nil {
		p.t.Fatalf("browser: evaluating %s: %v", expression, err)
	}
	return v
}

// Text is what the page shows as text: the body's innerText, or for an SVG document its text.
func (p *Page) Text() string {
	p.t.Helper()
	return Eval[string](p, `document.body ? document.body.innerText : document.documentElement.textContent`)
}

// WaitFor waits until a JavaScript expression is true.
func (p *Page) WaitFor(expression string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expression)); err != nil {
		p.t.Fatalf("browser: waiting for %s: %v", expression, err)
	}
}

// Key presses keys (chromedp's KeyEvent: a rune each, or a kb.* key) on the focused element.
func (p *Page) Key(keys string) {
	p.t.Helper()
	p.do(chromedp.KeyEvent(keys))
}

// Click clicks the first element a CSS selector finds.
func (p *Page) Click(selector string) {
	p.t.Helper()
	p.do(chromedp.Click(chromedp.CSS(selector)))
}

// Focus focuses the first element a CSS selector finds.
func (p *Page) Focus(selector string) {
	p.t.Helper()
	p.do(chromedp.Focus(chromedp.CSS(selector)))
}

// Screenshot captures the window. With K8SLEARN_SCREENSHOTS set to a directory, it also saves
// it there as NAME.png, for a person to look at.
func (p *Page) Screenshot(name string) image.Image {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("browser: screenshot: %v", err)
	}
	if dir := os.Getenv("K8SLEARN_SCREENSHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".png"), raw, 0o644); err != nil {
			p.t.Errorf("saving the screenshot: %v", err)
		}
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		p.t.Fatalf("browser: screenshot: %v", err)
	}
	return img
}

// Problems lists what a page must never do: write errors or warnings to its console, or send a
// request anywhere but 127.0.0.1 (a file: page: nowhere at all beyond data: URLs).
func (p *Page) Problems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := append([]string(nil), p.console...)
	for _, r := range p.requests {
		u, err := url.Parse(r)
		switch {
		case err != nil:
			out = append(out, "request to an address that does not parse: "+r)
		case u.Scheme == "data" || u.Scheme == "file":
		case (u.Scheme == "http" || u.Scheme == "https") && u.Hostname() == "127.0.0.1":
		default:
			out = append(out, "request leaving 127.0.0.1: "+r)
		}
	}
	return out
}

// Requests lists the addresses the page asked for.
func (p *Page) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}

// Rect is an element's box on the screen, in CSS pixels of the window.
type Rect struct{ X, Y, Width, Height float64 }

// Image is the rectangle of the screenshot it covers.
func (r Rect) Image() image.Rectangle {
	return image.Rect(int(r.X), int(r.Y), int(r.X+r.Width+0.999), int(r.Y+r.Height+0.999))
}

// BoundingRect is the box of the first element a CSS selector finds.
func BoundingRect(p *Page, selector string) Rect {
	p.t.Helper()
	return Eval[Rect](p, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect();
		return {X: r.x, Y: r.y, Width: r.width, Height: r.height}; })()`, selector))
}

// Blankness is the share of pixels that differ from the most common colour: 0 for a blank
// screenshot.
func Blankness(img image.Image) float64 {
	counts := map[color.RGBA]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			counts[rgba(img.At(x, y))]++
		}
	}
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	total := b.Dx() * b.Dy()
	if total == 0 {
		return 0
	}
	return float64(total-most) / float64(total)
}

// Differences is the smallest rectangle holding every pixel that differs between a and b
// (empty when none does).
func Differences(a, b image.Image) image.Rectangle {
	var out image.Rectangle
	bounds := a.Bounds().Intersect(b.Bounds())
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			if rgba(a.At(x, y)) != rgba(b.At(x, y)) {
				out = out.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return out
}

// Changed reports whether any pixel inside r differs between a and b.
func Changed(a, b image.Image, r image.Rectangle) bool {
	r = r.Intersect(a.Bounds()).Intersect(b.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if rgba(a.At(x, y)) != rgba(b.At(x, y)) {
				return true
			}
		}
	}
	return false
}

func rgba(c color.Color) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: uint8(a >> 8)}
}

// FileURL is the file: address of a path.
func FileURL(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

// Lines splits text into trimmed, non-empty lines.
func Lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
