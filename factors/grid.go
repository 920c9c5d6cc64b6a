package factors

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"labcarbon"
)

// ErrUnknownZone is returned (wrapped) by Catalog.Grid for a zone the catalog
// does not know under any name.
var ErrUnknownZone = errors.New("unknown grid zone")

// Grid is a zone's annual average grid carbon intensity for one year
// (Provenance.Year), location-based.
type Grid struct {
	// Zone is the zone whose figures these are, in Electricity Maps style
	// ("GB", "US-CAL-CISO"), "WORLD", or "provider:region" for a cloud
	// region's own figure ("aws:eu-west-2").
	Zone string
	// GPerKWh is the central intensity in gCO2e/kWh; Low and High bound it
	// with the other figures held for the same zone and year.
	GPerKWh, Low, High float64
	// Basis says what the central figure counts: "lifecycle" (Ember, and
	// Electricity Maps life-cycle), "direct" (combustion only) or "mixed".
	Basis string
	// RangeReason lists the figures behind Low and High.
	RangeReason string
	// Via is the zone that was asked for when it borrowed these figures
	// from another (a cloud region without figures of its own uses its
	// grid zone's); empty otherwise.
	Via string
	Provenance
}

// Range returns the intensity as a labcarbon.Range.
func (g Grid) Range() labcarbon.Range {
	return labcarbon.Range{Low: g.Low, Central: g.GPerKWh, High: g.High}
}

// Label is the short description reports print next to the intensity, such
// as "annual 2024 GB (Ember via OWID, CC BY 4.0)".
func (g Grid) Label() string {
	// The licence column lists the central figure's licence first, then
	// those of the figures behind the range; the label cites the central.
	lic, _, _ := strings.Cut(g.Licence, ";")
	s := fmt.Sprintf("annual %d %s (%s, %s)", g.Year, g.Zone, g.Source, lic)
	if g.Via != "" {
		s += " for " + g.Via
	}
	return s
}

func readGrid(t *table) (map[string][]Grid, error) {
	series := make(map[string][]Grid)
	err := t.each(func(r *row) {
		g := Grid{
			Zone:        r.str("zone"),
			Basis:       r.str("basis"),
			RangeReason: r.str("range_reason"),
			Provenance:  readProvenance(r),
		}
		g.GPerKWh, g.Low, g.High = readRange(r, "g_per_kwh", "low", "high")
		if g.Zone == "" {
			r.fail("zone", errEmpty)
		}
		series[g.Zone] = append(series[g.Zone], g)
	})
	if err != nil {
		return nil, err
	}
	for z, s := range series {
		sort.Slice(s, func(i, j int) bool { return s[i].Year < s[j].Year })
		for i := 1; i < len(s); i++ {
			if s[i].Year == s[i-1].Year {
				return nil, fmt.Errorf("grid.csv: zone %s has two rows for %d", z, s[i].Year)
			}
		}
	}
	return series, nil
}

// Grids lists every grid intensity row, sorted by zone and year.
func (c *Catalog) Grids() []Grid {
	var out []Grid
	for _, s := range c.grid {
		out = append(out, s...)
	}
	slices.SortFunc(out, func(a, b Grid) int {
		if a.Zone != b.Zone {
			return strings.Compare(a.Zone, b.Zone)
		}
		return a.Year - b.Year
	})
	return out
}

// Grid returns the annual grid intensity of zone for year. zone is any name
// Zone accepts; a cloud region with no figures of its own uses those of the
// grid zone it lies in (Grid.Via records that).
//
// When the table has no row for year, Grid uses the nearest year it has and
// says so in a warning: the latest when year is after it, the earliest when
// before, the nearest (earlier on a tie) inside a gap. The error wraps
// ErrUnknownZone when no zone has that name.
func (c *Catalog) Grid(zone string, year int) (Grid, []string, error) {
	z, ok := c.Zone(zone)
	if !ok {
		return Grid{}, nil, fmt.Errorf("grid intensity for %q: %w", zone, ErrUnknownZone)
	}
	s := c.grid[z.ID]
	via := ""
	if len(s) == 0 {
		via = z.ID
		s = c.grid[z.MapsTo]
	}
	g, warn := pickYear(s, year)
	g.Via = via
	if warn == "" {
		return g, nil, nil
	}
	return g, []string{fmt.Sprintf("grid intensity %s: no %d figure, used %d (%s)", g.Zone, year, g.Year, warn)}, nil
}

// pickYear returns the row for year, or the nearest row and why it was
// chosen. s is sorted by year and not empty (indexZones guarantees it).
func pickYear(s []Grid, year int) (Grid, string) {
	i := sort.Search(len(s), func(i int) bool { return s[i].Year >= year })
	switch {
	case i < len(s) && s[i].Year == year:
		return s[i], ""
	case i == len(s):
		return s[len(s)-1], "latest available"
	case i == 0:
		return s[0], "earliest available"
	case year-s[i-1].Year <= s[i].Year-year:
		return s[i-1], "nearest available"
	default:
		return s[i], "nearest available"
	}
}
