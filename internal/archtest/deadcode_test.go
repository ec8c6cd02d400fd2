package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

// methodLookups are packages whose code looks methods up by reflection
// (reflect.Value.Method, MethodByName): linking one keeps every exported
// method of every reachable type, the AWS SDK clients' operations among
// them, and the emulator's image grows by about 14 MB (issue 13). The
// console writes its pages with its own escaping writer
// (emulator/console/html.go) rather than execute templates, and the
// emulator declares its own Lambda handler interface rather than import
// aws-lambda-go's lambda package, whose init links net/rpc.
var methodLookups = []string{"text/template", "html/template", "net/rpc", "github.com/aws/aws-lambda-go/lambda"}

// TestImageBinariesKeepDeadCodeElimination: the binaries of the images
// link none of methodLookups.
func TestImageBinariesKeepDeadCodeElimination(t *testing.T) {
	root := repoRoot(t)
	for _, cmd := range []string{"./cmd/stepwire", "./cmd/stepwire-worker"} {
		c := exec.Command("go", "list", "-deps", cmd)
		c.Dir = root
		out, err := c.Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", cmd, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, bad := range methodLookups {
				if dep == bad {
					t.Errorf("%s links %s, which disables the linker's removal of unused methods", cmd, dep)
				}
			}
		}
	}
}
