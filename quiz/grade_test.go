package quiz

import (
	"testing"
)

// prepared builds a prepared question without a cluster.
func prepared(kind Kind, choices []Choice, expected Value) Prepared {
	return Prepared{Question: Question{ID: "q", Kind: kind, Text: "quiz.test"}, Choices: choices, Expected: expected}
}

func literals(keys ...string) []Choice {
	out := make([]Choice, len(keys))
	for i, k := range keys {
		out[i] = Choice{Key: k, Literal: k}
	}
	return out
}

type gradeCase struct {
	input   string
	correct bool
	given   string // checked when not empty
}

func checkGrades(t *testing.T, name string, p Prepared, labels map[string][]string, cases []gradeCase) {
	t.Helper()
	for _, c := range cases {
		r := GradeWithLabels(p, c.input, labels)
		if r.Correct != c.correct {
			t.Errorf("%s: Grade(%q) correct = %v, want %v (expected %q, given %q)", name, c.input, r.Correct, c.correct, r.Expected, r.Given)
		}
		if c.given != "" && r.Given != c.given {
			t.Errorf("%s: Grade(%q) given = %q, want %q", name, c.input, r.Given, c.given)
		}
		if r.Expected != Reveal(p) {
			t.Errorf("%s: Result.Expected = %q, Reveal = %q", name, r.Expected, Reveal(p))
		}
	}
}

func TestGradeChoice(t *testing.T) {
	nodes := prepared(SingleChoice, literals("node-1", "node-2"), textValue("node-2"))
	checkGrades(t, "nodes", nodes, nil, []gradeCase{
		{"node-2", true, "node-2"},
		{"2", true, "node-2"},
		{"２", true, "node-2"},
		{"二", true, "node-2"},
		{" NODE-2。", true, "node-2"},
		{"ｎｏｄｅ－２", true, "node-2"},
		{"1", false, "node-1"},
		{"node-1", false, "node-1"},
		{"3", false, "3"},
		{"0", false, ""},
		{"", false, ""},
		{"node", false, "node"},
	})

	yn := prepared(SingleChoice, yesNoChoices(), textValue("no"))
	labels := map[string][]string{"yes": {"yes", "是"}, "no": {"no", "否"}}
	checkGrades(t, "yes/no", yn, labels, []gradeCase{
		{"no", true, "no"},
		{"No.", true, "no"},
		{"2", true, "no"},
		{"n", true, "no"},
		{"false", true, "no"},
		{"否", true, "no"},
		{"不", true, "no"},
		{"不是", true, "no"},
		{"没有", true, "no"},
		{"yes", false, "yes"},
		{"是的", false, "yes"},
		{"1", false, "yes"},
		{"maybe", false, "maybe"},
	})
	// Without labels, yes/no words still pick the yes/no keys.
	checkGrades(t, "yes/no without labels", yn, nil, []gradeCase{{"否", true, "no"}, {"对", false, "yes"}})

	labelled := prepared(SingleChoice, []Choice{
		{Key: "etcd", Label: "quiz.c_etcd"}, {Key: "apiserver", Label: "quiz.c_api"}, {Key: "kubelet", Label: "quiz.c_kubelet"},
	}, textValue("apiserver"))
	labels = map[string][]string{"apiserver": {"The API server", "API 服务器", "the front door"}, "etcd": {"etcd"}}
	checkGrades(t, "labels", labelled, labels, []gradeCase{
		{"apiserver", true, "apiserver"},
		{"2", true, "apiserver"},
		{"the api server", true, "apiserver"},
		{"The  API server.", true, "apiserver"},
		{"api 服务器", true, "apiserver"},
		{"ＡＰＩ 服务器", true, "apiserver"},
		{"The front door", true, "apiserver"},
		{"etcd", false, "etcd"},
		{"3", false, "kubelet"},
	})
	// Grade alone knows no label texts, only the glossary's words for the parts of a cluster.
	checkGrades(t, "labels unknown to Grade", labelled, nil, []gradeCase{{"the front door", false, "the front door"},
		{"apiserver", true, ""}, {"the api server", true, "apiserver"}, {"kube-apiserver", true, "apiserver"}})

	// A key wins over a number, so that Reveal's form is never misread.
	numeric := prepared(SingleChoice, literals("5", "2"), textValue("2"))
	checkGrades(t, "numeric keys", numeric, nil, []gradeCase{{"2", true, "2"}, {"1", false, "5"}, {"5", false, "5"}, {"二", true, "2"}})
}

