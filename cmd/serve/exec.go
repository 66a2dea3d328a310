package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/k8slearn/k8slearn/cmd/sandbox"
	"github.com/k8slearn/k8slearn/cmd/view"
)

// execPath is serve's endpoint for the sandbox's own commands (step mode): POST a line such as
// `fault node node-2 down`, `wait 5m` or `curl web`, and get back what the sandbox prints. A
// real kubectl has no way to make a node go silent or to let five minutes pass; with this, a
// lesson or a test drives a served cluster through everything the sandbox can show.
const execPath = "/k8slearn/exec"

// execCommands are the sandbox commands serve runs: those that act on the simulated world or
// its time, or look at its traffic. The rest of the sandbox (kubectl, reset, export…) is the
// learner's own kubectl's business, or the sandbox's.
var execCommands = []string{"curl", "fault", "nslookup", "pending", "proxy", "run", "step", "wait"}

// execRequest is one line for the loop to run.
type execRequest struct {
	line  string
	reply chan execResult
}

type execResult struct {
	Lines []string `json:"lines"`
}

// shiftedClock is the wall clock, moved on by the time the learner let pass (`wait`): the
// simulation runs ahead of the wall clock by what was waited, and goes on following it from
// there. (The learner's kubectl computes ages from the machine's clock: they do not count the
// waited time.)
type shiftedClock struct {
	wall  func() time.Time
	mu    sync.Mutex
	shift time.Duration
}

func (c *shiftedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wall().Add(c.shift)
}

// catchUp moves the clock on to sim, when the simulation has gone ahead of it.
func (c *shiftedClock) catchUp(sim time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ahead := sim.Sub(c.wall().Add(c.shift)); ahead > 0 {
		c.shift += ahead
	}
}

// execHandler takes a line for the loop (step mode only: in --auto mode the control plane
// follows the wall clock by itself).
func (l *loop) execHandler(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeControl(w, http.StatusMethodNotAllowed, map[string]any{"message": "POST only"})
		return
	}
	if l.auto {
		writeControl(w, http.StatusConflict, map[string]any{"message": l.n.l.T("serve.step.auto")})
		return
	}
	var body struct {
		Line string `json:"line"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(&body); err != nil {
		writeControl(w, http.StatusBadRequest, map[string]any{"message": err.Error()})
		return
	}
	words := strings.Fields(body.Line)
	if len(words) == 0 || !slices.Contains(execCommands, words[0]) {
		writeControl(w, http.StatusBadRequest, map[string]any{"message": l.n.l.T("serve.exec.unknown",
			map[string]any{"Commands": strings.Join(execCommands, ", ")})})
		return
	}
	req := execRequest{line: body.Line, reply: make(chan execResult, 1)}
	askLoop(w, r, l.execCh, req, req.reply)
}

// exec runs a sandbox command against the served cluster, in the loop's goroutine, and narrates
// it in the serve terminal as the sandbox prints it.
func (l *loop) exec(line string) execResult {
	l.c.Clock().AdvanceTo(l.now())
	l.flush()
	var out bytes.Buffer
	if l.session == nil {
		s, err := sandbox.New(sandbox.Config{Cluster: l.c, L: l.n.l, Style: view.NewStyler(false)}, &out)
		if err != nil {
			return execResult{Lines: []string{err.Error()}}
		}
		l.session = s
	}
	l.session.SetOutput(&out)
	l.session.Exec(line)
	// What the command did is in its output: the serve terminal prints it, and the narration
	// goes on after the command's last step.
	if t := l.c.TraceSince(l.seen); len(t) > 0 {
		l.seen = t[len(t)-1].Seq
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	for _, ln := range lines {
		l.n.println(ln)
	}
	if l.clock != nil {
		l.clock.catchUp(l.c.Clock().Now())
	}
	if l.changed != nil {
		l.changed()
	}
	return execResult{Lines: lines}
}

// Exec asks the serve process behind a kubeconfig to run a sandbox command (`fault node node-2
// down`, `wait 5m`) and writes what it printed to out.
func Exec(ctx context.Context, kubeconfigPath, line string, out io.Writer) error {
	body, err := json.Marshal(map[string]string{"line": line})
	if err != nil {
		return err
	}
	resp, err := control(ctx, kubeconfigPath, execPath, body)
	if err != nil {
		return err
	}
	var res execResult
	if err := json.Unmarshal(resp, &res); err != nil {
		return errors.New("the serve process answered what is not a command's output")
	}
	for _, l := range res.Lines {
		if _, err := io.WriteString(out, l+"\n"); err != nil {
			return err
		}
	}
	return nil
}
