package compute

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"labcarbon"
)

// HourlySource gives a grid zone's carbon intensity over one hour. hour is
// the UTC beginning of the hour; ok is false when the source has no figure
// for it, and the zone's annual average stands in.
type HourlySource interface {
	At(zone string, hour time.Time) (gPerKWh float64, ok bool)
}

// HourlyTable is an HourlySource held in memory: the hourly series of some
// zones, as the store keeps them. Its memory grows with the points added,
// not with the jobs computed or the span the series covers. Add is not safe
// for concurrent use; At is, once the table is loaded, and a nil table has
// no hours.
type HourlyTable struct {
	zones map[string]map[int64]float64 // zone → Unix hour (seconds ÷ 3600) → gCO2e/kWh
	n     int
}

// NewHourlyTable returns an empty table.
func NewHourlyTable() *HourlyTable {
	return &HourlyTable{zones: make(map[string]map[int64]float64)}
}

// Add records zone's intensity over the hour that begins at hour. It
// rejects an empty zone, an hour that is not the beginning of one and a
// negative or non-finite value, as the store does; adding an hour again
// replaces its value.
func (t *HourlyTable) Add(zone string, hour time.Time, gPerKWh float64) error {
	switch {
	case zone == "":
		return fmt.Errorf("hourly intensity at %s: no zone", hour.UTC().Format(time.RFC3339))
	case hour.IsZero() || hour.Unix()%3600 != 0 || hour.Nanosecond() != 0:
		return fmt.Errorf("hourly intensity %s at %s: not the beginning of an hour", zone, hour.UTC().Format(time.RFC3339Nano))
	case gPerKWh < 0 || math.IsNaN(gPerKWh) || math.IsInf(gPerKWh, 0):
		return fmt.Errorf("hourly intensity %s at %s: %g gCO2e/kWh is not a non-negative number", zone, hour.UTC().Format(time.RFC3339), gPerKWh)
	}
	if t.zones == nil {
		t.zones = make(map[string]map[int64]float64)
	}
	z := t.zones[zone]
	if z == nil {
		z = make(map[int64]float64)
		t.zones[zone] = z
	}
	if _, ok := z[hour.Unix()/3600]; !ok {
		t.n++
	}
	z[hour.Unix()/3600] = gPerKWh
	return nil
}

// At returns zone's intensity over the hour containing hour (normally its
// beginning).
func (t *HourlyTable) At(zone string, hour time.Time) (float64, bool) {
	if t == nil {
		return 0, false
	}
	z, ok := t.zones[zone]
	if !ok {
		return 0, false
	}
	v, ok := z[floorDiv(hour.Unix(), 3600)]
	return v, ok
}

// Len returns the number of (zone, hour) points held.
func (t *HourlyTable) Len() int {
	if t == nil {
		return 0
	}
	return t.n
}

// Zones lists the zones with at least one hour, sorted.
func (t *HourlyTable) Zones() []string {
	if t == nil {
		return nil
	}
	out := make([]string, 0, len(t.zones))
	for z := range t.zones {
		out = append(out, z)
	}
	slices.Sort(out)
	return out
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// maxHourlyWalk bounds the hours of one job looked up in the hourly
// series: a year and a day. Elapsed times come from the input and may be
// absurd; run time past the bound is counted at the annual figure.
const maxHourlyWalk = 366 * 24

// FixedCI reports whether the assignment's grid intensity was fixed by the
// lab configuration (a site's ci_g_per_kwh) rather than taken from the
// catalog, in which case an hourly series must not replace it. It reads
// the factors package's CISource for such sites, "site <name> fixed ...".
func FixedCI(a *labcarbon.Assignment) bool {
	return strings.HasPrefix(a.CISource, "site ") && strings.Contains(a.CISource, " fixed ")
}

// hourlyCI integrates the hourly series over a job's run, energy spread
// evenly over it: each hour of [start, start+elapsed) is weighted by the
// seconds the job ran in it; hours the series lacks, and run time beyond
// maxHourlyWalk, are counted at the annual central figure. It returns the
// effective intensity range (the annual range's relative spread applied to
// the effective central), the share of the run time the series covered,
// and the CISource to show; covered is 0 when the series has none of the
// job's hours, and then nothing else is meaningful.
func hourlyCI(src HourlySource, zone string, start time.Time, elapsedSec int64, annual labcarbon.Range, annualSource string) (ci labcarbon.Range, share float64, source string) {
	s0 := start.Unix()
	h0 := floorDiv(s0, 3600) * 3600
	walkEnd := h0 + maxHourlyWalk*3600
	if elapsedSec < walkEnd-s0 {
		walkEnd = s0 + elapsedSec
	}
	var covered int64
	var sum float64
	var n int64
	for h := h0; h < walkEnd; h += 3600 {
		v, ok := src.At(zone, time.Unix(h, 0).UTC())
		if !ok || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		secs := min(h+3600, walkEnd) - max(h, s0)
		covered += secs
		sum += float64(secs) * v
		n++
	}
	if covered == 0 {
		return annual, 0, annualSource
	}
	elapsed := float64(elapsedSec)
	eff := (sum + (elapsed-float64(covered))*annual.Central) / elapsed
	share = float64(covered) / elapsed
	if annual.Central > 0 {
		ci = labcarbon.Range{Low: eff * annual.Low / annual.Central, Central: eff, High: eff * annual.High / annual.Central}
	} else {
		ci = labcarbon.Point(eff)
	}
	// Hours the run touched, partial ones included (float: elapsed may be
	// near the int64 limit).
	m := math.Ceil((float64(s0-h0) + elapsed) / 3600)
	source = "hourly " + zone + " (" + strconv.FormatInt(n, 10) + " of " + strconv.FormatFloat(m, 'f', 0, 64) + " h)"
	if covered < elapsedSec {
		source += ", " + annualSource + " otherwise"
	}
	return ci, share, source
}
