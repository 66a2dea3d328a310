//go:build !unix

package cluster_test

import "time"

// cpuTime is not measured here: the CPU-time figures read zero.
func cpuTime() time.Duration { return 0 }
