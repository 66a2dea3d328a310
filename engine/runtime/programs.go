package runtime

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// program finds the simulation of a long-running program: one that writes its start-up lines
// and then serves, holds memory, or ends by itself.
func program(base string, im *Image) (func(*shell, []string), bool) {
	switch base {
	case "docker-entrypoint.sh":
		if im != nil && strings.HasSuffix(im.Repository, "/redis") {
			return redisEntrypoint, true
		}
		return nginxEntrypoint, true
	case "nginx", "nginx-debug":
		return func(s *shell, argv []string) { runNginx(s, argv) }, true
	case "redis-server":
		return runRedis, true
	case "httpd-foreground":
		return runHttpd, true
	case "stress":
		return runStress, true
	case "hello":
		return runHello, true
	case "pause":
		return runPause, true
	case "tail":
		return runTail, true
	}
	return nil, false
}

// at advances the shell's clock a little, as a program's lines are a few milliseconds apart.
func (s *shell) at(d time.Duration) { s.t += d }

// stamp formats the time of a line written now.
func (s *shell) stamp(layout string) string { return s.env.start.Add(s.t).UTC().Format(layout) }

// nginxEntrypoint is nginx's /docker-entrypoint.sh: with nginx as its command it runs the
// scripts of /docker-entrypoint.d and says so (nginx/docker-nginx, entrypoint/
// docker-entrypoint.sh and the 10-, 15-, 20-, 30- scripts); with anything else it just execs
// it.
func nginxEntrypoint(s *shell, argv []string) {
	if len(argv) < 2 {
		s.exit(0)
		return
	}
	if argv[1] != "nginx" && argv[1] != "nginx-debug" {
		s.runArgv(argv[1:])
		return
	}
	for _, l := range []string{
		"/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
		"/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
		"/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
		"10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
		"10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
		"/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
		"/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
		"/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
		"/docker-entrypoint.sh: Configuration complete; ready for start up",
	} {
		s.emit(l, false)
		s.at(time.Millisecond)
	}
	runNginx(s, argv[1:])
}

// nginxFirstWorker is the pid of nginx's first worker in the official images.
const nginxFirstWorker = 29

// runNginx is nginx in the foreground: its notice lines on stderr (the image links the error log
// to /dev/stderr), one worker per CPU (worker_processes auto), then it serves for ever. SIGTERM
// is its fast shutdown, exit code 0.
func runNginx(s *shell, _ []string) {
	im := s.env.image
	version, builder := "1.29.1", "gcc 12.2.0 (Debian 12.2.0-14+deb12u1) "
	if im != nil && im.Version != "" {
		version, builder = im.Version, im.Builder
	}
	notice := func(pid int, msg string) {
		s.emit(fmt.Sprintf("%s [notice] %d#%d: %s", s.stamp(nginxLayout), pid, pid, msg), true)
	}
	notice(1, `using the "epoll" event method`)
	notice(1, "nginx/"+version)
	notice(1, "built by "+builder)
	notice(1, "OS: Linux "+KernelVersion)
	notice(1, "getrlimit(RLIMIT_NOFILE): 1048576:1048576")
	notice(1, "start worker processes")
	cpus := max(s.env.cpus, 1)
	for w := range cpus {
		notice(1, fmt.Sprintf("start worker process %d", nginxFirstWorker+w))
	}
	start := s.env.start
	s.p.Term = &Term{Code: 0, Lines: func(at time.Duration) []Line {
		var out []Line
		stamp := start.Add(at).UTC().Format(nginxLayout)
		add := func(pid int, msg string) {
			out = append(out, Line{At: at, Stderr: true, Text: fmt.Sprintf("%s [notice] %d#%d: %s", stamp, pid, pid, msg)})
		}
		add(1, "signal 15 (SIGTERM) received, exiting")
		for w := range cpus {
			add(nginxFirstWorker+w, "exiting")
			add(nginxFirstWorker+w, "exit")
		}
		for w := range cpus {
			add(1, fmt.Sprintf("signal 17 (SIGCHLD) received from %d", nginxFirstWorker+w))
			add(1, fmt.Sprintf("worker process %d exited with code 0", nginxFirstWorker+w))
		}
		add(1, "exit")
		return out
	}}
	s.forever()
}

