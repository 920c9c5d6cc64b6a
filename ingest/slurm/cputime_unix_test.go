//go:build unix

package slurm

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time the process has used, all threads: the
// benchmark reports throughput per CPU-second too, because wall time on a
// shared machine says more about the neighbours than about the reader.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
