package openapiv2pb

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// doc is a minimal valid document with members added to its top level.
func doc(members ...string) string {
	out := `{"swagger":"2.0","info":{"title":"t","version":"v"},"paths":{}`
	for _, m := range members {
		out += "," + m
	}
	return out + "}"
}

// withSchema is a document with one definition.
func withSchema(schema string) string {
	return doc(`"definitions":{"S":` + schema + `}`)
}

// withOperation is a document with one GET operation.
func withOperation(op string) string {
	return `{"swagger":"2.0","info":{"title":"t","version":"v"},"paths":{"/p":{"get":` + op + `}}}`
}

// withExtension is a document whose top level has the vendor extension x-v.
func withExtension(value string) string {
	return doc(`"x-v":` + value)
}

const okResponses = `"responses":{"200":{"description":"OK"}}`

// likeGnosticCases are documents Encode must encode as gnostic does, by name; they also seed
// the fuzz targets.
func likeGnosticCases() map[string]string {
	long := strings.Repeat("long description ", 1300) // a length that takes a 3-byte varint
	return map[string]string{
		"minimal": doc(),
		"empty maps and lists": `{"swagger":"2.0","info":{"title":"","version":""},"paths":{},"definitions":{},
			"security":[],"securityDefinitions":{},"consumes":[],"produces":[],"schemes":[]}`,
		"empty schema parts": withSchema(`{"properties":{},"required":[],"enum":[],"allOf":[],"type":[],
			"additionalProperties":{},"items":{}}`),
		"empty strings in lists":     doc(`"consumes":["",""]`, `"security":[{"k":[""]}]`),
		"empty security requirement": doc(`"security":[{},{"k":[]}]`),
		"empty vendor extensions":    doc(`"x-m":{}`, `"x-l":[]`, `"x-s":""`, `"x-n":null`, `"x-":[[],{}]`),
		"unicode": `{"swagger":"2.0","info":{"title":"日本語 é ✓ 😀 \u00e9\u2028\u0085\u001b\u0000","version":"v"},
			"paths":{},"definitions":{"Ünïcode 😀":{"description":"😀 \u2029"}}}`,
		"unicode in extensions": withExtension(`["😀","\ufeffbom","é","a\u2028b","a\u2029","tab\there","nel\u0085",
			"\u00a0","\u007f","\u0080","\ufffe","\uffff","\ud7ff","\ue000","\u0000#x","x\u0000 #y"]`),
		"large varints": withSchema(`{"description":"` + long + `","maxLength":9223372036854775807,
			"minLength":-1,"minItems":-9223372036854775808,"maxItems":1,"maxProperties":128,"minProperties":16384}`),
		"nested extensions": doc(`"x-a":{"b":[{"c":{"d":[],"e":{}}},[1,[2,[3]]],"x\ny",{"f":"g\nh\n"}],
			"i":{"j":{"k":["l","m\n"]}}}`, `"x-b":[[{"a":1,"b":[{"c":2}]}]]`),
		"scalars that need quotes": withExtension(`["true","True","yes","on","null","~","","123","-5","0x1F",
			"0o17","0b101","-0b1","1_000","1e3","1E3",".5","+.5","-.5e3",".inf","-.Inf",".nan","2001-12-14",
			"2001-12-14T21:59:43.10-05:00","2001-12-14 21:59:43.10","2001-13-45","<<","- a","-a","a: b","a:b",
			"#c","a #c","a#c","'q'","it's","\"dq\"","  lead","trail ","a  b","\\","\r","x\r\ny","\t",
			"---","--- x","...x","%p","@a","` + "`b" + `","|","|x",">x","[","]x","{a}","?","? x","?x",":x",": x",
			"&a","*a","!a",",a","a,b","a[b]","a{b}","a?b","-","--","a:","1:20","` + strings.Repeat("long 'line' ", 40) + `",
			"` + strings.Repeat(`a\tb `, 40) + `"]`),
		"literal blocks": withExtension(`{"a":"x\ny","b":"x\n","c":"\n","d":"\n\n","e":" \nx","f":"x \ny",
			"g":"x\n\n","h":"\nx","i":"a\tb\nc","j":"x\n y","k":"é\n😀","l":["x\ny",["z\n"]],"m":"x\u2028y\nz",
			"n":"\u2028\n","o":"a\r\nb","p":"trailing space \n"}`),
		"keys that need quotes": withExtension(`{"":1,"true":2,"a: b":3,"#":4,"- x":5,"😀":6,"a\tb":7,
			"123":8,"null":9,"it's":10,"k\u0000":11,"` + strings.Repeat("k", 128) + `":12}`),
		"repeated keys keep every pair": doc(`"definitions":{"S":{},"S":{"type":"string"}}`, `"x-a":1`,
			`"x-a":{"k":1,"k":2}`),
		"numbers in extensions": withExtension(`[1,-0,0,1.50,1e3,1E-3,-1.5e-10,0.0,
			123456789012345678901234567890,18446744073709551615,9223372036854775808,1e400,-1e400,1e-400]`),
		"number fields": withSchema(`{"maximum":1,"minimum":-0,"multipleOf":1.5,"exclusiveMaximum":true,
			"exclusiveMinimum":false,"maxLength":0,"minLength":-0,"properties":{
			"a":{"maximum":18446744073709551615,"minimum":123456789012345678901234567890},
			"b":{"maximum":1e308,"minimum":-1E-3,"multipleOf":0.1},"c":{"maximum":0.0,"minimum":-0.0}}}`),
		"booleans": withSchema(`{"uniqueItems":true,"readOnly":false,"additionalProperties":false,
			"properties":{"a":{"additionalProperties":true},"b":{"additionalProperties":{"type":"string"}}}}`),
		"schema": withSchema(`{"$ref":"#/definitions/T","format":"int32","title":"T","description":"d",
			"default":{"a":[1,"b"]},"pattern":"^a$","required":["a","b"],"enum":["a",1,null,true,{"k":"v"},[]],
			"type":["string","null"],"items":{"type":"integer","x-kubernetes-int-or-string":true},
			"allOf":[{"$ref":"#/definitions/U"},{}],"discriminator":"kind","example":"e\nf",
			"x-kubernetes-patch-strategy":"merge,retainKeys","x-kubernetes-patch-merge-key":"name",
			"x-kubernetes-group-version-kind":[{"group":"","kind":"Pod","version":"v1"}]}`),
		"operation": withOperation(`{"tags":["core_v1"],"summary":"s","description":"d","operationId":"o",
			"produces":["application/json"],"consumes":["*/*"],"schemes":["https","wss"],"deprecated":true,
			"security":[{"BearerToken":[]}],"x-kubernetes-action":"get",
			"x-kubernetes-group-version-kind":{"group":"","kind":"Pod","version":"v1"},
			"parameters":[
				{"name":"body","in":"body","required":true,"description":"b","schema":{"$ref":"#/definitions/S"},"x-b":1},
				{"name":"q","in":"query","type":"integer","required":false,"description":"q","uniqueItems":true,
				 "allowEmptyValue":true,"format":"int32","collectionFormat":"multi","default":5,"maximum":10,
				 "exclusiveMaximum":true,"minimum":1,"exclusiveMinimum":false,"maxLength":3,"minLength":1,
				 "pattern":"x","maxItems":2,"minItems":1,"enum":[1,2],"multipleOf":1,"x-q":"q"},
				{"name":"p","in":"path","required":true,"type":"string","collectionFormat":"csv","x-p":[]},
				{"$ref":"#/parameters/r"},{"$ref":"#/parameters/s","description":"s"}],
			"responses":{"200":{"description":"OK","schema":{"$ref":"#/definitions/S"},"x-r":{}},
				"default":{"$ref":"#/responses/d"},"404":{"$ref":"#/responses/n","description":"n"},
				"201":{"description":"","schema":{"type":"object"}},"x-e":true}}`),
		"path item": `{"swagger":"2.0","info":{"title":"t","version":"v","description":"d","termsOfService":"tos",
			"x-i":1},"host":"h","basePath":"/b","schemes":["http"],"consumes":["a"],"produces":["b"],"paths":{
			"x-p":{"a":1},"/a":{"$ref":"#/x","parameters":[{"name":"n","in":"path","required":true,"type":"string"}],
			"get":{` + okResponses + `},"put":{` + okResponses + `},"post":{` + okResponses + `},
			"delete":{` + okResponses + `},"options":{` + okResponses + `},"head":{` + okResponses + `},
			"patch":{` + okResponses + `},"x-q":"v"},"/b":{},"/a":{}}}`,
		"security definitions": doc(`"securityDefinitions":{"BearerToken":{"type":"apiKey","description":"d",
			"name":"authorization","in":"header","x-s":1},"Q":{"type":"apiKey","name":"q","in":"query"}}`,
			`"security":[{"BearerToken":[],"Q":["a","b"]}]`),
	}
}

