package sfnemu_test

import (
	"github.com/stepwire/stepwire/emulator/sfnemu"
	"github.com/stepwire/stepwire/emulator/sfnemu/sfnapi"
)

func init() { sfnemu.WireHandler = sfnapi.Handler }
