//go:build unix

package scalebench

import (
	"os"
	"runtime"
	"syscall"
	"time"
)

// ProcessCPU returns the CPU time, user and system, this process has used
// so far: on a machine other work shares, it says what a stage cost better
// than the wall clock does.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// PeakRSS returns the peak resident memory of an ended child process, in
// bytes; 0 if the system does not say.
func PeakRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return ru.Maxrss // bytes there, kilobytes elsewhere
	}
	return ru.Maxrss << 10
}
