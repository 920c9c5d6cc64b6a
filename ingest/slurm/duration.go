package slurm

import (
	"errors"
	"fmt"
	"time"
)

// maxDays bounds the day count of a duration so that it fits a
// time.Duration (about 106,751 days); anything near it is corrupt anyway.
const maxDays = 100000

// errInvalid is returned for the word INVALID, which sacct prints instead of
// a duration it could not compute (a negative or corrupt value).
var errInvalid = errors.New("Slurm printed INVALID (negative or corrupt value)")

// ParseDuration parses a duration as sacct prints it: [D-]HH:MM:SS for
// Elapsed and Timelimit, and also MM:SS.mmm or HH:MM:SS.mmm for TotalCPU,
// UserCPU and SystemCPU, which keep milliseconds under an hour. Days may
// have any number of digits.
//
// The empty string and the words UNLIMITED and Partition_Limit mean there is
// no duration; they return 0 and no error, since Usage counts an unknown or
// unlimited time limit as 0. INVALID is an error: Slurm prints it for values
// that cannot be true.
func ParseDuration(s string) (time.Duration, error) {
	switch s {
	case "", "UNLIMITED", "Partition_Limit":
		return 0, nil
	case "INVALID":
		return 0, errInvalid
	}
	d, ok := parseDuration(s)
	if !ok {
		return 0, fmt.Errorf("bad duration %q: want [D-]HH:MM:SS or MM:SS.mmm", clip(s))
	}
	return d, nil
}

// parseDuration does the work of ParseDuration by hand: it runs for several
// fields of every line, and time.ParseDuration does not know this syntax.
func parseDuration(s string) (time.Duration, bool) {
	var days int64
	hasDays := false
	rest := s
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			n, ok := atoiDigits(s[:i])
			if !ok || n > maxDays {
				return 0, false
			}
			days, rest, hasDays = n, s[i+1:], true
			break
		}
	}
	// Split off a fractional part of the seconds.
	var frac time.Duration
	for i := 0; i < len(rest); i++ {
		if rest[i] == '.' {
			f := rest[i+1:]
			if len(f) == 0 || len(f) > 9 {
				return 0, false
			}
			n, ok := atoiDigits(f)
			if !ok {
				return 0, false
			}
			for j := len(f); j < 9; j++ {
				n *= 10
			}
			frac, rest = time.Duration(n), rest[:i]
			break
		}
	}
	var groups [3]int64
	ng := 0
	start := 0
	for i := 0; i <= len(rest); i++ {
		if i < len(rest) && rest[i] != ':' {
			continue
		}
		if ng == len(groups) {
			return 0, false
		}
		n, ok := atoiDigits(rest[start:i])
		if !ok {
			return 0, false
		}
		groups[ng] = n
		ng++
		start = i + 1
	}
	var h, m, sec int64
	switch ng {
	case 2:
		m, sec = groups[0], groups[1]
	case 3:
		h, m, sec = groups[0], groups[1], groups[2]
	default:
		return 0, false
	}
	// With days the hours stay below a day, as secs2time_str prints them.
	if hasDays && (ng != 3 || h > 23) {
		return 0, false
	}
	if m > 59 || sec > 59 || h > maxDays*24 {
		return 0, false
	}
	total := ((days*24+h)*60+m)*60 + sec
	return time.Duration(total)*time.Second + frac, true
}

// atoiDigits parses a non-empty run of at most 18 ASCII digits, which cannot
// overflow an int64.
func atoiDigits(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// clip shortens s for an error message, so that a field that swallowed a
// whole line does not flood the quarantine report.
func clip(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	return truncateUTF8(s, max) + "..."
}

// truncateUTF8 cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
