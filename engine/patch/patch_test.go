package patch

import (
	"errors"
	"fmt"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/k8slearn/k8slearn/engine/internal/strategicmerge"
)

// TestStrategicMergePatchErrorCodes checks the status codes strategic merge patch failures get,
// as the apiserver's smpPatcher gives them: malformed patches are 400, impossible ones 422.
func TestStrategicMergePatchErrorCodes(t *testing.T) {
	for _, tt := range []struct {
		err  error
		code int32
	}{
		{strategicmerge.ErrBadJSONDoc, 400},
		{strategicmerge.ErrBadPatchFormatForPrimitiveList, 400},
		{strategicmerge.ErrBadPatchFormatForRetainKeys, 400},
		{strategicmerge.ErrBadPatchFormatForSetElementOrderList, 400},
		{strategicmerge.ErrUnsupportedStrategicMergePatchFormat, 400},
		{strategicmerge.ErrNoListOfLists, 422},
		{strategicmerge.ErrPatchContentNotMatchRetainKeys, 422},
		{fmt.Errorf("spec: %w", strategicmerge.ErrNoListOfLists), 422},
		{errors.New("something else"), 400},
	} {
		var status apierrors.APIStatus
		if !errors.As(InterpretStrategicMergePatchError(tt.err), &status) || status.Status().Code != tt.code {
			t.Errorf("%v: want an API status with code %d", tt.err, tt.code)
		}
	}
}
