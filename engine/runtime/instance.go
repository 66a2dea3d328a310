package runtime

import (
	"sort"
	"time"
)

// Instance is one run of a container: what it runs and how that went.
type Instance struct {
	ID    string
	Spec  ContainerSpec
	Image *Image
	Proc  *Process
	// Started is zero for a container that never started (StartError).
	Started, Finished time.Time
	ExitCode          int
	Reason, Message   string
	ended             bool
	// extra are lines written on a signal (offsets from Started).
	extra []Line
	ctx   ExecContext
}

// Running reports whether the container's process still runs.
func (i *Instance) Running() bool { return !i.ended }

func (i *Instance) end(t time.Time, code int, reason string) {
	i.ended, i.Finished, i.ExitCode, i.Reason = true, t, code, reason
}

// LogLine is a line of a container's log, as the kubelet's CRI log file keeps it.
type LogLine struct {
	Time   time.Time
	Stderr bool
	Text   string
}

// Logs is what the container wrote until now (or until it ended), the newest tail lines
// (0: all).
func (i *Instance) Logs(now time.Time, tail int) []LogLine {
	if i.Started.IsZero() {
		return nil
	}
	until := now
	if i.ended && i.Finished.Before(until) {
		until = i.Finished
	}
	d := until.Sub(i.Started)
	if d < 0 {
		return nil
	}
	lines := i.Proc.LinesUntil(d, tail)
	if len(i.extra) > 0 {
		for _, l := range i.extra {
			if l.At <= d {
				lines = append(lines, l)
			}
		}
		sort.SliceStable(lines, func(a, b int) bool { return lines[a].At < lines[b].At })
		lines = newest(lines, tail)
	}
	out := make([]LogLine, len(lines))
	for k, l := range lines {
		out[k] = LogLine{Time: i.Started.Add(l.At), Stderr: l.Stderr, Text: l.Text}
	}
	return out
}
