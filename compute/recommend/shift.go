package recommend

import (
	"math"
	"time"

	"labcarbon"
	"labcarbon/compute"
)

// maxShiftDays bounds the window a job may be moved in (a year): the
// threshold comes from a config file.
const maxShiftDays = 366

// shift returns the start the time-shift rule suggests for a flexible
// job whose zone has an hourly series: the whole UTC hour within the
// job's window (its day, or week) at which a run of the same length
// would meet the least intensity, energy spread evenly over the run as
// the model spreads it, hours the series lacks counting at the annual
// central figure as the model counts them. ok is false when the rule
// does not apply or the best start is the job's own.
func (e *Engine) shift(u *labcarbon.Usage, a *labcarbon.Assignment) (time.Time, bool) {
	days := min(e.th.ShiftWindowDays, maxShiftDays)
	if e.model.Hourly == nil || a.Zone == "" || compute.FixedCI(a) || u.Start.IsZero() || days <= 0 || !e.flexible(u) {
		return time.Time{}, false
	}
	w0, w1 := window(u.Start, days, e.loc)
	h0 := (w0.Unix() + 3599) / 3600 * 3600 // first whole hour in the window
	if w0.Unix() < 0 {
		return time.Time{}, false // before 1970: no series; and the rounding above assumes positive
	}
	nh := int((w1.Unix() - h0) / 3600)
	k := int((u.ElapsedSec + 3599) / 3600) // hours a run started on the hour touches
	if u.ElapsedSec > int64(nh)*3600 || k <= 0 {
		return time.Time{}, false
	}
	raw := e.win.get(e.model.Hourly, a.Zone, h0, nh)
	if raw == nil {
		return time.Time{}, false
	}
	annual := fin(a.CIgPerKWh.Central)
	// prefix[i] is the sum of the first i hours' intensities.
	prefix := e.win.scratch(nh + 1)
	prefix[0] = 0
	for i, v := range raw {
		if math.IsNaN(v) {
			v = annual
		}
		prefix[i+1] = prefix[i] + v
	}
	last := float64(u.ElapsedSec-int64(k-1)*3600) / 3600 // share of the last hour run
	best, bestCost := -1, math.Inf(1)
	for s := 0; s+k <= nh; s++ {
		cost := prefix[s+k-1] - prefix[s] + last*(prefix[s+k]-prefix[s+k-1])
		if cost < bestCost {
			best, bestCost = s, cost
		}
	}
	if best < 0 {
		return time.Time{}, false
	}
	start := time.Unix(h0+int64(best)*3600, 0).UTC()
	if start.Equal(u.Start) {
		return time.Time{}, false
	}
	return start, true
}

// window returns the span a job started at start may be moved in: the
// calendar day (days == 1), the Monday-to-Sunday week (days == 7), or
// days days from its start day, in loc.
func window(start time.Time, days int, loc *time.Location) (time.Time, time.Time) {
	t := start.In(loc)
	d0 := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	if days == 7 {
		d0 = d0.AddDate(0, 0, -((int(d0.Weekday()) + 6) % 7))
	}
	return d0, d0.AddDate(0, 0, days)
}

// windowCache keeps the hourly intensities of the windows met, so each
// zone's hours of a day are looked up once, not once per job. It holds
// at most maxCachedHours hours (8 MB: a year of daily windows in a
// hundred zones) and starts afresh beyond, so a period of any length
// stays bounded.
type windowCache struct {
	m     map[windowKey][]float64
	hours int
	buf   []float64
}

type windowKey struct {
	zone  string
	start int64
	hours int
}

const maxCachedHours = 1 << 20

// get returns the zone's intensities for nh hours from the Unix second
// h0, NaN where the series has none (or a value the model would not
// use), or nil when it has none of them.
func (c *windowCache) get(src compute.HourlySource, zone string, h0 int64, nh int) []float64 {
	k := windowKey{zone, h0, nh}
	if v, ok := c.m[k]; ok {
		return v
	}
	if c.m == nil || c.hours+nh > maxCachedHours {
		c.m, c.hours = make(map[windowKey][]float64), 0
	}
	c.hours += nh
	v := make([]float64, nh)
	any := false
	for i := range v {
		x, ok := src.At(zone, time.Unix(h0+int64(i)*3600, 0).UTC())
		if !ok || !(x >= 0) || math.IsInf(x, 0) {
			x = math.NaN()
		} else {
			any = true
		}
		v[i] = x
	}
	if !any {
		v = nil
	}
	c.m[k] = v
	return v
}

// scratch returns a reusable buffer of n floats.
func (c *windowCache) scratch(n int) []float64 {
	if cap(c.buf) < n {
		c.buf = make([]float64, n)
	}
	return c.buf[:n]
}
