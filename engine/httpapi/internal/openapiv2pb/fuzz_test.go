package openapiv2pb

import (
	"testing"
)

// checkAgainstGnostic is the property both fuzz targets check: Encode does not panic, and when it
// succeeds on a document gnostic also reads, its bytes are gnostic's.
func checkAgainstGnostic(t *testing.T, in []byte) {
	ours, err := Encode(in)
	if err != nil {
		return
	}
	if _, _, err := gnosticEncode(in); err != nil {
		return // YAML refuses some JSON: "\/", surrogate pairs, keys over 1024 bytes
	}
	sameAsGnostic(t, in, ours)
}

// FuzzEncode mutates small documents.
func FuzzEncode(f *testing.F) {
	for _, in := range likeGnosticCases() {
		if len(in) < 4096 {
			f.Add([]byte(in))
		}
	}
	f.Fuzz(checkAgainstGnostic)
}

// FuzzExtensionYAML mutates the value of a vendor extension, which gnostic keeps as YAML text:
// it exercises the YAML writer more than FuzzEncode can.
func FuzzExtensionYAML(f *testing.F) {
	for _, value := range []string{
		`{"group":"","kind":"Pod","version":"v1"}`,
		`[{"group":"apps","kind":"Deployment","version":"v1"}]`,
		`"merge,retainKeys"`,
		`{"a":{"b":[1,"x\ny",[]],"c":{}},"d":[[1],{"e":" f"}]}`,
		`["true","","a: b","- x","#c","it's","a\tb","😀","\u0085","\u2028","x\n","\n\n"," \nx"]`,
		`[1,-0,1.50,1e3,1E-3,123456789012345678901234567890,1e400,null,false,"2001-12-14","0x1F"]`,
	} {
		f.Add([]byte(value))
	}
	f.Fuzz(func(t *testing.T, value []byte) {
		checkAgainstGnostic(t, []byte(withExtension(string(value))))
	})
}
