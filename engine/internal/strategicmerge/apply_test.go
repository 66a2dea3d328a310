package strategicmerge

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv1 "k8s.io/api/autoscaling/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Objects as the API handler holds them, in JSON.
const (
	podJSON = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default",
		"labels":{"app":"web","tier":"fe"},"annotations":{"note":"old"},
		"finalizers":["example.com/a","example.com/b"],
		"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-1","uid":"u1","controller":true}]},
		"spec":{"containers":[
			{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80,"protocol":"TCP"}],
			 "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"resources":{"limits":{"cpu":"500m"}}},
			{"name":"sidecar","image":"busybox","args":["sleep","3600"]}],
		"volumes":[{"name":"data","hostPath":{"path":"/data"}},{"name":"cache","emptyDir":{}}],
		"tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]},
		"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]}}`
	deploymentJSON = `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"},
		"annotations":{"deployment.kubernetes.io/revision":"2"}},
		"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
		"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
		"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
			{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80}]},{"name":"sidecar","image":"busybox"}]}}},
		"status":{"replicas":3,"conditions":[{"type":"Available","status":"True"}]}}`
	replicaSetJSON = `{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-1",
		"ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"d1","controller":true}]},
		"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
		"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.25"}]}}}}`
	nodeJSON = `{"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1","labels":{"kubernetes.io/hostname":"node-1"}},
		"spec":{"taints":[{"key":"dedicated","value":"gpu","effect":"NoSchedule"}]},
		"status":{"addresses":[{"type":"InternalIP","address":"10.0.0.1"},{"type":"Hostname","address":"node-1"}],
		"conditions":[{"type":"Ready","status":"True"}]}}`
	serviceJSON = `{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"selector":{"app":"web"},
		"ports":[{"name":"http","port":80,"targetPort":8080,"protocol":"TCP"},{"name":"https","port":443,"targetPort":"https","protocol":"TCP"}],
		"type":"ClusterIP"}}`
	scaleJSON  = `{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"web"},"spec":{"replicas":3},"status":{"replicas":3,"selector":"app=web"}}`
	taggedJSON = `{"scalar":1,"replaced":{"name":"a","value":"1"},"replacedMap":{"a":"1"},"retained":{"name":"r","value":"1"},
		"byName":{"x":{"name":"x","tags":["t"]}},"noKey":[{"name":"a"}],
		"items":[{"name":"a","value":"1","tags":["t1"],"nested":[{"name":"n1"}]},{"name":"b","value":"2"}],
		"ptrItems":[{"name":"a"}],"ptrList":[{"name":"a","value":"1"}],"fixed":[{"name":"a"},{"name":"b"}],
		"grid":[["a"]],"strings":["a","b","a"],"replace":["a"],"twoMerges":[{"name":"a"}],"threeMerges":[{"name":"a"}],
		"inline":[{"name":"a"}],"hidden":[{"name":"h"}]}`
)

type applyCase struct {
	name     string
	schema   any
	original string
	patch    string
	// want, when set, is the expected result in JSON, to show what the case exercises.
	want string
	// wantErr, when set, is the expected error: one of the package's sentinels, or an error whose
	// text starts the expected message.
	wantErr error
}

