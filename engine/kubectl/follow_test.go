package kubectl

import (
	"testing"
	"time"
)

// A quiet spell stops following only once the cluster has settled: a pod whose image is still
// being pulled changes nothing for a while, and its Running must not be missed. Patience still
// bounds the wait.
func TestFollowRemoteWaitsForSettled(t *testing.T) {
	for _, tt := range []struct {
		name       string
		settledAt  int // the call to settled that first says true; 0: never
		want       followEnd
		wantChecks int
	}{
		{name: "settled at once", settledAt: 1, want: followQuiet, wantChecks: 1},
		{name: "settled after two quiet spells", settledAt: 3, want: followQuiet, wantChecks: 3},
		{name: "never settles", want: followPatience, wantChecks: 10},
	} {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Unix(0, 0)
			checks := 0
			k := &Kubectl{now: func() time.Time { return now }, quiet: time.Second, patience: 10 * time.Second,
				after: func(d time.Duration) <-chan time.Time { // the time passes at once
					now = now.Add(d)
					ch := make(chan time.Time, 1)
					ch <- now
					return ch
				},
				settled: func() bool {
					checks++
					return tt.settledAt > 0 && checks >= tt.settledAt
				}}
			end, err := followRemote(k, make(chan int), func(int) error { return nil })
			if err != nil || end != tt.want || checks != tt.wantChecks {
				t.Errorf("end %d, err %v after %d checks; want end %d after %d", end, err, checks, tt.want, tt.wantChecks)
			}
		})
	}
}
