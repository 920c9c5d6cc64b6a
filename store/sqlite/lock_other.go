//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package sqlite

import (
	"fmt"
	"os"
	"runtime"
)

// lockFile fails: the writer lock relies on flock(2), which this system
// lacks, and writing without it could interleave two runs' batches.
func lockFile(name string) (*os.File, error) {
	return nil, fmt.Errorf("lock %s: the writer lock needs flock(2), which %s does not have", name, runtime.GOOS)
}
