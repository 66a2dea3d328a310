package printers

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/duration"
)

// age is kubectl's translateTimestampSince with the clock handed in.
func age(now time.Time, t metav1.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(now.Sub(t.Time))
}

// microAge is kubectl's translateMicroTimestampSince with the clock handed in.
func microAge(now time.Time, t metav1.MicroTime) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(now.Sub(t.Time))
}

// rfc1123z formats a timestamp as kubectl describe does ("Mon, 02 Jun 2025 10:00:00 +0000").
func rfc1123z(t metav1.Time) string {
	return t.Time.Format(time.RFC1123Z)
}