func TestGradeMulti(t *testing.T) {
	p := prepared(Multi, []Choice{
		{Key: "apiserver", Label: "quiz.a"}, {Key: "etcd", Literal: "etcd"}, {Key: "scheduler", Label: "quiz.s"}, {Key: "kubelet", Literal: "kubelet"},
	}, listValue([]string{"apiserver", "kubelet"}))
	labels := map[string][]string{"apiserver": {"API server", "API 服务器"}, "scheduler": {"调度器"}}
	checkGrades(t, "multi", p, labels, []gradeCase{
		{"apiserver,kubelet", true, "apiserver,kubelet"},
		{"kubelet, apiserver", true, "kubelet,apiserver"},
		{"1,4", true, "apiserver,kubelet"},
		{"1 4", true, "apiserver,kubelet"},
		{"4 , 1", true, ""},
		{"1，4", true, ""},
		{"1、4", true, ""},
		{"１、４。", true, ""},
		{"一、四", true, ""},
		{"1;4", true, ""},
		{"api server, 4", true, "apiserver,kubelet"},
		{"API 服务器、kubelet", true, ""},
		{"1,4,1", true, ""}, // a repeat changes nothing
		{"1", false, "apiserver"},
		{"1,2,4", false, "apiserver,etcd,kubelet"},
		{"1,5", false, "apiserver,5"},
		{"1,,4", true, ""},
		{"", false, ""},
		{",", false, ""},
		{"all", false, "all"},
	})
	none := prepared(Multi, literals("a", "b"), listValue(nil))
	checkGrades(t, "multi none", none, nil, []gradeCase{{"none", true, "none"}, {"无", true, ""}, {"a", false, ""}})
}

func TestGradeOrder(t *testing.T) {
	p := prepared(Order, literals("deployment-controller", "replicaset-controller", "default-scheduler", "kubelet"),
		listValue([]string{"deployment-controller", "replicaset-controller", "default-scheduler", "kubelet"}))
	checkGrades(t, "order", p, nil, []gradeCase{
		{"1,2,3,4", true, "deployment-controller,replicaset-controller,default-scheduler,kubelet"},
		{"1 2 3 4", true, ""},
		{"1、2、3、4", true, ""},
		{"一二三四", false, ""}, // not separated
		{"一 二 三 四", true, ""},
		{"deployment-controller, replicaset-controller, default-scheduler, kubelet", true, ""},
		{"1,2,4,3", false, "deployment-controller,replicaset-controller,kubelet,default-scheduler"},
		{"1,2,3", false, ""},
		{"1,2,3,4,4", false, ""},
		{"4,3,2,1", false, ""},
		{"1,2,3,x", false, "deployment-controller,replicaset-controller,default-scheduler,x"},
	})
}

func TestGradeNumber(t *testing.T) {
	p := prepared(Number, nil, numberValue(3))
	checkGrades(t, "number", p, nil, []gradeCase{
		{"3", true, "3"},
		{" 3 ", true, "3"},
		{"3.", true, "3"},
		{"３", true, "3"},
		{"三", true, "3"},
		{"三个", true, "3"},
		{"three", true, "3"},
		{"2", false, "2"},
		{"两", false, "2"},
		{"3 pods", false, "3 pods"},
		{"", false, ""},
	})
	two := prepared(Number, nil, numberValue(2))
	checkGrades(t, "two", two, nil, []gradeCase{{"两", true, "2"}, {"二", true, "2"}, {"2个", true, "2"}})
	big := prepared(Number, nil, numberValue(105))
	checkGrades(t, "105", big, nil, []gradeCase{{"105", true, ""}, {"一百零五", true, ""}, {"１０５", true, ""}})
}

