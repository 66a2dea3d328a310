package sandbox

import (
	"github.com/k8slearn/k8slearn/cmd/picture"
)

// export handles `export FILE`: the map of this run, written as the file's extension says
// (.svg, .html, .mmd, .dot).
func (s *Session) export(args []string) {
	if len(args) != 1 {
		s.println(s.T("sandbox.usage.export", map[string]any{"Formats": picture.Extensions}))
		return
	}
	if err := picture.Export(s.cluster, s.cfg.L, s.pictureOptions(), args[0], s.cfg.WriteFile); err != nil {
		s.println(err.Error())
		return
	}
	s.println(s.T("picture.export.written", map[string]any{"File": args[0]}))
}

func (s *Session) pictureOptions() picture.Options {
	ctx := s.cfg.Context
	if ctx == "" {
		ctx = s.T("picture.context.sandbox")
	}
	return picture.Options{Context: ctx, Seed: s.cfg.Seed}
}
