package hashtext

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"testing"
	"time"
	"unsafe"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/dump"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/randfill"
)

// The tests hold Append to dump.ForHash, the reference, byte for byte.

// checkSameAsDump fails the test where Append's text for v differs from dump.ForHash's.
func checkSameAsDump(t testing.TB, name string, v any) {
	t.Helper()
	want := dump.ForHash(v)
	if got := string(Append(nil, v)); got != want {
		t.Fatalf("%s: differs from dump.ForHash\n%s", name, firstDifference(got, want))
	}
}

// firstDifference shows where got and want part, with some context.
func firstDifference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(i-120, 0)
	excerpt := func(s string) string { return s[min(from, len(s)):min(i+80, len(s))] }
	return "at byte " + strconv.Itoa(i) + " of " + strconv.Itoa(len(want)) + ":\ngot  …" + excerpt(got) + "\nwant …" + excerpt(want)
}

func TestAppendAppends(t *testing.T) {
	got := string(Append([]byte("prefix "), []string{"a", "b"}))
	if want := "prefix ([]string)[a b]"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestAppendFormat pins the format on small values, quirks included, independently of spew.
func TestAppendFormat(t *testing.T) {
	one := 1
	type pair struct {
		A []*int
		B int
	}
	cases := []struct {
		v    any
		want string
	}{
		{nil, "(interface {})<nil>"},
		{"a \"b\"", `(string)a "b"`},
		{[]byte{0, 255}, "([]uint8)[0 255]"},
		{map[string]int{"b": 2, "a": 1}, "(map[string]int)map[a:1 b:2]"},
		{&one, "(*int)1"},
		{pair{A: []*int{&one}}, "(hashtext.pair){A:([]*int)[<*>1] B:(int)0}"},
		// After a nil pointer in a slice spew forgets to print the next field's type.
		{pair{A: []*int{nil}}, "(hashtext.pair){A:([]*int)[<nil>] B:0}"},
		{[]any{nil, 1, &one}, "([]interface {})[(interface {})<nil> (int)1 (*int)1]"},
		{struct{ X, y *int }{&one, nil}, "(struct { X *int; y *int }){X:(*int)1 y:(*int)<nil>}"},
	}
	for _, c := range cases {
		if got := string(Append(nil, c.v)); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
		checkSameAsDump(t, c.want, c.v)
	}
}

func TestAppendRefusesKeysSpewOrdersByFormatting(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	Append(nil, map[inner]int{{N: 1}: 1})
}

type inner struct {
	N int
	s string
}

type node struct {
	Next *node
	Val  int
}

type Embedded struct{ E []string }

type generic[T any] struct{ V T }

type withEmbedded struct {
	inner
	*Embedded
	Tag string
}

// TestAppendMatchesDumpOnKinds covers every kind and the corners of spew's format.
func TestAppendMatchesDumpOnKinds(t *testing.T) {
	x, y := 7, 8
	px := &x
	var nilInt *int
	var anyNil any
	anyInt := any(&x)
	cycle := &node{Val: 1}
	cycle.Next = &node{Next: cycle, Val: 2}
	local := time.Date(2026, 1, 5, 9, 0, 0, 0, time.Local)
	ch := make(chan int)
	fn := func() {}
	negZero := math.Copysign(0, -1)

	cases := map[string]any{
		"nil":         nil,
		"bool":        []bool{true, false},
		"ints":        []any{int(-1), int8(math.MinInt8), int16(math.MinInt16), int32(math.MinInt32), int64(math.MinInt64)},
		"uints":       []any{uint(1), uint8(255), uint16(math.MaxUint16), uint32(math.MaxUint32), uint64(math.MaxUint64)},
		"uintptrs":    []uintptr{0, 1, 0xdeadbeef},
		"floats":      []any{float32(0.1), 0.1, float32(16777217), 1e21, 1e-7, math.Inf(1), math.Inf(-1), math.NaN(), negZero},
		"complexes":   []any{complex64(1 - 2i), complex(0, negZero), complex(math.NaN(), math.NaN()), complex(1, math.Inf(1)), complex(-1, -1)},
		"strings":     []string{"", "with \"quotes\" and\nnewline\t", "ユニコード ✓ ☃", "\xff\xfe invalid", "a:b c]d"},
		"bytes":       struct{ Nil, Empty, Some []byte }{nil, []byte{}, []byte{0, 1, 127, 128, 255}},
		"byte array":  [3]byte{1, 2, 3},
		"empty array": [0]int{},
		"nil slice":   []int(nil),
		"empty slice": []int{},
		"slice":       []int{3, 1, 2},
		"nil map":     map[string]int(nil),
		"empty map":   map[string]int{},
		"string keys": map[string]int{"b": 2, "a": 1, "": 0, "B": 3, "ä": 4},
		"int keys":    map[int]string{-5: "a", 3: "b", 0: "c", math.MinInt: "d"},
		"uint keys":   map[uint8]bool{200: true, 2: false, 20: true},
		"bool keys":   map[bool]int{true: 1, false: 0},
		"float keys":  map[float64]string{1.5: "a", -2: "b", math.Inf(1): "c", 0: "d"},
		"array keys":  map[[2]int]string{{1, 2}: "a", {1, 1}: "b", {0, 9}: "c"},
		"named keys":  corev1.ResourceList{"memory": resource.MustParse("1Gi"), "cpu": resource.MustParse("100m")},
		"map of maps": map[string]map[string]int{"x": {"b": 1, "a": 2}, "w": nil},
		"nil pointer": nilInt,
		"pointer":     px,
		"ptr to ptr":  &px,
		"ptr to nil":  &nilInt,
		"ptr ptr nil": func() ***int { p := &nilInt; return &p }(),
		"ptr to any":  &anyNil,
		"ptr any ptr": &anyInt,
		"top pointer": &corev1.PodTemplateSpec{},
		"ptr slice":   []*int{px, nil, &y},
		"nil last": struct {
			A []*int
			B int
			C string
		}{A: []*int{px, nil}},
		"nil first": struct {
			A []*int
			B int
		}{A: []*int{nil, px}},
		"nil in map": struct {
			M map[string]*int
			B int
		}{M: map[string]*int{"a": px, "b": nil}},
		"nil in array": struct {
			A [2]*int
			B int
		}{A: [2]*int{px, nil}},
		"nil struct": struct {
			A []*inner
			B inner
		}{A: []*inner{nil}},
		"interfaces": []any{nil, 1, "s", px, nilInt, []int{1}, map[string]any{"k": nil, "j": px},
			inner{N: 1}, &inner{s: "x"}, []any{nil}},
		"error":  struct{ E, F error }{E: errors.New("boom")},
		"cycle":  cycle,
		"shared": struct{ A, B *int }{px, px},
		"shared deeper": struct {
			A *int
			B struct{ C *int }
		}{px, struct{ C *int }{px}},
		"shared in slice": struct {
			A *int
			S []*int
		}{px, []*int{px, px}},
		"zero-size pointees": struct {
			A *struct{}
			B struct{ C *struct{} }
		}{new(struct{}), struct{ C *struct{} }{new(struct{})}},
		"unexported": inner{N: 1, s: "hidden"},
		"embedded":   withEmbedded{inner: inner{N: 2}, Embedded: &Embedded{E: []string{"e"}}, Tag: "t"},
		"nil embed":  withEmbedded{},
		"generic":    generic[corev1.Container]{V: corev1.Container{Name: "c"}},
		"generic map": generic[map[corev1.ResourceName]*resource.Quantity]{
			V: map[corev1.ResourceName]*resource.Quantity{"cpu": resource.NewMilliQuantity(5, resource.DecimalSI)}},
		"funcs and chans": struct {
			F, G func()
			C, D chan int
			U, V unsafe.Pointer
		}{F: fn, C: ch, U: unsafe.Pointer(px)},
		"utc time":   time.Date(2026, 1, 5, 9, 0, 0, 5, time.UTC),
		"local time": local,
		// The same *time.Location met at two depths: spew shows it the second time as <shown>.
		"local times": struct {
			A time.Time
			B struct{ C metav1.Time }
			D *metav1.Time
		}{local, struct{ C metav1.Time }{metav1.NewTime(local)}, &metav1.Time{Time: local}},
		"int or string": []intstr.IntOrString{intstr.FromInt32(8080), intstr.FromString("http")},
		"quantities":    quantities(),
	}
	for name, v := range cases {
		checkSameAsDump(t, name, v)
	}
}

// quantityTexts are quantities in the forms manifests use, and some that need an inf.Dec.
var quantityTexts = []string{"0", "100m", "250m", "1", "0.5", "1.5", "2", "64Mi", "1Gi", "1.5Gi", "128974848",
	"129e6", "129M", "123Mi", "1e3", "1E-2", "12345678901234567890", "0.000000001", "1n", "5u", "-1",
	"-0.25Ki", "9223372036854775807", "99999999999999999999999999999999", "0.1234567890123456789", "1Ei"}

// quantities are resource.Quantity values from each of the ways to make one, with and without
// their cached string.
func quantities() []resource.Quantity {
	var qs []resource.Quantity
	for _, s := range quantityTexts {
		q := resource.MustParse(s)
		qs = append(qs, q)
		_ = q.String()
		qs = append(qs, q)
		var fromJSON resource.Quantity
		if err := json.Unmarshal([]byte(`"`+s+`"`), &fromJSON); err != nil {
			panic(err)
		}
		qs = append(qs, fromJSON)
	}
	qs = append(qs, resource.Quantity{}, *resource.NewQuantity(5, resource.BinarySI),
		*resource.NewMilliQuantity(1500, resource.DecimalSI), *resource.NewScaledQuantity(3, resource.Giga))
	big := resource.MustParse("1")
	big.Mul(1 << 62)
	big.Mul(1 << 62)
	return append(qs, big)
}

// TestAppendMatchesDumpOnPodTemplates covers the pod templates a user's manifests can hold.
func TestAppendMatchesDumpOnPodTemplates(t *testing.T) {
	for name, tmpl := range podTemplates() {
		checkSameAsDump(t, name, tmpl)
	}
}

func podTemplates() map[string]corev1.PodTemplateSpec {
	ptr := func(v int64) *int64 { return &v }
	yes, no := true, false
	mode := int32(0o644)
	q := resource.MustParse
	sizeLimit := q("1Gi")
	created := metav1.NewTime(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	full := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{
			Name: "web", GenerateName: "web-", Namespace: "default", UID: "00ac5e1b-6622-4c02-bc1f-e25eea42a6ac",
			Generation: 3, CreationTimestamp: created, DeletionTimestamp: &created, DeletionGracePeriodSeconds: ptr(30),
			Labels:          map[string]string{"app": "web", "tier": "front", "z": "", "A": "ü"},
			Annotations:     map[string]string{"note": "say \"hi\" — ☃\nsecond line", "empty": ""},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-1", Controller: &yes}},
			Finalizers:      []string{},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kubectl", Operation: metav1.ManagedFieldsOperationApply,
				Time: &created, FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: []byte(`{"f:spec":{}}`)}}},
		},
		Spec: corev1.PodSpec{
			Volumes: []corev1.Volume{
				{Name: "cache", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory, SizeLimit: &sizeLimit}}},
				{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
					LocalObjectReference: corev1.LocalObjectReference{Name: "cfg"}, DefaultMode: &mode,
					Items: []corev1.KeyToPath{{Key: "a", Path: "a.txt", Mode: nil}}, Optional: &no}}},
				{Name: "empty", VolumeSource: corev1.VolumeSource{}},
			},
			InitContainers: []corev1.Container{{Name: "init", Image: "busybox", Command: []string{"sh", "-c", "echo 'hi' \"there\""}}},
			Containers: []corev1.Container{{
				Name: "app", Image: "nginx:1.27", Args: []string{}, WorkingDir: "/srv",
				Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 8080, Protocol: corev1.ProtocolTCP}},
				EnvFrom: []corev1.EnvFromSource{{Prefix: "P_", ConfigMapRef: &corev1.ConfigMapEnvSource{
					LocalObjectReference: corev1.LocalObjectReference{Name: "cfg"}}}},
				Env: []corev1.EnvVar{
					{Name: "PLAIN", Value: "v"},
					{Name: "POD_NAME", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.name"}}},
					{Name: "LIMIT", ValueFrom: &corev1.EnvVarSource{ResourceFieldRef: &corev1.ResourceFieldSelector{Resource: "limits.memory", Divisor: q("1Mi")}}},
					{Name: "SECRET", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
						LocalObjectReference: corev1.LocalObjectReference{Name: "s"}, Key: "k", Optional: &yes}}},
				},
				Resources: corev1.ResourceRequirements{
					Limits:   corev1.ResourceList{"cpu": q("0.5"), "memory": q("128Mi"), "nvidia.com/gpu": q("1")},
					Requests: corev1.ResourceList{"cpu": q("100m"), "memory": q("64Mi"), "ephemeral-storage": q("1e3")},
				},
				VolumeMounts: []corev1.VolumeMount{{Name: "cache", MountPath: "/cache", ReadOnly: true}},
				LivenessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
					Path: "/healthz", Port: intstr.FromInt32(8080), Scheme: corev1.URISchemeHTTP,
					HTTPHeaders: []corev1.HTTPHeader{{Name: "X-Check", Value: "1"}}}},
					InitialDelaySeconds: 3, TimeoutSeconds: 1, PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3},
				ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromString("http")}}},
				StartupProbe:   &corev1.Probe{ProbeHandler: corev1.ProbeHandler{GRPC: &corev1.GRPCAction{Port: 9090}}, TerminationGracePeriodSeconds: ptr(5)},
				Lifecycle: &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: []string{"sleep", "5"}}},
					PostStart: &corev1.LifecycleHandler{Sleep: &corev1.SleepAction{Seconds: 1}}},
				TerminationMessagePath: "/dev/termination-log", TerminationMessagePolicy: corev1.TerminationMessageReadFile,
				ImagePullPolicy: corev1.PullIfNotPresent,
				SecurityContext: &corev1.SecurityContext{Capabilities: &corev1.Capabilities{Add: []corev1.Capability{"NET_ADMIN"}, Drop: nil},
					RunAsUser: ptr(1000), RunAsNonRoot: &yes, ReadOnlyRootFilesystem: &no, AllowPrivilegeEscalation: &no,
					SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}},
				Stdin: true, TTY: true,
			}},
			RestartPolicy: corev1.RestartPolicyAlways, TerminationGracePeriodSeconds: ptr(30), ActiveDeadlineSeconds: ptr(600),
			DNSPolicy: corev1.DNSClusterFirst, NodeSelector: map[string]string{"disk": "ssd", "kubernetes.io/os": "linux"},
			ServiceAccountName: "default", AutomountServiceAccountToken: &no, HostNetwork: true,
			SecurityContext:  &corev1.PodSecurityContext{FSGroup: ptr(2000), SupplementalGroups: []int64{}, Sysctls: []corev1.Sysctl{{Name: "net.ipv4.ip_forward", Value: "1"}}},
			ImagePullSecrets: []corev1.LocalObjectReference{{Name: "regcred"}},
			Affinity: &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
				NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{
					{Key: "zone", Operator: corev1.NodeSelectorOpIn, Values: []string{"a", "b"}}}}}}},
				PodAntiAffinity: &corev1.PodAntiAffinity{PreferredDuringSchedulingIgnoredDuringExecution: []corev1.WeightedPodAffinityTerm{{
					Weight: 100, PodAffinityTerm: corev1.PodAffinityTerm{TopologyKey: "kubernetes.io/hostname",
						LabelSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}}}}}},
			SchedulerName: corev1.DefaultSchedulerName,
			Tolerations: []corev1.Toleration{
				{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: ptr(300)},
				{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "gpu", Effect: corev1.TaintEffectNoSchedule},
			},
			HostAliases: []corev1.HostAlias{{IP: "127.0.0.1", Hostnames: []string{"foo.local"}}},
			DNSConfig:   &corev1.PodDNSConfig{Nameservers: []string{"1.1.1.1"}, Options: []corev1.PodDNSConfigOption{{Name: "ndots", Value: nil}}},
			TopologySpreadConstraints: []corev1.TopologySpreadConstraint{{MaxSkew: 1, TopologyKey: "zone",
				WhenUnsatisfiable: corev1.DoNotSchedule, LabelSelector: &metav1.LabelSelector{}}},
			Overhead: corev1.ResourceList{},
		},
	}
	grace := int64(30)
	nginx := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "nginx", Image: "nginx",
				TerminationMessagePath: "/dev/termination-log", TerminationMessagePolicy: corev1.TerminationMessageReadFile,
				ImagePullPolicy: corev1.PullAlways}},
			RestartPolicy: corev1.RestartPolicyAlways, TerminationGracePeriodSeconds: &grace,
			DNSPolicy: corev1.DNSClusterFirst, SecurityContext: &corev1.PodSecurityContext{}, SchedulerName: corev1.DefaultSchedulerName,
		},
	}
	emptyCollections := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{}, Annotations: map[string]string{}, Finalizers: []string{}},
		Spec: corev1.PodSpec{Volumes: []corev1.Volume{}, Containers: []corev1.Container{{Command: []string{}, Env: []corev1.EnvVar{},
			Resources: corev1.ResourceRequirements{Limits: corev1.ResourceList{}, Claims: []corev1.ResourceClaim{}}}},
			NodeSelector: map[string]string{}, Tolerations: []corev1.Toleration{}},
	}
	return map[string]corev1.PodTemplateSpec{"zero": {}, "full": full, "nginx": nginx, "empty collections": emptyCollections}
}