func applyCases() []applyCase {
	pod, deploy, rs, node, svc, scale, tag := &corev1.Pod{}, &appsv1.Deployment{}, &appsv1.ReplicaSet{}, &corev1.Node{}, &corev1.Service{}, &autoscalingv1.Scale{}, &tagged{}
	return []applyCase{
		// kubectl label / annotate
		{name: "label add", schema: pod, original: podJSON, patch: `{"metadata":{"labels":{"version":"v2"}}}`},
		{name: "label overwrite and remove", schema: pod, original: podJSON,
			patch: `{"metadata":{"labels":{"app":"api","tier":null}}}`},
		{name: "annotate", schema: deploy, original: deploymentJSON,
			patch: `{"metadata":{"annotations":{"note":"new","owner":"team"}}}`},
		{name: "label a scale", schema: scale, original: scaleJSON, patch: `{"metadata":{"labels":{"a":"b"}}}`},
		// kubectl set image (a two-way patch with the container order)
		{name: "set image pod", schema: pod, original: podJSON,
			patch: `{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],"containers":[{"image":"nginx:1.27","name":"web"}]}}`},
		{name: "set image deployment", schema: deploy, original: deploymentJSON,
			patch: `{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],"containers":[{"image":"busybox:2","name":"sidecar"}]}}}}`},
		{name: "set image replicaset without order", schema: rs, original: replicaSetJSON,
			patch: `{"spec":{"template":{"spec":{"containers":[{"image":"nginx:2","name":"web"}]}}}}`},
		// kubectl cordon / uncordon / taint
		{name: "cordon", schema: node, original: nodeJSON, patch: `{"spec":{"unschedulable":true}}`,
			want: `{"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1","labels":{"kubernetes.io/hostname":"node-1"}},
				"spec":{"unschedulable":true,"taints":[{"key":"dedicated","value":"gpu","effect":"NoSchedule"}]},
				"status":{"addresses":[{"type":"InternalIP","address":"10.0.0.1"},{"type":"Hostname","address":"node-1"}],
				"conditions":[{"type":"Ready","status":"True"}]}}`},
		{name: "uncordon", schema: node, original: `{"metadata":{"name":"n"},"spec":{"unschedulable":true}}`,
			patch: `{"spec":{"unschedulable":null}}`, want: `{"metadata":{"name":"n"},"spec":{}}`},
		{name: "taint add replaces the list", schema: node, original: nodeJSON,
			patch: `{"spec":{"taints":[{"effect":"NoSchedule","key":"dedicated","value":"gpu"},{"effect":"NoExecute","key":"bad"}]}}`},
		{name: "taint remove last", schema: node, original: nodeJSON, patch: `{"spec":{"taints":null}}`},
		{name: "node addresses merge by type", schema: node, original: nodeJSON,
			patch: `{"status":{"addresses":[{"type":"ExternalIP","address":"1.2.3.4"},{"type":"InternalIP","address":"10.0.0.9"}]}}`},
		// kubectl rollout restart / undo, kubectl scale
		{name: "rollout restart", schema: deploy, original: deploymentJSON,
			patch: `{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2024-05-01T10:00:00Z"}}}}}`},
		{name: "rollout undo replaces the template", schema: deploy, original: deploymentJSON,
			patch: `{"metadata":{"annotations":{"deployment.kubernetes.io/revision":"1"}},"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.24"}]}}}}`,
			want: `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"},
				"annotations":{"deployment.kubernetes.io/revision":"1"}},
				"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
				"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
				"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.24"}]}}},
				"status":{"replicas":3,"conditions":[{"type":"Available","status":"True"}]}}`},
		{name: "scale", schema: scale, original: scaleJSON, patch: `{"spec":{"replicas":5}}`},
		{name: "scale a replicaset", schema: rs, original: replicaSetJSON, patch: `{"spec":{"replicas":0}}`},
		// client-side apply and edit (three-way patches)
		{name: "apply: remove a container and change the strategy", schema: deploy, original: deploymentJSON,
			patch: `{"metadata":{"labels":{"app":null,"team":"a"}},"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"},
				"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],
				"containers":[{"$setElementOrder/ports":[{"containerPort":80},{"containerPort":443}],"image":"nginx:2","name":"web","ports":[{"containerPort":443}]},
				{"$patch":"delete","name":"sidecar"}]}}}}`,
			want: `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"team":"a"},
				"annotations":{"deployment.kubernetes.io/revision":"2"}},
				"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"strategy":{"type":"Recreate"},
				"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
					{"name":"web","image":"nginx:2","ports":[{"containerPort":80},{"containerPort":443}]}]}}},
				"status":{"replicas":3,"conditions":[{"type":"Available","status":"True"}]}}`},
		{name: "apply: delete one container and add another", schema: deploy, original: deploymentJSON,
			patch: `{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"log"}],
				"containers":[{"image":"fluentd","name":"log"},{"$patch":"delete","name":"sidecar"}]}}}}`},
		{name: "apply: swap a container beside an injected one", schema: pod,
			original: `{"spec":{"containers":[{"name":"app"},{"name":"old"},{"name":"injected"}]}}`,
			patch:    `{"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"new"}],"containers":[{"name":"new"},{"$patch":"delete","name":"old"}]}}`,
			want:     `{"spec":{"containers":[{"name":"app"},{"name":"injected"},{"name":"new"}]}}`},
		{name: "apply: strategy back to rolling update", schema: deploy,
			original: `{"spec":{"strategy":{"type":"Recreate"}}}`,
			patch:    `{"spec":{"strategy":{"$retainKeys":["rollingUpdate","type"],"rollingUpdate":{"maxSurge":1},"type":"RollingUpdate"}}}`},
		{name: "apply: env order, add and remove", schema: pod, original: podJSON,
			patch: `{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],"containers":[{"$setElementOrder/env":[{"name":"B"},{"name":"C"}],"env":[{"name":"C","value":"3"},{"$patch":"delete","name":"A"}],"name":"web"}]}}`},
		{name: "apply: env reorder only", schema: pod, original: podJSON,
			patch: `{"spec":{"containers":[{"$setElementOrder/env":[{"name":"B"},{"name":"A"}],"name":"web"}]}}`},
		{name: "apply: volume source change keeps only listed keys", schema: pod, original: podJSON,
			patch: `{"spec":{"$setElementOrder/volumes":[{"name":"data"},{"name":"cache"}],"volumes":[{"$retainKeys":["emptyDir","name"],"emptyDir":{},"hostPath":null,"name":"data"}]}}`},
		{name: "apply: finalizers with deletion list and order", schema: pod, original: podJSON,
			patch: `{"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/a"],"$setElementOrder/finalizers":["example.com/c","example.com/b"],"finalizers":["example.com/c"]}}`,
			want: `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default",
				"labels":{"app":"web","tier":"fe"},"annotations":{"note":"old"},
				"finalizers":["example.com/c","example.com/b"],
				"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-1","uid":"u1","controller":true}]},
				"spec":{"containers":[
					{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80,"protocol":"TCP"}],
					 "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"resources":{"limits":{"cpu":"500m"}}},
					{"name":"sidecar","image":"busybox","args":["sleep","3600"]}],
				"volumes":[{"name":"data","hostPath":{"path":"/data"}},{"name":"cache","emptyDir":{}}],
				"tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]},
				"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]}}`},
		{name: "apply: service port change", schema: svc, original: serviceJSON,
			patch: `{"spec":{"$setElementOrder/ports":[{"port":80},{"port":8443}],"ports":[{"name":"alt","port":8443,"targetPort":8443},{"$patch":"delete","port":443}]}}`},
		{name: "apply: order list names items missing everywhere", schema: pod, original: podJSON,
			patch: `{"spec":{"$setElementOrder/containers":[{"name":"ghost"},{"name":"sidecar"},{"name":"web"}]}}`},
		{name: "apply: order of a list the object lacks", schema: pod, original: `{"metadata":{"name":"p"}}`,
			patch: `{"metadata":{"$setElementOrder/finalizers":["b","a"],"finalizers":["a"]}}`, want: `{"metadata":{"name":"p","finalizers":["a"]}}`},
		{name: "apply: order without the list", schema: pod, original: `{"metadata":{"name":"p"}}`,
			patch: `{"metadata":{"$setElementOrder/finalizers":["b","a"]}}`},
		// merge keys
		{name: "delete a container by name", schema: pod, original: podJSON,
			patch: `{"spec":{"containers":[{"$patch":"delete","name":"sidecar"}]}}`},
		{name: "delete a missing container", schema: pod, original: podJSON,
			patch: `{"spec":{"containers":[{"$patch":"delete","name":"nope"}]}}`},
		{name: "replace the container list", schema: pod, original: podJSON,
			patch: `{"spec":{"containers":[{"name":"only","image":"x"},{"$patch":"replace"}]}}`,
			want: `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default",
				"labels":{"app":"web","tier":"fe"},"annotations":{"note":"old"},
				"finalizers":["example.com/a","example.com/b"],
				"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-1","uid":"u1","controller":true}]},
				"spec":{"containers":[{"name":"only","image":"x"}],
				"volumes":[{"name":"data","hostPath":{"path":"/data"}},{"name":"cache","emptyDir":{}}],
				"tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]},
				"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]}}`},
		{name: "replace and delete in one list", schema: pod, original: podJSON,
			patch: `{"spec":{"containers":[{"$patch":"replace"},{"$patch":"delete","name":"web"},{"name":"z"}]}}`},
		{name: "merge env: change one, add one", schema: pod, original: podJSON,
			patch: `{"spec":{"containers":[{"name":"web","env":[{"name":"C","value":"3"},{"name":"A","value":"10"}]}]}}`},
		{name: "add a port", schema: pod, original: podJSON,
			patch: `{"spec":{"containers":[{"name":"web","ports":[{"containerPort":443}]}]}}`},
		{name: "duplicate merge keys in the patch", schema: pod, original: podJSON,
			patch: `{"spec":{"containers":[{"name":"new","image":"a"},{"name":"new","image":"b"}]}}`},
		{name: "owner references merge by uid", schema: pod, original: podJSON,
			patch: `{"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-2","uid":"u2"}]}}`},
		{name: "status conditions merge by type", schema: pod, original: podJSON,
			patch: `{"status":{"conditions":[{"type":"Ready","status":"False","reason":"Down"}]}}`},
		{name: "service ports merge by port, targetPort changes type", schema: svc, original: serviceJSON,
			patch: `{"spec":{"ports":[{"port":80,"targetPort":"http"}]}}`},
		{name: "deployment conditions", schema: deploy, original: deploymentJSON,
			patch: `{"status":{"conditions":[{"type":"Progressing","status":"True"}]}}`},
		// lists without a merge strategy, primitive lists
		{name: "tolerations are replaced", schema: pod, original: podJSON,
			patch: `{"spec":{"tolerations":[{"key":"gpu","operator":"Exists"}]}}`},
		{name: "args are replaced", schema: pod, original: podJSON,
			patch: `{"spec":{"containers":[{"name":"sidecar","args":["sleep","10"]}]}}`},
		{name: "finalizers union", schema: pod, original: podJSON,
			patch: `{"metadata":{"finalizers":["example.com/c","example.com/a"]}}`},
		{name: "finalizers deletion list", schema: pod, original: podJSON,
			patch: `{"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/a","example.com/x"]}}`},
		{name: "deletion list of a missing list", schema: pod, original: `{"metadata":{"name":"p"}}`,
			patch: `{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}`},
		{name: "deletion list set to null deletes the list", schema: pod, original: podJSON,
			patch: `{"metadata":{"$deleteFromPrimitiveList/finalizers":null}}`},
		{name: "deletion list with a scalar", schema: pod, original: `{"metadata":{"generation":1}}`,
			patch: `{"metadata":{"$deleteFromPrimitiveList/generation":2}}`},
		{name: "empty lists", schema: pod, original: `{"metadata":{"finalizers":[]}}`, patch: `{"metadata":{"finalizers":[]}}`},
		// maps, nulls and $patch in maps
		{name: "null removes nested field", schema: pod, original: podJSON,
			patch: `{"spec":{"containers":[{"name":"web","resources":null}]}}`},
		{name: "null for a missing field", schema: pod, original: podJSON, patch: `{"spec":{"nodeName":null}}`},
		{name: "$patch delete in a map empties it", schema: pod, original: podJSON,
			patch: `{"spec":{"containers":[{"name":"web","resources":{"$patch":"delete"}}]}}`},
		{name: "$patch replace in a map", schema: pod, original: podJSON,
			patch: `{"metadata":{"labels":{"$patch":"replace","only":"this"}}}`},
		{name: "$patch replace at the top", schema: pod, original: podJSON, patch: `{"$patch":"replace","kind":"Pod"}`},
		{name: "$patch delete at the top", schema: pod, original: podJSON, patch: `{"$patch":"delete"}`, want: `{}`},
		{name: "new container keeps its directives and nulls", schema: pod, original: podJSON,
			patch: `{"spec":{"containers":[{"name":"new","image":"x","env":[{"name":"X","$patch":"delete"}],"resources":null}]}}`},
		{name: "new field loses directives and nulls", schema: pod, original: podJSON,
			patch: `{"spec":{"affinity":{"nodeAffinity":{"$patch":"delete"},"podAffinity":{"x":null},"list":[{"$patch":"delete"},{"a":null}]}}}`},
		{name: "new field that is a directive", schema: pod, original: podJSON, patch: `{"spec":{"affinity":{"$patch":"delete"}}}`},
		{name: "value of another type replaces", schema: pod, original: podJSON, patch: `{"spec":{"containers":"oops","volumes":{"$patch":"x"}}}`},
		{name: "unknown scalar field", schema: pod, original: podJSON, patch: `{"spec":{"unknownField":1}}`},
		{name: "unknown field in an unknown map", schema: pod, original: podJSON, patch: `{"spec":{"extra":{"a":{"b":1}}}}`},
		{name: "integer and float", schema: deploy, original: deploymentJSON, patch: `{"spec":{"replicas":2.5}}`},
		{name: "nil original", schema: pod, original: `{}`, patch: `{"metadata":{"name":"x","labels":{"a":null}}}`},
		{name: "field name matched without case", schema: pod, original: `{"SPEC":{"CONTAINERS":[{"name":"a","image":"1"}]}}`,
			patch: `{"SPEC":{"CONTAINERS":[{"name":"a","image":"2"}]}}`},
		{name: "quantity and time are opaque", schema: pod,
			original: `{"metadata":{"creationTimestamp":"2024-01-01T00:00:00Z"},"spec":{"containers":[{"name":"web","resources":{"limits":{"cpu":"1"}}}]}}`,
			patch:    `{"metadata":{"creationTimestamp":{"x":1}},"spec":{"containers":[{"name":"web","resources":{"limits":{"cpu":"2","memory":"1Gi"}}}]}}`},
		// $retainKeys
		{name: "retainKeys drops unlisted keys", schema: deploy, original: deploymentJSON,
			patch: `{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}`},
		{name: "retainKeys ignores nulls and directives", schema: deploy, original: deploymentJSON,
			patch:   `{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null,"$setElementOrder/x":[],"$deleteFromPrimitiveList/y":[]}}}`,
			wantErr: errors.New("unable to find api field in struct DeploymentStrategy for the json field \"x\"")},
		// the tags k8s.io/api does not use
		{name: "replace strategy on an object", schema: tag, original: taggedJSON, patch: `{"replaced":{"name":"b","$patch":"x"}}`},
		{name: "replace strategy on a map", schema: tag, original: taggedJSON, patch: `{"replacedMap":{"b":"2"}}`},
		{name: "retainKeys strategy merges", schema: tag, original: taggedJSON, patch: `{"retained":{"value":"2"}}`},
		{name: "replace strategy on a list", schema: tag, original: taggedJSON, patch: `{"replace":["b"]}`},
		{name: "pointer items", schema: tag, original: taggedJSON, patch: `{"ptrItems":[{"name":"b"},{"name":"a","value":"x"}]}`},
		{name: "pointer to a list", schema: tag, original: taggedJSON, patch: `{"ptrList":[{"name":"a","value":"2"}]}`},
		{name: "array", schema: tag, original: taggedJSON, patch: `{"fixed":[{"name":"c"}]}`},
		{name: "inline struct", schema: tag, original: taggedJSON, patch: `{"inline":[{"name":"b"}]}`},
		{name: "nested lists", schema: tag, original: taggedJSON,
			patch: `{"items":[{"name":"a","tags":["t2","t1"],"nested":[{"name":"n2"},{"$patch":"delete","name":"n1"}]}]}`},
		{name: "primitive union with repeats", schema: tag, original: taggedJSON, patch: `{"strings":["c","b","d","c"]}`},
		{name: "primitive deletion with repeats", schema: tag, original: taggedJSON, patch: `{"$deleteFromPrimitiveList/strings":["a"]}`},
		{name: "deletion list of objects merges them", schema: tag, original: taggedJSON,
			patch: `{"$deleteFromPrimitiveList/items":[{"name":"a","value":"z"}]}`},
		{name: "deletion list with nothing after the slash", schema: tag, original: taggedJSON,
			patch: `{"$deleteFromPrimitiveList/":["a"]}`},
		{name: "deletion list of a map merges it", schema: tag, original: taggedJSON,
			patch: `{"$deleteFromPrimitiveList/retained":{"value":"z"}}`},
		{name: "map of structs with a scalar", schema: tag, original: taggedJSON, patch: `{"byName":{"x":"y"}}`},
		{name: "field of an unexported embedded struct", schema: tag, original: `{"hiddenInline":[{"name":"a"}]}`,
			patch:   `{"hiddenInline":[{"name":"b"}]}`,
			wantErr: errors.New(`unable to find api field in struct tagged for the json field "hiddenInline"`)},
		{name: "hidden field", schema: tag, original: taggedJSON, patch: `{"hidden":[{"name":"x"}]}`,
			wantErr: errors.New(`unable to find api field in struct tagged for the json field "hidden"`)},
		{name: "deletion list and list together", schema: tag, original: taggedJSON,
			patch: `{"strings":["z"],"$deleteFromPrimitiveList/strings":["b"]}`},
		// errors
		{name: "$patch merge in a map", schema: pod, original: podJSON, patch: `{"metadata":{"labels":{"$patch":"merge"}}}`,
			wantErr: errors.New("unknown patch type: merge in map: map[$patch:merge]")},
		{name: "unknown $patch in a map", schema: pod, original: podJSON, patch: `{"metadata":{"labels":{"$patch":"explode"}}}`,
			wantErr: errors.New("unknown patch type: explode")},
		{name: "$patch merge in a list", schema: pod, original: podJSON,
			patch:   `{"spec":{"containers":[{"name":"web","$patch":"merge"}]}}`,
			wantErr: errors.New("merging lists cannot yet be specified in the patch")},
		{name: "unknown $patch in a list", schema: pod, original: podJSON,
			patch: `{"spec":{"containers":[{"name":"web","$patch":1}]}}`, wantErr: errors.New("unknown patch type: %!s(int64=1)")},
		{name: "delete without merge key", schema: pod, original: podJSON, patch: `{"spec":{"containers":[{"$patch":"delete"}]}}`,
			wantErr: errors.New("map: map[$patch:delete] does not contain declared merge key: name")},
		{name: "item without merge key", schema: pod, original: podJSON, patch: `{"spec":{"containers":[{"image":"x"}]}}`,
			wantErr: errors.New("map: map[image:x] does not contain declared merge key: name")},
		{name: "current item without merge key", schema: pod, original: `{"spec":{"containers":[{"image":"x"}]}}`,
			patch: `{"spec":{"containers":[{"name":"a"}]}}`, wantErr: errors.New("map: map[image:x] does not contain declared merge key: name")},
		{name: "bad deletion list prefix", schema: pod, original: podJSON,
			patch: `{"metadata":{"$deleteFromPrimitiveListX/finalizers":["a"]}}`, wantErr: ErrBadPatchFormatForPrimitiveList},
		{name: "order directive without a field", schema: pod, original: podJSON,
			patch: `{"spec":{"$setElementOrder":[]}}`, wantErr: ErrBadPatchFormatForSetElementOrderList},
		{name: "order directive not a list", schema: pod, original: podJSON,
			patch: `{"spec":{"$setElementOrder/containers":"web"}}`, wantErr: errors.New("expected a []interface {}, but received a string")},
		{name: "order directive disagrees with the patch", schema: pod, original: podJSON,
			patch:   `{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"web"}],"containers":[{"name":"web","image":"a"},{"name":"sidecar","image":"b"}]}}`,
			wantErr: errors.New("The order in patch list:")},
		{name: "order directive for a list that is not one", schema: pod, original: `{"metadata":{"finalizers":"a"}}`,
			patch: `{"metadata":{"$setElementOrder/finalizers":["a"]}}`, wantErr: errors.New("expected a []interface {}, but received a string")},
		{name: "order directive for an unknown field", schema: pod, original: podJSON,
			patch: `{"spec":{"$setElementOrder/nope":[]}}`, wantErr: errors.New("unable to find api field")},
		{name: "order directive for a field that is not a list", schema: pod, original: podJSON,
			patch: `{"spec":{"$setElementOrder/nodeName":[]}}`, wantErr: errors.New("expected slice or array type, but got: struct")},
		{name: "order directive with empty lists", schema: pod, original: `{"metadata":{"name":"p"}}`,
			patch: `{"metadata":{"$setElementOrder/finalizers":[],"finalizers":[]}}`, wantErr: errors.New("no elements in any of the given slices")},
		{name: "order directive items without merge key", schema: pod, original: podJSON,
			patch:   `{"spec":{"$setElementOrder/containers":[{"image":"x"}],"containers":[{"name":"web"}]}}`,
			wantErr: errors.New("map: map[image:x] does not contain declared merge key: name")},
		{name: "retainKeys not a list", schema: deploy, original: deploymentJSON,
			patch: `{"spec":{"strategy":{"$retainKeys":"type","type":"Recreate"}}}`, wantErr: ErrBadPatchFormatForRetainKeys},
		{name: "retainKeys misses a patched key", schema: deploy, original: deploymentJSON,
			patch:   `{"spec":{"strategy":{"$retainKeys":["type"],"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}`,
			wantErr: ErrBadPatchFormatForRetainKeys},
		{name: "list of lists", schema: tag, original: taggedJSON, patch: `{"grid":[["b"]]}`, wantErr: errors.New("unexpected slice of slice")},
		{name: "list of lists in the data", schema: pod, original: `{"metadata":{"finalizers":[["a"]]}}`,
			patch: `{"metadata":{"finalizers":[["b"]]}}`, wantErr: ErrNoListOfLists},
		{name: "items of different types", schema: pod, original: podJSON, patch: `{"metadata":{"finalizers":[1]}}`,
			wantErr: errors.New("list element types are not identical")},
		{name: "objects without merge key", schema: tag, original: taggedJSON, patch: `{"noKey":[{"name":"b"}]}`,
			wantErr: errors.New("cannot merge lists without merge key for struct")},
		{name: "two strategies without retainKeys", schema: tag, original: taggedJSON, patch: `{"twoMerges":[{"name":"b"}]}`,
			wantErr: errors.New("unexpected patch strategy: [merge replace]")},
		{name: "three strategies", schema: tag, original: taggedJSON, patch: `{"threeMerges":[{"name":"b"}]}`,
			wantErr: errors.New("unexpected patch strategy")},
		{name: "map of structs with a map", schema: tag, original: taggedJSON, patch: `{"byName":{"x":{"value":"v"}}}`,
			wantErr: errors.New("merging an object in json but data type is not struct, instead is: map")},
		{name: "object into a primitive list item type", schema: pod, original: `{"metadata":{"finalizers":[{"a":1}]}}`,
			patch: `{"metadata":{"finalizers":[{"a":2}]}}`, wantErr: errors.New("cannot merge lists without merge key for string")},
		{name: "unknown field in both", schema: pod, original: `{"spec":{"extra":{"a":1}}}`, patch: `{"spec":{"extra":{"b":1}}}`,
			wantErr: errors.New(`unable to find api field in struct PodSpec for the json field "extra"`)},
		{name: "non-object list items", schema: pod, original: `{"spec":{"containers":["a"]}}`, patch: `{"spec":{"containers":["b"]}}`,
			wantErr: errors.New("expected a map[string]interface {}, but received a string")},
	}
}

