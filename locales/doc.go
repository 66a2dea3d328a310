// Package locales holds every learner-facing sentence of k8slearn, in English (en.toml) and Simplified
// Chinese (zh.toml), and renders them with go-i18n. The files are embedded; a Localizer loads only its
// own language plus English, which fills in for anything missing.
//
// What kubectl and the API server print (tables, events, error texts) is not translated: it is
// reproduced exactly as Kubernetes prints it and never goes through this package.
//
// # Message IDs
//
// An ID looks like area.name: lowercase letters, digits and underscores, separated by dots, the first
// part starting with a letter ("error.prefix", "quiz.rs_count.question"). An ID must not be the prefix
// of another ID ("lesson.intro" and "lesson.intro.more" cannot both exist), because go-i18n nests IDs
// as TOML tables.
//
// Code refers to a message by a string literal that is exactly the ID: passed to T or N
// (loc.T("error.prefix", ...)), or stored in a table (a struct field in Go, a value in a lesson file
// under lessons/). IDs built at run time are the exception: write the fixed part as one literal that
// ends in a dot ("component." + name) and list that prefix in dynamicIDPrefixes in usage_test.go.
//
// # Message files
//
// One TOML table per message, headed by its ID, in both files:
//
//	[quiz.rs_count]
//	description = "Asked after the Deployment is created. Name is the Deployment's name."
//	other = "How many ReplicaSets does Deployment {{.Name}} own now?"
//
// Keys are go-i18n's: other (required), one/zero/two/few/many for plurals, description (for the
// translator, in en.toml), leftdelim/rightdelim. Values are TOML strings: "basic" with escapes,
// 'literal', or """multi-line""". The files are read with BurntSushi/toml, go-i18n's own TOML
// library; msgfile.Parse adds the checks above (see internal/msgfile). The program does not
// parse them at run time: go generate ./locales compiles them into messages_gen.go, and
// TestCompiledMessagesMatchTheFiles fails when the two differ.
//
// Templates use Go text/template with the data given to T or N ({{.Name}}). N(id, count) picks the
// plural form and provides {{.Count}}; English uses one and other, Chinese only other.
//
// Chinese reads as a Chinese engineer writes it, not as a word-for-word translation. Kubernetes names
// stay in English (Pod, Deployment, ReplicaSet, kubelet, etcd, kube-apiserver), Chinese sentences use
// full-width punctuation (，。：；？！（）“”), and code, commands and template variables keep their
// ASCII, with a space between them and Chinese text: 运行 kubectl get pods 查看 Pod 的状态。
//
// # Adding a message
//
//  1. Add the table to en.toml and zh.toml, with the same ID and the same template variables.
//  2. Use it from code or from a lesson file.
//  3. Run go test ./locales/.
//
// # What the tests check
//
//   - Both files parse, every ID has the area.name shape, and en and zh have exactly the same IDs.
//   - For each ID, both languages use the same template variables, and every plural form of both
//     executes with sample data; each language uses only its own plural forms.
//   - Every ID in en.toml is used: it appears as a string literal in a non-test Go file of the
//     repository (outside testdata), as a value in a file under lessons/, or starts with a listed
//     dynamic prefix that itself appears as a literal. Every T("x.y") / N("x.y", ...) call whose first
//     argument is a literal names a defined ID.
//   - ResolveLang's precedence and normalisation.
//   - Chinese sentences do not use ASCII sentence punctuation between Chinese words, and English
//     messages contain no Chinese characters.
package locales
