package slurm

import (
	"fmt"
	"time"
)

// maxEpoch is the last second of year 9999; larger epoch values are corrupt.
const maxEpoch = 253402300799

// ParseTime parses a sacct timestamp and returns it in UTC.
//
// sacct prints YYYY-MM-DDTHH:MM:SS in the local time of the machine that ran
// it, with no zone, so loc must say which zone that was (nil means UTC).
// With SLURM_TIME_FORMAT=%s it prints epoch seconds, which are accepted too.
// Unknown (never set, or the End of a running job), None (the Start of a job
// cancelled while pending), the empty string and epoch 0 return the zero
// time and no error.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	switch s {
	case "", "Unknown", "None", "0":
		return time.Time{}, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	if t, ok := parseTimestamp(s, loc); ok {
		return t, nil
	}
	if n, ok := atoiDigits(s); ok && n <= maxEpoch {
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("bad time %q: want YYYY-MM-DDTHH:MM:SS, epoch seconds, Unknown or None", clip(s))
}

// parseTimestamp parses YYYY-MM-DDTHH:MM:SS (or with a space for the T) by
// hand: a job line has three timestamps and time.Parse is the slowest part
// of reading it. Out-of-range parts (month 13, 30 February) are refused
// rather than normalised.
func parseTimestamp(s string, loc *time.Location) (time.Time, bool) {
	if len(s) != 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	y, ok1 := atoiDigits(s[0:4])
	mo, ok2 := atoiDigits(s[5:7])
	d, ok3 := atoiDigits(s[8:10])
	h, ok4 := atoiDigits(s[11:13])
	mi, ok5 := atoiDigits(s[14:16])
	sec, ok6 := atoiDigits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return time.Time{}, false
	}
	if mo < 1 || mo > 12 || d < 1 || d > int64(daysIn(int(y), time.Month(mo))) || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(int(y), time.Month(mo), int(d), int(h), int(mi), int(sec), 0, loc)
	return t.UTC(), true
}

// daysIn returns the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}