func TestApplyMatchesLibrary(t *testing.T) {
	for _, c := range applyCases() {
		t.Run(c.name, func(t *testing.T) {
			got, diff, skipped := compare(decode(t, c.original), decode(t, c.patch), c.schema)
			if skipped {
				t.Fatal("the library panics on this case")
			}
			if diff != "" {
				t.Fatalf("differs from strategicpatch:\n%s", diff)
			}
			checkExpectation(t, got, c.want, c.wantErr)
		})
	}
}

// checkExpectation checks an outcome against a case's own expectation: an error when one is
// named (and only then), and the result when one is given.
func checkExpectation(t *testing.T, got outcome, want string, wantErr error) {
	t.Helper()
	switch {
	case wantErr == nil && got.err != nil:
		t.Fatalf("unexpected error: %v", got.err)
	case wantErr != nil && got.err == nil:
		t.Fatalf("got %v, want error %q", got.result, wantErr)
	case wantErr != nil && errorClass(wantErr) != nil:
		if !errors.Is(got.err, wantErr) {
			t.Fatalf("error %q is not %q", got.err, wantErr)
		}
	case wantErr != nil && !strings.HasPrefix(got.err.Error(), wantErr.Error()):
		t.Fatalf("error %q, want it to start with %q", got.err, wantErr)
	}
	if want != "" && !reflect.DeepEqual(got.result, decode(t, want)) {
		t.Fatalf("got  %v\nwant %v", got.result, decode(t, want))
	}
}

