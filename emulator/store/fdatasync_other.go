//go:build !linux

package store

import "os"

// fdatasync puts f's data on disk; off Linux, with File.Sync.
func fdatasync(f *os.File) error { return f.Sync() }
