//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package sqlite

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// lockFile takes an exclusive, non-blocking lock on the file name, creating
// it if needed, and writes the pid of this process into it so that the next
// run's error can name the holder.
//
// It uses flock rather than fcntl locks: an flock belongs to the open file,
// so a second Open in the same process is refused too, and the kernel drops
// it when the process dies, so a crashed run never leaves a stale lock. The
// file itself is left in place: removing it would let two runs lock two
// different files of the same name.
func lockFile(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: pid %s, lock file %s", ErrLocked, lockHolder(f), name)
		}
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	pid := []byte(strconv.Itoa(os.Getpid()) + "\n")
	if err := f.Truncate(0); err != nil {
		return nil, errors.Join(fmt.Errorf("write lock file %s: %w", name, err), f.Close())
	}
	if _, err := f.WriteAt(pid, 0); err != nil {
		return nil, errors.Join(fmt.Errorf("write lock file %s: %w", name, err), f.Close())
	}
	return f, nil
}

// lockHolder returns the pid recorded in a lock file, or "unknown" if the
// holder has not written it yet.
func lockHolder(f *os.File) string {
	buf := make([]byte, 32)
	n, err := f.ReadAt(buf, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return "unknown"
	}
	if pid := strings.TrimSpace(string(buf[:n])); pid != "" {
		return pid
	}
	return "unknown"
}