func TestGradeText(t *testing.T) {
	name := prepared(Text, nil, textValue("web-5d8b7c6f94"))
	checkGrades(t, "name", name, nil, []gradeCase{
		{"web-5d8b7c6f94", true, "web-5d8b7c6f94"},
		{"  WEB-5D8B7C6F94. ", true, "web-5d8b7c6f94"},
		{"ｗｅｂ-5d8b7c6f94", true, ""},
		{"`web-5d8b7c6f94`", true, ""},
		{"web-5d8b7c6f9", false, ""},
		{"web", false, ""},
	})
	owner := prepared(Text, nil, textValue("ReplicaSet/web-5d8b7c6f94"))
	checkGrades(t, "owner", owner, nil, []gradeCase{
		{"ReplicaSet/web-5d8b7c6f94", true, ""},
		{"replicaset/web-5d8b7c6f94", true, ""},
		{"rs/web-5d8b7c6f94", true, ""},
		{"replicaset.apps/web-5d8b7c6f94", true, ""},
		{"replicasets/web-5d8b7c6f94", true, ""},
		{"web-5d8b7c6f94", true, ""},
		{"Deployment/web-5d8b7c6f94", false, ""},
		{"Deployment/web", false, ""},
		{"foo/web-5d8b7c6f94", false, ""},
		{"rs/web", false, ""},
	})
	none := prepared(Text, nil, textValue("none"))
	checkGrades(t, "no owner", none, nil, []gradeCase{{"none", true, ""}, {"<none>", true, ""}, {"无", true, ""}, {"没有", true, ""}, {"Nothing.", true, ""}, {"rs", false, ""}})
	key := prepared(Text, nil, textValue("/registry/pods/default/web-5d8b7c6f94-x2k9q"))
	checkGrades(t, "etcd key", key, nil, []gradeCase{
		{"/registry/pods/default/web-5d8b7c6f94-x2k9q", true, ""},
		{"registry/pods/default/web-5d8b7c6f94-x2k9q", true, ""},
		{"/registry/pods/default/web-5d8b7c6f94-x2k9q/", true, ""},
		{"/registry/pods/web-5d8b7c6f94-x2k9q", false, ""},
		{"web-5d8b7c6f94-x2k9q", false, ""},
	})
	yes := prepared(Text, nil, textValue("yes"))
	checkGrades(t, "yes as text", yes, nil, []gradeCase{{"是", true, "是"}, {"Y", true, ""}, {"不", false, ""}})
	status := prepared(Text, nil, textValue("ContainerCreating"))
	checkGrades(t, "status", status, nil, []gradeCase{{"containercreating", true, ""}, {"ContainerCreating", true, ""}, {"Pending", false, ""}})
}

func TestGradeNext(t *testing.T) {
	tests := []struct {
		next  string
		right []string
		wrong []string
	}{
		{"kubelet/node-1",
			[]string{"kubelet/node-1", "kubelet", "Kubelet", "kubelet node-1", "kubelet-node-1", "ｋｕｂｅｌｅｔ"},
			[]string{"kubelet/node-2", "containerd", "scheduler", "node-1", ""}},
		{"containerd/node-2",
			[]string{"containerd/node-2", "containerd", "runtime", "container runtime", "Container Runtime.", "容器运行时", "cri"},
			[]string{"containerd/node-1", "kubelet", "docker"}},
		{"default-scheduler",
			[]string{"default-scheduler", "scheduler", "kube-scheduler", "Kube-Scheduler", "调度器", "default scheduler"},
			[]string{"kube-controller-manager", "kubelet", "scheduler/node-1"}},
		{"deployment-controller",
			[]string{"deployment-controller", "deployment controller", "kube-controller-manager", "controller-manager", "controller manager", "控制器管理器"},
			[]string{"replicaset-controller", "scheduler", "deployment"}},
		{"replicaset-controller",
			[]string{"replicaset-controller", "kube-controller-manager", "controller-manager"},
			[]string{"deployment-controller", "garbage-collector"}},
		{"garbage-collector",
			[]string{"garbage-collector", "garbage collector", "kube-controller-manager", "controller-manager"},
			[]string{"kubelet"}},
		{"",
			[]string{"none", "nothing", "idle", "无", "没有"},
			[]string{"kubelet", "scheduler", ""}},
	}
	for _, tt := range tests {
		p := prepared(Next, nil, textValue(tt.next))
		for _, in := range tt.right {
			if r := Grade(p, in); !r.Correct {
				t.Errorf("next %q: Grade(%q) = %+v, want correct", tt.next, in, r)
			}
		}
		for _, in := range tt.wrong {
			if r := Grade(p, in); r.Correct {
				t.Errorf("next %q: Grade(%q) = %+v, want wrong", tt.next, in, r)
			}
		}
	}

	// With choices from the components probe, a number picks a kind of component.
	comps := literals("deployment-controller", "replicaset-controller", "garbage-collector", "default-scheduler", "kubelet", "containerd")
	p := prepared(Next, comps, textValue("kubelet/node-2"))
	checkGrades(t, "next with choices", p, nil, []gradeCase{
		{"5", true, "kubelet"},
		{"五", true, "kubelet"},
		{"kubelet", true, "kubelet"},
		{"kubelet/node-2", true, "kubelet/node-2"},
		{"kubelet/node-1", false, "kubelet/node-1"},
		{"6", false, "containerd"},
		{"4", false, "default-scheduler"},
	})
	p = prepared(Next, comps, textValue("default-scheduler"))
	checkGrades(t, "next scheduler with choices", p, nil, []gradeCase{{"4", true, ""}, {"scheduler", true, ""}, {"1", false, ""}})
	if got := Reveal(prepared(Next, comps, textValue(""))); got != "none" {
		t.Errorf("Reveal for an idle cluster = %q, want none", got)
	}
}

