//go:build !unix

package scalebench

import (
	"os"
	"time"
)

// ProcessCPU returns 0 where there is no getrusage: benchmarks then report
// no CPU time.
func ProcessCPU() time.Duration { return 0 }

// PeakRSS returns 0 where there is no getrusage.
func PeakRSS(*os.ProcessState) int64 { return 0 }
