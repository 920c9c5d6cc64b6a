package slurm

import "fmt"

// JobID is a sacct job id taken apart.
//
// sacct prints, for the JobID column:
//
//	123              a job
//	123.batch        its batch step; also .extern, .interactive, .0, .1, ...
//	123_4            task 4 of array job 123
//	123_[1-3]        array tasks 1 to 3 of job 123, still pending as one record
//	123+1            component 1 of heterogeneous job 123
//	123+0.batch      a step of a component
//
// and, for JobIDRaw, the unique numeric id of the job or task with the same
// step suffixes.
type JobID struct {
	// Job is the id without the step: 123, 123_4, 123_[1-3] or 123+1.
	Job string
	// Step is the step name (batch, extern, interactive, 0, 1, 0+1, ...);
	// empty for the job line itself.
	Step string
	// Parent is the array or heterogeneous job Job belongs to (123 for
	// 123_4, 123_[1-3] and 123+1); empty for a plain job.
	Parent string
}

// IsStep reports whether the id names a step rather than a job.
func (id JobID) IsStep() bool { return id.Step != "" }

// ParseJobID parses a JobID or JobIDRaw value.
func ParseJobID(s string) (JobID, error) {
	var id JobID
	i := digitsEnd(s, 0)
	if i == 0 {
		return JobID{}, badJobID(s)
	}
	if i < len(s) {
		switch s[i] {
		case '_':
			id.Parent = s[:i]
			if i+1 < len(s) && s[i+1] == '[' {
				// A pending array: 123_[1-3,5,7-9%2]. Find the bracket's
				// end before looking for a step, since the expression may
				// be cut short with "...".
				j := i + 2
				for j < len(s) && s[j] != ']' {
					if !isArrayExprByte(s[j]) {
						return JobID{}, badJobID(s)
					}
					j++
				}
				if j == len(s) || j == i+2 {
					return JobID{}, badJobID(s)
				}
				i = j + 1
			} else {
				j := digitsEnd(s, i+1)
				if j == i+1 {
					return JobID{}, badJobID(s)
				}
				i = j
			}
		case '+':
			id.Parent = s[:i]
			j := digitsEnd(s, i+1)
			if j == i+1 {
				return JobID{}, badJobID(s)
			}
			i = j
		}
	}
	id.Job = s[:i]
	if i == len(s) {
		return id, nil
	}
	if s[i] != '.' || !validStep(s[i+1:]) {
		return JobID{}, badJobID(s)
	}
	id.Step = s[i+1:]
	return id, nil
}

// validStep accepts the step names sacct prints: a number, optionally with
// a het component (0+1), or a lower-case name (batch, extern, interactive).
func validStep(s string) bool {
	if s == "" {
		return false
	}
	if s[0] >= '0' && s[0] <= '9' {
		i := digitsEnd(s, 0)
		if i < len(s) {
			if s[i] != '+' || digitsEnd(s, i+1) != len(s) || i+1 == len(s) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return true
}

// isArrayExprByte reports whether c may appear in an array expression such
// as 1-3,5,7-9%2 (the %N throttle) or a truncated one ending in "...".
func isArrayExprByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == ',' || c == '%' || c == ':' || c == '.'
}

// digitsEnd returns the index of the first non-digit in s at or after i.
func digitsEnd(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

func badJobID(s string) error {
	return fmt.Errorf("bad job id %q: want 123, 123.batch, 123_4, 123_[1-3] or 123+1", clip(s))
}
