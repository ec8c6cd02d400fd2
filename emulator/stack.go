package emulator

import (
	"github.com/stepwire/stepwire/emulator/cfnemu"
	"github.com/stepwire/stepwire/emulator/template"
	"github.com/stepwire/stepwire/internal/arn"
	"github.com/stepwire/stepwire/internal/uuid"
)

// DefaultStackName names the stack of the loaded template unless
// Config.StackName says otherwise; `make deploy` uses the same name.
const DefaultStackName = "stepwire"

// newStacks serves CloudFormation's reads (awsQuery on POST /).
func (e *Emulator) newStacks() {
	e.Stacks = cfnemu.New()
	e.router.HandleQuery(cfnemu.Handler(e.Stacks))
}

// putStack records a loaded template as a created stack, its outputs and
// physical ids resolved (docs/cloudformation.md §3).
func (e *Emulator) putStack(t *template.Template) {
	st := cfnemu.Stack{Name: t.StackName, Description: t.Description, CreationTime: e.cfg.Clock.Now(),
		Parameters: t.Parameters, ID: arn.Stack(e.cfg.Region, e.cfg.Account, t.StackName, uuid.New())}
	for _, o := range t.Outputs {
		st.Outputs = append(st.Outputs, cfnemu.Output{Key: o.Key, Value: o.Value, Description: o.Description, ExportName: o.ExportName})
	}
	for _, r := range t.Resources {
		st.Resources = append(st.Resources, cfnemu.Resource{LogicalID: r.LogicalID, Type: r.Type, PhysicalID: r.PhysicalID})
	}
	e.Stacks.Put(st)
}
