package probe

import (
	"path"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"mvdan.cc/sh/v3/syntax"

	"github.com/k8slearn/k8slearn/engine/imageref"
)

// Target is what a probe (or any client) reaches inside one running container: the simulated
// process. Container is the image-catalogue implementation; a runtime that simulates more of a
// process (its command's timeline, its memory) can answer for it.
type Target interface {
	// Listening reports whether something accepts TCP connections on port.
	Listening(port int, now time.Time) bool
	// HTTPGet answers GET path on a listening port: the status code, or, for a port that does
	// not speak HTTP, the error an HTTP client gets.
	HTTPGet(port int, path string, now time.Time) (status int, protocolErr string)
	// Exec runs argv in the container, as the runtime's ExecSync does, within timeout.
	Exec(argv []string, timeout time.Duration, now time.Time) (output string, exitCode int, timedOut bool)
}

// server is a process of the image that listens on a port.
type server struct {
	port    int
	http    bool
	docroot string // an HTTP server's document root: a path is found (200) when its file exists
	index   string // the file served for a directory
	// noIndex answers a directory without its index file: 403 from nginx (no autoindex: its
	// "directory index of ... is forbidden", ngx_http_index_module), 200 from httpd (the image's
	// httpd.conf has Options Indexes: a listing).
	noIndex int
	// nonHTTP is what an HTTP client gets from a server that does not speak HTTP.
	nonHTTP string
}

// image is what the simulated runtime knows of an image: what listens and which files exist.
type image struct {
	land    userland
	servers []server
	// binaries are the argv[0] names that run the image's server; a container whose command is
	// anything else runs no server.
	binaries []string
	dirs     []string
	files    map[string]string
}

var baseDirs = []string{"/tmp", "/etc", "/var/run", "/bin", "/usr/bin"}

