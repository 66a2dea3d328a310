package printers

import (
	"testing"

	discoveryv1 "k8s.io/api/discovery/v1"
	kptr "k8s.io/utils/ptr"
)

// formatEndpointSlices counts as kubectl v0.37.2 does, quirks included.
func TestFormatEndpointSlices(t *testing.T) {
	ep := func(ip string, ready bool) discoveryv1.Endpoint {
		return discoveryv1.Endpoint{Addresses: []string{ip}, Conditions: discoveryv1.EndpointConditions{Ready: kptr.To(ready)}}
	}
	slice := func(eps ...discoveryv1.Endpoint) discoveryv1.EndpointSlice {
		return discoveryv1.EndpointSlice{Ports: []discoveryv1.EndpointPort{{Name: kptr.To(""), Port: kptr.To[int32](80)}}, Endpoints: eps}
	}
	cases := []struct {
		name   string
		slices []discoveryv1.EndpointSlice
		want   string
	}{
		{"no slices", nil, "<none>"},
		{"the placeholder", []discoveryv1.EndpointSlice{{}}, ""},
		{"one not ready", []discoveryv1.EndpointSlice{slice(ep("10.0.0.1", true), ep("10.0.0.2", false))}, "10.0.0.1:80"},
		{"five ready", []discoveryv1.EndpointSlice{slice(ep("a", true), ep("b", true), ep("c", true), ep("d", true), ep("e", true))},
			"a:80,b:80,c:80 + 2 more..."},
		{"three ready and one not", []discoveryv1.EndpointSlice{slice(ep("a", true), ep("b", true), ep("c", true), ep("d", false))},
			"a:80,b:80,c:80 + 0 more..."},
		{"unknown readiness is ready", []discoveryv1.EndpointSlice{slice(discoveryv1.Endpoint{Addresses: []string{"x"}})}, "x:80"},
	}
	for _, c := range cases {
		if got := formatEndpointSlices(c.slices, ""); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
