package httpapi

import (
	"net/url"
	"testing"
)

func TestPodLogOptions(t *testing.T) {
	tests := []struct {
		query  string
		follow bool
		err    string
	}{
		{query: "container=nginx&follow=true&tailLines=3&timestamps=true", follow: true},
		{query: "previous=1&sinceSeconds=10&limitBytes=100"},
		{query: "tailLines=-1", err: `PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0`},
		{query: "limitBytes=0", err: `PodLogOptions "web" is invalid: limitBytes: Invalid value: 0: must be greater than 0`},
		{query: "sinceSeconds=0", err: `PodLogOptions "web" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0`},
		{query: "sinceSeconds=5&sinceTime=2026-01-05T09:00:00Z", err: "PodLogOptions \"web\" is invalid: []: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"},
		{query: "follow=maybe", err: `strconv.ParseBool: parsing "maybe": invalid syntax`},
		{query: "tailLines=x", err: `strconv.ParseInt: parsing "x": invalid syntax`},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		opts, follow, err := podLogOptions("web", q)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s: %v", tt.query, err)
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("%s: error %v, want %q", tt.query, err, tt.err)
		case tt.err == "" && follow != tt.follow:
			t.Errorf("%s: follow %v", tt.query, follow)
		case tt.err == "" && tt.query == "container=nginx&follow=true&tailLines=3&timestamps=true" &&
			(opts.Container != "nginx" || *opts.TailLines != 3 || !opts.Timestamps):
			t.Errorf("%s: %+v", tt.query, opts)
		}
	}
}

// FuzzPodLogOptions reads any query: never a panic.
func FuzzPodLogOptions(f *testing.F) {
	for _, s := range []string{"tailLines=3", "sinceTime=2026-01-05T09:00:00Z", "limitBytes=-9223372036854775808", "follow=1&previous=0", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		_, _, _ = podLogOptions("web", q)
	})
}