// debian is the filesystem every Debian-based image shares.
func debian(extra map[string]string) map[string]string {
	files := map[string]string{
		"/etc/os-release":     "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n",
		"/etc/debian_version": "12.11\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	return files
}

// nginxIndex is the start of nginx's default page.
const nginxIndex = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n"

// lookupImage finds an image in the catalogue by repository (docker.io/library/nginx); any
// other image is a BusyBox-like userland with no server.
func lookupImage(ref string) image {
	repo := ref
	if r, _, _, err := imageref.Parse(ref); err == nil {
		repo = r
	}
	switch path.Base(repo) {
	case "nginx":
		return image{land: gnu, binaries: []string{"nginx", "/docker-entrypoint.sh"},
			servers: []server{{port: 80, http: true, docroot: "/usr/share/nginx/html", index: "index.html", noIndex: 403}},
			dirs:    []string{"/etc/nginx/conf.d", "/var/cache/nginx", "/var/log/nginx"},
			files: debian(map[string]string{
				"/etc/nginx/nginx.conf":            "user  nginx;\nworker_processes  auto;\n",
				"/usr/share/nginx/html/index.html": nginxIndex,
				"/usr/share/nginx/html/50x.html":   "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n</head>\n</html>\n",
				"/etc/nginx/conf.d/default.conf":   "server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n}\n",
				"/docker-entrypoint.sh":            "#!/bin/sh\n",
				"/etc/nginx/mime.types":            "types {\n}\n",
			})}
	case "httpd":
		return image{land: gnu, binaries: []string{"httpd-foreground", "httpd"},
			servers: []server{{port: 80, http: true, docroot: "/usr/local/apache2/htdocs", index: "index.html", noIndex: 200}},
			files: debian(map[string]string{
				"/usr/local/apache2/htdocs/index.html": "<html><body><h1>It works!</h1></body></html>\n",
				"/usr/local/apache2/conf/httpd.conf":   "ServerRoot \"/usr/local/apache2\"\nListen 80\n",
			})}
	case "redis":
		// Redis reads "GET / HTTP/1.1" as its GET command with too many arguments.
		return image{land: gnu, binaries: []string{"redis-server", "docker-entrypoint.sh"},
			servers: []server{{port: 6379, nonHTTP: "-ERR wrong number of arguments for 'get' command"}},
			dirs:    []string{"/data"},
			files:   debian(nil)}
	}
	return image{land: busybox, files: map[string]string{"/etc/os-release": "NAME=\"BusyBox\"\n"}}
}

// Container is the simulated process of one running container: the image's servers and files,
// what its start script did to them so far, and the faults a lesson injected.
type Container struct {
	img     image
	fs      *fsys
	servers []server
	started time.Time
	script  *script
	// Faults: a broken container answers 500 on every HTTP path, closes the ports in closed,
	// and lost the files in removed (kept to put them back).
	broken  bool
	closed  map[int]bool
	removed map[string]string
}

// NewContainer starts the simulated process of container c (its image as the runtime stores
// it) at started.
func NewContainer(c *corev1.Container, started time.Time) *Container {
	img := lookupImage(c.Image)
	ct := &Container{img: img, fs: newFS(append(slices.Clone(baseDirs), img.dirs...), img.files), started: started,
		closed: map[int]bool{}, removed: map[string]string{}}
	// What runs: command and args; or args alone, which replace the image's CMD (its
	// ENTRYPOINT, if any, execs them); or the image's own server.
	argv := append(slices.Clone(c.Command), c.Args...)
	switch {
	case len(argv) == 0 || slices.Contains(img.binaries, argv[0]):
		ct.servers = img.servers
	default:
		ct.script = newScript(argv)
	}
	return ct
}

// advance lets the start script run up to now.
func (ct *Container) advance(now time.Time) {
	if ct.script != nil {
		ct.script.advance(ct.img.land, ct.fs, now.Sub(ct.started))
	}
}

func (ct *Container) server(port int) (server, bool) {
	for _, s := range ct.servers {
		if s.port == port && !ct.closed[port] {
			return s, true
		}
	}
	return server{}, false
}

// Listening implements Target.
func (ct *Container) Listening(port int, now time.Time) bool {
	_, ok := ct.server(port)
	return ok
}

// HTTPGet implements Target.
func (ct *Container) HTTPGet(port int, reqPath string, now time.Time) (int, string) {
	ct.advance(now)
	s, ok := ct.server(port)
	switch {
	case !ok:
		return 0, ""
	case !s.http:
		return 0, s.nonHTTP
	case ct.broken:
		return 500, ""
	}
	if i := strings.IndexAny(reqPath, "?#"); i >= 0 {
		reqPath = reqPath[:i]
	}
	p := path.Join(s.docroot, path.Clean("/"+reqPath))
	dir := ct.fs.dirs[p]
	if dir {
		p = path.Join(p, s.index)
	}
	switch _, ok := ct.fs.files[p]; {
	case ok:
		return 200, ""
	case dir && s.noIndex != 0:
		return s.noIndex, ""
	}
	return 404, ""
}

// Exec implements Target.
func (ct *Container) Exec(argv []string, timeout time.Duration, now time.Time) (string, int, bool) {
	ct.advance(now)
	if len(argv) == 0 {
		return "", 0, false
	}
	sh := &shell{land: ct.img.land, fs: ct.fs, limit: timeout}
	r := sh.execDirect(argv)
	return r.Output, r.ExitCode, r.TimedOut
}

// Break makes the container fail the probes given: its HTTP servers answer 500, the ports of
// its TCP probes close, and the files its exec probes read are removed. It returns what changed.
func (ct *Container) Break(probes []*corev1.Probe, now time.Time) Changes {
	ct.advance(now)
	var ch Changes
	if !ct.broken {
		ct.broken = true
		for _, s := range ct.servers {
			if s.http {
				ch.HTTP500 = append(ch.HTTP500, s.port)
			}
		}
	}
	for _, p := range probes {
		if p == nil {
			continue
		}
		if p.TCPSocket != nil && p.TCPSocket.Port.IntValue() > 0 {
			port := p.TCPSocket.Port.IntValue()
			if _, ok := ct.server(port); ok {
				ct.closed[port] = true
				ch.Closed = append(ch.Closed, port)
			}
		}
		if p.Exec != nil {
			for _, f := range filesRead(p.Exec.Command) {
				if content, ok := ct.fs.files[f]; ok {
					ct.removed[f] = content
					delete(ct.fs.files, f)
					ch.Removed = append(ch.Removed, f)
				}
			}
		}
	}
	return ch
}

// Repair undoes Break: the servers answer again, the ports reopen and the files come back.
func (ct *Container) Repair(now time.Time) Changes {
	ct.advance(now)
	var ch Changes
	if ct.broken {
		ct.broken = false
		for _, s := range ct.servers {
			if s.http {
				ch.HTTP500 = append(ch.HTTP500, s.port)
			}
		}
	}
	for port := range ct.closed {
		ch.Closed = append(ch.Closed, port)
	}
	clear(ct.closed)
	for f, content := range ct.removed {
		ct.fs.files[f] = content
		ch.Removed = append(ch.Removed, f)
	}
	clear(ct.removed)
	slices.Sort(ch.Closed)
	slices.Sort(ch.Removed)
	return ch
}

// HandlesSIGTERM reports whether the container's process exits when the runtime sends SIGTERM:
// the images' servers do; a shell running as PID 1 ignores it and is killed after the grace
// period.
func (ct *Container) HandlesSIGTERM() bool { return len(ct.servers) > 0 }

// Broken reports whether a fault is in force.
func (ct *Container) Broken() bool { return ct.broken }

// Changes is what Break or Repair changed, for the learner.
type Changes struct {
	HTTP500 []int    // ports whose server answers 500 (or answers again)
	Closed  []int    // ports closed (or reopened)
	Removed []string // files removed (or put back)
}

// filesRead are the absolute paths an exec probe's command names as arguments: the files it
// checks (cat /tmp/healthy, sh -c "test -f /tmp/ready").
func filesRead(argv []string) []string {
	var args [][]string
	if len(argv) >= 3 && argv[1] == "-c" {
		if f, err := parseScript(argv[2]); err == nil {
			syntax.Walk(f, func(n syntax.Node) bool {
				if c, ok := n.(*syntax.CallExpr); ok {
					var words []string
					for _, w := range c.Args {
						words = append(words, w.Lit())
					}
					args = append(args, words)
				}
				return true
			})
		}
	} else {
		args = [][]string{argv}
	}
	var out []string
	for _, call := range args {
		for _, w := range call[min(1, len(call)):] {
			if strings.HasPrefix(w, "/") && len(w) > 1 && !slices.Contains(out, path.Clean(w)) {
				out = append(out, path.Clean(w))
			}
		}
	}
	return out
}
