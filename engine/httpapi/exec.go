package httpapi

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/k8slearn/k8slearn/engine/apiserver"
)

// pods/exec over WebSocket, the protocol kubectl 1.30 and later speak first (k8s.io/client-go
// v0.37.2 tools/remotecommand/websocket.go; the channels of k8s.io/apimachinery
// pkg/util/remotecommand): after the upgrade, each binary message starts with its stream's
// number (1 stdout, 2 stderr, 3 the error stream, a metav1.Status at the end). The simulated
// commands run at once, so the output is sent in one piece, then the Status, then the close.
// SPDY (kubectl before 1.30, and the fallback of later ones) is not served: a request for it gets
// the handshake error a server that cannot negotiate the protocol answers.

// The subprotocols served, newest first (remotecommand.StreamProtocolV5Name, V4Name).
var execProtocols = []string{"v5.channel.k8s.io", "v4.channel.k8s.io"}

const (
	wsGUID       = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11" // RFC 6455, section 1.3
	streamStdout = 1
	streamStderr = 2
	streamError  = 3
)

// serveStream serves the stream subresources of pods.
func (h *Handler) serveStream(w http.ResponseWriter, r *http.Request, req request) {
	if req.sub == "log" {
		h.serveLog(w, r, req)
		return
	}
	h.serveExec(w, r, req)
}

// serveExec answers GET/POST pods/NAME/exec.
func (h *Handler) serveExec(w http.ResponseWriter, r *http.Request, req request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		h.writeError(w, r, errMethodNotAllowed())
		return
	}
	q := r.URL.Query()
	command := q["command"]
	if len(command) == 0 {
		// pkg/apis/core/validation ValidatePodExecOptions through the exec REST.
		h.writeError(w, r, apierrors.NewBadRequest("you must specify at least 1 command"))
		return
	}
	protocol := negotiateExec(r)
	if protocol == "" {
		// k8s.io/apimachinery pkg/util/httpstream/httpstream.go, Handshake: the words of a server
		// that shares no protocol with the client.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, "unable to upgrade: unable to negotiate protocol: client supports %v, server accepts %v",
			clientProtocols(r), execProtocols)
		return
	}
	// The commands of the simulated containers finish at once: run it, then stream the result.
	var out, errOut bytes.Buffer
	client := h.cfg.API.Client(callerName(r.UserAgent()))
	code, err := client.PodExec(req.namespace, req.name, q.Get("container"), command, &out, &errOut)
	var refused *apiserver.ExecRefused
	var failed *apiserver.ExecFailed
	var status *metav1.Status
	switch {
	case errors.As(err, &refused):
		// The kubelet's 404 before any upgrade, its text as the body.
		http.Error(w, refused.Msg, http.StatusNotFound)
		return
	case errors.As(err, &failed):
		s := apierrors.NewInternalError(errors.New(failed.Msg)).ErrStatus
		status = &s
	case errors.Is(err, apiserver.ErrExecNotSimulated):
		status = &metav1.Status{Status: metav1.StatusFailure, Code: http.StatusInternalServerError,
			Message: fmt.Sprintf("command not simulated by k8slearn: %s", strings.Join(command, " "))}
	case err != nil:
		h.writeError(w, r, err)
		return
	case code != 0:
		// The streaming server's exit status (k8s.io/kubelet pkg/cri/streaming/remotecommand:
		// NonZeroExitCodeReason with an ExitCode cause).
		status = &metav1.Status{Status: metav1.StatusFailure, Reason: "NonZeroExitCode",
			Message: fmt.Sprintf("command terminated with non-zero exit code: error executing command %v, exit code %d", command, code),
			Details: &metav1.StatusDetails{Causes: []metav1.StatusCause{{Type: "ExitCode", Message: strconv.Itoa(code)}}}}
	default:
		status = &metav1.Status{Status: metav1.StatusSuccess}
	}
	conn, rw, err := upgradeWebSocket(w, r, protocol)
	if err != nil {
		return
	}
	defer conn.Close()
	if out.Len() > 0 {
		_ = writeFrame(rw, 2, append([]byte{streamStdout}, out.Bytes()...))
	}
	if errOut.Len() > 0 {
		_ = writeFrame(rw, 2, append([]byte{streamStderr}, errOut.Bytes()...))
	}
	body, _ := json.Marshal(status)
	_ = writeFrame(rw, 2, append([]byte{streamError}, body...))
	// A normal closure (1000), then the client's close or a short wait.
	_ = writeFrame(rw, 8, []byte{0x03, 0xe8})
	_ = rw.Flush()
	_ = conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	awaitClose(rw.Reader)
}