func TestApplySchemaErrors(t *testing.T) {
	cases := []struct {
		name    string
		schema  any
		wantErr error
	}{
		{"nil", nil, errors.New("expected a struct, but received a nil")},
		{"not a struct", "pod", errors.New("expected a struct, but received a string")},
		{"pointer to a pointer", new(*corev1.Pod), errors.New("expected a struct, but received a ptr")},
		{"unstructured", &unstructured.Unstructured{}, ErrUnsupportedStrategicMergePatchFormat},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, diff, skipped := compare(decode(t, podJSON), decode(t, `{"metadata":{"labels":{"a":"b"}}}`), c.schema)
			if skipped || diff != "" {
				t.Fatalf("differs from strategicpatch (skipped %v):\n%s", skipped, diff)
			}
			checkExpectation(t, got, "", c.wantErr)
		})
	}
}

// TestApplyWhereLibraryPanics covers inputs the library crashes on: Apply answers instead.
func TestApplyWhereLibraryPanics(t *testing.T) {
	cases := []struct {
		name, original, patch string
		want                  string
		wantErr               error
	}{
		{name: "null first item of a merged list", original: `{"metadata":{"finalizers":[null]}}`,
			patch: `{"metadata":{"finalizers":["a"]}}`, wantErr: errors.New("list items must not be null")},
		{name: "object in retainKeys", original: `{"spec":{"a":1}}`, patch: `{"spec":{"$retainKeys":[{}],"b":null}}`,
			want: `{"spec":{}}`},
		{name: "objects as merge keys", original: `{"spec":{"containers":[{"name":{"a":1}}]}}`,
			patch: `{"spec":{"containers":[{"name":{"a":1},"image":"x"}]}}`,
			want:  `{"spec":{"containers":[{"name":{"a":1},"image":"x"},{"name":{"a":1}}]}}`},
		{name: "objects in the order of a list without merge key", original: `{"spec":{"tolerations":[{"key":"a"}]}}`,
			patch:   `{"spec":{"$setElementOrder/tolerations":[{"key":"a"}]}}`,
			wantErr: errors.New("map: map[key:a] does not contain declared merge key: ")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _, skipped := compare(decode(t, c.original), decode(t, c.patch), &corev1.Pod{})
			if !skipped {
				t.Error("the library no longer panics: make this a differential case")
			}
			checkExpectation(t, got, c.want, c.wantErr)
		})
	}
}

// TestApplyKeyOrder pins the order of keys the library leaves to chance: a deletion list is
// applied before the list merge of the same field (kubectl never sends both for one value).
func TestApplyKeyOrder(t *testing.T) {
	got := ours(decode(t, `{"metadata":{"finalizers":["a","b"]}}`),
		decode(t, `{"metadata":{"$deleteFromPrimitiveList/finalizers":["a","c"],"finalizers":["c"]}}`), &corev1.Pod{})
	checkExpectation(t, got, `{"metadata":{"finalizers":["c","b"]}}`, nil)
}
