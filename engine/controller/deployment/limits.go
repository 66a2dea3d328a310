package deployment

import appsv1 "k8s.io/api/apps/v1"

// RollingLimits is how many pods a rolling update of d may add above spec.replicas (maxSurge) and
// leave unavailable below it (maxUnavailable), as absolute numbers: percentages of spec.replicas,
// surge rounded up and unavailable rounded down, and one unavailable when both come to zero. Both
// are zero for the Recreate strategy. This is the rule the controller itself follows
// (pkg/controller/deployment/util: ResolveFenceposts), exported for the lessons' questions.
func RollingLimits(d *appsv1.Deployment) (maxSurge, maxUnavailable int32) {
	return maxSurgeAndUnavailable(d)
}