func TestEncodeLikeGnostic(t *testing.T) {
	for name, in := range likeGnosticCases() {
		t.Run(name, func(t *testing.T) {
			ours, err := Encode([]byte(in))
			if err != nil {
				t.Fatalf("Encode: %v\n%s", err, in)
			}
			sameAsGnostic(t, []byte(in), ours)
		})
	}
}

// TestFalseIsAbsent: proto3 leaves out a false bool, so false and absent encode alike; but an
// additionalProperties of false is a oneof member and is written.
func TestFalseIsAbsent(t *testing.T) {
	encode := func(in string) []byte {
		t.Helper()
		out, err := Encode([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if a, b := encode(withSchema(`{"readOnly":false,"uniqueItems":false}`)), encode(withSchema(`{}`)); !bytes.Equal(a, b) {
		t.Errorf("false and absent differ: %x vs %x", a, b)
	}
	if a, b := encode(withSchema(`{"additionalProperties":false}`)), encode(withSchema(`{}`)); bytes.Equal(a, b) {
		t.Error("additionalProperties false was left out")
	}
}

// TestSurrogatePairs: JSON may escape a character beyond U+FFFF as a surrogate pair, which
// gnostic's YAML reader refuses; this package reads it as the character (encoding/json never
// writes one).
func TestSurrogatePairs(t *testing.T) {
	escaped, err := Encode([]byte(withSchema(`{"description":"\ud83d\ude00"}`)))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := Encode([]byte(withSchema(`{"description":"😀"}`)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(escaped, raw) {
		t.Errorf("escaped %x, raw %x", escaped, raw)
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
	}{
		{"not JSON", `{"swagger":`, "invalid JSON"},
		{"trailing data", doc() + "{}", "after the document"},
		{"not an object", `[]`, "Document must be an object"},
		{"unknown key", doc(`"foo":1`), `Document has no field "foo"`},
		{"unknown key in a schema", withSchema(`{"nullable":true}`), `definitions.S: Schema has no field "nullable"`},
		{"missing required key", `{"swagger":"2.0","paths":{}}`, `Document is missing "info"`},
		{"value outside the enum", `{"swagger":"3.0","info":{"title":"t","version":"v"},"paths":{}}`, `"3.0" is not one of 2.0`},
		{"scheme outside the enum", doc(`"schemes":["ftp"]`), `"ftp" is not one of`},
		{"repeated fixed key", doc(`"host":"a"`, `"host":"b"`), `"host" is repeated`},
		{"top-level tags", doc(`"tags":[]`), `"tags" is not supported`},
		{"top-level parameters", doc(`"parameters":{}`), `"parameters" is not supported`},
		{"info contact", `{"swagger":"2.0","info":{"title":"t","version":"v","contact":{}},"paths":{}}`, `"contact" is not supported`},
		{"xml", withSchema(`{"xml":{}}`), `"xml" is not supported`},
		{"external docs", withSchema(`{"externalDocs":{}}`), `"externalDocs" is not supported`},
		{"header parameter", withOperation(`{"parameters":[{"name":"h","in":"header","type":"string"}],` + okResponses + `}`),
			`paths./p.get.parameters[0]: parameters in "header" are not supported`},
		{"parameter without in", withOperation(`{"parameters":[{"name":"h","type":"string"}],` + okResponses + `}`), `needs "in"`},
		{"query parameter items", withOperation(`{"parameters":[{"name":"q","in":"query","type":"array","items":{}}],` + okResponses + `}`),
			`"items" is not supported`},
		{"path parameter without required", withOperation(`{"parameters":[{"name":"p","in":"path","type":"string"}],` + okResponses + `}`),
			`is missing "required"`},
		{"reference with other keys", withOperation(`{"parameters":[{"$ref":"#/p","in":"query"}],` + okResponses + `}`),
			`JsonReference has no field "in"`},
		{"response headers", withOperation(`{"responses":{"200":{"description":"OK","headers":{}}}}`), `"headers" is not supported`},
		{"file response", withOperation(`{"responses":{"200":{"description":"OK","schema":{"type":"file"}}}}`), `type "file" is not supported`},
		{"bad response code", withOperation(`{"responses":{"2000":{"description":"OK"}}}`), `Responses has no field "2000"`},
		{"basic auth", doc(`"securityDefinitions":{"b":{"type":"basic"}}`), `only security definitions of type "apiKey"`},
		{"number for a string", `{"swagger":"2.0","info":{"title":5,"version":"v"},"paths":{}}`, "info.title: expected a string"},
		{"null for a string", withSchema(`{"description":null}`), "expected a string"},
		{"string for a bool", withSchema(`{"readOnly":"true"}`), "expected true or false"},
		{"number in a list of strings", doc(`"consumes":[1]`), "expected an array of strings"},
		{"schema not an object", withSchema(`"object"`), "Schema must be an object"},
		{"items not an object", withSchema(`{"items":[{}]}`), "Schema must be an object"},
		{"additionalProperties a string", withSchema(`{"additionalProperties":"x"}`), "an object or a boolean"},
		{"type a number", withSchema(`{"type":1}`), "expected an array of strings"},
		{"float for an integer", withSchema(`{"maxLength":1.0}`), "expected an integer"},
		{"exponent for an integer", withSchema(`{"maxLength":1e2}`), "expected an integer"},
		{"integer beyond int64", withSchema(`{"maxLength":9223372036854775808}`), "fits 64 bits"},
		{"number beyond float64", withSchema(`{"maximum":1e400}`), "fits a float64"},
		{"lone surrogate", withSchema(`{"description":"\ud800"}`), "lone surrogate"},
		{"invalid UTF-8", withSchema("{\"description\":\"\xff\"}"), "invalid UTF-8"},
		{"long key in an extension", withExtension(`{"` + strings.Repeat("k", 129) + `":1}`), "complex key"},
		{"multi-line key in an extension", withExtension(`{"a\nb":1}`), "complex key"},
		{"too deep", withExtension(strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)), "nested deeper"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := Encode([]byte(c.in))
			if err == nil {
				t.Fatalf("Encode accepted it (%d bytes), want an error with %q", len(out), c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q, want one with %q", err, c.want)
			}
		})
	}
}

// TestExtensionYAML spells out the YAML of a few extensions, which the tests above only compare
// with gnostic's.
func TestExtensionYAML(t *testing.T) {
	for in, want := range map[string]string{
		`{"group":"","kind":"Pod","version":"v1"}`: "group: \"\"\nkind: Pod\nversion: v1\n",
		`[{"group":"apps","kind":"Deployment"}]`:   "- group: apps\n  kind: Deployment\n",
		`"merge,retainKeys"`:                       "merge,retainKeys\n",
		`{"a":{"b":[1,"x\ny"]},"c":[],"d":{}}`:     "a:\n    b:\n        - 1\n        - |-\n          x\n          y\nc: []\nd: {}\n",
		`["true","","a: b","😀",1.50,null,false]`:   "- \"true\"\n- \"\"\n- 'a: b'\n- \"\\U0001F600\"\n- 1.50\n- null\n- false\n",
		`{"":1,"it's":2,"k":"  lead","t":"a\tb"}`:  "\"\": 1\nit's: 2\nk: '  lead'\nt: \"a\\tb\"\n",
		`"\n\n"`: "|4+\n\n\n",
	} {
		v, err := parseJSON([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		got, err := yamlText(&v)
		if err != nil || got != want {
			t.Errorf("yamlText(%s) = %q, %v; want %q", in, got, err, want)
		}
		// and gnostic agrees
		doc := []byte(withExtension(in))
		ours, err := Encode(doc)
		if err != nil {
			t.Fatal(err)
		}
		sameAsGnostic(t, doc, ours)
	}
}

func ExampleEncode() {
	pb, err := Encode([]byte(`{"swagger":"2.0","info":{"title":"Kubernetes","version":"v1.34.0"},"paths":{}}`))
	fmt.Printf("%x %v\n", pb, err)
	// Output: 0a03322e3012150a0a4b756265726e65746573120776312e33342e304200 <nil>
}
