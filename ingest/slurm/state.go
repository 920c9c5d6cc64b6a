package slurm

import (
	"fmt"
	"strings"

	"labcarbon"
)

// ParseState returns a job's base state from sacct's State column.
//
// sacct appends the canceller to CANCELLED ("CANCELLED by 1001"), so the
// state ends at the first space. While a job is in transition a flag name
// replaces the base state (REQUEUED, COMPLETING, RESIZING, ...); it is kept
// as it is, since labcarbon.State.Final treats those as not yet final and a
// later ingest completes the job. A name cut short with "+" comes from
// fixed-width output, which cannot be read reliably, and is an error.
func ParseState(s string) (labcarbon.State, error) {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		s = s[:i]
	}
	if s == "" {
		return "", fmt.Errorf("empty state")
	}
	lower := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'A' && c <= 'Z', c == '_':
		case c >= 'a' && c <= 'z':
			lower = true
		default:
			return "", fmt.Errorf("bad state %q: want a Slurm state name such as COMPLETED", clip(s))
		}
	}
	if lower {
		s = strings.ToUpper(s)
	}
	return labcarbon.State(s), nil
}