// TestAppendMatchesDumpOnRandomPodTemplates fills pod templates at random, in several shapes.
func TestAppendMatchesDumpOnRandomPodTemplates(t *testing.T) {
	// 400 seeds keep go test ./... (with -race on CI) quick; FuzzAppendMatchesDump goes further.
	seeds := 400
	for seed := range int64(seeds) {
		var tmpl corev1.PodTemplateSpec
		randomFiller(seed, byte(seed)).Fill(&tmpl)
		checkSameAsDump(t, "seed "+strconv.Itoa(int(seed)), tmpl)
	}
}

// TestAppendMatchesDumpOnRandomValues fills a value of every kind at random, interfaces included.
func TestAppendMatchesDumpOnRandomValues(t *testing.T) {
	// 400 seeds keep go test ./... (with -race on CI) quick; FuzzAppendMatchesDump goes further.
	seeds := 400
	for seed := range int64(seeds) {
		var v allKinds
		randomFiller(seed, byte(seed)).MaxDepth(12).Fill(&v)
		checkSameAsDump(t, "seed "+strconv.Itoa(int(seed)), v)
	}
}

// FuzzAppendMatchesDump fills a pod template or a value of every kind from a seed and a shape
// taken from the fuzz input.
func FuzzAppendMatchesDump(f *testing.F) {
	f.Add(int64(0), byte(0))
	f.Add(int64(42), byte(0x81))
	f.Add(int64(-7), byte(0xff))
	f.Fuzz(func(t *testing.T, seed int64, shape byte) {
		filler := randomFiller(seed, shape)
		if shape&0x80 == 0 {
			var tmpl corev1.PodTemplateSpec
			filler.Fill(&tmpl)
			checkSameAsDump(t, "pod template", tmpl)
			return
		}
		var v allKinds
		filler.MaxDepth(12).Fill(&v)
		checkSameAsDump(t, "all kinds", v)
	})
}

