package apiserver

import (
	"net/netip"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func service(name, clusterIP string) *corev1.Service {
	return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: corev1.ServiceSpec{ClusterIP: clusterIP, Selector: map[string]string{"app": name},
			Ports: []corev1.ServicePort{{Port: 80}}}}
}

// TestServiceClusterIP checks a ClusterIP Service gets an address of the service CIDR with its
// IPAddress object, as a v1.33+ kube-apiserver allocates it, and gives it back when deleted.
func TestServiceClusterIP(t *testing.T) {
	s, st, _ := newServer(t, 1)
	c := s.Client("test")
	cidr := netip.MustParsePrefix(ServiceCIDR)

	out, err := c.Create("services", "default", service("web", ""))
	if err != nil {
		t.Fatal(err)
	}
	ip := out.(*corev1.Service).Spec.ClusterIP
	addr, err := netip.ParseAddr(ip)
	if err != nil || !cidr.Contains(addr) || out.(*corev1.Service).Spec.ClusterIPs[0] != ip {
		t.Fatalf("clusterIP %q, clusterIPs %v: want one address of %s", ip, out.(*corev1.Service).Spec.ClusterIPs, ServiceCIDR)
	}
	if addr.Less(netip.MustParseAddr("10.96.1.1")) {
		t.Errorf("a dynamic address %s was taken from the band reserved for static ones", ip)
	}
	rec, err := c.Get("ipaddresses", "", ip)
	if err != nil {
		t.Fatalf("no IPAddress for %s: %v", ip, err)
	}
	ref := rec.(*networkingv1.IPAddress).Spec.ParentRef
	if ref == nil || ref.Resource != "services" || ref.Namespace != "default" || ref.Name != "web" {
		t.Errorf("IPAddress parentRef = %+v, want services/default/web", ref)
	}

	_, err = c.Create("services", "default", service("other", ip))
	want := `Service "other" is invalid: spec.clusterIPs: Invalid value: ["` + ip + `"]: failed to allocate IP ` + ip + `: provided IP is already allocated`
	if !apierrors.IsInvalid(err) || err.Error() != want {
		t.Errorf("asking for a used address: got %v\nwant %s", err, want)
	}
	if _, err := c.Create("services", "default", service("far", "192.168.0.1")); !apierrors.IsInvalid(err) {
		t.Errorf("asking for an address out of range: got %v, want Invalid", err)
	}

	headless, err := c.Create("services", "default", service("headless", "None"))
	if err != nil {
		t.Fatal(err)
	}
	if got := headless.(*corev1.Service).Spec.ClusterIPs; len(got) != 1 || got[0] != "None" {
		t.Errorf("headless clusterIPs = %v, want [None]", got)
	}

	before := st.Revision()
	dry, err := c.DryRun().Create("services", "default", service("dry", ""))
	if err != nil {
		t.Fatal(err)
	}
	if got := dry.(*corev1.Service).Spec.ClusterIP; got != "10.96.0.0" || st.Revision() != before {
		t.Errorf("dry run: clusterIP %q, revision %d -> %d; want 10.96.0.0 and nothing written", got, before, st.Revision())
	}

	if _, err := c.Delete("services", "default", "web", DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get("ipaddresses", "", ip); !apierrors.IsNotFound(err) {
		t.Errorf("the IPAddress of a deleted Service is still there: %v", err)
	}
	list, _, _ := c.List("ipaddresses", "", ListOptions{})
	if len(list) != 0 {
		t.Errorf("%d IPAddresses left, want 0 (the headless Service has none)", len(list))
	}
}
