package kubectl

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/k8slearn/k8slearn/engine/apiserver"
	"github.com/k8slearn/k8slearn/engine/cluster"
)

// expiringAPI is a real cluster's API seen from get --watch: its first watch, opened after the
// list, says the version is gone (410 Expired, as after etcd's compaction) once web has changed;
// the second closes at once, or fails with errStatus.
type expiringAPI struct {
	*apiserver.Client
	t         *testing.T
	watches   int
	errStatus *metav1.Status
}

func (a *expiringAPI) Watch(resource, ns string, opts apiserver.ListOptions) (watch.Interface, error) {
	a.watches++
	w := watch.NewFakeWithChanSize(1, false)
	switch a.watches {
	case 1:
		if _, err := a.Client.Scale("deployments", ns, "web", 2); err != nil {
			a.t.Error(err)
		}
		w.Error(&apierrors.NewResourceExpired("too old resource version: 1 (42)").ErrStatus)
	default:
		if a.errStatus != nil {
			w.Error(a.errStatus)
		}
	}
	w.Stop()
	return w, nil
}

// get --watch on a real cluster whose watch expires: it lists again and prints what changed
// meanwhile (web), not what did not (db); a watch the server then closes without a change ends
// as kubectl's does (silently, exit 0); an error it sends is printed as kubectl prints it.
func TestRemoteWatchRelistsWhenExpired(t *testing.T) {
	for _, tt := range []struct {
		name      string
		errStatus *metav1.Status
		errOut    string
		code      int
	}{
		{name: "closed"},
		{name: "error", errStatus: &apierrors.NewInternalError(errors.New("etcd is down")).ErrStatus,
			errOut: "Error from server (InternalError): Internal error occurred: etcd is down\n", code: 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := cluster.New(cluster.DefaultConfig(1))
			if err != nil {
				t.Fatal(err)
			}
			mini := New(c, nil)
			for _, line := range []string{"create deployment web --image=nginx", "create deployment db --image=redis"} {
				if code := mini.Run(strings.Fields(line), Streams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}); code != 0 {
					t.Fatalf("%s: exit %d", line, code)
				}
			}
			api := &expiringAPI{Client: c.API().Client("kubectl"), t: t, errStatus: tt.errStatus}
			k := NewRemote(Remote{API: api, Registry: c.API().Registry(), Now: c.Clock().Now, Namespace: "default",
				After: time.After, Quiet: time.Minute}, nil)
			var out, errOut bytes.Buffer
			code := k.Run([]string{"get", "deployments", "-w", "-o", "name"}, Streams{Out: &out, ErrOut: &errOut})
			if want := "deployment.apps/db\ndeployment.apps/web\ndeployment.apps/web\n"; out.String() != want || errOut.String() != tt.errOut || code != tt.code {
				t.Errorf("exit %d\n%s%s\nwant exit %d\n%s%s", code, out.String(), errOut.String(), tt.code, want, tt.errOut)
			}
			if api.watches != 2 {
				t.Errorf("%d watches, want 2", api.watches)
			}
		})
	}
}