func TestReveal(t *testing.T) {
	tests := []struct {
		p    Prepared
		want string
	}{
		{prepared(SingleChoice, yesNoChoices(), textValue("yes")), "yes"},
		{prepared(Multi, literals("a", "b", "c"), listValue([]string{"a", "c"})), "a,c"},
		{prepared(Multi, literals("a", "b"), listValue(nil)), "none"},
		{prepared(Order, literals("a", "b", "c"), listValue([]string{"c", "a", "b"})), "c,a,b"},
		{prepared(Number, nil, numberValue(3)), "3"},
		{prepared(Text, nil, textValue("ReplicaSet/web-1")), "ReplicaSet/web-1"},
		{prepared(Next, nil, textValue("kubelet/node-1")), "kubelet/node-1"},
		{prepared(Next, nil, textValue("")), "none"},
	}
	for _, tt := range tests {
		if got := Reveal(tt.p); got != tt.want {
			t.Errorf("Reveal(%s %+v) = %q, want %q", tt.p.Question.Kind, tt.p.Expected, got, tt.want)
		}
		if r := Grade(tt.p, tt.want); !r.Correct {
			t.Errorf("Grade(Reveal) for %s %+v: %+v", tt.p.Question.Kind, tt.p.Expected, r)
		}
	}
}