// runHttpd is the httpd image's httpd-foreground (httpd -DFOREGROUND): no ServerName is set, so
// Apache warns twice (AH00558, once per configuration pass) with the pod's address, then the
// event MPM's notices on stderr, and it serves. SIGTERM is a graceless stop, exit code 0.
func runHttpd(s *shell, _ []string) {
	version := "2.4.65"
	if s.env.image != nil && s.env.image.Version != "" {
		version = s.env.image.Version
	}
	addr := s.env.ctx.PodIP
	if addr == "" {
		addr = "127.0.0.1"
	}
	warn := "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using " + addr +
		". Set the 'ServerName' directive globally to suppress this message"
	s.emit(warn, true)
	s.emit(warn, true)
	notice := func(at time.Time, module, msg string) string {
		return fmt.Sprintf("[%s] [%s:notice] [pid 1:tid 1] %s", at.UTC().Format(httpdLayout), module, msg)
	}
	s.at(2 * time.Millisecond)
	s.emit(notice(s.env.start.Add(s.t), "mpm_event", "AH00489: Apache/"+version+" (Unix) configured -- resuming normal operations"), true)
	s.emit(notice(s.env.start.Add(s.t), "core", "AH00094: Command line: 'httpd -D FOREGROUND'"), true)
	start := s.env.start
	s.p.Term = &Term{Code: 0, Lines: func(at time.Duration) []Line {
		return []Line{{At: at, Stderr: true, Text: notice(start.Add(at), "mpm_event", "AH00491: caught SIGTERM, shutting down")}}
	}}
	s.forever()
}

// redisEntrypoint is redis's docker-entrypoint.sh: it drops to the redis user (silently) and
// runs redis-server, or execs what it was given.
func redisEntrypoint(s *shell, argv []string) {
	if len(argv) < 2 {
		s.exit(0)
		return
	}
	if argv[1] == "redis-server" || strings.HasPrefix(argv[1], "-") {
		runRedis(s, argv[1:])
		return
	}
	s.runArgv(argv[1:])
}

