package realcluster

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// CreateNamespace creates the lesson's namespace, labelled as k8slearn's so that a learner can
// find and delete leftovers (kubectl delete ns -l app.kubernetes.io/managed-by=k8slearn).
func (c *Cluster) CreateNamespace(lesson string) error {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: c.ns, Labels: map[string]string{
		"app.kubernetes.io/managed-by": "k8slearn", "k8slearn.dev/lesson": lesson}}}
	_, err := c.Create("namespaces", "", ns)
	if err != nil {
		return c.problem(err)
	}
	return nil
}

// DeleteNamespace deletes the lesson's namespace and everything in it (in the background, as
// kubectl delete namespace does).
func (c *Cluster) DeleteNamespace() error {
	if err := c.Delete("namespaces", "", c.ns, DeleteOptions{}); err != nil {
		return c.problem(err)
	}
	return nil
}
