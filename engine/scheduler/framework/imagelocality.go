package framework

// imagePlan is ImageLocality's state: the pod's images and, for each, the
// share of all nodes that already have it.
type imagePlan struct {
	names         []string
	spreads       []float64
	numContainers int
}

const (
	mb = 1024 * 1024
	// Images smaller than this count as absent; one container's score caps at
	// maxContainerThreshold.
	imageMinThreshold     int64 = 23 * mb
	maxContainerThreshold int64 = 1000 * mb
)

func newImagePlan(f *podFacts, all []*NodeInfo, counts map[string]int) imagePlan {
	p := imagePlan{names: f.images, numContainers: len(f.images)}
	p.spreads = make([]float64, len(f.images))
	total := float64(len(all))
	for i, name := range f.images {
		var numNodes int
		if counts != nil {
			numNodes = counts[name]
		} else {
			numNodes = countNodesWithImage(all, name)
		}
		p.spreads[i] = float64(numNodes) / total
	}
	return p
}

func countNodesWithImage(all []*NodeInfo, name string) int {
	count := 0
	for _, n := range all {
		if n == nil {
			continue
		}
		if _, ok := n.ImageStates[name]; ok {
			count++
		}
	}
	return count
}

// score is ImageLocality: the sizes of the pod's images already on the node,
// each scaled by how widely the image is spread over the cluster, mapped from
// 23MB..1000MB per container onto 0..100.
func (p *imagePlan) score(n *NodeInfo) int64 {
	if p.numContainers == 0 {
		return 0
	}
	var sum int64
	if len(n.ImageStates) > 0 {
		for i, name := range p.names {
			if size, ok := n.ImageStates[name]; ok {
				sum += int64(float64(size) * p.spreads[i])
			}
		}
	}
	maxThreshold := maxContainerThreshold * int64(p.numContainers)
	sum = min(max(sum, imageMinThreshold), maxThreshold)
	return MaxNodeScore * (sum - imageMinThreshold) / (maxThreshold - imageMinThreshold)
}
