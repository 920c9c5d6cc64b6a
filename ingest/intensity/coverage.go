package intensity

import (
	"slices"
	"sort"
	"time"
)

// Coverage is the span of one zone's hours in a file and the hours missing
// inside it.
type Coverage struct {
	Zone        string
	First, Last time.Time // beginnings of the first and last hours, UTC
	Hours       int       // hours read
	Gaps        []Gap
}

// Missing is the number of hours between First and Last the file lacks.
func (c Coverage) Missing() int {
	n := 0
	for _, g := range c.Gaps {
		n += g.Hours
	}
	return n
}

// Gap is a run of missing hours.
type Gap struct {
	From  time.Time // the first missing hour
	Hours int
}

// Coverage returns, per zone in order of zone, the hours read so far: the
// good rows only, so after the last Scan it describes what was imported.
func (r *Reader) Coverage() []Coverage {
	zones := make([]string, 0, len(r.seen))
	for z := range r.seen {
		zones = append(zones, z)
	}
	sort.Strings(zones)
	out := make([]Coverage, 0, len(zones))
	for _, z := range zones {
		hours := make([]int64, 0, len(r.seen[z]))
		for h := range r.seen[z] {
			hours = append(hours, h)
		}
		slices.Sort(hours)
		c := Coverage{Zone: z, First: unixHour(hours[0]), Last: unixHour(hours[len(hours)-1]), Hours: len(hours)}
		for i := 1; i < len(hours); i++ {
			if d := (hours[i] - hours[i-1]) / 3600; d > 1 {
				c.Gaps = append(c.Gaps, Gap{From: unixHour(hours[i-1] + 3600), Hours: int(d - 1)})
			}
		}
		out = append(out, c)
	}
	return out
}

func unixHour(sec int64) time.Time { return time.Unix(sec, 0).UTC() }
