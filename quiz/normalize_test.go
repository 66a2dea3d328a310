package quiz

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  web  ", "web"},
		{"Web-5D8B", "web-5d8b"},
		{"ｗｅｂ－１", "web-1"},       // full-width letters, hyphen and digit
		{"３", "3"},               // full-width digit
		{"node-1。", "node-1"},    // Chinese full stop
		{"node-1.", "node-1"},    // ASCII full stop
		{"yes!", "yes"},          // exclamation
		{"是！", "是"},              // full-width exclamation
		{"3.!。 ", "3"},           // several trailing marks
		{"a   b\tc", "a b c"},    // runs of spaces
		{"a\u3000b", "a b"},      // ideographic space
		{"\"web\".", "web"},      // quotes and a full stop
		{"“kubelet”", "kubelet"}, // curly quotes
		{"「是」", "是"},             // corner brackets
		{"a，b、c", "a,b、c"},       // the full-width comma folds; 、 stays
		{"/registry/pods/", "/registry/pods/"},
		{"KUBE-SCHEDULER", "kube-scheduler"},
		{"3?", "3?"}, // a question mark is not dropped
	}
	for _, tt := range tests {
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestYesNo(t *testing.T) {
	for _, s := range []string{"yes", "Y", "TRUE", "是", "对", "是的", "有", "Yes.", "是。", "ｙｅｓ", "会", "会。", "能"} {
		if ans, ok := yesNo(normalize(s)); !ok || !ans {
			t.Errorf("yesNo(%q) = %v, %v; want yes", s, ans, ok)
		}
	}
	for _, s := range []string{"no", "N", "false", "否", "不", "不是", "没有", "No!", "ｎｏ", "不会", "不能"} {
		if ans, ok := yesNo(normalize(s)); !ok || ans {
			t.Errorf("yesNo(%q) = %v, %v; want no", s, ans, ok)
		}
	}
	for _, s := range []string{"", "maybe", "yess", "是不是", "1"} {
		if _, ok := yesNo(normalize(s)); ok {
			t.Errorf("yesNo(%q) reads as an answer", s)
		}
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"3", 3, true},
		{"３", 3, true},
		{"１２", 12, true},
		{"0", 0, true},
		{"-1", -1, true},
		{"three", 3, true},
		{"Ten", 10, true},
		{"零", 0, true},
		{"〇", 0, true},
		{"一", 1, true},
		{"二", 2, true},
		{"两", 2, true},
		{"三", 3, true},
		{"九", 9, true},
		{"十", 10, true},
		{"十一", 11, true},
		{"十五", 15, true},
		{"二十", 20, true},
		{"二十三", 23, true},
		{"两百", 200, true},
		{"一百零五", 105, true},
		{"三千零二十", 3020, true},
		{"3个", 3, true},
		{"三个", 3, true},
		{"3 个", 3, true},
		{"50s", 50, true},
		{"50 seconds", 50, true},
		{"300 sec", 300, true},
		{"50秒", 50, true},
		{"五十秒", 50, true},
		{"300 秒钟", 300, true},
		{"s", 0, false},
		{"秒", 0, false},
		{"50 ms", 0, false},
		{"5m", 0, false},
		{"", 0, false},
		{"个", 0, false},
		{"three pods", 0, false},
		{"三三", 0, false},
		{"十十", 0, false},
		{"百", 0, false},
		{"二十百", 0, false},
		{"三零", 0, false},
		{"3.5", 0, false},
		{"x", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseNumber(normalize(tt.in))
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseNumber(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseRef(t *testing.T) {
	r, err := ParseRef("  pod-count   selector=app=web status=Running ")
	if err != nil {
		t.Fatal(err)
	}
	if r.Probe != "pod-count" || r.Args["selector"] != "app=web" || r.Args["status"] != "Running" || len(r.Args) != 2 {
		t.Errorf("ParseRef = %+v", r)
	}
	if got := r.String(); got != "pod-count selector=app=web status=Running" {
		t.Errorf("String() = %q", got)
	}
	if r, err := ParseRef("nodes"); err != nil || r.Probe != "nodes" || len(r.Args) != 0 {
		t.Errorf("ParseRef(nodes) = %+v, %v", r, err)
	}
	for _, bad := range []string{"", "   ", "Pod-count", "pod_count", "-x", "x-", "pod-count selector", "pod-count =web",
		"pod-count selector=", "pod-count a=1 a=2", "pod-count Sel=x", "9lives"} {
		if _, err := ParseRef(bad); err == nil {
			t.Errorf("ParseRef(%q) succeeded", bad)
		}
	}
}