// randomFiller is a randfill.Filler for seed; the bits of shape choose how likely nil pointers,
// slices and maps are, how long slices and maps are (empty ones included), and whether
// unexported fields are filled too (so Quantity and time.Time hold random internals).
func randomFiller(seed int64, shape byte) *randfill.Filler {
	nilChances := []float64{0.2, 0, 0.5, 0.9}
	return randfill.NewWithSeed(seed).
		NilChance(nilChances[shape&3]).
		NumElements(0, 1+int(shape>>2&3)).
		AllowUnexportedFields(shape&0x10 != 0 && shape&0x20 != 0).
		Funcs(fillQuantity, fillAny, fillError)
}

// fillQuantity gives a quantity made one of the ways the API machinery makes them.
func fillQuantity(q *resource.Quantity, c randfill.Continue) {
	switch c.Intn(5) {
	case 0:
		*q = resource.Quantity{}
	case 1:
		*q = resource.MustParse(quantityTexts[c.Intn(len(quantityTexts))])
	case 2:
		*q = *resource.NewMilliQuantity(c.Int63n(1<<40)-1<<39, resource.Format([]string{"DecimalSI", "BinarySI", "DecimalExponent"}[c.Intn(3)]))
	case 3:
		*q = *resource.NewScaledQuantity(c.Int63(), resource.Scale(c.Intn(40)-20))
	case 4:
		*q = resource.MustParse(strconv.Itoa(c.Intn(1000)) + "." + strconv.Itoa(c.Intn(1000000)) + []string{"", "m", "Ki", "Gi", "e3", "E-9", "n"}[c.Intn(7)])
	}
	if c.Bool() {
		_ = q.String() // caches the text in the unexported field s
	}
}

