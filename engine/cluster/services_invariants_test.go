package cluster_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/k8slearn/k8slearn/engine/cluster"
)

// checkServices: once the cluster is idle, every Service with a selector has its EndpointSlices
// and Endpoints, and they (and every node's kube-proxy rules) list exactly the pods the selector
// matches that are Ready, not being deleted, and have an address; nothing else.
func checkServices(t *testing.T, c *cluster.Cluster) {
	t.Helper()
	pods := list[*corev1.Pod](t, c, "pods")
	slices := list[*discoveryv1.EndpointSlice](t, c, "endpointslices")
	eps := map[string]*corev1.Endpoints{}
	for _, e := range list[*corev1.Endpoints](t, c, "endpoints") {
		eps[e.Namespace+"/"+e.Name] = e
	}
	for _, svc := range list[*corev1.Service](t, c, "services") {
		key := svc.Namespace + "/" + svc.Name
		if svc.Spec.Selector == nil {
			continue
		}
		sel := labels.SelectorFromSet(svc.Spec.Selector)
		var want []string // ready pods, by address
		for _, p := range pods {
			if p.Namespace == svc.Namespace && sel.Matches(labels.Set(p.Labels)) && p.DeletionTimestamp == nil &&
				p.Status.PodIP != "" && podCondition(p, corev1.PodReady) != nil && podCondition(p, corev1.PodReady).Status == corev1.ConditionTrue {
				want = append(want, p.Status.PodIP)
			}
		}
		sort.Strings(want)

		var ready, all []string
		n := 0
		for _, s := range slices {
			if s.Namespace != svc.Namespace || s.Labels[discoveryv1.LabelServiceName] != svc.Name {
				continue
			}
			n++
			if s.Labels[discoveryv1.LabelManagedBy] != "endpointslice-controller.k8s.io" {
				t.Errorf("%s: slice %s managed by %q", key, s.Name, s.Labels[discoveryv1.LabelManagedBy])
			}
			if !strings.HasPrefix(s.Name, svc.Name+"-") || len(s.Name) != len(svc.Name)+6 {
				t.Errorf("%s: slice named %s, want %s-<5 chars>", key, s.Name, svc.Name)
			}
			for _, e := range s.Endpoints {
				all = append(all, e.Addresses...)
				if e.Conditions.Ready != nil && *e.Conditions.Ready {
					ready = append(ready, e.Addresses...)
				}
			}
		}
		sort.Strings(ready)
		if n == 0 {
			t.Errorf("%s has no EndpointSlice", key)
		}
		if fmt.Sprint(ready) != fmt.Sprint(want) {
			t.Errorf("%s: ready endpoints %v, want the ready pods %v (all endpoints %v)", key, ready, want, all)
		}
		ep := eps[key]
		if ep == nil {
			t.Errorf("%s has no Endpoints", key)
			continue
		}
		var addrs []string
		for _, ss := range ep.Subsets {
			for _, a := range ss.Addresses {
				addrs = append(addrs, a.IP)
			}
		}
		sort.Strings(addrs)
		if len(svc.Spec.Ports) > 0 && fmt.Sprint(dedupe(addrs)) != fmt.Sprint(want) {
			t.Errorf("%s: Endpoints addresses %v, want %v", key, addrs, want)
		}
		if svc.Spec.ClusterIP == corev1.ClusterIPNone {
			continue
		}
		for i := 1; i <= c.Config().Nodes; i++ {
			p, ok := c.Proxy(cluster.NodeName(i))
			if !ok {
				continue
			}
			for _, sp := range p.Rules().Ports {
				if sp.Namespace != svc.Namespace || sp.Service != svc.Name {
					continue
				}
				var got []string
				for _, e := range sp.Internal {
					got = append(got, e.IP)
				}
				sort.Strings(got)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("%s: kube-proxy on %s sends %s to %v, want %v", key, p.Node(), sp.Name(), got, want)
				}
			}
		}
	}
	// No slice outlives its Service.
	for _, s := range slices {
		if name := s.Labels[discoveryv1.LabelServiceName]; name != "kubernetes" {
			found := false
			for _, svc := range list[*corev1.Service](t, c, "services") {
				found = found || svc.Namespace == s.Namespace && svc.Name == name
			}
			if !found {
				t.Errorf("slice %s/%s outlived its Service %s", s.Namespace, s.Name, name)
			}
		}
	}
}

func dedupe(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
