package jsonata

import (
	"maps"
	"reflect"
	"unsafe"

	xia "github.com/xiatechs/jsonata-go"
)

// The engine keeps an expression's own bindings in an unexported
// registry (name to reflect.Value) that RegisterExts and RegisterVars
// fill through intermediate maps; each evaluation instead makes its copy's
// registry once, at its final size, and binds into it directly.

// registryOffset is the offset of the registry in xia.Expr; registryOK
// is false if the engine's Expr does not have one of the expected type
// (a changed engine), and Compile then refuses every expression.
var registryOffset, registryOK = func() (uintptr, bool) {
	f, ok := reflect.TypeFor[xia.Expr]().FieldByName("registry")
	if !ok || f.Type != reflect.TypeFor[map[string]reflect.Value]() || len(f.Index) != 1 {
		return 0, false
	}
	return f.Offset, true
}()

// newRegistry gives e, a copy of a compiled expression, a registry of its
// own with room for n more names, holding what e's had, and returns it.
func newRegistry(e *xia.Expr, n int) map[string]reflect.Value {
	p := (*map[string]reflect.Value)(unsafe.Add(unsafe.Pointer(e), registryOffset))
	reg := make(map[string]reflect.Value, len(*p)+n)
	maps.Copy(reg, *p)
	*p = reg
	return reg
}
