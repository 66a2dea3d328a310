// Package quiz asks questions whose answers come from the miniature cluster at the moment they are
// asked.
//
// A Question is data (lessons load it from YAML). Its expected answer is either static (for a
// conceptual question) or computed by a probe: a named function that reads the live cluster
// through the API server, written in lesson files as a reference such as
// "replicaset-name deployment=web". Prepare runs the probes and gives a Prepared question; Grade
// checks one answer, forgiving the ways people type (case, spaces, full-width characters, Chinese
// or English yes/no and numbers, choice numbers or keys, the words the lessons use for the parts
// of a cluster); RevealIn writes the expected answer for a learner in a form Grade accepts.
// Probes only read: the API server's read verbs and the store's revision.
//
// # Answers that are not answers
//
// Grade tells a wrong answer from one without the question's form: an empty line, a choice
// number that does not exist, text that names none of the choices, a number question answered
// with words, an order that leaves out or repeats a choice. Such an answer has a Problem; a lesson
// says what is wrong with it and how to answer (ProblemText, Format) and asks again, and it costs
// no try. Format's example for a multi or order question is never the right answer (Example), and
// Prepare never lists an order question's choices in the answer's order.
//
// # Kinds of question
//
//   - choice: one of the choices; the answer (a probe's text or a static answer) is a choice key.
//     Without choices it is a yes/no question with keys "yes" and "no" (labels common.yes/no).
//   - multi: a subset of the choices; the answer is a list of keys ("a,c" when static).
//   - order: the choices in the right order, all of them, each once. A probe may list more items
//     than the lesson offers: the learner orders the offered ones. Choices from choices_from are
//     sorted by name, and choices listed in the answer's order are rotated, so that they do not
//     show the answer.
//   - text: free text compared after normalising; "yes"/"no" and "none" answers take the
//     synonyms below, an owner "Kind/name" takes any kubectl name for the kind ("rs/web-…") or
//     the name alone, a key is accepted with or without its outer slashes.
//   - number: an integer; digits (full-width too), English words zero…ten, Chinese numerals
//     (三, 两, 十二, 一百零五), optionally followed by 个.
//   - next: a component; without answer or answer_from, the component the engine runs next.
//     Accepted: the exact name ("kubelet/node-1", or with a space or hyphen for the slash, or as
//     RevealIn lists it, "5) kubelet/node-1"); the kind of a per-node component ("kubelet",
//     "containerd") and any word of the glossary for it ("the scheduler", 调度器, "the container
//     runtime", 容器运行时); kube-controller-manager and its words for the three controllers it
//     runs; "none", 无, 没有 when the cluster is idle. Anything else that names none of the
//     choices is a problem, not a wrong answer.
//
// Choices are answered by key, by number (from 1), as they are listed ("2) no", the number
// deciding and the text checked), by literal text, by label text and synonyms (with
// GradeWithLabels and Labels: the learner's language and English), by any word of the glossary
// (terms.go: "the API server", "the container runtime", 控制器管理器) when the key or literal
// names a part of the cluster, or with a yes/no word when the keys are yes and no. Several items
// are separated by commas (, ， 、), semicolons (; ；) or spaces, or each starts with its number
// as listed ("1) kube-apiserver; 2) etcd"). A typed key always wins over a number; a word that
// names two choices is refused by Validate.
//
// # Probes
//
// A reference is "probe-name key=value …"; values run to the next space and may contain "="
// (selector=app=web,tier=front). Pods are picked with pod=NAME, or index=N: the N-th (from 1) in
// name order among those matching selector — the order of `kubectl get pods`. Objects of other
// resources are picked with name=NAME or index=N the same way. Everything is in Env.Namespace
// ("default"). A probe fails (and Prepare with it) when the thing asked about does not exist yet:
// the lesson asked at the wrong moment.
//
//	probe                                   value   what
//	replicaset-name deployment=D            text    newest ReplicaSet D controls (highest revision annotation): "web-5d8b7c6f94"
//	replicaset-count [deployment=D]         number  ReplicaSets D controls (all in the namespace without D)
//	deployment-revision deployment=D        number  D's deployment.kubernetes.io/revision (fails before the controller set it)
//	ready-replicas deployment=D             number  status.readyReplicas: the first half of kubectl's READY
//	desired-replicas deployment=D           number  spec.replicas
//	owner-of resource=R name=N|index=I      text    controlling owner as "Controlled By" shows it: "ReplicaSet/web-5d8b7c6f94",
//	         [selector=S]                           "Deployment/web"; "none" for a bare pod
//	etcd-key resource=R name=N|index=I      text    the object's key: "/registry/pods/default/web-…", "/registry/minions/node-1"
//	         [selector=S]
//	exists resource=R name=N                text    "yes" if the API server has it, else "no"
//	event-count reason=R [object=N]         number  Event objects with that reason (about object N): rows of kubectl get events
//	pod-count [selector=S] [status=X]       number  pods matching; status is kubectl's STATUS column (Running,
//	          [node=N]                              ContainerCreating, Pending, Terminating…); node is spec.nodeName
//	pod-names [selector=S] [status=X]       list    their names, sorted
//	          [node=N]
//	pod-name index=I [selector=S]           text    the name of the I-th pod
//	pod-node pod=P|index=I [selector=S]     text    the pod's node, kubectl's NODE column (fails while unscheduled)
//	pod-status pod=P|index=I [selector=S]   text    kubectl's STATUS column
//	pod-phase pod=P|index=I [selector=S]    text    status.phase: Pending, Running, Succeeded, Failed, Unknown
//	pods-on-node node=N [selector=S]        number  pods bound to node N
//	unscheduled-pods [selector=S]           number  pods with no node yet
//	node-with-most-pods [selector=S]        text    the node with the most pods; fails on a tie
//	nodes                                   list    node names, sorted: "node-1", "node-2"
//	container-runtime node=N                text    the container runtime the node's kubelet reports: the name before
//	                                                "://" in status.nodeInfo.containerRuntimeVersion (containerd, cri-o)
//	any-container-running [selector=S]      text    "yes" if any pod reports a running container, else "no"
//	next-component                          text    the component that acts at the next step; "" when idle
//	last-actor                              text    the component of the newest trace entry that is not a client's request
//	actor-order                             list    kinds of component in the order they first acted:
//	                                                "deployment-controller", …, "kubelet", "containerd"
//	components [also=A,B] [all=yes]         list    the kinds of component the map draws, once each:
//	                                                deployment-controller, replicaset-controller, garbage-collector,
//	                                                default-scheduler, kubelet, containerd, kube-proxy; also= adds
//	                                                kinds (node-lifecycle-controller, …); all=yes lists every kind
//	store-revision                          number  etcd's current revision
//
// More probes are listed where they are defined: sources_more.go (etcd keys and watches,
// scheduling and the nodes' size, rolling updates), sources_service.go (Services, EndpointSlices,
// DNS, curl), sources_trouble.go (restarts, exit codes, back-offs, FailedScheduling) and
// probes_health.go (a silent node's conditions and taints).
package quiz
