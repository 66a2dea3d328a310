package network

import (
	"strings"

	"github.com/k8slearn/k8slearn/engine/imageref"
)

// webServer is what a container's image answers over HTTP, for the images the miniature cluster
// knows to serve: nginx (the official image's default site on port 80) and httpd.
type webServer struct {
	port     int32
	name     string // "nginx/1.29.3", as the Server header and error pages show it
	index    string
	notFound string
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
		return webServer{port: 80, name: name, index: nginxIndex, notFound: nginxError("404 Not Found", name)}, true
	case "docker.io/library/httpd":
		return webServer{port: 80, name: "Apache", index: httpdIndex, notFound: httpdNotFound}, true
	}
	return webServer{}, false
}

// get answers a GET for path: the index page, or Not Found.
func (w webServer) get(path string) (status int, body string) {
	switch path {
	case "/", "/index.html":
		return 200, w.index
	}
	return 404, w.notFound
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
