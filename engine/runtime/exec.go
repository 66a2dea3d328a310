package runtime

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// ExecContext is what a command sees when it runs in a container, from `kubectl exec` or from
// the container's own command line (`sh -c 'hostname; env'`).
type ExecContext struct {
	Pod, Namespace, Container string
	Node                      string
	PodIP                     string
	Hostname                  string
	// Env is the process's environment, in order (the image's, HOSTNAME, the pod's, the
	// Services').
	Env   []string
	Image *Image
	Now   time.Time
	Out   io.Writer
	Err   io.Writer
}

// Command runs one command line in a container (argv[0] is the command's name as typed) and
// returns its exit status.
type Command func(ctx *ExecContext, argv []string) int

// Commands are the commands containers can run, by program name (the base name of argv[0]).
// A command must also be on the image (Image.Binaries, or a shell builtin) to run: `curl` in
// busybox is "not found" as it is there.
//
// This is the extension point for commands that need more of the cluster than a container:
// `curl` and `nslookup` reach Services and cluster DNS, so the cluster adds them
// (cluster.AddExecCommand) next to these.
type Commands map[string]Command

// DefaultCommands are the commands every container knows: the ones that need nothing beyond the
// container itself.
func DefaultCommands() Commands {
	return Commands{
		"echo":     cmdEcho,
		"printf":   cmdPrintf,
		"true":     func(*ExecContext, []string) int { return 0 },
		"false":    func(*ExecContext, []string) int { return 1 },
		"hostname": func(c *ExecContext, _ []string) int { fmt.Fprintln(c.Out, c.Hostname); return 0 },
		"date":     func(c *ExecContext, _ []string) int { fmt.Fprintln(c.Out, c.Now.UTC().Format(dateLayout)); return 0 },
		"env":      cmdEnv,
		"printenv": cmdPrintenv,
		"cat":      cmdCat,
		"ls":       cmdLs,
		"pwd":      func(c *ExecContext, _ []string) int { fmt.Fprintln(c.Out, "/"); return 0 },
		"whoami":   func(c *ExecContext, _ []string) int { fmt.Fprintln(c.Out, "root"); return 0 },
		"id": func(c *ExecContext, _ []string) int {
			if c.Image != nil && c.Image.BusyBox {
				fmt.Fprintln(c.Out, "uid=0(root) gid=0(root) groups=0(root),10(wheel)")
			} else {
				fmt.Fprintln(c.Out, "uid=0(root) gid=0(root) groups=0(root)")
			}
			return 0
		},
		"uname": cmdUname,
		"sleep": func(*ExecContext, []string) int { return 0 }, // exec does not wait: nothing else runs meanwhile
		// File changes the simulation does not keep (touch /tmp/healthy; rm -f …): they succeed
		// and show nothing.
		"touch": quiet, "rm": quiet, "mkdir": quiet, "cp": quiet, "mv": quiet, "chmod": quiet, "ln": quiet,
	}
}

func quiet(*ExecContext, []string) int { return 0 }

// Clone copies the commands, so one cluster's additions never reach another's.
func (c Commands) Clone() Commands {
	out := make(Commands, len(c))
	for k, v := range c {
		out[k] = v
	}
	return out
}

func cmdEcho(c *ExecContext, argv []string) int {
	args := argv[1:]
	newline := true
	if len(args) > 0 && args[0] == "-n" {
		newline, args = false, args[1:]
	}
	fmt.Fprint(c.Out, strings.Join(args, " "))
	if newline {
		fmt.Fprintln(c.Out)
	}
	return 0
}

// cmdPrintf handles the format's %s and \n, enough for `printf 'hi\n'`.
func cmdPrintf(c *ExecContext, argv []string) int {
	if len(argv) < 2 {
		fmt.Fprintln(c.Err, "printf: usage: printf format [arguments]")
		return 2
	}
	out := argv[1]
	for _, a := range argv[2:] {
		out = strings.Replace(out, "%s", a, 1)
	}
	out = strings.ReplaceAll(out, `\n`, "\n")
	out = strings.ReplaceAll(out, `\t`, "\t")
	fmt.Fprint(c.Out, out)
	return 0
}

func cmdEnv(c *ExecContext, argv []string) int {
	if len(argv) > 1 {
		return cmdNotFollowed(c, argv)
	}
	for _, kv := range c.Env {
		fmt.Fprintln(c.Out, kv)
	}
	return 0
}

func cmdPrintenv(c *ExecContext, argv []string) int {
	if len(argv) == 1 {
		return cmdEnv(c, argv[:1])
	}
	code := 0
	for _, name := range argv[1:] {
		found := false
		for _, kv := range c.Env {
			if k, v, _ := strings.Cut(kv, "="); k == name {
				fmt.Fprintln(c.Out, v)
				found = true
				break
			}
		}
		if !found {
			code = 1
		}
	}
	return code
}