// fillAny gives an interface a value of one of several kinds, nil and nil pointers included.
func fillAny(a *any, c randfill.Continue) {
	switch c.Intn(10) {
	case 0:
		*a = nil
	case 1:
		*a = c.Int63() - c.Int63()
	case 2:
		*a = c.String(0)
	case 3:
		p := new(int32)
		c.Fill(p)
		*a = p
	case 4:
		*a = (*int)(nil)
	case 5:
		var v []any
		c.Fill(&v)
		*a = v
	case 6:
		var m map[string]any
		c.Fill(&m)
		*a = m
	case 7:
		var v inner
		c.Fill(&v)
		*a = v
	case 8:
		var p *inner
		c.Fill(&p)
		*a = p
	case 9:
		var q resource.Quantity
		c.Fill(&q)
		*a = q
	}
}

func fillError(e *error, c randfill.Continue) {
	if c.Bool() {
		*e = errors.New(c.String(0))
	}
}

// allKinds has a field of every kind randfill can fill, and the shapes spew treats specially.
type allKinds struct {
	B      bool
	I      int
	I8     int8
	I16    int16
	I32    int32
	I64    int64
	U      uint
	U8     uint8
	U16    uint16
	U32    uint32
	U64    uint64
	UP     uintptr
	F32    float32
	F64    float64
	C64    complex64
	C128   complex128
	S      string
	Named  corev1.Protocol
	Bytes  []byte
	Arr    [3]int16
	PtrArr [2]*int
	Ptr    *int
	PtrPtr **string
	PtrIn  *inner
	Slice  []inner
	PtrS   []*inner
	Anys   []any
	M      map[string]*inner
	MI     map[int8]string
	MB     map[bool]any
	MF     map[float32]int
	MA     map[[2]uint8]string
	MU     map[uint16][]byte
	MM     map[string]map[string]*int
	Any    any
	AnyPtr *any
	Err    error
	inner
	*Embedded
	unexported []string
	q          resource.Quantity
	Time       metav1.Time
	Gen        generic[*inner]
	Next       *allKinds
	Tmpl       *corev1.PodTemplateSpec
	After      string
}
