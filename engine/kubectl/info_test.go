package kubectl

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/k8slearn/k8slearn/engine/cluster"
)

// TestVersionJSON: kubectl version -o json and -o yaml carry the client and server versions as
// apimachinery's version.Info, and --client leaves the server out.
func TestVersionJSON(t *testing.T) {
	c, err := cluster.New(cluster.DefaultConfig(1))
	if err != nil {
		t.Fatal(err)
	}
	k := New(c, nil)
	for _, tc := range []struct {
		args       string
		wantServer bool
	}{{"version -o json", true}, {"version -o json --client", false}} {
		var out, errOut bytes.Buffer
		if code := k.Run(strings.Fields(tc.args), Streams{Out: &out, ErrOut: &errOut}); code != 0 {
			t.Fatalf("%s: exit %d, %s", tc.args, code, errOut.String())
		}
		var v struct {
			ClientVersion    *struct{ GitVersion, Major, Minor string } `json:"clientVersion"`
			KustomizeVersion string                                     `json:"kustomizeVersion"`
			ServerVersion    *struct{ GitVersion string }               `json:"serverVersion"`
		}
		if err := json.Unmarshal(out.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v\n%s", tc.args, err, out.String())
		}
		if v.ClientVersion == nil || v.ClientVersion.GitVersion != "v1.37.2" || v.ClientVersion.Minor != "37" || v.KustomizeVersion != "v5.8.1" {
			t.Errorf("%s: %s", tc.args, out.String())
		}
		if (v.ServerVersion != nil) != tc.wantServer {
			t.Errorf("%s: server version present = %v, want %v", tc.args, v.ServerVersion != nil, tc.wantServer)
		}
	}
	var out, errOut bytes.Buffer
	if code := k.Run([]string{"version", "-o", "yaml"}, Streams{Out: &out, ErrOut: &errOut}); code != 0 || !strings.Contains(out.String(), "gitVersion: v1.37.2") {
		t.Errorf("version -o yaml: exit %d\n%s", code, out.String())
	}
}