// managedHostsHeader starts the /etc/hosts the kubelet writes into every pod
// (k8s.io/kubernetes v1.37.2 pkg/kubelet/kubelet_pods.go, managedHostsHeader and
// managedHostsFileContent).
const managedHostsHeader = "# Kubernetes-managed hosts file.\n"

func etcHosts(c *ExecContext) string {
	s := managedHostsHeader + "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n" +
		"fe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n"
	if c.PodIP != "" {
		s += c.PodIP + "\t" + c.Hostname + "\n"
	}
	return s
}

// files are the files cat can show.
func files(c *ExecContext) map[string]string {
	return map[string]string{
		"/etc/hostname": c.Hostname + "\n",
		"/etc/hosts":    etcHosts(c),
	}
}

func cmdCat(c *ExecContext, argv []string) int {
	if len(argv) == 1 {
		return 0 // no stdin: cat reads nothing
	}
	code := 0
	fs := files(c)
	for _, f := range argv[1:] {
		if content, ok := fs[f]; ok {
			fmt.Fprint(c.Out, content)
			continue
		}
		if rootEntries(c.Image, f) {
			// A directory: cat's EISDIR.
			fmt.Fprintf(c.Err, "cat: %s: Is a directory\n", f)
			code = 1
			continue
		}
		if c.Image != nil && c.Image.BusyBox {
			fmt.Fprintf(c.Err, "cat: can't open '%s': No such file or directory\n", f)
		} else {
			fmt.Fprintf(c.Err, "cat: %s: No such file or directory\n", f)
		}
		code = 1
	}
	return code
}

// rootListing is what `ls /` shows in an image.
func rootListing(im *Image) []string {
	switch {
	case im == nil || im.Shell == "":
		return nil
	case strings.HasSuffix(im.Repository, "/busybox"):
		return []string{"bin", "dev", "etc", "home", "lib", "lib64", "proc", "root", "sys", "tmp", "usr", "var"}
	case im.BusyBox:
		return []string{"bin", "dev", "docker-entrypoint.d", "docker-entrypoint.sh", "etc", "home", "lib", "media", "mnt",
			"opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var"}
	}
	root := []string{"bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc", "root", "run",
		"sbin", "srv", "sys", "tmp", "usr", "var"}
	if len(im.Entrypoint) > 0 && strings.HasSuffix(im.Entrypoint[0], "docker-entrypoint.sh") && strings.HasPrefix(im.Entrypoint[0], "/") {
		root = append(root, "docker-entrypoint.d", "docker-entrypoint.sh")
		slices.Sort(root)
	}
	return root
}

func rootEntries(im *Image, path string) bool {
	if path == "/" {
		return true
	}
	return slices.Contains(rootListing(im), strings.Trim(path, "/")) && !strings.HasSuffix(path, ".sh")
}

func cmdLs(c *ExecContext, argv []string) int {
	args := argv[1:]
	if len(args) == 0 {
		args = []string{"/"} // the working directory of these images is /
	}
	code := 0
	for _, a := range args {
		switch {
		case a == "/":
			for _, e := range rootListing(c.Image) {
				fmt.Fprintln(c.Out, e)
			}
		case files(c)[a] != "" || slices.Contains(rootListing(c.Image), strings.TrimPrefix(a, "/")):
			fmt.Fprintln(c.Out, a)
		case c.Image != nil && c.Image.BusyBox:
			fmt.Fprintf(c.Err, "ls: %s: No such file or directory\n", a)
			code = 1
		default:
			fmt.Fprintf(c.Err, "ls: cannot access '%s': No such file or directory\n", a)
			code = 2
		}
	}
	return code
}

func cmdUname(c *ExecContext, argv []string) int {
	if len(argv) > 1 && (argv[1] == "-a" || argv[1] == "--all") {
		fmt.Fprintf(c.Out, "Linux %s %s #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux\n", c.Hostname, KernelVersion)
		return 0
	}
	if len(argv) > 1 && argv[1] == "-r" {
		fmt.Fprintln(c.Out, KernelVersion)
		return 0
	}
	fmt.Fprintln(c.Out, "Linux")
	return 0
}

// cmdNotFollowed is a command with options the simulation does not follow.
func cmdNotFollowed(*ExecContext, []string) int { return unsupportedCode }

// unsupportedCode is what a command returns when the simulation does not follow it; Exec turns
// it into ErrNotSimulated.
const unsupportedCode = -1000

// KernelVersion is the nodes' kernel, as their status reports it.
const KernelVersion = "6.8.0-60-generic"
