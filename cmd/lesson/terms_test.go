package lesson

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/locales"
	"github.com/k8slearn/k8slearn/quiz"
)

// namings are the ways a text may name what a choice stands for, by the choice's key, in English
// and Chinese: far more than any lesson uses. The test finds those a lesson's text does use.
var namings = map[string][]string{
	"kube-apiserver":          {"kube-apiserver", "API server", "the API server", "apiserver", "API 服务器"},
	"etcd":                    {"etcd"},
	"kubectl":                 {"kubectl"},
	"kube-scheduler":          {"kube-scheduler", "default-scheduler", "the scheduler", "scheduler", "调度器"},
	"kube-controller-manager": {"kube-controller-manager", "the controller manager", "controller manager", "控制器管理器"},
	"deployment-controller":   {"deployment-controller", "the deployment controller", "deployment controller", "deployment 控制器"},
	"replicaset-controller":   {"replicaset-controller", "the ReplicaSet controller", "replicaset 控制器"},
	"garbage-collector":       {"garbage-collector", "the garbage collector", "garbage collector", "垃圾回收器"},
	"kubelet":                 {"kubelet", "the kubelet"},
	"containerd":              {"containerd", "the container runtime", "container runtime", "the runtime", "容器运行时", "运行时"},
	"kube-proxy":              {"kube-proxy"},
	"docker":                  {"Docker", "dockershim"},
	"via_apiserver":           {"through the API server", "via the API server", "通过 API server", "经由 API server"},
	"cni":                     {"the network plugin", "network plugin", "the CNI plugin", "CNI 插件", "网络插件"},
	"pod":                     {"a bare Pod", "a single Pod", "one Pod", "裸 Pod"},
	"rolling":                 {"rolling update", "滚动更新"},
	"rollback":                {"rollback", "回滚"},
	"self_healing":            {"self-healing", "自愈"},
	"scored":                  {"scores", "打分"},
}

// namingsOf are the namings of a choice key; the scheduler's and the apiserver's keys vary.
func namingsOf(key string) []string {
	switch key {
	case "default-scheduler", "scheduler":
		return namings["kube-scheduler"]
	case "apiserver":
		return namings["kube-apiserver"]
	}
	return namings[key]
}

// TestTheLessonsWordsAreAccepted: every way a lesson's own text (in each language) names one of
// a question's choices picks that choice when typed as the answer, whatever its case, spacing or
// width (full-width letters).
func TestTheLessonsWordsAreAccepted(t *testing.T) {
	en, _ := locales.New("en")
	checked := 0
	for _, ls := range allLessons(t) {
		for _, lang := range locales.Supported() {
			loc, err := locales.New(lang)
			if err != nil {
				t.Fatal(err)
			}
			var text strings.Builder
			for _, id := range ls.MessageIDs() {
				text.WriteString(loc.T(id) + "\n")
			}
			for _, st := range ls.Steps {
				if st.Quiz == nil {
					continue
				}
				q := st.Quiz.Question()
				choices := q.Choices
				if q.ChoicesFrom == "components" {
					for _, k := range []string{"deployment-controller", "replicaset-controller", "garbage-collector", "default-scheduler", "kubelet", "containerd"} {
						choices = append(choices, quiz.Choice{Key: k, Literal: k})
					}
				}
				prep := quiz.Prepared{Question: q, Choices: choices}
				labels := quiz.Labels(prep, loc, en)
				for _, c := range choices {
					for _, name := range namingsOf(c.Key) {
						if !mentions(text.String(), name) {
							continue
						}
						for _, typed := range []string{name, strings.ToUpper(name), "  " + name + " ", fullWidth(name)} {
							checked++
							if q.Kind == quiz.Order { // the word as the first item of a whole order
								for i, other := range choices {
									if other.Key != c.Key {
										typed += "," + strconv.Itoa(i+1)
									}
								}
							}
							r := quiz.GradeWithLabels(prep, typed, labels)
							if !r.Valid() || !strings.HasPrefix(r.Given, c.Key) {
								t.Errorf("%s/%s (%s): the lesson says %q; typed as %q it reads %+v, not choice %s", ls.Name, q.ID, lang, name, typed, r, c.Key)
							}
						}
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no word was checked")
	}
}

// mentions reports whether text uses name as a word (any case).
func mentions(text, name string) bool {
	return regexp.MustCompile(`(?i)(^|[^\w-])` + regexp.QuoteMeta(name) + `($|[^\w-])`).MatchString(text)
}

// fullWidth writes ASCII letters and digits in their full-width forms, as a Chinese input method
// may type them.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f {
			return r - 0x21 + 0xff01
		}
		return r
	}, s)
}
