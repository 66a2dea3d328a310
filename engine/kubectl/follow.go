package kubectl

import (
	"fmt"
	"io"
	"strconv"
	"time"
)

// On a real cluster, kubectl logs -f and get --watch follow what the cluster sends, which a real
// kubectl does until Ctrl-C. A lesson cannot press Ctrl-C, so k8slearn stops following when
// nothing came for the Remote's Quiet, or after its Patience, and says so.

// followEnd is why following a real cluster stopped.
type followEnd int

const (
	followEnded    followEnd = iota // the server ended the stream (the container ended, the watch closed)
	followQuiet                     // nothing came for the Remote's quiet
	followPatience                  // the Remote's patience passed
)

// followRemote hands what arrives on next to handle, in order, until next closes, nothing arrived
// for k.quiet while the cluster is settled, or k.patience passed.
func followRemote[T any](k *Kubectl, next <-chan T, handle func(T) error) (followEnd, error) {
	after := k.after
	if after == nil {
		after = time.After
	}
	deadline := k.now().Add(k.patience)
	for {
		left := deadline.Sub(k.now())
		if left <= 0 {
			return followPatience, nil
		}
		wait := min(k.quiet, left)
		select {
		case v, ok := <-next:
			if !ok {
				return followEnded, nil
			}
			if err := handle(v); err != nil {
				return followEnded, err
			}
		case <-after(wait):
			if wait == k.quiet && (k.settled == nil || k.settled()) {
				return followQuiet, nil
			}
		}
	}
}

// sayFollowStopped prints, to stderr, that k8slearn stopped following where a real kubectl would
// go on: quietID is the command's note for a quiet cluster.
func (k *Kubectl) sayFollowStopped(end followEnd, quietID, command string, s Streams) {
	switch end {
	case followQuiet:
		fmt.Fprintln(s.ErrOut, k.t(quietID, map[string]any{"Seconds": seconds(k.quiet)}))
	case followPatience:
		fmt.Fprintln(s.ErrOut, k.t("kubectl.follow_patience_real", map[string]any{"Seconds": seconds(k.patience), "Command": command}))
	}
}

// seconds writes a duration in seconds, with the fraction a short one has (0.5, 3, 240).
func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) }

// readChunks sends what r gives, chunk by chunk, until r ends or fails, or done closes; then it
// closes the channel it returns.
func readChunks(r io.Reader, done <-chan struct{}) <-chan []byte {
	ch := make(chan []byte)
	go func() {
		defer close(ch)
		for {
			buf := make([]byte, 32<<10)
			n, err := r.Read(buf)
			if n > 0 {
				select {
				case ch <- buf[:n]:
				case <-done:
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return ch
}
