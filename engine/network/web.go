package network

import (
	"strings"

	"github.com/k8slearn/k8slearn/engine/imageref"
)

// webServer is what the pages of an image's web server look like, for the images the kubelet's
// catalogue serves HTTP from (engine/kubelet/probe): nginx and httpd. Whether it listens, and
// which status it answers, is the container's (probe.Target).
type webServer struct {
	name     string // "nginx/1.29.3", as the Server header and error pages show it
	index    string
	notFound string
	failed   string // the 500 page
}

// nginxLatest is the nginx version the official image's latest and mainline tags run here.
const nginxLatest = "1.29.3"

// serverFor returns the web server an image runs, if it runs one.
func serverFor(image string) (webServer, bool) {
	repo, tag, _, err := imageref.Parse(image)
	if err != nil {
		return webServer{}, false
	}
	switch repo {
	case "docker.io/library/nginx":
		version := nginxLatest
		if n := strings.Count(tag, "."); n == 2 && tag[0] >= '0' && tag[0] <= '9' {
			version = strings.SplitN(tag, "-", 2)[0]
		}
		name := "nginx/" + version
		return webServer{name: name, index: nginxIndex, notFound: nginxError("404 Not Found", name),
			failed: nginxError("500 Internal Server Error", name)}, true
	case "docker.io/library/httpd":
		return webServer{name: "Apache/2.4.65 (Unix)", index: httpdIndex, notFound: httpdNotFound, failed: httpdFailed}, true
	}
	return webServer{}, false
}

// page is the body the server sends with status.
func (w webServer) page(status int) string {
	switch status {
	case 200:
		return w.index
	case 404:
		return w.notFound
	}
	return w.failed
}

// nginxIndex is the official nginx image's /usr/share/nginx/html/index.html.
const nginxIndex = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`

// nginxError is nginx's built-in error page (src/http/ngx_http_special_response.c).
func nginxError(status, server string) string {
	return "<html>\r\n<head><title>" + status + "</title></head>\r\n<body>\r\n<center><h1>" + status +
		"</h1></center>\r\n<hr><center>" + server + "</center>\r\n</body>\r\n</html>\r\n"
}

// httpdIndex is the official httpd image's htdocs/index.html.
const httpdIndex = "<html><body><h1>It works!</h1></body></html>\n"

// httpdFailed is Apache's 500 page without a ServerAdmin.
const httpdFailed = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>500 Internal Server Error</title>
</head><body>
<h1>Internal Server Error</h1>
<p>The server encountered an internal error or
misconfiguration and was unable to complete
your request.</p>
<p>Please contact the server administrator at 
 you@example.com to inform them of the time this error occurred,
 and the actions you performed just before this error.</p>
<p>More information about this error may be available
in the server error log.</p>
</body></html>
`

// httpdNotFound is Apache's 404 page with ServerTokens Full and ServerSignature Off (the image's
// defaults).
const httpdNotFound = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>404 Not Found</title>
</head><body>
<h1>Not Found</h1>
<p>The requested URL was not found on this server.</p>
</body></html>
`