// TestGradeProblems: answers without the question's form are neither right nor wrong: they say
// what is wrong with them, and the lesson asks again without spending a try.
func TestGradeProblems(t *testing.T) {
	three := prepared(SingleChoice, literals("kube-apiserver", "etcd", "kubelet"), textValue("etcd"))
	yn := prepared(SingleChoice, yesNoChoices(), textValue("no"))
	multi := prepared(Multi, literals("a", "b", "c"), listValue([]string{"a", "c"}))
	order := prepared(Order, literals("containerd", "default-scheduler", "kubelet"), listValue([]string{"default-scheduler", "kubelet", "containerd"}))
	next := prepared(Next, literals("deployment-controller", "default-scheduler", "kubelet", "containerd"), textValue("kubelet/node-1"))
	labels := map[string][]string{"yes": {"yes", "是"}, "no": {"no", "否"}}
	tests := []struct {
		name    string
		p       Prepared
		input   string
		problem Problem
		correct bool
	}{
		{"empty", three, "  ", ProblemEmpty, false},
		{"number out of range", three, "4", ProblemOutOfRange, false},
		{"zero", three, "0", ProblemOutOfRange, false},
		{"chinese number out of range", three, "七", ProblemOutOfRange, false},
		{"none of the choices", three, "kube-proxy", ProblemNotAChoice, false},
		{"two for one", three, "1,2", ProblemNotAChoice, false},
		{"a valid wrong choice", three, "1", "", false},
		{"the lesson's words", three, "The API server", "", false},
		{"as listed", three, "2) etcd", "", true},
		{"as listed, number only", three, "2)", "", true},
		{"as listed, wrong text", three, "2) kubelet", ProblemNotAChoice, false},
		{"listed number out of range", three, "9) etcd", ProblemOutOfRange, false},
		{"yes/no gibberish", yn, "maybe", ProblemNotAChoice, false},
		{"yes/no revealed", yn, "2) 否", "", true},
		{"yes/no wrong", yn, "是", "", false},
		{"multi unknown item", multi, "a,x", ProblemNotAChoice, false},
		{"multi out of range", multi, "1,5", ProblemOutOfRange, false},
		{"multi as listed", multi, "1) a; 3) c", "", true},
		{"multi as listed, zh", multi, "1) a；3) c", "", true},
		{"multi wrong", multi, "1,2", "", false},
		{"order too short", order, "2,3", ProblemOrderAll, false},
		{"order repeated", order, "2,2,3", ProblemOrderAll, false},
		{"order too long", order, "2,3,1,1", ProblemOrderAll, false},
		{"order unknown", order, "2,3,x", ProblemNotAChoice, false},
		{"order as listed", order, "2) default-scheduler; 3) kubelet; 1) containerd", "", true},
		{"order wrong", order, "1,2,3", "", false},
		{"next by node", next, "kubelet node-1", "", true},
		{"next other node", next, "kubelet/node-2", "", false},
		{"next the lesson's words", next, "the container runtime", "", false},
		{"next host program", next, "kube-controller-manager", "", false},
		{"next out of range", next, "9", ProblemOutOfRange, false},
		{"next not a choice", next, "kube-proxy", ProblemNotAChoice, false},
		{"next none", next, "none", "", false},
	}
	for _, tt := range tests {
		r := GradeWithLabels(tt.p, tt.input, labels)
		if r.Problem != tt.problem || r.Correct != tt.correct {
			t.Errorf("%s: Grade(%q) = problem %q correct %v, want %q %v (%+v)", tt.name, tt.input, r.Problem, r.Correct, tt.problem, tt.correct, r)
		}
	}
}

// TestGlossaryWords: the words the lessons use for the parts of a cluster pick those choices, in
// either language, and never another choice.
func TestGlossaryWords(t *testing.T) {
	p := prepared(SingleChoice, literals("kubectl", "kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler", "kubelet", "containerd"), textValue("etcd"))
	for in, want := range map[string]string{
		"API server": "kube-apiserver", "the API server": "kube-apiserver", "apiserver": "kube-apiserver",
		"the controller manager": "kube-controller-manager", "控制器管理器": "kube-controller-manager",
		"the scheduler": "kube-scheduler", "default-scheduler": "kube-scheduler", "调度器": "kube-scheduler",
		"the container runtime": "containerd", "容器运行时": "containerd", "ＣＲＩ": "containerd", "the kubelet": "kubelet",
	} {
		if r := Grade(p, in); r.Given != want || !r.Valid() {
			t.Errorf("Grade(%q) = %+v, want %s", in, r, want)
		}
	}
}

func TestGradeNextAsListed(t *testing.T) {
	next := prepared(Next, literals("deployment-controller", "kubelet", "containerd"), textValue("kubelet/node-1"))
	for in, want := range map[string]struct {
		problem Problem
		correct bool
	}{
		"2) kubelet/node-1":    {"", true},
		"2) kubelet":           {"", true},
		"2)":                   {"", true},
		"2) kubelet/node-2":    {"", false},
		"3) kubelet/node-1":    {ProblemNotAChoice, false},
		"4) kubelet/node-1":    {ProblemOutOfRange, false},
		"1) the controller":    {ProblemNotAChoice, false},
		"3) containerd/node-1": {"", false},
	} {
		if r := Grade(next, in); r.Problem != want.problem || r.Correct != want.correct {
			t.Errorf("Grade(%q) = %+v, want problem %q correct %v", in, r, want.problem, want.correct)
		}
	}
}
