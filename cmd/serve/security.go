package serve

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"time"
)

// security is what serve needs beyond loopback: a bearer token every request must carry, and a
// self-signed certificate so the token never crosses the network in clear text. On loopback it
// is empty and serve speaks plain HTTP, which kubectl accepts.
type security struct {
	token string
	cert  tls.Certificate
	caPEM []byte // the certificate, for the kubeconfig's certificate-authority-data
}

func (s security) scheme() string {
	if s.token == "" {
		return "http"
	}
	return "https"
}

func (s security) tlsConfig() *tls.Config {
	if s.token == "" {
		return nil
	}
	return &tls.Config{Certificates: []tls.Certificate{s.cert}, MinVersion: tls.VersionTLS12}
}

// Listener is a listening socket opened with serve's rules: plain HTTP on loopback; beyond it,
// TLS with a fresh self-signed certificate and a token every request must carry. The live
// picture of a sandbox or a lesson (--web) listens with it.
type Listener struct {
	net.Listener
	URL   string      // how a client reaches it: http://127.0.0.1:PORT, or https://ADDRESS:PORT
	Token string      // "" on loopback
	TLS   *tls.Config // nil on loopback
}

// Listen opens addr (host:port; port 0 picks a free one) with serve's rules.
func Listen(addr string, now time.Time) (*Listener, error) {
	ln, url, sec, err := open(addr, now, false)
	if err != nil {
		return nil, err
	}
	return &Listener{Listener: ln, URL: url, Token: sec.token, TLS: sec.tlsConfig()}, nil
}

// addrError is an address that cannot be used at all (not host:port).
type addrError struct{ err error }

func (e addrError) Error() string { return e.err.Error() }

// open listens on addr, with the token and certificate beyond loopback (or on loopback too when
// secure is set: tests).
func open(addr string, now time.Time, secure bool) (net.Listener, string, security, error) {
	beyond, err := needsSecurity(addr)
	if err != nil {
		return nil, "", security{}, addrError{err}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", security{}, err
	}
	var sec security
	if beyond || secure {
		if sec, err = newSecurity(ln.Addr().(*net.TCPAddr), now); err != nil {
			ln.Close()
			return nil, "", security{}, err
		}
	}
	return ln, sec.scheme() + "://" + clientAddr(ln.Addr().(*net.TCPAddr)), sec, nil
}

// needsSecurity reports whether addr reaches beyond this machine: anything but a loopback
// address or "localhost" does.
func needsSecurity(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, err
	}
	if host == "localhost" {
		return false, nil
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback(), nil
}

// newSecurity generates a token and a certificate for the listening address.
func newSecurity(a *net.TCPAddr, now time.Time) (security, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return security{}, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return security{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return security{}, err
	}
	ips := []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	if a.IP == nil || a.IP.IsUnspecified() {
		ips = append(ips, interfaceIPs()...)
	} else {
		ips = append(ips, a.IP)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "k8slearn"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           ips,
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return security{}, fmt.Errorf("creating the certificate: %w", err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return security{}, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	cert, err := tls.X509KeyPair(certPEM, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		return security{}, err
	}
	return security{token: hex.EncodeToString(raw), cert: cert, caPEM: certPEM}, nil
}

// interfaceIPs lists this machine's addresses.
func interfaceIPs() []net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []net.IP
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			out = append(out, n.IP)
		}
	}
	return out
}

// firstNonLoopbackIP is the address other machines most likely reach this one at.
func firstNonLoopbackIP() net.IP {
	for _, ip := range interfaceIPs() {
		if ip.To4() != nil && !ip.IsLoopback() && !ip.IsLinkLocalUnicast() {
			return ip
		}
	}
	return net.IPv4(127, 0, 0, 1)
}
