//go:build !unix

package sandbox

import "time"

// cpuTime is not measured here: the CPU-time figures read zero.
func cpuTime() time.Duration { return 0 }
