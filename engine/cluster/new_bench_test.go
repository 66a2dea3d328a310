package cluster

import "testing"

// BenchmarkNew measures building the sandbox's cluster, which every `k8slearn sandbox` and lesson
// does before its first prompt.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(DefaultConfig(1)); err != nil {
			b.Fatal(err)
		}
	}
}
