package kubelet

import "time"

// The kubelet's back-offs (k8s.io/kubernetes v1.37.2 pkg/kubelet/kubelet.go): image pulls from
// 10 s (imageBackOffPeriod) doubling to MaxImageBackOff, 300 s; container restarts from 10 s
// (initialCrashLoopBackOff) doubling to MaxContainerBackOff, 300 s
// (pkg/kubelet/apis/config/v1beta1/defaults.go), forgotten once the container ran 600 s
// (the crashLoopBackOff HasExpiredFunc). backOffPeriod is how soon a pod worker retries a sync
// that failed (pkg/kubelet/kubelet.go); plegRelistPeriod how often the PLEG relists containers
// (pkg/kubelet/pleg/generic.go).
const (
	imageBackOffInitial = 10 * time.Second
	imageBackOffMax     = 300 * time.Second
	crashBackOffInitial = 10 * time.Second
	crashBackOffMax     = 300 * time.Second
	crashBackOffExpiry  = 600 * time.Second
	backOffPeriod       = 10 * time.Second
	resyncInterval      = time.Minute
	plegRelistPeriod    = time.Second
)

// backoff is one key's entry of client-go's flowcontrol.Backoff (util/flowcontrol/backoff.go),
// without jitter (the kubelet creates its back-offs without any).
type backoff struct {
	delay      time.Duration // zero: no entry
	lastUpdate time.Time
}

// expired is hasExpired: an entry is forgotten when eventTime is more than limit after its last
// update (twice the maximum for image pulls; 600 s for restarts).
func (b *backoff) expired(eventTime time.Time, limit time.Duration) bool {
	return eventTime.Sub(b.lastUpdate) > limit
}

// next is Backoff.Next: the first failure (or the first after the entry expired) waits initial,
// each further one twice as long, up to max.
func (b *backoff) next(eventTime, now time.Time, initial, max, expiry time.Duration) {
	if b.delay == 0 || b.expired(eventTime, expiry) {
		b.delay = initial
	} else {
		b.delay = min(2*b.delay, max)
	}
	b.lastUpdate = now
}

// inBackOffSince is Backoff.IsInBackOffSince: less than the delay has passed since eventTime.
func (b *backoff) inBackOffSince(eventTime, now time.Time, expiry time.Duration) bool {
	if b.delay == 0 || b.expired(eventTime, expiry) {
		return false
	}
	return now.Sub(eventTime) < b.delay
}

// inBackOffSinceUpdate is Backoff.IsInBackOffSinceUpdate: less than the delay has passed since
// the last failure was recorded.
func (b *backoff) inBackOffSinceUpdate(now time.Time, expiry time.Duration) bool {
	if b.delay == 0 || b.expired(now, expiry) {
		return false
	}
	return now.Sub(b.lastUpdate) < b.delay
}