// negotiateExec picks the subprotocol of a WebSocket upgrade, "" for any other request (SPDY).
func negotiateExec(r *http.Request) string {
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") || r.Header.Get("Sec-WebSocket-Key") == "" {
		return ""
	}
	offered := clientProtocols(r)
	for _, p := range execProtocols {
		for _, o := range offered {
			if o == p {
				return p
			}
		}
	}
	return ""
}

func clientProtocols(r *http.Request) []string {
	var out []string
	for _, h := range r.Header.Values("Sec-WebSocket-Protocol") {
		for _, p := range strings.Split(h, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 {
		if p := r.Header.Get("X-Stream-Protocol-Version"); p != "" {
			out = append(out, p) // SPDY names its protocols here
		}
	}
	return out
}

// upgradeWebSocket answers the handshake (RFC 6455, section 4.2.2) and takes the connection.
func upgradeWebSocket(w http.ResponseWriter, r *http.Request, protocol string) (net.Conn, *bufio.ReadWriter, error) {
	sum := sha1.Sum([]byte(r.Header.Get("Sec-WebSocket-Key") + wsGUID))
	conn, rw, err := http.NewResponseController(w).Hijack() // through the handler's wrapping writers
	if err != nil {
		http.Error(w, "unable to upgrade: "+err.Error(), http.StatusInternalServerError)
		return nil, nil, err
	}
	fmt.Fprintf(rw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Protocol: %s\r\n\r\n", base64.StdEncoding.EncodeToString(sum[:]), protocol)
	if err := rw.Flush(); err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, rw, nil
}

// writeFrame writes one unmasked, final frame (a server's frames are not masked).
func writeFrame(w io.Writer, opcode byte, payload []byte) error {
	head := []byte{0x80 | opcode}
	switch n := len(payload); {
	case n < 126:
		head = append(head, byte(n))
	case n <= 0xffff:
		head = append(head, 126, 0, 0)
		binary.BigEndian.PutUint16(head[2:], uint16(n))
	default:
		head = append(head, 127, 0, 0, 0, 0, 0, 0, 0, 0)
		binary.BigEndian.PutUint64(head[2:], uint64(n))
	}
	if _, err := w.Write(head); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}

// awaitClose reads the client's frames (a ping, its close) until its close or the deadline.
func awaitClose(r *bufio.Reader) {
	for range 64 {
		var head [2]byte
		if _, err := io.ReadFull(r, head[:]); err != nil {
			return
		}
		n := uint64(head[1] & 0x7f)
		switch n {
		case 126:
			var ext [2]byte
			if _, err := io.ReadFull(r, ext[:]); err != nil {
				return
			}
			n = uint64(binary.BigEndian.Uint16(ext[:]))
		case 127:
			var ext [8]byte
			if _, err := io.ReadFull(r, ext[:]); err != nil {
				return
			}
			n = binary.BigEndian.Uint64(ext[:])
		}
		skip := int64(n)
		if head[1]&0x80 != 0 {
			skip += 4 // the client's mask
		}
		if skip > 1<<20 {
			return
		}
		if _, err := io.CopyN(io.Discard, r, skip); err != nil {
			return
		}
		if head[0]&0x0f == 8 {
			return // its close
		}
	}
}
