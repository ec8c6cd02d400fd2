package store

import (
	"os"
	"syscall"
)

// fdatasync puts f's data on disk (and its size, which a data sync
// covers), without the other metadata fsync also writes.
func fdatasync(f *os.File) error {
	for {
		err := syscall.Fdatasync(int(f.Fd()))
		if err != syscall.EINTR {
			return err
		}
	}
}