// runRedis is redis-server without a config file: its start-up lines on stdout, then it serves.
func runRedis(s *shell, _ []string) {
	version := "7.4.2"
	if s.env.image != nil && s.env.image.Version != "" {
		version = s.env.image.Version
	}
	line := func(role, mark, msg string) {
		s.emit(fmt.Sprintf("1:%s %s %s %s", role, s.stamp(redisLayout), mark, msg), false)
	}
	line("C", "*", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo")
	line("C", "*", fmt.Sprintf("Redis version=%s, bits=64, commit=00000000, modified=0, pid=1, just started", version))
	line("C", "#", "Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf")
	s.at(time.Millisecond)
	line("M", "*", "monotonic clock: POSIX clock_gettime")
	line("M", "*", "Running mode=standalone, port=6379.")
	line("M", "*", "Server initialized")
	line("M", "*", "Ready to accept connections tcp")
	start := s.env.start
	s.p.Term = &Term{Code: 0, Lines: func(at time.Duration) []Line {
		stamp := start.Add(at).UTC().Format(redisLayout)
		var out []Line
		for _, l := range []string{
			"1:M " + stamp + " * User requested shutdown...",
			"1:M " + stamp + " * Saving the final RDB snapshot before exiting.",
			"1:M " + stamp + " * DB saved on disk",
			"1:M " + stamp + " # Redis is now ready to exit, bye bye...",
		} {
			out = append(out, Line{At: at, Text: l})
		}
		return out
	}}
	s.forever()
}

// runStress is stress 1.0.4 (people.seas.harvard.edu/~apw/stress): it dispatches its hogs; the vm
// hogs hold --vm-bytes each (256M by default) within a fraction of a second; with --timeout it
// ends with "successful run completed".
func runStress(s *shell, argv []string) {
	hogs := map[string]int{}
	vmBytes := int64(256 << 20)
	var timeout time.Duration
	for i := 1; i < len(argv); i++ {
		a := argv[i]
		next := func() (string, bool) {
			if i+1 < len(argv) {
				i++
				return argv[i], true
			}
			return "", false
		}
		switch a {
		case "-c", "--cpu", "-i", "--io", "-m", "--vm", "-d", "--hdd":
			v, ok := next()
			n, err := strconv.Atoi(v)
			if !ok || err != nil || n < 0 {
				s.emit(fmt.Sprintf("stress: FAIL: [1] (%d) invalid number in option %s", 0, a), true)
				s.exit(1)
				return
			}
			hogs[strings.TrimLeft(a, "-")[:1]] += n
		case "--vm-bytes", "--hdd-bytes":
			v, ok := next()
			b, good := parseBytes(v)
			if !ok || !good {
				s.emit(fmt.Sprintf("stress: FAIL: [1] (%d) invalid number in option %s", 0, a), true)
				s.exit(1)
				return
			}
			if a == "--vm-bytes" {
				vmBytes = b
			}
		case "-t", "--timeout":
			v, _ := next()
			d, ok := parseSleep(v)
			if !ok {
				s.emit("stress: FAIL: [1] (0) invalid time specification in --timeout", true)
				s.exit(1)
				return
			}
			timeout = d
		case "--vm-hang", "--vm-stride", "--backoff":
			next()
		case "--vm-keep", "-v", "--verbose", "-q", "--quiet", "-n", "--dry-run":
		default:
			s.emit(fmt.Sprintf("stress: FAIL: [1] (244) unrecognized option: %s", a), true)
			s.exit(1)
			return
		}
	}
	cpu, io, vm, hdd := hogs["c"], hogs["i"], hogs["m"]+hogs["v"], hogs["d"]+hogs["h"]
	if cpu+io+vm+hdd == 0 {
		s.emit("`stress' imposes certain types of compute stress on your system\n\nUsage: stress [OPTION [ARG]] ...", false)
		s.exit(0)
		return
	}
	s.emit(fmt.Sprintf("stress: info: [1] dispatching hogs: %d cpu, %d io, %d vm, %d hdd", cpu, io, vm, hdd), false)
	if vm > 0 {
		s.p.Memory, s.p.MemoryAt = int64(vm)*vmBytes, s.t+100*time.Millisecond
	}
	if timeout > 0 {
		s.t += timeout
		s.emit(fmt.Sprintf("stress: info: [1] successful run completed in %ds", int(timeout.Seconds())), false)
		s.exit(0)
		return
	}
	s.forever()
}

// parseBytes reads stress's sizes: a number with an optional b, k, m or g (powers of 1024).
func parseBytes(v string) (int64, bool) {
	mult := int64(1)
	if n := len(v); n > 0 {
		switch v[n-1] {
		case 'b', 'B':
			v = v[:n-1]
		case 'k', 'K':
			v, mult = v[:n-1], 1<<10
		case 'm', 'M':
			v, mult = v[:n-1], 1<<20
		case 'g', 'G':
			v, mult = v[:n-1], 1<<30
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, false
	}
	return n * mult, true
}

// runHello is hello-world's /hello: its message, then exit 0.
func runHello(s *shell, _ []string) {
	s.emit(`
Hello from Docker!
This message shows that your installation appears to be working correctly.

To generate this message, Docker took the following steps:
 1. The Docker client contacted the Docker daemon.
 2. The Docker daemon pulled the "hello-world" image from the Docker Hub.
    (amd64)
 3. The Docker daemon created a new container from that image which runs the
    executable that produces the output you are currently reading.
 4. The Docker daemon streamed that output to the Docker client, which sent it
    to your terminal.

To try something more ambitious, you can run an Ubuntu container with:
 $ docker run -it ubuntu bash

Share images, automate workflows, and more with a free Docker ID:
 https://hub.docker.com/

For more examples and ideas, visit:
 https://docs.docker.com/get-started/
`, false)
	s.at(time.Millisecond)
	s.exit(0)
}

// runPause is the pod sandbox's /pause (kubernetes build/pause/linux/pause.c): it waits for ever
// and leaves on SIGTERM.
func runPause(s *shell, _ []string) {
	s.p.Term = &Term{Code: 0, Lines: func(at time.Duration) []Line {
		return []Line{{At: at, Stderr: true, Text: "Shutting down, got signal: Terminated"}}
	}}
	s.forever()
}

// runTail follows a file for ever (`tail -f /dev/null`, a common way to keep a container up).
func runTail(s *shell, argv []string) {
	for _, a := range argv[1:] {
		if a == "-f" || a == "-F" || a == "--follow" {
			s.forever()
			return
		}
	}
	s.unsupported()
}
