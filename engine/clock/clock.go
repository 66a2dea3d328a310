// Package clock is the cluster's simulated time: it moves only when the engine advances it, so a
// seed and a script always give the same timestamps, ages and durations.
package clock

import (
	"sync"
	"time"
)

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// Simulated is a Clock that stands still until advanced. Safe for concurrent use.
type Simulated struct {
	mu  sync.Mutex
	now time.Time
}

// Epoch is where every simulated cluster's time starts.
func Epoch() time.Time { return time.Date(2026, time.January, 5, 9, 0, 0, 0, time.UTC) }

// NewSimulated returns a clock reading start.
func NewSimulated(start time.Time) *Simulated { return &Simulated{now: start} }

// Now returns the simulated time.
func (c *Simulated) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (a negative d is ignored: time never runs backwards).
func (c *Simulated) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// AdvanceTo moves the clock to t if t is later than now.
func (c *Simulated) AdvanceTo(t time.Time) {
	c.mu.Lock()
	if t.After(c.now) {
		c.now = t
	}
	c.mu.Unlock()
}
