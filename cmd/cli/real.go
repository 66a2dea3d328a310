package cli

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/k8slearn/k8slearn/cmd/lesson"
	"github.com/k8slearn/k8slearn/cmd/progress"
	"github.com/k8slearn/k8slearn/cmd/prompt"
	"github.com/k8slearn/k8slearn/engine/realcluster"
	"github.com/k8slearn/k8slearn/lessons"
	"github.com/k8slearn/k8slearn/locales"
)

// realFlags choose a real cluster to play a lesson on, instead of the miniature one.
type realFlags struct {
	kubeconfig string
	context    string
	keep       bool
	// quiet and patience tune how long a step waits for a real cluster (tests make them short).
	quiet, patience time.Duration
}

func (r *realFlags) add(f *pflag.FlagSet) {
	f.StringVar(&r.kubeconfig, "kubeconfig", "", "cli.lesson.flag.kubeconfig")
	f.StringVar(&r.context, "context", "", "cli.lesson.flag.context")
	f.BoolVar(&r.keep, "keep", false, "cli.lesson.flag.keep")
}

// on: a real cluster was asked for.
func (r realFlags) on() bool { return r.kubeconfig != "" || r.context != "" }

// realNamespace is a lesson's own namespace on a real cluster: k8slearn-NAME-xxxxx, the five
// characters random so that two plays never share one.
func realNamespace(lesson string, rnd *rand.Rand) string {
	const chars = "bcdfghjklmnpqrstvwxz2456789" // as generateName's, so no words form
	var b strings.Builder
	for range 5 {
		b.WriteByte(chars[rnd.IntN(len(chars))])
	}
	return "k8slearn-" + lesson + "-" + b.String()
}

// problemError is a real cluster's problem, worded for the learner: exit status 2 for a
// kubeconfig that does not load (the flag's value is wrong), 1 for the others.
func problemError(l *locales.Localizer, err error) error {
	var p *realcluster.Problem
	if !errors.As(err, &p) {
		return err
	}
	msg := errors.New(l.T(p.ID, p.Args))
	if p.ID == "real.error.kubeconfig" {
		return usageError{msg}
	}
	return msg
}

// playReal plays a lesson on the real cluster the flags name, in a namespace of its own that is
// deleted at the end (also after Ctrl-C) unless --keep. Progress is not saved: the miniature's
// record is the course's, and a real play cannot resume.
func (e *lessonEnv) playReal(ls lessons.Lesson) error {
	ns := realNamespace(ls.Name, rand.New(rand.NewPCG(uint64(e.now().UnixNano()), 0)))
	var log realcluster.RequestLog
	c, err := realcluster.Open(realcluster.Options{Kubeconfig: e.real.kubeconfig, Context: e.real.context, Namespace: ns, Log: &log})
	if err != nil {
		return problemError(e.l, err)
	}
	rep, err := c.Preflight()
	if err != nil {
		return problemError(e.l, err)
	}
	nodes := strings.Join(rep.SchedulableNodes, e.l.T("common.list_separator"))
	// The lesson's node-1, node-2… stand for the schedulable nodes: a lesson that compares pods
	// on two nodes cannot be played on one.
	if need := ls.NodesNamed(); len(rep.SchedulableNodes) < need {
		return errors.New(e.l.T("real.error.too_few_nodes", map[string]any{"Lesson": ls.Name, "Need": need, "Nodes": nodes}))
	}
	fmt.Fprintln(e.io.Out, e.l.T("real.connected", map[string]any{"Server": rep.Server, "Version": rep.GitVersion, "Nodes": nodes}))
	if rep.VersionWarning {
		fmt.Fprintln(e.io.Err, e.l.T("real.version_warning", map[string]any{"Version": rep.GitVersion}))
	}
	if err := c.CreateNamespace(ls.Name); err != nil {
		return problemError(e.l, err)
	}
	fmt.Fprintln(e.io.Out, e.l.T("real.namespace_created", map[string]any{"Namespace": ns}))
	fmt.Fprintln(e.io.Out)
	// What happens to the namespace goes to stderr: the last line of stdout stays the score.
	var once sync.Once
	cleanup := func() {
		once.Do(func() {
			switch {
			case e.real.keep:
				fmt.Fprintln(e.io.Err, e.l.T("real.namespace_kept", map[string]any{"Namespace": ns}))
			default:
				if err := c.DeleteNamespace(); err != nil {
					fmt.Fprintln(e.io.Err, e.l.T("real.namespace_not_deleted", map[string]any{"Namespace": ns, "Err": err.Error()}))
					return
				}
				fmt.Fprintln(e.io.Err, e.l.T("real.namespace_deleted", map[string]any{"Namespace": ns}))
			}
		})
	}
	defer cleanup()
	if e.guard != nil {
		e.guard.setCleanup(cleanup)
	}
	b := lesson.NewRealBackend(lesson.RealConfig{Cluster: c, Log: &log, L: e.l, Style: e.style(), Files: e.io.Files,
		Quiet: e.real.quiet, Patience: e.real.patience, Debug: debugOut(e.io), Nodes: rep.SchedulableNodes})
	defer b.Close()

	english, err := locales.New("en")
	if err != nil {
		return err
	}
	_, f, err := e.openProgress() // to number the lesson in the course and suggest the next one
	if err != nil {
		return err
	}
	rec := &progress.Record{Answers: map[string]progress.Answer{}, Lang: e.l.Lang(), Steps: len(ls.Steps), Questions: ls.Questions()}
	out := e.io.Out
	outFile, _ := out.(*os.File)
	err = lesson.Play(lesson.Config{Lesson: ls, L: e.l, English: english, Style: e.style(), Prompt: e.prompter(outFile),
		Out: out, Record: rec, Save: func() error { return nil }, Interactive: e.interactive(), Files: e.io.Files,
		Debug: debugOut(e.io), Course: e.lessons, Finished: finished(f), Backend: b})
	if errors.Is(err, lesson.ErrStopped) {
		if errors.Is(err, prompt.ErrInterrupted) {
			return interruptedError{}
		}
		return nil
	}
	return err
}
